"""The real HTTP calls GitHubGateway makes, pinned with ``responses`` (no network).

PyGithub always writes the port into the URL it requests, so the mocked URLs carry ``:443``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.parse

import pytest
import requests
import responses
import urllib3

from studybot.core.records import BranchRule, FileChange, IssueState, Permission
from studybot.shell.github import GitHubGateway
from studybot.shell.remote import GatewayError, RefMoved

TOKEN = "ghs_s3cretTOKENvalue0123456789"
API = "https://api.github.com:443"
REPO = f"{API}/repos/study/mlops"
NOW = 1_700_000_000.0
UTC = dt.UTC
KST = dt.timezone(dt.timedelta(hours=9))
PARENT = "a" * 40


@pytest.fixture
def api():
    with responses.RequestsMock() as mock:
        yield mock


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def gateway(sleeps):
    return make(sleeps)


def make(sleeps: list[float], api_url: str = "https://api.github.com", **options) -> GitHubGateway:
    options.setdefault("min_write_interval", 0)
    return GitHubGateway(TOKEN, "study/mlops", api_url, sleep=sleeps.append, clock=lambda: NOW, **options)


def query(call) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(call.request.url).query).items()}


def sent(call) -> dict:
    return json.loads(call.request.body)


def issue_json(number: int, *, updated: str = "2022-04-12T03:00:00Z", pull: bool = False, **extra) -> dict:
    data = {
        "number": number,
        "title": f"[{number}주차] Q&A",
        "body": "본문",
        "state": "open",
        "labels": [{"name": "Q&A"}],
        "user": {"login": "SEOJIN-Lab"},
        "created_at": "2022-04-06T03:00:00Z",
        "updated_at": updated,
        "closed_at": None,
        **extra,
    }
    if pull:
        data["pull_request"] = {"url": f"https://api.github.com/repos/study/mlops/pulls/{number}"}
    return data


def comment_json(comment_id: int, issue: int, *, body: str = "제출 https://blog.example/1") -> dict:
    return {
        "id": comment_id,
        "issue_url": f"https://api.github.com/repos/study/mlops/issues/{issue}",
        "user": {"login": "mijinkoo"},
        "body": body,
        "created_at": "2022-04-12T12:03:00Z",
        "updated_at": "2022-04-12T12:05:00Z",
    }


def activity_json(activity_id: int, after: str, timestamp: str) -> dict:
    return {
        "id": activity_id,
        "node_id": f"RA_{activity_id}",
        "before": "0" * 40,
        "after": after,
        "ref": "refs/heads/main",
        "timestamp": timestamp,
        "activity_type": "push",
        "actor": {"login": "mijinkoo", "id": 7},
    }


def rule_json(kind: str, parameters: dict | None = None) -> dict:
    rule = {"type": kind, "ruleset_source_type": "Repository", "ruleset_source": "study/mlops", "ruleset_id": 3}
    return rule if parameters is None else {**rule, "parameters": parameters}


def link(url: str, rel: str = "next") -> dict[str, str]:
    return {"Link": f'<{url}>; rel="{rel}"'}


def exhausted(resets_in: int) -> dict[str, str]:
    return {"x-ratelimit-remaining": "0", "x-ratelimit-limit": "1000", "x-ratelimit-reset": str(int(NOW) + resets_in)}


# ---- reading ---------------------------------------------------------------------------------


def test_issue_listing_sends_since_in_utc_and_follows_every_page(api, gateway):
    """Issues updated since the last run are all read, across pages, without pull requests."""
    api.get(
        f"{REPO}/issues",
        json=[issue_json(3), issue_json(4, pull=True)],
        headers=link("https://api.github.com/repositories/42/issues?state=all&per_page=100&page=2"),
    )
    closed = issue_json(5, state="closed", closed_at="2022-04-13T00:00:00Z")
    api.get(f"{API}/repositories/42/issues", json=[closed])

    issues = gateway.list_issues(since=dt.datetime(2022, 4, 12, 9, 30, tzinfo=KST), labels=("Q&A",))

    assert [i.number for i in issues] == [3, 5]
    assert issues[1].state is IssueState.CLOSED
    assert issues[1].closed_at == dt.datetime(2022, 4, 13, tzinfo=UTC)
    assert issues[0].labels == ("Q&A",) and issues[0].author == "SEOJIN-Lab"
    assert all(i.updated_at.tzinfo is not None and i.updated_at.utcoffset() == dt.timedelta(0) for i in issues)
    assert query(api.calls[0]) == {
        "state": "all",
        "since": "2022-04-12T00:30:00Z",
        "sort": "updated",
        "direction": "asc",
        "labels": "Q&A",
        "per_page": "100",
    }
    assert query(api.calls[1]) == {"state": "all", "per_page": "100", "page": "2"}
    assert gateway.request_count() == {"GET issues": 2}


def test_comments_come_from_one_repository_wide_stream(api, gateway):
    """All comments of the repository since the cursor are read in one paginated stream, not per issue."""
    api.get(
        f"{REPO}/issues/comments",
        json=[comment_json(11, 3), comment_json(12, 4)],
        headers=link("https://api.github.com/repositories/42/issues/comments?page=2&per_page=100"),
    )
    api.get(f"{API}/repositories/42/issues/comments", json=[comment_json(13, 3, body="질문")])

    comments = gateway.list_comments(since=dt.datetime(2022, 4, 12, 0, 0, 0, 999_999, tzinfo=UTC))

    assert [(c.id, c.issue_number) for c in comments] == [(11, 3), (12, 4), (13, 3)]
    assert comments[0].created_at == dt.datetime(2022, 4, 12, 12, 3, tzinfo=UTC)
    assert query(api.calls[0]) == {
        "since": "2022-04-12T00:00:00Z",
        "sort": "updated",
        "direction": "asc",
        "per_page": "100",
    }
    assert gateway.request_count() == {"GET issues/comments": 2}


def test_activity_reads_cursor_pages_and_resumes_with_only_newer_items(api, gateway):
    """Pushes are read oldest first across pages, and the next run gets only pushes it has not seen."""
    one = activity_json(1, "b" * 40, "2022-04-12T12:00:00Z")
    two = activity_json(2, "c" * 40, "2022-04-12T13:00:00Z")
    three = activity_json(3, "d" * 40, "2022-04-12T15:00:01Z")
    four = activity_json(4, "e" * 40, "2022-04-13T01:00:00Z")
    next_page = "https://api.github.com/repos/study/mlops/activity?ref=refs%2Fheads%2Fmain&after=CUR1&per_page=100"
    api.get(f"{REPO}/activity", json=[one, two], headers=link(next_page))
    api.get(f"{REPO}/activity", json=[three])

    first = gateway.list_activity("main")

    assert [a.id for a in first.items] == [1, 2, 3]
    assert first.items[2].timestamp == dt.datetime(2022, 4, 12, 15, 0, 1, tzinfo=UTC)
    assert first.items[0].actor == "mijinkoo" and first.items[0].kind == "push"
    assert first.items[0].ref == "refs/heads/main" and first.items[1].after == "c" * 40
    assert query(api.calls[0]) == {"ref": "refs/heads/main", "direction": "asc", "per_page": "100"}
    assert query(api.calls[1]) == {"ref": "refs/heads/main", "direction": "asc", "per_page": "100", "after": "CUR1"}

    # The next run re-reads the last page it saw and keeps only what came after item 3.
    api.get(f"{REPO}/activity", json=[three, four])
    second = gateway.list_activity("main", after=first.cursor)

    assert [a.id for a in second.items] == [4]
    assert query(api.calls[2])["after"] == "CUR1"

    api.get(f"{REPO}/activity", json=[three, four])
    quiet = gateway.list_activity("main", after=second.cursor)

    assert quiet.items == () and quiet.cursor == second.cursor
    assert gateway.request_count() == {"GET activity": 4}


def test_activity_keeps_newer_items_when_the_remembered_one_aged_out(api, gateway):
    """If GitHub no longer lists the last push the bot saw, everything newer still comes through."""
    api.get(f"{REPO}/activity", json=[activity_json(1, "b" * 40, "2022-04-12T12:00:00Z")])
    cursor = gateway.list_activity("main").cursor
    api.get(
        f"{REPO}/activity",
        json=[activity_json(5, "c" * 40, "2022-07-01T00:00:00Z"), activity_json(6, "d" * 40, "2022-07-02T00:00:00Z")],
    )

    assert [a.id for a in gateway.list_activity("main", after=cursor).items] == [5, 6]


@pytest.mark.parametrize("status", [404, 422])
def test_activity_on_a_server_without_the_endpoint_is_empty(api, gateway, status):
    """On a GitHub Enterprise Server without the activity API the run goes on with no server times."""
    api.get(f"{REPO}/activity", status=status, json={"message": "Not Found"})

    page = gateway.list_activity("main", after="keep-me")

    assert page.items == () and page.cursor == "keep-me"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"permission": "write", "role_name": "maintain"}, Permission.MAINTAIN),
        ({"permission": "admin", "role_name": "admin"}, Permission.ADMIN),
        ({"permission": "read", "role_name": "triage"}, Permission.TRIAGE),
        ({"permission": "write", "role_name": "release-manager"}, Permission.WRITE),
        ({"permission": "none", "role_name": ""}, Permission.NONE),
    ],
)
def test_permission_uses_the_role_name(api, gateway, answer, expected):
    """A maintainer's role is read from the collaborator permission API, custom roles by their base."""
    api.get(f"{REPO}/collaborators/SEOJIN-Lab/permission", json={**answer, "user": {"login": "SEOJIN-Lab"}})

    assert gateway.permission("SEOJIN-Lab") is expected


