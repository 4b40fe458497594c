"""``studybot run``: one pass of the weekly cycle against GitHub, or its plan in a dry run.

The shell around the pure core: it reads the checkout and GitHub, hands plain data to the
core, applies the operations the core plans, and commits the README and ledger together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studybot.core.commands import apply_requests, maintainer_logins, pending_requests
from studybot.core.config import StudyConfig
from studybot.core.cycle import Context, plan_cycle, timeline
from studybot.core.evidence import Evidence
from studybot.core.history import Roster, commit_date_stamp
from studybot.core.landing import land_commits, landed_stamp, pushes_of
from studybot.core.ledger import (
    BotComment,
    Cursors,
    Ledger,
    LedgerError,
    Push,
    dump_ledger,
    excuses_from,
    freeze_final_weeks,
    frozen_judgements,
    load_ledger,
    payments_from,
    remember_first_seen,
    substance,
    swaps_from,
)
from studybot.core.markup import escape
from studybot.core.messages import Messages, messages_for
from studybot.core.observe import comment_evidence, observe_comments, observe_issues
from studybot.core.plan import (
    CloseIssue,
    CloseQuestions,
    CommitFiles,
    CreateIssue,
    EditIssue,
    Kind,
    Operation,
    PostComment,
    Reply,
    digest,
    marker,
)
from studybot.core.records import Comment, FileChange, Issue, IssueState, Permission
from studybot.core.regions import RegionError, replace_region
from studybot.core.render import render_fines, render_rotation
from studybot.core.report import Report, blog_writers, build_report, excuses_of
from studybot.core.schedule import Schedule, build_schedule
from studybot.shell.checkout import CheckoutError, open_checkout, read_evidence
from studybot.shell.git import GitError, Repository
from studybot.shell.remote import Gateway, RefMoved

COMMIT_ATTEMPTS = 3


class RunError(Exception):
    """The run cannot finish; the message says what to do. Nothing is left half-written."""


@dataclass
class Outcome:
    """What a run did (or, in a dry run, would do)."""

    report: Report
    operations: list[Operation] = field(default_factory=list)
    commit: str | None = None
    changed: bool = False
    notes: list[str] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)  # the current week's steps, for the summary


@dataclass(frozen=True)
class Files:
    readme: str | None
    ledger: str | None


def run_cycle(
    config: StudyConfig,
    gateway: Gateway,
    workspace: str | Path,
    now: dt.datetime,
    *,
    branch: str | None = None,
    dry_run: bool = False,
    recheck: bool = False,
    only_week: int | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> Outcome:
    """Read, judge, plan, apply, commit: one run of the weekly cycle.

    ``recheck`` reads GitHub from the start instead of from the cursors; ``only_week``
    limits the issue and comment operations to one week (the README and ledger still update).
    """
    schedule = build_schedule(config)
    messages = messages_for(config.study.language)
    repository = open_checkout(workspace)
    head = repository.head()
    if head is None:
        raise RunError("the repository has no commits yet; commit the README first")
    branch = branch or gateway.default_branch()
    files = Files(repository.show(head, config.output.readme), repository.show(head, config.output.ledger))
    ledger = load_ledger(files.ledger)
    notes: list[str] = []
    if recheck:
        ledger = ledger.model_copy(update={"cursors": Cursors(head=ledger.cursors.head)})

    trusted = tuple(maintainer_logins(config))
    ledger, comments = observe(ledger, gateway, branch, repository, head, now, trusted)
    kept = trusted_ledger(repository, head, config.output.ledger, ledger.pushes, trusted)
    if kept is not None:
        # Someone else pushed the ledger: go on from the bot's last one (and read GitHub again
        # from its older cursors); this run's commit puts it back.
        sha, actor, text = kept
        notes.append(messages.t("ledger.restored", sha=sha[:7], actor=escape(actor)))
        log(notes[-1])
        ledger, comments = observe(load_ledger(text), gateway, branch, repository, head, now, trusted)

    def reread(ledger: Ledger) -> Ledger:
        fresh = ledger.model_copy(update={"cursors": Cursors(head=ledger.cursors.head)})
        return observe(fresh, gateway, branch, repository, head, now, trusted)[0]

    ledger, report, operations = decide(
        config, schedule, gateway, ledger, comments, now, messages,
        lambda ledger: gather_evidence(config, schedule, repository, head, ledger), reread,
    )
    if only_week is not None:
        operations = [op for op in operations if getattr(op, "week", only_week) == only_week]
    outcome = Outcome(report, list(operations), notes=notes)
    questions: dict[tuple[str, ...], list[Issue]] = {}  # open question issues, listed once a run
    for operation in operations:
        log(("would " if dry_run else "") + operation.describe(messages))
        if not dry_run:
            ledger = apply(operation, gateway, ledger, questions)
    ledger = freeze_final_weeks(ledger, report, now)
    outcome.timeline = timeline(Context(config, schedule, report, ledger, now, messages))
    commit = render_commit(config, schedule, report, ledger, files, messages)
    if commit is not None:
        outcome.operations.append(commit)
        log(("would " if dry_run else "") + commit.describe(messages))
        if not dry_run:
            outcome.commit = commit_with_retry(
                gateway, branch, head, commit,
                lambda fresh: render_commit(config, schedule, report, ledger, fresh, messages),
                lambda sha: Files(gateway.read_file(config.output.readme, sha), gateway.read_file(config.output.ledger, sha)),
            )
    outcome.changed = bool(outcome.operations)
    return outcome


def decide(
    config: StudyConfig,
    schedule: Schedule,
    gateway: Gateway,
    ledger: Ledger,
    comments: list[Comment],
    now: dt.datetime,
    messages: Messages,
    evidence_of: Callable[[Ledger], Evidence],
    reread: Callable[[Ledger], Ledger],
) -> tuple[Ledger, Report, list[Operation]]:
    """What this run does, before any write: judge, apply commands, plan the cycle.

    ``evidence_of`` reads the submissions a ledger implies; ``reread`` reads GitHub again from
    the start, for a recheck command.
    """
    report = judge(config, schedule, evidence_of(ledger), ledger, now)
    replies: list[Operation] = []
    requests = pending_requests(comments, ledger)
    if requests:
        allowed = authorize(config, gateway, {request.comment.author for request in requests})
        applied = apply_requests(requests, allowed, config, schedule, report, ledger, now, messages)
        ledger, replies = applied.ledger, list(applied.replies)
        if applied.recheck:
            ledger = reread(ledger)
        report = judge(config, schedule, evidence_of(ledger), ledger, now)
    return ledger, report, replies + plan_cycle(Context(config, schedule, report, ledger, now, messages))


def observe(
    ledger: Ledger,
    gateway: Gateway,
    branch: str,
    repository: Repository,
    head: str,
    now: dt.datetime,
    trusted: tuple[str, ...] = (),
) -> tuple[Ledger, list[Comment]]:
    """Fold what is new on GitHub since the cursors into the ledger; return the new comments too."""
    ledger = observe_issues(ledger, gateway.list_issues(since=ledger.cursors.issues_since), trusted)
    comments = gateway.list_comments(since=ledger.cursors.comments_since)
    ledger = observe_comments(ledger, comments, trusted)
    page = gateway.list_activity(branch, after=ledger.cursors.activity_after)
    pushes = list(ledger.pushes)
    known = {(push.before, push.after) for push in pushes}
    pushes += [push for push in pushes_of(page.items) if (push.before, push.after) not in known]
    previous = ledger.cursors.head
    if previous and previous != head:
        # Commits that arrived since the last run were first seen now (bounded by activity).
        try:
            known = repository.parents(previous).keys()
            fresh = [sha for sha in repository.parents(head) if sha not in known]
        except GitError:
            fresh = []
        ledger = remember_first_seen(ledger, fresh, now)
    cursors = ledger.cursors.model_copy(update={"activity_after": page.cursor or ledger.cursors.activity_after, "head": head})
    return ledger.model_copy(update={"pushes": pushes, "cursors": cursors}), comments


def trusted_ledger(
    repository: Repository, head: str, path: str, pushes: list[Push], trusted: tuple[str, ...]
) -> tuple[str, str, str | None] | None:
    """When someone other than the bot or a maintainer pushed the ledger, the version to use.

    Returns (the untrusted commit, its pusher, the newest ledger text the bot or a maintainer
    pushed), or None when the ledger at ``head`` is trustworthy. A push the activity log does
    not know cannot be judged and is trusted.
    """
    changes = repository.changes_of(path, head)
    if not changes:
        return None
    landed = land_commits(repository.parents(head), head, pushes)

    def untrusted(sha: str) -> str | None:
        actor = landed[sha].actor if sha in landed else None
        if actor is None or actor.endswith("[bot]") or actor.lower() in trusted:
            return None
        return actor

    actor = untrusted(changes[0])
    if actor is None:
        return None
    for sha in changes[1:]:
        if untrusted(sha) is None:
            return changes[0], actor, repository.show(sha, path)
    return changes[0], actor, None


# Collaborator roles that can change the repository; a command also needs maintainer: true.
COMMANDING_ROLES = (Permission.ADMIN, Permission.MAINTAIN, Permission.WRITE)


def authorize(config: StudyConfig, gateway: Gateway, authors: set[str]) -> dict[str, bool]:
    """Who may command: a configured maintainer whose repository role is write or above.

    Members often have write access to push their links, so the role alone is not enough;
    the role check keeps a renamed or departed account listed in the config from commanding.
    """
    maintainers = maintainer_logins(config)
    return {
        author: author.lower() in maintainers and gateway.permission(author) in COMMANDING_ROLES
        for author in sorted(authors)
    }


def gather_evidence(
    config: StudyConfig, schedule: Schedule, repository: Repository, head: str, ledger: Ledger
) -> Evidence:
    """Submissions from the README history, week folders and issue comments."""
    roster = Roster(config)
    if config.submissions.timing == "landed":
        landed = land_commits(repository.parents(head), head, ledger.pushes)
        stamp = landed_stamp(roster, landed, ledger.first_seen)
    else:
        stamp = commit_date_stamp(roster)
    evidence = read_evidence(config, schedule, repository, stamp, head)
    evidence.merge(ledger_evidence(config, schedule, ledger))
    return evidence


def ledger_evidence(config: StudyConfig, schedule: Schedule, ledger: Ledger) -> Evidence:
    """Submissions and blog posts made in comments on the week issues, as the ledger keeps them."""
    if not config.submissions.issues.enabled:
        return Evidence()
    _, writers = blog_writers(config, schedule, ledger.blog_fixed, swaps_from(ledger))
    return comment_evidence(ledger, Roster(config), writers)


def judge(config: StudyConfig, schedule: Schedule, evidence: Evidence, ledger: Ledger, now: dt.datetime) -> Report:
    """The report with the ledger's frozen verdicts, waivers, swaps and payments applied."""
    return build_report(
        config, schedule, evidence, now,
        frozen=frozen_judgements(ledger),
        excuses=excuses_from(ledger, excuses_of(config)),
        blog_fixed=ledger.blog_fixed,
        blog_overrides=swaps_from(ledger),
        paid=payments_from(ledger),
    )


