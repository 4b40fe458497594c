"""Two runs at once: the week's issue is looked up again right before it is created."""

from __future__ import annotations

import json

from helpers import decide_on, kst, started
from studyworld import Study, job

from studybot.core.config import parse_config
from studybot.core.decide import decide
from studybot.core.markers import Kind, marker
from studybot.core.plan import CreateIssue
from studybot.core.records import Issue, IssueState
from studybot.shell.demo import example_file
from studybot.shell.read import open_checkout
from studybot.shell.runner import apply_with_retry, plan_run

AT = kst(2022, 4, 6, 10)


def test_a_run_that_finds_the_issue_another_run_just_opened_uses_it(tmp_path):
    """Run A has decided to open week 1's issue when run B opens it: A uses B's issue, and there is one."""
    text = example_file("study.yml")
    config = parse_config(text)
    study = Study(tmp_path, config, example_file("README.md"), text, kst(2022, 4, 6, 9))
    planned = plan_run(config, open_checkout(study.workspace), study.github, AT, job())
    world, plan = planned.world, planned.plan
    assert any(isinstance(op, CreateIssue) and op.week == 1 for op in plan.operations)
    study.run(AT)  # run B, all of it, in between
    applied = apply_with_retry(
        study.github, world, plan, branch="main", ledger_path=config.output.ledger,
        redecide=lambda world, state: decide(planned.run, world, state), before=planned.run.state,
    )
    assert [number for number, issue in study.github.issues.items() if marker(1, Kind.ISSUE) in issue.body] == [1]
    assert applied.state.sync.issues[1].number == 1
    assert json.loads(study.github.files["main"][config.output.ledger])["sync"]["issues"]["1"]["number"] == 1


def issue(number: int, body: str, author: str) -> Issue:
    return Issue(number, "[1주차] Q&A", body, IssueState.OPEN, ("Q&A",), author, AT, AT)


def test_only_the_bots_issue_for_that_week_counts(seed, seed_schedule):
    """A member's copy of the marker, or another week's issue, is not taken for this week's: the issue is still opened."""
    from test_decide import online, world

    found = (
        issue(5, marker(2, Kind.ISSUE), "github-actions[bot]"),
        issue(6, marker(1, Kind.ISSUE), "mijinkoo"),
        issue(7, "no marker here", "github-actions[bot]"),
    )

    def opens(issues) -> bool:
        plan = decide_on(seed, seed_schedule, world(github=online(issues=issues)), started(), AT)
        return any(isinstance(op, CreateIssue) and op.week == 1 for op in plan.operations)

    assert opens(found)
    ours = issue(8, marker(1, Kind.ISSUE) + "\n## 1주차 Q&A", "github-actions[bot]")
    assert not opens((*found, ours))


def test_a_run_with_a_command_replays_the_readme_history_once(tmp_path, monkeypatch):
    """Reading again for the command author's permission and applying the command reuse one replay."""
    import studybot.core.decide as decide_module
    from studybot.core.records import Permission

    text = example_file("study.yml")
    config = parse_config(text)
    study = Study(tmp_path, config, example_file("README.md"), text, kst(2022, 4, 6, 9))
    study.run(AT)
    study.github.set_permission("SEOJIN-Lab", Permission.ADMIN)
    week1 = next(number for number, item in study.github.issues.items() if marker(1, Kind.ISSUE) in item.body)
    study.github.add_comment(week1, "/studybot excuse @mijinkoo 1 병결", "SEOJIN-Lab", at=kst(2022, 4, 7))
    replays = []
    real = decide_module.replay_history  # the README and folder history, replayed or taken from the ledger
    monkeypatch.setattr(decide_module, "replay_history", lambda *args, **kwargs: replays.append(1) or real(*args, **kwargs))
    outcome = study.run(kst(2022, 4, 7, 1))
    assert outcome.report.weeks[0].members["구미진"].verdict.value == "excused"
    assert len(replays) == 1
