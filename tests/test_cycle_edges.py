"""The weekly cycle under less common configs and states, planned on in-memory worlds."""

from __future__ import annotations

import datetime as dt

from helpers import SEED_CONFIG, decide_on, kst, started
from test_decide import WEEK1_DEADLINE, online, world

from studybot.core.config import StudyConfig, parse_config
from studybot.core.decide import Plan
from studybot.core.markers import Kind, digest, marker
from studybot.core.plan import CloseIssue, CloseQuestion, Notify, PostComment
from studybot.core.records import Issue, IssueState
from studybot.core.schedule import build_schedule
from studybot.core.state import BotComment, Override, WeekIssue

OPENED = started(issues={1: WeekIssue(number=3)})


def variant(*replacements: tuple[str, str]) -> StudyConfig:
    """The seed config with each (old, new) text replaced once."""
    text = SEED_CONFIG.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    return parse_config(text)


def run(config: StudyConfig, ledger, now: dt.datetime, **github) -> Plan:
    return decide_on(config, build_schedule(config), world(github=online(**github)), ledger, now)


def posted(plan: Plan, kind: Kind) -> list[PostComment]:
    return [op for op in plan.operations if isinstance(op, PostComment) and op.kind is kind]


def test_an_english_reminder_says_hours_and_minutes():
    """An English study with a 90-minute reminder says "1h30m" in it."""
    config = variant(("language: ko", "language: en"), ("reminder_before: 6h", "reminder_before: 90m"))
    (reminder,) = posted(run(config, OPENED, WEEK1_DEADLINE - dt.timedelta(hours=1)), Kind.REMINDER)
    assert "1h30m" in reminder.body


def test_no_reminder_when_the_config_has_none():
    """With reminder_before: null no reminder is posted and the timeline lists none."""
    config = variant(("reminder_before: 6h", "reminder_before: null"))
    plan = run(config, OPENED, WEEK1_DEADLINE - dt.timedelta(hours=1))
    assert not posted(plan, Kind.REMINDER) and len(plan.timeline) == 3


def test_the_timeline_says_the_reminder_was_skipped_when_nobody_waits(seed):
    """When every member is excused the reminder is skipped, and the timeline says so."""
    excused = [Override(kind="excuse", by="SEOJIN-Lab", at=kst(2022, 4, 8), member=m.name, week=1, reason="x")
               for m in seed.members]
    plan = run(seed, OPENED.with_decisions(overrides=excused), WEEK1_DEADLINE - dt.timedelta(hours=1))
    assert not posted(plan, Kind.REMINDER) and len(plan.timeline) == 4
    assert plan.timeline != run(seed, OPENED, WEEK1_DEADLINE - dt.timedelta(hours=1)).timeline


def test_an_issue_closed_by_hand_is_not_closed_again(seed):
    """A week's issue someone closed early gets no closing comment and no second close."""
    closed = started(issues={1: WeekIssue(number=3, state="closed")})
    plan = run(seed, closed, WEEK1_DEADLINE + dt.timedelta(minutes=5), questions=())
    assert not posted(plan, Kind.CLOSING) and not [op for op in plan.operations if isinstance(op, CloseIssue)]
    assert plan.state.sync.issues[1].week_closed


def test_a_closing_comment_already_written_is_not_repeated(seed):
    """When the closing comment exists but the issue is still open, the run only closes the issue."""
    noted = OPENED.with_sync(bot_comments={marker(1, Kind.CLOSING): BotComment(id=5)})
    plan = run(seed, noted, WEEK1_DEADLINE + dt.timedelta(minutes=5), questions=())
    assert not posted(plan, Kind.CLOSING) and [op.issue for op in plan.operations if isinstance(op, CloseIssue)] == [3]


def test_no_question_is_closed_without_close_labeled():
    """With close_labeled empty the deadline closes the week's issue and no question issue."""
    config = variant(("close_labeled: [question]", "close_labeled: []"))
    plan = run(config, OPENED, WEEK1_DEADLINE + dt.timedelta(minutes=5))
    assert plan.reread is None and not [op for op in plan.operations if isinstance(op, CloseQuestion)]


