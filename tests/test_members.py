"""Commit authors: a noreply address of an unknown account falls back to listed emails."""

from __future__ import annotations

from importlib import resources

from studybot.core.config import parse_config
from studybot.core.members import Roster

EXAMPLE = resources.files("studybot").joinpath("example", "study.yml").read_text(encoding="utf-8")


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
