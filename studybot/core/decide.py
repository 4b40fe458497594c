"""decide: the world as read, the state and ``now`` in; the plan of this run out.

Every rule of a run lives here or in the modules it calls: whose writes are the bot's own,
which ledger to trust, when each commit counts, who may command, which issues close, what the
README and the ledger become. ``studybot run``, ``report`` and ``demo`` all call this one
function; only the worlds they build differ.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from studybot.core.adoption import is_started, protection_text, setup_body, unprotected
from studybot.core.claims import claim, restorations
from studybot.core.commands import Request, apply_requests, needs_permission, pending_requests
from studybot.core.comments import Command, Verb
from studybot.core.config import StudyConfig
from studybot.core.cycle import WEEK_OPENS_BEFORE, Context, closing_due, plan_cycle, timeline
from studybot.core.evidence import Evidence
from studybot.core.history import commit_date_stamp, current_table_notices, folder_evidence, readme_evidence
from studybot.core.homework import HomeworkEntry, homework_warnings, parse_homework
from studybot.core.icsfeed import calendar_ics
from studybot.core.landing import force_pushes, land_commits, landed_stamp, pushes_of, rewrites
from studybot.core.markers import Kind, digest, marker
from studybot.core.markup import escape
from studybot.core.members import Roster, is_bot
from studybot.core.messages import Messages, messages_for
from studybot.core.observe import comment_evidence, observe_comments, observe_issues
from studybot.core.outbox import plan_notices
from studybot.core.picture import REGION as PICTURE_REGION
from studybot.core.picture import picture_region, term_picture
from studybot.core.placeholders import placeholder_files
from studybot.core.plan import Alert, CommitFiles, Operation, SetupIssue
from studybot.core.provenance import (
    ABSENT,
    ConfigTrust,
    LedgerTrust,
    config_in_force,
    ledger_in_force,
    maintainers_of,
    may_write_ledger,
    parsed,
)
from studybot.core.records import Permission
from studybot.core.regions import RegionError, replace_region
from studybot.core.render import render_fines, render_rotation
from studybot.core.replies import acknowledge
from studybot.core.report import Report, blog_writers, build_report, excuses_of
from studybot.core.schedule import Schedule, build_schedule
from studybot.core.state import (
    AdoptedConfig,
    Cursors,
    Decisions,
    FrozenWeek,
    Override,
    Push,
    Refused,
    State,
    SyncState,
    cell_evidence,
    dump_state,
    excuses_from,
    freeze_final_weeks,
    frozen_judgements,
    payments_from,
    remember_cells,
    remember_first_seen,
    substance,
    swaps_from,
)
from studybot.core.verdicts import Verdict
from studybot.core.world import EMPTY_LEDGER, GitRecords, ReadRequest, World

_NO_WEEK = FrozenWeek(finalized_at=dt.datetime.min.replace(tzinfo=dt.UTC), members={})

# Collaborator roles that can change the repository; a command also needs maintainer: true.
COMMANDING_ROLES = (Permission.ADMIN, Permission.MAINTAIN, Permission.WRITE)


@dataclass(frozen=True)
class Plan:
    """What a run does: the report, the writes in order, and the state they lead to.

    When ``reread`` is set the plan is not to be applied: the shell reads the world again,
    widened by the request, and decides again.
    """

    report: Report
    operations: tuple[Operation, ...] = ()
    state: State = field(default_factory=State)
    notes: tuple[str, ...] = ()
    timeline: tuple[str, ...] = ()
    reread: ReadRequest | None = None
    problems: tuple[str, ...] = ()  # inputs the run could not use; the rest was done, the run ends non-zero
    config: StudyConfig | None = None  # the config in force, when it is not the one given


def decide(
    config: StudyConfig,
    schedule: Schedule,
    world: World,
    state: State,
    now: dt.datetime,
    *,
    only_week: int | None = None,
) -> Plan:
    """The plan of one run. ``only_week`` limits issue and comment writes to that week."""
    notes: list[str] = []
    head_config, head_schedule = config, schedule
    trusted = in_force(config, schedule, world, state, now)
    if trusted.reread is not None:
        return _reread(config, schedule, world, state, now, trusted.reread)
    config, schedule, state, refusals = trusted.config, trusted.schedule, trusted.state, trusted.refusals
    sync = state.sync
    messages = messages_for(config.study.language)
    roster = Roster(config)
    if world.github is not None:
        sync = observe(sync, world, roster, now)
        notes += [refusal_text(item, roster, messages) for item in refusals]
        sync = sync.model_copy(update={"refused": [*sync.refused, *(item for item in refusals if item not in sync.refused)]})
    state = state.model_copy(update={"sync": sync})
    evidence = gather_evidence(config, schedule, world, state)
    report = judge(config, schedule, evidence, state.decisions, now)

    replies: list[Operation] = []
    if world.github is not None:
        requests = pending_requests(world.github.comments, state)
        authors = {request.comment.author for request in requests if needs_permission(request)}
        if authors - set(world.github.permissions):
            return _reread(config, schedule, world, state, now, ReadRequest(permissions=frozenset(authors)), report)
        allowed = authorize(roster, world.github.permissions, authors)
        if not is_started(state):
            start = next((request for request in requests if asks(request, allowed, Verb.START)), None)
            if start is None:
                if not world.github.rules_read:  # the setup issue says which folders are open
                    return _reread(config, schedule, world, state, now, ReadRequest(rules=True), report)
                return setup_plan(config, schedule, report, world, state, messages, notes)
            started_by = Override(kind="start", by=start.comment.author, at=start.comment.created_at, comment=start.comment.id)
            state = state.with_decisions(started=started_by, config=adoption(world, start, "start"))
        adopt = next((request for request in requests if asks(request, allowed, Verb.CONFIG)), None)
        if adopt is not None and (adopted := adoption(world, adopt, "command")) is not None:
            # The config at the head, adopted by a maintainer's command: from now on it is in force.
            config, schedule = head_config, head_schedule
            messages, roster = messages_for(config.study.language), Roster(config)
            state = state.with_decisions(config=adopted)
            state = state.model_copy(update={"decisions": config_excuses(state.decisions, config, adopted, now)})
        if requests:
            applied = apply_requests(requests, allowed, config, schedule, report, state, now, messages)
            if applied.recheck and not world.request.from_start:
                return _reread(config, schedule, world, state, now, ReadRequest(from_start=True), report)
            state, replies = applied.state, list(applied.replies)
            evidence = gather_evidence(config, schedule, world, state)
            report = judge(config, schedule, evidence, state.decisions, now)

    if world.github is not None:
        items = world.github.activity.items
        found = force_pushes(items) + rewrites(world.git.parents, items)
        pushed = tuple(notice for notice in found if notice not in report.warnings)
        report = dataclasses.replace(report, warnings=report.warnings + pushed)
        replies += acknowledge(world.github.comments, state, roster, schedule, now, messages)
    questions = world.github.questions if world.github is not None else ()
    homework = weekly_log(config, schedule, world)
    notes += homework_warnings(homework, schedule, messages)
    context = Context(config, schedule, report, state, now, messages, questions, homework)
    if world.github is not None and questions is None and config.qna.close_labeled and closing_due(context):
        return _reread(config, schedule, world, state, now, ReadRequest(questions=True), report)
    operations = replies + plan_cycle(context)
    if world.github is not None:
        operations, claimed = claim(operations, state.sync)
        state = state.model_copy(update={"sync": claimed})
        operations += restorations(state.sync)
    if only_week is not None:
        operations = [op for op in operations if getattr(op, "week", only_week) == only_week]
    if world.github is not None:
        # The branch's rules cost a request: read them only in a run that writes, so a quiet
        # run stays at three requests, and say then which folders members could change.
        if operations and not world.github.rules_read:
            return _reread(config, schedule, world, state, now, ReadRequest(rules=True), report)
        if world.github.rules_read and unprotected(world):
            notes.append(protection_text(world, messages))
    closing = set(closing_due(context)) if questions is not None else set()
    decisions = freeze_final_weeks(state.decisions, report, now)
    sync = state.sync
    if world.github is not None:
        sync = remember_cells(sync, evidence, decisions.weeks)
    state = state.model_copy(
        update={
            "decisions": decisions,
            "sync": _mark_closed(sync, closing if only_week is None else closing & {only_week}),
            "study": config.study.name,
        }
    )
    told = [item for item in refusals if alert_key(item) not in state.sync.sent]
    alerts = [refusal_text(item, roster, messages) for item in told]
    operations += alert_comments(context, told, alerts)
    operations += plan_notices(context, operations, world.webhooks, alerts, world.repository_url)
    problems = [problem.sentence(messages) for problem in world.problems]
    try:
        readme = fresh_readme(config, schedule, report, world, messages)
    except RegionError as error:
        # Broken markers in the README: everything else of the run still happens.
        readme, problems = None, [*problems, error.sentence(messages)]
    commit = plan_commit(config, schedule, report, world, state, load_base(world), operations, messages, homework, now, readme)
    if commit is not None:
        operations.append(commit)
    return Plan(
        report, tuple(operations), state, tuple(notes), tuple(timeline(context)), problems=tuple(problems), config=config
    )


def asks(request: Request, allowed: Mapping[str, bool], verb: Verb) -> bool:
    """A ``/studybot <verb>`` from a maintainer who may command (not through an edit)."""
    return (
        not request.edited
        and allowed.get(request.comment.author, False)
        and any(isinstance(item, Command) and item.verb is verb for item in request.parsed)
    )


def setup_plan(
    config: StudyConfig,
    schedule: Schedule,
    report: Report,
    world: World,
    state: State,
    messages: Messages,
    notes: list[str],
) -> Plan:
    """Before the start: the setup issue opened or brought up to date, and nothing else."""
    body = setup_body(config, schedule, report, world, messages)
    known = state.sync.setup
    operations: tuple[Operation, ...] = ()
    if known is None:
        operations = (SetupIssue(messages.t("setup.title"), body),)
    elif known.state == "open" and known.digest != digest(body):
        operations = (SetupIssue(messages.t("setup.title"), body, known.number),)
    return Plan(report, operations, state, (*notes, messages.t("setup.waiting")))


def weekly_log(config: StudyConfig, schedule: Schedule, world: World) -> dict[int, HomeworkEntry]:
    """The homework the README's weekly log names for each week (none when it has no log)."""
    text = world.text(config.output.readme)
    if not text:
        return {}
    return parse_homework(text, config.weekly_log.heading, config.weekly_log.marker, schedule)


