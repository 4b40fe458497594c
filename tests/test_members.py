"""Who is who: names as members write them, logins, commit addresses."""

from __future__ import annotations

import sys
import unicodedata
from importlib import resources

from studybot.core.config import parse_config
from studybot.core.members import Roster, normalize, visible

EXAMPLE = resources.files("studybot").joinpath("example", "study.yml").read_text(encoding="utf-8")
ROSTER = Roster(parse_config(EXAMPLE))


def test_a_noreply_address_of_an_unknown_login_matches_only_a_listed_email():
    """A GitHub noreply address whose login is no member's still finds the member who listed it."""
    text = EXAMPLE.replace(
        "{name: 이은빈, github: binable43}",
        '{name: 이은빈, github: binable43, emails: ["12345+stranger@users.noreply.github.com"]}',
    )
    roster = Roster(parse_config(text, "study.yml"))
    assert roster.author("12345+Stranger@users.noreply.github.com") == "이은빈"
    assert roster.author("999+nobody@users.noreply.github.com") is None
    assert roster.author("1+binable43@users.noreply.github.com") == "이은빈"


def test_a_name_with_a_zero_width_space_is_the_members_name():
    """구\u200b미진 and 구미진 look the same on GitHub; the roster finds 구미진 for both."""
    assert ROSTER.member("구\u200b미진") == "구미진"
    assert ROSTER.member("\ufeff구미진\u200d") == "구미진"
    assert ROSTER.member("@mi\u200bjinkoo") == "구미진"  # a login pasted with one, too


def test_a_decomposed_name_with_a_format_character_inside_composes():
    """NFD 구미진 with a zero-width space between a jamo pair still matches (removed, then composed)."""
    decomposed = unicodedata.normalize("NFD", "구미진")
    assert ROSTER.member(decomposed[:1] + "\u200b" + decomposed[1:]) == "구미진"


def test_visible_characters_still_make_a_different_name():
    """A full-width or no-break space shows, so it is part of the name; only format characters go."""
    assert ROSTER.member("구\u3000미진") is None
    assert ROSTER.member("구\u00a0미진") is None
    assert normalize(" 구미진\u00a0") == "구미진"  # around the name, spaces are trimmed as before
    assert visible("a\u200bb\u2060c") == "abc" and visible("plain") == "plain"



def test_every_format_character_of_this_python_is_dropped():
    """The planes scanned for format characters hold all of them (checked against the whole range)."""
    every = "".join(chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf")
    assert len(every) > 150 and visible("가" + every + "나") == "가나"