def test_permission_of_someone_who_is_not_a_collaborator_is_none(api, gateway):
    """A command from a stranger is refused, not a crash, when GitHub says 404 for them."""
    api.get(f"{REPO}/collaborators/stranger/permission", status=404, json={"message": "Not Found"})

    assert gateway.permission("stranger") is Permission.NONE


def test_branch_rules_are_read_from_every_page(api, gateway):
    """The study leader's path restrictions and review rules reach the bot, however many rules the branch has."""
    api.get(
        f"{REPO}/rules/branches/main",
        json=[rule_json("file_path_restriction", {"restricted_file_paths": ["config/**"]}), rule_json("deletion")],
        headers=link("https://api.github.com/repositories/42/rules/branches/main?page=2&per_page=100"),
    )
    api.get(
        "https://api.github.com:443/repositories/42/rules/branches/main",
        json=[rule_json("pull_request", {"require_code_owner_review": True})],
    )

    assert gateway.branch_rules("main") == (
        BranchRule("file_path_restriction", {"restricted_file_paths": ["config/**"]}),
        BranchRule("deletion", {}),
        BranchRule("pull_request", {"require_code_owner_review": True}),
    )
    assert query(api.calls[0])["per_page"] == "100"
    assert gateway.request_count() == {"GET rules/branches": 2}


