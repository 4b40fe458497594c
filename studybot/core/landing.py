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
    """Map every commit reachable from ``head`` to the push that brought it, where known.

    Walks the first-parent chain from the newest commit: a push moved the branch from
    ``before`` to ``after``, so ``after`` and its first-parent ancestors down to (not
    including) ``before`` arrived together. Commits of merged branches arrive with the first
    first-parent commit that reaches them.
    """
    by_after: dict[str, Push] = {}
    for push in sorted(pushes, key=lambda push: push.at):
        by_after.setdefault(push.after, push)  # the earliest push that made it the tip wins
    chain: list[str] = []
    commit: str | None = head
    while commit is not None and commit in parents:
        chain.append(commit)
        commit = parents[commit][0] if parents[commit] else None
    landed: dict[str, Landing] = {}
    current: Push | None = None
    for commit in chain:
        if current is not None and commit == current.before:
            current = None
        if commit in by_after:
            current = by_after[commit]
        if current is not None:
            landed[commit] = Landing(current.at, current.actor)
    # Side branches: oldest first-parent commit first, so each side commit gets the first
    # merge that brought it in.
    seen = set(chain)
    for commit in reversed(chain):
        landing = landed.get(commit)
        stack = list(parents[commit][1:])
        while stack:
            side = stack.pop()
            if side in seen or side not in parents:
                continue
            seen.add(side)
            if landing is not None:
                landed[side] = landing
            stack.extend(parents[side])
    return landed


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
