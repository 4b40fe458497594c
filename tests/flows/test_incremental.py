"""Incremental judging on whole runs: a run that reuses the ledger's history replay ends exactly
where a run that replays the whole history ends, and a quiet run replays nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import kst
from studyworld import Study
from test_reliability import blog, push, week_issue
from test_reliability import term_study as reliability_term

from studybot.core import decide
from studybot.core.state import load_state
from studybot.shell import read

START = kst(2022, 4, 6, 9)
LEADER = "SEOJIN-Lab"

Event = Callable[[Study], object]


def term_study(folder: Path) -> Study:
    return reliability_term(folder, 3)


def note(member: str, line: str, at) -> Event:
    """A line added at the top of the README, above the table (the table moves down)."""
    return lambda study: study.edit(member, at, lambda text: line + "\n\n" + text)


def comment(week: int, body: str, login: str, at) -> Event:
    return lambda study: study.github.add_comment(week_issue(study, week), body, login, at=at)


TERM: list[tuple[dt.datetime, list[Event]]] = [
    (kst(2022, 4, 6, 10), []),
    (kst(2022, 4, 6, 11), []),  # quiet: nothing since the bot's own commit
    (kst(2022, 4, 11, 12), [
        push("장서진", 1, "https://s.example/1", kst(2022, 4, 10, 21)),
        comment(1, "제출 https://eunbin.example/1", "binable43", kst(2022, 4, 11, 10)),
    ]),
    (kst(2022, 4, 11, 13), [note("장서진", "> 다음 주는 휴강 없이 진행합니다.", kst(2022, 4, 11, 12, 30))]),
    (kst(2022, 4, 12, 18, 5), []),
    (kst(2022, 4, 13, 0, 5), []),
    (kst(2022, 4, 13, 12, 5), [
        push("구미진", 1, "https://m.example/1", kst(2022, 4, 13, 9)),
        comment(1, "/studybot paid @mijinkoo 3000", LEADER, kst(2022, 4, 13, 10)),
    ]),
    (kst(2022, 4, 27, 1), [blog("이은빈", 1, "https://blog.example/1", kst(2022, 4, 14))]),
    (kst(2022, 5, 2, 12), [
        comment(2, "https://soo.example/2", "m0oon0", kst(2022, 4, 28)),
        push("장서진", 2, "https://s.example/2", kst(2022, 5, 2)),
    ]),
    (kst(2022, 5, 3, 18, 5), [note("구미진", "- 2주차 자료 올렸어요", kst(2022, 5, 3, 18))]),
    (kst(2022, 5, 4, 0, 5), []),
    (kst(2022, 5, 4, 12, 5), [push("이은빈", 2, "https://e.example/2", kst(2022, 5, 4, 8))]),
    (kst(2022, 5, 11, 0, 5), []),
    (kst(2022, 5, 11, 12, 5), []),
    (kst(2022, 5, 12, 9), []),
]


@pytest.fixture()
def replays(monkeypatch) -> list[bool]:
    """Whether each history replay of the runs was a whole one (False: the ledger's was reused)."""
    seen: list[bool] = []
    original = decide.replay_history

    def counted(*args, **kwargs):
        result = original(*args, **kwargs)
        seen.append(result[3])
        return result

    monkeypatch.setattr(decide, "replay_history", counted)
    return seen


def test_incremental_runs_end_where_whole_replays_end(tmp_path, monkeypatch, replays):
    """Property over a scripted term: run by run, the report, the README, the ledger and every
    write on GitHub are the same whether each run reuses the kept replay or replays it all; and
    the runs after a quiet hour or a note above the table replay nothing."""
    incremental, whole = term_study(tmp_path / "incremental"), term_study(tmp_path / "whole")
    reused = 0
    for at, events in TERM:
        for event in events:
            event(incremental)
            event(whole)
        replays.clear()
        one = incremental.run(at)
        reused += not any(replays)
        with monkeypatch.context() as patched:
            patched.setattr(read, "_replayed_at", lambda *args, **kwargs: None)
            other = whole.run(at)
        assert one.report == other.report, at
        assert one.operations == other.operations, at
        assert incremental.readme() == whole.readme()
        assert incremental.ledger() == whole.ledger()
    assert incremental.github.writes == whole.github.writes
    assert incremental.github.request_count() == whole.github.request_count()  # a whole replay costs no request
    assert reused >= 8  # every run without a link, a blog post or a folder change since the last commit


def test_a_quiet_run_replays_nothing(tmp_path, replays):
    """After a committing run, a run with nothing new (the head is the bot's own commit) and the
    one after it reuse the kept replay; a member's link brings one whole replay."""
    study = term_study(tmp_path / "s")
    study.run(kst(2022, 4, 6, 10))
    assert replays == [True]
    kept = load_state(study.ledger()).sync.replay
    assert kept is not None and kept.head != study.github.head("main")  # it ended before the bot's commit
    replays.clear()
    study.run(kst(2022, 4, 6, 11))
    study.run(kst(2022, 4, 6, 12))
    assert replays and not any(replays)
    push("장서진", 1, "https://s.example/1", kst(2022, 4, 7))(study)
    replays.clear()
    outcome = study.run(kst(2022, 4, 7, 1))
    assert True in replays
    assert outcome.report.weeks[0].members["장서진"].submission is not None


def test_a_rewrite_or_a_new_config_ends_as_a_whole_replay(tmp_path, monkeypatch, replays):
    """A force-push back over a member's link, and a config change a maintainer pushed (a new
    config in force: the kept replay judged by the old one), end as whole replays end."""
    incremental, whole = term_study(tmp_path / "incremental"), term_study(tmp_path / "whole")
    text = incremental.config_text.replace("late: 3000", "late: 2000")
    assert text != incremental.config_text
    firsts: dict[int, str] = {}

    def remember(study: Study) -> None:
        firsts[id(study)] = study.github.head("main")

    def rewind(study: Study) -> None:
        study.github.force_push_to(firsts[id(study)], LEADER, kst(2022, 4, 7, 2))

    def new_config(study: Study) -> None:
        study.github.push({"config/study.yml": text}, LEADER, kst(2022, 4, 7, 4))

    steps: list[tuple[dt.datetime, list[Event]]] = [
        (kst(2022, 4, 6, 10), []),
        (kst(2022, 4, 7, 1), [remember, push("장서진", 1, "https://s.example/1", kst(2022, 4, 7))]),
        (kst(2022, 4, 7, 3), [rewind, push("구미진", 1, "https://m.example/1", kst(2022, 4, 7, 2, 30))]),
        (kst(2022, 4, 7, 5), [new_config]),
    ]
    for at, events in steps:
        for event in events:
            event(incremental)
            event(whole)
        replays.clear()
        one = incremental.run(at)
        with monkeypatch.context() as patched:
            patched.setattr(read, "_replayed_at", lambda *args, **kwargs: None)
            other = whole.run(at)
        assert one.report == other.report, at
        assert incremental.ledger() == whole.ledger()
    assert True in replays  # the new config in force: the kept replay judged by the old one
    assert incremental.github.writes == whole.github.writes


def test_a_run_pauses_the_cycle_collector_and_leaves_it_on(tmp_path, monkeypatch):
    """The history is replayed with Python's cycle collector off (its walks over a run's objects
    were a third of a quiet run), and a program that runs studybot gets the collector back on."""
    import gc

    seen: list[bool] = []
    original = decide.replay_history

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(decide, "replay_history", watched)
    study = term_study(tmp_path / "s")
    study.run(kst(2022, 4, 6, 10))
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        study.run(kst(2022, 4, 6, 11))
        assert not gc.isenabled()  # a caller's own choice stays
    finally:
        gc.enable()