def week_timeline(
    config: StudyConfig, schedule: Schedule, report: Report, state: State, now: dt.datetime
) -> tuple[str, ...]:
    """The current week's steps, done or due, as the state after a run's writes knows them."""
    return tuple(timeline(Context(config, schedule, report, state, now, messages_for(config.study.language))))


def _reread(
    config: StudyConfig,
    schedule: Schedule,
    world: World,
    state: State,
    now: dt.datetime,
    request: ReadRequest,
    report: Report | None = None,
) -> Plan:
    """A plan that asks for a wider read before anything is written (with the report judged so far).

    A run that reads again almost always writes, so the branch's rules come along: one request
    now saves deciding once more for them later.
    """
    if report is None:
        report = judge(config, schedule, gather_evidence(config, schedule, world, state), state.decisions, now)
    widened = dataclasses.replace(request, rules=world.github is not None)
    return Plan(report, state=state, reread=world.request.including(widened))


def load_base(world: World) -> State | None:
    """The state the checkout's ledger holds, to tell whether this run changes it."""
    from studybot.core.state import LedgerError, load_state

    try:
        return load_state(world.ledger)
    except LedgerError:
        return None


def _mark_closed(sync: SyncState, weeks: set[int]) -> SyncState:
    """The weeks whose closing step this plan completes (the issue closed, questions closed)."""
    if not weeks:
        return sync
    issues = {
        week: issue.model_copy(update={"week_closed": True}) if week in weeks else issue
        for week, issue in sync.issues.items()
    }
    return sync.model_copy(update={"issues": issues})