def apply(
    operation: Operation,
    gateway: Gateway,
    ledger: Ledger,
    questions: dict[tuple[str, ...], list[Issue]] | None = None,
) -> Ledger:
    """Carry out one operation and return the ledger that remembers it.

    ``questions`` keeps the open question issues between operations of one run, so closing
    several weeks at once lists them once.
    """
    issues = dict(ledger.issues)
    if isinstance(operation, CreateIssue):
        created = gateway.create_issue(operation.title, operation.body, operation.labels)
        from studybot.core.ledger import WeekIssue

        issues[operation.week] = WeekIssue(number=created.number, digest=digest(operation.body))
        return ledger.model_copy(update={"issues": issues, "bot_login": ledger.bot_login or created.author})
    if isinstance(operation, EditIssue):
        gateway.update_issue(issues[operation.week].number, body=operation.body)
        issues[operation.week] = issues[operation.week].model_copy(update={"digest": digest(operation.body)})
        return ledger.model_copy(update={"issues": issues})
    if isinstance(operation, CloseIssue):
        gateway.update_issue(issues[operation.week].number, state=IssueState.CLOSED, state_reason="completed")
        issues[operation.week] = issues[operation.week].model_copy(update={"state": "closed"})
        return ledger.model_copy(update={"issues": issues})
    if isinstance(operation, PostComment):
        found = marker(operation.week, operation.kind)
        if operation.existing is not None:
            gateway.update_comment(operation.existing, operation.body)
            comment_id = operation.existing
        else:
            created = gateway.create_comment(issues[operation.week].number, operation.body)
            comment_id = created.id
            ledger = ledger.model_copy(update={"bot_login": ledger.bot_login or created.author})
        bot_comments = {**ledger.bot_comments, found: BotComment(id=comment_id, digest=digest(operation.body))}
        return ledger.model_copy(update={"bot_comments": bot_comments})
    if isinstance(operation, CloseQuestions):
        week_issue = issues.get(operation.week)
        questions = {} if questions is None else questions
        if operation.labels not in questions:
            listed = gateway.list_issues(labels=operation.labels)
            questions[operation.labels] = [issue for issue in listed if issue.state is IssueState.OPEN]
        still_open = questions[operation.labels]
        for issue in list(still_open):
            if issue.created_at >= operation.before or (week_issue is not None and issue.number == week_issue.number):
                continue
            # One note per issue, found again by its marker if a run stopped after posting it.
            note = marker(operation.week, Kind.QUESTIONS, issue.number)
            if note not in ledger.bot_comments:
                body = f"{note}\n{operation.body}"
                posted = gateway.create_comment(issue.number, body)
                bot_comments = {**ledger.bot_comments, note: BotComment(id=posted.id, digest=digest(body))}
                ledger = ledger.model_copy(update={"bot_comments": bot_comments})
            gateway.update_issue(issue.number, state=IssueState.CLOSED, state_reason="completed")
            still_open.remove(issue)
        if week_issue is not None:
            issues[operation.week] = week_issue.model_copy(update={"week_closed": True})
        return ledger.model_copy(update={"issues": issues})
    if isinstance(operation, Reply):
        if operation.reaction:
            gateway.add_reaction(operation.comment, operation.reaction)
        if operation.body:
            posted = gateway.create_comment(operation.issue, operation.body)
            found = marker(0, Kind.REPLY, operation.comment)
            ledger = ledger.model_copy(
                update={"bot_comments": {**ledger.bot_comments, found: BotComment(id=posted.id, digest=digest(operation.body))}}
            )
        return ledger.model_copy(update={"commands": sorted({*ledger.commands, operation.comment})})
    raise TypeError(f"cannot apply {operation!r}")


