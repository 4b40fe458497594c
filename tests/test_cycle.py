"""The weekly cycle's windows, planned from a report and a ledger without GitHub."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import SEED_CONFIG, decide_on, kst, started, state
from test_decide import WEEK1_DEADLINE, online, world

from studybot.core.config import StudyConfig, parse_config
from studybot.core.cycle import Context, issue_body, plan_cycle
from studybot.core.decide import Plan
from studybot.core.evidence import Evidence, Source, Submission
from studybot.core.markers import Kind, digest, marker
from studybot.core.messages import messages_for
from studybot.core.plan import CloseIssue, CloseQuestion, CreateIssue, EditIssue, Notify, PostComment
from studybot.core.records import Issue, IssueState
from studybot.core.report import build_report
from studybot.core.schedule import build_schedule
from studybot.core.state import BotComment, Override, WeekIssue


def plan(seed, schedule, now, ledger=None, evidence=None, questions=(), **report_args):
    report = build_report(seed, schedule, evidence or Evidence(), now, **report_args)
    ledger = ledger if ledger is not None else state()
    return plan_cycle(Context(seed, schedule, report, ledger, now, messages_for("ko"), questions))


def as_written(seed, schedule, now, **fields) -> WeekIssue:
    """Week 1's issue as the bot wrote it: its body's digest is the one the bot would write now."""
    report = build_report(seed, schedule, Evidence(), now)
    context = Context(seed, schedule, report, state(), now, messages_for("ko"))
    return WeekIssue(number=1, digest=digest(issue_body(context, schedule.weeks[0])), **fields)


def kinds(operations):
    return [(type(op).__name__, op.week, getattr(op, "kind", None)) for op in operations]


def test_nothing_before_the_week_opens(seed, seed_schedule):
    """More than 7 days before week 1's deadline nothing is due."""
    assert plan(seed, seed_schedule, kst(2022, 4, 5, 23)) == []


def test_a_late_install_opens_only_the_current_week(seed, seed_schedule):
    """Installed in week 3, the bot opens week 3's issue and leaves past weeks alone."""
    operations = plan(seed, seed_schedule, kst(2022, 5, 9))
    assert kinds(operations) == [("CreateIssue", 3, None)]


def test_reminder_only_when_someone_is_missing(seed, seed_schedule):
    """Six hours before the deadline a reminder names those without a submission; none if all are in."""
    ledger = state(issues={1: WeekIssue(number=1)})
    now = kst(2022, 4, 12, 18, 30)
    ledger = ledger.with_sync(issues={1: WeekIssue(number=1, digest=_body_digest(seed, seed_schedule, now))})
    assert kinds(plan(seed, seed_schedule, now, ledger)) == [("PostComment", 1, Kind.REMINDER)]
    everyone = Evidence()
    for member in seed.members:
        everyone.add(Submission(member.name, 1, Source.README, "https://x.example", kst(2022, 4, 10), True))
    assert plan(seed, seed_schedule, now, ledger, everyone) == []


def _body_digest(seed, schedule, now):
    operations = plan(seed, schedule, now)
    create = next(op for op in operations if isinstance(op, CreateIssue))
    return digest(create.body)


def test_the_issue_body_follows_a_blog_swap(seed, seed_schedule):
    """When the week's blog writer changes while the issue is open, its body is updated."""
    now = kst(2022, 4, 8)
    ledger = state(issues={1: WeekIssue(number=1, digest=_body_digest(seed, seed_schedule, now))})
    assert plan(seed, seed_schedule, now, ledger) == []
    swapped = plan(seed, seed_schedule, now, ledger, blog_overrides={1: "장서진"})
    assert [type(op) for op in swapped] == [EditIssue] and "장서진 (@SEOJIN-Lab)" in swapped[0].body


