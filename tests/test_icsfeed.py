"""The calendar feed members subscribe to: RFC 5545 that calendar apps read back exactly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from importlib import resources

import pytest
from icalendar import Calendar

from studybot.cli import main
from studybot.core.config import parse_config
from studybot.core.icsfeed import calendar_ics, slug, stamp
from studybot.core.messages import messages_for
from studybot.core.report import blog_writers
from studybot.core.schedule import build_schedule

UTC = dt.UTC
EXAMPLE = resources.files("studybot").joinpath("example", "study.yml").read_text(encoding="utf-8")


def example(text: str = EXAMPLE):
    config = parse_config(text, "study.yml")
    schedule = build_schedule(config)
    return config, schedule, blog_writers(config, schedule)[1]


def feed(text: str = EXAMPLE, language: str | None = None) -> bytes:
    config, schedule, writers = example(text)
    return calendar_ics(config, schedule, writers, messages_for(language or config.study.language))


def events(data: bytes) -> dict[str, object]:
    return {str(event["UID"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


def instant(event: object, key: str = "DTSTART") -> dt.datetime:
    return event[key].dt.astimezone(UTC)  # type: ignore[index, no-any-return]


def test_example_feed_has_every_deadline_cutoff_blog_turn_and_break():
    """The example's 12 weeks give 12 deadlines, 12 late cut-offs, 12 blog turns, plus 2 breaks."""
    found = events(feed())
    assert len(found) == 12 * 3 + 2
    kinds = sorted(uid.split("@")[0].rsplit("-", 1)[-1] if uid.startswith("week-") else "break" for uid in found)
    assert kinds.count("deadline") == 12 and kinds.count("cutoff") == 12
    assert kinds.count("blog") == 12 and kinds.count("break") == 2


def test_week_one_deadline_and_cutoff_are_the_right_instants():
    """Week 1 is due 2022-04-12 15:00 UTC (Wednesday 00:00 KST) and late until 03:00 UTC."""
    found = events(feed())
    deadline = found["week-1-deadline@study-mlops.studybot"]
    cutoff = found["week-1-late-cutoff@study-mlops.studybot"]
    assert instant(deadline) == dt.datetime(2022, 4, 12, 15, 0, tzinfo=UTC)
    assert instant(cutoff) == dt.datetime(2022, 4, 13, 3, 0, tzinfo=UTC)
    assert str(deadline["SUMMARY"]) == "[1주차] 과제 마감"
    assert str(cutoff["SUMMARY"]) == "[1주차] 지각 인정 마감"
    # Week 2 comes after the midterm break: three weeks later, not one.
    assert instant(found["week-2-deadline@study-mlops.studybot"]) == dt.datetime(2022, 5, 3, 15, 0, tzinfo=UTC)


def test_times_carry_the_study_zone_with_its_vtimezone():
    """Each timed event names Asia/Seoul and the feed defines that zone, so apps show KST."""
    data = feed()
    calendar = Calendar.from_ical(data)
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Seoul"]
    assert b"DTSTART;TZID=Asia/Seoul:20220413T000000" in data
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_blog_turns_and_breaks_are_all_day_spans():
    """A blog turn is the deadline's local day; a break covers its dates with an exclusive end."""
    found = events(feed())
    blog = found["week-3-blog@study-mlops.studybot"]
    assert str(blog["SUMMARY"]) == "[3주차] 팀 블로그: 한현경"
    assert blog["DTSTART"].dt == dt.date(2022, 5, 11)
    midterm = found["break-2022-04-18@study-mlops.studybot"]
    assert str(midterm["SUMMARY"]) == "휴식: 중간고사"
    assert (midterm["DTSTART"].dt, midterm["DTEND"].dt) == (dt.date(2022, 4, 18), dt.date(2022, 4, 30))


def test_same_input_gives_the_same_bytes():
    """The feed has no clock in it: building it twice gives identical bytes, DTSTAMP included."""
    assert feed() == feed()
    stamps = {str(event["DTSTAMP"].dt) for event in events(feed()).values()}  # type: ignore[index]
    assert stamps == {"2022-04-05 15:00:00+00:00"}


def test_a_swap_updates_the_same_event_instead_of_adding_one():
    """Swapping week 3's writer changes that event's name but keeps its UID and the event count."""
    swapped = EXAMPLE.replace(
        "readme_column: 팀블로그}", "readme_column: 팀블로그, swaps: [{week: 3, member: 구미진}]}"
    )
    before, after = events(feed()), events(feed(swapped))
    assert before.keys() == after.keys()
    assert str(after["week-3-blog@study-mlops.studybot"]["SUMMARY"]) == "[3주차] 팀 블로그: 구미진"  # type: ignore[index]


