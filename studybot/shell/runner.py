"""``studybot run``: one pass of the weekly cycle against GitHub, or its plan in a dry run.

read → decide → apply: ``read_world`` takes in the checkout and GitHub, ``decide`` (pure)
returns the plan, ``apply_plan`` carries it out. When decide asks for more (a restored ledger,
permissions, question issues, a recheck), the world is read again, widened. When the branch
moved under the commit, the new README and ledger are read, the states merged, and the run
decides again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from studybot.core.config import StudyConfig
from studybot.core.decide import Plan, decide, week_timeline
from studybot.core.errors import EXIT_FAILED, StudybotError, speaking
from studybot.core.messages import Messages, messages_for
from studybot.core.plan import Operation
from studybot.core.regions import RegionError
from studybot.core.report import Report
from studybot.core.schedule import Schedule, build_schedule
from studybot.core.state import LedgerError, State, load_state, merge_states
from studybot.core.world import ReadRequest, World
from studybot.shell.apply import Applied, apply_plan
from studybot.shell.git import Repository
from studybot.shell.read import CheckoutError, open_checkout, read_world
from studybot.shell.remote import Gateway

COMMIT_ATTEMPTS = 3
DEFAULT_LEDGER = ".studybot/ledger.json"  # where a broken config's ledger is looked for
MAX_READS = 6  # a first read, then at most one widening per kind of request


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


def plan_run(
    config: StudyConfig,
    schedule: Schedule,
    repository: Repository,
    gateway: Gateway | None,
    now: dt.datetime,
    *,
    request: ReadRequest = ReadRequest(),
    branch: str | None = None,
    only_week: int | None = None,
    webhooks: frozenset[str] = frozenset(),
    repository_url: str | None = None,
    config_path: str | None = None,
    bot_login: str | None = None,
) -> tuple[World, Plan]:
    """Read and decide until decide asks for nothing more."""
    world: World | None = None
    for _ in range(MAX_READS):
        world = read_world(config, repository, gateway, request, branch=branch, previous=world, config_path=config_path)
        world = dataclasses.replace(world, webhooks=webhooks, repository_url=repository_url, bot_login=bot_login)
        plan = decide(config, schedule, world, load_state(world.ledger), now, only_week=only_week)
        if plan.reread is None:
            return world, plan
        request = plan.reread
    raise RunError("error.run.rereads")


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
    webhooks: Mapping[str, SecretStr] | None = None,
    repository_url: str | None = None,
    config_path: str | None = None,
    bot_login: str | None = None,
) -> Outcome:
    """Read, decide, apply: one run of the weekly cycle.

    ``recheck`` reads GitHub from the start instead of from the cursors; ``only_week``
    limits the issue and comment operations to one week (the README and ledger still update).
    """
    schedule = build_schedule(config)
    messages = messages_for(config.study.language)
    repository = open_checkout(workspace)
    if repository.head() is None:
        raise RunError("error.run.empty_repository")
    branch = branch or gateway.default_branch()
    try:
        world, plan = plan_run(
            config, schedule, repository, gateway, now,
            request=ReadRequest(from_start=recheck), branch=branch, only_week=only_week,
            webhooks=frozenset(webhooks or {}), repository_url=repository_url, config_path=config_path,
            bot_login=bot_login,
        )
    except RegionError as error:
        raise RunError.wrap(error) from None
    if plan.config is not None and plan.config != config:
        # A config change nobody entitled pushed is not in force: the run goes by the one that is.
        config, schedule = plan.config, build_schedule(plan.config)
        messages = messages_for(config.study.language)
    for note in plan.notes:
        log(note)
    outcome = Outcome(
        plan.report, list(plan.operations), notes=list(plan.notes), timeline=list(plan.timeline),
        problems=list(plan.problems), config=config,
    )
    prefix = (lambda line: messages.t("plan.dry_run", line=line)) if dry_run else (lambda line: line)
    if dry_run:
        for operation in plan.operations:
            log(prefix(operation.describe(messages)))
    else:
        try:
            applied = apply_with_retry(
                config, schedule, gateway, world, plan, now, branch=branch, only_week=only_week,
                done=lambda operation: log(operation.describe(messages)), webhooks=webhooks,
                base_tree=repository.tree_of(world.git.head) if world.git.head else None,
            )
        except RegionError as error:  # a member broke the README's markers while we committed
            raise RunError.wrap(error) from None
        outcome.commit = applied.commit
        outcome.notes += applied.warnings
        outcome.problems = list(dict.fromkeys([*outcome.problems, *applied.problems]))
        outcome.timeline = list(week_timeline(config, schedule, plan.report, applied.state, now))
    outcome.changed = bool(outcome.operations)
    return outcome


def apply_with_retry(
    config: StudyConfig,
    schedule: Schedule,
    gateway: Gateway,
    world: World,
    plan: Plan,
    now: dt.datetime,
    *,
    branch: str,
    only_week: int | None = None,
    done: Callable[[Operation], None] = lambda operation: None,
    redecide: Callable[[World, State], Plan] | None = None,
    webhooks: Mapping[str, SecretStr] | None = None,
    base_tree: str | None = None,
) -> Applied:
    """Apply the plan; when the branch moved under the commit, read the new README and ledger
    there, merge the states, decide again and commit on the new head.

    ``base_tree`` is the tree of ``world.git.head`` as the checkout has it; a retry on a new
    head reads that head's tree from GitHub instead."""
    parent = world.git.head or ""
    if redecide is None:
        redecide = lambda world, state: decide(config, schedule, world, state, now, only_week=only_week)  # noqa: E731
    operations, state, problems = plan.operations, plan.state, plan.problems
    warnings: list[str] = []
    for _ in range(COMMIT_ATTEMPTS):
        applied = apply_plan(
            operations, state, gateway, branch=branch, parent=parent, done=done, webhooks=webhooks, base_tree=base_tree
        )
        warnings += applied.warnings
        if not applied.moved:
            return Applied(applied.state, applied.commit, warnings=tuple(warnings), problems=problems)
        parent, base_tree = gateway.branch_head(branch), None
        files = {path: gateway.read_file(path, parent) for path in world.files}
        theirs = gateway.read_file(config.output.ledger, parent)
        world = dataclasses.replace(world, files=files, ledger=theirs)
        try:
            merged = merge_states(applied.state, load_state(theirs))
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
    from studybot.shell.configfile import load
    from studybot.shell.settings import Command, Settings, read_event

    # Every error below is a StudybotError; cli.fail() renders it. Before the config is read
    # it speaks the locale's language, after that the study's (``speaking``).
    settings = Settings.from_env(environ)
    if dry_run:
        settings = settings.model_copy(update={"dry_run": True})
    console = Console.from_settings(settings, out)
    try:
        config, broken = load(settings.config_path), None
    except Failure as failure:
        # A config nobody can parse must not stop the study's deadlines: the run goes by the
        # config in force (kept in the ledger) and ends non-zero with the config's problems.
        adopted = adopted_config(settings.workspace)
        if adopted is None:
            raise
        config, broken = adopted, failure
    language = config.study.language
    if settings.token is None and not settings.dry_run:
        raise Failure("error.run.no_token", language=language)
    schedule = build_schedule(config)
    if settings.week is not None and schedule.week(settings.week) is None:
        first, last = schedule.weeks[0].number, schedule.weeks[-1].number
        raise Failure("error.run.week", language=language, week=settings.week, first=first, last=last)
    messages = messages_for(language)
    event, problem = read_event(settings.event_path)
    if problem:
        console.warning(problem.render(messages))
    if connect is None:
        from studybot.shell.github import GitHubGateway

        connect = GitHubGateway
    gateway = connect(
        settings.token.get_secret_value() if settings.token else "", settings.repository or "", settings.api_url
    )
    with speaking(language), console.group("studybot"):
        outcome = run_cycle(
            config, gateway, settings.workspace, now,
            branch=event_branch(event), dry_run=settings.dry_run, log=console.print,
            recheck=settings.command is Command.RECHECK, only_week=settings.week,
            webhooks=settings.webhooks(), repository_url=repository_url(settings),
            config_path=inside(settings.config_path, settings.workspace), bot_login=settings.bot_login,
        )
    if outcome.config is not None and outcome.config != config:
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


def adopted_config(workspace: Path) -> StudyConfig | None:
    """The config in force as the ledger at its usual place keeps it, when it still validates."""
    from studybot.core.config import ConfigError, parse_config

    try:
        text = (Path(workspace) / DEFAULT_LEDGER).read_text(encoding="utf-8")
        adopted = load_state(text).decisions.config
        return parse_config(adopted.text) if adopted is not None else None
    except (OSError, UnicodeDecodeError, LedgerError, ConfigError):
        return None


def inside(path: Path, workspace: Path) -> str | None:
    """``path`` relative to the checkout, as git names it; None when the config lives elsewhere."""
    try:
        return Path(path).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return None


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
