"""Messenger notices: the bot's GitHub text reshaped for Discord and Slack webhooks."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from studybot.core.config import ConfigError, Notify, NotifyEvent, parse_config
from studybot.core.markup import escape, link, mention
from studybot.core.messages import messages_for
from studybot.core.notices import (
    DISCORD_DESCRIPTION_LIMIT,
    DISCORD_TITLE_LIMIT,
    SLACK_TEXT_LIMIT,
    Notice,
    Platform,
    notice_key,
    outgoing,
    payload,
    render,
    title,
)

KO = messages_for("ko")
EN = messages_for("en")
URL = "https://github.com/SEOJIN-Lab/Study-MLOps/issues/7"
MARKER = "<!-- studybot:week=3:kind=results -->"


def results_body(rows: list[tuple[str, str, str, str]], blog: str = "") -> str:
    """A results comment as cycle.results_body writes it, from (name, verdict, fine, time) rows."""
    lines = [f"| {escape(name)} | {verdict} | {fine} | {at} |" for name, verdict, fine, at in rows]
    return KO.t("results.body", marker=MARKER, week=3, rows="\n".join(lines), total="7,000원", blog=blog)


SEED_ROWS = [
    ("장서진", "✅ 제출", "", "2022-05-03 (화) 21:03"),
    ("구미진", "⏰ 지각", "3,000원", "2022-05-04 (수) 09:12"),
    ("이은빈", "❌ 결석", "4,000원", ""),
]


def results_notice(body: str | None = None, mentions: tuple[str, ...] = ()) -> Notice:
    body = body if body is not None else results_body(SEED_ROWS)
    return Notice(NotifyEvent.RESULTS, 3, title(NotifyEvent.RESULTS, 3, "Study-MLOps", KO), body, URL, mentions)


def reminder_notice(names: list[tuple[str, str | None]], mentions: tuple[str, ...]) -> Notice:
    body = KO.t(
        "reminder.body",
        marker="<!-- studybot:week=3:kind=reminder -->",
        week=3,
        left="6시간",
        deadline="2022-05-04 (수) 00:00",
        names=", ".join(mention(login, name) for name, login in names),
    )
    return Notice(NotifyEvent.REMINDER, 3, title(NotifyEvent.REMINDER, 3, "Study-MLOps", KO), body, URL, mentions)


def slack_texts(message: dict) -> list[str]:
    return [message["text"]] + [block["text"]["text"] for block in message["blocks"]]


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text if char != "\u200b")


# ---------------------------------------------------------------- Discord


def test_discord_results_embed_links_to_the_issue_without_markers():
    """Discord gets an embed titled with the week's results, linked to the issue, markers gone."""
    message = payload("discord", results_notice(), KO)
    (embed,) = message["embeds"]
    assert embed["title"] == "Study-MLOps · 3주차 결과"
    assert embed["url"] == URL
    assert "<!--" not in embed["description"] and "studybot:" not in embed["description"]
    assert embed["description"].startswith("**3주차 결과**")
    assert "이번 주 벌금 합계 7,000원" in embed["description"]
    assert "content" not in message
    assert message["allowed_mentions"] == {"parse": []}


def test_results_table_becomes_aligned_lines_in_a_code_block():
    """The verdict table shows as columns lined up for Korean names, since chats render no tables."""
    description = payload("discord", results_notice(), KO)["embeds"][0]["description"]
    block = re.search(r"```\n(.*?)\n```", description, re.DOTALL)
    assert block is not None
    lines = block.group(1).split("\n")
    assert lines[0].split() == ["이름", "결과", "벌금", "제출", "시각"]
    assert not any(line.startswith("|") or "---" in line for line in lines)
    # The verdict column starts at the same screen column on every line.
    starts = {width(line[: line.index(verdict)]) for line, verdict in zip(lines[1:], ["✅", "⏰", "❌"], strict=False)}
    assert len(starts) == 1
    # The fine column is right-aligned, as on GitHub (---:).
    ends = {width(line[: line.index("원") + 1]) for line in lines[2:]}
    assert len(ends) == 1


