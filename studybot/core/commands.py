"""Maintainer commands in issue comments, applied once to the state and answered.

Who may command is decided by the shell (config ``maintainer: true`` and at least write
permission by the collaborator API); this module takes that answer as data. Each command
comment is applied once: the state records its id, so edits and repeats change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from studybot.core.comments import Command, CommandError, Verb, carries_marker, parse_commands
from studybot.core.config import StudyConfig
from studybot.core.credit import credit_override, not_theirs, unread_item
from studybot.core.evidence import Notice
from studybot.core.markers import Kind, marker
from studybot.core.markup import code, escape
from studybot.core.members import Roster
from studybot.core.messages import Messages
from studybot.core.observe import bot_comment_ids
from studybot.core.plan import Reply
from studybot.core.records import Comment
from studybot.core.report import Report
from studybot.core.schedule import Schedule
from studybot.core.state import Decisions, Override, State
from studybot.core.status import status_reply
from studybot.core.verdicts import Verdict


@dataclass(frozen=True)
class Request:
    """A comment with at least one ``/studybot`` line that has not been applied yet."""

    comment: Comment
    parsed: tuple[Command | CommandError, ...]

    @property
    def edited(self) -> bool:
        """The command arrived through an edit, whose author GitHub does not say."""
        return self.comment.updated_at != self.comment.created_at

    @property
    def refusal(self) -> str | None:
        """Why the command cannot be trusted whoever wrote it (a message key), or None.

        An edit has no author GitHub names. A comment carrying the bot's hidden mark that no
        receipt says the bot wrote was copied from the bot or had the mark put in: it is
        answered, never carried out and never dropped without a word.
        """
        if self.edited:
            return "command.edited"
        if carries_marker(self.comment.body):
            return "command.marked"
        return None


@dataclass
class Applied:
    state: State
    writers: dict[int, str | None]  # team-blog writers, as the swaps so far leave them
    warnings: tuple[Notice, ...] = ()  # what the bot reported as unread, for credits to find
    replies: list[Reply] = field(default_factory=list)
    recheck: bool = False


def pending_requests(comments: Iterable[Comment], state: State) -> list[Request]:
    """Command comments seen this run that the ledger has not applied, oldest first.

    The bot's own comments are the ones its receipts recorded (observe.bot_comment_ids); the
    author is not checked here, because with a personal token the bot writes as the leader.
    """
    applied = set(state.sync.commands) | bot_comment_ids(state.sync)
    requests = []
    for comment in sorted(comments, key=lambda comment: (comment.created_at, comment.id)):
        if comment.id in applied:
            continue
        parsed = parse_commands(comment.body)
        if parsed:
            requests.append(Request(comment, parsed))
    return requests


def apply_requests(
    requests: list[Request],
    allowed: Mapping[str, bool],
    config: StudyConfig,
    schedule: Schedule,
    report: Report,
    state: State,
    now: dt.datetime,
    messages: Messages,
) -> Applied:
    """Apply every request in order; refuse those from anyone ``allowed`` does not name."""
    result = Applied(state, dict(report.writers), report.warnings)
    roster = Roster(config)
    today = schedule.local(now).date()
    for request in requests:
        comment = request.comment
        result.state = result.state.with_sync(commands=sorted({*result.state.sync.commands, comment.id}))
        if is_status(request) and request.refusal is None:
            result.replies.append(_status(request, result, config, schedule, report, roster, today, messages))
            continue
        lines: list[str] = []
        ok = True
        refused = False
        if request.refusal is not None:
            # Anyone with write access can edit anyone's comment and the API names only the
            # first author, so a command that appears through an edit, or in a comment that
            # carries the bot's mark, cannot be trusted whoever the author is (Request.refusal).
            lines.append(messages.t(request.refusal))
            ok, refused = False, True
        elif not allowed.get(comment.author, False):
            maintainers = ", ".join(escape(name) for name in sorted(roster.maintainers)) or "—"
            lines.append(messages.t("command.refused", maintainers=maintainers))
            ok, refused = False, True
        else:
            for item in request.parsed:
                line, success = _apply_one(item, comment, result, config, schedule, roster, now, messages)
                ok = ok and success
                if line:
                    lines.append(line)
        reply_marker = marker(0, Kind.REPLY, comment.id)
        reaction = "+1" if ok else "confused"
        if refused:
            # A refusal costs one write: a reply once a day per author, a reaction after that.
            if _replied_today(result.state, comment.author, today) or reply_marker in result.state.sync.bot_comments:
                result.replies.append(Reply(comment.issue_number, comment.id, reaction=reaction))
            else:
                result.replies.append(Reply(comment.issue_number, comment.id, body=reply_marker + "\n" + "\n".join(lines)))
                result.state = _note_reply(result.state, comment.author, today)
        elif not lines:
            result.replies.append(Reply(comment.issue_number, comment.id, reaction=reaction))
        elif reply_marker not in result.state.sync.bot_comments:
            body = reply_marker + "\n" + "\n".join(lines)
            result.replies.append(Reply(comment.issue_number, comment.id, body=body, reaction=reaction))
    return result


def is_status(request: Request) -> bool:
    """A comment that only asks for the author's own status, which any member may do."""
    return all(isinstance(item, Command) and item.verb is Verb.STATUS for item in request.parsed)


