"""Verdicts and fines: the study's rules applied to one (member, week) and summed up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from studybot.core.config import Fines, Member
from studybot.core.evidence import Submission
from studybot.core.schedule import Week
from studybot.core.verdicts import Verdict


def judge(
    week: Week,
    member: Member,
    submission: Submission | None,
    now: dt.datetime,
    excused: bool = False,
) -> Verdict:
    """Decide one member's week: before the deadline on time, within the late window late."""
    if not member.active_in(week.number):
        return Verdict.NOT_MEMBER
    if excused:
        return Verdict.EXCUSED
    if submission is not None and submission.at <= now:
        if submission.at < week.deadline:
            return Verdict.ON_TIME
        if submission.at < week.late_until:
            return Verdict.LATE
    return Verdict.ABSENT if week.is_final(now) else Verdict.PENDING


def fine_for(verdict: Verdict, fines: Fines) -> int:
    if verdict is Verdict.LATE:
        return fines.late
    if verdict is Verdict.ABSENT:
        return fines.absent
    return 0


@dataclass(frozen=True)
class Tally:
    """A member's counts over the weeks judged so far."""

    on_time: int = 0
    late: int = 0
    absent: int = 0
    excused: int = 0
    pending: int = 0
    fines: int = 0

    def add(self, verdict: Verdict, fine: int) -> Tally:
        counts = {
            "on_time": self.on_time,
            "late": self.late,
            "absent": self.absent,
            "excused": self.excused,
            "pending": self.pending,
        }
        if verdict.value in counts:
            counts[verdict.value] += 1
        return Tally(**counts, fines=self.fines + fine)