@pytest.mark.parametrize("name", ["@everyone", "@here", "<@123456789012345678>", "<@&987654321098765432>"])
def test_discord_member_text_pings_nobody(name):
    """A member named like a mass or user mention is shown as text and can ping no one."""
    message = payload("discord", results_notice(results_body([(name, "✅ 제출", "", "")])), KO)
    assert message["allowed_mentions"] == {"parse": []}
    assert "content" not in message
    description = message["embeds"][0]["description"]
    # A zero-width space after '@' keeps it from being mention syntax, as on GitHub.
    assert name not in description and name.replace("@", "@\u200b") in description


def test_discord_keeps_member_markdown_as_text():
    """A member name with Markdown characters stays literal outside tables as well."""
    blog = KO.t("results.blog", member=escape("**굵게** [x](https://evil.example)"), status="아직")
    description = payload("discord", results_notice(results_body(SEED_ROWS, blog)), KO)["embeds"][0]["description"]
    assert "\\*\\*굵게\\*\\*" in description
    assert "](https://evil.example)" not in description.replace("\\]\\(", "")
    assert "[x](https://evil.example)" not in description


def test_discord_mentions_only_configured_members():
    """Only members the leader mapped to a Discord id are pinged, in content, and only they are allowed."""
    notice = reminder_notice([("구미진", "mijinkoo"), ("이은빈", "binable43")], mentions=("구미진", "이은빈"))
    message = payload("discord", notice, KO, {"구미진": "112233445566778899"})
    assert message["content"] == "<@112233445566778899>"
    assert message["allowed_mentions"] == {"parse": [], "users": ["112233445566778899"]}
    assert "@mijinkoo" in message["embeds"][0]["description"]


def test_no_mentions_without_configuration():
    """With no mentions configured the reminder names people but pings nobody."""
    notice = reminder_notice([("구미진", "mijinkoo")], mentions=("구미진",))
    message = payload("discord", notice, KO)
    assert "content" not in message and message["allowed_mentions"] == {"parse": []}
    assert "<@" not in slack_texts(payload("slack", notice, KO))[0]


def test_discord_truncates_long_results_with_a_link_to_github():
    """A results table too long for an embed is cut at a line, closed, and points to GitHub."""
    rows = [(f"멤버{index:03d}", "⏰ 지각", "3,000원", "2022-05-04 (수) 09:12") for index in range(200)]
    description = payload("discord", results_notice(results_body(rows)), KO)["embeds"][0]["description"]
    assert len(description.encode("utf-16-le")) // 2 <= DISCORD_DESCRIPTION_LIMIT
    assert description.endswith(f"[…(나머지는 GitHub에서 확인해 주세요)]({URL})")
    assert description.count("```") % 2 == 0
    assert "멤버000" in description and "멤버199" not in description


# ---------------------------------------------------------------- Slack


def test_slack_converts_bold_links_and_escapes():
    """Slack gets mrkdwn: *bold*, <url|text> links, and &, <, > escaped."""
    body = KO.t(
        "issue.body",
        marker="<!-- studybot:week=3:kind=issue -->",
        week=3,
        deadline="5월 3일(화) 23:59까지",
        late_until="5월 4일(수) 12:00",
        late_fine="3,000원",
        absent_fine="4,000원",
        how="이 이슈에 `제출 <링크>`라고 댓글 달기",
        blog=link("이은빈의 글", "https://blog.example.com/post?a=1&b=2"),
        homework="",
    )
    notice = Notice(NotifyEvent.OPENED, 3, title(NotifyEvent.OPENED, 3, "Study-MLOps", KO), body, URL)
    message = payload("slack", notice, KO)
    text = message["blocks"][1]["text"]["text"]
    assert text.startswith("*3주차 Q&amp;A*")
    assert "마감: *5월 3일(화) 23:59까지*" in text
    assert "<https://blog.example.com/post?a=1&b=2|이은빈의 글>" in text
    assert "`제출 &lt;링크&gt;`" in text
    assert "<!--" not in message["text"] and "**" not in message["text"]
    assert message["blocks"][0]["text"]["text"] == f"*<{URL}|Study-MLOps · 3주차 Q&amp;A 이슈를 열었습니다>*"


