"""The weekly cycle: from the clock, the report and the ledger, what is due on GitHub now.

Each step has a time window, and each finds what an earlier run did through its state (whose
entries come from hidden markers), so a run that is late, repeated or resumed after a crash
plans only what is still missing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from studybot.core.config import StudyConfig
from studybot.core.credit import credit_for
from studybot.core.evidence import Notice, Problem, Source, Submission
from studybot.core.homework import HomeworkEntry, homework_text
from studybot.core.markers import Kind, digest, marker
from studybot.core.markup import escape, link, mention
from studybot.core.members import Roster
from studybot.core.messages import MARKS, Messages
from studybot.core.plan import CloseDuplicate, CloseIssue, CloseQuestion, CreateIssue, EditIssue, Operation, PostComment
from studybot.core.records import Issue
from studybot.core.report import Report, WeekReport
from studybot.core.schedule import Schedule, Week
from studybot.core.state import State, is_started
from studybot.core.verdicts import Verdict

WEEK_OPENS_BEFORE = dt.timedelta(days=7)
# How far back a run looks for an issue another run opened meanwhile (runs last minutes, not hours).
RACE_WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Context:
    config: StudyConfig
    schedule: Schedule
    report: Report
    state: State
    now: dt.datetime
    messages: Messages
    # Open issues carrying a ``close_labeled`` label; None when they were not read this run.
    questions: tuple[Issue, ...] | None = None
    homework: Mapping[int, HomeworkEntry] = field(default_factory=dict)  # the README's weekly log

    def logins(self) -> dict[str, str | None]:
        return {member.name: member.github for member in self.config.members}

    @functools.cached_property
    def comment_notices(self) -> dict[int, list[Notice]]:
        """The report's comment notices by the week whose results tell them (read once, not per week)."""
        found: dict[int, list[Notice]] = {}
        for notice in self.report.warnings:
            if notice.problem not in COMMENT_PROBLEMS:
                continue
            weeks = {notice.week} if notice.week is not None else set()
            if notice.problem in OTHER_WEEK and notice.other.isascii() and notice.other.isdigit():
                weeks.add(int(notice.other))
            for week in sorted(weeks):
                found.setdefault(week, []).append(notice)
        return found

    @functools.cached_property
    def unread_notices(self) -> dict[int | None, list[Notice]]:
        """The report's unread-file notices by week; a file that names no week belongs to the
        week whose cut-off it came before (None: no week's, and no results comment's)."""
        found: dict[int | None, list[Notice]] = {}
        for notice in self.report.warnings:
            if notice.problem not in UNREAD:
                continue
            pointed = notice.week
            if pointed is None and notice.at is not None:
                pointed = next((item.number for item in self.schedule.weeks if notice.at < item.late_until), None)
            found.setdefault(pointed, []).append(notice)
        return found


def plan_cycle(context: Context) -> list[Operation]:
    """Every issue and comment operation due now, week by week, oldest first."""
    operations: list[Operation] = []
    for week in context.schedule.weeks:
        if context.now < week.deadline - WEEK_OPENS_BEFORE:
            break
        operations += plan_week(context, week)
    return operations + close_duplicates(context) + plan_settlement(context)


def close_duplicates(context: Context) -> list[Operation]:
    """Each open second issue the bot opened for a week, closed once with a note pointing to the week's issue."""
    sync = context.state.sync
    operations: list[Operation] = []
    for number, duplicate in sorted(sync.duplicates.items()):
        kept = sync.issues.get(duplicate.week)
        if duplicate.state != "open" or kept is None or kept.number == number:
            continue
        note = marker(duplicate.week, Kind.DUPLICATE, number)
        body = None if note in sync.bot_comments else (
            f"{note}\n" + context.messages.t("duplicate.body", week=duplicate.week, issue=kept.number)
        )
        operations.append(CloseDuplicate(duplicate.week, number, note, body))
    return operations


