"""The ledger file: stable bytes, helpful errors, frozen weeks that stay frozen."""

from __future__ import annotations

import json

import pytest
from helpers import kst, state

from studybot.core.evidence import Evidence
from studybot.core.report import build_report
from studybot.core.state import (
    Cursors,
    Decisions,
    LedgerError,
    Override,
    State,
    dump_state,
    excuses_from,
    freeze_final_weeks,
    load_state,
    payments_from,
    substance,
)


def test_round_trip_is_byte_stable():
    """Loading and dumping a ledger gives the same bytes, so a run without news changes nothing."""
    ledger = state(study="S", overrides=[Override(kind="paid", by="SEOJIN-Lab", at=kst(2022, 5, 1), member="구미진", amount=3000)])
    text = dump_state(ledger)
    assert dump_state(load_state(text)) == text
    assert json.loads(text)["schema"] == 2
    assert "구미진" in text  # Korean stays readable in diffs


@pytest.mark.parametrize(
    ("text", "message"),
    [("{", "not valid JSON"), ('{"schema": 99}', "newer studybot"), ('{"weeks": 3}', "unexpected value at decisions.weeks")],
)
def test_broken_ledgers_say_how_to_repair(text, message):
    """A damaged ledger is a sentence saying what is wrong, never a traceback."""
    with pytest.raises(LedgerError, match=message):
        load_state(text)


def test_missing_ledger_is_empty():
    """A study without a ledger starts with an empty one."""
    assert load_state(None) == State()


def test_final_weeks_freeze_once(seed, seed_schedule):
    """A final week is written once; a later report with other evidence does not change it."""
    report = build_report(seed, seed_schedule, Evidence(), kst(2022, 4, 14))
    ledger = freeze_final_weeks(Decisions(), report, kst(2022, 4, 14))
    assert ledger.weeks[1].members["구미진"].verdict.value == "absent"
    assert ledger.blog_fixed == {1: "이은빈"}
    again = freeze_final_weeks(ledger, report, kst(2022, 4, 20))
    assert again.weeks[1].finalized_at == kst(2022, 4, 14)


def test_excuses_and_payments_follow_the_overrides():
    """An unexcuse takes back an earlier excuse; payments add up per member."""
    at = kst(2022, 5, 1)
    ledger = Decisions(overrides=[
        Override(kind="excuse", by="a", at=at, member="구미진", week=1, reason="병결"),
        Override(kind="excuse", by="a", at=at, member="한현경", week=2, reason="출장"),
        Override(kind="unexcuse", by="a", at=at, member="구미진", week=1),
        Override(kind="paid", by="a", at=at, member="구미진", amount=3000),
        Override(kind="paid", by="a", at=at, member="구미진", amount=4000),
    ])
    assert excuses_from(ledger) == {("한현경", 2): "출장"}
    assert payments_from(ledger) == {"구미진": 7000}


def test_bookkeeping_alone_is_not_substance():
    """Cursors and first sightings never count as a change worth a commit."""
    ledger = state(study="S")
    busy = ledger.with_sync(cursors=Cursors(head="abc"), first_seen={"abc": kst(2022, 4, 1)})
    assert dump_state(substance(busy)) == dump_state(substance(ledger))
