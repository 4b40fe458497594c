"""Every text speaks the study's language: Korean without English leftovers, English without Hangul, the same wording throughout."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest
import pytz

from studybot.core.messages import MARKS, messages_for
from studybot.core.verdicts import Verdict

KO, EN = messages_for("ko"), messages_for("en")
SEOUL = pytz.timezone("Asia/Seoul")

# Words a Korean study writes in Latin letters: product names, file names, the bot and its commands.
ALLOWED_LATIN = {"GitHub", "README", "URL", "PR", "Q", "A", "studybot", "KRW", "n", "ID", "CSV", "JSON", "Discord", "Slack"}
# Texts members read: on GitHub, in a messenger, in their calendar or in their week folder.
MEMBER_FACING = ("issue.", "reminder.", "closing.", "results.", "questions.", "command.", "comment.", "fines.",
                 "settlement.", "rotation.", "ledger.", "notice.", "verdict.", "report.", "status.", "ics.", "picture.",
                 "homework.", "placeholder.", "notify.", "time.", "kind.")
# English words that have a Korean word every study uses; a leader's message must not fall back to them either.
NEVER_IN_KOREAN = {"ledger", "pending", "deadline", "fine", "fines", "submit", "submission", "excused", "absent", "late"}


class _Blank:
    """A field value that formats to one neutral mark whatever the format spec asks."""

    def __format__(self, spec: str) -> str:
        return "◊"


class _Fields(dict[str, object]):
    def __missing__(self, key: str) -> object:
        return _Blank()


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def rendered(template: str) -> str:
    """The template with every field filled by a neutral mark, so only the template's own words remain."""
    return template.format_map(_Fields())


def without_code(text: str) -> str:
    """The text without `code spans`, hidden markers, literal `{fields}` and `--options`: they are shown as typed."""
    return re.sub(r"`[^`]*`|<!--.*?-->|\{[a-z_]+\}|--[a-z-]+", " ", text)


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z'-]*", without_code(text)))


def member_keys() -> list[str]:
    return [key for key in sorted(KO.text) if key.startswith(MEMBER_FACING)]


def offenders(keys, check) -> dict[str, object]:
    """Every key whose text ``check`` objects to, with what it found: all of them at once, not the first."""
    found = {key: check(key) for key in keys}
    return {key: problem for key, problem in found.items() if problem}


def test_both_languages_have_the_same_keys_and_blanks():
    """A sentence added in one language exists in the other with exactly the same fields to fill."""
    assert sorted(set(KO.text) ^ set(EN.text)) == []
    assert offenders(KO.text, lambda key: fields(KO.text[key]) ^ fields(EN.text[key])) == {}


def test_korean_texts_members_read_have_no_english_leftovers():
    """A Korean text a member reads uses Latin letters only for GitHub, README, URL, PR, studybot and code spans, never UTC or English words."""
    assert offenders(member_keys(), lambda key: latin_words(rendered(KO.text[key])) - ALLOWED_LATIN) == {}


def test_korean_texts_for_the_leader_fall_back_to_no_english_word():
    """The leader's texts may name config keys and options, but never say ledger, deadline or fine in English prose."""

    def english(key: str) -> set[str]:
        prose = re.sub(r"[A-Za-z_]+_[A-Za-z_]+|[A-Za-z-]+:|'[^']*'", " ", rendered(KO.text[key]))  # config keys as written
        return {word.lower() for word in latin_words(prose)} & NEVER_IN_KOREAN

    assert offenders(KO.text, english) == {}


def test_english_texts_have_no_hangul():
    """An English study never sees Hangul in the bot's own words."""
    hangul = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")
    assert offenders(EN.text, lambda key: hangul.findall(without_code(rendered(EN.text[key])))) == {}


def test_korean_says_study_leader_and_fine_book():
    """The leader is 스터디장 (never 관리자) and the record is 벌금 장부 (never ledger, 원장 or a bare 장부)."""

    def wrong_terms(key: str) -> list[str]:
        text = rendered(KO.text[key])
        found = [word for word in ("관리자", "원장") if word in text]
        found += ["ledger"] if "ledger" in without_code(text).lower() else []
        found += ["장부"] if re.search(r"(?<!벌금 )장부", text) else []
        return found

    assert offenders(KO.text, wrong_terms) == {}