def render_commit(
    config: StudyConfig,
    schedule: Schedule,
    report: Report,
    ledger: Ledger,
    files: Files,
    messages: Messages,
) -> CommitFiles | None:
    """The README with fresh regions and the ledger, as one commit; None when nothing changed."""
    readme = files.readme or ""
    try:
        readme_after = replace_region(readme, "fines", render_fines(report, schedule, messages))
        readme_after = replace_region(readme_after, "rotation", render_rotation(report, schedule, messages))
    except RegionError as error:
        raise RunError(str(error)) from None
    ledger = ledger.model_copy(update={"study": config.study.name})
    try:
        before = load_ledger(files.ledger)
    except LedgerError:
        before = Ledger()
    changes = []
    if readme_after != readme:
        changes.append((config.output.readme, readme_after))
    if changes or dump_ledger(substance(ledger)) != dump_ledger(substance(before)):
        changes.append((config.output.ledger, dump_ledger(ledger)))
    else:
        return None
    summary = ", ".join(path for path, _ in changes)
    return CommitFiles(tuple(changes), messages.t("commit.message", summary=summary))


def commit_with_retry(
    gateway: Gateway,
    branch: str,
    head: str,
    commit: CommitFiles,
    rerender: Callable[[Files], CommitFiles | None],
    reread: Callable[[str], Files],
) -> str | None:
    """Commit on ``head``; when the branch moved, re-read the files there, re-render, retry."""
    parent = head
    for _ in range(COMMIT_ATTEMPTS):
        try:
            return gateway.commit_files(
                branch, parent, [FileChange(path, content) for path, content in commit.files], commit.message
            )
        except RefMoved:
            parent = gateway.branch_head(branch)
            fresh = rerender(reread(parent))
            if fresh is None:
                return None
            commit = fresh
    raise RunError(
        f"the branch {branch} kept moving while studybot committed; nothing was written, the next run tries again"
    )


