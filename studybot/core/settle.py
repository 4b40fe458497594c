"""settle: what a run may trust, before anything is judged.

``settle(settings, checkout, world, state, now)`` is pure. It takes the checkout's config (or
None when the file does not parse), the world as read, the ledger's state and ``now``, and
returns either a frozen :class:`Run` (the config in force with its schedule, messages and
roster, the state as trusted, the commands waiting with who may give them) or the
:class:`ReadRequest` that would settle it. ``decide`` then judges inside that run and never
swaps what was settled here.

The order matters. The ledger comes first, because the config's record lives in it: it must
be the one the bot or a maintainer last pushed, judged push by push with this run's activity
log, never with anything the ledger under judgement says. Then the config in force: the
version a maintainer adopted, or the newest one a maintainer of the version before it pushed.
Last, a maintainer's ``/studybot start`` or ``/studybot config`` adopts a version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from studybot.core.commands import Request, needs_permission, pending_requests
from studybot.core.comments import Command, Verb
from studybot.core.config import ConfigError, StudyConfig, parse_config
from studybot.core.evidence import Evidence
from studybot.core.landing import land_commits, pushes_of
from studybot.core.markers import Kind, marker, marker_week, read_hidden, read_marker
from studybot.core.members import Roster, is_bot
from studybot.core.messages import Messages, messages_for
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
from studybot.core.report import excuses_of
from studybot.core.schedule import Schedule, build_schedule
from studybot.core.state import (
    AdoptedConfig,
    Decisions,
    FrozenWeek,
    Override,
    Push,
    Refused,
    State,
    excuses_from,
    is_started,
)
from studybot.core.verdicts import Verdict
from studybot.core.world import EMPTY_LEDGER, GitRecords, ReadRequest, World

# Collaborator roles that can change the repository; a command also needs maintainer: true.
COMMANDING_ROLES = (Permission.ADMIN, Permission.MAINTAIN, Permission.WRITE)

_NO_WEEK = FrozenWeek(finalized_at=dt.datetime.min.replace(tzinfo=dt.UTC), members={})


class Replays:
    """The README and folder history, replayed once per run however often the run decides.

    A run decides several times on the same git records (a wider read adds GitHub data, and
    commands change only decisions), and replaying a long history is its costliest work. The
    runner makes one of these per run and hands it to every settle; nothing is kept between
    runs or at module level.
    """

    def __init__(self) -> None:
        self._last: tuple[GitRecords, object, Evidence] | None = None

    def get(self, git: GitRecords, key: object) -> Evidence | None:
        """The evidence replayed from these very records with an equal ``key``, if any."""
        if self._last is not None and self._last[0] is git and self._last[1] == key:
            return self._last[2]
        return None

    def keep(self, git: GitRecords, key: object, evidence: Evidence) -> None:
        self._last = (git, key, evidence)


@dataclass(frozen=True)
class RunSettings:
    """How the run was asked for: the shell's settings, as data."""

    only_week: int | None = None  # limit issue and comment writes to this week
    webhooks: frozenset[str] = frozenset()  # the messenger platforms with a webhook URL (the URLs stay in the shell)
    repository_url: str | None = None  # https://github.com/OWNER/REPO, for links in notices
    bot_login: str | None = None  # the GitHub App account the leader declared studybot writes as


@dataclass(frozen=True)
class Run:
    """One run's settled inputs: everything ``decide`` judges with, fixed for the run."""

    config: StudyConfig  # the config in force (which may not be the checkout's)
    schedule: Schedule
    messages: Messages
    roster: Roster
    now: dt.datetime
    settings: RunSettings
    state: State  # the ledger's state as trusted, with the config's record and any start applied
    refusals: tuple[Refused, ...] = ()  # changes of the config or ledger that were not applied
    requests: tuple[Request, ...] = ()  # command comments not applied yet, oldest first
    allowed: Mapping[str, bool] = field(default_factory=dict)  # who among their authors may command
    version: AdoptedConfig | None = None  # the config version in force, as pushed or adopted (None: no history)
    stale_starts: tuple[Request, ...] = ()  # maintainers' starts given after the setup issue's version changed
    replays: Replays = field(default_factory=Replays, compare=False, repr=False)  # the run's, shared by its passes


