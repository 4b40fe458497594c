"""decide on worlds built in memory: no git, no fake server, just data in and a plan out."""

from __future__ import annotations

import dataclasses
import datetime as dt

from helpers import decide_on, kst, started, state

from studybot.core.decide import Plan, week_timeline
from studybot.core.markers import Kind, digest, marker
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
from studybot.core.state import BotComment, Cursors, Push, WeekIssue, dump_state
from studybot.core.verdicts import Verdict
from studybot.core.world import EMPTY_LEDGER, GitHubRecords, GitRecords, ReadRequest, World

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
    assert [type(op) for op in plan.operations] == [SetupIssue, Reply]  # one reply names who may start
    assert "스터디장(장서진)만" in (plan.operations[1].body or "")  # type: ignore[union-attr]


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


# ---- decide's less travelled paths, on worlds built in memory: commands, ledgers, notices, setup ----

LEADER = "SEOJIN-Lab"
GRANTED = {LEADER: Permission.ADMIN}


def run(seed, seed_schedule, *comments: Comment, now=kst(2022, 4, 8), ledger=None, **github) -> Plan:
    """One run with the leader's permission known and ``comments`` on the week's issue."""
    github.setdefault("permissions", GRANTED)
    return decide_on(seed, seed_schedule, world(github=online(comments=comments, **github)), ledger or started(), now)


def answer(plan: Plan, comment_id: int) -> Reply:
    (reply,) = [op for op in plan.operations if isinstance(op, Reply) and op.comment == comment_id]
    return reply


def test_a_command_that_appears_through_an_edit_is_refused(seed, seed_schedule):
    """A command edited into a comment is refused, because GitHub does not say who edited it."""
    edited = Comment(60, 9, LEADER, "/studybot excuse @mijinkoo 1", kst(2022, 4, 7), kst(2022, 4, 8))
    plan = run(seed, seed_schedule, edited)
    assert plan.state.decisions.overrides == [] and "수정한 댓글" in (answer(plan, 60).body or "")


def test_an_unknown_member_or_week_is_answered_with_a_confused_reaction(seed, seed_schedule):
    """Excusing someone not in the study, or week 99, changes nothing and says why."""
    plan = run(seed, seed_schedule, comment(61, "/studybot excuse @nobody 1 병결", LEADER, kst(2022, 4, 8)),
               comment(62, "/studybot excuse @mijinkoo 99 병결", LEADER, kst(2022, 4, 8)))
    assert plan.state.decisions.overrides == []
    assert "@nobody" in (answer(plan, 61).body or "") and answer(plan, 61).reaction == "confused"
    assert "99" in (answer(plan, 62).body or "")


def test_a_blog_swap_needs_a_known_member_and_an_open_week(seed, seed_schedule):
    """Swapping with a stranger, or swapping a week already final, is refused."""
    stranger = comment(63, "/studybot swap-blog 2 @m0oon0 @nobody", LEADER, kst(2022, 4, 20))
    past = comment(64, "/studybot swap-blog 1 @binable43 @m0oon0", LEADER, kst(2022, 4, 20))
    plan = run(seed, seed_schedule, stranger, past, now=kst(2022, 4, 20))
    assert plan.state.decisions.overrides == []
    assert "@nobody" in (answer(plan, 63).body or "") and answer(plan, 64).reaction == "confused"


def test_a_swap_in_the_last_week_has_nothing_to_give_back(seed, seed_schedule):
    """In the final week the new writer has no later week, so only one swap is recorded."""
    last = seed_schedule.weeks[-1].number
    writer = run(seed, seed_schedule).report.writers[last]
    login = next(m.github for m in seed.members if m.name == writer)
    other = next(m.github for m in seed.members if m.name != writer)
    plan = run(seed, seed_schedule, comment(65, f"/studybot swap-blog {last} @{login} @{other}", LEADER, kst(2022, 4, 8)))
    assert [(o.kind, o.week) for o in plan.state.decisions.overrides] == [("swap-blog", last)]


