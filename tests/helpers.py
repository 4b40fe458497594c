"""Shared test helpers: paths and instants in the seed study's zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytz

ROOT = Path(__file__).resolve().parent.parent
SEED_CONFIG = ROOT / "config" / "study.yml"
SHARED = ROOT.parent / "shared"
SEOUL = pytz.timezone("Asia/Seoul")

# A three-member, three-week study: the small config most history tests start from.
SMALL_STUDY = """\
study: {name: T}
schedule: {weeks: 3, first_deadline: 2022-04-13 00:00}
fines: {late: 3000, absent: 4000}
members:
  - {name: 장서진, github: SEOJIN-Lab, maintainer: true}
  - {name: 구미진, github: mijinkoo}
  - {name: 이은빈, github: binable43, emails: [eunbin@example.com]}
"""
FOLDERS_AND_BLOG = """\
submissions:
  folders: {enabled: true}
rotation:
  team_blog: {order: [이은빈, 구미진, 장서진]}
"""


def kst(*parts: int) -> dt.datetime:
    """An aware instant in Seoul from year, month, day[, hour, minute, second, microsecond]."""
    return SEOUL.localize(dt.datetime(*parts))


def state(**fields):
    """A ``State`` from the ledger's field names, each put on its side (decisions or sync)."""
    from studybot.core.state import Decisions, State, SyncState

    decisions = {key: fields.pop(key) for key in list(fields) if key in Decisions.model_fields}
    sync = {key: fields.pop(key) for key in list(fields) if key in SyncState.model_fields}
    return State(decisions=Decisions(**decisions), sync=SyncState(**sync), **fields)


def started(**fields):
    """A state in which the study leader has answered /studybot start (the harnesses' default)."""
    from studybot.core.state import Override

    return state(started=Override(kind="start", by="SEOJIN-Lab", at=kst(2022, 3, 1)), **fields)


def decide_on(config, schedule, world, state, now, *, only_week=None, webhooks=frozenset(), repository_url=None, bot_login=None):
    """One pass of a run on a world built in memory: settle, then decide.

    Where settle asks for a wider read, the plan carries that request (``reread``) and no
    operations, as decide's own requests do. ``schedule`` is the config's; it is accepted so
    the tests read like the run.
    """
    from studybot.core.decide import Plan, decide, gather_evidence, judge
    from studybot.core.settle import RunSettings, settle
    from studybot.core.world import ReadRequest

    settings = RunSettings(only_week=only_week, webhooks=frozenset(webhooks), repository_url=repository_url, bot_login=bot_login)
    settled = settle(settings, config, world, state, now)
    if isinstance(settled, ReadRequest):
        report = judge(config, schedule, gather_evidence(config, schedule, world, state), state.decisions, now)
        return Plan(report, state=state, reread=settled)
    return decide(settled, world, settled.state)
