"""``studybot run``: one pass of the weekly cycle against GitHub, or its plan in a dry run.

One loop, read → settle → decide → apply: ``read_world`` takes in the checkout and GitHub,
``settle`` (pure) fixes what the run trusts, ``decide`` (pure) returns the plan, ``apply_plan``
carries it out. When settle or decide asks for more (a restored ledger, permissions, question
issues, a recheck), the world is read again, widened. When the branch moved under the commit,
``read_world`` reads the README and ledger at the new head, the states are merged, and the run
decides again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from studybot.core.config import StudyConfig
from studybot.core.decide import Plan, decide, week_timeline
from studybot.core.errors import EXIT_FAILED, StudybotError, speaking
from studybot.core.messages import Messages, messages_for
from studybot.core.plan import CreateIssue, Operation
from studybot.core.regions import RegionError
from studybot.core.report import Report
from studybot.core.schedule import Schedule, build_schedule
from studybot.core.settle import NoConfig, Replays, Run, RunSettings, settle
from studybot.core.state import LedgerError, State, merge_states
from studybot.core.world import ReadRequest, World
from studybot.shell.apply import Applied, apply_plan
from studybot.shell.git import Repository
from studybot.shell.read import CheckoutError, open_checkout, read_world
from studybot.shell.remote import Gateway

COMMIT_ATTEMPTS = 3
MAX_READS = 7  # a first read, at most one widening per kind of request, and one for a broken config


class RunError(StudybotError):
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
    problems: list[str] = field(default_factory=list)  # inputs the run could not use; it ends non-zero
    config: StudyConfig | None = None  # the config in force this run


@dataclass(frozen=True)
class Job:
    """What the run was asked to do, as the shell's settings say it."""

    settings: RunSettings = field(default_factory=RunSettings)
    branch: str | None = None  # the default branch, when the event names it (saves a request)
    dry_run: bool = False
    recheck: bool = False  # read GitHub from the start instead of from the cursors
    config_path: str | None = None  # the config's path in the checkout (None: it lives elsewhere)
    webhooks: Mapping[str, SecretStr] = field(default_factory=dict)  # platform -> URL, kept out of the core