def test_a_question_is_closed_under_the_first_week_that_closes(seed, seed_schedule):
    """When two weeks close in one run, a question opened before both is closed once, under the first."""
    week2 = seed_schedule.weeks[1]
    both = started(issues={1: WeekIssue(number=3), 2: WeekIssue(number=4)})
    question = Issue(7, "질문", "", IssueState.OPEN, ("question",), "mijinkoo", kst(2022, 4, 11), kst(2022, 4, 11))
    plan = run(seed, both, week2.deadline + dt.timedelta(minutes=5), questions=(question,))
    assert [(op.week, op.issue) for op in plan.operations if isinstance(op, CloseQuestion)] == [(1, 7)]


def test_a_far_weeks_stale_reminder_sends_no_notice(seed):
    """A reminder marker for a week not yet judged names nobody, so no reminder notice goes out."""
    far = OPENED.with_sync(bot_comments={marker(12, Kind.REMINDER): BotComment(id=5)})
    plan = decide_on(seed, build_schedule(seed), world(github=online()), far, kst(2022, 4, 8), webhooks={"discord"})
    assert not [op for op in plan.operations if isinstance(op, Notify) and op.notice.event.value == "reminder"]


def test_results_for_a_study_without_blog_rotation_or_a_writers_login():
    """A writer without a GitHub login is named plainly; a study without rotation has no blog line,
    and a member who joins later is left out of the early week's results."""
    config = variant(("  - {name: 이은빈, github: binable43}", "  - {name: 이은빈}"),
                     ("  - {name: 문수인, github: m0oon0}", "  - {name: 문수인, github: m0oon0, joined_week: 3}"))
    plan = run(config, started(), WEEK1_DEADLINE - dt.timedelta(days=6))
    assert "이은빈 (" not in plan.operations[0].body and "이은빈" in plan.operations[0].body  # type: ignore[union-attr]
    done = started(issues={1: WeekIssue(number=3, state="closed", week_closed=True)})
    (results,) = posted(run(config, done, WEEK1_DEADLINE + dt.timedelta(days=1), questions=()), Kind.RESULTS)
    assert "문수인" not in results.body
    plain = variant(("rotation:\n  team_blog: {order: [이은빈, 문수인, 한현경, 장서진, 구미진], readme_column: 팀블로그}\n", ""))
    (results,) = posted(run(plain, done, WEEK1_DEADLINE + dt.timedelta(days=1), questions=()), Kind.RESULTS)
    assert "블로그" not in results.body


def test_results_already_posted_are_not_posted_again(seed):
    """Once the week's results comment matches what the bot would write, no second one is made."""
    done = started(issues={1: WeekIssue(number=3, state="closed", week_closed=True)})
    now = WEEK1_DEADLINE + dt.timedelta(days=1)
    (results,) = posted(run(seed, done, now, questions=()), Kind.RESULTS)
    kept = done.with_sync(bot_comments={marker(1, Kind.RESULTS): BotComment(id=8, digest=digest(results.body))})
    assert not posted(run(seed, kept, now, questions=()), Kind.RESULTS)


def test_results_show_a_link_that_came_after_the_cut_off(seed):
    """구미진's link pushed after week 1's cut-off leaves her absent, and the results say when it came."""
    from test_decide import README, commit

    from studybot.core.records import Hunk, PatchCommit

    lines = README.splitlines()
    filled = "|1주차|[장서진]() [구미진](https://blog.example/mj)|이은빈|"
    created = PatchCommit(commit("c1", None, kst(2022, 4, 1)), (Hunk(0, 0, 1, 5, (), tuple(lines)),))
    late = PatchCommit(commit("c2", "c1", kst(2022, 4, 13, 15)), (Hunk(5, 1, 5, 1, (lines[4],), (filled,)),))
    done = started(issues={1: WeekIssue(number=3, state="closed", week_closed=True)})
    history = world(github=online(), readme_patches=(created, late))
    plan = decide_on(seed, build_schedule(seed), history, done, WEEK1_DEADLINE + dt.timedelta(days=1))
    (results,) = posted(plan, Kind.RESULTS)
    row = next(line for line in results.body.splitlines() if "구미진" in line)
    assert "15:00" in row and "12:00" in row