@pytest.mark.parametrize(
    ("status", "message"),
    [(403, "Resource not accessible by integration"), (404, "Not Found")],
)
def test_branch_rules_github_will_not_give_are_none(api, gateway, status, message):
    """A token without access, or a GitHub Enterprise Server without rulesets, leaves the bot on CODEOWNERS alone."""
    api.get(f"{REPO}/rules/branches/main", status=status, json={"message": message})

    assert gateway.branch_rules("main") is None


def test_branch_rules_behind_a_rate_limit_stop_the_run(api, gateway, sleeps):
    """A used-up rate limit also answers 403; it is not mistaken for rules nobody may read."""
    api.get(
        f"{REPO}/rules/branches/main",
        status=403,
        headers=exhausted(resets_in=2400),
        json={"message": "API rate limit exceeded for installation ID 1."},
    )

    with pytest.raises(GatewayError) as caught:
        gateway.branch_rules("main")

    assert "rate limit is used up until" in str(caught.value)


def test_read_file_decodes_utf8_exactly_and_misses_are_none(api, gateway):
    """The README comes back byte for byte (BOM, CRLF, Korean); a missing file is None."""
    text = "\ufeff| 주차 | 과제 |\r\n|---|---|  \r\n"
    api.get(
        f"{REPO}/contents/README.md",
        json={"type": "file", "encoding": "base64", "content": base64.encodebytes(text.encode()).decode()},
    )
    api.get(f"{REPO}/contents/3%EC%A3%BC%EC%B0%A8/note.md", status=404, json={"message": "Not Found"})

    assert gateway.read_file("README.md", "main") == text
    assert gateway.read_file("3주차/note.md", PARENT) is None
    assert query(api.calls[0]) == {"ref": "main"} and query(api.calls[1]) == {"ref": PARENT}


def test_read_file_over_one_megabyte_goes_through_the_blob_api(api, gateway):
    """A large ledger is still read, since the contents API leaves its content out."""
    blob = "e" * 40
    api.get(
        f"{REPO}/contents/.studybot/ledger.json", json={"type": "file", "encoding": "none", "content": "", "sha": blob}
    )
    api.get(f"{REPO}/git/blobs/{blob}", json={"encoding": "base64", "content": base64.b64encode(b'{"v": 1}').decode()})

    assert gateway.read_file(".studybot/ledger.json", "main") == '{"v": 1}'


def test_default_branch_is_read_once(api, gateway):
    """The repository is asked for its default branch only once per run."""
    api.get(REPO, json={"full_name": "study/mlops", "default_branch": "trunk"})

    assert gateway.default_branch() == "trunk"
    assert gateway.default_branch() == "trunk"
    assert gateway.request_count() == {"GET repo": 1}


# ---- writing ---------------------------------------------------------------------------------