def test_a_command_already_answered_is_not_answered_twice(seed, seed_schedule):
    """When the bot's reply to a command exists already, applying it again posts no second reply."""
    replied = started(bot_comments={marker(0, Kind.REPLY, 66): BotComment(id=900)})
    plan = run(seed, seed_schedule, comment(66, "/studybot help", LEADER, kst(2022, 4, 8)), ledger=replied)
    assert not [op for op in plan.operations if isinstance(op, Reply)] and 66 in plan.state.sync.commands


def test_a_recheck_reads_the_history_from_the_start(seed, seed_schedule):
    """/studybot recheck makes the run ask for a read from the start before writing anything."""
    plan = run(seed, seed_schedule, comment(67, "/studybot recheck", LEADER, kst(2022, 4, 8)))
    assert plan.reread is not None and plan.reread.from_start and not plan.operations


def test_only_week_keeps_other_weeks_writes_out(seed, seed_schedule):
    """A run limited to week 2 opens no issue for week 1 but still commits the ledger."""
    plan = decide_on(seed, seed_schedule, world(github=online()), started(), WEEK1_DEADLINE - dt.timedelta(days=6),
                  only_week=2)
    assert [type(op).__name__ for op in plan.operations] == ["CommitFiles"]
    assert state() is not None


def test_a_second_start_is_acknowledged_with_a_reaction(seed, seed_schedule):
    """A /studybot start after the study has started changes nothing and gets a thumbs-up only."""
    plan = run(seed, seed_schedule, comment(68, "/studybot start", LEADER, kst(2022, 4, 8)))
    assert answer(plan, 68) == Reply(9, 68, reaction="+1")
    assert plan.state.decisions.started is not None and plan.state.decisions.started.comment is None


def test_a_malformed_command_is_answered_with_its_problem(seed, seed_schedule):
    """An excuse without a reason is not applied, and the reply quotes the line that lacks it."""
    plan = run(seed, seed_schedule, comment(69, "/studybot excuse @mijinkoo 1", LEADER, kst(2022, 4, 8)))
    reply = answer(plan, 69)
    assert plan.state.decisions.overrides == [] and reply.reaction == "confused"
    assert "/studybot excuse @mijinkoo 1" in (reply.body or "")


def test_an_excuse_reaches_a_week_already_frozen(seed, seed_schedule):
    """Excusing 구미진 after week 1 froze turns her frozen absence into an excused week; week 2 is simply waived."""
    frozen = run(seed, seed_schedule, now=kst(2022, 4, 20)).state
    assert frozen.decisions.weeks[1].members["구미진"].verdict.value == "absent"
    excuse = comment(70, "/studybot excuse @mijinkoo 1 병결", LEADER, kst(2022, 4, 21))
    ahead = comment(71, "/studybot excuse @mijinkoo 2 병결", LEADER, kst(2022, 4, 21))
    plan = run(seed, seed_schedule, excuse, ahead, now=kst(2022, 4, 21), ledger=frozen)
    assert plan.state.decisions.weeks[1].members["구미진"].verdict.value == "excused"
    assert [(o.kind, o.week) for o in plan.state.decisions.overrides] == [("excuse", 1), ("excuse", 2)]


def test_members_comments_on_the_weeks_issue_are_answered_once(seed, seed_schedule):
    """A counted link gets a rocket, a bare link in chat gets one reply, and guests, commands,
    the bot's own comments and plain chatter get nothing."""
    at = kst(2022, 4, 8)
    comments = (
        comment(80, "제출합니다 https://blog.example/1", "mijinkoo", at),
        comment(81, "이거 참고하세요 https://blog.example/ref 좋네요", "binable43", at),
        comment(82, "제출합니다 https://blog.example/2", "someone-else", at),
        comment(83, marker(1, Kind.REMINDER) + "\n제출 https://x.example", "binable43", at),
        comment(84, "/studybot 현황", "binable43", at),
        comment(85, "수고하셨습니다", "binable43", at),
    )
    opened = started(issues={1: WeekIssue(number=9)}, commands=[86])
    answered = comment(86, "제출합니다 https://blog.example/3", "shining-arrow", at)
    plan = run(seed, seed_schedule, *comments, answered, ledger=opened)
    replies = {op.comment: op for op in plan.operations if isinstance(op, Reply)}
    assert replies[80].reaction == "rocket" and replies[80].body is None
    assert replies[81].body is not None and "@binable43" in replies[81].body
    assert {82, 83, 85, 86}.isdisjoint(replies) and replies[84].body is not None  # 84: answered as a command