def timeline(context: Context) -> list[str]:
    """The current week's steps, done or due, and why one was skipped: for the job summary."""
    week = context.schedule.current(context.now)
    if week is None:
        return []
    messages, sync, now = context.messages, context.state.sync, context.now
    local: Callable[[dt.datetime], str] = lambda instant: messages.when(context.schedule.local(instant))  # noqa: E731
    steps = [_issue_step(context, week, local)]
    reminder_before = context.config.qna.reminder_before
    if reminder_before:
        at = week.deadline - reminder_before
        if now < at:
            steps.append(messages.t("timeline.reminder_at", when=local(at)))
        elif marker(week.number, Kind.REMINDER) in sync.bot_comments:
            steps.append(messages.t("timeline.reminder_done"))
        elif not waiting(context, week):
            steps.append(messages.t("timeline.reminder_skipped"))
    steps.append(messages.t("timeline.close_at", when=local(week.deadline)))
    steps.append(messages.t("timeline.results_at", when=local(week.late_until)))
    return steps


def _issue_step(context: Context, week: Week, local: Callable[[dt.datetime], str]) -> str:
    """The week's Q&A issue: its number, when it opens, or, once that time is past, which run opens it.

    The timeline is shown after a run's writes (or for a dry run, which writes nothing): an issue
    still missing then is opened by a later run, never "at" a time already past.
    """

    messages = context.messages
    issue = context.state.sync.issues.get(week.number)
    if issue is not None:
        return messages.t("timeline.issue_open", week=week.number, number=issue.number)
    opens = week.deadline - WEEK_OPENS_BEFORE
    if context.now < opens:
        return messages.t("timeline.issue_at", week=week.number, when=local(opens))
    if not is_started(context.state):
        return messages.t("timeline.issue_after_start", week=week.number)
    return messages.t("timeline.issue_next_run", week=week.number)


def plan_settlement(context: Context) -> list[Operation]:
    """After the last week is final, the settlement statement on the last week's issue, once."""
    last = context.schedule.weeks[-1]
    if not context.report.finished or last.number not in context.state.sync.issues:
        return []
    from studybot.core.render import render_settlement

    body = context.messages.t(
        "settlement.statement_all" if context.report.exclude == "none" else "settlement.statement",
        marker=marker(last.number, Kind.SETTLEMENT),
        study=escape(context.config.study.name),
        table="\n".join(render_settlement(context.report, context.messages, title=False)),
    )
    known = context.state.sync.bot_comments.get(marker(last.number, Kind.SETTLEMENT))
    if known is not None and known.digest == digest(body):
        return []
    return [PostComment(last.number, Kind.SETTLEMENT, body, known.id if known else None)]


def plan_week(context: Context, week: Week) -> list[Operation]:
    now, sync = context.now, context.state.sync
    issue = sync.issues.get(week.number)
    operations: list[Operation] = []
    if issue is None:
        if not now < week.deadline:
            return []  # the week was never opened (the bot came later); nothing to close
        body = issue_body(context, week)
        operations.append(
            CreateIssue(
                week.number, issue_title(context, week), body, tuple(context.config.qna.labels),
                recheck_since=now - RACE_WINDOW,
            )
        )
    elif (issue.state == "open" and now < week.deadline) or (issue.written and issue.digest != issue.written):
        # Kept up to date while the week is open; after that, put back when someone edited it.
        body = issue_body(context, week)
        if digest(body) != issue.digest:
            operations.append(EditIssue(week.number, issue.number, body))
    reminder_before = context.config.qna.reminder_before
    if reminder_before and week.deadline - reminder_before <= now < week.deadline:
        names = waiting(context, week)
        if names and marker(week.number, Kind.REMINDER) not in sync.bot_comments:
            operations.append(PostComment(week.number, Kind.REMINDER, reminder_body(context, week, names)))
    if now >= week.deadline and issue is not None and not issue.week_closed:
        if issue.state == "open":
            if marker(week.number, Kind.CLOSING) not in sync.bot_comments:
                operations.append(PostComment(week.number, Kind.CLOSING, closing_body(context, week)))
            operations.append(CloseIssue(week.number, issue.number))
        operations += close_questions(context, week)
    if now >= week.late_until and issue is not None:
        results = next((item for item in context.report.weeks if item.week.number == week.number), None)
        # The report judges every week due by now + 7 days, so a week past its cut-off is always there.
        if results is not None:  # pragma: no branch
            body = results_body(context, results)
            known = sync.bot_comments.get(marker(week.number, Kind.RESULTS))
            if known is None or known.digest != digest(body):
                operations.append(PostComment(week.number, Kind.RESULTS, body, known.id if known else None))
    return operations