def test_commit_goes_blobs_tree_commit_then_ref_without_force(api, gateway):
    """The tables and ledger land in one commit on top of the head the bot read, never forced."""
    api.get(f"{REPO}/git/ref/heads/main", json={"ref": "refs/heads/main", "object": {"sha": PARENT}})
    api.get(f"{REPO}/git/commits/{PARENT}", json={"sha": PARENT, "tree": {"sha": "t" * 40}})
    api.post(f"{REPO}/git/blobs", status=201, json={"sha": "1" * 40})
    api.post(f"{REPO}/git/trees", status=201, json={"sha": "2" * 40})
    api.post(f"{REPO}/git/commits", status=201, json={"sha": "3" * 40})
    api.patch(f"{REPO}/git/refs/heads/main", json={"ref": "refs/heads/main", "object": {"sha": "3" * 40}})

    sha = gateway.commit_files(
        "main",
        PARENT,
        [FileChange("README.md", "# 스터디\r\n"), FileChange("old.md", None)],
        "studybot: week 3 results",
    )

    assert sha == "3" * 40
    assert [(c.request.method, urllib.parse.urlsplit(c.request.url).path) for c in api.calls] == [
        ("GET", "/repos/study/mlops/git/ref/heads/main"),
        ("GET", f"/repos/study/mlops/git/commits/{PARENT}"),
        ("POST", "/repos/study/mlops/git/blobs"),
        ("POST", "/repos/study/mlops/git/trees"),
        ("POST", "/repos/study/mlops/git/commits"),
        ("PATCH", "/repos/study/mlops/git/refs/heads/main"),
    ]
    assert sent(api.calls[2]) == {"content": "# 스터디\r\n", "encoding": "utf-8"}
    assert sent(api.calls[3]) == {
        "base_tree": "t" * 40,
        "tree": [
            {"path": "README.md", "mode": "100644", "type": "blob", "sha": "1" * 40},
            {"path": "old.md", "mode": "100644", "type": "blob", "sha": None},
        ],
    }
    assert sent(api.calls[4]) == {"message": "studybot: week 3 results", "tree": "2" * 40, "parents": [PARENT]}
    assert sent(api.calls[5]) == {"sha": "3" * 40, "force": False}


def test_commit_on_a_tree_the_checkout_knows_does_not_read_the_parent_commit(api, gateway):
    """Given the parent's tree from the checkout, a commit costs the head check and the writes only."""
    api.get(f"{REPO}/git/ref/heads/main", json={"ref": "refs/heads/main", "object": {"sha": PARENT}})
    api.post(f"{REPO}/git/blobs", status=201, json={"sha": "1" * 40})
    api.post(f"{REPO}/git/trees", status=201, json={"sha": "2" * 40})
    api.post(f"{REPO}/git/commits", status=201, json={"sha": "3" * 40})
    api.patch(f"{REPO}/git/refs/heads/main", json={"ref": "refs/heads/main", "object": {"sha": "3" * 40}})

    sha = gateway.commit_files("main", PARENT, [FileChange("README.md", "x")], "m", base_tree="c" * 40)

    assert sha == "3" * 40
    assert [c.request.method for c in api.calls] == ["GET", "POST", "POST", "POST", "PATCH"]
    assert sent(api.calls[2])["base_tree"] == "c" * 40
    assert "GET git/commits" not in gateway.request_count()


def test_commit_refuses_a_branch_force_pushed_back_behind_the_parent(api, gateway):
    """A branch reset to an older commit is not fast-forwarded over: that would bring back what was removed."""
    older = "0" * 40  # an ancestor of PARENT: the ref update alone (force: false) would accept the commit
    api.get(f"{REPO}/git/ref/heads/main", json={"ref": "refs/heads/main", "object": {"sha": older}})

    with pytest.raises(RefMoved):
        gateway.commit_files("main", PARENT, [FileChange("README.md", "x")], "m", base_tree="c" * 40)

    assert len(api.calls) == 1  # nothing written


def test_commit_raises_ref_moved_when_github_refuses_a_non_fast_forward(api, gateway):
    """A push that lands mid-commit makes the bot re-read and retry instead of overwriting it."""
    api.get(f"{REPO}/git/ref/heads/main", json={"object": {"sha": PARENT}})
    api.get(f"{REPO}/git/commits/{PARENT}", json={"sha": PARENT, "tree": {"sha": "t" * 40}})
    api.post(f"{REPO}/git/blobs", status=201, json={"sha": "1" * 40})
    api.post(f"{REPO}/git/trees", status=201, json={"sha": "2" * 40})
    api.post(f"{REPO}/git/commits", status=201, json={"sha": "3" * 40})
    api.patch(f"{REPO}/git/refs/heads/main", status=422, json={"message": "Update is not a fast forward"})

    with pytest.raises(RefMoved):
        gateway.commit_files("main", PARENT, [FileChange("README.md", "x")], "m")

    assert gateway.request_count()["PATCH git/refs"] == 1


