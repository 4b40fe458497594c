"""The gateway protocol: everything studybot asks of GitHub, and how a request fails.

The core never sees a PyGithub object; :mod:`studybot.shell.github` builds the records of
:mod:`studybot.core.records` from
GitHub's JSON, and tests supply a fake that implements :class:`Gateway` in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from studybot.core.errors import StudybotError
from studybot.core.records import (
    ActivityPage,
    BranchRule,
    Comment,
    FileChange,
    Issue,
    IssueState,
    Permission,
)


class RefMoved(Exception):
    """The branch moved while a commit was being made; re-read, re-render and try again."""


class GatewayError(StudybotError):
    """A GitHub request failed for good; the sentence says what the leader can do about it.

    ``status`` is GitHub's HTTP status, when it answered at all.
    """

    def __init__(self, key: str, status: int | None = None, /, **fields: Any):
        super().__init__(key, **fields)
        self.status = status



class Gateway(Protocol):
    """Everything studybot asks of GitHub. Times are aware datetimes (UTC)."""

    def default_branch(self) -> str: ...

    def branch_head(self, branch: str) -> str:
        """The commit SHA the branch points at."""
        ...

    def read_file(self, path: str, ref: str) -> str | None:
        """A text file at a commit, or None when it does not exist there."""
        ...

    def commit_files(
        self, branch: str, parent: str, changes: list[FileChange], message: str, *, base_tree: str | None = None
    ) -> str:
        """Make one commit on ``parent`` with ``changes`` and move ``branch`` to it (no force).

        ``base_tree``, when given, is the tree SHA of ``parent`` (read from the checkout), which
        saves reading the parent commit. Raises :class:`RefMoved` when the branch no longer
        points at ``parent``.
        Returns the new commit SHA.
        """
        ...

    def list_issues(self, since: dt.datetime | None = None, labels: tuple[str, ...] = ()) -> list[Issue]:
        """All issues (open and closed, no pull requests), updated at or after ``since``."""
        ...

    def list_comments(self, since: dt.datetime | None = None) -> list[Comment]:
        """Issue comments of the whole repository updated at or after ``since``, oldest first."""
        ...

    def list_activity(self, branch: str, after: str | None = None) -> ActivityPage:
        """Server-timed pushes and merges of ``branch``, newer than cursor ``after``."""
        ...

    def permission(self, login: str) -> Permission: ...

    def branch_rules(self, branch: str) -> tuple[BranchRule, ...] | None:
        """The rules in force on ``branch`` from every active ruleset, or None when GitHub will not say."""
        ...

    def create_issue(self, title: str, body: str, labels: tuple[str, ...]) -> Issue: ...

    def update_issue(
        self,
        number: int,
        *,
        body: str | None = None,
        state: IssueState | None = None,
        state_reason: str | None = None,
    ) -> None: ...

    def create_comment(self, issue_number: int, body: str) -> Comment: ...

    def update_comment(self, comment_id: int, body: str) -> None: ...

    def add_reaction(self, comment_id: int, content: str) -> None:
        """React to an issue comment (``+1``, ``confused``, …)."""
        ...

    def request_count(self) -> Mapping[str, int]:
        """Requests made so far, by endpoint label."""
        ...