def test_comments_on_a_week_past_its_late_window_are_left_alone(seed, seed_schedule):
    """A link posted on week 1's issue long after its cut-off gets no reaction at all."""
    opened = started(issues={1: WeekIssue(number=9)})
    late = comment(87, "제출합니다 https://blog.example/1", "mijinkoo", kst(2022, 5, 20))
    plan = run(seed, seed_schedule, late, ledger=opened, now=kst(2022, 5, 20))
    assert not any(isinstance(op, Reply) and op.comment == 87 for op in plan.operations)


def stranger_world(**github):
    """The seed README committed twice by an address no member matches, and once by 장서진."""
    from test_decide import README, commit

    from studybot.core.records import CommitInfo, Hunk, PatchCommit

    lines = tuple(README.splitlines())
    created = PatchCommit(commit("c1", None, kst(2022, 4, 1)), (Hunk(0, 0, 1, 5, (), lines),))
    by = CommitInfo("c2", ("c1",), "Guest", "guest@example.com", kst(2022, 4, 2))
    again = CommitInfo("c3", ("c2",), "Guest", "GUEST@example.com", kst(2022, 4, 3))
    patches = (created, PatchCommit(by, ()), PatchCommit(again, ()))
    return world(github=online(**github), readme_patches=patches)


def test_the_setup_issue_names_unmatched_authors_and_is_kept_current(seed, seed_schedule):
    """Before the start the setup issue lists the commit author no member matches, with a count,
    and is edited only while open and only when its body changed."""
    (setup,) = decide_on(seed, seed_schedule, stranger_world(), state(), kst(2022, 4, 20)).operations
    assert isinstance(setup, SetupIssue) and setup.issue is None
    assert "guest@example.com" in setup.body and "2" in setup.body
    stale = state(setup=WeekIssue(number=2, digest="old"))
    (edit,) = decide_on(seed, seed_schedule, stranger_world(), stale, kst(2022, 4, 20)).operations
    assert isinstance(edit, SetupIssue) and edit.issue == 2 and edit.body == setup.body
    current = state(setup=WeekIssue(number=2, digest=digest(setup.body)))
    assert decide_on(seed, seed_schedule, stranger_world(), current, kst(2022, 4, 20)).operations == ()
    closed = state(setup=WeekIssue(number=2, state="closed", digest="old"))
    plan = decide_on(seed, seed_schedule, stranger_world(), closed, kst(2022, 4, 20))
    assert plan.operations == () and plan.notes


def test_a_restored_ledger_is_announced_to_the_leader(seed, seed_schedule):
    """After a member's ledger push is set aside, the run notes which commit and who pushed it."""
    request = ReadRequest(ledger_at=EMPTY_LEDGER, restored=("c2abcdef123", "mijinkoo"))
    restored = dataclasses.replace(world(github=online(), ledger_changes=("c2",)), request=request)
    plan = decide_on(seed, seed_schedule, restored, started(), kst(2022, 4, 8))
    assert plan.reread is None and any("c2abcde" in note and "mijinkoo" in note for note in plan.notes)
    assert plan.operations and isinstance(plan.operations[-1], CommitFiles)