def closing_due(context: Context) -> list[int]:
    """Weeks whose deadline passed and whose closing step (issue and questions) is not done."""
    return [
        week.number
        for week in context.schedule.weeks
        if context.now >= week.deadline
        and (issue := context.state.sync.issues.get(week.number)) is not None
        and not issue.week_closed
    ]


def close_questions(context: Context, week: Week) -> list[Operation]:
    """Open ``close_labeled`` issues created before the deadline, each closed with one note.

    An issue is closed under the first week whose deadline passed after it was opened; the
    week's own Q&A issue is never one of them.
    """
    if not context.config.qna.close_labeled or context.questions is None:
        return []
    own = {issue.number for issue in context.state.sync.issues.values()}
    earlier = [item for item in context.schedule.weeks if item.deadline < week.deadline]
    operations: list[Operation] = []
    for question in context.questions:
        if question.number in own or question.created_at >= week.deadline:
            continue
        if any(question.created_at < item.deadline and context.now >= item.deadline
               and (done := context.state.sync.issues.get(item.number)) is not None and not done.week_closed
               for item in earlier):
            continue  # an earlier week that closes in this run takes it
        note = marker(week.number, Kind.QUESTIONS, question.number)
        body = None if note in context.state.sync.bot_comments else (
            f"{note}\n" + context.messages.t("questions.body", week=week.number)
        )
        operations.append(CloseQuestion(week.number, question.number, note, body))
    return operations


def waiting(context: Context, week: Week) -> list[str]:
    """Members still without a submission for the week, as the reminder names them."""
    results = next((item for item in context.report.weeks if item.week.number == week.number), None)
    if results is None:
        return []
    return [name for name, judgement in results.members.items() if judgement.verdict is Verdict.PENDING]


def issue_title(context: Context, week: Week) -> str:
    return context.config.qna.title.format(week=week.number)


def issue_body(context: Context, week: Week) -> str:
    messages, schedule, config = context.messages, context.schedule, context.config
    writer = context.report.writers.get(week.number)
    blog = mention(context.logins().get(writer), writer) if writer else messages.t("issue.no_blog")
    if writer and context.logins().get(writer):
        blog = f"{escape(writer)} ({blog})"
    homework = homework_text(week.number, context.homework, messages)
    return messages.t(
        "issue.body",
        marker=marker(week.number, Kind.ISSUE),
        week=week.number,
        deadline=messages.deadline_spoken(schedule.local(week.deadline)),
        late_until=messages.when_spoken(schedule.local(week.late_until)),
        late_fine=messages.money(config.fines.late, config.study.currency),
        absent_fine=messages.money(config.fines.absent, config.study.currency),
        how=ways_to_hand_in(config, week, messages),
        blog=blog,
        homework=f"\n\n{homework}" if homework else "",
    )


def ways_to_hand_in(config: StudyConfig, week: Week, messages: Messages) -> str:
    """Only the ways the config enables: a member who follows the issue is never fined for it."""
    ways = []
    if config.submissions.readme.enabled:
        sections = config.submissions.readme.layout == "sections"
        ways.append(messages.t("issue.how.readme_section" if sections else "issue.how.readme", week=week.number))
    if config.submissions.issues.enabled:
        ways.append(messages.t("issue.how.comment"))
    if config.submissions.folders.enabled:
        name = messages.t("issue.how.name")
        # The first pattern is where the bot points members; a topic (`*`) is theirs to add.
        pattern = config.submissions.folders.patterns[0].replace("*", "")
        folder = pattern.format(week=week.number, name=name, login=name, github=name)
        ways.append(messages.t("issue.how.folder", folder=folder))
    return messages.t("issue.how.join").join(ways)


def _duration(span: dt.timedelta, messages: Messages) -> str:
    hours, seconds = divmod(int(span.total_seconds()), 3600)
    minutes = seconds // 60
    if messages.language == "ko":
        return f"{hours}시간" + (f" {minutes}분" if minutes else "")
    return f"{hours}h" + (f"{minutes:02d}m" if minutes else "")


def reminder_body(context: Context, week: Week, names: list[str]) -> str:
    logins = context.logins()
    messages = context.messages
    return messages.t(
        "reminder.body",
        marker=marker(week.number, Kind.REMINDER),
        week=week.number,
        left=_duration(context.config.qna.reminder_before or dt.timedelta(0), messages),
        deadline=messages.deadline_spoken(context.schedule.local(week.deadline)),
        names=", ".join(mention(logins.get(name), name) for name in names),
    )


