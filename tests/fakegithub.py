"""FakeGitHub: an in-memory :class:`~studybot.shell.remote.Gateway` that records every write for flow tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from studybot.core.records import (
    Activity,
    ActivityPage,
    BranchRule,
    Comment,
    FileChange,
    Issue,
    IssueState,
    Permission,
)
from studybot.shell.remote import GatewayError, RefMoved

UTC = dt.UTC
PAGE = 100
OPS = frozenset(
    {
        "default_branch",
        "branch_head",
        "read_file",
        "commit_files",
        "list_issues",
        "list_comments",
        "list_activity",
        "permission",
        "branch_rules",
        "create_issue",
        "update_issue",
        "create_comment",
        "update_comment",
        "add_reaction",
    }
)


@dataclasses.dataclass(frozen=True)
class FakeCommit:
    """One commit: its full tree as ``files`` and who made it when."""

    sha: str
    parent: str | None
    files: Mapping[str, str]
    message: str
    actor: str
    at: dt.datetime
    branch: str


@dataclasses.dataclass
class _Fault:
    exc: BaseException
    after_apply: bool


class FakeGitHub:
    """An in-memory GitHub repository with issues, comments, branches and the activity API."""

    def __init__(
        self,
        files: Mapping[str, str] | None = None,
        *,
        now: dt.datetime = dt.datetime(2022, 4, 6, 0, 0, tzinfo=UTC),
        default_branch: str = "main",
        permissions: Mapping[str, Permission] | None = None,
        bot: str = "github-actions[bot]",
        owner: str = "SEOJIN-Lab",
    ):
        self.now = _aware(now)  # stamps every created/updated time; tests move it
        self.bot = bot  # author of the bot's issues, comments and commits
        self.issues: dict[int, Issue] = {}
        self.comments: dict[int, Comment] = {}
        self.reactions: dict[int, list[str]] = {}  # comment id → reaction contents
        self.commits: list[FakeCommit] = []  # made through commit_files, oldest first
        self.activity: list[Activity] = []  # every ref move, as the activity API lists it
        self.permissions: dict[str, Permission] = dict(permissions or {})  # missing → NONE
        self.rules: list[BranchRule] | None = []  # the default branch's active rules; None: GitHub refuses to say
        self.writes: list[tuple[str, dict[str, Any]]] = []  # (op, details) of every write, in order
        self.state_reasons: dict[int, str] = {}
        self._default_branch = default_branch
        self._objects: dict[str, FakeCommit] = {}
        self._heads: dict[str, str] = {}
        self._counts: Counter[str] = Counter()
        self._faults: dict[str, list[_Fault]] = {}
        self._next_number = 1
        self._next_comment = 1001
        self._next_activity = 1
        self._serial = 0
        root = self._new_commit(None, dict(files or {}), "initial commit", owner, default_branch)
        self._heads[default_branch] = root.sha

    # ---- test controls -----------------------------------------------------------------

    def advance(self, **delta: float) -> dt.datetime:
        """Move the clock forward (``advance(hours=1)``) and return the new time."""
        self.now = self.now + dt.timedelta(**delta)
        return self.now

    @property
    def files(self) -> dict[str, dict[str, str]]:
        """The files at every branch head, ``{branch: {path: text}}`` (a copy)."""
        return {branch: dict(self._objects[sha].files) for branch, sha in self._heads.items()}

    def head(self, branch: str | None = None) -> str:
        """The SHA a branch points at, without counting a request."""
        return self._heads[branch or self._default_branch]

    def commit(self, sha: str) -> FakeCommit:
        """Any commit of the repository by SHA (pushes and the bot's own)."""
        return self._objects[sha]

    def push(
        self,
        files: Mapping[str, str | None],
        actor: str,
        timestamp: dt.datetime | None = None,
        *,
        branch: str | None = None,
        kind: str = "push",
        replace: bool = False,
        message: str = "update",
    ) -> str:
        """Someone else moves the branch to a new commit with ``files`` (None deletes; ``replace`` swaps the tree)."""
        branch = branch or self._default_branch
        at = _aware(timestamp) if timestamp is not None else self.now
        before = self._heads.get(branch)
        tree = {} if replace or before is None else dict(self._objects[before].files)
        _apply(tree, files.items())
        commit = self._new_commit(before, tree, message, actor, branch, at)
        self._move(branch, before, commit.sha, actor, at, kind)
        return commit.sha

    def add_issue(
        self,
        title: str,
        body: str = "",
        *,
        author: str = "SEOJIN-Lab",
        labels: Iterable[str] = (),
        state: IssueState = IssueState.OPEN,
        created_at: dt.datetime | None = None,
        pull_request: bool = False,
    ) -> Issue:
        """An issue (or pull request) opened by someone, not recorded as a bot write."""
        at = _aware(created_at) if created_at is not None else self.now
        issue = Issue(
            number=self._take_number(),
            title=title,
            body=body,
            state=IssueState(state),
            labels=tuple(labels),
            author=author,
            created_at=at,
            updated_at=at,
            closed_at=at if state == IssueState.CLOSED else None,
            is_pull_request=pull_request,
        )
        self.issues[issue.number] = issue
        return issue

    def add_comment(self, issue_number: int, body: str, author: str, *, at: dt.datetime | None = None) -> Comment:
        """A member's comment, not recorded as a bot write; it bumps the issue's ``updated_at`` like GitHub."""
        self._issue(issue_number)
        when = _aware(at) if at is not None else self.now
        comment = Comment(self._take_comment_id(), issue_number, author, body, when, when)
        self.comments[comment.id] = comment
        self._touch_issue(issue_number, when)
        return comment

    def edit_comment(self, comment_id: int, body: str, *, at: dt.datetime | None = None) -> Comment:
        """A member edits a comment: new body, ``updated_at`` moves, ``created_at`` stays."""
        when = _aware(at) if at is not None else self.now
        comment = dataclasses.replace(self._comment(comment_id), body=body, updated_at=when)
        self.comments[comment_id] = comment
        return comment

    def set_permission(self, login: str, permission: Permission) -> None:
        """Give a login a role on the repository."""
        self.permissions[login] = permission

    def fail_next(self, op: str, exc: BaseException, *, after_apply: bool = False) -> None:
        """Make the next call of ``op`` raise ``exc``, after taking effect when ``after_apply`` (a lost answer)."""
        if op not in OPS:
            raise ValueError(f"unknown gateway operation {op!r}; one of {sorted(OPS)}")
        self._faults.setdefault(op, []).append(_Fault(exc, after_apply))

    # Counts use GitHubGateway's endpoint labels and page sizes, so budget tests on the fake
    # predict the real gateway's numbers.
    def request_count(self) -> Mapping[str, int]:
        """Requests the real gateway would have made so far, by its endpoint labels."""
        return dict(self._counts)

    def total_requests(self) -> int:
        """All requests so far."""
        return sum(self._counts.values())

    def writes_of(self, op: str) -> list[dict[str, Any]]:
        """The details of every write of one kind, in order."""
        return [details for name, details in self.writes if name == op]

    # ---- Gateway: reads ----------------------------------------------------------------

    def default_branch(self) -> str:
        self._begin("default_branch")
        if "GET repo" not in self._counts:
            self._count("GET repo")
        return self._default_branch

    def branch_head(self, branch: str) -> str:
        self._begin("branch_head")
        self._count("GET git/ref")
        if branch not in self._heads:
            raise GatewayError("error.github.branch_missing", 404, branch=repr(branch), repo="the fake repository")
        return self._heads[branch]

    def read_file(self, path: str, ref: str) -> str | None:
        self._begin("read_file")
        self._count("GET contents")
        sha = self._heads.get(ref, ref)
        commit = self._objects.get(sha)
        if commit is None:
            return None
        return commit.files.get(path)

    def list_issues(self, since: dt.datetime | None = None, labels: tuple[str, ...] = ()) -> list[Issue]:
        self._begin("list_issues")
        matched = sorted(
            (
                issue
                for issue in self.issues.values()
                if (since is None or issue.updated_at >= _aware(since)) and set(labels) <= set(issue.labels)
            ),
            key=lambda issue: (issue.updated_at, issue.number),
        )
        self._count("GET issues", _pages(len(matched)))
        return [issue for issue in matched if not issue.is_pull_request]

    def list_comments(self, since: dt.datetime | None = None) -> list[Comment]:
        self._begin("list_comments")
        matched = sorted(
            (c for c in self.comments.values() if since is None or c.updated_at >= _aware(since)),
            key=lambda c: (c.updated_at, c.id),
        )
        self._count("GET issues/comments", _pages(len(matched)))
        return matched

    def list_activity(self, branch: str, after: str | None = None) -> ActivityPage:
        """Items newer than the cursor, with pages counted as the real gateway reads them."""
        # The real gateway re-reads the last page it saw, so the cursor keeps where that page
        # started and how many items were handed out.
        self._begin("list_activity")
        ref = branch if branch.startswith("refs/") else f"refs/heads/{branch}"
        items = [a for a in self.activity if a.ref == ref]
        start, seen = _decode(after)
        pages = max(1, math.ceil((len(items) - start) / PAGE))
        self._count("GET activity", pages)
        new = tuple(items[seen:])
        if not items:
            return ActivityPage(items=(), cursor=after)
        last_start = start + (pages - 1) * PAGE
        return ActivityPage(items=new, cursor=f"fake:{last_start}:{len(items)}")

    def permission(self, login: str) -> Permission:
        self._begin("permission")
        self._count("GET collaborators/permission")
        return self.permissions.get(login, Permission.NONE)

    def branch_rules(self, branch: str) -> tuple[BranchRule, ...] | None:
        self._begin("branch_rules")
        self._count("GET rules/branches", max(1, math.ceil(len(self.rules or ()) / PAGE)))
        return None if self.rules is None else tuple(self.rules)

    # ---- Gateway: writes ---------------------------------------------------------------

    def create_issue(self, title: str, body: str, labels: tuple[str, ...]) -> Issue:
        fault = self._begin("create_issue")
        self._count("POST issues")
        issue = Issue(
            number=self._take_number(),
            title=title,
            body=body,
            state=IssueState.OPEN,
            labels=tuple(labels),
            author=self.bot,
            created_at=self.now,
            updated_at=self.now,
        )
        self.issues[issue.number] = issue
        details = {"number": issue.number, "title": title, "body": body, "labels": tuple(labels)}
        self.writes.append(("create_issue", details))
        self._end(fault)
        return issue

    def update_issue(
        self,
        number: int,
        *,
        body: str | None = None,
        state: IssueState | None = None,
        state_reason: str | None = None,
    ) -> None:
        if body is None and state is None and state_reason is None:
            return  # the real gateway sends nothing either
        fault = self._begin("update_issue")
        self._count("PATCH issues")
        issue = self._issue(number)
        changes: dict[str, Any] = {"updated_at": self.now}
        if body is not None:
            changes["body"] = body
        if state is not None:
            changes["state"] = IssueState(state)
            changes["closed_at"] = self.now if IssueState(state) == IssueState.CLOSED else None
            if IssueState(state) == IssueState.CLOSED and issue.state == IssueState.CLOSED:
                changes["closed_at"] = issue.closed_at
        self.issues[number] = dataclasses.replace(issue, **changes)
        if state_reason is not None:
            self.state_reasons[number] = state_reason
        details = {"number": number, "body": body, "state": state, "state_reason": state_reason}
        self.writes.append(("update_issue", {k: v for k, v in details.items() if v is not None or k == "number"}))
        self._end(fault)

    def create_comment(self, issue_number: int, body: str) -> Comment:
        fault = self._begin("create_comment")
        self._count("POST issues/comments")
        self._issue(issue_number)
        comment = Comment(self._take_comment_id(), issue_number, self.bot, body, self.now, self.now)
        self.comments[comment.id] = comment
        self._touch_issue(issue_number, self.now)
        self.writes.append(("create_comment", {"id": comment.id, "issue_number": issue_number, "body": body}))
        self._end(fault)
        return comment

    def update_comment(self, comment_id: int, body: str) -> None:
        fault = self._begin("update_comment")
        self._count("PATCH issues/comments")
        self.comments[comment_id] = dataclasses.replace(self._comment(comment_id), body=body, updated_at=self.now)
        self.writes.append(("update_comment", {"id": comment_id, "body": body}))
        self._end(fault)

    def add_reaction(self, comment_id: int, content: str) -> None:
        fault = self._begin("add_reaction")
        self._count("POST issues/comments/reactions")
        self._comment(comment_id)
        mine = self.reactions.setdefault(comment_id, [])
        if content not in mine:  # GitHub keeps one reaction of a kind per user
            mine.append(content)
        self.writes.append(("add_reaction", {"comment_id": comment_id, "content": content}))
        self._end(fault)

    def commit_files(
        self, branch: str, parent: str, changes: list[FileChange], message: str, *, base_tree: str | None = None
    ) -> str:
        if not changes:
            return parent
        fault = self._begin("commit_files")
        self._count("GET git/ref")
        if self._heads.get(branch) != parent:
            raise RefMoved(f"{branch} no longer points at {parent[:12]}")
        if base_tree is None:  # the real gateway reads the parent commit for its tree
            self._count("GET git/commits")
        self._count("POST git/blobs", sum(1 for change in changes if change.content is not None))
        self._count("POST git/trees")
        self._count("POST git/commits")
        self._count("PATCH git/refs")
        tree = dict(self._objects[parent].files)
        _apply(tree, ((change.path, change.content) for change in changes))
        commit = self._new_commit(parent, tree, message, self.bot, branch, self.now)
        self._move(branch, parent, commit.sha, self.bot, self.now, "push")
        self.commits.append(commit)
        details = {
            "branch": branch,
            "sha": commit.sha,
            "parent": parent,
            "message": message,
            "changes": {change.path: change.content for change in changes},
        }
        self.writes.append(("commit_files", details))
        self._end(fault)
        return commit.sha

    # ---- internals ---------------------------------------------------------------------

    def _begin(self, op: str) -> _Fault | None:
        queue = self._faults.get(op)
        if not queue:
            return None
        fault = queue.pop(0)
        if not fault.after_apply:
            raise fault.exc
        return fault

    @staticmethod
    def _end(fault: _Fault | None) -> None:
        if fault is not None:
            raise fault.exc

    def _count(self, label: str, n: int = 1) -> None:
        if n:
            self._counts[label] += n

    def _issue(self, number: int) -> Issue:
        if number not in self.issues:
            raise GatewayError("error.github.status", 404, status=404, what=f"reading issue #{number}", repo="the fake", said="")
        return self.issues[number]

    def _comment(self, comment_id: int) -> Comment:
        if comment_id not in self.comments:
            raise GatewayError("error.github.status", 404, status=404, what=f"reading comment {comment_id}", repo="the fake", said="")
        return self.comments[comment_id]

    def _touch_issue(self, number: int, at: dt.datetime) -> None:
        issue = self.issues[number]
        if at > issue.updated_at:
            self.issues[number] = dataclasses.replace(issue, updated_at=at)

    def _take_number(self) -> int:
        number = self._next_number
        self._next_number += 1
        return number

    def _take_comment_id(self) -> int:
        comment_id = self._next_comment
        self._next_comment += 1
        return comment_id

    def _new_commit(
        self,
        parent: str | None,
        files: dict[str, str],
        message: str,
        actor: str,
        branch: str,
        at: dt.datetime | None = None,
    ) -> FakeCommit:
        self._serial += 1
        digest = hashlib.sha1(f"{self._serial}\0{parent}\0{message}\0{sorted(files.items())}".encode()).hexdigest()
        commit = FakeCommit(digest, parent, dict(files), message, actor, at or self.now, branch)
        self._objects[digest] = commit
        return commit

    def _move(self, branch: str, before: str | None, after: str, actor: str, at: dt.datetime, kind: str) -> None:
        self._heads[branch] = after
        self.activity.append(
            Activity(
                id=self._next_activity,
                kind=kind if before is not None else "branch_creation",
                ref=f"refs/heads/{branch}",
                before=before or "0" * 40,
                after=after,
                actor=actor,
                timestamp=at,
            )
        )
        self._next_activity += 1


def _apply(tree: dict[str, str], changes: Iterable[tuple[str, str | None]]) -> None:
    for path, content in changes:
        if content is None:
            tree.pop(path, None)
        else:
            tree[path] = content


def _pages(n: int) -> int:
    return max(1, math.ceil(n / PAGE))


def _decode(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return 0, 0
    _, start, seen = cursor.split(":")
    return int(start), int(seen)


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("FakeGitHub works with aware datetimes only")
    return moment.astimezone(UTC)
