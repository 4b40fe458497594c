"""The one module that talks to GitHub: :class:`GitHubGateway`, the :class:`~studybot.shell.remote.Gateway` over PyGithub."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
import time
import urllib.parse
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import github
import requests
import urllib3
from github.GithubException import GithubException

from studybot.core.errors import Text
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

__all__ = ["GitHubGateway"]

UTC = dt.UTC


# GitHub's guidance when a rate-limit answer says neither Retry-After nor a reset time.
UNHINTED_RATE_LIMIT_WAIT = 60.0

# Creating an issue or a comment twice is the one harm a retry can do; these are not retried
# once GitHub may have applied them (studybot finds its own items by marker on the next run).
CREATES = frozenset({"POST issues", "POST issues/comments"})

# A proxy's 502/504 can come after GitHub applied the request behind it.
AMBIGUOUS_STATUSES = frozenset({502, 504})

# List pages kept for conditional requests within one run (a 304 answer does not count
# against the rate limit). Bounded, so a long listing does not stay in memory.
CONDITIONAL_PAGES = 16

# What the bot was doing, for the sentence when a request fails: the key of each request in messages.
WHAT = frozenset({
    "GET repo", "GET git/ref", "GET git/commits", "GET git/blobs", "GET contents", "GET issues",
    "GET issues/comments", "GET activity", "GET collaborators/permission", "GET rules/branches", "POST issues",
    "PATCH issues", "POST issues/comments", "PATCH issues/comments", "POST issues/comments/reactions",
    "POST git/blobs", "POST git/trees", "POST git/commits", "PATCH git/refs",
})


def _what(label: str) -> Text:
    """What the bot was doing when a request failed (``GET issues`` is listing issues)."""
    if label in WHAT:
        return Text("error.github.what." + re.sub(r"[ /]", "_", label.lower()))
    return Text("error.github.what.other", label=label)


def _attempts(count: int) -> Text:
    return Text("error.github.attempt" if count == 1 else "error.github.attempts", count=count)


def _said(message: str | None) -> Text | str:
    return Text("error.github.said", message=message) if message else ""

ROLES = {p.value: p for p in Permission}
# The legacy ``permission`` field knows only admin, write, read and none.
LEGACY = {"admin": Permission.ADMIN, "write": Permission.WRITE, "read": Permission.READ}


class GitHubGateway:
    """The :class:`~studybot.shell.remote.Gateway` backed by the GitHub REST API through PyGithub.

    Retry policy (every attempt is counted in :meth:`request_count`; delays are exact, no jitter):

    * 5xx answers, timeouts and dropped connections: up to ``max_attempts`` attempts, waiting
      ``backoff * 2**(attempt-1)`` seconds between them (1, 2, 4, 8 s by default).
    * 429, and 403 that is a rate limit (``Retry-After``, ``x-ratelimit-remaining: 0`` or a
      rate-limit message): wait ``Retry-After`` seconds; else until ``x-ratelimit-reset`` plus
      one second; else 60 s doubling, as GitHub advises. A wait longer than ``max_wait``, or one
      that would take the run's total waiting past ``wait_budget``, ends the run with a
      :class:`GatewayError` instead of hanging.
    * 409 on Git data calls (blobs, trees, commits, refs): retried with the backoff above.
    * Creating an issue or a comment (POST) is retried only when GitHub certainly did not
      apply it: rate-limit answers, 500/503, and connections that never opened. After a read
      timeout, a dropped connection or a 502/504 the run stops with a sentence instead, since a
      second POST could make a duplicate and the next run finds the first one by its marker.
      Blobs, trees and commits are content objects and ref/issue/comment PATCHes and reactions
      are idempotent, so those are retried after timeouts as well.
    * Writes are spaced ``min_write_interval`` seconds apart, as GitHub asks of API clients.

    List pages (issues, issue comments, activity) are requested conditionally when this gateway
    already read the same page: ``If-None-Match`` with the page's ETag, and a 304 answer, which
    does not count against the rate limit, reuses the page read before. The ETags live only as
    long as the gateway: GitHub's ETags belong to the token, and a workflow's token changes every
    run. A 304 still counts in :meth:`request_count`.
    """

    def __init__(
        self,
        token: str,
        repository: str,
        api_url: str = "https://api.github.com",
        *,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
        timeout: float = 15,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        wait_budget: float = 300.0,
        min_write_interval: float = 1.0,
        clock: Callable[[], float] = time.time,
    ):
        owner, _, name = repository.partition("/")
        if not owner or not name or "/" in name:
            raise GatewayError("error.github.bad_repository", None, value=repr(repository))
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._token = token
        self._repository = repository
        self._repo_path = f"/repos/{urllib.parse.quote(owner)}/{urllib.parse.quote(name)}"
        self._api_url = api_url.rstrip("/")
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._timeout = max(1, math.ceil(timeout))  # PyGithub takes whole seconds
        self._backoff = backoff
        self._max_wait = max_wait
        self._wait_budget = wait_budget
        self._min_write_interval = min_write_interval
        self._clock = clock
        self._waited = 0.0
        self._last_write: float | None = None
        self._counts: Counter[str] = Counter()
        self._default_branch: str | None = None
        # request key -> (ETag, response headers, items) of list pages read in this run
        self._pages_seen: OrderedDict[str, tuple[str, dict[str, Any], Any]] = OrderedDict()
        # PyGithub's own retries and request spacing use time.sleep and cannot tell a POST that
        # may have been applied from one that was not, so both are switched off here.
        self._github = github.Github(
            auth=github.Auth.Token(token) if token else None,
            base_url=self._api_url,
            per_page=100,
            retry=None,
            timeout=self._timeout,
            seconds_between_requests=None,
            seconds_between_writes=None,
            user_agent="studybot",
        )
        self._requester = self._github.requester

    # ---- reads -------------------------------------------------------------------------

    def default_branch(self) -> str:
        """The repository's default branch, read once per gateway."""
        if self._default_branch is None:
            _, data = self._request("GET", self._repo_path, "GET repo")
            self._default_branch = str(data["default_branch"])
        return self._default_branch

    def branch_head(self, branch: str) -> str:
        """The commit SHA the branch points at."""
        try:
            _, data = self._request("GET", f"{self._repo_path}/git/ref/heads/{_path(branch)}", "GET git/ref")
        except GatewayError as err:
            if err.status == 404:
                raise GatewayError("error.github.branch_missing", 404, branch=repr(branch), repo=self._repository) from None
            raise
        return str(data["object"]["sha"])

    def read_file(self, path: str, ref: str) -> str | None:
        """A UTF-8 text file at a commit or branch, or None when it does not exist there."""
        try:
            _, data = self._request(
                "GET",
                f"{self._repo_path}/contents/{_path(path)}",
                "GET contents",
                params={"ref": ref},
            )
        except GatewayError as err:
            if err.status == 404:
                return None
            raise
        if isinstance(data, list) or data.get("type") not in ("file", None):
            raise GatewayError("error.github.folder", None, path=path, repo=self._repository)
        if data.get("encoding") == "base64":
            raw = _b64(data.get("content") or "", path)
        else:
            # Files over 1 MB come without content from the contents API; the blob API has them.
            _, blob = self._request("GET", f"{self._repo_path}/git/blobs/{data['sha']}", "GET git/blobs")
            raw = _b64(blob.get("content") or "", path)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise GatewayError("error.github.not_utf8", None, path=path, repo=self._repository) from None

    def list_issues(self, since: dt.datetime | None = None, labels: tuple[str, ...] = ()) -> list[Issue]:
        """All issues (open and closed, no pull requests) updated at or after ``since``, oldest update first."""
        params: dict[str, Any] = {"state": "all", "sort": "updated", "direction": "asc"}
        if since is not None:
            params["since"] = _iso(since)
        if labels:
            params["labels"] = ",".join(labels)
        return [
            _issue(item)
            for item in self._pages(f"{self._repo_path}/issues", "GET issues", params)
            if "pull_request" not in item
        ]

    def list_comments(self, since: dt.datetime | None = None) -> list[Comment]:
        """Issue comments of the whole repository updated at or after ``since``, in one paginated stream."""
        params: dict[str, Any] = {"sort": "updated", "direction": "asc"}
        if since is not None:
            params["since"] = _iso(since)
        items = self._pages(f"{self._repo_path}/issues/comments", "GET issues/comments", params)
        return [_comment(item) for item in items]

    def list_activity(self, branch: str, after: str | None = None) -> ActivityPage:
        """Server-timed pushes of ``branch`` newer than cursor ``after``; without the API (404/422) an empty page.

        The cursor holds GitHub's cursor of the last page read and the newest item's id, so the
        next call re-reads that page only and keeps what is newer (one request when nothing
        happened). When that page was full, anything newer is on the pages after it, so the next
        call reads the newest page instead and goes back to the cursor only when that page holds
        nothing already seen. An older GitHub Enterprise Server without the activity API gets an
        empty page and the same cursor, and trusted time falls back to when the bot first saw a
        change.
        """
        page_after, last_id, full = _decode_cursor(after)
        ref = branch if branch.startswith("refs/") else f"refs/heads/{branch}"
        if full and last_id is not None:
            try:
                _, data = self._list_page(
                    f"{self._repo_path}/activity", "GET activity", {"ref": ref, "direction": "desc", "per_page": 100}
                )
            except GatewayError as err:
                if err.status in (404, 422):
                    return ActivityPage(items=(), cursor=after)
                raise
            newest = [_activity(raw) for raw in data or []]
            newer = sorted((item for item in newest if item.id > last_id), key=lambda item: item.id)
            if len(newer) < len(newest) or not newest:  # reached what was seen before: nothing is missing
                last = newer[-1].id if newer else last_id
                return ActivityPage(items=tuple(newer), cursor=_encode_cursor(page_after, last, full=True))
        items: list[Activity] = []
        found = last_id is None
        request_after = page_after
        page: list[Activity] = []
        while True:
            params: dict[str, Any] = {"ref": ref, "direction": "asc", "per_page": 100}
            if request_after:
                params["after"] = request_after
            try:
                headers, data = self._list_page(f"{self._repo_path}/activity", "GET activity", params)
            except GatewayError as err:
                if err.status in (404, 422):
                    return ActivityPage(items=(), cursor=after)
                raise
            fetched = [_activity(raw) for raw in data or []]
            if not fetched:
                break
            page = fetched
            page_after = request_after
            for item in page:
                if found:
                    items.append(item)
                elif item.id == last_id:
                    found = True
            if not found:
                # The remembered item is gone from the page (aged out); keep what is newer by id.
                assert last_id is not None
                items.extend(item for item in page if item.id > last_id)
                found = True
            last_id = page[-1].id
            request_after = _next_after(headers)
            if not request_after:
                break
        return ActivityPage(items=tuple(items), cursor=_encode_cursor(page_after, last_id, full=len(page) >= 100))

    def permission(self, login: str) -> Permission:
        """The member's role on the repository; anyone who is not a collaborator has ``NONE``."""
        try:
            _, data = self._request(
                "GET",
                f"{self._repo_path}/collaborators/{urllib.parse.quote(login, safe='')}/permission",
                "GET collaborators/permission",
            )
        except GatewayError as err:
            if err.status == 404:
                return Permission.NONE
            raise
        role = str(data.get("role_name") or "")
        if role in ROLES:
            return ROLES[role]
        # A custom organisation role carries its base permission in the legacy field.
        return LEGACY.get(str(data.get("permission") or ""), Permission.NONE)

    def branch_rules(self, branch: str) -> tuple[BranchRule, ...] | None:
        """The active rules on ``branch``; None when they cannot be read (403, or 404 on a GitHub without rulesets)."""
        try:
            items = list(self._pages(f"{self._repo_path}/rules/branches/{_path(branch)}", "GET rules/branches", {}))
        except GatewayError as err:
            # A rate limit also answers 403; that one must stop the run like any other request.
            if err.status == 404 or err.key == "error.github.cannot_read":
                return None
            raise
        return tuple(
            BranchRule(type=str(item["type"]), parameters=dict(item.get("parameters") or {})) for item in items
        )

    # ---- writes ------------------------------------------------------------------------

    def create_issue(self, title: str, body: str, labels: tuple[str, ...]) -> Issue:
        """Open an issue."""
        _, data = self._request(
            "POST",
            f"{self._repo_path}/issues",
            "POST issues",
            body={"title": title, "body": body, "labels": list(labels)},
        )
        return _issue(data)

    def update_issue(
        self,
        number: int,
        *,
        body: str | None = None,
        state: IssueState | None = None,
        state_reason: str | None = None,
    ) -> None:
        """Change an issue's body, state or state reason; nothing is sent when nothing changes."""
        payload: dict[str, Any] = {}
        if body is not None:
            payload["body"] = body
        if state is not None:
            payload["state"] = IssueState(state).value
        if state_reason is not None:
            payload["state_reason"] = state_reason
        if payload:
            self._request("PATCH", f"{self._repo_path}/issues/{int(number)}", "PATCH issues", body=payload)

    def create_comment(self, issue_number: int, body: str) -> Comment:
        """Comment on an issue."""
        _, data = self._request(
            "POST",
            f"{self._repo_path}/issues/{int(issue_number)}/comments",
            "POST issues/comments",
            body={"body": body},
        )
        return _comment(data)

    def update_comment(self, comment_id: int, body: str) -> None:
        """Replace an issue comment's body."""
        self._request(
            "PATCH",
            f"{self._repo_path}/issues/comments/{int(comment_id)}",
            "PATCH issues/comments",
            body={"body": body},
        )

    def add_reaction(self, comment_id: int, content: str) -> None:
        """React to an issue comment; GitHub answers an existing reaction with itself, so this is idempotent."""
        self._request(
            "POST",
            f"{self._repo_path}/issues/comments/{int(comment_id)}/reactions",
            "POST issues/comments/reactions",
            body={"content": content},
        )

    def commit_files(
        self, branch: str, parent: str, changes: list[FileChange], message: str, *, base_tree: str | None = None
    ) -> str:
        """Commit ``changes`` on ``parent`` and fast-forward ``branch`` to it; :class:`RefMoved` if the branch moved.

        ``base_tree`` is the tree SHA of ``parent`` when the caller already knows it (the local
        checkout does); without it the parent commit is read to find its tree.
        """
        if not changes:
            return parent
        # The ref update below (force: false) refuses a branch that moved ahead or sideways, but
        # lets through one whose head is now an ancestor of ``parent``: a force-push back, or a
        # checkout of another branch that is ahead of this one. Committing there would bring
        # back what the force-push removed, or merge that branch. So the head is checked first;
        # this also spares the writes when the branch already moved.
        if self.branch_head(branch) != parent:
            raise RefMoved(f"{branch} no longer points at {parent[:12]}")
        if base_tree is None:
            _, commit = self._request("GET", f"{self._repo_path}/git/commits/{parent}", "GET git/commits")
            base_tree = str(commit["tree"]["sha"])
        entries: list[dict[str, Any]] = []
        for change in changes:
            entry: dict[str, Any] = {"path": change.path, "mode": "100644", "type": "blob"}
            if change.content is None:
                entry["sha"] = None
            else:
                _, blob = self._request(
                    "POST",
                    f"{self._repo_path}/git/blobs",
                    "POST git/blobs",
                    body={"content": change.content, "encoding": "utf-8"},
                )
                entry["sha"] = blob["sha"]
            entries.append(entry)
        _, tree = self._request(
            "POST",
            f"{self._repo_path}/git/trees",
            "POST git/trees",
            body={"base_tree": base_tree, "tree": entries},
        )
        _, new = self._request(
            "POST",
            f"{self._repo_path}/git/commits",
            "POST git/commits",
            body={"message": message, "tree": tree["sha"], "parents": [parent]},
        )
        try:
            self._request(
                "PATCH",
                f"{self._repo_path}/git/refs/heads/{_path(branch)}",
                "PATCH git/refs",
                body={"sha": new["sha"], "force": False},
            )
        except GatewayError as err:
            if err.status == 422:
                raise RefMoved(f"{branch} moved while committing ({err})") from None
            raise
        return str(new["sha"])

    # ---- bookkeeping -------------------------------------------------------------------

    def request_count(self) -> Mapping[str, int]:
        """HTTP requests made so far by endpoint label, retries included."""
        return dict(self._counts)

    @property
    def rate_limit_remaining(self) -> int | None:
        """Requests left in the token's rate-limit window, as of the last answer (None before any)."""
        remaining, _ = self._requester.rate_limiting
        return None if remaining < 0 else remaining

    # ---- the one place requests are sent ----------------------------------------------
    # PyGithub supplies authentication, the HTTP session, URL handling and error classes, but
    # its objects are not used for reading: touching an attribute an answer did not carry
    # (``Issue.pull_request`` on a plain issue) makes PyGithub fetch the object again, a hidden
    # request per item that would break the request budget. Records are built from its JSON.

    def _pages(self, url: str, label: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Items of a paginated list, following the ``Link: rel="next"`` URLs GitHub returns."""
        query: dict[str, Any] | None = {**params, "per_page": 100}
        next_url: str | None = url
        while next_url:
            headers, data = self._list_page(next_url, label, query)
            yield from data or []
            next_url = _links(headers).get("next") if data else None
            query = None  # the next URL carries every parameter

    def _list_page(self, url: str, label: str, params: dict[str, Any] | None) -> tuple[dict[str, Any], Any]:
        """One page of a listing; conditional when this gateway read the same page before."""
        key = url + "?" + urllib.parse.urlencode(sorted((params or {}).items()))
        seen = self._pages_seen.get(key)
        headers, data = self._request(
            "GET", url, label, params=params, headers={"If-None-Match": seen[0]} if seen else None
        )
        if seen is not None and data is None:  # 304 Not Modified: a list page is never an empty body
            self._pages_seen.move_to_end(key)
            return seen[1], seen[2]
        etag = next((str(v) for k, v in headers.items() if k.lower() == "etag"), None)
        if etag and data is not None:
            self._pages_seen[key] = (etag, headers, data)
            self._pages_seen.move_to_end(key)
            while len(self._pages_seen) > CONDITIONAL_PAGES:
                self._pages_seen.popitem(last=False)
        return headers, data

    def _request(
        self,
        verb: str,
        url: str,
        label: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[dict[str, Any], Any]:
        """One API request under the retry policy of :class:`GitHubGateway`; failures become :class:`GatewayError`."""
        attempt = 0
        while True:
            attempt += 1
            if verb != "GET":
                self._space_write()
            self._counts[label] += 1
            failure: GithubException | requests.exceptions.RequestException
            try:
                return self._requester.requestJsonAndCheck(
                    verb, url, parameters=params, headers=dict(headers) if headers else None, input=body
                )
            except (GithubException, requests.exceptions.RequestException) as exc:
                failure = exc
            except ValueError:
                # A body cut short (by a proxy, say) fails to decode as JSON: an answer garbled
                # on the way, handled like a broken connection (GETs retried, creates not resent).
                failure = requests.exceptions.ChunkedEncodingError("GitHub's answer was cut short (not valid JSON)")
            finally:
                if verb != "GET":
                    self._last_write = self._clock()
            # Decided outside the handler so no GatewayError drags the raw answer along as context.
            if isinstance(failure, GithubException):
                delay = self._delay_for_status(failure, label, attempt)
            else:
                delay = self._delay_for_network(failure, label, attempt)
            if delay is None or attempt >= self._max_attempts:
                raise self._error(failure, verb, label, attempt)
            if self._waited + delay > self._wait_budget:
                raise self._scrub(
                    GatewayError(
                        "error.github.wait_budget",
                        getattr(failure, "status", None),
                        budget=self._wait_budget,
                        what=_what(label),
                        repo=self._repository,
                        reason=_describe(failure),
                    )
                )
            self._waited += delay
            self._sleep(delay)

    def _space_write(self) -> None:
        if self._last_write is None or self._min_write_interval <= 0:
            return
        gap = self._last_write + self._min_write_interval - self._clock()
        if gap > 0:
            self._sleep(gap)

    def _backoff_delay(self, attempt: int) -> float:
        return self._backoff * 2 ** (attempt - 1)

    def _delay_for_status(self, exc: GithubException, label: str, attempt: int) -> float | None:
        status = exc.status
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        if _is_rate_limit(status, headers, _server_message(exc)):
            return self._rate_limit_delay(exc, headers, label, attempt)
        if status >= 500:
            if label in CREATES and status in AMBIGUOUS_STATUSES:
                return None
            return self._backoff_delay(attempt)
        if status == 409 and label.split(" ", 1)[1].startswith("git/"):
            return self._backoff_delay(attempt)
        return None

    def _rate_limit_delay(self, exc: GithubException, headers: dict[str, str], label: str, attempt: int) -> float:
        retry_after = _number(headers.get("retry-after"))
        reset = _number(headers.get("x-ratelimit-reset"))
        if retry_after is not None:
            wait = retry_after
        elif headers.get("x-ratelimit-remaining") == "0" and reset is not None:
            wait = max(reset - self._clock(), 0.0) + 1.0
        else:
            wait = UNHINTED_RATE_LIMIT_WAIT * 2 ** (attempt - 1)
        if wait > self._max_wait:
            if retry_after is None and reset is not None and headers.get("x-ratelimit-remaining") == "0":
                until = dt.datetime.fromtimestamp(reset, UTC).strftime("%H:%M UTC")
                error = GatewayError(
                    "error.github.rate_limit_until", exc.status, until=until, what=_what(label), repo=self._repository
                )
            else:
                error = GatewayError(
                    "error.github.rate_limit_wait", exc.status,
                    wait=wait, max_wait=self._max_wait, what=_what(label), repo=self._repository,
                )
            raise self._scrub(error)
        return wait

    def _delay_for_network(self, exc: requests.exceptions.RequestException, label: str, attempt: int) -> float | None:
        if label in CREATES and not _never_sent(exc):
            return None
        if isinstance(exc, requests.exceptions.SSLError):
            return None
        transient = (
            requests.exceptions.ConnectionError,
            requests.exceptions.Timeout,
            requests.exceptions.ChunkedEncodingError,
        )
        if isinstance(exc, transient):
            return self._backoff_delay(attempt)
        return None

    def _error(self, failure: Exception, verb: str, label: str, attempts: int) -> GatewayError:
        where: dict[str, Any] = {"what": _what(label), "repo": self._repository}
        tries = _attempts(attempts)
        if isinstance(failure, requests.exceptions.RequestException):
            if label in CREATES and not _never_sent(failure):
                return self._scrub(GatewayError("error.github.unconfirmed", None, reason=_describe(failure), **where))
            if isinstance(failure, requests.exceptions.Timeout):
                return self._scrub(GatewayError("error.github.timeout", None, seconds=self._timeout, attempts=tries, **where))
            host = urllib.parse.urlsplit(self._api_url).netloc
            return self._scrub(
                GatewayError("error.github.unreachable", None, host=host, reason=_describe(failure), attempts=tries, **where)
            )
        assert isinstance(failure, GithubException)
        status = failure.status
        message = _server_message(failure)
        said = _said(message)
        headers = {k.lower(): v for k, v in (failure.headers or {}).items()}
        fields: dict[str, object]
        if status == 401:
            key, fields = "error.github.token_rejected", {}
        elif _is_rate_limit(status, headers, message):
            key, fields = "error.github.rate_limited", {"attempts": tries}
        elif status == 403 and verb != "GET":
            key, fields = "error.github.cannot_write", {"said": said}
        elif status == 403:
            key, fields = "error.github.cannot_read", {"said": said}
        elif status == 404 and label == "GET repo":
            key, fields = "error.github.repo_not_found", {}
        elif status == 404:
            key, fields = "error.github.not_found", {}
        elif status == 410:
            key, fields = "error.github.gone", {"said": said}
        elif status == 409:
            key, fields = "error.github.conflict", {"said": said, "attempts": tries}
        elif status == 422:
            key, fields = "error.github.invalid", {"said": said}
        elif status >= 500 and label in CREATES and status in AMBIGUOUS_STATUSES:
            key, fields = "error.github.maybe_applied", {"status": status}
        elif status >= 500:
            key, fields = "error.github.failing", {"status": status, "attempts": tries}
        else:
            key, fields = "error.github.status", {"status": status, "said": said}
        return self._scrub(GatewayError(key, status, **where, **fields))

    def _scrub(self, err: GatewayError) -> GatewayError:
        """The error with the token blotted out, should a server ever echo it back."""
        return err.redacted(self._token)


# ---- JSON → records ----------------------------------------------------------------------


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _login(user: Any) -> str:
    # A deleted account shows as null; GitHub's own pages call it "ghost".
    return str(user.get("login")) if isinstance(user, dict) and user.get("login") else "ghost"


def _issue(data: dict[str, Any]) -> Issue:
    return Issue(
        number=int(data["number"]),
        title=data.get("title") or "",
        body=data.get("body") or "",
        state=IssueState(data["state"]),
        labels=tuple(label["name"] if isinstance(label, dict) else str(label) for label in data.get("labels") or ()),
        author=_login(data.get("user")),
        created_at=_time(data["created_at"]),  # type: ignore[arg-type]
        updated_at=_time(data["updated_at"]),  # type: ignore[arg-type]
        closed_at=_time(data.get("closed_at")),
        is_pull_request="pull_request" in data,
    )


def _comment(data: dict[str, Any]) -> Comment:
    return Comment(
        id=int(data["id"]),
        issue_number=int(str(data["issue_url"]).rstrip("/").rsplit("/", 1)[1]),
        author=_login(data.get("user")),
        body=data.get("body") or "",
        created_at=_time(data["created_at"]),  # type: ignore[arg-type]
        updated_at=_time(data["updated_at"]),  # type: ignore[arg-type]
    )


def _activity(data: dict[str, Any]) -> Activity:
    return Activity(
        id=int(data["id"]),
        kind=str(data.get("activity_type") or ""),
        ref=str(data.get("ref") or ""),
        before=str(data.get("before") or ""),
        after=str(data.get("after") or ""),
        actor=(data.get("actor") or {}).get("login"),
        timestamp=_time(data["timestamp"]),  # type: ignore[arg-type]
    )


# ---- small helpers -----------------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("since must be an aware datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _path(path: str) -> str:
    return urllib.parse.quote(path, safe="/")


def _b64(content: str, path: str) -> bytes:
    try:
        return base64.b64decode(content)
    except (binascii.Error, ValueError):
        raise GatewayError("error.github.undecodable", None, path=path) from None


def _links(headers: Mapping[str, Any]) -> dict[str, str]:
    link = next((v for k, v in headers.items() if k.lower() == "link"), "")
    return {
        entry["rel"]: entry["url"]
        for entry in requests.utils.parse_header_links(link)
        if "rel" in entry and "url" in entry
    }


def _next_after(headers: Mapping[str, Any]) -> str | None:
    url = _links(headers).get("next")
    if not url:
        return None
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("after")
    return values[0] if values else None


def _encode_cursor(page_after: str | None, last_id: int | None, *, full: bool = False) -> str | None:
    if last_id is None and page_after is None:
        return None
    data: dict[str, Any] = {"page": page_after, "last": last_id}
    if full and last_id is not None:
        data["full"] = True  # the page at ``page`` was full: newer items are on the pages after it
    return json.dumps(data, separators=(",", ":"))


def _decode_cursor(cursor: str | None) -> tuple[str | None, int | None, bool]:
    if not cursor:
        return None, None, False
    try:
        data = json.loads(cursor)
        last = int(data["last"]) if data.get("last") is not None else None
        return data.get("page"), last, bool(data.get("full"))
    except (ValueError, TypeError, KeyError, AttributeError):
        # Not one of ours: treat it as GitHub's own page cursor.
        return cursor, None, False


def _server_message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return data["message"]
    return ""


def _is_rate_limit(status: int, headers: Mapping[str, str], message: str) -> bool:
    if status == 429:
        return True
    if status != 403:
        return False
    lowered = message.lower()
    return (
        "retry-after" in headers
        or headers.get("x-ratelimit-remaining") == "0"
        or "rate limit" in lowered
        or lowered.endswith("please retry your request again later.")
        or lowered.endswith("please wait a few minutes before you try again.")
    )


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None


def _never_sent(exc: Exception) -> bool:
    """Whether the connection failed before any byte of the request could reach GitHub."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(exc, requests.exceptions.SSLError):
        reason = getattr(exc.args[0], "reason", exc.args[0]) if exc.args else None
        return isinstance(reason, urllib3.exceptions.NewConnectionError)
    return False


def _describe(exc: Exception) -> Text | str:
    if isinstance(exc, GithubException):
        return Text("error.github.reason.status", status=exc.status)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return Text("error.github.reason.no_answer")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Text("error.github.reason.no_connect")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return Text("error.github.reason.connection")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return Text("error.github.reason.cut_short")
    return type(exc).__name__
