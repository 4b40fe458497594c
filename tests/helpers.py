"""Shared test helpers: paths and instants in the seed study's zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytz

ROOT = Path(__file__).resolve().parent.parent
SEED_CONFIG = ROOT / "config" / "study.yml"
SHARED = ROOT.parent / "shared"
SEOUL = pytz.timezone("Asia/Seoul")


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
