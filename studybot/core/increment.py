"""The history replay a run keeps in the ledger, and whether the next run can stand on it.

Replaying the README's history and the week folders commit by commit is a run's costliest
work, and most runs bring no commit that changes a row or a week folder. A run that commits
keeps what its replay found (``Replay`` in the sync state: the head it ended at, the table's
place in the README there, and the evidence). The next run reads only the commits after that
head (``GitRecords.since``) and reuses the kept evidence when all of these hold:

- the config in force and the timing are the ones the replay judged by (``key``);
- every commit up to that head still counts when and as whom it counted then (``stamps``:
  a push read since, or a first sighting, can re-time an old commit);
- no commit after it touched the table (its rows or its edges) or a week folder's content,
  and none is a merge.

Otherwise the run reads the whole history and replays it (``NeedsHistory``). Either way the
evidence is the one a full replay gives: the commits after the head, when they touch neither
the table nor a folder, add nothing to a replay, and the table only moves up or down.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from studybot.core.config import StudyConfig
from studybot.core.evidence import BlogPost, Evidence, Notice, Problem, Source, Submission
from studybot.core.history import ReadmeHistory, StampFn, folder_evidence
from studybot.core.landing import Landing, reachable
from studybot.core.records import PatchCommit
from studybot.core.regions import without_regions
from studybot.core.state import Replay, SyncState
from studybot.core.world import GitRecords


class NeedsHistory(Exception):
    """The world holds only the commits after the kept replay, and that replay cannot be reused."""


@dataclass
class HistoryEvidence(Evidence):
    """The history's evidence, with the replay to keep for the next run (``remember_replay``)."""

    kept: Replay | None = field(default=None, compare=False, repr=False)
    full: bool = True  # whether this run replayed the whole history (False: it reused the ledger's)


