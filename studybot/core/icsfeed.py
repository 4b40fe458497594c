"""The calendar feed (RFC 5545): deadlines, late cut-offs, breaks and blog turns members subscribe to.

Times carry the study's TZID with a VTIMEZONE limited to the term, so a member's calendar shows
the deadline as the study sees it ("Wednesday 00:00 KST") and converts it for members abroad;
a VTIMEZONE for the term only keeps the bytes independent of far-off tz database changes.
Nothing here reads the clock: the same config gives the same bytes, so the committed feed
changes only when the calendar does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping

from icalendar import Calendar, Event
from icalendar.prop import vDuration

from studybot.core.config import StudyConfig
from studybot.core.messages import Messages
from studybot.core.report import Report
from studybot.core.schedule import Schedule, Week

# Subscribed calendars poll on their own schedule; this asks for twice a day (Apple, Outlook).
REFRESH = dt.timedelta(hours=12)

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def slug(name: str) -> str:
    """The study name as a UID domain part: ASCII letters, digits and dashes, never empty."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if text:
        return text
    # A name without ASCII letters (e.g. all Hangul) still needs a stable, distinct domain.
    return "study-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def uid(study: str, week: int, kind: str) -> str:
    """Stable per (study, week, kind): a re-published feed updates an event instead of adding one."""
    return f"week-{week}-{kind}@{slug(study)}.studybot"


def break_uid(study: str, start: dt.date) -> str:
    """A break is known by its first day: moving it replaces the event, renaming it updates it."""
    return f"break-{start.isoformat()}@{slug(study)}.studybot"


def plain(text: str) -> str:
    """Member text as one line of calendar text (icalendar escapes commas, semicolons, backslashes)."""
    return _CONTROL.sub(" ", text).strip()


def stamp(schedule: Schedule) -> dt.datetime:
    """DTSTAMP from the data, not the clock: one week before the first deadline, in UTC.

    A subscribed feed is not an iTIP message (no METHOD), so clients match events by UID and
    replace them on refresh; DTSTAMP only has to be present and valid.
    """
    if not schedule.weeks:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (schedule.weeks[0].deadline - dt.timedelta(weeks=1)).astimezone(dt.UTC)


def _writers(report_or_writers: Report | Mapping[int, str | None]) -> Mapping[int, str | None]:
    if isinstance(report_or_writers, Report):
        return report_or_writers.writers
    return report_or_writers


def _instant_event(
    key: str, summary: str, description: str, at: dt.datetime, created: dt.datetime, schedule: Schedule
) -> Event:
    event = Event()
    event.add("uid", key)
    event.add("dtstamp", created)
    event.add("summary", summary)
    event.add("description", description)
    local = schedule.local(at)
    event.add("dtstart", local)
    # A deadline is an instant: a zero-length event that does not block anyone's free time.
    event.add("dtend", local)
    event.add("transp", "TRANSPARENT")
    return event


def _day_event(
    key: str, summary: str, description: str, first: dt.date, last: dt.date, created: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", key)
    event.add("dtstamp", created)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("dtstart", first)
    event.add("dtend", last + dt.timedelta(days=1))  # DTEND of an all-day span is exclusive
    event.add("transp", "TRANSPARENT")
    return event


def _week_events(
    config: StudyConfig, schedule: Schedule, week: Week, writer: str | None, messages: Messages, created: dt.datetime
) -> list[Event]:
    study, currency = config.study.name, config.study.currency
    deadline, late_until = schedule.local(week.deadline), schedule.local(week.late_until)
    fields = {
        "week": week.number,
        "deadline": messages.when(deadline),
        "late_until": messages.when(late_until),
        "late_fine": messages.money(config.fines.late, currency),
        "absent_fine": messages.money(config.fines.absent, currency),
    }
    events = [
        _instant_event(
            uid(study, week.number, "deadline"),
            messages.t("ics.deadline", **fields),
            messages.t("ics.deadline_note", **fields),
            week.deadline,
            created,
            schedule,
        ),
        _instant_event(
            uid(study, week.number, "late-cutoff"),
            messages.t("ics.late_cutoff", **fields),
            messages.t("ics.late_cutoff_note", **fields),
            week.late_until,
            created,
            schedule,
        ),
    ]
    if writer:
        name = plain(writer)
        events.append(
            _day_event(
                uid(study, week.number, "blog"),
                messages.t("ics.blog", week=week.number, member=name),
                messages.t("ics.blog_note", week=week.number, member=name, deadline=fields["deadline"]),
                deadline.date(),
                deadline.date(),
                created,
            )
        )
    return events


def calendar_ics(
    config: StudyConfig,
    schedule: Schedule,
    report_or_writers: Report | Mapping[int, str | None],
    messages: Messages,
) -> bytes:
    """The study's calendar as an iCalendar feed (CRLF lines, folded at 75 octets).

    Per graded week: the deadline and the late cut-off as zero-length events at their instants,
    and the team-blog turn as an all-day event on the deadline's local date. Each break is an
    all-day span. ``report_or_writers`` gives the blog writers: a Report's ``writers`` (swaps
    included) or a mapping week → member name.
    """
    writers = _writers(report_or_writers)
    created = stamp(schedule)
    study = config.study.name
    feed = Calendar()
    feed.add("prodid", f"-//studybot//{plain(study)}//{messages.language.upper()}")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("name", messages.t("ics.calendar_name", study=plain(study)))
    feed.add("x-wr-calname", messages.t("ics.calendar_name", study=plain(study)))
    feed.add("x-wr-timezone", schedule.timezone)
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))
    for week in schedule.weeks:
        for event in _week_events(config, schedule, week, writers.get(week.number), messages, created):
            feed.add_component(event)
    for pause in schedule.breaks:
        name = messages.break_name(plain(pause.name))
        feed.add_component(
            _day_event(
                break_uid(study, pause.start),
                messages.t("ics.break", name=name) if name else messages.t("ics.break_only"),
                "",
                pause.start,
                pause.end,
                created,
            )
        )
    if schedule.weeks:
        # Bounded to the term (with a week's margin) so tz database changes outside it never
        # rewrite the committed file.
        first = schedule.local(schedule.weeks[0].deadline).date() - dt.timedelta(weeks=1)
        last = schedule.local(schedule.weeks[-1].late_until).date() + dt.timedelta(weeks=1)
        feed.add_missing_timezones(first_date=first, last_date=last)
    ical: bytes = feed.to_ical()  # icalendar leaves the return type of to_ical unannotated
    return ical
