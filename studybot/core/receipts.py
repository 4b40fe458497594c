"""What GitHub answered to each write, recorded into the state the run commits.

The plan names a new week's issue by its week, because its number exists only once it is
opened; the receipt of that write gives the number, and the state keeps it, so the bot knows
its own issues and comments by recorded ids and digests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from studybot.core.markers import Kind, digest, marker
from studybot.core.plan import (
    Alert,
    CloseDuplicate,
    CloseIssue,
    CloseQuestion,
    CloseSetupIssue,
    CommitFiles,
    CreateIssue,
    EditIssue,
    Notify,
    Operation,
    PostComment,
    Reply,
    RestoreComment,
    SetupIssue,
)
from studybot.core.state import BotComment, Duplicate, State, WeekIssue


@dataclass(frozen=True)
class Receipt:
    """GitHub's answer to one write: the new issue's number or comment's id, and the author."""

    number: int | None = None
    comment: int | None = None
    author: str | None = None
    sent: bool = False  # a notice the webhook accepted


def issue_of(state: State, operation: CreateIssue | EditIssue | CloseIssue | PostComment) -> int:
    """The number of the week's issue an operation writes to, as the state knows it now."""
    return state.sync.issues[operation.week].number


# Comments the bot writes once and never renders again: their text is kept to put it back
# when someone edits them. Results and settlement are rendered anew each run instead.
WRITTEN_ONCE = frozenset({Kind.REMINDER, Kind.CLOSING, Kind.QUESTIONS, Kind.REPLY, Kind.DUPLICATE})


def written(comment: int, body: str, keep_text: bool) -> BotComment:
    """The record of a comment the bot wrote (with its text when it is written only once)."""
    return BotComment(id=comment, digest=digest(body), text=body if keep_text else None)


def record(state: State, operation: Operation, receipt: Receipt) -> State:
    """The state after ``operation`` was carried out and GitHub answered ``receipt``."""
    sync = state.sync
    issues = dict(sync.issues)
    bot_login = sync.bot_login or receipt.author
    match operation:
        case CreateIssue():
            assert receipt.number is not None
            issues[operation.week] = WeekIssue(number=receipt.number, digest=digest(operation.body), written=digest(operation.body))
            return state.with_sync(issues=issues, bot_login=bot_login)
        case EditIssue():
            body = digest(operation.body)
            issues[operation.week] = issues[operation.week].model_copy(update={"digest": body, "written": body})
            return state.with_sync(issues=issues)
        case CloseIssue():
            issues[operation.week] = issues[operation.week].model_copy(update={"state": "closed"})
            return state.with_sync(issues=issues)
        case PostComment():
            found = marker(operation.week, operation.kind)
            comment = operation.existing if operation.existing is not None else receipt.comment
            assert comment is not None
            bot_comments = {**sync.bot_comments, found: written(comment, operation.body, operation.kind in WRITTEN_ONCE)}
            return state.with_sync(bot_comments=bot_comments, bot_login=bot_login)
        case RestoreComment():
            bot_comments = {**sync.bot_comments, operation.marker: written(operation.comment, operation.body, True)}
            return state.with_sync(bot_comments=bot_comments)
        case CloseQuestion():
            if operation.body is None or receipt.comment is None:
                return state
            bot_comments = {**sync.bot_comments, operation.note: written(receipt.comment, operation.body, True)}
            return state.with_sync(bot_comments=bot_comments, bot_login=bot_login)
        case CloseDuplicate():
            duplicates = {**sync.duplicates, operation.issue: Duplicate(week=operation.week, state="closed")}
            bot_comments = dict(sync.bot_comments)
            if operation.body is not None and receipt.comment is not None:
                bot_comments[operation.note] = written(receipt.comment, operation.body, True)
            return state.with_sync(duplicates=duplicates, bot_comments=bot_comments, bot_login=bot_login)
        case Reply():
            bot_comments = dict(sync.bot_comments)
            if operation.body is not None and receipt.comment is not None:
                bot_comments[marker(0, Kind.REPLY, operation.comment)] = written(receipt.comment, operation.body, True)
            commands = sorted({*sync.commands, operation.comment})
            return state.with_sync(bot_comments=bot_comments, commands=commands, bot_login=bot_login)
        case SetupIssue():
            number = operation.issue if operation.issue is not None else receipt.number
            assert number is not None
            setup = WeekIssue(number=number, digest=digest(operation.body), config=operation.config)
            return state.with_sync(setup=setup, bot_login=bot_login)
        case CloseSetupIssue():
            assert sync.setup is not None
            return state.with_sync(setup=sync.setup.model_copy(update={"state": "closed"}))
        case Alert():
            return state.with_sync(sent=sorted({*sync.sent, operation.key}), bot_login=bot_login)
        case Notify():
            if not receipt.sent:
                return state  # not sent: nothing recorded, so the next run tries again
            return state.with_sync(sent=sorted({*sync.sent, operation.key}))
        case CommitFiles():
            return state
        case _:
            assert_never(operation)