def test_closing_then_questions_then_results(seed, seed_schedule):
    """At the deadline: closing comment, close, close question issues; at noon the results."""
    ledger = state(issues={1: as_written(seed, seed_schedule, kst(2022, 4, 13, 0, 5))})
    asked = [question(5, kst(2022, 4, 12)), question(6, kst(2022, 4, 13, 0, 1)), question(1, kst(2022, 4, 6))]
    at_deadline = plan(seed, seed_schedule, kst(2022, 4, 13, 0, 5), ledger, questions=asked)
    assert [type(op) for op in at_deadline] == [PostComment, CloseIssue, CloseQuestion]
    assert at_deadline[0].kind is Kind.CLOSING
    assert (at_deadline[1].issue, at_deadline[2].issue) == (1, 5)  # not #6 (asked later), not the week's own #1
    assert at_deadline[2].body.startswith(marker(1, Kind.QUESTIONS, 5))
    closed = state(issues={1: as_written(seed, seed_schedule, kst(2022, 4, 14), state="closed", week_closed=True)},
                    bot_comments={marker(1, Kind.CLOSING): BotComment(id=5)})
    assert plan(seed, seed_schedule, kst(2022, 4, 13, 11), closed) == []
    at_noon = plan(seed, seed_schedule, kst(2022, 4, 13, 12), closed)
    assert kinds(at_noon) == [("PostComment", 1, Kind.RESULTS)]


def question(number, created):
    """An open issue labeled ``question``, opened at ``created``."""
    return Issue(number, "질문", "", IssueState.OPEN, ("question",), "mijinkoo", created, created)


def test_results_are_edited_when_they_change(seed, seed_schedule):
    """A results comment whose verdicts changed (an excuse) is edited, not posted again."""
    closed = state(issues={1: as_written(seed, seed_schedule, kst(2022, 4, 14), state="closed", week_closed=True)},
                    bot_comments={marker(1, Kind.RESULTS): BotComment(id=9, digest="stale")})
    operations = plan(seed, seed_schedule, kst(2022, 4, 14), closed)
    assert [(type(op), op.existing) for op in operations] == [(PostComment, 9)]


@pytest.mark.parametrize("delay", [dt.timedelta(0), dt.timedelta(hours=3), dt.timedelta(hours=11)])
def test_a_delayed_run_still_closes(seed, seed_schedule, delay):
    """However late the run after the deadline, the week is closed exactly as on time."""
    ledger = state(issues={1: as_written(seed, seed_schedule, kst(2022, 4, 13) + delay)})
    operations = plan(seed, seed_schedule, kst(2022, 4, 13) + delay, ledger)
    assert [type(op) for op in operations] == [PostComment, CloseIssue]


def test_a_closed_weeks_issue_body_a_member_rewrote_is_put_back(seed, seed_schedule):
    """After the week closed, an issue body whose digest is not the bot's is written again as the bot writes it."""
    now = kst(2022, 4, 14)
    ours = as_written(seed, seed_schedule, now).digest
    rewritten = state(issues={1: WeekIssue(number=1, state="closed", week_closed=True, digest=digest("마감 연장!"), written=ours)})
    (edit, *_) = plan(seed, seed_schedule, now, rewritten)
    assert isinstance(edit, EditIssue) and digest(edit.body) == ours


def test_a_closed_weeks_issue_nobody_edited_is_left_alone(seed, seed_schedule):
    """After the week closed, an issue body as the bot last wrote it is not rewritten, even if the bot would word it differently now."""
    kept = state(issues={1: WeekIssue(number=1, state="closed", week_closed=True, digest="old", written="old")})
    assert not [op for op in plan(seed, seed_schedule, kst(2022, 4, 14), kept) if isinstance(op, EditIssue)]


def test_a_duplicate_week_issue_is_closed_once_with_a_note(seed, seed_schedule):
    """An open duplicate gets a note and is closed; a posted note is not repeated; closed ones are left alone."""
    from studybot.core.plan import CloseDuplicate
    from studybot.core.state import Duplicate

    now = kst(2022, 4, 8)
    issues = {1: as_written(seed, seed_schedule, now)}
    twins = {5: Duplicate(week=1), 6: Duplicate(week=1, state="closed"), 1: Duplicate(week=1), 8: Duplicate(week=9)}
    (close,) = [op for op in plan(seed, seed_schedule, now, state(issues=issues, duplicates=twins)) if isinstance(op, CloseDuplicate)]
    assert (close.issue, close.week) == (5, 1) and close.body is not None and "#1" in close.body
    noted = state(issues=issues, duplicates={5: Duplicate(week=1)},
                  bot_comments={close.note: BotComment(id=3, digest=digest(close.body), text=close.body)})
    (again,) = [op for op in plan(seed, seed_schedule, now, noted) if isinstance(op, CloseDuplicate)]
    assert again.body is None