def test_a_ledger_pushed_by_the_leader_or_the_bot_is_used(seed, seed_schedule):
    """Ledger changes pushed by the study leader, or by no push the log knows, are trusted as they are."""
    pushes = [Push(before="c1", after="c2", at=kst(2022, 4, 8), actor=LEADER)]
    led = world(github=online(), ledger=dump_state(started(pushes=pushes)), ledger_changes=("c2",))
    assert decide_on(seed, seed_schedule, led, started(pushes=pushes), kst(2022, 4, 8)).reread is None
    unknown = world(github=online(), ledger=dump_state(started()), ledger_changes=("c9",))
    assert decide_on(seed, seed_schedule, unknown, started(), kst(2022, 4, 8)).reread is None


def test_a_foreign_ledger_falls_back_to_the_leaders_edit_after_the_bots_push(seed, seed_schedule):
    """After the bot's push, the leader's ledger edit stands and a member's later one is set aside for it."""
    from studybot.core.records import Activity, ActivityPage

    log = (
        Activity(1, "push", "refs/heads/main", "b", "c0", "github-actions[bot]", kst(2022, 4, 6)),
        Activity(2, "push", "refs/heads/main", "c0", "c1", LEADER, kst(2022, 4, 7)),
        Activity(3, "push", "refs/heads/main", "c1", "c2", "mijinkoo", kst(2022, 4, 8)),
    )
    foreign = world(
        github=online(activity=ActivityPage(log, None)), ledger=dump_state(started()),
        ledger_blobs={"c0": "bot", "c1": "leader", "c2": "member"},
    )
    plan = decide_on(seed, seed_schedule, foreign, started(), kst(2022, 4, 8))
    assert plan.reread is not None and plan.reread.ledger_at == "c1" and plan.reread.restored == ("c2", "mijinkoo")


def test_a_recheck_read_starts_the_cursors_over(seed, seed_schedule):
    """On the read from the start the issue and comment cursors are cleared and read again."""
    ledger = started(cursors=Cursors(comments_since=kst(2022, 4, 1), head="c1"))
    request = dataclasses.replace(world(github=online()), request=ReadRequest(from_start=True))
    plan = decide_on(seed, seed_schedule, request, ledger, kst(2022, 4, 8))
    assert plan.state.sync.cursors.comments_since is None and plan.state.sync.cursors.head == "c2"


def test_commits_new_since_the_last_run_are_first_seen_now(seed, seed_schedule):
    """A commit that arrived since the last run's head is recorded as first seen at this run."""
    ledger = started(cursors=Cursors(head="c1"))
    newer = world(github=online(), seen_before=frozenset({"c1"}))
    plan = decide_on(seed, seed_schedule, newer, ledger, kst(2022, 4, 8))
    assert plan.state.sync.first_seen == {"c2": kst(2022, 4, 8)}


def test_a_broken_ledger_in_the_checkout_is_rewritten(seed, seed_schedule):
    """When the checkout's ledger cannot be read, the run commits a fresh one."""
    broken = world(github=online(), ledger="{not json")
    plan = decide_on(seed, seed_schedule, broken, started(), WEEK1_DEADLINE - dt.timedelta(days=3))
    assert isinstance(plan.operations[-1], CommitFiles)


def test_a_repository_without_a_readme_is_warned_about(seed, seed_schedule):
    """With no README at all the run still plans its week, and with one lacking the table it warns."""
    bare = World({}, None, GitRecords(head="c2", parents={"c2": ()}), online())
    plan = decide_on(seed, seed_schedule, bare, started(), WEEK1_DEADLINE - dt.timedelta(days=6))
    assert any(isinstance(op, CreateIssue) for op in plan.operations)
    tableless = World({"README.md": "# Study\n"}, None, GitRecords(head="c2", parents={"c2": ()}), online())
    plan = decide_on(seed, seed_schedule, tableless, started(), WEEK1_DEADLINE - dt.timedelta(days=6))
    assert any(notice.problem.value == "no_table" for notice in plan.report.warnings)


