"""The state a run starts from and leaves behind, kept in the ledger file (``.studybot/ledger.json``).

``Decisions`` are what money depends on; ``SyncState`` is what the bot has seen and written.

Final verdicts are frozen here and never change silently; overrides record who, why and when;
first-seen times and cursors let the next run read only what is new. The file is JSON with
sorted keys and one item per line so a leader can read its diffs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from studybot.core.errors import StudybotError
from studybot.core.evidence import Evidence, Source, Submission
from studybot.core.report import Judgement, Report
from studybot.core.verdicts import Verdict

SCHEMA = 2
MAX_LEDGER_BYTES = 20 * 1024 * 1024


class LedgerError(StudybotError):
    """The ledger file cannot be read; the message says how to repair it."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FrozenVerdict(_Model):
    verdict: Verdict
    fine: int
    source: Source | None = None
    url: str | None = None
    at: dt.datetime | None = None
    trusted: bool | None = None
    ref: str | None = None
    note: str = ""
    arrived_after: dt.datetime | None = None  # absent, yet something came after the cut-off


class FrozenWeek(_Model):
    finalized_at: dt.datetime
    members: dict[str, FrozenVerdict]
    blog_member: str | None = None


class SeenComment(_Model):
    """A comment on a week's issue that submitted links, as the bot observed it."""

    issue: int
    week: int
    author: str
    created_at: dt.datetime
    links: dict[str, dt.datetime] = {}  # url -> when it counts (first seen)
    blog: dict[str, dt.datetime] = {}
    # Links that look handed in but were not counted: url -> why (an `Uncounted` value), for the leader.
    uncounted: dict[str, str] = {}
    marked: bool = False  # it carried a studybot marker the bot did not write (someone edited it in)


class SeenCell(_Model):
    """A member's README cell or week folder as a run first judged it: when it counts, and the link.

    A later rewrite of the history can move a commit's time or drop it; what the bot already
    saw on the branch keeps its time.
    """

    url: str
    at: dt.datetime
    source: Source
    ref: str = ""


class Override(_Model):
    """A maintainer's decision: who, why and when (excuse, unexcuse, swap, paid, credit)."""

    kind: Literal["excuse", "unexcuse", "swap-blog", "paid", "start", "credit"]
    by: str
    at: dt.datetime
    comment: int | None = None
    member: str | None = None
    week: int | None = None
    other: str | None = None
    amount: int | None = None
    reason: str = ""
    # A credit: the unread work it counts (a notice's kind, the file's folder or the comment's
    # link, the commit or issue it was in) and the trusted time it is judged at.
    problem: str = ""
    work: str = ""
    ref: str = ""
    work_at: dt.datetime | None = None


class Cursors(_Model):
    comments_since: dt.datetime | None = None
    issues_since: dt.datetime | None = None
    activity_after: str | None = None
    head: str | None = None  # the branch head the last run read


class Push(_Model):
    """A server-timed move of the default branch, from the activity API."""

    before: str
    after: str
    at: dt.datetime
    actor: str | None = None


class WeekIssue(_Model):
    """A week's Q&A issue as the bot last knew it."""

    number: int
    state: Literal["open", "closed"] = "open"
    digest: str = ""  # of the body as last seen (the bot's, unless someone edited it)
    written: str = ""  # of the body the bot last wrote ("" when unknown: a lost ledger)
    week_closed: bool = False  # the deadline's closing step (comment, close, questions) is done
    config: str | None = None  # the setup issue only: the config version it shows, which a start adopts


class Duplicate(_Model):
    """A second issue the bot opened for a week (two runs at once): its comments count for the week."""

    week: int
    state: Literal["open", "closed"] = "open"


class BotComment(_Model):
    """A comment the bot wrote: its id, the digest of its body as last seen, and for comments
    written once (reminders, closing notes, replies), the body the bot wrote, to put it back."""

    id: int
    digest: str = ""
    text: str | None = None


