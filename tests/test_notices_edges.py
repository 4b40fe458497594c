"""Edge cases of turning the bot's GitHub Markdown into Discord and Slack messages."""

from __future__ import annotations

from studybot.core.config import NotifyEvent
from studybot.core.messages import messages_for
from studybot.core.notices import (
    DISCORD_DESCRIPTION_LIMIT,
    DISCORD_TITLE_LIMIT,
    SLACK_TEXT_LIMIT,
    Notice,
    Platform,
    payload,
    render,
)

KO = messages_for("ko")
URL = "https://github.com/o/r/issues/3"


def notice(body: str = "본문", title: str = "3주차 결과", url: str | None = None) -> Notice:
    """A results notice with the given body, title and link."""
    return Notice(NotifyEvent.RESULTS, 3, title, body, url)


def test_a_discord_notice_without_a_link_has_no_embed_url() -> None:
    """A Discord message about something with no GitHub page is not a link."""
    embed = payload(Platform.DISCORD, notice(), KO)["embeds"][0]
    assert "url" not in embed
    assert embed["description"] == "본문"


def test_a_slack_notice_without_a_link_or_body_is_just_its_bold_title() -> None:
    """A Slack message with no page and no body shows only its title, in bold."""
    sent = payload(Platform.SLACK, notice(body="<!-- studybot:marker -->"), KO)
    assert sent["text"] == "*3주차 결과*"
    assert len(sent["blocks"]) == 1


def test_a_too_long_title_is_cut_with_an_ellipsis() -> None:
    """A title longer than Discord allows is shortened and ends with '…'."""
    embed = payload(Platform.DISCORD, notice(title="가" * 300), KO)["embeds"][0]
    assert len(embed["title"]) == DISCORD_TITLE_LIMIT
    assert embed["title"].endswith("…")


def test_a_long_body_is_cut_at_a_line_with_a_link_to_the_rest() -> None:
    """A body over the limit keeps whole lines and ends with a 'more' link to GitHub."""
    body = "\n".join(f"{n}번째 줄 " + "내용" * 40 for n in range(200))
    description = payload(Platform.DISCORD, notice(body=body, url=URL), KO)["embeds"][0]["description"]
    assert len(description) <= DISCORD_DESCRIPTION_LIMIT
    assert description.endswith(f"({URL})")
    assert "```" not in description


def test_a_single_overlong_line_is_clipped_rather_than_dropped() -> None:
    """A body that is one huge line still shows its start, clipped, before the 'more' link."""
    text = payload(Platform.SLACK, notice(body="가" * 5000, url=URL), KO)["blocks"][1]["text"]["text"]
    assert len(text) <= SLACK_TEXT_LIMIT
    assert text.startswith("가가가") and "…" in text


def test_a_table_of_only_a_rule_line_shows_nothing() -> None:
    """A table with no header or rows leaves no empty code block behind."""
    assert render("앞\n|---|:---:|\n뒤", Platform.DISCORD) == "앞\n뒤"


def test_table_cells_show_bold_links_and_code_as_plain_text() -> None:
    """Inside a table, bold, links and code show as their text, aligned in a code block."""
    table = "| **이름** | [글](https://velog.io/a) | `a<b` |\n|---|---|---|\n| 민우 | x | y"
    assert render(table, Platform.SLACK).split("\n") == ["```", "이름  글  a&lt;b", "민우  x   y", "```"]


def test_discord_keeps_links_and_wraps_code_holding_backticks() -> None:
    """Discord shows links as links and code that contains backticks intact."""
    text = render("[결과](https://github.com/o/r) `` `a `` 그리고 ` x `", Platform.DISCORD)
    assert text == "[결과](https://github.com/o/r) `` `a `` 그리고 `x`"


def test_slack_code_with_a_longer_backtick_run_inside_stays_one_span() -> None:
    """A code span whose text holds a longer run of backticks is one span on Slack."""
    assert render("`a``b` 끝", Platform.SLACK) == "`aˋˋb` 끝"


def test_unfinished_markup_is_shown_as_written() -> None:
    """An unclosed code span, bold or link, or a link to no web page, shows as the characters written."""
    assert render("`열린 코드", Platform.DISCORD) == "`열린 코드"
    assert render("**굵게", Platform.DISCORD) == "**굵게"
    assert render("[이름] 뒤", Platform.DISCORD) == "[이름] 뒤"
    assert render("[이름", Platform.DISCORD) == "[이름"
    assert render("[이름](javascript:x)", Platform.SLACK) == "[이름](javascript:x)"


def test_escaped_stars_inside_bold_stay_stars() -> None:
    """An escaped star a member wrote inside bold text stays a star and does not end the bold."""
    assert render("**a\\*b**", Platform.SLACK) == "*a*b*"