def needs_permission(request: Request) -> bool:
    """Whether answering the request depends on the author's repository role."""
    return request.refusal is not None or not is_status(request)


def _status(
    request: Request,
    result: Applied,
    config: StudyConfig,
    schedule: Schedule,
    report: Report,
    roster: Roster,
    today: dt.date,
    messages: Messages,
) -> Reply:
    """My status: one reply a day to a member, a reaction after that (their earlier reply holds
    it), and only a reaction for someone who is not a member."""
    comment = request.comment
    member = roster.by_login(comment.author)
    if member is None:
        return Reply(comment.issue_number, comment.id, reaction="confused")
    if _replied_today(result.state, comment.author, today):
        return Reply(comment.issue_number, comment.id, reaction="eyes")
    result.state = _note_reply(result.state, comment.author, today)
    body = marker(0, Kind.REPLY, comment.id) + "\n" + status_reply(report, schedule, config, member, messages)
    return Reply(comment.issue_number, comment.id, body=body)


def _replied_today(state: State, login: str, today: dt.date) -> bool:
    return state.sync.replied.get(login.lower()) == today


def _note_reply(state: State, login: str, today: dt.date) -> State:
    return state.with_sync(replied={**state.sync.replied, login.lower(): today})


def _apply_one(
    item: Command | CommandError,
    comment: Comment,
    result: Applied,
    config: StudyConfig,
    schedule: Schedule,
    roster: Roster,
    now: dt.datetime,
    messages: Messages,
) -> tuple[str, bool]:
    """One command's effect on ``result`` and the line that answers it."""
    if isinstance(item, CommandError):
        return messages.t(f"command.problem.{item.problem}", line=code(item.line)), False
    if item.verb is Verb.STATUS:
        return "", True  # answered by the caller
    if item.verb is Verb.START:
        # Settled before the commands run; the comment that started the study is told so.
        started = result.state.decisions.started
        return (messages.t("command.started") if started is not None and started.comment == comment.id else ""), True
    if item.verb is Verb.CONFIG:
        # Adopted by settle before the commands run: the version pushed before this comment.
        record = result.state.decisions.config
        commit = record.commit[:7] if record is not None and record.commit else "—"
        return messages.t("command.config_adopted", commit=code(commit)), True
    if item.verb is Verb.HELP:
        return messages.t("command.help"), True
    if item.verb is Verb.RECHECK:
        result.recheck = True
        return "", True
    if item.verb is Verb.CREDIT:
        return _credit(item, comment, result, schedule, roster, messages)
    member = roster.logins.get((item.login or "").lower())
    if member is None:
        return messages.t("command.unknown_member", login=code(f"@{item.login or ''}")), False
    decisions = result.state.decisions
    override = Override(kind=item.verb.value, by=comment.author, at=comment.created_at, comment=comment.id, member=member)
    if item.verb is Verb.PAID:
        result.state = result.state.with_decisions(overrides=[*decisions.overrides, override.model_copy(update={"amount": item.amount})])
        total = sum(o.amount or 0 for o in result.state.decisions.overrides if o.kind == "paid" and o.member == member)
        money = messages.money(item.amount or 0, config.study.currency)
        return messages.t("command.paid", member=escape(member), amount=money,
                          total=messages.money(total, config.study.currency)), True
    week = schedule.week(item.week or -1)
    if week is None:
        return messages.t("command.not_a_week", week=item.week), False
    if item.verb in (Verb.EXCUSE, Verb.UNEXCUSE):
        override = override.model_copy(update={"week": week.number, "reason": item.reason})
        result.state = result.state.with_decisions(
            **_unfreeze(decisions.model_copy(update={"overrides": [*decisions.overrides, override]}), member, week.number)
        )
        key = "command.excused" if item.verb is Verb.EXCUSE else "command.unexcused"
        return messages.t(key, member=escape(member), week=week.number, reason=escape(item.reason)), True
    # swap-blog: the week's writer hands it to another member, who gives their next week back.
    writer = result.writers.get(week.number)
    other = roster.logins.get((item.other or "").lower())
    if other is None:
        return messages.t("command.unknown_member", login=code(f"@{item.other or ''}")), False
    if week.is_final(now):
        return messages.t("command.past_week", week=week.number), False
    if writer != member:
        return messages.t("command.not_writer", week=week.number, member=escape(member),
                          writer=escape(writer or "—")), False
    later = next((number for number, name in sorted(result.writers.items()) if number > week.number and name == other), None)
    swaps = [override.model_copy(update={"week": week.number, "member": other, "other": member})]
    if later is not None:
        swaps.append(override.model_copy(update={"week": later, "member": member, "other": other}))
    result.state = result.state.with_decisions(overrides=[*decisions.overrides, *swaps])
    result.writers.update({swap.week: swap.member for swap in swaps if swap.week is not None})
    back = messages.t("command.swapped_back", week=later, member=escape(member)) if later else ""
    return messages.t("command.swapped", week=week.number, member=escape(member), other=escape(other), back=back), True


