"""decide: the settled run, the world as read and the state in; the plan of this run out.

``settle`` has fixed what the run trusts (the config in force, the ledger, who may command);
here the run is judged: whose writes are the bot's own, when each commit counts, which
commands apply, which issues close, what the README and the ledger become. ``studybot run``,
``report`` and ``demo`` all call this one function; only the worlds they build differ.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from studybot.core.adoption import protection_text, setup_body, unprotected
from studybot.core.claims import claim, reclaimed, restorations
from studybot.core.commands import apply_requests
from studybot.core.comments import Command, Verb
from studybot.core.config import StudyConfig
from studybot.core.credit import credit_evidence, ledger_dropped_pushes, uncredited
from studybot.core.cycle import WEEK_OPENS_BEFORE, Context, closing_body, closing_due, issue_body, plan_cycle, timeline
from studybot.core.evidence import Evidence
from studybot.core.history import commit_date_stamp, current_table_notices
from studybot.core.homework import HomeworkEntry, homework_warnings, parse_homework
from studybot.core.icsfeed import calendar_ics
from studybot.core.increment import (
    HistoryEvidence,
    NeedsHistory,
    Timing,
    kept_notices,
    remember_replay,
    rendered_into,
    replay_history,
    replay_key,
    with_notices,
)
from studybot.core.landing import force_pushes, land_commits, landed_stamp, pushes_of, rewrites
from studybot.core.markers import (
    Kind,
    digest,
    hidden_line,
    marker,
    marker_week,
    read_hidden,
)
from studybot.core.markup import code, escape
from studybot.core.members import Roster
from studybot.core.messages import Messages, messages_for
from studybot.core.observe import comment_evidence, observe_comments, observe_issues
from studybot.core.outbox import plan_notices
from studybot.core.picture import REGION as PICTURE_REGION
from studybot.core.picture import picture_region, term_picture
from studybot.core.placeholders import placeholder_files
from studybot.core.plan import Alert, CloseSetupIssue, CommitFiles, Operation, Reply, SetupIssue
from studybot.core.regions import RegionError, replace_region
from studybot.core.render import render_fines, render_rotation
from studybot.core.replies import acknowledge
from studybot.core.report import Report, blog_writers, build_report, excuses_of
from studybot.core.schedule import Schedule
from studybot.core.settle import Replays, Run, posted_by_bot, setup_body_on_github, widen
from studybot.core.state import (
    Cursors,
    Decisions,
    FrozenWeek,
    Refused,
    State,
    SyncState,
    cell_evidence,
    excuses_from,
    freeze_final_weeks,
    frozen_judgements,
    is_started,
    payments_from,
    remember_cells,
    remember_first_seen,
    same_substance,
    swaps_from,
)
from studybot.core.world import ReadRequest, World

_NO_WEEK = FrozenWeek(finalized_at=dt.datetime.min.replace(tzinfo=dt.UTC), members={})


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


def decide(run: Run, world: World, state: State) -> Plan:
    """The plan of one run, judged inside what ``settle`` fixed for it."""
    config, schedule, messages, roster, now = run.config, run.schedule, run.messages, run.roster, run.now
    notes: list[str] = []
    if world.github is not None:
        sync = observe(state.sync, world, roster, now, run.settings.bot_login)
        notes += [refusal_text(item, roster, messages) for item in run.refusals]
        sync = sync.model_copy(update={"refused": [*sync.refused, *(item for item in run.refusals if item not in sync.refused)]})
        state = state.model_copy(update={"sync": sync})
    try:
        evidence = gather_evidence(config, schedule, world, state, run.replays)
    except NeedsHistory:  # the ledger's replay cannot be reused: read the whole history
        return Plan(judge(config, schedule, Evidence(), state.decisions, now), state=state,
                    reread=world.request.including(ReadRequest(full_history=True)))
    report = judge(config, schedule, evidence, state.decisions, now)

    replies: list[Operation] = []
    if world.github is not None:
        if not is_started(state):
            if not world.github.rules_read:  # the setup issue says which folders are open
                if setup_stands(run, world, state, report):  # the wait costs no more than a quiet run
                    return Plan(report, (), state, (*notes, messages.t("setup.waiting")))
                return _reread(world, report, state, ReadRequest(rules=True))
            return setup_plan(run, report, world, state, notes)
        if run.requests:
            applied = apply_requests(list(run.requests), run.allowed, config, schedule, report, state, now, messages)
            if applied.recheck and not world.request.from_start:
                return _reread(world, report, state, ReadRequest(from_start=True))
            state, replies = applied.state, list(applied.replies)
            evidence = gather_evidence(config, schedule, world, state, run.replays)
            report = judge(config, schedule, evidence, state.decisions, now)

    if world.github is not None:
        items = world.github.activity.items
        found = uncredited(state.decisions, force_pushes(items) + rewrites(world.git.parents, items))
        pushed = tuple(notice for notice in found if notice not in report.warnings)
        report = dataclasses.replace(report, warnings=report.warnings + pushed)
        replies += acknowledge(world.github.comments, state, roster, schedule, now, messages)
    questions = world.github.questions if world.github is not None else ()
    homework = weekly_log(config, schedule, world)
    notes += homework_warnings(homework, schedule, messages)
    context = Context(config, schedule, report, state, now, messages, questions, homework)
    if world.github is not None and questions is None and config.qna.close_labeled and closing_due(context):
        return _reread(world, report, state, ReadRequest(questions=True))
    if world.github is not None:
        state = state.model_copy(update={"sync": reclaimed(state.sync, *written_before(context))})
        context = dataclasses.replace(context, state=state)
        operations, state = own_writes(replies + plan_cycle(context), state)
    else:
        operations = replies + plan_cycle(context)
    only_week = run.settings.only_week
    if only_week is not None:
        operations = [op for op in operations if getattr(op, "week", only_week) == only_week]
    if world.github is not None:
        # The branch's rules cost a request: read them only in a run that writes, so a quiet
        # run stays at three requests, and say then which folders members could change.
        if operations and not world.github.rules_read:
            return _reread(world, report, state, ReadRequest(rules=True))
        if world.github.rules_read and unprotected(world):
            notes.append(protection_text(world, messages, run.settings.bot_login))
    state = recorded(run, world, state, report, evidence, set(closing_due(context)) if questions is not None else set())
    alerted, alerts, state = alerts_due(run, context, world, state)
    operations += alerted
    operations += plan_notices(context, operations, run.settings.webhooks, alerts, run.settings.repository_url)
    problems = [problem.sentence(messages) for problem in world.problems]
    try:
        readme = fresh_readme(config, schedule, report, world, messages)
    except RegionError as error:
        # Broken markers in the README: everything else of the run still happens.
        readme, problems = None, [*problems, error.sentence(messages)]
    if readme is not None and world.github is not None:
        state = state.with_sync(replay=rendered_into(state.sync.replay, readme))
    commit = plan_commit(run, report, world, state, operations, homework, readme)
    if commit is not None:
        operations.append(commit)
    return Plan(report, tuple(operations), state, tuple(notes), tuple(timeline(context)), problems=tuple(problems))


def own_writes(operations: list[Operation], state: State) -> tuple[list[Operation], State]:
    """The run's writes with what the bot's account already posted claimed, what it wrote and
    someone edited put back, and the setup issue closed once the study has started."""
    setup = state.sync.setup
    if setup is not None and setup.state == "open":
        operations = [*operations, CloseSetupIssue(setup.number)]  # the study has started: the setup issue is answered
    operations, claimed = claim(operations, state.sync)
    return [*operations, *restorations(claimed)], state.model_copy(update={"sync": claimed})


def recorded(run: Run, world: World, state: State, report: Report, evidence: Evidence, closing: set[int]) -> State:
    """The state the plan leads to: final weeks frozen, the cells and the replay remembered, closed weeks marked."""
    decisions = freeze_final_weeks(state.decisions, report, run.now)
    sync = state.sync
    if world.github is not None:
        sync = remember_cells(sync, evidence, decisions.weeks)
        sync = remember_replay(sync, history_evidence(run.config, run.schedule, world, state.sync, run.replays))
    only_week = run.settings.only_week
    closed = closing if only_week is None else closing & {only_week}
    return state.model_copy(update={"decisions": decisions, "sync": _mark_closed(sync, closed), "study": run.config.study.name})


def alerts_due(run: Run, context: Context, world: World, state: State) -> tuple[list[Operation], list[str], State]:
    """One comment per refused change not told yet, with its sentence for the messengers.

    An alert the setup issue already carries (nothing is committed before the start) is not
    posted again; it is recorded as told.
    """
    told = [item for item in run.refusals if alert_key(item) not in state.sync.sent]
    alerts = [refusal_text(item, run.roster, run.messages) for item in told]
    written = alert_comments(context, told, alerts)
    posted = posted_by_bot(world, state, run.settings.bot_login)
    again = {alert.key for alert in written if isinstance(alert, Alert) and alert.body in posted}
    if again:
        state = state.with_sync(sent=sorted({*state.sync.sent, *again}))
    return [alert for alert in written if not (isinstance(alert, Alert) and alert.key in again)], alerts, state


def setup_epoch(run: Run) -> str:
    """The last schedule boundary (a week's issue opening, its deadline, its cut-off) at or before
    now: the setup issue's body changes with time only at these."""
    passed = [
        instant
        for week in run.schedule.weeks
        for instant in (week.deadline - WEEK_OPENS_BEFORE, week.deadline, week.late_until)
        if instant <= run.now
    ]
    return max(passed).isoformat() if passed else "-"


def setup_stands(run: Run, world: World, state: State, report: Report) -> bool:
    """Whether the setup issue on GitHub is as this run would write it, with nothing to answer.

    It names the version in force and the last schedule boundary, and every refused change is
    told on it. (A start waiting for its answer needs its author's role, and that read brings the
    branch's rules along.) Then the wait reads nothing more.
    """
    body = setup_body_on_github(world, state, run.settings.bot_login)
    if body is None or read_hidden(body, "epoch") != setup_epoch(run):
        return False
    if read_hidden(body, "config") != (run.version.commit if run.version is not None else None):
        return False
    alerts, _, _ = alerts_due(run, Context(run.config, run.schedule, report, state, run.now, run.messages), world, state)
    return not alerts


def setup_plan(run: Run, report: Report, world: World, state: State, notes: list[str]) -> Plan:
    """Before the start: the setup issue opened or brought up to date, answers to starts that
    did not start the study, and the refused changes told; nothing else."""
    messages = run.messages
    body = setup_body(run.config, run.schedule, report, world, messages, run.settings.bot_login)
    shown = run.version.commit if run.version is not None else None
    if shown is not None:
        body += "\n" + hidden_line("config", shown)  # the version a start adopts; the ledger is not written before it
    body += "\n" + hidden_line("epoch", setup_epoch(run))
    known = state.sync.setup
    operations: list[Operation] = []
    if known is None:
        operations.append(SetupIssue(messages.t("setup.title"), body, config=shown))
    elif known.state == "open" and (known.digest != digest(body) or known.config != shown):
        operations.append(SetupIssue(messages.t("setup.title"), body, known.number, config=shown))
    stale = {request.comment.id for request in run.stale_starts}
    commit = code(run.version.commit[:7]) if run.version is not None and run.version.commit else "—"
    for request in run.stale_starts:
        comment = request.comment
        text = marker(0, Kind.REPLY, comment.id) + "\n" + messages.t("setup.start_changed", commit=commit)
        operations.append(Reply(comment.issue_number, comment.id, body=text))
        state = state.with_sync(commands=sorted({*state.sync.commands, comment.id}))
    # A start from someone who may not start is answered now (naming who may), not after the start.
    refused = [
        request for request in run.requests
        if request.comment.id not in stale and any(isinstance(item, Command) and item.verb is Verb.START for item in request.parsed)
    ]
    if refused:
        applied = apply_requests(refused, run.allowed, run.config, run.schedule, report, state, run.now, messages)
        state, operations = applied.state, [*operations, *applied.replies]
    # Nothing is committed before the start, so what an earlier run already posted is found on GitHub.
    alerts, _, state = alerts_due(run, Context(run.config, run.schedule, report, state, run.now, messages), world, state)
    operations, claimed = claim([*operations, *alerts], state.sync)
    return Plan(report, tuple(operations), state.model_copy(update={"sync": claimed}), (*notes, messages.t("setup.waiting")))


def written_before(context: Context) -> tuple[dict[str, str], dict[int, str]]:
    """What the bot means to write for each week it opened an issue for, where that does not
    change with time: the closing note, the note on each question it closed, and the issue
    body whose receipt has no digest."""
    issues = context.state.sync.issues
    weeks = [week for week in context.schedule.weeks if week.number in issues]
    comments = {marker(week.number, Kind.CLOSING): closing_body(context, week) for week in weeks}
    for key in context.state.sync.unclaimed:
        found = marker_week(key)
        if found is not None and found[1] is Kind.QUESTIONS:
            comments[key] = f"{key}\n" + context.messages.t("questions.body", week=found[0])
    bodies = {week.number: issue_body(context, week) for week in weeks if not issues[week.number].written}
    return comments, bodies


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


def _reread(world: World, report: Report, state: State, request: ReadRequest) -> Plan:
    """A plan that asks for a wider read before anything is written (with the report judged so far)."""
    return Plan(report, state=state, reread=widen(world, request))


def load_base(world: World) -> State | None:
    """The state the checkout's ledger holds, to tell whether this run changes it."""
    from studybot.core.state import LedgerError

    try:
        return world.state()
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


def observe(sync: SyncState, world: World, roster: Roster, now: dt.datetime, bot_login: str | None = None) -> SyncState:
    """Fold what is new on GitHub and in the checkout into the sync state."""
    assert world.github is not None
    trusted = tuple(roster.maintainer_logins)
    github = world.github
    if world.request.from_start:
        sync = sync.model_copy(update={"cursors": Cursors(head=sync.cursors.head)})
    sync = observe_issues(sync, github.issues, trusted, bot_login)
    sync = observe_comments(sync, github.comments, trusted, bot_login)
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


def gather_evidence(
    config: StudyConfig, schedule: Schedule, world: World, state: State, replays: Replays | None = None
) -> Evidence:
    """Submissions from the README history, week folders and issue comments, and the maintainers' credits."""
    evidence = Evidence()
    evidence.merge(history_evidence(config, schedule, world, state.sync, replays))
    cell_evidence(state.sync, evidence)
    if config.submissions.issues.enabled:
        _, writers = blog_writers(config, schedule, state.decisions.blog_fixed, swaps_from(state.decisions))
        deadlines = {week.number: week.deadline for week in schedule.weeks}
        late_until = {week.number: week.late_until for week in schedule.weeks}
        evidence.merge(comment_evidence(state.sync, Roster(config), writers, deadlines=deadlines, late_until=late_until))
    if world.github is not None:
        for notice in ledger_dropped_pushes(world.git.parents, state.sync.pushes):
            evidence.warn(notice)  # still told after the run that read the rewrite, and a credit can find it
    credit_evidence(state.decisions, evidence)
    return evidence


def history_evidence(
    config: StudyConfig, schedule: Schedule, world: World, sync: SyncState, replays: Replays | None = None
) -> Evidence:
    """Submissions from the README's history and the week folders, timed as the config says.

    With ``replays`` (the run's), a history already replayed on the same records is not
    replayed again. The result is shared: callers merge it into evidence of their own and never
    change it.
    """
    git = world.git
    landed = world.github is not None and config.submissions.timing == "landed" and git.head is not None
    table = world.text(config.submissions.readme.path)
    key = (config, landed, tuple(sync.pushes) if landed else (), tuple(sorted(sync.first_seen.items())) if landed else (), table)
    if replays is not None and (kept := replays.get(git, key)) is not None:
        return kept
    roster = Roster(config)
    landing = land_commits(git.parents, git.head or "", sync.pushes) if landed else None
    stamp = (
        landed_stamp(roster, landing, sync.first_seen) if landing is not None
        else commit_date_stamp(roster, config.submissions.clock)
    )
    weeks = [week.number for week in schedule.weeks]
    readme_read = config.submissions.readme.path not in {problem.fields.get("path") for problem in world.problems}
    judged_by = replay_key(config, landed, readme_read)
    readme, folders, replay, full = replay_history(
        config, git, Timing(stamp, landing, sync.first_seen), weeks, sync.replay, judged_by, keep=world.github is not None,
    )
    evidence = HistoryEvidence(kept=replay, full=full)
    evidence.merge(readme)
    if config.submissions.readme.enabled and table is not None:
        # Reading the whole table again is a quiet run's costliest step: the last run's notices
        # stand while the README and what judged it are the same.
        notices = kept_notices(sync.replay, judged_by, table)
        if notices is None:
            notices = current_table_notices(config, table, weeks)
        if replay is not None:
            evidence.kept = with_notices(replay, table, notices)
        for notice in notices:
            evidence.warn(notice)
    evidence.merge(folders)
    if replays is not None:
        replays.keep(git, key, evidence)
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
    run: Run,
    report: Report,
    world: World,
    state: State,
    operations: list[Operation],
    homework: Mapping[int, HomeworkEntry],
    readme_after: str | None,
) -> CommitFiles | None:
    """The README with fresh regions, the bot's other files and the ledger, as one commit.

    None when nothing changed. Bookkeeping alone (cursors, pushes read, first sightings) never
    warrants a commit; every other write of the run is recorded in the ledger, so it does.
    """
    config, base = run.config, load_base(world)
    readme = world.text(config.output.readme) or ""
    changed_readme = readme_after if readme_after is not None and readme_after != readme else None
    files = {path: content for path, content in bot_files(run, report, world, homework).items() if world.text(path) != content}
    same_state = base is not None and same_substance(state, base)
    if changed_readme is None and not files and same_state and not operations and world.request.ledger_at is None:
        return None
    key = "commit.message" if changed_readme is not None or files else "commit.ledger_only"
    return CommitFiles(config.output.readme, changed_readme, config.output.ledger, run.messages.t(key), tuple(sorted(files.items())))


