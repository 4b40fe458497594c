"""The calendar: which graded week is due when, in the study's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytz

from studybot.core.config import Break, StudyConfig

# Far more weekly deadlines than any study has; stops a schedule made only of breaks.
_MAX_CANDIDATES = 5200


@dataclass(frozen=True)
class Week:
    """One graded week: due before ``deadline``, late until ``late_until``, absent after."""

    number: int
    deadline: dt.datetime
    late_until: dt.datetime

    def is_final(self, now: dt.datetime) -> bool:
        """A week's verdicts are final once the late window has closed."""
        return now >= self.late_until


@dataclass(frozen=True)
class SkippedDeadline:
    """A weekly deadline that fell inside a break and so graded nothing."""

    deadline: dt.datetime
    break_name: str


@dataclass(frozen=True)
class Schedule:
    timezone: str
    weeks: tuple[Week, ...]
    skipped: tuple[SkippedDeadline, ...]
    breaks: tuple[Break, ...]

    @property
    def zone(self) -> dt.tzinfo:
        return pytz.timezone(self.timezone)

    def week(self, number: int) -> Week | None:
        return next((week for week in self.weeks if week.number == number), None)

    def current(self, now: dt.datetime) -> Week | None:
        """The week whose deadline is the next one at or after ``now`` (None after the last)."""
        return next((week for week in self.weeks if now < week.deadline), None)

    def visible(self, now: dt.datetime, ahead: dt.timedelta = dt.timedelta(days=7)) -> tuple[Week, ...]:
        """Weeks whose deadline is at or before ``now + ahead`` (what reports show)."""
        return tuple(week for week in self.weeks if week.deadline <= now + ahead)

    def local(self, instant: dt.datetime) -> dt.datetime:
        """The instant in the study's zone."""
        return instant.astimezone(self.zone)


def localize(zone: dt.tzinfo, naive: dt.datetime) -> dt.datetime:
    """Attach the zone's offset for that wall time (pytz needs ``localize``; tzinfo= gives LMT)."""
    # is_dst=False picks standard time for an ambiguous wall time and shifts a missing one.
    return zone.localize(naive, is_dst=False)  # type: ignore[attr-defined]


def build_schedule(config: StudyConfig) -> Schedule:
    """Lay out every graded week: weekly deadlines from ``first_deadline``, breaks skipped."""
    settings = config.schedule
    zone = pytz.timezone(config.study.timezone)
    weeks: list[Week] = []
    skipped: list[SkippedDeadline] = []
    for step in range(_MAX_CANDIDATES):
        if len(weeks) == settings.weeks:
            break
        # Wall-clock arithmetic: a deadline keeps its local time across DST changes.
        wall = settings.first_deadline + dt.timedelta(weeks=step)
        pause = next((item for item in settings.breaks if item.covers(wall.date())), None)
        if pause is not None:
            skipped.append(SkippedDeadline(localize(zone, wall), pause.name))
            continue
        weeks.append(
            Week(
                number=settings.first_week + len(weeks),
                deadline=localize(zone, wall),
                late_until=localize(zone, wall + settings.late_window),
            )
        )
    return Schedule(config.study.timezone, tuple(weeks), tuple(skipped), tuple(settings.breaks))