def test_member_names_with_calendar_syntax_stay_plain_text():
    """A name with a comma, semicolon, backslash or newline reads back exactly, on one line."""
    weird = 'Kim, "J"; \\x'
    config, schedule, _ = example()
    data = calendar_ics(config, schedule, {1: weird + "\nEND:VEVENT"}, messages_for("en"))
    found = events(data)
    assert str(found["week-1-blog@study-mlops.studybot"]["SUMMARY"]) == f"[Week 1] Team blog: {weird} END:VEVENT"  # type: ignore[index]
    assert data.count(b"\r\nEND:VEVENT\r\n") == len(found)  # the name never starts a line


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Study-MLOps", "study-mlops"), ("ML 스터디 2024!", "ml-2024")],
)
def test_study_slug_is_ascii_and_readable(name: str, expected: str):
    """UID domains keep the ASCII part of the study name, lower-cased and dashed."""
    assert slug(name) == expected


def test_a_hangul_only_study_name_still_gets_a_stable_distinct_slug():
    """Two all-Hangul study names get different, repeatable ASCII slugs."""
    assert slug("엠엘옵스") == slug("엠엘옵스") != slug("딥러닝")
    assert slug("엠엘옵스").isascii()


def test_deadlines_keep_local_time_across_daylight_saving():
    """In New York, a Wednesday 00:00 deadline is 04:00 UTC in summer and 05:00 UTC in winter."""
    text = EXAMPLE.replace("timezone: Asia/Seoul", "timezone: America/New_York").replace(
        "first_deadline: 2022-04-13 00:00", "first_deadline: 2022-10-26 00:00"
    ).replace("weeks: 12", "weeks: 3").replace("language: ko", "language: en")
    found = events(feed(text))
    assert instant(found["week-1-deadline@study-mlops.studybot"]) == dt.datetime(2022, 10, 26, 4, tzinfo=UTC)
    assert instant(found["week-2-deadline@study-mlops.studybot"]) == dt.datetime(2022, 11, 2, 4, tzinfo=UTC)
    assert instant(found["week-3-deadline@study-mlops.studybot"]) == dt.datetime(2022, 11, 9, 5, tzinfo=UTC)
    assert str(found["week-1-deadline@study-mlops.studybot"]["SUMMARY"]) == "[Week 1] Homework due"  # type: ignore[index]


def test_cli_prints_the_feed():
    """`studybot calendar --format ics` prints a feed that parses, with the example's events."""
    out = io.StringIO()
    config = resources.files("studybot").joinpath("example", "study.yml")
    assert main(["calendar", "--config", str(config), "--format", "ics"], out=out, environ={}) == 0
    assert out.getvalue().encode("utf-8") == feed()


# ---- The calendar feed for a schedule with no graded weeks --------------------------------------



def test_a_schedule_without_weeks_gives_a_valid_feed_with_only_breaks():
    """With no graded weeks the feed still parses, stamped at the epoch, with no deadline events."""
    config = parse_config(EXAMPLE, "study.yml")
    schedule = dataclasses.replace(build_schedule(config), weeks=())
    assert stamp(schedule) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    data = calendar_ics(config, schedule, {}, messages_for("ko"))
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(data).walk("VEVENT")]
    assert summaries and all("고사" in summary for summary in summaries)


# ---- a break named only by the word ----------------------------------------------------------------


def test_a_break_named_by_the_word_itself_or_not_at_all_shows_the_word_once():
    """`name: 휴식` (`Break` in English) and no name give the word once (not "휴식: 휴식") in the feed and in the
    calendar table; a real name keeps its "휴식: " prefix."""
    from studybot.core.render import render_calendar

    for language, word, first, second in (
        ("ko", "휴식", "| — | 4월 20일(수) 00:00 | 휴식 |", "| — | 6월 15일(수) 00:00 | 휴식 |"),
        ("en", "Break", "| — | Wed 20 Apr 00:00 | break |", "| — | Wed 15 Jun 00:00 | break |"),
    ):
        text = EXAMPLE.replace("language: ko", f"language: {language}").replace("중간고사", word).replace(", name: 기말고사", "")
        config, schedule, writers = example(text)
        messages = messages_for(language)
        summaries = [str(event["SUMMARY"]) for uid, event in events(calendar_ics(config, schedule, writers, messages)).items()
                     if uid.startswith("break-")]
        assert summaries == [word, word]
        table = render_calendar(schedule, config.study.name, messages)
        assert first in table and second in table
    named = render_calendar(example()[1], "x", messages_for("ko"))
    assert "| — | 4월 20일(수) 00:00 | 휴식: 중간고사 |" in named