def test_no_utc_in_what_members_read():
    """Members read times in the study's zone only; UTC stays out of every member-facing text."""
    for messages in (KO, EN):
        assert [key for key in messages.text if key.startswith(MEMBER_FACING) and "UTC" in messages.text[key]] == []


def test_the_cut_off_is_worded_the_same_everywhere():
    """`{late_until}` is always followed by '전까지' (12:00:00 itself is absent), and no deadline reads as 'until and including'."""
    wrong = re.compile(r"\{late_until\}(?! 전까지)|\{(?:deadline|late_until)\}까지")
    assert offenders(KO.text, lambda key: wrong.findall(KO.text[key])) == {}


def test_particles_after_github_follow_its_korean_reading():
    """깃허브 ends in a vowel, so it takes 는/가/를/와/로 (GitHub는, GitHub가), never 은/이/을/과/으로."""
    wrong = re.compile(r"GitHub(?:은|을|과|으로|이 |이\b)")
    assert offenders(KO.text, lambda key: wrong.findall(KO.text[key])) == {}


VERDICT_WORDS = {verdict: (KO.verdict(verdict), EN.verdict(verdict)) for verdict in Verdict}


@pytest.mark.parametrize("verdict", [v for v in Verdict if MARKS[v] != "·"], ids=lambda v: v.value)
def test_a_verdict_mark_means_only_its_verdict(verdict):
    """An emoji that marks a verdict in the tables (🙏 excused, ⏰ late …) appears only where that verdict is meant."""
    mark = MARKS[verdict]
    for messages, word in zip((KO, EN), VERDICT_WORDS[verdict], strict=False):
        for key, text in messages.text.items():
            if key.startswith(MEMBER_FACING) and mark in text:
                meant = word in text or (verdict is Verdict.EXCUSED and ("면제" in text or "xcuse" in text))
                assert meant, f"{messages.language} {key}: {mark} without '{word}'"


def test_refusal_and_excuse_use_different_emoji():
    """A refused command and an excused week do not share 🙏: a member must tell 'no' from 'waived' at a glance."""
    for messages in (KO, EN):
        assert messages.text["command.refused"][0] != MARKS[Verdict.EXCUSED]
        assert messages.text["command.excused"].startswith(MARKS[Verdict.EXCUSED])


@pytest.mark.parametrize(
    ("instant", "ko", "en"),
    [
        (SEOUL.localize(dt.datetime(2022, 4, 13, 0, 0)), "4월 13일(수) 00:00", "Wed 13 Apr 00:00"),
        (SEOUL.localize(dt.datetime(2022, 12, 31, 23, 59)), "12월 31일(토) 23:59", "Sat 31 Dec 23:59"),
    ],
)
def test_instants_are_spoken_the_way_people_write_dates(instant, ko, en):
    """Dates read like `5월 31일(화) 23:59` in Korean and `Tue 31 May 23:59` in English."""
    assert KO.when_spoken(instant) == ko
    assert EN.when_spoken(instant) == en


def test_a_deadline_is_spoken_as_its_last_minute():
    """'Before Wednesday 00:00' is told as 'by Tuesday 23:59', the minute a member has in mind."""
    deadline = SEOUL.localize(dt.datetime(2022, 6, 1, 0, 0))
    assert KO.deadline_spoken(deadline) == "5월 31일(화) 23:59까지"
    assert EN.deadline_spoken(deadline) == "by Tue 31 May 23:59"
    cut_off = SEOUL.localize(dt.datetime(2022, 6, 1, 12, 0))
    assert KO.deadline_spoken(cut_off) == "6월 1일(수) 11:59까지"


def test_a_deadline_across_a_clock_change_keeps_the_local_minute():
    """In a zone with daylight saving, the last minute before a deadline is shown in the offset in force then."""
    new_york = pytz.timezone("America/New_York")
    deadline = new_york.localize(dt.datetime(2022, 3, 13, 3, 0))  # clocks jumped from 02:00 to 03:00
    assert EN.deadline_spoken(deadline) == "by Sun 13 Mar 01:59"
