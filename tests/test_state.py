"""The ledger's edges: oversized files, frozen submissions, waivers on frozen weeks, merges."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from helpers import decide_on, kst, state

from studybot.core.evidence import Source
from studybot.core.state import (
    MAX_LEDGER_BYTES,
    FrozenVerdict,
    FrozenWeek,
    LedgerError,
    Override,
    Push,
    SyncState,
    excuses_from,
    freeze_final_weeks,
    frozen_judgements,
    load_state,
    merge_states,
    remember_first_seen,
    swaps_from,
)
from studybot.core.verdicts import Verdict


def test_an_oversized_ledger_is_refused_with_its_limit():
    """A ledger file over the size limit is refused, and the message names the limit in MB."""
    with pytest.raises(LedgerError) as raised:
        load_state("{" + " " * MAX_LEDGER_BYTES + "}")
    assert raised.value.key == "error.ledger.large" and raised.value.fields["limit"] == 20


def test_a_ledger_that_is_not_an_object_is_refused():
    """A ledger holding a JSON list instead of an object is refused with its own message."""
    with pytest.raises(LedgerError) as raised:
        load_state("[1, 2]")
    assert raised.value.key == "error.ledger.not_object"


def test_a_frozen_verdict_keeps_its_link():
    """A frozen on-time verdict that recorded its link still shows that link and time."""
    frozen = FrozenVerdict(verdict=Verdict.ON_TIME, fine=0, source=Source.README, url="https://b.example/1",
                           at=kst(2022, 4, 10), trusted=True, ref="c2")
    bare = FrozenVerdict(verdict=Verdict.ABSENT, fine=5000)
    decisions = state(weeks={1: FrozenWeek(finalized_at=kst(2022, 4, 14), members={"a": frozen, "b": bare})}).decisions
    judged = frozen_judgements(decisions)
    submission = judged[("a", 1)].submission
    assert submission is not None and submission.url == "https://b.example/1" and submission.ref == "c2"
    assert judged[("b", 1)].submission is None and judged[("b", 1)].fine == 5000


def test_a_waiver_reaches_a_week_already_frozen(seed, seed_schedule):
    """An excuse given after a week froze changes that member's frozen verdict and no one else's."""
    from test_decide import world


    plan = decide_on(seed, seed_schedule, world(), state(), kst(2022, 4, 14))
    decisions = plan.state.decisions
    week = plan.report.weeks[0]
    name = next(iter(week.members))
    stale = decisions.weeks[1].members[name].model_copy(update={"verdict": Verdict.EXCUSED})
    edited = decisions.weeks[1].model_copy(update={"members": {**decisions.weeks[1].members, name: stale}})
    again = freeze_final_weeks(decisions.model_copy(update={"weeks": {1: edited}}), plan.report, kst(2022, 4, 15))
    assert again.weeks[1].members[name].verdict is week.members[name].verdict
    assert again.weeks[1].finalized_at == decisions.weeks[1].finalized_at
    unplanned = dataclasses.replace(plan.report, planned_writers={})
    fresh = freeze_final_weeks(state().decisions, unplanned, kst(2022, 4, 15))
    assert 1 in fresh.weeks and 1 not in fresh.blog_fixed


def test_first_sightings_never_move():
    """A commit seen before keeps its first time; a run that sees nothing new changes nothing."""
    sync = SyncState(first_seen={"c1": kst(2022, 4, 1)})
    assert remember_first_seen(sync, ["c1"], kst(2022, 4, 5)) is sync
    later = remember_first_seen(sync, ["c1", "c2"], kst(2022, 4, 5))
    assert later.first_seen == {"c1": kst(2022, 4, 1), "c2": kst(2022, 4, 5)}


def test_swaps_and_payments_do_not_count_as_waivers():
    """A blog swap is read as a swap only; it neither waives nor lifts anyone's week."""
    at = kst(2022, 4, 8)
    overrides = [
        Override(kind="excuse", by="s", at=at, member="a", week=1, reason="병결"),
        Override(kind="swap-blog", by="s", at=at, member="a", week=1, other="b"),
        Override(kind="swap-blog", by="s", at=at, member=None, week=2),
    ]
    decisions = state(overrides=overrides).decisions
    assert excuses_from(decisions) == {("a", 1): "병결"}
    assert swaps_from(decisions) == {1: "a"}


