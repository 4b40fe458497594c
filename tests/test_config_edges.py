"""Edge cases of the study config: every odd value is told at its line, in the study's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from studybot.core.config import (
    ConfigError,
    ScheduleConfig,
    language_of_locale,
    load_config,
    parse_config,
    parse_duration,
)

BASE = """\
study: {name: Test, language: en}
schedule: {weeks: 2, first_deadline: 2024-03-06 00:00}
fines: {late: 1, absent: 2}
members:
  - {name: A}
"""


def problems_of(text: str | bytes) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "s.yml")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            BASE.replace("00:00}", "00:00, late_window: 999999999999d}"),
            "s.yml:2:69: schedule.late_window: '999999999999d' is far too long; write a duration such as 12h.",
        ),
        (
            BASE.replace("late: 1", "late: true"),
            "s.yml:3:15: fines.late: 'true' is not an amount; write a whole number such as 3000, or '3,000' in quotes.",
        ),
        (
            BASE.replace("2024-03-06 00:00", "next wednesday"),
            "s.yml:2:38: schedule.first_deadline: 'next wednesday' is not a local date and time; "
            "write one such as 2022-04-13 00:00.",
        ),
        (
            BASE.replace("2024-03-06 00:00", "5"),
            "s.yml:2:38: schedule.first_deadline: '5' is not a local date and time; write one such as 2022-04-13 00:00.",
        ),
        (
            BASE.replace("2024-03-06 00:00", "2024-03-06T00:00+09:00"),
            "s.yml:2:38: schedule.first_deadline: write the local time without an offset, "
            "not '2024-03-06T00:00+09:00'; study.timezone gives the zone.",
        ),
        (
            BASE.replace("2024-03-06 00:00", "1900-03-06 00:00"),
            "s.yml:2:38: schedule.first_deadline: write a date between 1970 and 2200, not '1900-03-06 00:00'.",
        ),
        (
            BASE.replace("00:00}", "00:00, breaks: [{from: 2024-03-20, to: 2024-03-10}]}"),
            "s.yml:2:65: schedule.breaks: the break ends (2024-03-10) before it starts (2024-03-20); swap 'from' and 'to'.",
        ),
        (
            BASE.replace("{name: A}", "{name: A, joined_week: 3, left_week: 2}"),
            "s.yml:5:5: members: left_week 2 comes before joined_week 3; fix one of them.",
        ),
        (
            BASE + "weekly_log: {heading: 'Week'}\n",
            "s.yml:6:23: weekly_log.heading: the heading must contain {week}, e.g. '{week}주차'",
        ),
        (
            BASE + "notify: {discord: {mentions: {A: 12345}}}\n",
            "s.yml:6:30: notify.discord.mentions: A: write the Discord user id, the 17–20 digit number "
            "from 'Copy User ID' (turn on Developer Mode)",
        ),
        (
            BASE + "notify: {slack: {mentions: {A: alice}}}\n",
            "s.yml:6:28: notify.slack.mentions: A: write the Slack member id such as U012AB3CD "
            "(profile → ⋮ → Copy member ID), not a display name",
        ),
        (
            BASE + "  - {name: B, github: '@Ann'}\n  - {name: C, github: ann}\n",
            "s.yml:7:23: members.github: GitHub login 'ann' is listed twice; each member needs their own.",
        ),
        (
            BASE + "excuses: &x []\nqna: {labels: *x}\n",
            "s.yml:6:10: YAML anchors and aliases (&name, *name) are not allowed; write the value out.",
        ),
        (
            BASE + "excuses: !!set {}\n",
            "s.yml:6:10: Explicit YAML tags (set) are not allowed; remove the !!tag.",
        ),
        (
            BASE + "x: `a\n",
            "s.yml:6:4: YAML syntax: a value cannot begin with '`' unless it is in quotes; put the value in quotes.",
        ),
        (
            BASE + "qna: {? [a, b] : 1}\n",
            "s.yml:6:9: A value cannot be read (while constructing a mapping); write it as plain text or a number.",
        ),
        (
            BASE.replace("late: 1", "late: .inf"),
            "s.yml:3:15: fines.late: 'inf' cannot be used (Input should be a finite number); see docs/config.md.",
        ),
        (
            BASE + "submissions: 5\n",
            "s.yml:6:14: submissions: write keys and values here, for example {key: value} or one 'key: value' per line.",
        ),
        (
            BASE + "submissions: {readme: 5}\n",
            "s.yml:6:23: submissions.readme: write keys and values here, "
            "for example {key: value} or one 'key: value' per line.",
        ),
    ],
)
def test_each_odd_value_is_told_at_its_line(text: str, expected: str) -> None:
    """A leader sees one plain sentence at the right line and column for each odd value."""
    assert problems_of(text) == [expected]


def test_a_swap_naming_a_stranger_in_a_week_outside_the_term_gives_two_problems() -> None:
    """A blog swap for week 9 of a 2-week study, naming no member, reports both mistakes."""
    text = BASE + "rotation: {team_blog: {order: [A], swaps: [{week: 9, member: Z}]}}\n"
    assert problems_of(text) == [
        "s.yml:6:51: rotation.team_blog.swaps.week: week 9 is not a graded week; use 1–2.",
        "s.yml:6:62: rotation.team_blog.swaps.member: 'Z' is not a member; use one of the names under members: A.",
    ]


def test_null_and_true_are_shown_as_the_file_writes_them() -> None:
    """Wrong values are quoted back as YAML spells them: null and true, not None and True."""
    text = BASE.replace("{name: A}", "{name: A, maintainer: null}") + "excuses: [{week: 1, member: A, reason: true}]\n"
    assert problems_of(text) == [
        "s.yml:5:27: members.maintainer: 'null' is not true or false; write true or false.",
        "s.yml:6:40: excuses.reason: write text here, not 'true'.",
    ]


def test_a_split_amount_is_told_once_beside_other_mistakes() -> None:
    """'late: 3,000원' in a flow mapping is one problem at the amount, listed with the file's other mistakes."""
    text = BASE.replace("late: 1", "late: 3,000원").replace("weeks: 2", "weeks: two")
    assert problems_of(text) == [
        "s.yml:2:19: schedule.weeks: 'two' is not a whole number; write one such as 12.",
        "s.yml:3:15: fines.late: inside {…} the comma of 3,000원 splits the amount in two; "
        "write 3000, or '3,000원' in quotes.",
    ]