def observe(sync: SyncState, world: World, roster: Roster, now: dt.datetime) -> SyncState:
    """Fold what is new on GitHub and in the checkout into the sync state."""
    assert world.github is not None
    trusted = tuple(roster.maintainer_logins)
    github = world.github
    if world.request.from_start:
        sync = sync.model_copy(update={"cursors": Cursors(head=sync.cursors.head)})
    sync = observe_issues(sync, github.issues, trusted, world.bot_login)
    sync = observe_comments(sync, github.comments, trusted, world.bot_login)
    known = {(push.before, push.after, push.at) for push in sync.pushes}
    pushes = [*sync.pushes, *(push for push in pushes_of(github.activity.items) if (push.before, push.after, push.at) not in known)]
    head = world.git.head
    if world.git.seen_before is not None and sync.cursors.head and sync.cursors.head != head:
        # Commits that arrived since the last run were first seen now (bounded by activity).
        sync = remember_first_seen(sync, [sha for sha in world.git.parents if sha not in world.git.seen_before], now)
    cursors = sync.cursors.model_copy(
        update={"activity_after": github.activity.cursor or sync.cursors.activity_after, "head": head}
    )
    return sync.model_copy(update={"pushes": pushes, "cursors": cursors})


@dataclass(frozen=True)
class InForce:
    """The config, schedule and state a run may trust, the changes it refused, or the read that settles them."""

    config: StudyConfig
    schedule: Schedule
    state: State
    refusals: tuple[Refused, ...] = ()
    reread: ReadRequest | None = None


