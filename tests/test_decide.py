"""decide on worlds built in memory: no git, no fake server, just data in and a plan out."""

from __future__ import annotations

import dataclasses
import datetime as dt

from helpers import decide_on, kst, started, state

from studybot.core.markers import Kind, marker
from studybot.core.plan import (
    CloseIssue,
    CloseQuestion,
    CommitFiles,
    CreateIssue,
    PostComment,
    Reply,
    SetupIssue,
)
from studybot.core.records import (
    ActivityPage,
    Comment,
    CommitInfo,
    Hunk,
    Issue,
    IssueState,
    PatchCommit,
    Permission,
)
from studybot.core.state import WeekIssue, dump_state
from studybot.core.verdicts import Verdict
from studybot.core.world import EMPTY_LEDGER, GitHubRecords, GitRecords, World

README = "# Study\n\n|주차|과제|팀블로그|\n|---|---|---|\n|1주차|[장서진]() [구미진]()|이은빈|\n"
WEEK1_DEADLINE = kst(2022, 4, 13)


def commit(sha: str, parent: str | None, at: dt.datetime) -> CommitInfo:
    return CommitInfo(sha, (parent,) if parent else (), "장서진", "SEOJIN-Lab@users.noreply.github.com", at)


def world(*, github: GitHubRecords | None = None, ledger: str | None = None, **git: object) -> World:
    """The seed study's README at week 1, with a history given as records."""
    records = GitRecords(head="c2", parents={"c1": (), "c2": ("c1",)}, **git)  # type: ignore[arg-type]
    return World({"README.md": README}, ledger, records, github)


def online(**fields: object) -> GitHubRecords:
    fields.setdefault("activity", ActivityPage((), None))
    fields.setdefault("rules_read", True)  # as a run that writes reads them (here: unreadable)
    return GitHubRecords(branch="main", **fields)  # type: ignore[arg-type]


def comment(number: int, body: str, author: str, at: dt.datetime) -> Comment:
    return Comment(number, 9, author, body, at, at)


def test_a_link_put_into_the_table_is_judged_from_the_history_records(seed, seed_schedule):
    """A README patch that fills 장서진's cell before the deadline makes her week 1 on time."""
    filled = "|1주차|[장서진](https://blog.example/1) [구미진]()|이은빈|"
    patch = PatchCommit(commit("c2", "c1", kst(2022, 4, 10)), (Hunk(5, 1, 5, 1, (README.splitlines()[4],), (filled,)),))
    created = PatchCommit(commit("c1", None, kst(2022, 4, 1)), (Hunk(0, 0, 1, 5, (), tuple(README.splitlines())),))
    plan = decide_on(seed, seed_schedule, world(readme_patches=(created, patch)), state(), kst(2022, 4, 14))
    week1 = plan.report.weeks[0].members
    assert week1["장서진"].verdict is Verdict.ON_TIME and week1["구미진"].verdict is Verdict.ABSENT
    assert plan.state.decisions.weeks[1].members["구미진"].verdict is Verdict.ABSENT  # frozen: the week is final


def test_the_week_opens_with_an_issue_and_one_commit(seed, seed_schedule):
    """A week before the deadline the plan opens the week's issue and commits tables and ledger."""
    plan = decide_on(seed, seed_schedule, world(github=online()), started(), WEEK1_DEADLINE - dt.timedelta(days=6))
    assert [type(op) for op in plan.operations] == [CreateIssue, CommitFiles]
    assert plan.operations[0].title == "[1주차] Q&A" and plan.reread is None


def test_a_command_first_asks_for_its_authors_permission(seed, seed_schedule):
    """decide reads no permission itself: it asks for the author's, then applies the command."""
    excuse = comment(50, "/studybot excuse @mijinkoo 1 병결", "SEOJIN-Lab", kst(2022, 4, 8))
    asked = decide_on(seed, seed_schedule, world(github=online(comments=(excuse,))), started(), kst(2022, 4, 8))
    assert asked.reread is not None and asked.reread.permissions == {"SEOJIN-Lab"} and not asked.operations
    granted = online(comments=(excuse,), permissions={"SEOJIN-Lab": Permission.ADMIN})
    plan = decide_on(seed, seed_schedule, world(github=granted, ), started(), kst(2022, 4, 8))
    assert any(isinstance(op, Reply) and op.comment == 50 for op in plan.operations)
    assert plan.report.weeks[0].members["구미진"].verdict is Verdict.EXCUSED


