"""decide's less travelled paths, on worlds built in memory: commands, ledgers, notices, setup."""

from __future__ import annotations

import datetime as dt

from helpers import kst, started, state
from test_decide import WEEK1_DEADLINE, comment, online, world

from studybot.core.decide import Plan, decide
from studybot.core.markers import Kind, digest, marker
from studybot.core.plan import Reply, SetupIssue
from studybot.core.records import Comment, Permission
from studybot.core.state import BotComment, WeekIssue

LEADER = "SEOJIN-Lab"
GRANTED = {LEADER: Permission.ADMIN}


def run(seed, seed_schedule, *comments: Comment, now=kst(2022, 4, 8), ledger=None, **github) -> Plan:
    """One run with the leader's permission known and ``comments`` on the week's issue."""
    github.setdefault("permissions", GRANTED)
    return decide(seed, seed_schedule, world(github=online(comments=comments, **github)), ledger or started(), now)


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
    plan = decide(seed, seed_schedule, world(github=online()), started(), WEEK1_DEADLINE - dt.timedelta(days=6),
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
    (setup,) = decide(seed, seed_schedule, stranger_world(), state(), kst(2022, 4, 20)).operations
    assert isinstance(setup, SetupIssue) and setup.issue is None
    assert "guest@example.com" in setup.body and "2" in setup.body
    stale = state(setup=WeekIssue(number=2, digest="old"))
    (edit,) = decide(seed, seed_schedule, stranger_world(), stale, kst(2022, 4, 20)).operations
    assert isinstance(edit, SetupIssue) and edit.issue == 2 and edit.body == setup.body
    current = state(setup=WeekIssue(number=2, digest=digest(setup.body)))
    assert decide(seed, seed_schedule, stranger_world(), current, kst(2022, 4, 20)).operations == ()
    closed = state(setup=WeekIssue(number=2, state="closed", digest="old"))
    plan = decide(seed, seed_schedule, stranger_world(), closed, kst(2022, 4, 20))
    assert plan.operations == () and plan.notes