class AdoptedConfig(_Model):
    """The config in force: its text, and who brought it in (a maintainer's push or command)."""

    text: str
    commit: str | None = None  # the commit that changed the file to this text, when known
    by: str | None = None  # the maintainer who pushed or adopted it (None: before the activity log)
    at: dt.datetime | None = None
    how: Literal["start", "push", "command"] = "push"


class Refused(_Model):
    """A pushed change of the config or the ledger that was not applied, as the leader was told."""

    file: Literal["config", "ledger"]
    commit: str
    actor: str | None = None
    at: dt.datetime | None = None
    invalid: bool = False  # a config version that does not validate


class Replay(_Model):
    """The README and folder history as a run last replayed it, so the next run replays only what
    came after ``head`` (``core/increment.py``). Bookkeeping: it never warrants a commit."""

    head: str  # the commit the replay ended at
    key: str  # digest of the config in force and the timing the replay judged by
    stamps: str  # digest of when each commit up to ``head`` counted and who brought it
    span: list[int] | None = None  # the table's lines at ``head`` as the replay left them (None: no table)
    evidence: str  # what the replay found, compact JSON, zlib, base64 (one line in the ledger)
    table: str = ""  # digest of the README text the table notices below were read from
    notices: str = ""  # the current table's notices, as ``evidence`` is kept


class Decisions(_Model):
    """What the money depends on: final verdicts, maintainers' overrides, the fixed blog writers.

    The report is built from this and the evidence alone.
    """

    weeks: dict[int, FrozenWeek] = {}
    overrides: list[Override] = []
    blog_fixed: dict[int, str] = {}  # week -> planned writer (before swaps), once the week is past
    started: Override | None = None  # the maintainer's /studybot start (who, when, which comment)
    config: AdoptedConfig | None = None  # the config in force, once the study started


class SyncState(_Model):
    """What the bot has seen and written, so the next run reads only what is new."""

    issues: dict[int, WeekIssue] = {}  # week -> its Q&A issue
    duplicates: dict[int, Duplicate] = {}  # issue number -> the week of another issue the bot opened for it
    comments: dict[int, SeenComment] = {}  # comment id -> what it submitted
    bot_comments: dict[str, BotComment] = {}  # marker -> the comment that carries it
    # Marker comments by the bot's account that no receipt recorded: the bot's own only when the
    # body is the one this run would write (a run that stopped before saving its ledger).
    unclaimed: dict[str, BotComment] = {}
    bot_login: str | None = None  # the account the bot writes as, learned from its first write
    first_seen: dict[str, dt.datetime] = {}  # commit sha -> when the bot first saw it
    pushes: list[Push] = []  # every push and merge of the default branch the bot has read
    commands: list[int] = []  # comment ids of commands already applied
    cursors: Cursors = Cursors()
    sent: list[str] = []  # keys of the messenger notices sent
    setup: WeekIssue | None = None  # the setup issue the first run opened
    replied: dict[str, dt.date] = {}  # login (lower-case) -> the local day the bot last replied to them
    refused: list[Refused] = []  # changes of the config or the ledger that were not applied
    cells: dict[str, SeenCell] = {}  # "week:member" -> the handed-in cell as first judged, until the week is final
    replay: Replay | None = None  # the history replay of the last committing run, to reuse


class State(_Model):
    """The ledger file: decisions and sync state, kept apart."""

    schema_version: int = Field(SCHEMA, alias="schema")
    study: str = ""
    decisions: Decisions = Decisions()
    sync: SyncState = SyncState()

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def with_decisions(self, **fields: object) -> State:
        return self.model_copy(update={"decisions": self.decisions.model_copy(update=fields)})

    def with_sync(self, **fields: object) -> State:
        return self.model_copy(update={"sync": self.sync.model_copy(update=fields)})