def test_commit_raises_ref_moved_before_writing_when_the_head_already_moved(api, gateway):
    """When someone pushed since the bot read the branch, no objects are written at all."""
    api.get(f"{REPO}/git/ref/heads/main", json={"object": {"sha": "9" * 40}})

    with pytest.raises(RefMoved):
        gateway.commit_files("main", PARENT, [FileChange("README.md", "x")], "m")

    assert len(api.calls) == 1


def test_git_data_conflicts_are_retried(api, gateway, sleeps):
    """A 409 while GitHub is busy writing objects does not fail the run."""
    api.get(f"{REPO}/git/ref/heads/main", json={"object": {"sha": PARENT}})
    api.get(f"{REPO}/git/commits/{PARENT}", json={"sha": PARENT, "tree": {"sha": "t" * 40}})
    api.post(f"{REPO}/git/blobs", status=409, json={"message": "Conflict"})
    api.post(f"{REPO}/git/blobs", status=201, json={"sha": "1" * 40})
    api.post(f"{REPO}/git/trees", status=201, json={"sha": "2" * 40})
    api.post(f"{REPO}/git/commits", status=201, json={"sha": "3" * 40})
    api.patch(f"{REPO}/git/refs/heads/main", json={"object": {"sha": "3" * 40}})

    assert gateway.commit_files("main", PARENT, [FileChange("README.md", "x")], "m") == "3" * 40
    assert sleeps == [1.0]
    assert gateway.request_count()["POST git/blobs"] == 2


def test_issue_and_comment_writes_send_what_changes(api, gateway):
    """Opening, closing, commenting and reacting each make one request with the intended body."""
    api.post(f"{REPO}/issues", status=201, json=issue_json(7))
    api.patch(f"{REPO}/issues/7", json=issue_json(7, state="closed"))
    api.post(f"{REPO}/issues/7/comments", status=201, json=comment_json(99, 7, body="마감"))
    api.patch(f"{REPO}/issues/comments/99", json=comment_json(99, 7, body="마감!"))
    api.post(f"{REPO}/issues/comments/99/reactions", status=201, json={"id": 1, "content": "+1"})

    issue = gateway.create_issue("[7주차] Q&A", "<!-- studybot:week=7:kind=qna -->", ("Q&A",))
    gateway.update_issue(7, state=IssueState.CLOSED, state_reason="completed")
    gateway.update_issue(7)
    comment = gateway.create_comment(7, "마감")
    gateway.update_comment(99, "마감!")
    gateway.add_reaction(99, "+1")

    assert issue.number == 7 and issue.created_at.tzinfo is not None
    assert comment.id == 99 and comment.issue_number == 7
    assert [sent(c) for c in api.calls] == [
        {"title": "[7주차] Q&A", "body": "<!-- studybot:week=7:kind=qna -->", "labels": ["Q&A"]},
        {"state": "closed", "state_reason": "completed"},
        {"body": "마감"},
        {"body": "마감!"},
        {"content": "+1"},
    ]
    assert gateway.request_count() == {
        "POST issues": 1,
        "PATCH issues": 1,
        "POST issues/comments": 1,
        "PATCH issues/comments": 1,
        "POST issues/comments/reactions": 1,
    }


def test_writes_are_spaced_a_second_apart(api, sleeps):
    """Back-to-back writes wait as GitHub asks of API clients, reads do not."""
    gateway = make(sleeps, min_write_interval=1.0)
    api.patch(f"{REPO}/issues/comments/1", json=comment_json(1, 7))
    api.patch(f"{REPO}/issues/comments/2", json=comment_json(2, 7))
    api.get(f"{REPO}/collaborators/a/permission", json={"permission": "read", "role_name": "read"})

    gateway.update_comment(1, "a")
    gateway.update_comment(2, "b")
    gateway.permission("a")

    assert sleeps == [1.0]


# ---- faults ----------------------------------------------------------------------------------


def test_server_error_then_success_is_retried_after_backoff(api, gateway, sleeps):
    """A passing 502 costs one second of waiting, not the run."""
    api.get(f"{REPO}/issues/comments", status=502, json={"message": "Server Error"})
    api.get(f"{REPO}/issues/comments", json=[comment_json(1, 3)])

    assert [c.id for c in gateway.list_comments()] == [1]
    assert sleeps == [1.0]
    assert gateway.request_count() == {"GET issues/comments": 2}


def test_server_errors_that_persist_end_the_run_with_a_sentence(api, gateway, sleeps):
    """After five failed attempts with growing waits the run stops and says the next run continues."""
    api.get(REPO, status=503, json={"message": "Unavailable"})

    with pytest.raises(GatewayError) as caught:
        gateway.default_branch()

    assert sleeps == [1.0, 2.0, 4.0, 8.0]
    assert caught.value.status == 503
    assert "5 attempts" in str(caught.value) and "next run" in str(caught.value)
    assert gateway.request_count() == {"GET repo": 5}


