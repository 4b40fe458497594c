"""The calendar feed for a schedule with no graded weeks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from importlib import resources

from icalendar import Calendar

from studybot.core.config import parse_config
from studybot.core.icsfeed import calendar_ics, stamp
from studybot.core.messages import messages_for
from studybot.core.schedule import build_schedule

EXAMPLE = resources.files("studybot").joinpath("example", "study.yml").read_text(encoding="utf-8")


def test_a_schedule_without_weeks_gives_a_valid_feed_with_only_breaks():
    """With no graded weeks the feed still parses, stamped at the epoch, with no deadline events."""
    config = parse_config(EXAMPLE, "study.yml")
    schedule = dataclasses.replace(build_schedule(config), weeks=())
    assert stamp(schedule) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    data = calendar_ics(config, schedule, {}, messages_for("ko"))
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(data).walk("VEVENT")]
    assert summaries and all("고사" in summary for summary in summaries)
