"""Trusted time: when each commit reached the default branch, from the server's activity log.

Commit dates are written by the client and can be set back; the activity API's push and merge
items carry the server's timestamp and the pusher. A commit counts at the push that brought
it, or at the time the bot first saw it, whichever is earlier; with neither, at its commit
date, marked untrusted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from studybot.core.evidence import Notice, Problem
from studybot.core.history import Stamp, StampFn
from studybot.core.members import Roster
from studybot.core.records import Activity, CommitInfo
from studybot.core.state import Push


@dataclass(frozen=True)
class Landing:
    """The push or merge that brought a commit to the branch."""

    at: dt.datetime
    actor: str | None  # GitHub login of the pusher or merger


def land_commits(
    parents: Mapping[str, tuple[str, ...]],
    head: str,
    pushes: Iterable[Push],
) -> dict[str, Landing]:
    """Map every commit reachable from ``head`` to the push that put it on the branch, where known.

    A commit counts at the first push whose ``after`` made it reachable from the branch (all
    parents walked, so a merge's second parent keeps its own push), and counts again from
    scratch when a rewrite took it off the branch: a commit pushed before a deadline,
    force-pushed away and brought back later (say as a merge's first parent) counts at its
    return. A merge whose first parent is not the old tip re-times nobody it keeps.
    """
    landed, _ = replay(parents, pushes)
    return {sha: landed[sha] for sha in _reach(parents, head, frozenset())[0] if sha in landed}


def replay(parents: Mapping[str, tuple[str, ...]], pushes: Iterable[Push]) -> tuple[dict[str, Landing], list[Push]]:
    """The pushes replayed in the activity log's order over what each made reachable from the branch.

    Returns when each reachable commit last came onto the branch, and the pushes that took
    commits off it (whose ``after`` no longer reaches their ``before``).
    """
    ordered = _ordered(pushes)
    landed: dict[str, Landing] = {}
    rewrites: list[Push] = []
    reach: set[str] = set()  # every commit reachable from ``tip``
    tip: str | None = None
    if ordered and ordered[0].before in parents:
        tip = ordered[0].before
        reach = _reach(parents, tip, frozenset())[0]
    for push in ordered:
        if push.after not in parents:
            continue  # a tip this checkout does not have (rewritten away since)
        new, met = _reach(parents, push.after, reach)
        if tip is not None and tip != push.after and tip not in met:
            # The old tip is off the branch: what it alone reached is dropped, the rest kept.
            kept = _reach(parents, push.after, frozenset())[0]
            for gone in reach - kept:
                landed.pop(gone, None)
            reach = kept
        else:
            reach |= new
        if _moved_off(parents, push, tip, new | met):
            rewrites.append(push)
        for commit in new:
            landed.setdefault(commit, Landing(push.at, push.actor))
        tip = push.after
    return landed, rewrites


def _ordered(pushes: Iterable[Push]) -> list[Push]:
    """In the activity log's order (its ids grow with server time); a push read twice counts once."""
    ordered: list[Push] = []
    read: set[tuple[str, str, dt.datetime]] = set()
    for push in pushes:
        if (push.before, push.after, push.at) not in read:
            read.add((push.before, push.after, push.at))
            ordered.append(push)
    return ordered


def _moved_off(parents: Mapping[str, tuple[str, ...]], push: Push, tip: str | None, met: set[str]) -> bool:
    """Whether ``push`` left its ``before`` unreachable from the branch (``met``: what its walk touched)."""
    before = push.before
    if not before.strip("0") or before == push.after:
        return False
    if before not in parents:
        return True  # every commit the new tip reaches is in the checkout: this one is not among them
    if before == tip:
        return before not in met
    return before not in reachable(parents, push.after)  # a gap in the log: walk it all


def reachable(parents: Mapping[str, tuple[str, ...]], tip: str) -> set[str]:
    """Every commit reachable from ``tip`` over all parents (those the checkout has)."""
    return _reach(parents, tip, frozenset())[0]


def _reach(
    parents: Mapping[str, tuple[str, ...]], tip: str, known: Set[str]
) -> tuple[set[str], set[str]]:
    """The commits reachable from ``tip`` over all parents that are not in ``known``, and the known ones the walk met."""
    found: set[str] = set()
    met: set[str] = set()
    stack = [tip]
    while stack:
        commit = stack.pop()
        if commit in found or commit not in parents:
            continue
        if commit in known:
            met.add(commit)
            continue
        found.add(commit)
        stack.extend(parents[commit])
    return found, met


def merged_sides(
    parents: Mapping[str, tuple[str, ...]], head: str, merges: Set[str]
) -> dict[str, list[str]]:
    """For each of ``merges`` on ``head``'s first-parent chain, the commits it brought onto the chain, parents first.

    Those are the commits a merge's second (and later) parents reach that no earlier commit
    of the chain reached: the side branch a ``git pull`` merged. One pass over the history.
    """
    chain: list[str] = []
    commit: str | None = head
    while commit is not None and commit in parents:
        chain.append(commit)
        commit = parents[commit][0] if parents[commit] else None
    seen: set[str] = set()
    sides: dict[str, list[str]] = {}
    for commit in reversed(chain):
        order: list[str] = []
        for side in parents[commit][1:]:
            _postorder(parents, side, seen, order)
        seen.add(commit)
        if commit in merges:
            sides[commit] = order
    return sides


def _postorder(parents: Mapping[str, tuple[str, ...]], tip: str, seen: set[str], order: list[str]) -> None:
    """Append the commits ``tip`` reaches that are not in ``seen`` to ``order``, each after its parents."""
    stack: list[tuple[str, bool]] = [(tip, False)]
    while stack:
        commit, done = stack.pop()
        if done:
            order.append(commit)
            continue
        if commit in seen or commit not in parents:
            continue
        seen.add(commit)
        stack.append((commit, True))
        stack.extend((parent, False) for parent in reversed(parents[commit]))


def file_pushes(
    changes: Iterable[str], parents: Mapping[str, tuple[str, ...]], head: str, pushes: Iterable[Push]
) -> list[Landing | None]:
    """Who pushed each commit that changed a file, and when (None where the activity log is silent)."""
    landed = land_commits(parents, head, pushes)
    return [landed.get(sha) for sha in changes]


def pushes_of(items: Iterable[Activity]) -> list[Push]:
    """The activity items that moved the branch to a commit, as the ledger keeps them."""
    moves = ("push", "force_push", "pr_merge", "merge_queue_merge", "branch_creation")
    return [
        Push(before=item.before, after=item.after, at=item.timestamp, actor=item.actor)
        for item in items
        if item.kind in moves and item.after.strip("0")
    ]


def force_pushes(items: Iterable[Activity]) -> list[Notice]:
    """One warning per force-push in the branch's activity: who rewrote it, when, from what to what.

    A rewritten branch can drop or re-time members' commits, so the leader should look.
    """
    return [
        Notice(Problem.FORCE_PUSH, detail=item.actor or "?", ref=item.after, other=item.before[:7], at=item.timestamp)
        for item in sorted(items, key=lambda item: (item.timestamp, item.id))
        if item.kind == "force_push"
    ]


def rewrites(parents: Mapping[str, tuple[str, ...]], items: Iterable[Activity]) -> list[Notice]:
    """Warnings about pushes that took commits off the branch.

    One per push, other than a force-push (warned already), whose new tip no longer reaches
    the old one; and one per member's push that a later push by someone else took off the
    branch (``dropped_pushes``). A merge that keeps the old tip reachable, whatever its first
    parent, is an ordinary ``git pull`` and no rewrite.
    """
    items = list(items)
    _, rewritten = replay(parents, pushes_of(items))
    moved = {(push.before, push.after) for push in rewritten}
    return [
        Notice(Problem.FORCE_PUSH, detail=item.actor or "?", ref=item.after, other=item.before[:7], at=item.timestamp)
        for item in sorted(items, key=lambda item: (item.timestamp, item.id))
        if item.kind != "force_push" and (item.before, item.after) in moved
    ] + dropped_pushes(parents, items)


def dropped_pushes(parents: Mapping[str, tuple[str, ...]], items: Iterable[Activity]) -> list[Notice]:
    """One warning per push whose commit the branch no longer reaches, naming who pushed it and who took it off.

    The activity log keeps a member's push (its server time and ``after``) after a rewrite
    (a squash, a force-push) took it off the branch; the checkout no longer has its commit, so
    what it held cannot be read, and a change of hers the rewrite carries on is the rewriter's
    now. The leader is told who rewrote whose push, to set it right by command
    where her work was in it. The push that took it off is the next one to a tip the
    checkout has; a rewriter's own pushes and the bots' are not listed.
    """
    ordered = sorted(pushes_of(items), key=lambda push: push.at)
    notices: list[Notice] = []
    lost: list[Push] = []
    for push in ordered:
        if push.after not in parents:
            lost.append(push)
            continue
        for gone in lost:
            actor = gone.actor or ""
            if actor.lower() != (push.actor or "").lower() and not actor.endswith("[bot]"):
                notices.append(
                    Notice(Problem.DROPPED_PUSH, detail=push.actor or "?", ref=gone.after, other=actor or "?", at=gone.at)
                )
        lost = []
    return notices


def landed_stamp(
    roster: Roster,
    landed: Mapping[str, Landing],
    first_seen: Mapping[str, dt.datetime],
) -> StampFn:
    """Timing for ``timing: landed``: server push time or first sight, else the commit date."""

    def stamp(commit: CommitInfo) -> Stamp:
        landing = landed.get(commit.sha)
        seen = first_seen.get(commit.sha)
        if landing is not None and (seen is None or landing.at <= seen):
            actor = roster.logins.get((landing.actor or "").lower())
            return Stamp(landing.at, True, actor)
        if seen is not None:
            # Seen by the bot but not in the activity log (older than it keeps): the author
            # stands in for the pusher.
            return Stamp(seen, True, roster.author(commit.author_email))
        return Stamp(commit.committed_at, False, roster.author(commit.author_email))

    return stamp