def test_a_member_with_write_access_cannot_command(seed, seed_schedule):
    """A member who is not a configured maintainer is refused even with write permission."""
    paid = comment(51, "/studybot paid @mijinkoo 3000", "mijinkoo", kst(2022, 4, 8))
    granted = online(comments=(paid,), permissions={"mijinkoo": Permission.WRITE})
    plan = decide_on(seed, seed_schedule, world(github=granted), started(), kst(2022, 4, 8))
    assert plan.state.decisions.overrides == []
    (refusal,) = [op for op in plan.operations if isinstance(op, Reply)]
    assert refusal.reaction is None and "스터디장(장서진)만" in (refusal.body or "")  # one write: the reply


def test_question_issues_are_read_only_when_a_week_closes(seed, seed_schedule):
    """At the deadline decide asks for the open question issues, then closes the right one by number."""
    opened = started(issues={1: WeekIssue(number=3)})
    at_deadline = WEEK1_DEADLINE + dt.timedelta(minutes=5)
    asked = decide_on(seed, seed_schedule, world(github=online()), opened, at_deadline)
    assert asked.reread is not None and asked.reread.questions
    question = Issue(7, "질문", "", IssueState.OPEN, ("question",), "mijinkoo", kst(2022, 4, 11), kst(2022, 4, 11))
    later = Issue(8, "질문", "", IssueState.OPEN, ("question",), "mijinkoo", kst(2022, 4, 13, 0, 1), kst(2022, 4, 13, 0, 1))
    plan = decide_on(seed, seed_schedule, world(github=online(questions=(question, later))), opened, at_deadline)
    writes = plan.operations
    assert [(type(op).__name__, getattr(op, "issue", None)) for op in writes[:3]] == [
        ("PostComment", None), ("CloseIssue", 3), ("CloseQuestion", 7),
    ]
    assert isinstance(writes[0], PostComment) and writes[0].kind is Kind.CLOSING
    assert plan.state.sync.issues[1].week_closed
    assert not any(isinstance(op, CloseQuestion) and op.issue == 8 for op in plan.operations)
    assert isinstance(writes[1], CloseIssue)


def test_a_ledger_pushed_by_a_member_is_not_used(seed, seed_schedule):
    """When a member's push changed the ledger after the bot's last push, decide asks for the bot's one."""
    from studybot.core.records import Activity

    log = (
        Activity(1, "push", "refs/heads/main", "c0", "c1", "github-actions[bot]", kst(2022, 4, 7)),
        Activity(2, "push", "refs/heads/main", "c1", "c2", "mijinkoo", kst(2022, 4, 8)),
    )
    ledger = dump_state(started())
    member_world = world(
        github=online(activity=ActivityPage(log, None)), ledger=ledger, ledger_blobs={"c1": "", "c2": "b2"}
    )
    plan = decide_on(seed, seed_schedule, member_world, started(), kst(2022, 4, 8))
    assert plan.reread is not None and plan.reread.ledger_at == EMPTY_LEDGER
    assert plan.reread.restored == ("c2", "mijinkoo") and not plan.operations


def test_a_ledger_no_push_explains_asks_for_the_whole_activity_log(seed, seed_schedule):
    """A ledger the bot's newest push does not explain is judged on the whole activity log, not the cursor's part."""
    from studybot.core.records import Activity
    from studybot.core.state import Cursors

    moved = started().with_sync(cursors=Cursors(activity_after="past-everything"))
    log = (Activity(1, "push", "refs/heads/main", "c0", "c1", "github-actions[bot]", kst(2022, 4, 7)),)
    tampered = world(github=online(activity=ActivityPage(log, None)), ledger=dump_state(moved), ledger_blobs={"c1": "b1", "c2": "b2"})
    plan = decide_on(seed, seed_schedule, tampered, moved, kst(2022, 4, 8))
    assert plan.reread is not None and plan.reread.whole_log and not plan.operations