@dataclass(frozen=True)
class Planned:
    """A run read, settled and decided: what apply carries out."""

    world: World
    run: Run
    plan: Plan


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for one run, and on again after it.

    A run builds a graph of some hundred thousand small objects (the ledger's models, the
    evidence, the report, the files it renders) that all live until it ends, and the collector,
    set off by those allocations, walked the whole graph again and again: on the scale case a
    third of a quiet run and a quarter of a first one. Reference counting still frees what a
    run lets go of; the few cycles it makes wait for the run's end. Peak memory did not move.
    """
    if not gc.isenabled():  # a run inside a run (plan_run in run_cycle), or a caller's choice
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@collector_paused()
def plan_run(
    checkout: StudyConfig | None,
    repository: Repository,
    gateway: Gateway | None,
    now: dt.datetime,
    job: Job = Job(),
    request: ReadRequest = ReadRequest(),
) -> Planned:
    """The one loop of a run: read, settle, decide, until neither asks for more.

    ``checkout`` is the checkout's config, None when it does not parse: the world is then read
    once for the ledger alone, and again by the config the ledger keeps in force.
    """
    reading = checkout
    world: World | None = None
    replays = Replays()  # the history is replayed once, however often the run decides
    for _ in range(MAX_READS):
        world = read_world(reading, repository, gateway, request, branch=job.branch, previous=world, config_path=job.config_path)
        settled = settle(job.settings, checkout, world, readable_state(world), now, replays)
        if isinstance(settled, ReadRequest):
            request = settled
            continue
        if reading is None:  # read again, the way the config in force says
            reading, world = settled.config, None
            continue
        plan = decide(settled, world, settled.state)
        if plan.reread is None:
            return Planned(world, settled, plan)
        request = plan.reread
    raise RunError("error.run.rereads")


def readable_state(world: World) -> State:
    """The state the ledger holds; an empty one when it cannot be read (``read_world`` named the
    problem, and settle restores the bot's ledger when a member pushed the broken one)."""
    try:
        return world.state()
    except LedgerError:
        return State()


@collector_paused()
def run_cycle(
    checkout: StudyConfig | None,
    gateway: Gateway,
    workspace: str | Path,
    now: dt.datetime,
    job: Job = Job(),
    log: Callable[[str], None] = lambda line: None,
) -> Outcome:
    """Read, settle, decide, apply: one run of the weekly cycle.

    ``job.settings.only_week`` limits the issue and comment operations to one week (the README
    and ledger still update).
    """
    repository = open_checkout(workspace)
    if repository.head() is None:
        raise RunError("error.run.empty_repository")
    try:
        planned = plan_run(checkout, repository, gateway, now, job, ReadRequest(from_start=job.recheck))
    except RegionError as error:
        raise RunError.wrap(error) from None
    world, run, plan = planned.world, planned.run, planned.plan
    assert world.github is not None  # read_world names the default branch when the event did not
    branch = world.github.branch
    messages = run.messages
    for note in plan.notes:
        log(note)
    outcome = Outcome(
        plan.report, list(plan.operations), notes=list(plan.notes), timeline=list(plan.timeline),
        problems=list(plan.problems), config=run.config,
    )
    if job.dry_run:
        for operation in plan.operations:
            log(messages.t("plan.dry_run", line=operation.describe(messages)))
    else:
        try:
            applied = apply_with_retry(
                gateway, world, plan, branch=branch, ledger_path=run.config.output.ledger,
                redecide=lambda world, state: decide(run, world, state),
                done=lambda operation: log(operation.describe(messages)), webhooks=job.webhooks,
                base_tree=repository.tree_of(world.git.head) if world.git.head else None, before=run.state,
            )
        except RegionError as error:  # a member broke the README's markers while we committed
            raise RunError.wrap(error) from None
        outcome.commit = applied.commit
        outcome.notes += applied.warnings
        outcome.problems = list(dict.fromkeys([*outcome.problems, *applied.problems]))
        outcome.timeline = list(week_timeline(run.config, run.schedule, plan.report, applied.state, now))
    outcome.changed = bool(outcome.operations)
    return outcome


def apply_with_retry(
    gateway: Gateway,
    world: World,
    plan: Plan,
    *,
    branch: str,
    ledger_path: str,
    redecide: Callable[[World, State], Plan],
    done: Callable[[Operation], None] = lambda operation: None,
    webhooks: Mapping[str, SecretStr] | None = None,
    base_tree: str | None = None,
    before: State | None = None,
) -> Applied:
    """Apply the plan; when the branch moved under the commit, read the README and ledger at
    the new head (``read_world``), merge the states, decide again and commit on the new head.

    ``before`` is the state the plan was decided from: given it, a plan that opens a week's
    issue first reads the issues again and is decided again, so two runs open one issue.

    ``base_tree`` is the tree of ``world.git.head`` as the checkout has it; a retry on a new
    head reads that head's tree from GitHub instead."""
    parent = world.git.head or ""
    since = next((op.recheck_since for op in plan.operations if isinstance(op, CreateIssue) and op.recheck_since), None)
    if since is not None and before is not None:
        # Right before a week's issue is opened: another run may have opened it since this one read.
        world = read_world(None, None, gateway, world.request.including(ReadRequest(issues_since=since)), previous=world)
        plan = redecide(world, before)
    operations, state, problems = plan.operations, plan.state, plan.problems
    warnings: list[str] = []
    for _ in range(COMMIT_ATTEMPTS):
        applied = apply_plan(
            operations, state, gateway, branch=branch, parent=parent, done=done, webhooks=webhooks, base_tree=base_tree
        )
        warnings += applied.warnings
        if not applied.moved:
            return Applied(applied.state, applied.commit, warnings=tuple(warnings), problems=problems)
        moved = world.request.including(ReadRequest(moved=world.request.moved + 1, ledger_path=ledger_path))
        world = read_world(None, None, gateway, moved, branch=branch, previous=world)
        parent, base_tree = world.branch_head or parent, None
        try:
            merged = merge_states(applied.state, world.state())
        except LedgerError:
            merged = applied.state  # a broken ledger there is replaced by ours
        fresh = redecide(world, merged)
        operations, state, problems = fresh.operations, fresh.state, fresh.problems
        if not operations:
            return Applied(state, warnings=tuple(warnings), problems=problems)
    raise RunError("error.run.branch_moving", branch=branch)


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
    from studybot.core.errors import Failure
    from studybot.core.report import report_json
    from studybot.shell.actions import Console
    from studybot.shell.configfile import inside, load
    from studybot.shell.settings import Command, Settings, read_event

    # Every error below is a StudybotError; cli.fail() renders it. Before the config is read
    # it speaks the locale's language, after that the study's (``speaking``).
    settings = Settings.from_env(environ)
    if dry_run:
        settings = settings.model_copy(update={"dry_run": True})
    console = Console.from_settings(settings, out)
    try:
        # Annotations name the file inside the repository: GitHub attaches none to an absolute path.
        checkout, broken = load(settings.config_path, repository=settings.workspace), None
    except Failure as failure:
        # A config nobody can parse must not stop the study's deadlines: the run goes by the
        # config in force (kept in the ledger, settled in the run) and ends non-zero with the
        # config's problems.
        checkout, broken = None, failure
    language = checkout.study.language if checkout is not None else broken.language if broken else None
    if settings.token is None and not settings.dry_run:
        raise Failure("error.run.no_token", language=language)
    if checkout is not None and settings.week is not None:
        schedule = build_schedule(checkout)
        if schedule.week(settings.week) is None:
            first, last = schedule.weeks[0].number, schedule.weeks[-1].number
            raise Failure("error.run.week", language=language, week=settings.week, first=first, last=last)
    event, problem = read_event(settings.event_path)
    if problem:
        console.warning(problem.render(messages_for(language or "en")))
    if connect is None:
        from studybot.shell.github import GitHubGateway

        connect = GitHubGateway
    gateway = connect(
        settings.token.get_secret_value() if settings.token else "", settings.repository or "", settings.api_url
    )
    webhooks = settings.webhooks()
    job = Job(
        RunSettings(
            only_week=settings.week, webhooks=frozenset(webhooks), repository_url=repository_url(settings),
            bot_login=settings.bot_login,
        ),
        branch=event_branch(event), dry_run=settings.dry_run, recheck=settings.command is Command.RECHECK,
        config_path=inside(settings.config_path, settings.workspace), webhooks=webhooks,
    )
    with speaking(language), console.group("studybot"):
        try:
            outcome = run_cycle(checkout, gateway, settings.workspace, now, job, log=console.print)
        except NoConfig:
            assert broken is not None
            raise broken from None
    assert outcome.config is not None
    schedule, messages = build_schedule(outcome.config), messages_for(outcome.config.study.language)
    write_report(settings.report_file, report_json(outcome.report, schedule, messages))
    summary = one_line(outcome, messages, settings.dry_run)
    console.write_outputs({"changed": outcome.changed and not settings.dry_run, "report": str(settings.report_file), "summary": summary})
    console.append_summary(job_summary(outcome, schedule, messages, settings.dry_run))
    console.print(summary)
    for sentence in outcome.problems:  # the rest of the run was done; these still need the leader
        console.error(sentence)
    if broken is not None:
        console.error(messages.t("run.config_broken", sentence=broken.sentence(messages)))
        for problem in broken.annotations:  # each on its line of the config, as `check` reports them
            console.error(problem.message, file=problem.file, line=problem.line, col=problem.column)
        return broken.code  # a config error keeps its exit code (2), though the run did what was due
    return EXIT_FAILED if outcome.problems else 0


def repository_url(settings: Any) -> str | None:
    """The repository's web address, for links in messenger notices."""
    if not settings.repository:
        return None
    return f"{str(settings.server_url).rstrip('/')}/{settings.repository}"


def one_line(outcome: Outcome, messages: Messages, dry_run: bool) -> str:
    if not outcome.operations:
        return messages.t("plan.nothing")
    done = "; ".join(operation.describe(messages) for operation in outcome.operations)
    return messages.t("plan.dry_run", line=done) if dry_run else done


def job_summary(outcome: Outcome, schedule: Schedule, messages: Messages, dry_run: bool) -> str:
    """What a leader reads at a glance: this week's status, what was done, the warnings."""
    from studybot.core.render import render_report

    lines = [messages.t("summary.title_dry_run" if dry_run else "summary.title"), ""]
    lines += [f"- ❌ {problem}" for problem in outcome.problems]
    lines += [f"- {operation.describe(messages)}" for operation in outcome.operations] or [f"- {messages.t('plan.nothing')}"]
    lines += [f"- {note}" for note in dict.fromkeys(outcome.notes)]  # each warning once
    if outcome.timeline:
        lines += ["", messages.t("timeline.title"), ""] + [f"- {step}" for step in outcome.timeline]
    # Every week not final yet: one still in its late window (members pending until the cut-off) and the next.
    current = [week for week in outcome.report.weeks if not week.final] or list(outcome.report.weeks[-1:])
    trimmed = dataclasses.replace(outcome.report, weeks=tuple(current))
    lines += ["", render_report(trimmed, schedule, messages)]
    return "\n".join(lines)


__all__ = ["CheckoutError", "Outcome", "RunError", "run_action", "run_cycle"]