def in_force(config: StudyConfig, schedule: Schedule, world: World, state: State, now: dt.datetime) -> InForce:
    """What this run may trust: the ledger the bot or a maintainer last pushed, and the config in force.

    The ledger comes first (the config's record lives in it). A member's change of either is
    refused and listed, to be told to the leader; the config given is the checkout's.
    """
    if world.github is None:
        return InForce(config, schedule, state)
    ledger = ledger_trust(config, world, state)
    if ledger.more:
        return InForce(config, schedule, state, reread=ReadRequest(whole_log=True))
    if ledger.keep is not None and ledger.refused is not None:
        keep = EMPTY_LEDGER if world.git.ledger_blobs.get(ledger.keep) == ABSENT else ledger.keep
        restore = ReadRequest(ledger_at=keep, restored=(ledger.refused.commit, ledger.refused.actor or "?"))
        return InForce(config, schedule, state, reread=restore)
    refusals: list[Refused] = []
    if world.request.restored is not None:
        sha, actor = world.request.restored
        refusals.append(Refused(file="ledger", commit=sha, actor=None if actor == "?" else actor))
    started = is_started(state)
    record = state.decisions.config if started else None
    if record is not None and parsed(record.text) is None:
        record = None  # a record this version no longer reads: judge the file's history from its start
    trust = config_trust(world, record, [*state.sync.pushes, *fresh_pushes(world)])
    if trust is None:  # a config with no history in the checkout: whoever keeps it decides
        if started:
            state = state.model_copy(update={"decisions": config_excuses(state.decisions, config, None, now)})
        return InForce(config, schedule, state, tuple(refusals))
    adopted = parsed(trust.adopted.text)
    if adopted is None:  # no version of the file validates: the checkout's (which did) is all there is
        return InForce(config, schedule, state, tuple(refusals))
    if adopted.output.ledger != (world.request.ledger_path or config.output.ledger) and world.request.ledger_path is None:
        return InForce(config, schedule, state, reread=ReadRequest(ledger_path=adopted.output.ledger))
    if not started:
        return InForce(config, schedule, state, tuple(refusals))
    refusals += [
        Refused(file="config", commit=item.commit, actor=item.actor, at=item.at, invalid=item.invalid)
        for item in trust.refused
    ]
    if adopted != config:
        config, schedule = adopted, build_schedule(adopted)
    decisions = config_excuses(state.decisions.model_copy(update={"config": trust.adopted}), config, trust.adopted, now)
    return InForce(config, schedule, state.model_copy(update={"decisions": decisions}), tuple(refusals))


