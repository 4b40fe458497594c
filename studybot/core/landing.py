"""Trusted time: when each commit reached the default branch, from the server's activity log.

Commit dates are written by the client and can be set back; the activity API's push and merge
items carry the server's timestamp and the pusher. A commit counts at the push that brought
it, or at the time the bot first saw it, whichever is earlier; with neither, at its commit
date, marked untrusted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
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

    A commit counts at the push that made it reachable on the branch's first-parent chain, and
    counts again from scratch when a rewrite took it off that chain: a commit pushed before a
    deadline, force-pushed away and brought back later (say as a merge's first parent) counts
    at its return. Commits of merged branches arrive with the first-parent commit that
    reaches them.
    """
    landed, _ = replay(parents, pushes)
    chain: list[str] = []
    commit: str | None = head
    while commit is not None and commit in parents:
        chain.append(commit)
        commit = parents[commit][0] if parents[commit] else None
    on_head = {sha: landed[sha] for sha in chain if sha in landed}
    # Side branches: oldest first-parent commit first, so each side commit gets the first
    # merge that brought it in.
    seen = set(chain)
    for commit in reversed(chain):
        landing = on_head.get(commit)
        stack = list(parents[commit][1:])
        while stack:
            side = stack.pop()
            if side in seen or side not in parents:
                continue
            seen.add(side)
            if landing is not None:
                on_head[side] = landing
            stack.extend(parents[side])
    return on_head


def replay(parents: Mapping[str, tuple[str, ...]], pushes: Iterable[Push]) -> tuple[dict[str, Landing], list[Push]]:
    """The pushes replayed in the activity log's order over the branch's first-parent chain.

    Returns when each first-parent commit last came onto the chain, and the pushes that took
    commits off it (whose new first-parent chain no longer holds the old tip).
    """
    # In the activity log's order (its ids grow with server time); a push read twice counts once.
    ordered: list[Push] = []
    read: set[tuple[str, str, dt.datetime]] = set()
    for push in pushes:
        if (push.before, push.after, push.at) not in read:
            read.add((push.before, push.after, push.at))
            ordered.append(push)
    landed: dict[str, Landing] = {}
    rewrites: list[Push] = []
    chain: list[str] = []  # the tip's first-parent chain, oldest first
    position: dict[str, int] = {}
    if ordered:
        _extend(chain, position, _walk(parents, ordered[0].before, position))
    for push in ordered:
        if push.after not in parents:
            continue  # a tip this checkout does not have (rewritten away since)
        walked = _walk(parents, push.after, position)
        stop = parents[walked[-1]][0] if walked and parents[walked[-1]] else (push.after if not walked else None)
        keep = position[stop] + 1 if stop is not None and stop in position else 0
        if keep < len(chain):
            rewrites.append(push)
            for removed in chain[keep:]:
                del position[removed]
                landed.pop(removed, None)
            del chain[keep:]
        _extend(chain, position, walked)
        for commit in walked:
            landed.setdefault(commit, Landing(push.at, push.actor))
    return landed, rewrites


def _walk(parents: Mapping[str, tuple[str, ...]], tip: str, known: Mapping[str, int]) -> list[str]:
    """First-parent commits from ``tip`` down to (not including) the first one already known, newest first."""
    walked: list[str] = []
    commit: str | None = tip
    while commit is not None and commit in parents and commit not in known:
        walked.append(commit)
        commit = parents[commit][0] if parents[commit] else None
    return walked


def _extend(chain: list[str], position: dict[str, int], walked: list[str]) -> None:
    for commit in reversed(walked):
        position[commit] = len(chain)
        chain.append(commit)


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
    """One warning per push, other than a force-push (warned already), that took commits off the branch.

    A merge whose first parent is not the old tip moves the branch like a force-push does,
    though the activity log calls it a push.
    """
    items = list(items)
    _, rewritten = replay(parents, pushes_of(items))
    moved = {(push.before, push.after) for push in rewritten}
    return [
        Notice(Problem.FORCE_PUSH, detail=item.actor or "?", ref=item.after, other=item.before[:7], at=item.timestamp)
        for item in sorted(items, key=lambda item: (item.timestamp, item.id))
        if item.kind != "force_push" and (item.before, item.after) in moved
    ]


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
