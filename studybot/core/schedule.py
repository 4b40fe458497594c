"""The calendar: which graded week is due when, in the study's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytz

from studybot.core.config import Break, StudyConfig, lay_out, localize


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


def build_schedule(config: StudyConfig) -> Schedule:
    """Lay out every graded week: weekly deadlines from ``first_deadline``, breaks skipped.

    A deadline keeps its local wall time across DST changes; the late window is counted in
    real time from the deadline's instant, so an hour the clock skips never shortens it (and
    a deadline written inside that hour still gets its whole window).
    """
    settings = config.schedule
    zone = pytz.timezone(config.study.timezone)
    weeks: list[Week] = []
    skipped: list[SkippedDeadline] = []
    for wall, pause in lay_out(settings):
        deadline = localize(zone, wall)
        if pause is not None:
            skipped.append(SkippedDeadline(deadline, pause.name))
            continue
        late_until = zone.normalize(deadline + settings.late_window)
        weeks.append(Week(number=settings.first_week + len(weeks), deadline=deadline, late_until=late_until))
    return Schedule(config.study.timezone, tuple(weeks), tuple(skipped), tuple(settings.breaks))