def fresh_pushes(world: World) -> list[Push]:
    """The pushes in this run's activity log: what the server says, nothing the ledger says."""
    assert world.github is not None
    return pushes_of(world.github.activity.items)


def ledger_trust(config: StudyConfig, world: World, state: State) -> LedgerTrust:
    """Whether the ledger as read is the one the bot or a maintainer last pushed.

    Judged with this run's activity log only, and with the maintainers of the config versions
    as their own pushes stand, never with anything the ledger under judgement says.
    """
    if world.request.ledger_at is not None or world.git.head is None:
        return LedgerTrust()
    pushes = fresh_pushes(world)
    chain = config_trust(world, None, pushes)
    text = chain.adopted.text if chain is not None else None
    maintainers = maintainers_of(text) if text is not None else Roster(config).maintainer_logins
    whole = world.request.whole_log or world.request.from_start or state.sync.cursors.activity_after is None
    def by_bot(actor: str | None) -> bool:
        # Not the login the ledger records for the bot: that is part of what is judged.
        return actor is not None and is_bot(actor, None, (), world.bot_login)

    return ledger_in_force(
        world.git.head, world.git.ledger_blobs, pushes, may_write_ledger(maintainers, by_bot), by_bot, whole_log=whole
    )


def config_trust(world: World, record: AdoptedConfig | None, pushes: list[Push]) -> ConfigTrust | None:
    """The config in force, from ``record`` on (or from the file's first version), push by push."""
    if world.config_path is None or world.git.head is None:
        return None
    landed = land_commits(world.git.parents, world.git.head, pushes)
    changes = world.git.changes.get(world.config_path, ())
    return config_in_force(changes, world.git.versions, landed, record, unknown_ok=record is None)


def adoption(world: World, request: Request, how: Literal["start", "command"]) -> AdoptedConfig | None:
    """The config at the head, as a maintainer adopts it with ``request``."""
    text = world.text(world.config_path) if world.config_path else None
    if text is None:
        return None
    changes = world.git.changes.get(world.config_path or "", ())
    comment = request.comment
    return AdoptedConfig(text=text, commit=changes[0] if changes else None, by=comment.author, at=comment.created_at, how=how)


def config_excuses(
    decisions: Decisions, config: StudyConfig, adopted: AdoptedConfig | None, now: dt.datetime
) -> Decisions:
    """A config excuse for a week already final, recorded as the adopting maintainer's override.

    Config excuses reach only open weeks by themselves (``judge``); a final week moves only
    through an override that says who, when and why, and the config in force is always one a
    maintainer pushed or adopted, so the excuse is theirs.
    """
    waived = excuses_from(decisions)
    added = [
        Override(
            kind="excuse", by=(adopted.by if adopted else None) or "config", at=(adopted.at if adopted else None) or now,
            member=member, week=week, reason=reason,
        )
        for (member, week), reason in sorted(excuses_of(config).items())
        if member in decisions.weeks.get(week, _NO_WEEK).members
        and (member, week) not in waived
        and decisions.weeks[week].members[member].verdict is not Verdict.EXCUSED
    ]
    if not added:
        return decisions
    return decisions.model_copy(update={"overrides": [*decisions.overrides, *added]})


