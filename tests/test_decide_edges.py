"""decide's less travelled paths, on worlds built in memory: commands, ledgers, notices, setup."""

from __future__ import annotations

import dataclasses
import datetime as dt

from helpers import decide_on, kst, started, state
from test_decide import WEEK1_DEADLINE, comment, online, world

from studybot.core.decide import Plan, week_timeline
from studybot.core.markers import Kind, digest, marker
from studybot.core.plan import CommitFiles, CreateIssue, Reply, SetupIssue
from studybot.core.records import Comment, Permission
from studybot.core.state import BotComment, Cursors, Push, WeekIssue, dump_state
from studybot.core.world import EMPTY_LEDGER, GitRecords, ReadRequest, World

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
