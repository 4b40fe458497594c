"""Operations on GitHub, as data: what the core decides and the shell applies or prints.

Operations name a week's Q&A issue by its week, not its number, because a plan may open an
issue and comment on it in the same run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from studybot.core.markers import Kind
from studybot.core.messages import Messages
from studybot.core.notices import Notice


@dataclass(frozen=True)
class CreateIssue:
    """Open the week's Q&A issue, unless one the bot opened turns up when looked for again.

    ``recheck_since``: right before creating, the issues updated since then are looked through
    for the week's marker, so two runs at once do not open two issues for one week.
    """

    week: int
    title: str
    body: str
    labels: tuple[str, ...]
    recheck_since: dt.datetime | None = None

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.create_issue", title=self.title)


@dataclass(frozen=True)
class EditIssue:
    week: int
    issue: int
    body: str

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.edit_issue", week=self.week, issue=self.issue)


@dataclass(frozen=True)
class CloseIssue:
    week: int
    issue: int

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.close_issue", week=self.week, issue=self.issue)


@dataclass(frozen=True)
class PostComment:
    """Create the comment with ``marker`` on the week's issue, or edit the one that has it."""

    week: int
    kind: Kind
    body: str
    existing: int | None = None  # comment id when the bot wrote it before

    def describe(self, messages: Messages) -> str:
        key = "plan.edit_comment" if self.existing else "plan.comment"
        return messages.t(key, week=self.week, kind=messages.t(f"kind.{self.kind.value}"), comment=self.existing)


@dataclass(frozen=True)
class RestoreComment:
    """Put back the body the bot wrote into its comment ``comment`` (someone edited it)."""

    marker: str
    comment: int
    body: str

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.restore_comment", comment=self.comment)


@dataclass(frozen=True)
class CloseQuestion:
    """Close open question issue ``issue`` (a ``close_labeled`` issue created before the
    deadline), with a note that carries ``note`` as its marker unless the note is there already."""

    week: int
    issue: int
    note: str  # the note's marker
    body: str | None  # the note; None when an earlier run posted it

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.close_question", issue=self.issue, week=self.week)


@dataclass(frozen=True)
class CloseDuplicate:
    """Close ``issue``, a second issue the bot opened for the week, with a note pointing to the week's issue
    (``body`` None when an earlier run posted the note)."""

    week: int
    issue: int
    note: str  # the note's marker
    body: str | None

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.close_duplicate", issue=self.issue, week=self.week)


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
class SetupIssue:
    """Open the setup issue (``issue`` None) or bring its body up to date.

    ``config`` is the text of the config version the body shows: a start adopts that version,
    and is refused when the version in force is no longer it.
    """

    title: str
    body: str
    issue: int | None = None
    config: str | None = None

    def describe(self, messages: Messages) -> str:
        if self.issue is None:
            return messages.t("plan.open_setup", title=self.title)
        return messages.t("plan.edit_setup", issue=self.issue)


@dataclass(frozen=True)
class CloseSetupIssue:
    """Close the setup issue: the study has started."""

    issue: int

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.close_setup", issue=self.issue)


@dataclass(frozen=True)
class Alert:
    """Tell the leader, once, on issue ``issue``, that a pushed change was not applied; ``key`` records it."""

    issue: int
    key: str
    body: str

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.alert", issue=self.issue)


@dataclass(frozen=True)
class Notify:
    """Send ``notice`` to the study's Discord or Slack webhook; ``key`` records it was sent."""

    week: int | None
    platform: str
    key: str
    notice: Notice
    user_ids: Mapping[str, str]  # member name -> chat user id, for the mentions a leader allowed
    language: str
    repository_url: str | None = None  # the notice links to the week's issue there

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.notify", platform=self.platform.capitalize(), title=self.notice.title)


@dataclass(frozen=True)
class CommitFiles:
    """One commit of the README (when its regions changed) and the ledger.

    The ledger's text is rendered when the commit is made, from the state that records this
    run's writes (issue numbers, comment ids), so it is not part of the operation.
    """

    readme_path: str
    readme: str | None  # None: the README is unchanged
    ledger_path: str
    message: str
    files: tuple[tuple[str, str], ...] = ()  # other files that change: the feed, the picture, week folders

    @property
    def paths(self) -> tuple[str, ...]:
        readme = (self.readme_path,) if self.readme is not None else ()
        return readme + tuple(path for path, _ in self.files) + (self.ledger_path,)

    def describe(self, messages: Messages) -> str:
        return messages.t("plan.commit", paths=", ".join(self.paths))


Operation = (
    CreateIssue
    | EditIssue
    | CloseIssue
    | PostComment
    | RestoreComment
    | CloseQuestion
    | CloseDuplicate
    | Reply
    | SetupIssue
    | CloseSetupIssue
    | Alert
    | Notify
    | CommitFiles
)