def test_a_file_too_large_or_not_utf8_is_refused_before_reading() -> None:
    """An oversized or non-UTF-8 config file gets one sentence saying what to do."""
    assert problems_of(b"x" * (300 * 1024)) == ["s.yml:1:1: The config file is larger than 256 KiB; shorten it."]
    assert problems_of(b"\xff\xfe") == ["s.yml:1:1: The config file is not UTF-8 (invalid start byte); save it as UTF-8."]


def test_a_config_path_that_is_a_folder_is_told_as_unreadable(tmp_path: Path) -> None:
    """Pointing the bot at a folder instead of a file says the file cannot be read, with the reason."""
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path) and "Is a directory" in problem.message


def test_chat_mentions_with_valid_ids_are_kept() -> None:
    """A Discord id written as a bare number and a Slack member id are kept as text ids."""
    config = parse_config(
        BASE + "notify:\n  discord: {mentions: {A: 123456789012345678}}\n  slack: {mentions: {A: U012AB3CD}}\n"
    )
    assert config.notify.discord is not None and config.notify.discord.mentions == {"A": "123456789012345678"}
    assert config.notify.slack is not None and config.notify.slack.mentions == {"A": "U012AB3CD"}


def test_membership_weeks_and_the_last_week() -> None:
    """A member who joins in week 2 and leaves before week 4 takes part in weeks 2 and 3 only."""
    config = parse_config(BASE.replace("{name: A}", "{name: A, joined_week: 2, left_week: 4}").replace("weeks: 2", "weeks: 5"))
    assert config.last_week == 5
    member = config.members[0]
    assert [week for week in range(1, 6) if member.active_in(week)] == [2, 3]


def test_a_schedule_built_in_code_takes_dates_datetimes_and_durations() -> None:
    """A schedule given a date starts at its midnight; datetimes and timedeltas are taken as they are."""
    from_date = ScheduleConfig(weeks=1, first_deadline=dt.date(2024, 3, 6), late_window=dt.timedelta(hours=3))
    assert (from_date.first_deadline, from_date.late_window) == (dt.datetime(2024, 3, 6), dt.timedelta(hours=3))
    from_datetime = ScheduleConfig(weeks=1, first_deadline=dt.datetime(2024, 3, 6, 23, 59))
    assert from_datetime.first_deadline == dt.datetime(2024, 3, 6, 23, 59)
    assert parse_duration(dt.timedelta(minutes=90)) == dt.timedelta(minutes=90)


def test_a_negative_late_window_is_refused() -> None:
    """A late window below zero, possible only from code, is refused like a malformed duration."""
    with pytest.raises(ValidationError):
        ScheduleConfig(weeks=1, first_deadline=dt.datetime(2024, 3, 6), late_window=dt.timedelta(hours=-1))


@pytest.mark.parametrize(
    ("locale", "language"),
    [("ko_KR.UTF-8", "ko"), ("en-US", "en"), ("EN", "en"), ("fr_FR.UTF-8", None), ("", None), (None, None)],
)
def test_the_message_language_follows_the_locale(locale: str | None, language: str | None) -> None:
    """LANG=ko_KR.UTF-8 gives Korean messages, en-US English, and any other locale no preference."""
    assert language_of_locale(locale) == language
