"""Markdown output edges: links without a target, and who may be @mentioned."""

from __future__ import annotations

from studybot.core.markup import escape, link, mention


def test_a_link_without_a_url_is_plain_escaped_text():
    """With no URL the member's text is shown escaped, not as a link."""
    assert link("*숙제*", None) == escape("*숙제*")
    assert link("*숙제*", "") == escape("*숙제*")
    assert link("숙제", "https://example.com/a b") == "[숙제](https://example.com/a%20b)"


def test_only_a_valid_github_login_becomes_a_mention():
    """A configured login is mentioned; text that is not a login falls back to the escaped name."""
    assert mention("kim-lee", "김") == "@kim-lee"
    assert mention("not a login", "*김*") == escape("*김*")
    assert mention(None, "김") == "김"


def test_text_for_a_terminal_keeps_lines_and_tabs_and_loses_every_control_character():
    """C0 (but tab and line feed), DEL, C1 and the bidirectional overrides go; Korean text stays."""
    from studybot.core.markup import terminal

    assert terminal("구미진\t1주차\n\x1b[2J\x9b2J\x7f\u202e끝\r") == "구미진\t1주차\n[2J2J끝"
    assert terminal("BEGIN:VCALENDAR\r\n가짜\r진짜\r\n") == "BEGIN:VCALENDAR\r\n가짜진짜\r\n"  # CRLF stays, a lone CR goes


def test_json_for_a_terminal_keeps_every_character_as_an_escape():
    """The JSON report keeps member text whole: what ``terminal`` would drop is written as an escape."""
    import json

    from studybot.core.markup import terminal, terminal_json

    value = {"name": "구미\x85진\u202e", "url": "https://a.example/\x7f"}
    text = terminal_json(value)
    assert terminal(text) == text and json.loads(text) == value
