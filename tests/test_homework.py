"""The week's homework read from the meeting log in a folder-format study's README."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studybot.core.config import parse_config
from studybot.core.homework import HomeworkEntry, HomeworkLine, homework_text, homework_warnings, parse_homework
from studybot.core.messages import messages_for
from studybot.core.schedule import Schedule, build_schedule

SEED = Path(__file__).resolve().parents[2] / "shared/seeds/mlops-study-README.md"

CONFIG = """
study: {{name: MLOps-Study, language: {language}}}
schedule: {{first_week: 1, weeks: 8, first_deadline: "{first}"}}
fines: {{late: 1000, absent: 2000}}
members: [{{name: 민우, maintainer: true}}, {{name: 가경}}]
"""


def schedule(first: str = "2024-01-04 00:00", language: str = "ko"):
    config = parse_config(CONFIG.format(first=first, language=language))
    return config, build_schedule(config)


def seed_entries(text: str | None = None):
    config, weeks = schedule()
    log = config.weekly_log
    return parse_homework(text if text is not None else SEED.read_text(encoding="utf-8"), log.heading, log.marker, weeks), weeks


def test_seed_log_files_each_homework_under_the_next_meeting():
    """Every [과제] line of the seed README (list item, bold, plain paragraph) is the next meeting's homework."""
    entries, _ = seed_entries()
    assert {week: entry.texts for week, entry in entries.items()} == {
        1: ("내가 생각하는 MLOps 생각해오기(~2024.01.03)",),
        2: ("Session 1까지 듣기",),
        3: ("각자 MLops tool 한개씩 공부해오기",),
        4: ("MLOps 활용 사례 하나씩 조사해오기",),
        5: ("MLOps 활용한 Code Review 하나씩 해오기",),
    }
    assert [line.meeting for entry in entries.values() for line in entry.lines] == [0, 1, 2, 3, 4]


def test_seed_due_date_is_read_and_matches_the_first_deadline():
    """The seed's '(~2024.01.03)' is week 1's due date, and it agrees with a Wednesday-night deadline."""
    entries, weeks = seed_entries()
    assert str(entries[1].due_date) == "2024-01-03"
    assert entries[2].due_date is None
    assert homework_warnings(entries, weeks, messages_for("ko")) == []


def test_due_date_decides_the_week_over_the_heading():
    """A due date names the week it is due in even when it is written under an older meeting."""
    text = "### 1주차 - 강의 선정\n\n- [과제] Session 2까지 듣기(~2024.01.17)\n"
    entries, _ = seed_entries(text)
    assert list(entries) == [3]


def test_a_date_between_deadlines_goes_to_the_next_deadline_and_warns_with_both_dates():
    """A stated date that is no deadline files the line under the next one and says both dates."""
    text = "### 2주차 - 툴\n\n**[과제] 각자 MLops tool 한개씩 공부해오기(~2024.01.16)**<br/>\n"
    entries, weeks = seed_entries(text)
    assert list(entries) == [3]
    (warning,) = homework_warnings(entries, weeks, messages_for("ko"))
    assert "1월 16일(화)" in warning and "1월 17일(수) 23:59" in warning and "3주차" in warning
    (english,) = homework_warnings(entries, weeks, messages_for("en"))
    assert "16 Jan (Tue)" in english and "17 Jan (Wed), 23:59" in english


def test_a_date_after_the_last_week_falls_back_to_the_heading_and_warns():
    """A due date past the schedule keeps the line with the next meeting, and the leader is told."""
    text = "### 3주차 - 사례\n\n- [과제] 사례 조사(~2030.01.01)\n"
    entries, weeks = seed_entries(text)
    assert list(entries) == [4]
    assert len(homework_warnings(entries, weeks, messages_for("ko"))) == 1


@pytest.mark.parametrize(
    "text",
    [
        "### 📚스터디 내용\n\n[과제] 이건 주차 기록이 아님\n",
        "### 3주차 - 코드\n\n```\n[과제] 코드 블록 안\n```\n",
        "### 3주차 - 빈 과제\n\n[과제]\n",
        "### 8주차 - 마지막\n\n[과제] 일정 밖\n",
        "### 3주차 - 끝\n\n### 다른 절\n\n[과제] 절이 바뀐 뒤\n",
    ],
)
def test_lines_outside_a_week_log_are_not_homework(text):
    """Lines outside a week heading, in code, without text, or past the last week give no homework."""
    entries, _ = seed_entries(text)
    assert entries == {}


def test_a_subheading_keeps_the_week():
    """A smaller heading inside a week's log (#### 과제) still belongs to that week."""
    entries, _ = seed_entries("### 3주차 - 사례\n\n#### 오늘의 과제\n\n[과제] 사례 조사\n")
    assert list(entries) == [4]


def test_homework_text_is_quoted_and_escaped():
    """The issue block quotes the homework with member-written Markdown and mentions neutralised."""
    entries, _ = seed_entries("### 1주차 - x\n\n- [과제] <b>@all</b> [링크](https://x.example) | 표\n")
    block = homework_text(2, entries, messages_for("ko"))
    assert block is not None and block.startswith("### 📚 2주차 과제")
    quoted = [line for line in block.splitlines() if line.startswith(">")]
    assert quoted == ["> - @&#8203;all 링크 \\| 표"]
    assert homework_text(3, entries, messages_for("ko")) is None


def test_english_headings_and_marker():
    """An English study reads 'Week 3' headings and '[Homework]' lines by default."""
    config, weeks = schedule(language="en")
    entries = parse_homework("## Week 2 - tools\n\n- [Homework] try one tool\n", config.weekly_log.heading, config.weekly_log.marker, weeks)
    assert entries[3].texts == ("try one tool",)


# ---- Edge cases of reading homework from the meeting log: images, impossible dates, unplanned weeks ----

FIXED_CONFIG = """
study: {name: MLOps-Study, language: ko}
schedule: {first_week: 1, weeks: 8, first_deadline: "2024-02-01 00:00"}
fines: {late: 1000, absent: 2000}
members: [{name: 민우, maintainer: true}, {name: 가경}]
"""


def entries(text: str) -> tuple[dict[int, HomeworkEntry], Schedule]:
    """The homework the log ``text`` names, under the test study's schedule."""
    config = parse_config(FIXED_CONFIG)
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


def test_escapes_references_and_entities_read_as_a_reader_sees_them() -> None:
    """The log is inline-parsed only where it is read; escaped brackets, a link by reference
    and an entity still read as GitHub shows them, as a parse of the whole file read them."""
    text = (
        "### 1주차\n\n"
        "\\[과제\\] 논문 [요약][paper] 해오기 &amp; 발표\n\n"
        "&#91;과제] 각자 정리\n\n"
        "[paper]: https://example.com/paper\n"
    )
    found, _ = entries(text)
    assert found[2].texts == ("논문 요약 해오기 & 발표", "각자 정리")


def test_a_long_table_outside_the_log_is_not_read_as_homework() -> None:
    """A submissions table full of links next to the log changes nothing about the log."""
    rows = "".join(f"| {week} | [이름](https://example.com/{week}/[과제]) |\n" for week in range(1, 200))
    text = f"# 스터디\n\n| 주차 | 과제 |\n|---|---|\n{rows}\n### 2주차\n\n- [과제] 다음 장 읽기\n"
    found, _ = entries(text)
    assert {week: entry.texts for week, entry in found.items()} == {3: ("다음 장 읽기",)}