def test_a_concurrent_runs_ledger_is_merged_without_loss():
    """Merging two runs' ledgers keeps both sides' overrides, pushes and the earliest sightings."""
    at = kst(2022, 4, 8)
    ours = state(
        overrides=[Override(kind="paid", by="s", at=at + dt.timedelta(hours=1), member="a", amount=1000)],
        pushes=[Push(before="c1", after="c2", at=at)], first_seen={"c2": at}, commands=[5],
    )
    theirs = state(
        overrides=[Override(kind="paid", by="s", at=at, member="b", amount=2000)],
        pushes=[Push(before="c1", after="c2", at=at), Push(before="c2", after="c3", at=at)],
        first_seen={"c2": at - dt.timedelta(hours=1)}, commands=[6],
        started=Override(kind="start", by="s", at=at),
    )
    merged = merge_states(ours, theirs)
    assert [o.member for o in merged.decisions.overrides] == ["b", "a"]
    assert [p.after for p in merged.sync.pushes] == ["c2", "c3"] and merged.sync.commands == [5, 6]
    assert merged.sync.first_seen["c2"] == at - dt.timedelta(hours=1) and merged.decisions.started is not None


def _submission(member: str, week: int, at: dt.datetime, *, source=Source.README, trusted=True, url="https://a.example/1"):
    from studybot.core.evidence import Submission

    return Submission(member, week, source, url, at, trusted)


def test_a_cell_is_remembered_at_its_earliest_trusted_time_and_forgotten_once_final():
    """Cells keep their earliest trusted time; comments, untrusted times and final weeks are not kept."""
    from studybot.core.evidence import Evidence
    from studybot.core.state import remember_cells

    evidence = Evidence()
    for submission in (
        _submission("구미진", 1, kst(2022, 4, 12)),
        _submission("한현경", 2, kst(2022, 4, 12)),
        _submission("문수인", 2, kst(2022, 4, 12), trusted=False),
        _submission("이은빈", 2, kst(2022, 4, 12), source=Source.ISSUE),
    ):
        evidence.add(submission)
    sync = remember_cells(SyncState(), evidence, final=[1])
    assert set(sync.cells) == {"2:한현경"}
    later = Evidence()
    later.add(_submission("한현경", 2, kst(2022, 4, 13)))
    assert remember_cells(sync, later, final=[1]) is sync  # nothing earlier: unchanged
    earlier = Evidence()
    earlier.add(_submission("한현경", 2, kst(2022, 4, 11)))
    assert remember_cells(sync, earlier, final=[1]).cells["2:한현경"].at == kst(2022, 4, 11)
    assert remember_cells(sync, Evidence(), final=[1, 2]).cells == {}


def test_a_remembered_cell_restores_a_dropped_or_re_timed_submission_and_keeps_the_new_link():
    """A cell a rewrite dropped counts again; a re-timed one keeps its first time and its current link."""
    from studybot.core.evidence import Evidence
    from studybot.core.state import SeenCell, cell_evidence

    sync = SyncState(cells={
        "1:구미진": SeenCell(url="https://old.example", at=kst(2022, 4, 12), source=Source.README),
        "1:한현경": SeenCell(url="https://hk.example", at=kst(2022, 4, 12), source=Source.FOLDER, ref="1주차/한현경/a.md"),
        "1:문수인": SeenCell(url="https://ms.example", at=kst(2022, 4, 14), source=Source.README),
    })
    evidence = Evidence()
    evidence.add(_submission("구미진", 1, kst(2022, 4, 13, 10), url="https://new.example"))
    evidence.add(_submission("문수인", 1, kst(2022, 4, 13), url="https://ms.example"))
    cell_evidence(sync, evidence)
    mijin, hyun, suin = (evidence.submissions[(name, 1)] for name in ("구미진", "한현경", "문수인"))
    assert (mijin.at, mijin.url) == (kst(2022, 4, 12), "https://new.example")
    assert (hyun.at, hyun.source, hyun.ref) == (kst(2022, 4, 12), Source.FOLDER, "1주차/한현경/a.md")
    assert suin.at == kst(2022, 4, 13)  # the history's earlier time stands


def test_two_runs_that_each_opened_the_weeks_issue_merge_into_one_week_issue_and_a_duplicate():
    """When both runs opened week 1's issue, the merged ledger keeps ours and marks theirs as a duplicate to close."""
    from studybot.core.state import Duplicate, State, WeekIssue

    ours = State().with_sync(issues={1: WeekIssue(number=2)})
    theirs = State().with_sync(issues={1: WeekIssue(number=1), 2: WeekIssue(number=3)})
    merged = merge_states(ours, theirs)
    assert merged.sync.issues[1].number == 2 and merged.sync.issues[2].number == 3
    assert merged.sync.duplicates == {1: Duplicate(week=1)}


