"""settle: what a run may trust, on worlds built in memory.

The whole-run attacks on the same rules are in tests/flows/test_attacks.py; these pin the
pure function's answers one path at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from helpers import kst, started, state
from test_decide import comment, online, world

from studybot.core.config import parse_config
from studybot.core.markers import Kind, hidden_line, marker
from studybot.core.provenance import Refusal, ledger_in_force
from studybot.core.records import Issue, IssueState, Permission
from studybot.core.settle import NoConfig, Run, RunSettings, adopted_before, settle
from studybot.core.state import AdoptedConfig, Push
from studybot.core.world import ReadRequest
from studybot.shell.demo import example_file

TEXT = example_file("study.yml")
CONFIG_PATH = "config/study.yml"
LEADER = "SEOJIN-Lab"
NOW = kst(2022, 4, 8)


def with_config(versions: dict[str, str], **github):
    """The seed world whose config file changed at each commit of ``versions`` (newest first)."""
    shas = tuple(versions)
    base = world(github=online(**github), changes={CONFIG_PATH: shas}, versions=versions)
    return dataclasses.replace(base, config_path=CONFIG_PATH)


def settled(config, the_world, the_state) -> Run:
    run = settle(RunSettings(), config, the_world, the_state, NOW)
    assert isinstance(run, Run), run
    return run


def test_a_broken_checkout_config_is_settled_from_the_ledgers_record():
    """With no readable config in the checkout, the version the ledger records is in force; without one, NoConfig."""
    recorded = started().with_decisions(config=AdoptedConfig(text=TEXT, commit="c1", how="start"))
    assert settled(None, world(), recorded).config.study.name == "Study-MLOps"
    with pytest.raises(NoConfig):
        settle(RunSettings(), None, world(), started(), NOW)
    unreadable = started().with_decisions(config=AdoptedConfig(text="members: [", commit="c1", how="start"))
    with pytest.raises(NoConfig):
        settle(RunSettings(), None, world(), unreadable, NOW)


def test_the_setup_issue_names_the_version_a_start_adopts():
    """A start from the leader adopts the version the bot's setup issue names; a week issue beside it is no setup issue."""
    setup = Issue(1, "설정", marker(0, Kind.SETUP) + "\n" + hidden_line("config", "c2"), IssueState.OPEN, (), "github-actions[bot]", NOW, NOW)
    week = Issue(2, "[1주차] Q&A", marker(1, Kind.ISSUE), IssueState.OPEN, (), "github-actions[bot]", NOW, NOW)
    start = comment(1, "/studybot 시작", LEADER, NOW)
    the_world = with_config({"c2": TEXT}, issues=(week, setup), comments=(start,), permissions={LEADER: Permission.ADMIN})
    run = settled(parse_config(TEXT), the_world, state())
    assert run.state.decisions.started is not None and run.stale_starts == ()
    assert run.state.decisions.config is not None and run.state.decisions.config.commit == "c2"


def test_a_start_without_a_version_in_force_adopts_the_checkouts_text():
    """No version of the file validates: the start adopts the checkout's file as it is."""
    start = comment(1, "/studybot start", LEADER, NOW)
    the_world = with_config({"c2": "members: ["}, comments=(start,), permissions={LEADER: Permission.ADMIN})
    the_world = dataclasses.replace(the_world, files={**the_world.files, CONFIG_PATH: TEXT})
    run = settled(parse_config(TEXT), the_world, state())
    assert run.version is None
    assert run.state.decisions.config is not None and run.state.decisions.config.text == TEXT


def test_config_adoption_finds_nothing_it_can_adopt():
    """`/studybot config` with no version pushed before it (or none that parses) leaves the config in force alone."""
    command = comment(1, "/studybot config", LEADER, kst(2022, 4, 7))
    late = Push(before="c1", after="c2", actor=LEADER, at=kst(2022, 4, 7, 1))
    the_world = with_config({"c2": TEXT.replace("late: 3000", "late: 1000")}, comments=(command,),
                            permissions={LEADER: Permission.ADMIN})
    assert adopted_before(the_world, _request(command), [late]) is None
    unparsable = with_config({"c2": "members: ["}, comments=(command,), permissions={LEADER: Permission.ADMIN})
    run = settled(parse_config(TEXT), unparsable, started())
    assert run.config.fines.late == 3000 and run.state.decisions.config is None
    nowhere = dataclasses.replace(the_world, config_path=None)
    assert adopted_before(nowhere, _request(command), []) is None


def test_settle_asks_for_the_permissions_of_command_authors():
    """A command whose author's role is unknown is a read request, widened with the branch's rules."""
    command = comment(1, "/studybot excuse @mijinkoo 1 병결", LEADER, NOW)
    asked = settle(RunSettings(), parse_config(TEXT), world(github=online(comments=(command,))), started(), NOW)
    assert isinstance(asked, ReadRequest) and asked.permissions == {LEADER} and asked.rules


def _request(item):
    from studybot.core.commands import pending_requests

    (request,) = pending_requests([item], state())
    return request


def test_a_ledger_rewritten_away_by_maintainers_alone_is_taken_as_it_is():
    """The bot's commits are gone from the checkout, but only the bot and maintainers pushed since: nothing to restore."""
    bot = Push(before="a", after="gone", actor="github-actions[bot]", at=dt.datetime(2022, 4, 1, tzinfo=dt.UTC))
    leader = Push(before="gone", after="h", actor=LEADER, at=dt.datetime(2022, 4, 2, tzinfo=dt.UTC))
    member = Push(before="gone", after="h", actor="mijinkoo", at=dt.datetime(2022, 4, 2, tzinfo=dt.UTC))

    def trust(pushes):
        return ledger_in_force(
            "h", {"h": "blob"}, pushes, lambda actor: actor in (LEADER, "github-actions[bot]"),
            lambda actor: (actor or "").endswith("[bot]"), whole_log=True,
        )

    assert trust([bot, leader]).keep is None
    assert trust([leader]).keep is None  # the bot never pushed: nothing to judge by
    assert trust([bot, member]).keep == "gone" and trust([bot, member]).refused == Refusal("h", "mijinkoo", member.at)
