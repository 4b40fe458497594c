"""Crediting unread work: `/studybot 인정 <이름> <주차> [사유]` (`credit`).

The bot tells the leader about work that looks like a hand-in but was not read as one (a
file outside the week folders, a comment link without a word of handing in, a push a rewrite
took off the branch). A maintainer's credit counts that item as the member's submission for a
week, at the item's own trusted time: the normal rules then judge it on time, late, or absent
after the cut-off, and an earlier real submission still wins.

Only the member's own unread work is credited. A file someone else put in her folder, or a
file that repeats another member's earlier one, is a question of whose work it is, which a
credit cannot answer (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from studybot.core.evidence import Evidence, Notice, Problem, Source, Submission
from studybot.core.landing import dropped_pushes
from studybot.core.members import Roster
from studybot.core.records import Activity
from studybot.core.state import Decisions, Override, Push

# What a credit may count: the member's own work the bot saw but did not read as a hand-in.
CREDITABLE = frozenset({
    Problem.FOLDER_OUTSIDE, Problem.FOLDER_UNMATCHED,
    Problem.UNCOUNTED_NO_WORD, Problem.UNCOUNTED_QUESTION, Problem.WEEK_NOT_OPEN, Problem.WEEK_CLOSED,
    Problem.DROPPED_PUSH,
})
OTHER_WEEK = frozenset({Problem.WEEK_NOT_OPEN, Problem.WEEK_CLOSED})
# Someone else's file in the member's folder, or another member's work first: never credited.
NOT_THEIRS = frozenset({Problem.FOLDER_FOREIGN, Problem.FOLDER_MOVED})


def whose(notice: Notice, roster: Roster) -> str | None:
    """The member a notice's unread work belongs to (a dropped push names its pusher's login)."""
    if notice.problem is Problem.DROPPED_PUSH:
        return roster.by_login(notice.other)
    return notice.member


def work_of(notice: Notice) -> str:
    """What the credit shows as the work: the folder's path or the comment's link (a dropped
    push's commit is off the branch, so nothing to show but its id in ``ref``)."""
    return "" if notice.problem is Problem.DROPPED_PUSH else notice.detail


_Key = tuple[str, str, str, str | None]


def _key(notice: Notice) -> _Key:
    """A notice as a credit names it (a dropped push by its commit: it names its pusher by login)."""
    member = None if notice.problem is Problem.DROPPED_PUSH else notice.member
    return notice.problem.value, work_of(notice), notice.ref, member


def _credited(overrides: Iterable[Override]) -> set[_Key]:
    return {
        (o.problem, o.work, o.ref, None if o.problem == Problem.DROPPED_PUSH.value else o.member)
        for o in overrides if o.kind == "credit"
    }


def unread_item(
    warnings: Sequence[Notice], roster: Roster, member: str, week: int, overrides: Iterable[Override]
) -> Notice | None:
    """The member's unread work a credit for ``week`` counts, or None.

    Items that name the week come first; an item that names no week (a file whose folder and
    commit message state none, a dropped push) is the maintainer's word for the week. Of
    those, the earliest; an item credited before is not credited twice.
    """
    done = _credited(overrides)
    found = [
        notice for notice in warnings
        if notice.problem in CREDITABLE and notice.at is not None and whose(notice, roster) == member
        and _key(notice) not in done
    ]
    # A comment that named a week it could not count for may be the week's work, mistyped.
    named = [n for n in found if n.week == week or (n.problem in OTHER_WEEK and n.other == str(week))]
    for pick in (named, [n for n in found if n.week is None]):
        if pick:
            return min(pick, key=lambda notice: (notice.at, notice.problem.value, notice.ref))
    return None


def not_theirs(warnings: Sequence[Notice], member: str, week: int) -> Notice | None:
    """A file of the week in the member's folder that was someone else's, which a credit does not count."""
    return next((n for n in warnings if n.problem in NOT_THEIRS and n.member == member and n.week == week), None)


def credit_override(notice: Notice, base: Override, week: int, reason: str) -> Override:
    """The ledger's record of a credit: who, when, which comment, and the item it counts."""
    return base.model_copy(update={
        "kind": "credit", "week": week, "reason": reason, "problem": notice.problem.value,
        "work": work_of(notice), "ref": notice.ref, "work_at": notice.at,
    })


def credit_evidence(decisions: Decisions, evidence: Evidence) -> None:
    """Each credit as a submission at its item's trusted time (the earliest submission still
    wins), and the credited items no longer told to the leader as unread."""
    for override in _credits(decisions):
        assert override.member is not None and override.week is not None and override.work_at is not None
        evidence.add(Submission(
            override.member, override.week, Source.CREDIT, override.work, override.work_at, True, override.by, override.ref,
        ))
    evidence.warnings[:] = uncredited(decisions, evidence.warnings)


def uncredited(decisions: Decisions, notices: Iterable[Notice]) -> list[Notice]:
    """``notices`` without the items a maintainer credited: those are no longer unread."""
    done = _credited(_credits(decisions))
    return [notice for notice in notices if _key(notice) not in done]


def _credits(decisions: Decisions) -> list[Override]:
    return [o for o in decisions.overrides if o.kind == "credit" and o.member and o.week and o.work_at]


def ledger_dropped_pushes(parents: Mapping[str, tuple[str, ...]], pushes: Iterable[Push]) -> list[Notice]:
    """The pushes a rewrite took off the branch, from every push the ledger kept (a run reads only
    the newest activity, and a credit usually comes in a later run than the rewrite)."""
    items = [
        Activity(index, "push", "", push.before, push.after, push.actor, push.at)
        for index, push in enumerate(sorted(pushes, key=lambda push: push.at))
    ]
    return dropped_pushes(parents, items)


def credit_for(decisions: Decisions, member: str, week: int, submission: Submission) -> Override:
    """The credit a week's submission rests on (a credited submission always has one), for the
    results to name who credited it and why."""
    return next(
        o for o in reversed(decisions.overrides)
        if o.kind == "credit" and o.member == member and o.week == week and o.work_at == submission.at
    )