@pytest.mark.parametrize("name", ["<!channel>", "<!here>", "<!everyone>", "<@U0123ABCD>", "@channel"])
def test_slack_member_text_pings_nobody(name):
    """A member named like a Slack broadcast or user mention shows as text in every field."""
    message = payload("slack", results_notice(results_body([(name, "✅ 제출", "", "")])), KO)
    for text in slack_texts(message):
        assert "<!" not in text and "<@" not in text
        assert not re.search(r"(?<![&\w])@channel", text.replace("\u200b", "X"))


def test_slack_table_lines_up_what_slack_shows():
    """In Slack the table's columns line up as displayed, escapes counted as one character."""
    text = payload("slack", results_notice(results_body([("a<b", "✅ 제출", "", ""), ("장서진", "✅ 제출", "", "")])), KO)["blocks"][1]["text"]["text"]
    lines = re.search(r"```\n(.*?)\n```", text, re.DOTALL).group(1).replace("&lt;", "<").split("\n")
    assert len({width(line[: line.index("✅")]) for line in lines[1:]}) == 1


def test_slack_mentions_only_configured_members():
    """Slack pings the configured member ids under the title and nobody else."""
    notice = reminder_notice([("구미진", "mijinkoo"), ("이은빈", None)], mentions=("구미진", "이은빈"))
    message = payload("slack", notice, KO, {"이은빈": "U0123ABCD"})
    heading = message["blocks"][0]["text"]["text"]
    assert heading.endswith("\n<@U0123ABCD>")
    assert sum(text.count("<@") for text in slack_texts(message)) == 2  # the heading in text and in its block


def test_slack_truncates_each_text_block():
    """No Slack text field is longer than 3000 characters; a cut one says more is on GitHub."""
    rows = [(f"멤버{index:03d}", "⏰ 지각", "3,000원", "2022-05-04 (수) 09:12") for index in range(200)]
    message = payload("slack", results_notice(results_body(rows)), KO)
    for text in slack_texts(message):
        assert len(text.encode("utf-16-le")) // 2 <= SLACK_TEXT_LIMIT
    assert message["blocks"][1]["text"]["text"].endswith(f"<{URL}|…(나머지는 GitHub에서 확인해 주세요)>")
    assert message["blocks"][1]["text"]["text"].count("```") % 2 == 0


def test_render_drops_only_markers_and_keeps_words():
    """Rendering keeps every sentence of the closing comment and drops the hidden marker."""
    body = KO.t(
        "closing.body",
        marker="<!-- studybot:week=3:kind=closing -->",
        week=3,
        deadline="2022-05-04 (수) 00:00",
        late_until="2022-05-04 (수) 12:00",
    )
    expected = body.split("\n", 1)[1]
    assert render(body, Platform.DISCORD) == expected
    assert render(body, Platform.SLACK) == expected


# ---------------------------------------------------------------- keys and routing


def test_notice_key_once_a_week_for_steps_and_per_text_for_results():
    """Opening is keyed by week alone; results are keyed by their text so a correction is sent again."""
    opened = Notice(NotifyEvent.OPENED, 3, "t", "본문 1", URL)
    edited = Notice(NotifyEvent.OPENED, 3, "t", "본문 2", URL)
    assert notice_key("discord", opened) == "discord:week=3:opened" == notice_key(Platform.DISCORD, edited)
    assert notice_key("slack", opened) == "slack:week=3:opened"
    first, again = results_notice(), results_notice()
    corrected = results_notice(results_body(SEED_ROWS[:2]))
    assert notice_key("discord", first) == notice_key("discord", again)
    assert notice_key("discord", first).startswith("discord:week=3:results:")
    assert notice_key("discord", first) != notice_key("discord", corrected)
    alert = Notice(NotifyEvent.ALERTS, None, "t", "설정이 거부되었습니다", None)
    assert notice_key("slack", alert).startswith("slack:week=-:alerts:")


