"""The ledger (``.studybot/ledger.json``): what the bot has decided and seen, kept in the repository.

Final verdicts are frozen here and never change silently; overrides record who, why and when;
first-seen times and cursors let the next run read only what is new. The file is JSON with
sorted keys and one item per line so a leader can read its diffs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from studybot.core.evidence import Source, Submission
from studybot.core.report import Judgement, Report
from studybot.core.rules import Verdict

SCHEMA = 1
MAX_LEDGER_BYTES = 20 * 1024 * 1024


class LedgerError(Exception):
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


class Override(_Model):
    """A maintainer's decision: who, why and when (excuse, unexcuse, swap, paid)."""

    kind: Literal["excuse", "unexcuse", "swap-blog", "paid"]
    by: str
    at: dt.datetime
    comment: int | None = None
    member: str | None = None
    week: int | None = None
    other: str | None = None
    amount: int | None = None
    reason: str = ""


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
    digest: str = ""  # of the body the bot wrote
    week_closed: bool = False  # the deadline's closing step (comment, close, questions) is done


class BotComment(_Model):
    id: int
    digest: str = ""


class Ledger(_Model):
    schema_version: int = Field(SCHEMA, alias="schema")
    study: str = ""
    weeks: dict[int, FrozenWeek] = {}
    issues: dict[int, WeekIssue] = {}  # week -> its Q&A issue
    comments: dict[int, SeenComment] = {}  # comment id -> what it submitted
    bot_comments: dict[str, BotComment] = {}  # marker -> the comment that carries it
    bot_login: str | None = None  # the account the bot writes as, learned from its first write
    first_seen: dict[str, dt.datetime] = {}  # commit sha -> when the bot first saw it
    pushes: list[Push] = []  # every push and merge of the default branch the bot has read
    blog_fixed: dict[int, str] = {}  # week -> planned writer (before swaps), once the week is past
    overrides: list[Override] = []
    commands: list[int] = []  # comment ids of commands already applied
    cursors: Cursors = Cursors()

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def load_ledger(text: str | None) -> Ledger:
    """Read a ledger file (a missing one is an empty ledger)."""
    if text is None or not text.strip():
        return Ledger()
    if len(text.encode("utf-8")) > MAX_LEDGER_BYTES:
        raise LedgerError("the ledger is larger than 20 MiB; archive old weeks or start a new ledger")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LedgerError(
            f"the ledger is not valid JSON (line {error.lineno}); restore it from git history"
        ) from None
    if isinstance(data, dict) and data.get("schema", SCHEMA) > SCHEMA:
        raise LedgerError(
            f"the ledger was written by a newer studybot (schema {data['schema']}); update the action"
        )
    try:
        return Ledger.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LedgerError(f"the ledger has an unexpected value at {where}: {first['msg']}; restore it from git history") from None


def dump_ledger(ledger: Ledger) -> str:
    """The ledger as stable, diff-friendly JSON (same ledger, same bytes)."""
    data = ledger.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def substance(ledger: Ledger) -> Ledger:
    """The ledger without its bookkeeping (cursors, pushes read, first sightings).

    The bot's own writes move the cursors, so bookkeeping alone never warrants a commit; it
    is saved along with the next real change.
    """
    return ledger.model_copy(update={"cursors": Cursors(), "pushes": [], "first_seen": {}})


def frozen_judgements(ledger: Ledger) -> dict[tuple[str, int], Judgement]:
    """Final verdicts from the ledger, as the report uses them."""
    judgements: dict[tuple[str, int], Judgement] = {}
    for week, frozen in ledger.weeks.items():
        for member, item in frozen.members.items():
            submission = None
            if item.source is not None and item.url is not None and item.at is not None:
                submission = Submission(
                    member, week, item.source, item.url, item.at, bool(item.trusted), None, item.ref or ""
                )
            judgements[(member, week)] = Judgement(item.verdict, item.fine, submission, item.note)
    return judgements


def freeze_final_weeks(ledger: Ledger, report: Report, now: dt.datetime) -> Ledger:
    """Record every week that became final and is not frozen yet; frozen weeks stay as they are."""
    weeks = dict(ledger.weeks)
    blog_fixed = dict(ledger.blog_fixed)
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
    return ledger.model_copy(update={"weeks": weeks, "blog_fixed": blog_fixed})


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
    )


def remember_first_seen(ledger: Ledger, shas: Iterable[str], now: dt.datetime) -> Ledger:
    """Note the first time the bot saw each commit (never moves an earlier time)."""
    new = {sha: now for sha in shas if sha not in ledger.first_seen}
    if not new:
        return ledger
    return ledger.model_copy(update={"first_seen": {**ledger.first_seen, **new}})


def excuses_from(ledger: Ledger, config_excuses: Mapping[tuple[str, int], str] | None = None) -> dict[tuple[str, int], str]:
    """Waivers in force: the config's, then each excuse and unexcuse command in order."""
    waived: dict[tuple[str, int], str] = dict(config_excuses or {})
    for override in ledger.overrides:
        if override.member is None or override.week is None:
            continue
        key = (override.member, override.week)
        if override.kind == "excuse":
            waived[key] = override.reason
        elif override.kind == "unexcuse":
            waived.pop(key, None)
    return waived


def payments_from(ledger: Ledger) -> dict[str, int]:
    paid: dict[str, int] = {}
    for override in ledger.overrides:
        if override.kind == "paid" and override.member and override.amount:
            paid[override.member] = paid.get(override.member, 0) + override.amount
    return paid


def swaps_from(ledger: Ledger) -> dict[int, str]:
    swaps: dict[int, str] = {}
    for override in ledger.overrides:
        if override.kind == "swap-blog" and override.week is not None and override.member:
            swaps[override.week] = override.member
    return swaps