def settle(
    settings: RunSettings,
    checkout: StudyConfig | None,
    world: World,
    state: State,
    now: dt.datetime,
    replays: Replays | None = None,
) -> Run | ReadRequest:
    """The run's settled inputs, or the read that would settle them.

    ``checkout`` is the config as the checkout has it, None when it does not parse: then the
    config the ledger records is in force, and without one the run cannot go on.
    """
    trusted = in_force(checkout, world, state, now, settings.bot_login)
    if isinstance(trusted, ReadRequest):
        return widen(world, trusted)
    config, version, state, refusals = trusted
    requests: tuple[Request, ...] = ()
    allowed: dict[str, bool] = {}
    stale: list[Request] = []
    if world.github is not None:
        requests = tuple(pending_requests(world.github.comments, state))
        if not is_started(state):
            # Nothing is committed before the start: a command the bot already answered (a start
            # refused, or told that the config changed) is found by its reply on GitHub and never
            # counts again.
            answered = {read_marker(body) for body in posted_by_bot(world, state, settings.bot_login)}
            requests = tuple(request for request in requests if marker(0, Kind.REPLY, request.comment.id) not in answered)
        authors = {request.comment.author for request in requests if needs_permission(request)}
        if authors - set(world.github.permissions):
            return widen(world, ReadRequest(permissions=frozenset(authors)))
        # Who may command is judged by the config in force: a member's own promotion was refused above.
        allowed = authorize(Roster(config), world.github.permissions, authors)
        if not is_started(state):
            starts = [request for request in requests if asks(request, allowed, Verb.START)]
            shown = shown_version(world, state, settings.bot_login)
            if starts and shown is not None and version is not None and shown != version.commit:
                stale, starts = starts, []  # the leader has not seen the version in force: show it first
            if starts:
                start = starts[0].comment
                started_by = Override(kind="start", by=start.author, at=start.created_at, comment=start.id)
                adopted = adopted_at_start(version, start.author, start.created_at) if version else adoption(world, starts[0], "start")
                state = state.with_decisions(started=started_by, config=adopted)
        adopt = first_asking(requests, allowed, Verb.CONFIG)
        if adopt is not None and is_started(state):
            command = adopted_before(world, adopt, [*state.sync.pushes, *fresh_pushes(world)])
            chosen = parsed(command.text) if command is not None else None
            if command is not None and chosen is not None:
                # The version a maintainer saw when commenting: from now on it is in force.
                config, version = chosen, command
                state = state.with_decisions(config=command)
                state = state.model_copy(update={"decisions": config_excuses(state.decisions, config, command, now)})
    return Run(
        config=config,
        schedule=build_schedule(config),
        messages=messages_for(config.study.language),
        roster=Roster(config),
        now=now,
        settings=settings,
        state=state,
        refusals=refusals,
        requests=requests,
        allowed=allowed,
        version=version,
        stale_starts=tuple(stale),
        replays=replays or Replays(),
    )


def shown_version(world: World, state: State, bot_login: str | None) -> str | None:
    """The config version (its commit) the bot's setup issue shows, as GitHub has the issue now.

    Nothing is committed before the start, so the issue itself is the record of what the leader saw.
    """
    body = setup_body_on_github(world, state, bot_login)
    if body is not None:
        return read_hidden(body, "config")
    return state.sync.setup.config if state.sync.setup is not None else None


def posted_by_bot(world: World, state: State, bot_login: str | None) -> set[str]:
    """The bodies of the comments the bot's account posted, as GitHub shows them to this run."""
    comments = world.github.comments if world.github is not None else ()
    return {comment.body for comment in comments if is_bot(comment.author, state.sync.bot_login, (), bot_login)}




def setup_body_on_github(world: World, state: State, bot_login: str | None) -> str | None:
    """The body of the bot's setup issue as this run read it, if the bot opened one."""
    assert world.github is not None
    for issue in world.github.issues:
        found = read_marker(issue.body)
        week = marker_week(found) if found else None
        if week is not None and week[1] is Kind.SETUP and is_bot(issue.author, state.sync.bot_login, (), bot_login):
            return issue.body
    return None


def widen(world: World, request: ReadRequest) -> ReadRequest:
    """The world's request widened by ``request``.

    A run that reads again almost always writes, so the branch's rules come along: one request
    now saves deciding once more for them later.
    """
    return world.request.including(dataclasses.replace(request, rules=world.github is not None))


class NoConfig(ConfigError):
    """The checkout's config does not parse and no config is in force yet."""