def closing_body(context: Context, week: Week) -> str:
    messages = context.messages
    return messages.t(
        "closing.body",
        marker=marker(week.number, Kind.CLOSING),
        week=week.number,
        deadline=messages.when(context.schedule.local(week.deadline)),
        late_until=messages.when(context.schedule.local(week.late_until)),
    )


def results_body(context: Context, results: WeekReport) -> str:
    messages, schedule, currency = context.messages, context.schedule, context.config.study.currency
    rows = []
    for name, judgement in results.members.items():
        if judgement.verdict is Verdict.NOT_MEMBER:
            continue
        at = messages.when(schedule.local(judgement.submission.at)) if judgement.submission else ""
        fine = messages.money(judgement.fine, currency) if judgement.fine else ""
        label = f"{MARKS[judgement.verdict]} {messages.verdict(judgement.verdict)}"
        if judgement.arrived_after is not None:
            # Absent, but something came after the cut-off: the member sees it arrived, and when.
            arrived = schedule.local(judgement.arrived_after)
            cutoff = schedule.local(results.week.late_until)
            at = f"{arrived:%H:%M}" if arrived.date() == cutoff.date() else messages.when(arrived)
            label += " " + messages.t("results.after_cutoff", cutoff=f"{cutoff:%H:%M}", at=at)
        label += credit_label(context, name, results.week.number, judgement.submission)
        rows.append(f"| {escape(name)} | {label} | {fine} | {at} |")
    blog = ""
    if results.blog_member:
        status = link("✅", results.blog.url) if results.blog else messages.t("report.blog_todo")
        blog = messages.t("results.blog", member=escape(results.blog_member), status=status)
    body = messages.t(
        "results.body",
        marker=marker(results.week.number, Kind.RESULTS),
        week=results.week.number,
        rows="\n".join(rows),
        total=messages.money(sum(judgement.fine for judgement in results.members.values()), currency),
        blog=blog + unread_lines(context, results.week),
    )
    # Never silent: each comment link of the week that did not count is a line the leader can act on.
    told = dict.fromkeys(
        f"- {messages.notice(notice, escape, schedule.local)}" for notice in context.comment_notices.get(results.week.number, ())
    )
    return body + (messages.t("results.uncounted", lines="\n".join(told)) if told else "")



def credit_label(context: Context, member: str, week: int, submission: Submission | None) -> str:
    """Who credited the submission a verdict rests on, and why, when a credit is what it rests on."""
    if submission is None or submission.source is not Source.CREDIT:
        return ""
    messages = context.messages
    found = credit_for(context.state.decisions, member, week, submission)
    name = Roster(context.config).by_login(found.by) or found.by
    reason = messages.t("results.credit_reason", reason=escape(found.reason)) if found.reason else ""
    return messages.t("results.credit", by=escape(name), reason=reason)


UNREAD = frozenset({Problem.FOLDER_OUTSIDE, Problem.FOLDER_UNMATCHED, Problem.FOLDER_FOREIGN, Problem.FOLDER_MOVED})


def unread_lines(context: Context, week: Week) -> str:
    """The files of this week that looked like a hand-in but were not read as one, for the leader.

    A file that names no week belongs to the week whose cut-off it came before.
    """
    schedule, messages = context.schedule, context.messages
    lines = [f"- {messages.notice(notice, escape, schedule.local)}" for notice in context.unread_notices.get(week.number, ())]
    return messages.t("results.unread", lines="\n".join(dict.fromkeys(lines))) if lines else ""


# What the results comment tells the leader about the week's comments (docs/decisions.md).
COMMENT_PROBLEMS = frozenset({
    Problem.UNCOUNTED_NO_WORD, Problem.UNCOUNTED_QUESTION, Problem.UNCOUNTED_EXTRA, Problem.WEEK_NOT_OPEN,
    Problem.WEEK_CLOSED, Problem.MARKED_COMMENT, Problem.MANY_COMMENTS,
})
# A comment naming a week it could not count for is told in its issue's week too, where it was left.
OTHER_WEEK = frozenset({Problem.WEEK_NOT_OPEN, Problem.WEEK_CLOSED})
