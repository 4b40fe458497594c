"""Verdicts at the exact boundaries of SPEC §1, and the fines they carry."""

from __future__ import annotations

import pytest
from helpers import kst

from studybot.core.config import Fines, Member
from studybot.core.evidence import Source, Submission
from studybot.core.rules import Tally, fine_for, judge
from studybot.core.verdicts import Verdict

MEMBER = Member(name="장서진")
FINES = Fines(late=3000, absent=4000)


def handed_in(at):
    return Submission("장서진", 1, Source.README, "https://example.com", at, trusted=True)


@pytest.mark.parametrize(
    ("at", "verdict"),
    [
        (kst(2022, 4, 12, 23, 59, 59, 999000), Verdict.ON_TIME),
        (kst(2022, 4, 13, 0, 0, 0), Verdict.LATE),
        (kst(2022, 4, 13, 11, 59, 59), Verdict.LATE),
        (kst(2022, 4, 13, 12, 0, 0), Verdict.ABSENT),
    ],
)
def test_boundaries_of_the_seed_rules(seed_schedule, at, verdict):
    """23:59:59.999 Tuesday is on time, Wednesday 00:00 and 11:59:59 late, 12:00 absent."""
    week = seed_schedule.week(1)
    assert judge(week, MEMBER, handed_in(at), now=kst(2022, 4, 14)) is verdict


def test_nothing_yet_is_pending_until_the_cutoff(seed_schedule):
    """Without a submission a member is pending until Wednesday 12:00 and absent from then on."""
    week = seed_schedule.week(1)
    assert judge(week, MEMBER, None, now=kst(2022, 4, 13, 11, 59, 59)) is Verdict.PENDING
    assert judge(week, MEMBER, None, now=kst(2022, 4, 13, 12)) is Verdict.ABSENT


def test_a_submission_from_the_future_of_now_does_not_count_yet(seed_schedule):
    """Judging as of an earlier instant ignores what came after it."""
    week = seed_schedule.week(1)
    later = handed_in(kst(2022, 4, 13, 9))
    assert judge(week, MEMBER, later, now=kst(2022, 4, 13, 8)) is Verdict.PENDING


def test_excused_and_not_member(seed_schedule):
    """A waiver beats absence; a week outside a member's range is not theirs."""
    week = seed_schedule.week(3)
    assert judge(week, MEMBER, None, now=kst(2022, 6, 1), excused=True) is Verdict.EXCUSED
    newcomer = Member(name="새멤버", joined_week=4)
    leaver = Member(name="떠남", left_week=3)
    assert judge(week, newcomer, None, now=kst(2022, 6, 1)) is Verdict.NOT_MEMBER
    assert judge(week, leaver, None, now=kst(2022, 6, 1)) is Verdict.NOT_MEMBER
    assert judge(seed_schedule.week(2), leaver, None, now=kst(2022, 6, 1)) is Verdict.ABSENT


def test_fines_follow_the_verdict():
    """Late costs 3,000, absent 4,000, everything else nothing."""
    assert {verdict: fine_for(verdict, FINES) for verdict in Verdict} == {
        Verdict.ON_TIME: 0, Verdict.LATE: 3000, Verdict.ABSENT: 4000,
        Verdict.PENDING: 0, Verdict.EXCUSED: 0, Verdict.NOT_MEMBER: 0,
    }


def test_tally_counts_and_sums():
    """A member's totals add up their verdicts and fines."""
    tally = Tally()
    for verdict in (Verdict.ON_TIME, Verdict.LATE, Verdict.ABSENT, Verdict.EXCUSED, Verdict.NOT_MEMBER):
        tally = tally.add(verdict, fine_for(verdict, FINES))
    assert (tally.on_time, tally.late, tally.absent, tally.excused, tally.fines) == (1, 1, 1, 1, 7000)