_DECISION_FIELDS = frozenset(Decisions.model_fields)
_SYNC_FIELDS = frozenset(SyncState.model_fields)


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 ledger (one flat object) as schema 2 (decisions and sync apart)."""
    if data.get("schema", 1) >= 2:
        return data
    rest = {key: value for key, value in data.items() if key not in _DECISION_FIELDS | _SYNC_FIELDS}
    return {
        **rest,
        "schema": SCHEMA,
        "decisions": {key: data[key] for key in _DECISION_FIELDS if key in data},
        "sync": {key: data[key] for key in _SYNC_FIELDS if key in data},
    }


def load_state(text: str | None) -> State:
    """Read a ledger file (a missing one is an empty state); schema 1 is migrated."""
    if text is None or not text.strip():
        return State()
    if len(text.encode("utf-8")) > MAX_LEDGER_BYTES:
        raise LedgerError("error.ledger.large", limit=MAX_LEDGER_BYTES // (1024 * 1024))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LedgerError("error.ledger.json", line=error.lineno) from None
    if not isinstance(data, dict):
        raise LedgerError("error.ledger.not_object")
    if isinstance(data.get("schema", SCHEMA), int) and data.get("schema", SCHEMA) > SCHEMA:
        raise LedgerError("error.ledger.newer", schema=data["schema"])
    try:
        return State.model_validate(migrate(data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LedgerError("error.ledger.value", where=where, detail=first["msg"]) from None


def dump_state(state: State) -> str:
    """The ledger as stable, diff-friendly JSON (same state, same bytes)."""
    data = state.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


class Ledgers:
    """Ledger texts parsed once per run: every reader of the same text gets the same parse.

    A long ledger takes a while to validate, and a run reads it in several places (its cursors,
    whether it parses, the state settle starts from, the base a commit is compared with). The
    shell makes one per read and the ``World`` carries it; nothing is kept between runs or at
    module level.
    """

    def __init__(self) -> None:
        self._last: tuple[str | None, State | LedgerError] | None = None

    def load(self, text: str | None) -> State:
        """``load_state(text)``, parsed only when the text differs from the last one asked for."""
        if self._last is None or self._last[0] != text:
            try:
                self._last = (text, load_state(text))
            except LedgerError as error:
                self._last = (text, error)
        found = self._last[1]
        if isinstance(found, LedgerError):
            raise found
        return found


def same_substance(ours: State, base: State) -> bool:
    """Whether ``dump_state(substance(ours)) == dump_state(substance(base))``.

    A run's state is the ledger's updated by copies, so the two mostly share their parts; what
    is shared dumps alike without dumping it. Only when that cannot be told the states are dumped.
    """
    ours, base = substance(ours), substance(base)
    return _dumps_alike(ours, base) or dump_state(ours) == dump_state(base)


def _dumps_alike(ours: object, base: object) -> bool:
    """True when the two values certainly dump to the same JSON; False when they differ or it is unsure."""
    if ours is base:
        return True
    if type(ours) is not type(base):
        return False
    if isinstance(ours, BaseModel):
        return all(_dumps_alike(getattr(ours, name), getattr(base, name)) for name in type(ours).model_fields)
    if isinstance(ours, dict):
        assert isinstance(base, dict)
        return ours.keys() == base.keys() and all(_dumps_alike(value, base[key]) for key, value in ours.items())
    if isinstance(ours, list):
        assert isinstance(base, list)
        return len(ours) == len(base) and all(map(_dumps_alike, ours, base))
    if isinstance(ours, dt.date):  # a datetime dumps as its fields and its offset, whichever tzinfo gives it
        assert isinstance(base, dt.date)
        return ours.isoformat() == base.isoformat()
    return isinstance(ours, str | int) and ours == base  # bool is an int: True == 1 is told apart by the type check


def substance(state: State) -> State:
    """The state without its bookkeeping (cursors, pushes read, first sightings, unclaimed
    comments, the kept history replay).

    The bot's own writes move the cursors, so bookkeeping alone never warrants a commit; it
    is saved along with the next real change.
    """
    return state.with_sync(cursors=Cursors(), pushes=[], first_seen={}, unclaimed={}, replay=None)


def frozen_judgements(decisions: Decisions) -> dict[tuple[str, int], Judgement]:
    """Final verdicts from the ledger, as the report uses them."""
    judgements: dict[tuple[str, int], Judgement] = {}
    for week, frozen in decisions.weeks.items():
        for member, item in frozen.members.items():
            submission = None
            if item.source is not None and item.url is not None and item.at is not None:
                submission = Submission(
                    member, week, item.source, item.url, item.at, bool(item.trusted), None, item.ref or ""
                )
            judgements[(member, week)] = Judgement(item.verdict, item.fine, submission, item.note, item.arrived_after)
    return judgements


def freeze_final_weeks(decisions: Decisions, report: Report, now: dt.datetime) -> Decisions:
    """Record every week that became final and is not frozen yet; frozen weeks stay as they are."""
    weeks = dict(decisions.weeks)
    blog_fixed = dict(decisions.blog_fixed)
    for week in report.weeks:
        number = week.week.number
        if not week.final:
            continue
        frozen = weeks.get(number)
        if frozen is None:
            weeks[number] = FrozenWeek(
                finalized_at=now,
                blog_member=week.blog_member,
                members={name: _freeze(judgement) for name, judgement in week.members.items()},
            )
        elif changed := [
            name for name, judgement in week.members.items()
            if name not in frozen.members or frozen.members[name].verdict is not judgement.verdict
        ]:
            # Only a maintainer's waiver or its withdrawal reaches a frozen week (the report
            # uses the frozen verdict otherwise); record it.
            members = {**frozen.members, **{name: _freeze(week.members[name]) for name in changed}}
            weeks[number] = frozen.model_copy(update={"members": members})
        else:
            continue
        planned = report.planned_writers.get(number)
        if planned is not None:
            blog_fixed.setdefault(number, planned)
    return decisions.model_copy(update={"weeks": weeks, "blog_fixed": blog_fixed})


def _freeze(judgement: Judgement) -> FrozenVerdict:
    submission = judgement.submission
    return FrozenVerdict(
        verdict=judgement.verdict,
        fine=judgement.fine,
        source=submission.source if submission else None,
        url=submission.url if submission else None,
        at=submission.at if submission else None,
        trusted=submission.trusted if submission else None,
        ref=submission.ref if submission else None,
        note=judgement.note,
        arrived_after=judgement.arrived_after,
    )


def cell_key(member: str, week: int) -> str:
    return f"{week}:{member}"


def remember_cells(sync: SyncState, evidence: Evidence, final: Iterable[int]) -> SyncState:
    """Keep each README cell and week folder's submission at its earliest trusted time; forget final weeks."""
    done = set(final)
    cells = {key: cell for key, cell in sync.cells.items() if int(key.split(":", 1)[0]) not in done}
    for (member, week), submission in sorted(evidence.submissions.items()):
        if week in done or not submission.trusted or submission.source in (Source.ISSUE, Source.CREDIT):
            continue  # comments are remembered as comments, credits as overrides; untrusted times are the author's word
        key = cell_key(member, week)
        known = cells.get(key)
        if known is None or submission.at < known.at:
            cells[key] = SeenCell(url=submission.url, at=submission.at, source=submission.source, ref=submission.ref)
    if cells == sync.cells:
        return sync
    return sync.model_copy(update={"cells": cells})