def test_429_without_retry_after_waits_a_minute_then_succeeds(api, gateway, sleeps):
    """A rate limit with no hint waits the minute GitHub advises, then goes on."""
    api.get(f"{REPO}/issues", status=429, json={"message": "Too Many Requests"})
    api.get(f"{REPO}/issues", json=[issue_json(1)])

    assert [i.number for i in gateway.list_issues()] == [1]
    assert sleeps == [60.0]
    assert gateway.request_count() == {"GET issues": 2}


def test_secondary_rate_limit_403_waits_retry_after(api, gateway, sleeps):
    """A secondary rate limit is waited out for exactly as long as GitHub says."""
    api.post(
        f"{REPO}/issues/3/comments",
        status=403,
        headers={"Retry-After": "7"},
        json={"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again"},
    )
    api.post(f"{REPO}/issues/3/comments", status=201, json=comment_json(5, 3))

    assert gateway.create_comment(3, "안녕").id == 5
    assert sleeps == [7.0]
    assert gateway.request_count() == {"POST issues/comments": 2}


def test_secondary_rate_limit_403_without_retry_after_waits_a_minute(api, gateway, sleeps):
    """A secondary rate limit that names no wait is treated as GitHub advises: a minute, then again."""
    secondary = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    api.patch(f"{REPO}/issues/3", status=403, json={"message": secondary})
    api.patch(f"{REPO}/issues/3", json=issue_json(3, state="closed"))

    gateway.update_issue(3, state=IssueState.CLOSED)

    assert sleeps == [60.0]
    assert gateway.request_count() == {"PATCH issues": 2}


def test_rate_limit_that_persists_after_a_minute_fails_with_a_sentence(api, gateway, sleeps):
    """A second unhinted rate limit would mean waiting two more minutes, so the run stops instead."""
    api.get(f"{REPO}/issues", status=429, json={"message": "Too Many Requests"})

    with pytest.raises(GatewayError) as caught:
        gateway.list_issues()

    assert sleeps == [60.0]
    assert "rate-limiting" in str(caught.value) and caught.value.status == 429


def test_primary_rate_limit_waits_until_reset(api, gateway, sleeps):
    """An exhausted hourly budget that resets in half a minute is waited out."""
    api.get(
        f"{REPO}/issues",
        status=403,
        headers=exhausted(resets_in=30),
        json={"message": "API rate limit exceeded for installation ID 1."},
    )
    api.get(f"{REPO}/issues", json=[])

    assert gateway.list_issues() == []
    assert sleeps == [31.0]


def test_primary_rate_limit_far_away_fails_with_a_sentence(api, gateway, sleeps):
    """When the budget resets only in 40 minutes the run stops at once and says until when."""
    api.get(
        f"{REPO}/issues",
        status=403,
        headers=exhausted(resets_in=2400),
        json={"message": "API rate limit exceeded for installation ID 1."},
    )

    with pytest.raises(GatewayError) as caught:
        gateway.list_issues()

    assert sleeps == []
    assert "rate limit is used up until" in str(caught.value)
    assert caught.value.status == 403


def test_read_timeout_on_a_read_is_retried(api, gateway, sleeps):
    """A read that times out is simply asked again."""
    api.get(f"{REPO}/collaborators/a/permission", body=requests.exceptions.ReadTimeout("read timed out"))
    api.get(f"{REPO}/collaborators/a/permission", json={"permission": "admin", "role_name": "admin"})

    assert gateway.permission("a") is Permission.ADMIN
    assert sleeps == [1.0]


def test_read_timeout_on_creating_a_comment_is_not_retried(api, gateway, sleeps):
    """A comment GitHub may already have posted is never posted a second time."""
    api.post(f"{REPO}/issues/3/comments", body=requests.exceptions.ReadTimeout("read timed out"))

    with pytest.raises(GatewayError) as caught:
        gateway.create_comment(3, "결과")

    assert len(api.calls) == 1 and sleeps == []
    assert "may have been applied" in str(caught.value)
    assert "marker" in str(caught.value)


def test_connect_timeout_on_creating_an_issue_is_retried(api, gateway, sleeps):
    """An issue whose request never reached GitHub is sent again."""
    api.post(f"{REPO}/issues", body=requests.exceptions.ConnectTimeout("connect timed out"))
    api.post(f"{REPO}/issues", status=201, json=issue_json(8))

    assert gateway.create_issue("t", "b", ()).number == 8
    assert sleeps == [1.0]
    assert gateway.request_count() == {"POST issues": 2}