def refusal_text(refused: Refused, roster: Roster, messages: Messages) -> str:
    """The sentence that tells the leader a change was not applied, naming the pusher as members know them."""
    actor = refused.actor or ""
    name = roster.logins.get(actor.lower())
    who = f"{escape(name)}(@{escape(actor)})" if name else escape(actor or "?")
    if refused.file == "ledger":
        return messages.t("ledger.restored", sha=refused.commit[:7], actor=who)
    maintainers = ", ".join(escape(name) for name in sorted(roster.maintainers)) or "—"
    key = "config.refused_invalid" if refused.invalid else "config.refused" if refused.actor else "config.refused_unknown"
    return messages.t(key, sha=refused.commit[:7], actor=who, maintainers=maintainers)


def alert_key(refused: Refused) -> str:
    return f"refused:{refused.file}:{refused.commit}"


def alert_comments(context: Context, refusals: list[Refused], texts: list[str]) -> list[Operation]:
    """One comment per refused change on the open week's issue (else the newest one, else the setup issue), once."""
    sync = context.state.sync
    weeks = sorted(sync.issues, key=lambda week: (sync.issues[week].state == "open", week))
    if weeks:
        week, issue = weeks[-1], sync.issues[weeks[-1]].number
    elif sync.setup is not None:
        week, issue = 0, sync.setup.number
    else:
        return []
    return [
        Alert(issue, alert_key(item), marker(week, Kind.ALERT) + "\n" + text)
        for item, text in zip(refusals, texts, strict=True)
    ]


def authorize(roster: Roster, permissions: Mapping[str, Permission], authors: set[str]) -> dict[str, bool]:
    """Who may command: a configured maintainer whose repository role is write or above.

    Members often have write access to push their links, so the role alone is not enough;
    the role check keeps a renamed or departed account listed in the config from commanding.
    """
    return {
        author: author.lower() in roster.maintainer_logins and permissions.get(author) in COMMANDING_ROLES
        for author in sorted(authors)
    }


def gather_evidence(config: StudyConfig, schedule: Schedule, world: World, state: State) -> Evidence:
    """Submissions from the README history, week folders and issue comments."""
    evidence = Evidence()
    evidence.merge(history_evidence(config, schedule, world, state.sync))
    cell_evidence(state.sync, evidence)
    if config.submissions.issues.enabled:
        _, writers = blog_writers(config, schedule, state.decisions.blog_fixed, swaps_from(state.decisions))
        deadlines = {week.number: week.deadline for week in schedule.weeks}
        evidence.merge(comment_evidence(state.sync, Roster(config), writers, deadlines=deadlines))
    return evidence


# The last history reduction, kept with the records it was made from: a run decides several times
# on the same git records (a wider read adds GitHub data, and commands change only decisions), and
# replaying a long README history each time is the run's costliest work. Same inputs, same result.
_HISTORY: list[tuple[StudyConfig, GitRecords, object, Evidence]] = []


def history_evidence(config: StudyConfig, schedule: Schedule, world: World, sync: SyncState) -> Evidence:
    """Submissions from the README's history and the week folders, timed as the config says.

    The result is shared: callers merge it into evidence of their own and never change it.
    """
    git = world.git
    landed = world.github is not None and config.submissions.timing == "landed" and git.head is not None
    table = world.text(config.submissions.readme.path)
    key = (landed, tuple(sync.pushes) if landed else (), tuple(sorted(sync.first_seen.items())) if landed else (), table)
    for cached_config, cached_git, cached_key, evidence in _HISTORY:
        if cached_config is config and cached_git is git and cached_key == key:
            return evidence
    roster = Roster(config)
    if landed:
        stamp = landed_stamp(roster, land_commits(git.parents, git.head or "", sync.pushes), sync.first_seen)
    else:
        stamp = commit_date_stamp(roster)
    weeks = [week.number for week in schedule.weeks]
    evidence = Evidence()
    if config.submissions.readme.enabled:
        evidence.merge(readme_evidence(config, git.readme_patches, stamp))
        if table is not None:
            for notice in current_table_notices(config, table, weeks):
                evidence.warn(notice)
    if config.submissions.folders.enabled:
        blobs = git.blobs
        evidence.merge(
            folder_evidence(
                config, git.folder_changes, lambda shas: {sha: blobs[sha] for sha in shas if sha in blobs}, stamp, weeks
            )
        )
    _HISTORY[:] = [(config, git, key, evidence)]
    return evidence