def cell_evidence(sync: SyncState, evidence: Evidence) -> None:
    """Put remembered cells into ``evidence``: a cell's time never moves later, and a cell a rewrite dropped still counts."""
    for key, cell in sync.cells.items():
        week, member = key.split(":", 1)
        known = evidence.submissions.get((member, int(week)))
        if known is None:
            evidence.add(Submission(member, int(week), cell.source, cell.url, cell.at, True, None, cell.ref))
        elif cell.at < known.at:
            evidence.submissions[(member, int(week))] = dataclasses.replace(known, at=cell.at, trusted=True)


def remember_first_seen(sync: SyncState, shas: Iterable[str], now: dt.datetime) -> SyncState:
    """Note the first time the bot saw each commit (never moves an earlier time)."""
    new = {sha: now for sha in shas if sha not in sync.first_seen}
    if not new:
        return sync
    return sync.model_copy(update={"first_seen": {**sync.first_seen, **new}})


def excuses_from(decisions: Decisions, config_excuses: Mapping[tuple[str, int], str] | None = None) -> dict[tuple[str, int], str]:
    """Waivers in force: the config's, then each excuse and unexcuse command in order."""
    waived: dict[tuple[str, int], str] = dict(config_excuses or {})
    for override in decisions.overrides:
        if override.member is None or override.week is None:
            continue
        key = (override.member, override.week)
        if override.kind == "excuse":
            waived[key] = override.reason
        elif override.kind == "unexcuse":
            waived.pop(key, None)
    return waived