@pytest.mark.parametrize(
    ("fault", "retried"),
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), True),
        (
            requests.exceptions.ConnectionError(
                urllib3.exceptions.MaxRetryError(None, "/", urllib3.exceptions.NewConnectionError(None, "refused"))
            ),
            True,
        ),
        (requests.exceptions.ReadTimeout("read timed out"), False),
        (
            requests.exceptions.ConnectionError(
                urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))
            ),
            False,
        ),
    ],
)
def test_comment_is_sent_again_only_when_it_never_left(api, gateway, sleeps, fault, retried):
    """A comment is re-sent after a failed connect, never after a request that may have arrived."""
    api.post(f"{REPO}/issues/3/comments", body=fault)
    if retried:
        api.post(f"{REPO}/issues/3/comments", status=201, json=comment_json(5, 3))
        assert gateway.create_comment(3, "결과").id == 5
        assert sleeps == [1.0]
    else:
        with pytest.raises(GatewayError):
            gateway.create_comment(3, "결과")
        assert sleeps == []
    assert gateway.request_count() == {"POST issues/comments": 2 if retried else 1}


def test_bad_gateway_on_creating_an_issue_is_not_retried(api, gateway, sleeps):
    """A 502 from GitHub's front door may hide a created issue, so it is not created again."""
    api.post(f"{REPO}/issues", status=502, json={"message": "Bad Gateway"})

    with pytest.raises(GatewayError) as caught:
        gateway.create_issue("t", "b", ())

    assert sleeps == [] and caught.value.status == 502


def test_timeouts_that_persist_name_the_time_limit(api, sleeps):
    """A GitHub that never answers ends the run with a sentence saying how long it waited."""
    gateway = make(sleeps, max_attempts=2, timeout=15)
    api.get(REPO, body=requests.exceptions.ReadTimeout("read timed out"))

    with pytest.raises(GatewayError) as caught:
        gateway.default_branch()

    assert "within 15 s" in str(caught.value) and sleeps == [1.0]


def test_wait_budget_stops_a_run_that_would_wait_too_long(api, sleeps):
    """A GitHub that keeps asking for patience cannot hold the run forever."""
    gateway = make(sleeps, wait_budget=10)
    api.get(REPO, status=429, headers={"Retry-After": "6"}, json={"message": "slow down"})

    with pytest.raises(GatewayError) as caught:
        gateway.default_branch()

    assert sleeps == [6.0]
    assert "over 10 s" in str(caught.value)


# ---- errors a study leader reads ---------------------------------------------------------------


def test_403_on_a_write_names_the_workflow_permissions_key(api, gateway, sleeps):
    """A token without write access fails with the exact workflow lines to add."""
    api.post(f"{REPO}/issues", status=403, json={"message": "Resource not accessible by integration"})

    with pytest.raises(GatewayError) as caught:
        gateway.create_issue("t", "b", ())

    assert "`permissions: contents: write, issues: write`" in str(caught.value)
    assert caught.value.status == 403 and sleeps == []


def test_404_on_the_repository_says_access_or_wrong_repository(api, gateway):
    """A wrong GITHUB_REPOSITORY or a token without access is named as such."""
    api.get(REPO, status=404, json={"message": "Not Found"})

    with pytest.raises(GatewayError) as caught:
        gateway.default_branch()

    assert "GITHUB_REPOSITORY" in str(caught.value) and "no access" in str(caught.value)
    assert caught.value.status == 404


def test_bad_token_is_named_and_never_printed(api, gateway):
    """An expired token is reported as such, and its value appears in no message."""
    api.get(REPO, status=401, json={"message": "Bad credentials"})

    with pytest.raises(GatewayError) as caught:
        gateway.default_branch()

    assert "token" in str(caught.value) and "401" in str(caught.value)
    assert TOKEN not in str(caught.value) and TOKEN not in str(caught.value)


def test_token_echoed_by_a_server_is_blotted_out(api, gateway):
    """Even a proxy that echoes the Authorization header cannot make studybot print the token."""
    api.post(f"{REPO}/issues/3/comments", status=403, json={"message": f"denied for token {TOKEN}"})

    with pytest.raises(GatewayError) as caught:
        gateway.create_comment(3, "x")

    assert TOKEN not in str(caught.value) and "***" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_enterprise_server_api_url_is_honoured(api, sleeps):
    """On GitHub Enterprise Server every request goes to its /api/v3 URL, pages included."""
    gateway = make(sleeps, api_url="https://ghe.example/api/v3/")
    ghe = "https://ghe.example:443/api/v3/repos/study/mlops"
    api.get(
        f"{ghe}/issues",
        json=[issue_json(1)],
        headers=link("https://ghe.example/api/v3/repositories/42/issues?page=2&per_page=100"),
    )
    api.get("https://ghe.example:443/api/v3/repositories/42/issues", json=[issue_json(2)])
    api.get(f"{ghe}/collaborators/a/permission", json={"permission": "write", "role_name": "write"})

    assert [i.number for i in gateway.list_issues()] == [1, 2]
    assert gateway.permission("a") is Permission.WRITE
    assert all(urllib.parse.urlsplit(c.request.url).hostname == "ghe.example" for c in api.calls)
    assert api.calls[0].request.headers["Authorization"] == f"token {TOKEN}"


