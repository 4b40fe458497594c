"""Every sentence exists in both languages, with the same blanks to fill."""

from __future__ import annotations

import datetime as dt
import string
from zoneinfo import ZoneInfo

import pytest

from studybot.core.comments import CommandProblem
from studybot.core.evidence import Problem
from studybot.core.messages import messages_for
from studybot.core.verdicts import Verdict

KO, EN = messages_for("ko"), messages_for("en")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_korean_and_english_have_the_same_sentences_and_blanks():
    """A sentence added in one language is added in the other, with the same fields."""
    assert KO.text.keys() == EN.text.keys()
    assert {key: fields(text) for key, text in KO.text.items()} == {key: fields(text) for key, text in EN.text.items()}


@pytest.mark.parametrize("key", [f"notice.{p.value}" for p in Problem]
                         + [f"command.problem.{p.value}" for p in CommandProblem]
                         + [f"verdict.{v.value}" for v in Verdict])
def test_every_warning_problem_and_verdict_has_a_sentence(key):
    """Each kind of warning, command problem and verdict can be told to members."""
    assert KO.text[key] and EN.text[key]


def test_money_is_written_the_local_way():
    """Korean writes 3,000원; English writes KRW 3,000; other currencies keep their code."""
    assert KO.money(3000, "KRW") == "3,000원"
    assert EN.money(3000, "KRW") == "KRW 3,000"
    assert KO.money(1500, "USD") == "1,500 USD"


# ---- Message helpers: deadlines in any kind of time zone, and unknown languages -----------------

def test_a_deadline_in_a_zoneinfo_zone_reads_as_the_last_minute_that_counts():
    """"Before Wednesday 00:00" in a standard-library zone reads as Tuesday 23:59."""
    text = messages_for("ko").deadline_spoken(dt.datetime(2022, 6, 1, tzinfo=ZoneInfo("Asia/Seoul")))
    assert "5월 31일(화) 23:59" in text


def test_an_unknown_language_is_refused():
    """Asking for a language studybot does not speak names the language."""
    with pytest.raises(ValueError, match="'fr'"):
        messages_for("fr")