def test_nothing_new_plans_nothing(seed, seed_schedule):
    """A run that finds the issue open, its body current and no news plans no write at all."""
    now = WEEK1_DEADLINE - dt.timedelta(days=3)
    first = decide_on(seed, seed_schedule, world(github=online()), started(), now)
    body = first.operations[0].body  # type: ignore[union-attr]
    from studybot.core.markers import digest

    opened = first.state.with_sync(issues={1: WeekIssue(number=3, digest=digest(body))})
    commit = first.operations[-1]
    assert isinstance(commit, CommitFiles)
    after = World({"README.md": commit.readme, **dict(commit.files)}, dump_state(opened), world().git, online())
    again = decide_on(seed, seed_schedule, after, opened, now)
    assert again.operations == ()
    assert marker(1, Kind.ISSUE) in body


def test_the_first_run_opens_only_the_setup_issue(seed, seed_schedule):
    """Before a maintainer starts it, a run plans the setup issue and no other write, not even a commit."""
    plan = decide_on(seed, seed_schedule, world(github=online()), state(), kst(2022, 4, 14))
    (setup,) = plan.operations
    assert isinstance(setup, SetupIssue) and setup.issue is None
    assert marker(0, Kind.SETUP) in setup.body and "/studybot 시작" in setup.body
    assert "Laptop" not in setup.body and plan.state.decisions.weeks == {}  # nothing frozen


def test_a_maintainers_start_lets_the_weekly_work_begin(seed, seed_schedule):
    """/studybot 시작 from a maintainer: the start is recorded and the run does what is due."""
    start = comment(60, "/studybot 시작", "SEOJIN-Lab", kst(2022, 4, 7))
    granted = online(comments=(start,), permissions={"SEOJIN-Lab": Permission.ADMIN})
    plan = decide_on(seed, seed_schedule, world(github=granted), state(), kst(2022, 4, 7))
    assert plan.state.decisions.started is not None and plan.state.decisions.started.by == "SEOJIN-Lab"
    assert {type(op) for op in plan.operations} >= {CreateIssue, CommitFiles, Reply}


def test_a_members_start_does_not_start_it(seed, seed_schedule):
    """A member without maintainer: true cannot start the bot; the setup issue stays the only write."""
    start = comment(61, "/studybot start", "mijinkoo", kst(2022, 4, 7))
    granted = online(comments=(start,), permissions={"mijinkoo": Permission.WRITE})
    plan = decide_on(seed, seed_schedule, world(github=granted), state(), kst(2022, 4, 7))
    assert [type(op) for op in plan.operations] == [SetupIssue]


def test_the_setup_issue_and_the_summary_name_the_unguarded_paths(seed, seed_schedule):
    """Without CODEOWNERS the setup issue says which paths any member can change and how to guard them."""
    setup = decide_on(seed, seed_schedule, world(github=online()), state(), kst(2022, 4, 14)).operations[0]
    assert "CODEOWNERS가 `config/`, `.studybot/`, `.github/workflows/`를 지키지 않습니다" in setup.body  # type: ignore[union-attr]
    plan = decide_on(seed, seed_schedule, world(github=online()), started(), kst(2022, 4, 8))
    assert any("CODEOWNERS" in note for note in plan.notes)


def test_a_codeowners_file_that_guards_everything_is_acknowledged(seed, seed_schedule):
    """With `* @leader` in .github/CODEOWNERS the setup issue says so and runs add no warning."""
    guarded = World({"README.md": README, ".github/CODEOWNERS": "* @SEOJIN-Lab\n"}, None, world().git, online())
    setup = decide_on(seed, seed_schedule, guarded, state(), kst(2022, 4, 14)).operations[0]
    assert "CODEOWNERS로 스터디장의 검토를 받습니다" in setup.body  # type: ignore[union-attr]
    plan = decide_on(seed, seed_schedule, guarded, started(), kst(2022, 4, 8))
    assert not any("CODEOWNERS" in note for note in plan.notes)