def test_malformed_repository_name_is_a_sentence():
    """A GITHUB_REPOSITORY without an owner is reported before any request."""
    with pytest.raises(GatewayError) as caught:
        GitHubGateway(TOKEN, "mlops")

    assert "owner/name" in str(caught.value)


def test_a_list_page_read_again_in_a_run_is_asked_for_conditionally(api, gateway):
    """The same listing twice in one run: If-None-Match with the page's ETag, and a 304 reuses the page."""
    api.get(f"{REPO}/issues", json=[issue_json(15, labels=[{"name": "question"}])], headers={"ETag": 'W/"q1"'})
    api.get(f"{REPO}/issues", status=304, headers={"ETag": 'W/"q1"'})

    first = gateway.list_issues(labels=("question",))
    again = gateway.list_issues(labels=("question",))

    assert [i.number for i in again] == [i.number for i in first] == [15]
    assert "If-None-Match" not in api.calls[0].request.headers
    assert api.calls[1].request.headers["If-None-Match"] == 'W/"q1"'
    assert gateway.request_count() == {"GET issues": 2}  # a 304 is still a request


def test_activity_after_a_full_page_reads_the_newest_page_first(api, gateway):
    """When the last page read was full, the next run reads newest first: one request for what came since."""
    full = [activity_json(n, f"{n:040x}", "2022-04-12T12:00:00Z") for n in range(1, 101)]
    api.get(f"{REPO}/activity", json=full)
    cursor = gateway.list_activity("main").cursor

    newest = [activity_json(102, "f" * 40, "2022-04-13T00:00:00Z"), activity_json(101, "e" * 40, "2022-04-12T23:00:00Z"),
              *reversed(full[-98:])]
    api.get(f"{REPO}/activity", json=newest)
    resumed = gateway.list_activity("main", after=cursor)

    assert [a.id for a in resumed.items] == [101, 102]
    assert query(api.calls[1]) == {"ref": "refs/heads/main", "direction": "desc", "per_page": "100"}
    api.get(f"{REPO}/activity", json=newest)
    assert gateway.list_activity("main", after=resumed.cursor).items == ()
    assert gateway.request_count() == {"GET activity": 3}


def test_activity_after_a_full_page_with_a_hundred_new_goes_back_to_the_cursor(api, gateway):
    """When a hundred or more pushes came since a full page, the cursor walk finds every one of them."""
    full = [activity_json(n, f"{n:040x}", "2022-04-12T12:00:00Z") for n in range(1, 101)]
    api.get(f"{REPO}/activity", json=full)
    cursor = gateway.list_activity("main").cursor
    more = [activity_json(n, f"{n:040x}", "2022-04-13T12:00:00Z") for n in range(101, 206)]
    api.get(f"{REPO}/activity", json=list(reversed(more))[:100])  # newest page: all new
    nxt = "https://api.github.com/repos/study/mlops/activity?ref=refs%2Fheads%2Fmain&after=C2&per_page=100"
    api.get(f"{REPO}/activity", json=full, headers=link(nxt))  # the cursor page again
    nxt2 = "https://api.github.com/repos/study/mlops/activity?ref=refs%2Fheads%2Fmain&after=C3&per_page=100"
    api.get(f"{REPO}/activity", json=more[:100], headers=link(nxt2))
    api.get(f"{REPO}/activity", json=more[100:])
    resumed = gateway.list_activity("main", after=cursor)
    assert [a.id for a in resumed.items] == list(range(101, 206))
    assert query(api.calls[2]).get("direction") == "asc" and "after" not in query(api.calls[2])
    assert query(api.calls[4])["after"] == "C3"
    assert '"full"' not in resumed.cursor


def test_404_on_a_write_names_the_workflow_permissions_key(api, gateway, sleeps):
    """A private repository answers 404 to a token without issue access: the sentence names permissions:."""
    api.post(f"{REPO}/issues/3/comments", status=404, json={"message": "Not Found"})

    with pytest.raises(GatewayError) as caught:
        gateway.create_comment(3, "b")

    assert "`permissions: contents: write, issues: write`" in str(caught.value)
    assert caught.value.status == 404 and sleeps == []
