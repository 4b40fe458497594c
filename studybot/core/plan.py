"""Operations on GitHub, as data: what the core decides and the shell applies or prints.

Operations name a week's Q&A issue by its week, not its number, because a plan may open an
issue and comment on it in the same run.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from dataclasses import dataclass

from studybot.core.messages import Messages


class Kind(enum.StrEnum):
    """What a bot-written issue or comment is; part of its hidden marker."""

    ISSUE = "issue"
    REMINDER = "reminder"
    CLOSING = "closing"
    RESULTS = "results"
    QUESTIONS = "questions"
    REPLY = "reply"
    SETTLEMENT = "settlement"


_MARKER = re.compile(r"<!-- studybot:week=(\d+):kind=([a-z]+)(?::id=(\d+))? -->")


def marker(week: int, kind: Kind, ref: int | None = None) -> str:
    """The hidden marker the bot puts first in what it writes, to find it again later."""
    suffix = f":id={ref}" if ref is not None else ""
    return f"<!-- studybot:week={week}:kind={kind.value}{suffix} -->"


def read_marker(body: str) -> str | None:
    """The bot's marker in a body, or None when a person wrote it."""
    match = _MARKER.search(body or "")
    return match.group(0) if match else None


def marker_week(found: str) -> tuple[int, Kind] | None:
    match = _MARKER.fullmatch(found)
    if not match or match.group(2) not in Kind._value2member_map_:
        return None
    return int(match.group(1)), Kind(match.group(2))


def digest(body: str) -> str:
    """A short fingerprint of what the bot wrote, to know whether an edit is needed."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CreateIssue:
    week: int
    title: str
    body: str
    labels: tuple[str, ...]

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.create_issue", title=self.title)


@dataclass(frozen=True)
class EditIssue:
    week: int
    body: str

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.edit_issue", week=self.week)


@dataclass(frozen=True)
class CloseIssue:
    week: int

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.close_issue", week=self.week)


@dataclass(frozen=True)
class PostComment:
    """Create the comment with ``marker`` on the week's issue, or edit the one that has it."""

    week: int
    kind: Kind
    body: str
    existing: int | None = None  # comment id when the bot wrote it before

    def describe(self, messages: Messages) -> str:
        key = "plan.edit_comment" if self.existing else "plan.comment"
        return messages.t(key, week=self.week, kind=self.kind.value)


@dataclass(frozen=True)
class CloseQuestions:
    """Close open issues carrying ``labels`` created before the deadline, each with a note."""

    week: int
    labels: tuple[str, ...]
    before: dt.datetime
    body: str

    def describe(self, messages: Messages) -> str:
        return messages.t(
            "plan.close_questions", labels=", ".join(self.labels), before=messages.when(self.before)
        )


@dataclass(frozen=True)
class Reply:
    """Answer a comment (a command): a reply comment on its issue, or a reaction."""

    issue: int
    comment: int
    body: str | None = None
    reaction: str | None = None

    def describe(self, messages: Messages) -> str:
        if self.body is None:
            return messages.t("plan.react", comment=self.comment, content=self.reaction)
        return messages.t("plan.reply", issue=self.issue)


@dataclass(frozen=True)
class CommitFiles:
    files: tuple[tuple[str, str], ...]
    message: str

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.commit", paths=", ".join(path for path, _ in self.files))


Operation = CreateIssue | EditIssue | CloseIssue | PostComment | CloseQuestions | Reply | CommitFiles