def in_force(
    checkout: StudyConfig | None, world: World, state: State, now: dt.datetime, bot_login: str | None = None
) -> tuple[StudyConfig, AdoptedConfig | None, State, tuple[Refused, ...]] | ReadRequest:
    """The config in force (with the version it comes from), the state as trusted, and the
    changes refused, or the read that settles them.

    The ledger comes first (the config's record lives in it). A member's change of either is
    refused and listed, to be told to the leader. Before the start, too, the config is the
    newest version a maintainer of the version before it pushed: a member cannot make herself
    a maintainer in the setup window and start the study as one.
    """
    config = checkout if checkout is not None else recorded(state)
    if config is None:
        raise NoConfig([])
    if world.github is None:
        return config, None, state, ()
    ledger = ledger_trust(config, world, state, bot_login)
    if ledger.more:
        return ReadRequest(whole_log=True)
    if ledger.keep is not None and ledger.refused is not None:
        keep = EMPTY_LEDGER if world.git.ledger_blobs.get(ledger.keep) == ABSENT else ledger.keep
        return ReadRequest(ledger_at=keep, restored=(ledger.refused.commit, ledger.refused.actor or "?"))
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
        return config, None, state, tuple(refusals)
    adopted = parsed(trust.adopted.text)
    if adopted is None:  # no version of the file validates: the checkout's (which did) is all there is
        return config, None, state, tuple(refusals)
    if adopted.output.ledger != (world.request.ledger_path or config.output.ledger) and world.request.ledger_path is None:
        return ReadRequest(ledger_path=adopted.output.ledger)
    refusals += [
        Refused(file="config", commit=item.commit, actor=item.actor, at=item.at, invalid=item.invalid)
        for item in trust.refused
    ]
    if not started:
        return adopted, trust.adopted, state, tuple(refusals)
    decisions = config_excuses(state.decisions.model_copy(update={"config": trust.adopted}), adopted, trust.adopted, now)
    return adopted, trust.adopted, state.model_copy(update={"decisions": decisions}), tuple(refusals)


def recorded(state: State) -> StudyConfig | None:
    """The config in force as the ledger records it, when this version still reads it."""
    record = state.decisions.config
    if record is None:
        return None
    try:
        return parse_config(record.text)
    except ConfigError:
        return None


def fresh_pushes(world: World) -> list[Push]:
    """The pushes in this run's activity log: what the server says, nothing the ledger says."""
    assert world.github is not None
    return pushes_of(world.github.activity.items)


def ledger_trust(config: StudyConfig, world: World, state: State, bot_login: str | None = None) -> LedgerTrust:
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
        return actor is not None and is_bot(actor, None, (), bot_login)

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


def first_asking(requests: tuple[Request, ...], allowed: Mapping[str, bool], verb: Verb) -> Request | None:
    """The first ``/studybot <verb>`` from a maintainer who may command (not through an edit)."""
    return next((request for request in requests if asks(request, allowed, verb)), None)


def asks(request: Request, allowed: Mapping[str, bool], verb: Verb) -> bool:
    """A ``/studybot <verb>`` from a maintainer who may command (not through an edit or a copy of the bot's)."""
    return (
        request.refusal is None
        and allowed.get(request.comment.author, False)
        and any(isinstance(item, Command) and item.verb is verb for item in request.parsed)
    )


def adoption(world: World, request: Request, how: Literal["start", "command"]) -> AdoptedConfig | None:
    """The config at the head, as a maintainer adopts it with ``request``."""
    text = world.text(world.config_path) if world.config_path else None
    if text is None:
        return None
    changes = world.git.changes.get(world.config_path or "", ())
    comment = request.comment
    return AdoptedConfig(text=text, commit=changes[0] if changes else None, by=comment.author, at=comment.created_at, how=how)


def adopted_at_start(version: AdoptedConfig, by: str, at: dt.datetime) -> AdoptedConfig:
    """The version in force before the start (the one the setup issue showed), adopted by the start."""
    return version.model_copy(update={"by": by, "at": at, "how": "start"})


def adopted_before(world: World, request: Request, pushes: list[Push]) -> AdoptedConfig | None:
    """The newest config version pushed before ``request`` was written, as its author adopts it.

    A maintainer adopts what they saw: a version pushed after the comment (a member's, a minute
    later) is not adopted by it. A change whose push the activity log does not know is older
    than the log, so it was there before the comment.
    """
    if world.config_path is None or world.git.head is None:
        return None
    comment = request.comment
    landed = land_commits(world.git.parents, world.git.head, pushes)
    for sha in world.git.changes.get(world.config_path, ()):
        landing = landed.get(sha)
        text = world.git.versions.get(sha)
        if text is not None and (landing is None or landing.at <= comment.created_at):
            return AdoptedConfig(text=text, commit=sha, by=comment.author, at=comment.created_at, how="command")
    return None


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


def authorize(roster: Roster, permissions: Mapping[str, Permission], authors: set[str]) -> dict[str, bool]:
    """Who may command: a configured maintainer whose repository role is write or above.

    Members often have write access to push their links, so the role alone is not enough;
    the role check keeps a renamed or departed account listed in the config from commanding.
    """
    return {
        author: author.lower() in roster.maintainer_logins and permissions.get(author) in COMMANDING_ROLES
        for author in sorted(authors)
    }