def test_the_timeline_of_the_current_week(seed, seed_schedule):
    """The week's steps are listed with their local times, the deadline among them."""
    plan = decide_on(seed, seed_schedule, world(github=online()), started(), kst(2022, 4, 8))
    steps = week_timeline(seed, seed_schedule, plan.report, plan.state, kst(2022, 4, 8))
    assert steps == plan.timeline and any("4월 13일(수) 00:00" in step for step in steps)


FOLDERS_ONLY = (
    "submissions:\n  readme: {enabled: false, path: README.md, week_column: 주차, column: 과제}\n"
    "  issues: {enabled: false}\n"
    '  folders: {enabled: true, pattern: "{week}주차/{name}/", create_placeholders: true}\n'
)


def test_a_folders_only_study_makes_the_weeks_folders_and_no_feed(seed_schedule):
    """A study that hands in by folders gets the open week's placeholders, and no feed or picture
    when the config turns them off."""
    from helpers import SEED_CONFIG

    from studybot.core.config import parse_config

    text = SEED_CONFIG.read_text(encoding="utf-8")
    start, end = text.index("submissions:\n"), text.index("  timing:")
    text = text[:start] + FOLDERS_ONLY + text[end:]
    text = text.replace("output: {readme: README.md, ledger: .studybot/ledger.json}",
                        "output: {readme: README.md, ledger: .studybot/ledger.json, calendar: null, picture: null}")
    config = parse_config(text)
    plan = decide_on(config, seed_schedule, world(github=online()), started(), WEEK1_DEADLINE - dt.timedelta(days=3))
    commit = plan.operations[-1]
    assert isinstance(commit, CommitFiles)
    paths = [path for path, _ in commit.files]
    assert paths and all(path.startswith("1주차/") for path in paths)
    later = decide_on(config, seed_schedule, world(github=online()), started(), WEEK1_DEADLINE + dt.timedelta(days=1))
    assert not [path for op in later.operations if isinstance(op, CommitFiles) for path, _ in op.files]


def test_status_and_refusals_cost_one_reply_a_day(seed, seed_schedule):
    """A member's second status request or a second refused command the same day gets a reaction,
    and a stranger asking for status gets a confused reaction."""
    at = kst(2022, 4, 8)
    plan = run(seed, seed_schedule,
               comment(90, "/studybot 현황", "mijinkoo", at), comment(91, "/studybot 현황", "mijinkoo", at),
               comment(92, "/studybot 현황", "someone-else", at),
               comment(93, "/studybot paid @mijinkoo 1000", "binable43", at),
               comment(94, "/studybot paid @mijinkoo 1000", "binable43", at),
               permissions={**GRANTED, "binable43": Permission.WRITE})
    assert answer(plan, 90).body is not None and answer(plan, 91) == Reply(9, 91, reaction="eyes")
    assert answer(plan, 92) == Reply(9, 92, reaction="confused")
    assert answer(plan, 93).body is not None and answer(plan, 94) == Reply(9, 94, reaction="confused")
    assert plan.state.decisions.overrides == []


def test_a_blog_swap_gives_a_later_week_back_and_needs_the_writer(seed, seed_schedule):
    """Week 2's writer handing it to 이은빈 takes her next turn in exchange; naming the wrong writer is refused."""
    report = run(seed, seed_schedule).report
    writer = report.writers[2]
    login = next(m.github for m in seed.members if m.name == writer)
    wrong = next(m.github for m in seed.members if m.name not in (writer, "이은빈"))
    plan = run(seed, seed_schedule, comment(95, f"/studybot swap-blog 2 @{wrong} @binable43", LEADER, kst(2022, 4, 8)),
               comment(96, f"/studybot swap-blog 2 @{login} @binable43", LEADER, kst(2022, 4, 8)))
    assert answer(plan, 95).reaction == "confused"
    swaps = [(o.week, o.member) for o in plan.state.decisions.overrides]
    assert swaps[0] == (2, "이은빈") and len(swaps) == 2 and swaps[1][1] == writer