def payments_from(decisions: Decisions) -> dict[str, int]:
    paid: dict[str, int] = {}
    for override in decisions.overrides:
        if override.kind == "paid" and override.member and override.amount:
            paid[override.member] = paid.get(override.member, 0) + override.amount
    return paid


def swaps_from(decisions: Decisions) -> dict[int, str]:
    swaps: dict[int, str] = {}
    for override in decisions.overrides:
        if override.kind == "swap-blog" and override.week is not None and override.member:
            swaps[override.week] = override.member
    return swaps


def merge_states(ours: State, theirs: State) -> State:
    """Our state after this run's writes, joined with the one a concurrent run committed.

    Nothing either side recorded is lost: frozen weeks and fixed writers keep the first
    recorded, overrides and applied commands are the union, and the bot's issues and comments
    keep ours where both know one (ours was written last).
    """
    overrides = list(theirs.decisions.overrides)
    seen = {override.model_dump_json() for override in overrides}
    overrides += [override for override in ours.decisions.overrides if override.model_dump_json() not in seen]
    overrides.sort(key=lambda override: override.at)
    decisions = Decisions(
        weeks={**ours.decisions.weeks, **theirs.decisions.weeks},
        overrides=overrides,
        blog_fixed={**ours.decisions.blog_fixed, **theirs.decisions.blog_fixed},
        started=theirs.decisions.started or ours.decisions.started,
        config=ours.decisions.config or theirs.decisions.config,
    )
    known = {(push.before, push.after, push.at) for push in ours.sync.pushes}
    sync = ours.sync.model_copy(
        update={
            "issues": {**theirs.sync.issues, **ours.sync.issues},
            "duplicates": {**theirs.sync.duplicates, **ours.sync.duplicates}
            | {
                issue.number: Duplicate(week=week)
                for week, issue in theirs.sync.issues.items()
                if week in ours.sync.issues and ours.sync.issues[week].number != issue.number
                and issue.number not in ours.sync.duplicates
            },
            "comments": {**theirs.sync.comments, **ours.sync.comments},
            "bot_comments": {**theirs.sync.bot_comments, **ours.sync.bot_comments},
            "first_seen": {**ours.sync.first_seen, **theirs.sync.first_seen}
            | {sha: min(at, theirs.sync.first_seen.get(sha, at)) for sha, at in ours.sync.first_seen.items()},
            "pushes": [*ours.sync.pushes, *(push for push in theirs.sync.pushes if (push.before, push.after, push.at) not in known)],
            "commands": sorted({*ours.sync.commands, *theirs.sync.commands}),
            "refused": [*ours.sync.refused, *(item for item in theirs.sync.refused if item not in ours.sync.refused)],
        }
    )
    return ours.model_copy(update={"decisions": decisions, "sync": sync})


def is_started(state: State) -> bool:
    """Whether the bot may do the weekly work: started by command, or already running here."""
    decisions = state.decisions
    return decisions.started is not None or bool(state.sync.issues or decisions.weeks)
