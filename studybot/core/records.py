"""Plain records of what GitHub and git report: the core's view of the world, free of PyGithub.

The GitHub gateway and the git module build these; the core only reads them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class IssueState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    state: IssueState
    labels: tuple[str, ...]
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None = None
    is_pull_request: bool = False


@dataclass(frozen=True)
class Comment:
    id: int
    issue_number: int
    author: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class Activity:
    """One item of ``GET /repos/{o}/{r}/activity``: a server-timed change of a ref."""

    id: int
    kind: str  # push | force_push | pr_merge | branch_creation | branch_deletion | merge_queue_merge
    ref: str
    before: str
    after: str
    actor: str | None
    timestamp: dt.datetime


@dataclass(frozen=True)
class ActivityPage:
    items: tuple[Activity, ...]
    cursor: str | None  # opaque; pass back as ``after`` to read only newer items


class Permission(enum.StrEnum):
    ADMIN = "admin"
    MAINTAIN = "maintain"
    WRITE = "write"
    TRIAGE = "triage"
    READ = "read"
    NONE = "none"


@dataclass(frozen=True)
class BranchRule:
    """One active rule of ``GET /repos/{o}/{r}/rules/branches/{branch}``, from whichever ruleset holds it."""

    type: str  # file_path_restriction | pull_request | update | … (GitHub adds kinds; unknown ones are kept)
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FileChange:
    """New content for a path in a commit (None deletes the path)."""

    path: str
    content: str | None


@dataclass(frozen=True)
class CommitInfo:
    """A commit's identity and both its dates.

    ``committed_at`` (the committer date) moves when someone cherry-picks, rebases or amends
    the commit; ``authored_at`` (the author date) keeps the moment the change was first
    written. None when the reader did not ask for it: then it is the committer date.
    """

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    committed_at: dt.datetime
    authored_at: dt.datetime | None = None

    @property
    def written_at(self) -> dt.datetime:
        """The author date, or the committer date when the author date is not known."""
        return self.authored_at or self.committed_at


@dataclass(frozen=True)
class Hunk:
    """One ``-U0`` hunk: ``removed`` lines at old line ``old_start`` became ``added`` at ``new_start``."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class SideCommit:
    """A commit a merge brought onto the first-parent chain that changed the README: its text there and at each parent."""

    commit: CommitInfo
    text: str | None
    before: tuple[str | None, ...]


@dataclass(frozen=True)
class PatchCommit:
    commit: CommitInfo
    hunks: tuple[Hunk, ...]
    merged: tuple[SideCommit, ...] = ()  # for a merge: the README changes of the side it merged, parents first


@dataclass(frozen=True)
class FileTouch:
    """A path a commit added or modified, with the blob it holds afterwards."""

    path: str
    blob: str


@dataclass(frozen=True)
class TreeCommit:
    commit: CommitInfo
    touched: tuple[FileTouch, ...]
    message: str = ""  # the subject line, which may name the week (`[4주차/login]`)