def judge(config: StudyConfig, schedule: Schedule, evidence: Evidence, decisions: Decisions, now: dt.datetime) -> Report:
    """The report with the decisions' frozen verdicts, waivers, swaps and payments applied."""
    # A config excuse reaches a week only until it is final; after that, only overrides do.
    open_excuses = {
        key: reason for key, reason in excuses_of(config).items()
        if key[0] not in decisions.weeks.get(key[1], _NO_WEEK).members
    }
    return build_report(
        config, schedule, evidence, now,
        frozen=frozen_judgements(decisions),
        excuses=excuses_from(decisions, open_excuses),
        blog_fixed=decisions.blog_fixed,
        blog_overrides=swaps_from(decisions),
        paid=payments_from(decisions),
    )


def plan_commit(
    config: StudyConfig,
    schedule: Schedule,
    report: Report,
    world: World,
    state: State,
    base: State | None,
    operations: list[Operation],
    messages: Messages,
    homework: Mapping[int, HomeworkEntry] | None = None,
    now: dt.datetime | None = None,
    readme_after: str | None = None,
) -> CommitFiles | None:
    """The README with fresh regions, the bot's other files and the ledger, as one commit.

    None when nothing changed. Bookkeeping alone (cursors, pushes read, first sightings) never
    warrants a commit; every other write of the run is recorded in the ledger, so it does.
    """
    readme = world.text(config.output.readme) or ""
    changed_readme = readme_after if readme_after is not None and readme_after != readme else None
    files = {path: content for path, content in bot_files(config, schedule, report, world, messages, homework, now).items()
             if world.text(path) != content}
    same_state = base is not None and dump_state(substance(state)) == dump_state(substance(base))
    if changed_readme is None and not files and same_state and not operations and world.request.ledger_at is None:
        return None
    key = "commit.message" if changed_readme is not None or files else "commit.ledger_only"
    return CommitFiles(config.output.readme, changed_readme, config.output.ledger, messages.t(key), tuple(sorted(files.items())))


def fresh_readme(config: StudyConfig, schedule: Schedule, report: Report, world: World, messages: Messages) -> str:
    """The README with the bot's regions rendered anew; RegionError when its markers are broken."""
    readme = replace_region(world.text(config.output.readme) or "", "fines", render_fines(report, schedule, messages))
    readme = replace_region(readme, "rotation", render_rotation(report, schedule, messages))
    if config.output.picture:
        region = picture_region(report, schedule, messages, picture_path=config.output.picture, readme_path=config.output.readme)
        readme = replace_region(readme, PICTURE_REGION, region)
    return readme


def bot_files(
    config: StudyConfig,
    schedule: Schedule,
    report: Report,
    world: World,
    messages: Messages,
    homework: Mapping[int, HomeworkEntry] | None,
    now: dt.datetime | None,
) -> dict[str, str]:
    """The files the bot keeps besides the README and the ledger: the calendar feed, the
    picture of the term, and the placeholders of the week folders that open now."""
    files: dict[str, str] = {}
    if config.output.calendar:
        files[config.output.calendar] = calendar_ics(config, schedule, report, messages).decode("utf-8")
    if config.output.picture:
        files[config.output.picture] = term_picture(report, schedule, messages)
    folders = config.submissions.folders
    if folders.enabled and folders.create_placeholders and now is not None:
        for week in schedule.weeks:
            if week.deadline - WEEK_OPENS_BEFORE <= now < week.deadline:
                entry = (homework or {}).get(week.number)
                files.update(
                    placeholder_files(config, schedule, week.number, config.members, world.git.paths, messages, entry)
                )
    return files