def _credit(
    item: Command,
    comment: Comment,
    result: Applied,
    schedule: Schedule,
    roster: Roster,
    messages: Messages,
) -> tuple[str, bool]:
    """Count the member's unread work the bot reported as her submission for the week, at its own time."""
    written = item.login or ""
    member = roster.by_login(written) or roster.member(written)
    if member is None:
        return messages.t("command.unknown_member", login=code(written)), False
    week = schedule.week(item.week or -1)
    if week is None:
        return messages.t("command.not_a_week", week=item.week), False
    decisions = result.state.decisions
    found = unread_item(result.warnings, roster, member, week.number, decisions.overrides)
    if found is None:
        other = not_theirs(result.warnings, member, week.number)
        if other is not None:
            return messages.t("command.credit_not_theirs", member=escape(member), week=week.number,
                              path=code(other.detail), other=escape(other.other)), False
        return messages.t("command.credit_nothing", member=escape(member), week=week.number), False
    base = Override(kind="credit", by=comment.author, at=comment.created_at, comment=comment.id, member=member)
    override = credit_override(found, base, week.number, item.reason)
    result.state = result.state.with_decisions(
        **_unfreeze(decisions.model_copy(update={"overrides": [*decisions.overrides, override]}), member, week.number)
    )
    assert found.at is not None  # only items with a time are credited
    at = messages.when(schedule.local(found.at))
    what = code(override.work or override.ref[:7])
    if found.at >= week.late_until:
        return messages.t("command.credited_after_cutoff", member=escape(member), week=week.number, work=what, at=at,
                          late_until=messages.when(schedule.local(week.late_until))), True
    verdict = Verdict.ON_TIME if found.at < week.deadline else Verdict.LATE
    return messages.t("command.credited", member=escape(member), week=week.number, work=what, at=at,
                      verdict=messages.t(f"command.credit_verdict.{verdict.value}")), True


def _unfreeze(decisions: Decisions, member: str, week: int) -> dict[str, object]:
    """Let a final verdict be judged again (with the new waiver) and frozen again this run."""
    frozen = decisions.weeks.get(week)
    if frozen is None or member not in frozen.members:
        return {"overrides": decisions.overrides}
    members = {name: item for name, item in frozen.members.items() if name != member}
    weeks = {**decisions.weeks, week: frozen.model_copy(update={"members": members})}
    return {"overrides": decisions.overrides, "weeks": weeks}
