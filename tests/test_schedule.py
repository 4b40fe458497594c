"""The calendar: weekly deadlines in the study's zone, breaks skipped, DST respected."""

from __future__ import annotations

import datetime as dt

import pytz
from helpers import kst

from studybot.core.config import parse_config
from studybot.core.schedule import build_schedule


def config_with(zone: str = "Asia/Seoul", first: str = "2022-04-13 00:00", weeks: int = 3, extra: str = ""):
    return parse_config(
        f"""\
study: {{name: T, timezone: {zone}}}
schedule:
  weeks: {weeks}
  first_deadline: {first}
  first_week: 1
{extra}fines: {{late: 3000, absent: 4000}}
members: [{{name: A}}]
"""
    )


def test_seed_weeks_fall_on_wednesday_midnight_with_breaks_skipped(seed_schedule):
    """Week 1 is due 04-13 and week 2 on 05-04: the midterm weeks grade nothing."""
    deadlines = {week.number: week.deadline for week in seed_schedule.weeks}
    assert len(deadlines) == 12
    assert deadlines[1] == kst(2022, 4, 13)
    assert deadlines[2] == kst(2022, 5, 4)
    assert deadlines[8] == kst(2022, 6, 29)
    assert deadlines[12] == kst(2022, 7, 27)
    assert all(deadline.astimezone(pytz.timezone("Asia/Seoul")).weekday() == 2 for deadline in deadlines.values())
    assert [skip.break_name for skip in seed_schedule.skipped] == ["중간고사"] * 2 + ["기말고사"] * 2


def test_late_window_closes_at_wednesday_noon(seed_schedule):
    """The late window ends 12 hours after the deadline: Wednesday 12:00 KST."""
    assert seed_schedule.week(1).late_until == kst(2022, 4, 13, 12)


def test_seoul_offset_is_nine_hours_not_lmt(seed_schedule):
    """Deadlines carry +09:00, never the +08:28 local mean time a naive pytz use gives."""
    for week in seed_schedule.weeks:
        assert week.deadline.utcoffset() == dt.timedelta(hours=9)
        assert week.deadline.isoformat().endswith("+09:00")


def test_dst_keeps_the_local_wall_time():
    """In Berlin a weekly deadline stays at 00:00 local time across the March change."""
    schedule = build_schedule(config_with("Europe/Berlin", "2024-03-20 00:00", 3))
    local = [week.deadline.astimezone(pytz.timezone("Europe/Berlin")) for week in schedule.weeks]
    assert [moment.strftime("%Y-%m-%d %H:%M") for moment in local] == [
        "2024-03-20 00:00", "2024-03-27 00:00", "2024-04-03 00:00",
    ]
    assert [moment.utcoffset() for moment in local] == [
        dt.timedelta(hours=1), dt.timedelta(hours=1), dt.timedelta(hours=2),
    ]
    assert schedule.weeks[2].deadline - schedule.weeks[1].deadline == dt.timedelta(days=7, hours=-1)


def test_first_week_number_is_honoured():
    """Numbering starts at first_week (a study with a graded 0주차 starts at 0)."""
    config = config_with(extra="").model_copy(
        update={"schedule": config_with().schedule.model_copy(update={"first_week": 0})}
    )
    assert [week.number for week in build_schedule(config).weeks] == [0, 1, 2]


def test_a_break_covering_a_deadline_date_shifts_later_weeks():
    """A deadline whose local date lies in a break is skipped; week numbers continue after it."""
    schedule = build_schedule(
        config_with(extra="  breaks:\n    - {from: 2022-04-20, to: 2022-04-20, name: x}\n")
    )
    assert [week.deadline for week in schedule.weeks] == [
        kst(2022, 4, 13), kst(2022, 4, 27), kst(2022, 5, 4),
    ]


def test_current_week_and_visible_weeks(seed_schedule):
    """The current week is the next deadline; reports show weeks due within the coming 7 days."""
    assert seed_schedule.current(kst(2022, 4, 12, 23, 59)).number == 1
    assert seed_schedule.current(kst(2022, 4, 13)).number == 2
    assert seed_schedule.current(kst(2022, 8, 1)) is None
    assert [week.number for week in seed_schedule.visible(kst(2022, 5, 26))] == [1, 2, 3, 4, 5, 6]


def _one_hour_window(zone: str, first: str):
    return build_schedule(config_with(zone, first, 2, extra="  late_window: 1h\n"))


def test_a_deadline_in_the_berlin_spring_gap_keeps_its_late_window():
    """02:30 does not exist on 2022-03-27 in Berlin; the deadline is 03:30 CEST and the 1h window still lasts an hour."""
    week = _one_hour_window("Europe/Berlin", "2022-03-27 02:30").weeks[0]
    assert week.deadline.isoformat() == "2022-03-27T03:30:00+02:00"
    assert week.late_until - week.deadline == dt.timedelta(hours=1)


def test_a_deadline_in_the_new_york_spring_gap_keeps_its_late_window():
    """02:30 does not exist on 2022-03-13 in New York; the late window is still one real hour."""
    schedule = _one_hour_window("America/New_York", "2022-03-13 02:30")
    assert schedule.weeks[0].late_until - schedule.weeks[0].deadline == dt.timedelta(hours=1)
    assert schedule.local(schedule.weeks[0].late_until).isoformat() == "2022-03-13T04:30:00-04:00"
    assert schedule.local(schedule.weeks[1].deadline).isoformat() == "2022-03-20T02:30:00-04:00"


def test_a_late_window_across_a_dst_change_is_counted_in_real_hours():
    """A 12h window from Saturday 20:00 across the Berlin spring change ends Sunday 09:00 local (12 real hours)."""
    schedule = build_schedule(config_with("Europe/Berlin", "2024-03-30 20:00", 1, extra="  late_window: 12h\n"))
    week = schedule.weeks[0]
    assert week.late_until - week.deadline == dt.timedelta(hours=12)
    assert schedule.local(week.late_until).strftime("%Y-%m-%d %H:%M") == "2024-03-31 09:00"


def test_an_ambiguous_autumn_deadline_is_read_as_standard_time():
    """02:30 happens twice on 2022-10-30 in Berlin; the deadline is the second one (+01:00)."""
    week = _one_hour_window("Europe/Berlin", "2022-10-30 02:30").weeks[0]
    assert week.deadline.isoformat() == "2022-10-30T02:30:00+01:00"
    assert week.late_until - week.deadline == dt.timedelta(hours=1)