def test_outgoing_follows_each_platforms_events():
    """Each platform receives only the events the leader picked for it."""
    notify = Notify.model_validate(
        {"discord": {"events": ["opened", "results"], "mentions": {"구미진": "112233445566778899"}},
         "slack": {"events": ["results", "settlement"]}}
    )
    opened = Notice(NotifyEvent.OPENED, 3, "t", "본문", URL, ("구미진",))
    assert [item.platform for item in outgoing(notify, opened, KO)] == [Platform.DISCORD]
    assert outgoing(notify, opened, KO)[0].payload["allowed_mentions"]["users"] == ["112233445566778899"]
    found = outgoing(notify, results_notice(), KO)
    assert [item.platform for item in found] == [Platform.DISCORD, Platform.SLACK]
    assert [item.key for item in found] == [notice_key(item.platform, results_notice()) for item in found]
    assert outgoing(notify, Notice(NotifyEvent.REMINDER, 3, "t", "본문", URL), KO) == []


def test_no_notify_section_sends_nothing():
    """A study without a notify section sends no messenger notice at all."""
    assert outgoing(Notify(), results_notice(), KO) == []


def test_english_titles():
    """An English study's notices have English titles."""
    assert title(NotifyEvent.CLOSED, 4, "Study", EN) == "Study · Week 4 is closed"
    assert title(NotifyEvent.SETTLEMENT, None, "Study", KO) == "Study · 최종 정산"


# ---------------------------------------------------------------- config


def config_with(notify: str) -> str:
    base = Path("config/study.yml").read_text(encoding="utf-8")
    return base[: base.index("\nnotify:") + 1] + "notify:\n" + notify  # the seed's own notify section replaced


def test_config_reads_the_notify_section():
    """The notify section picks events per platform; a bare Discord id number is read as text."""
    config = parse_config(config_with(
        "  discord: {events: [opened, reminder, closed, results, settlement, alerts], mentions: {구미진: 112233445566778899}}\n"
        "  slack: {events: [results, settlement]}\n"
    ))
    assert config.notify.discord.mentions == {"구미진": "112233445566778899"}
    assert config.notify.slack.events == [NotifyEvent.RESULTS, NotifyEvent.SETTLEMENT]
    assert config.notify.slack.mentions == {}


def test_config_without_notify_has_none():
    """Without a notify section no platform is set up."""
    base = Path("config/study.yml").read_text(encoding="utf-8")
    config = parse_config(base[: base.index("\nnotify:") + 1])
    assert config.notify.discord is None and config.notify.slack is None


def test_config_refuses_unknown_keys_events_and_bad_ids():
    """Typos in notify, unknown events and a name instead of a user id are each reported with a line."""
    with pytest.raises(ConfigError) as caught:
        parse_config(config_with(
            "  discord: {events: [result], mentions: {구미진: '@mijin'}}\n"
            "  slack: {evnets: [results]}\n"
            "  kakao: {}\n"
        ))
    problems = {(problem.line, problem.column): problem.message for problem in caught.value.problems}
    base = Path("config/study.yml").read_text(encoding="utf-8")
    first = len(base[: base.index("\nnotify:") + 1].splitlines()) + 2

    def at(line: int, text: str) -> list[str]:
        return [message for (row, _), message in problems.items() if row == line and text in message]

    assert at(first, "'result'") and at(first, "results")
    assert at(first, "구미진") and at(first, "Discord")
    assert at(first + 1, "'evnets'")
    assert at(first + 2, "'kakao'")
    assert len(problems) == 4


# ---- Edge cases of turning the bot's GitHub Markdown into Discord and Slack messages ------------

ISSUE_URL = "https://github.com/o/r/issues/3"


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
    description = payload(Platform.DISCORD, notice(body=body, url=ISSUE_URL), KO)["embeds"][0]["description"]
    assert len(description) <= DISCORD_DESCRIPTION_LIMIT
    assert description.endswith(f"({ISSUE_URL})")
    assert "```" not in description


def test_a_single_overlong_line_is_clipped_rather_than_dropped() -> None:
    """A body that is one huge line still shows its start, clipped, before the 'more' link."""
    text = payload(Platform.SLACK, notice(body="가" * 5000, url=ISSUE_URL), KO)["blocks"][1]["text"]["text"]
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