def test_broken_readme_markers_stop_only_the_readme(seed, seed_schedule):
    """With a start marker and no end, the issue still opens and the ledger is committed; the problem is named."""
    broken = README + "\n<!-- studybot:fines:start -->\nold table\n"
    plan = decide_on(seed, seed_schedule, World({"README.md": broken}, None, world().git, online()), started(),
                  WEEK1_DEADLINE - dt.timedelta(days=6))
    assert [type(op) for op in plan.operations] == [CreateIssue, CommitFiles]
    commit = plan.operations[-1]
    assert isinstance(commit, CommitFiles) and commit.readme is None  # the README is left as it is
    (problem,) = plan.problems
    assert "<!-- studybot:fines:end -->" in problem


def test_before_the_start_no_config_is_recorded_and_the_head_config_shows(seed, seed_schedule):
    """Until a maintainer starts the study, the setup issue shows the config at the head and nothing is adopted."""
    from studybot.shell.demo import example_file

    text = example_file("study.yml")
    records = dict(changes={"config/study.yml": ("c2",)}, versions={"c2": text})
    before = dataclasses.replace(world(github=online(), **records), config_path="config/study.yml",
                                 files={"README.md": README, "config/study.yml": text})
    plan = decide_on(seed, seed_schedule, before, state(), kst(2022, 4, 8))
    assert [type(op) for op in plan.operations] == [SetupIssue] and plan.state.decisions.config is None


def test_the_branch_rules_are_read_only_by_a_run_that_writes(seed, seed_schedule):
    """A run with writes due asks for the branch's rules and then names the open folders; a quiet run asks for nothing."""
    from studybot.core.markers import digest

    now = WEEK1_DEADLINE - dt.timedelta(days=3)
    asked = decide_on(seed, seed_schedule, world(github=online(rules_read=False)), started(), now)
    assert asked.reread is not None and asked.reread.rules and not asked.operations
    first = decide_on(seed, seed_schedule, world(github=online()), started(), now)
    assert any("CODEOWNERS" in note for note in first.notes)
    body = first.operations[0].body  # type: ignore[union-attr]
    opened = first.state.with_sync(issues={1: WeekIssue(number=3, digest=digest(body))})
    commit = first.operations[-1]
    assert isinstance(commit, CommitFiles)
    after = World({"README.md": commit.readme, **dict(commit.files)}, dump_state(opened), world().git, online(rules_read=False))
    quiet = decide_on(seed, seed_schedule, after, opened, now)
    assert quiet.reread is None and quiet.operations == () and not any("CODEOWNERS" in note for note in quiet.notes)


def test_a_config_record_or_history_that_no_longer_validates_falls_back(seed, seed_schedule):
    """A recorded config this version cannot read is judged again from the file's history; with none readable, the checkout's stands."""
    from studybot.core.state import AdoptedConfig
    from studybot.shell.demo import example_file

    text = example_file("study.yml")
    broken = started().with_decisions(config=AdoptedConfig(text="members: [", commit="gone", how="start"))
    readable = dataclasses.replace(world(github=online(), changes={"config/study.yml": ("c2",)}, versions={"c2": text}),
                                   config_path="config/study.yml")
    plan = decide_on(seed, seed_schedule, readable, broken, kst(2022, 4, 8))
    assert plan.state.decisions.config is not None and plan.state.decisions.config.text == text
    unreadable = dataclasses.replace(world(github=online(), changes={"config/study.yml": ("c2",)}, versions={"c2": "members: ["}),
                                     config_path="config/study.yml")
    kept = decide_on(seed, seed_schedule, unreadable, broken, kst(2022, 4, 8))
    assert kept.reread is None and kept.state.decisions.config == broken.decisions.config