def _busy_ledger():
    """A ledger with something in every kind of part: frozen weeks, overrides, comments, issues."""
    from studybot.core.state import BotComment, SeenComment, WeekIssue

    at = kst(2022, 4, 6)
    return state(
        study="S",
        weeks={1: FrozenWeek(finalized_at=at, members={"구미진": FrozenVerdict(verdict=Verdict.ON_TIME, fine=0)})},
        overrides=[Override(kind="paid", by="lead", at=at, member="구미진", amount=3000)],
        issues={1: WeekIssue(number=7, digest="d1", week_closed=True)},
        comments={11: SeenComment(issue=7, week=1, author="m", created_at=at, links={"https://a.example/1": at})},
        bot_comments={"<!-- studybot:w1:results -->": BotComment(id=12, digest="d2")},
        pushes=[Push(before="a", after="b", at=at)],
        first_seen={"b": at},
    )


def _edits():
    """Changes a run makes to a ledger, each one that a leader would see in the committed file."""
    from studybot.core.state import BotComment, SeenComment, WeekIssue

    at = kst(2022, 4, 13)
    return {
        "a comment read": lambda s: s.with_sync(comments={**s.sync.comments, 13: SeenComment(issue=7, week=2, author="n", created_at=at)}),
        "a link's time": lambda s: s.with_sync(comments={11: s.sync.comments[11].model_copy(update={"links": {"https://a.example/1": at}})}),
        "a digest": lambda s: s.with_sync(bot_comments={key: BotComment(id=c.id, digest="d3") for key, c in s.sync.bot_comments.items()}),
        "an issue number": lambda s: s.with_sync(issues={1: s.sync.issues[1].model_copy(update={"number": 8})}),
        "a week reopened": lambda s: s.with_sync(issues={1: s.sync.issues[1].model_copy(update={"week_closed": False})}),
        "an override": lambda s: s.with_decisions(overrides=[*s.decisions.overrides, s.decisions.overrides[0]]),
        "a payment": lambda s: s.with_decisions(overrides=[s.decisions.overrides[0].model_copy(update={"amount": 4000})]),
        "the setup issue": lambda s: s.with_sync(setup=WeekIssue(number=1)),
        "a time written in UTC": lambda s: s.with_sync(comments={11: s.sync.comments[11].model_copy(
            update={"created_at": s.sync.comments[11].created_at.astimezone(dt.UTC)})}),
    }


def test_a_run_that_changed_the_ledger_is_told_apart_from_one_that_did_not():
    """Whether a run commits its ledger: any change of substance is seen, bookkeeping is not,
    and the answer is the one comparing the two files as written would give."""
    from studybot.core.state import Cursors, dump_state, same_substance, substance

    base = _busy_ledger()
    for name, edit in _edits().items():
        changed = edit(base)
        assert not same_substance(changed, base), name
        assert dump_state(substance(changed)) != dump_state(substance(base)), name
    bookkeeping = base.with_sync(cursors=Cursors(head="c"), first_seen={}, pushes=[], replay=None)
    copied = base.with_sync(comments=dict(base.sync.comments), pushes=list(base.sync.pushes),
                            issues={1: base.sync.issues[1].model_copy()})
    seen = base.sync.comments[11]
    offset = dt.timezone(dt.timedelta(hours=9))  # the same instant and offset as GitHub's answer gives it
    reread_comment = base.with_sync(comments={11: seen.model_copy(update={"created_at": seen.created_at.astimezone(offset)})})
    reread = load_state(dump_state(base))  # equal, sharing nothing: the files are compared
    for same in (base, bookkeeping, copied, reread_comment, reread):
        assert same_substance(same, base)
        assert dump_state(substance(same)) == dump_state(substance(base))


def test_a_ledger_text_is_parsed_once_a_run_and_reads_as_load_state_reads_it():
    """Every reader of the run's ledger gets the same state; a broken ledger says so every time."""
    from studybot.core.state import dump_state
    from studybot.core.world import GitRecords, World

    text = dump_state(_busy_ledger())
    world = World({}, text, GitRecords(None))
    first = world.state()
    assert first == load_state(text)
    assert dataclasses.replace(world, files={"README.md": ""}).state() is first
    other = dump_state(state(study="T"))
    assert dataclasses.replace(world, ledger=other).state() == load_state(other)
    broken = dataclasses.replace(world, ledger="[1, 2]")
    for _ in range(2):
        with pytest.raises(LedgerError, match="not a JSON object"):
            broken.state()