def replay_key(config: StudyConfig, landed: bool, readme_read: bool) -> str:
    """What a replay judged by: the config in force, the timing, and whether the README was read."""
    text = json.dumps([config.model_dump(mode="json"), landed, readme_read], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamps_digest(
    parents: Mapping[str, tuple[str, ...]],
    tip: str,
    landing: Mapping[str, Landing] | None,
    first_seen: Mapping[str, dt.datetime],
) -> str:
    """When each commit up to ``tip`` counts and who brought it, as one digest.

    A commit's stamp is a function of its own record (fixed by its id), its landing and its
    first sighting; offline or with ``timing: authored`` it is the commit's alone.
    """
    if landing is None:
        return "authored"
    lines = []
    for sha in sorted(reachable(parents, tip)):
        land = landing.get(sha)
        seen = first_seen.get(sha)
        lines.append(
            f"{sha} {land.at.isoformat() if land else '-'} {land.actor if land else '-'} {seen.isoformat() if seen else '-'}"
        )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Timing:
    """How this run times commits: the stamp, and what it is made of (for the digest)."""

    stamp: StampFn
    landing: Mapping[str, Landing] | None
    first_seen: Mapping[str, dt.datetime]


def replay_history(
    config: StudyConfig,
    git: GitRecords,
    timing: Timing,
    weeks: Iterable[int],
    kept: Replay | None,
    key: str,
    *,
    keep: bool = True,
) -> tuple[Evidence, Evidence, Replay | None, bool]:
    """The README's and the folders' evidence, the replay to keep, and whether it was replayed in full.

    ``git.since`` set: reuse ``kept`` if it can stand (see the module), else ``NeedsHistory``.
    ``keep`` False (offline: nothing is saved): no replay to keep is made.
    """
    weeks = list(weeks)
    head = git.head
    if git.since is not None:
        reused = _reuse(config, git, timing, weeks, kept, key)
        if reused is None:
            raise NeedsHistory
        return reused
    readme, span = Evidence(), None
    if config.submissions.readme.enabled:
        history = ReadmeHistory(config, timing.stamp)
        for patch in git.readme_patches:
            history.apply(patch)
        readme, span = history.result(), history.span
    folders = _folders(config, git, timing.stamp, weeks)
    replay = None
    if head is not None and keep:
        stamps = stamps_digest(git.parents, head, timing.landing, timing.first_seen)
        replay = Replay(
            head=head, key=key, stamps=stamps, span=list(span) if span is not None else None, evidence=encode(readme, folders)
        )
    return readme, folders, replay, True


def _folders(config: StudyConfig, git: GitRecords, stamp: StampFn, weeks: list[int]) -> Evidence:
    if not config.submissions.folders.enabled:
        return Evidence()
    blobs = git.blobs
    return folder_evidence(config, git.folder_changes, lambda shas: {sha: blobs[sha] for sha in shas if sha in blobs}, stamp, weeks)


def _reuse(
    config: StudyConfig, git: GitRecords, timing: Timing, weeks: list[int], kept: Replay | None, key: str
) -> tuple[Evidence, Evidence, Replay | None, bool] | None:
    """The kept replay carried over the commits after it, or None when it cannot stand for a full one."""
    if kept is None or git.head is None or kept.head != git.since or kept.key != key:
        return None
    if stamps_digest(git.parents, kept.head, timing.landing, timing.first_seen) != kept.stamps:
        return None
    span = tuple(kept.span) if kept.span is not None else None
    if config.submissions.readme.enabled:
        for patch in git.readme_patches:
            moved = _moved(span, patch)
            if moved is None:
                return None
            span = moved
    if config.submissions.folders.enabled:
        added = _folders(config, git, timing.stamp, weeks)
        if added.submissions or added.warnings:
            return None
    readme, folders = decode(kept.evidence)
    stamps = stamps_digest(git.parents, git.head, timing.landing, timing.first_seen)
    replay = kept.model_copy(update={"head": git.head, "stamps": stamps, "span": list(span) if span is not None else None})
    return readme, folders, replay, False


def _moved(span: tuple[int, ...] | None, patch: PatchCommit) -> tuple[int, ...] | None:
    """The table's span after ``patch`` when the patch leaves every row alone, else None.

    The same reading of ``-U0`` hunks as ``ReadmeHistory.apply``: a hunk wholly above the
    table (not touching the line just before it) moves it, one wholly below (not touching the
    line just after it) leaves it; anything else may change a row, and is replayed.
    """
    if span is None or patch.merged:
        return None
    start, end = span
    shift = 0
    for hunk in patch.hunks:
        low = hunk.old_start if hunk.old_count == 0 else hunk.old_start - 1
        high = low + hunk.old_count
        if high <= start - 1:
            shift += hunk.new_count - hunk.old_count
        elif low < end + 1:
            return None
    return (start + shift, end + shift)


BOT_REGIONS = ("fines", "rotation", "picture")  # the README regions the bot renders (render.py, picture.py)


def kept_notices(replay: Replay | None, key: str, text: str) -> list[Notice] | None:
    """The table's notices the last replay kept, when the README and what judged it are unchanged."""
    if replay is None or replay.key != key or not replay.notices or replay.table != _digest(text):
        return None
    return decode(replay.notices)[0].warnings


def with_notices(replay: Replay, text: str, notices: list[Notice]) -> Replay:
    """``replay`` with the notices of the README table as it is now, read from ``text``."""
    return replay.model_copy(update={"table": _digest(text), "notices": encode(Evidence(warnings=list(notices)), Evidence())})


def rendered_into(replay: Replay | None, readme: str) -> Replay | None:
    """The replay's notices keyed by the README the bot is about to commit: it changes only the
    bot's regions, so the next run's README (this one) needs no new reading of the table."""
    if replay is None or not replay.notices:
        return replay
    return replay.model_copy(update={"table": _digest(readme)})


def _digest(text: str) -> str:
    """The README as members wrote it: the bot's own regions change with every commit it makes."""
    members = without_regions(text, BOT_REGIONS)
    return hashlib.sha256(members.encode("utf-8", "surrogateescape")).hexdigest()


def remember_replay(sync: SyncState, evidence: Evidence) -> SyncState:
    """Keep this run's replay in the sync state (bookkeeping: saved with the next real change)."""
    kept = evidence.kept if isinstance(evidence, HistoryEvidence) else None
    if kept is None or kept == sync.replay:
        return sync
    return sync.model_copy(update={"replay": kept})


# -- the kept evidence, compact


def _at(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text is not None else None


def _part(evidence: Evidence) -> dict[str, Any]:
    return {
        "s": [
            [s.member, s.week, s.source.value, s.url, _at(s.at), s.trusted, s.actor, s.ref]
            for s in evidence.submissions.values()
        ],
        "b": [[post.week, post.url, _at(post.at)] for post in evidence.blog.values()],
        "w": [
            [n.problem.value, n.week, n.member, n.detail, n.ref, n.other, _at(n.at)] for n in evidence.warnings
        ],
    }


def _unpart(data: dict[str, Any]) -> Evidence:
    evidence = Evidence(warnings=[
        Notice(Problem(problem), week, member, detail, ref, other, _time(at))
        for problem, week, member, detail, ref, other, at in data["w"]
    ])
    for member, week, source, url, at, trusted, actor, ref in data["s"]:
        evidence.submissions[(member, week)] = Submission(member, week, Source(source), url, _need(at), trusted, actor, ref)
    for week, url, at in data["b"]:
        evidence.blog[week] = BlogPost(week, url, _time(at))
    return evidence


def _need(text: str) -> dt.datetime:
    moment = _time(text)
    assert moment is not None
    return moment


def encode(readme: Evidence, folders: Evidence) -> str:
    """Both evidences as one line: JSON, zlib, base64."""
    text = json.dumps({"readme": _part(readme), "folders": _part(folders)}, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def decode(text: str) -> tuple[Evidence, Evidence]:
    data = json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))
    return _unpart(data["readme"]), _unpart(data["folders"])