def event_branch(event: dict[str, Any]) -> str | None:
    """The default branch named in the event payload (saves a request)."""
    repository = event.get("repository")
    if isinstance(repository, dict) and isinstance(repository.get("default_branch"), str):
        return repository["default_branch"]
    return None


def write_report(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def run_action(
    environ: dict[str, str],
    now: dt.datetime,
    *,
    dry_run: bool,
    out: Any,
    connect: Callable[[str, str, str], Gateway] | None = None,
) -> int:
    """The Action's entry: settings from the environment, one cycle, report, outputs, summary.

    ``connect(token, repository, api_url)`` makes the gateway (tests pass a fake).
    """
    from studybot.cli import EXIT_FAILED, Failure, load
    from studybot.core.report import report_json
    from studybot.shell.actions import Console
    from studybot.shell.remote import GatewayError
    from studybot.shell.settings import Command, Settings, SettingsError, read_event

    try:
        settings = Settings.from_env(environ)
    except SettingsError as error:
        raise Failure(str(error)) from None
    if dry_run:
        settings = settings.model_copy(update={"dry_run": True})
    console = Console.from_settings(settings, out)
    if settings.token is None and not settings.dry_run:
        raise Failure(
            "no GitHub token: pass the action's github-token input, or give the workflow "
            "'permissions: contents: write, issues: write' so GITHUB_TOKEN can be used"
        )
    config = load(settings.config_path)
    schedule = build_schedule(config)
    if settings.week is not None and schedule.week(settings.week) is None:
        first, last = schedule.weeks[0].number, schedule.weeks[-1].number
        raise Failure(f"input week: {settings.week} is not a graded week of this study; use {first}–{last} or leave it empty")
    event, problem = read_event(settings.event_path)
    if problem:
        console.warning(problem)
    if connect is None:
        from studybot.shell.github import GitHubGateway as connect
    gateway = connect(
        settings.token.get_secret_value() if settings.token else "", settings.repository or "", settings.api_url
    )
    messages = messages_for(config.study.language)
    try:
        with console.group("studybot"):
            outcome = run_cycle(
                config, gateway, settings.workspace, now,
                branch=event_branch(event), dry_run=settings.dry_run, log=console.print,
                recheck=settings.command is Command.RECHECK, only_week=settings.week,
            )
    except (RunError, GatewayError, LedgerError, CheckoutError) as error:
        raise Failure(str(error), EXIT_FAILED) from None
    write_report(settings.report_file, report_json(outcome.report, schedule, messages))
    summary = one_line(outcome, messages, settings.dry_run)
    console.write_outputs({"changed": outcome.changed and not settings.dry_run, "report": str(settings.report_file), "summary": summary})
    console.append_summary(job_summary(outcome, schedule, messages, settings.dry_run))
    console.print(summary)
    return 0


def one_line(outcome: Outcome, messages: Messages, dry_run: bool) -> str:
    if not outcome.operations:
        return messages.t("plan.nothing")
    done = "; ".join(operation.describe(messages) for operation in outcome.operations)
    return ("dry run: " if dry_run else "") + done


def job_summary(outcome: Outcome, schedule: Schedule, messages: Messages, dry_run: bool) -> str:
    """What a leader reads at a glance: this week's status, what was done, the warnings."""
    from studybot.core.render import render_report

    lines = ["## studybot" + (" (dry run)" if dry_run else ""), ""]
    lines += [f"- {operation.describe(messages)}" for operation in outcome.operations] or [f"- {messages.t('plan.nothing')}"]
    lines += [f"- {note}" for note in outcome.notes]
    if outcome.timeline:
        lines += ["", messages.t("timeline.title"), ""] + [f"- {step}" for step in outcome.timeline]
    current = [week for week in outcome.report.weeks if not week.final][-1:] or list(outcome.report.weeks[-1:])
    trimmed = dataclasses.replace(outcome.report, weeks=tuple(current))
    lines += ["", render_report(trimmed, schedule, messages)]
    return "\n".join(lines)


__all__ = ["CheckoutError", "Outcome", "RunError", "run_action", "run_cycle"]
