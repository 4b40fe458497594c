"""Edge cases of reading homework from the meeting log: images, impossible dates, unplanned weeks."""

from __future__ import annotations

import datetime as dt

from studybot.core.config import parse_config
from studybot.core.homework import HomeworkEntry, HomeworkLine, homework_warnings, parse_homework
from studybot.core.messages import messages_for
from studybot.core.schedule import Schedule, build_schedule

CONFIG = """
study: {name: MLOps-Study, language: ko}
schedule: {first_week: 1, weeks: 8, first_deadline: "2024-02-01 00:00"}
fines: {late: 1000, absent: 2000}
members: [{name: 민우, maintainer: true}, {name: 가경}]
"""


def entries(text: str) -> tuple[dict[int, HomeworkEntry], Schedule]:
    """The homework the log ``text`` names, under the test study's schedule."""
    config = parse_config(CONFIG)
    weeks = build_schedule(config)
    log = config.weekly_log
    return parse_homework(text, log.heading, log.marker, weeks), weeks


def test_an_image_in_a_homework_line_reads_as_its_alt_text() -> None:
    """A homework line with a picture shows the picture's description in its place."""
    found, _ = entries("### 1주차\n\n- [과제] ![아키텍처 다이어그램](diagram.png) 그려오기\n")
    assert found[2].texts == ("아키텍처 다이어그램 그려오기",)


def test_a_leap_day_due_date_takes_the_leap_year() -> None:
    """A due date of 2월 29일 without a year is read in the nearby year that has that day."""
    found, _ = entries("### 3주차\n\n- [과제] 논문 읽기(~2.29)\n")
    assert found[6].due_date == dt.date(2024, 2, 29)


def test_an_impossible_due_date_is_ignored() -> None:
    """A due date that exists in no year (2월 30일) is read as no date, so the next meeting is the due week."""
    found, weeks = entries("### 1주차\n\n- [과제] 논문 읽기(~2.30)\n")
    assert found[2].due_date is None
    assert homework_warnings(found, weeks, messages_for("ko")) == []


def test_homework_for_a_week_outside_the_schedule_is_not_warned_about() -> None:
    """Only graded weeks are checked against their deadline; a stray week number is skipped."""
    _, weeks = entries("")
    stray = {99: HomeworkEntry(99, (HomeworkLine("복습", dt.date(2024, 1, 1), 98),))}
    assert homework_warnings(stray, weeks, messages_for("ko")) == []


def test_a_due_date_that_misses_the_deadline_is_warned_about_in_week_order() -> None:
    """Each homework line whose stated date is not its week's last on-time day gets one warning, by week."""
    log = "### 1주차\n\n- [과제] 요약(~2024.2.9)\n\n### 2주차\n\n- [과제] 발표(~2024.2.20)\n"
    found, weeks = entries(log)
    warnings = homework_warnings(found, weeks, messages_for("ko"))
    assert len(warnings) == 2
    assert "요약" in warnings[0] and "발표" in warnings[1]