# ---- The weekly cycle under less common configs and states, planned on in-memory worlds ---------

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
def test_results_list_the_files_not_read_as_a_hand_in_for_that_week(seed, seed_schedule):
    """The week's results name its unread files for the leader: by the week they state, else by when they came."""
    from studybot.core.evidence import Notice, Problem

    warnings = [
        # no week named: it came before week 1's cut-off, so week 1's results list it
        Notice(Problem.FOLDER_OUTSIDE, None, "구미진", "mijinkoo/", "abc1234def", "구미진", kst(2022, 4, 12, 20)),
        Notice(Problem.FOLDER_UNMATCHED, 2, "이은빈", "week_2/이은빈/", "def5678abc", "이은빈", kst(2022, 4, 12, 21)),
        Notice(Problem.BAD_LINK, 1, "구미진", "javascript:"),  # not a file: the report's warnings have it
    ]
    closed = state(issues={1: as_written(seed, seed_schedule, kst(2022, 4, 14), state="closed", week_closed=True)},
                   bot_comments={marker(1, Kind.CLOSING): BotComment(id=5)})
    (results,) = plan(seed, seed_schedule, kst(2022, 4, 13, 12), closed, evidence=Evidence(warnings=warnings))
    assert "📂 제출로 읽지 않은 파일이 있습니다" in results.body
    assert "- 구미진 님: `mijinkoo/` 폴더의 파일은 주차 폴더 밖에 있어서" in results.body
    assert "week_2" not in results.body and "javascript" not in results.body
    quiet = plan(seed, seed_schedule, kst(2022, 4, 13, 12), closed, evidence=Evidence(warnings=warnings[1:]))
    assert "📂" not in quiet[0].body


# ---- the timeline's Q&A issue ------------------------------------------------------------------------


def test_the_timeline_never_says_the_issue_opens_at_a_time_already_past(seed, seed_schedule):
    """At 09:00 on the day week 1's issue was due to open (00:00), with no issue yet, the timeline says which run
    opens it: the next one (a dry run opens nothing), or before the start the first run after `/studybot 시작`."""
    from studybot.core.decide import week_timeline

    before = run(seed, started(), kst(2022, 4, 5, 9))
    assert before.timeline[0] == "1주차 Q&A 이슈: 4월 6일(수) 00:00에 엽니다"

    now = kst(2022, 4, 6, 9)
    dry = run(seed, started(), now)
    assert any(isinstance(op, CreateIssue) for op in dry.operations)
    assert dry.timeline[0] == "1주차 Q&A 이슈: 다음 실행에서 엽니다"
    assert not any("4월 6일(수) 00:00" in step for step in dry.timeline)

    waiting = week_timeline(seed, seed_schedule, dry.report, state(), now)
    assert waiting[0] == "1주차 Q&A 이슈: `/studybot 시작` 뒤 첫 실행에서 엽니다"
    english = variant(("language: ko", "language: en"))
    assert run(english, started(), now).timeline[0] == "Week 1 Q&A issue: opens at the next run"


def test_a_week_section_readme_tells_members_to_tick_their_line():
    """With `layout: sections` the week's issue points at the week's list in the README, not at a table cell."""
    from helpers import SMALL_STUDY

    from studybot.core.cycle import ways_to_hand_in
    from studybot.core.messages import messages_for

    config = parse_config(SMALL_STUDY + "submissions:\n  readme: {layout: sections}\n")
    week = build_schedule(config).weeks[1]
    assert ways_to_hand_in(config, week, messages_for("ko")).startswith("README의 2주차 목록에서 내 줄을 `- [x] [이름](링크)`로")