def fresh_readme(config: StudyConfig, schedule: Schedule, report: Report, world: World, messages: Messages) -> str:
    """The README with the bot's regions rendered anew; RegionError when its markers are broken."""
    readme = replace_region(world.text(config.output.readme) or "", "fines", render_fines(report, schedule, messages))
    readme = replace_region(readme, "rotation", render_rotation(report, schedule, messages))
    if config.output.picture:
        region = picture_region(report, schedule, messages, picture_path=config.output.picture, readme_path=config.output.readme)
        readme = replace_region(readme, PICTURE_REGION, region)
    return readme


def bot_files(run: Run, report: Report, world: World, homework: Mapping[int, HomeworkEntry]) -> dict[str, str]:
    """The files the bot keeps besides the README and the ledger: the calendar feed, the
    picture of the term, and the placeholders of the week folders that open now."""
    config, schedule, messages, now = run.config, run.schedule, run.messages, run.now
    files: dict[str, str] = {}
    if config.output.calendar:
        files[config.output.calendar] = calendar_ics(config, schedule, report, messages).decode("utf-8")
    if config.output.picture:
        files[config.output.picture] = term_picture(report, schedule, messages)
    folders = config.submissions.folders
    if folders.enabled and folders.create_placeholders:
        for week in schedule.weeks:
            if week.deadline - WEEK_OPENS_BEFORE <= now < week.deadline:
                entry = homework.get(week.number)
                files.update(
                    placeholder_files(config, schedule, week.number, config.members, world.git.paths, messages, entry)
                )
    return files
