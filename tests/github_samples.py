"""GitHub REST answers as GitHub sends them, for the operations studybot uses.

Each builder returns a complete body of one documented response (every field GitHub's
OpenAPI description marks as required is there), so tests that feed the gateway can use
them instead of hand-trimmed dicts; ``tests/test_openapi.py`` validates every builder against
the schemas in ``tests/openapi/github-subset.json``. Times are ISO 8601 strings in UTC with
``Z``, as GitHub writes them.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

API = "https://api.github.com"
WEB = "https://github.com"
REPO = "o/r"
DOCS = "https://docs.github.com/rest"
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000."
)


def node_id(kind: str, number: int | str) -> str:
    return base64.b64encode(f"0:{kind}{number}".encode()).decode().rstrip("=")


def user(login: str, user_id: int | None = None, *, kind: str | None = None) -> dict[str, Any]:
    """A ``simple-user``; bots (``…[bot]``) get ``type: Bot``."""
    user_id = user_id if user_id is not None else int(hashlib.sha1(login.encode()).hexdigest()[:6], 16)
    base = f"{API}/users/{login}"
    return {
        "login": login,
        "id": user_id,
        "node_id": node_id("User", user_id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": f"{WEB}/{login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": kind or ("Bot" if login.endswith("[bot]") else "User"),
        "user_view_type": "public",
        "site_admin": False,
    }


def reaction_rollup(url: str, counts: dict[str, int] | None = None) -> dict[str, Any]:
    counts = counts or {}
    kinds = ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")
    return {"url": url, "total_count": sum(counts.values()), **{kind: counts.get(kind, 0) for kind in kinds}}


def label(name: str, label_id: int = 1) -> dict[str, Any]:
    return {
        "id": label_id,
        "node_id": node_id("Label", label_id),
        "url": f"{API}/repos/{REPO}/labels/{name}",
        "name": name,
        "color": "ededed",
        "default": False,
        "description": None,
    }


def issue(
    number: int,
    *,
    title: str = "[3주차] Q&A",
    body: str | None = "본문",
    state: str = "open",
    labels: tuple[str, ...] = ("Q&A",),
    author: dict[str, Any] | None = None,
    created_at: str = "2022-05-04T03:00:00Z",
    updated_at: str | None = None,
    closed_at: str | None = None,
    state_reason: str | None = None,
    comments: int = 0,
    pull: bool = False,
    repo: str = REPO,
    issue_id: int | None = None,
) -> dict[str, Any]:
    """An ``issue`` as the issues API lists, creates and updates it (a pull request when ``pull``)."""
    base = f"{API}/repos/{repo}/issues/{number}"
    issue_id = issue_id if issue_id is not None else 1_000_000 + number
    data: dict[str, Any] = {
        "url": base,
        "repository_url": f"{API}/repos/{repo}",
        "labels_url": f"{base}/labels{{/name}}",
        "comments_url": f"{base}/comments",
        "events_url": f"{base}/events",
        "html_url": f"{WEB}/{repo}/{'pull' if pull else 'issues'}/{number}",
        "id": issue_id,
        "node_id": node_id("Issue", issue_id),
        "number": number,
        "title": title,
        "user": author if author is not None else user("SEOJIN-Lab", 101),
        "labels": [label(name, index + 1) for index, name in enumerate(labels)],
        "state": state,
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": comments,
        "created_at": created_at,
        "updated_at": updated_at or created_at,
        "closed_at": closed_at,
        "author_association": "OWNER",
        "active_lock_reason": None,
        "body": body,
        "closed_by": None,
        "reactions": reaction_rollup(f"{base}/reactions"),
        "timeline_url": f"{base}/timeline",
        "performed_via_github_app": None,
        "state_reason": state_reason,
    }
    if pull:
        pulls = f"{API}/repos/{repo}/pulls/{number}"
        data["pull_request"] = {
            "url": pulls,
            "html_url": f"{WEB}/{repo}/pull/{number}",
            "diff_url": f"{WEB}/{repo}/pull/{number}.diff",
            "patch_url": f"{WEB}/{repo}/pull/{number}.patch",
            "merged_at": None,
        }
    return data


def issue_comment(
    comment_id: int,
    issue_number: int,
    *,
    body: str = "제출 https://blog.example/1",
    author: dict[str, Any] | None = None,
    created_at: str = "2022-05-10T12:03:00Z",
    updated_at: str | None = None,
    repo: str = REPO,
) -> dict[str, Any]:
    """An ``issue-comment`` as the comments API lists, creates and updates it."""
    base = f"{API}/repos/{repo}/issues/comments/{comment_id}"
    return {
        "url": base,
        "html_url": f"{WEB}/{repo}/issues/{issue_number}#issuecomment-{comment_id}",
        "issue_url": f"{API}/repos/{repo}/issues/{issue_number}",
        "id": comment_id,
        "node_id": node_id("IssueComment", comment_id),
        "user": author if author is not None else user("mijinkoo", 102),
        "created_at": created_at,
        "updated_at": updated_at or created_at,
        "author_association": "COLLABORATOR",
        "body": body,
        "reactions": reaction_rollup(f"{base}/reactions"),
        "performed_via_github_app": None,
    }


def reaction(reaction_id: int, content: str, *, author: dict[str, Any] | None = None,
             created_at: str = "2022-05-10T12:04:00Z") -> dict[str, Any]:
    """A ``reaction`` (201 when new, 200 when the same user had already reacted so)."""
    return {
        "id": reaction_id,
        "node_id": node_id("Reaction", reaction_id),
        "user": author if author is not None else user("github-actions[bot]", 41898282),
        "content": content,
        "created_at": created_at,
    }


LEGACY_PERMISSION = {"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read"}


def collaborator_permission(login: str, role: str) -> dict[str, Any]:
    """``repository-collaborator-permission``: legacy ``permission`` plus the real ``role_name``."""
    permission = LEGACY_PERMISSION.get(role, "none")
    collaborator = {
        **user(login),
        "permissions": {
            "admin": role == "admin",
            "maintain": role in ("admin", "maintain"),
            "push": role in ("admin", "maintain", "write"),
            "triage": role in ("admin", "maintain", "write", "triage"),
            "pull": permission != "none",
        },
        "role_name": role,
    }
    return {"permission": permission, "role_name": role, "user": collaborator}


def activity(
    activity_id: int,
    *,
    before: str,
    after: str,
    timestamp: str,
    actor: dict[str, Any] | None,
    kind: str = "push",
    ref: str = "refs/heads/main",
) -> dict[str, Any]:
    """One ``activity`` item (``actor`` is null for a deleted account)."""
    return {
        "id": activity_id,
        "node_id": node_id("RA", activity_id),
        "before": before,
        "after": after,
        "ref": ref,
        "timestamp": timestamp,
        "activity_type": kind,
        "actor": actor,
    }


def branch_rule(kind: str, parameters: dict[str, Any] | None = None, *, ruleset_id: int = 7,
                source: str = REPO, source_type: str = "Repository") -> dict[str, Any]:
    """One ``repository-rule-detailed``: the rule, and the ruleset it comes from."""
    rule: dict[str, Any] = {"type": kind}
    if parameters is not None:
        rule["parameters"] = parameters
    return {**rule, "ruleset_source_type": source_type, "ruleset_source": source, "ruleset_id": ruleset_id}


def path_restriction(*paths: str, ruleset_id: int = 7) -> dict[str, Any]:
    """A push ruleset's "Restrict file paths" rule, as the branch's rules list it."""
    return branch_rule("file_path_restriction", {"restricted_file_paths": list(paths)}, ruleset_id=ruleset_id)


def pull_request_rule(*, code_owners: bool, ruleset_id: int = 8) -> dict[str, Any]:
    """A branch ruleset's "Require a pull request before merging", with or without code owners' review."""
    return branch_rule(
        "pull_request",
        {
            "dismiss_stale_reviews_on_push": False,
            "require_code_owner_review": code_owners,
            "require_last_push_approval": False,
            "required_approving_review_count": 1,
            "required_review_thread_resolution": False,
        },
        ruleset_id=ruleset_id,
    )


def git_ref(ref: str, sha: str, *, repo: str = REPO) -> dict[str, Any]:
    return {
        "ref": ref,
        "node_id": node_id("Ref", ref),
        "url": f"{API}/repos/{repo}/git/{ref}",
        "object": {"type": "commit", "sha": sha, "url": f"{API}/repos/{repo}/git/commits/{sha}"},
    }


def git_commit(
    sha: str,
    *,
    tree: str,
    parents: list[str],
    message: str,
    date: str = "2022-05-10T12:00:00Z",
    author: str = "github-actions[bot]",
    repo: str = REPO,
) -> dict[str, Any]:
    """A ``git-commit`` as read and as created by the Git data API."""
    person = {"name": author, "email": f"{author}@users.noreply.github.com", "date": date}
    return {
        "sha": sha,
        "node_id": node_id("Commit", sha),
        "url": f"{API}/repos/{repo}/git/commits/{sha}",
        "html_url": f"{WEB}/{repo}/commit/{sha}",
        "author": person,
        "committer": person,
        "message": message,
        "tree": {"sha": tree, "url": f"{API}/repos/{repo}/git/trees/{tree}"},
        "parents": [
            {"sha": parent, "url": f"{API}/repos/{repo}/git/commits/{parent}", "html_url": f"{WEB}/{repo}/commit/{parent}"}
            for parent in parents
        ],
        "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None, "verified_at": None},
    }


def short_blob(sha: str, *, repo: str = REPO) -> dict[str, Any]:
    return {"url": f"{API}/repos/{repo}/git/blobs/{sha}", "sha": sha}


def blob(sha: str, content: bytes, *, repo: str = REPO) -> dict[str, Any]:
    return {
        "sha": sha,
        "node_id": node_id("Blob", sha),
        "size": len(content),
        "url": f"{API}/repos/{repo}/git/blobs/{sha}",
        "content": base64.encodebytes(content).decode(),
        "encoding": "base64",
    }


def git_tree(sha: str, entries: dict[str, str], *, repo: str = REPO) -> dict[str, Any]:
    """A ``git-tree`` (flat: ``entries`` maps paths to blob SHAs)."""
    return {
        "sha": sha,
        "url": f"{API}/repos/{repo}/git/trees/{sha}",
        "tree": [
            {"path": path, "mode": "100644", "type": "blob", "sha": blob_sha, "url": f"{API}/repos/{repo}/git/blobs/{blob_sha}"}
            for path, blob_sha in sorted(entries.items())
        ],
        "truncated": False,
    }


def content_file(path: str, content: bytes, sha: str, *, ref: str = "main", repo: str = REPO) -> dict[str, Any]:
    """A ``content-file``; over 1 MB GitHub leaves ``content`` empty with ``encoding: none``."""
    url = f"{API}/repos/{repo}/contents/{path}?ref={ref}"
    large = len(content) > 1024 * 1024
    return {
        "type": "file",
        "encoding": "none" if large else "base64",
        "size": len(content),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": "" if large else base64.encodebytes(content).decode(),
        "sha": sha,
        "url": url,
        "git_url": f"{API}/repos/{repo}/git/blobs/{sha}",
        "html_url": f"{WEB}/{repo}/blob/{ref}/{path}",
        "download_url": f"https://raw.githubusercontent.com/{repo}/{ref}/{path}",
        "_links": {"self": url, "git": f"{API}/repos/{repo}/git/blobs/{sha}", "html": f"{WEB}/{repo}/blob/{ref}/{path}"},
    }


def repository(*, default_branch: str = "main", repo: str = REPO, repo_id: int = 42) -> dict[str, Any]:
    """A ``full-repository`` as ``GET /repos/{owner}/{repo}`` answers."""
    owner, name = repo.split("/")
    base = f"{API}/repos/{repo}"
    templated = {
        "archive_url": "{archive_format}{/ref}", "assignees_url": "assignees{/user}", "blobs_url": "git/blobs{/sha}",
        "branches_url": "branches{/branch}", "collaborators_url": "collaborators{/collaborator}",
        "comments_url": "comments{/number}", "commits_url": "commits{/sha}", "compare_url": "compare/{base}...{head}",
        "contents_url": "contents/{+path}", "git_commits_url": "git/commits{/sha}", "git_refs_url": "git/refs{/sha}",
        "git_tags_url": "git/tags{/sha}", "issue_comment_url": "issues/comments{/number}",
        "issue_events_url": "issues/events{/number}", "issues_url": "issues{/number}", "keys_url": "keys{/key_id}",
        "labels_url": "labels{/name}", "milestones_url": "milestones{/number}",
        "notifications_url": "notifications{?since,all,participating}", "pulls_url": "pulls{/number}",
        "releases_url": "releases{/id}", "statuses_url": "statuses/{sha}", "trees_url": "git/trees{/sha}",
    }
    plain = (
        "contributors", "deployments", "downloads", "events", "forks", "hooks", "languages", "merges",
        "stargazers", "subscribers", "subscription", "tags", "teams",
    )
    return {
        "id": repo_id,
        "node_id": node_id("Repository", repo_id),
        "name": name,
        "full_name": repo,
        "owner": user(owner, 7, kind="Organization"),
        "private": False,
        "html_url": f"{WEB}/{repo}",
        "description": None,
        "fork": False,
        "url": base,
        **{key: f"{base}/{suffix}" for key, suffix in templated.items()},
        **{f"{key}_url": f"{base}/{key}" for key in plain},
        "created_at": "2022-04-01T00:00:00Z",
        "updated_at": "2022-05-10T00:00:00Z",
        "pushed_at": "2022-05-10T00:00:00Z",
        "git_url": f"git://github.com/{repo}.git",
        "ssh_url": f"git@github.com:{repo}.git",
        "clone_url": f"{WEB}/{repo}.git",
        "svn_url": f"{WEB}/{repo}",
        "homepage": None,
        "size": 120,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": None,
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": True,
        "has_pages": False,
        "has_discussions": False,
        "forks_count": 0,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": 1,
        "license": None,
        "forks": 0,
        "open_issues": 1,
        "watchers": 0,
        "default_branch": default_branch,
        "network_count": 0,
        "subscribers_count": 1,
    }


def error(message: str, status: int) -> dict[str, Any]:
    """A ``basic-error`` body (403, 404, 409, 410, 5xx …)."""
    return {"message": message, "documentation_url": DOCS, "status": str(status)}


def validation_error(message: str, *, code: str = "custom", field: str | None = None) -> dict[str, Any]:
    """A ``validation-error`` body (422)."""
    problem: dict[str, Any] = {"resource": "Reference", "code": code}
    if field:
        problem["field"] = field
    return {"message": message, "errors": [problem], "documentation_url": DOCS}


def examples() -> list[tuple[str, str, Any]]:
    """(operationId, status, body) for each kind of answer the gateway meets, including the odd ones."""
    bot = user("github-actions[bot]", 41898282)
    sha = "a" * 40
    readme = "\ufeff| 주차 | 과제 |\r\n|---|---|\r\n".encode()
    return [
        ("repos/get", "200", repository()),
        ("repos/get", "404", error("Not Found", 404)),
        ("issues/list-for-repo", "200", [
            issue(3),
            issue(4, pull=True, title="Fix typo"),
            issue(5, state="closed", closed_at="2022-05-11T15:00:00Z", state_reason="completed", author=bot),
            issue(6, body=None, author=None, labels=()),  # a deleted account; an empty body is null
        ]),
        ("issues/list-for-repo", "200", []),
        ("issues/create", "201", issue(7, body="<!-- studybot:week=7:kind=issue -->", author=bot)),
        ("issues/create", "403", error("Resource not accessible by integration", 403)),
        ("issues/create", "410", error("Issues are disabled for this repo", 410)),
        ("issues/update", "200", issue(7, state="closed", state_reason="completed", closed_at="2022-05-11T15:00:00Z")),
        ("issues/list-comments-for-repo", "200", [
            issue_comment(11, 3),
            issue_comment(12, 3, author=None, updated_at="2022-05-10T12:09:00Z"),
        ]),
        ("issues/create-comment", "201", issue_comment(99, 7, body="<!-- studybot:week=7:kind=results -->", author=bot)),
        ("issues/update-comment", "200", issue_comment(99, 7, body="edited", author=bot, updated_at="2022-05-11T00:00:00Z")),
        ("reactions/create-for-issue-comment", "201", reaction(1, "+1")),
        ("reactions/create-for-issue-comment", "200", reaction(1, "+1")),
        ("repos/get-collaborator-permission-level", "200", collaborator_permission("SEOJIN-Lab", "maintain")),
        ("repos/get-collaborator-permission-level", "200", collaborator_permission("mijinkoo", "read")),
        ("repos/get-collaborator-permission-level", "404", error("Not Found", 404)),
        ("repos/list-activities", "200", [
            activity(1, before="0" * 40, after=sha, timestamp="2022-05-10T12:00:00Z", actor=user("mijinkoo", 102)),
            activity(2, before=sha, after="b" * 40, timestamp="2022-05-10T13:00:00Z", actor=None, kind="force_push"),
        ]),
        ("repos/list-activities", "200", []),
        ("repos/get-branch-rules", "200", [
            path_restriction("config/**", ".studybot/**", ".github/workflows/**"),
            pull_request_rule(code_owners=True),
            branch_rule("deletion"),
            branch_rule("non_fast_forward", source="study-org", source_type="Organization", ruleset_id=9),
        ]),
        ("repos/get-branch-rules", "200", []),
        ("git/get-ref", "200", git_ref("refs/heads/main", sha)),
        ("git/get-ref", "404", error("Not Found", 404)),
        ("git/update-ref", "200", git_ref("refs/heads/main", "c" * 40)),
        ("git/update-ref", "422", validation_error("Update is not a fast forward")),
        ("git/get-commit", "200", git_commit(sha, tree="t" * 40, parents=["0" * 40], message="Initial commit")),
        ("git/create-commit", "201", git_commit("c" * 40, tree="d" * 40, parents=[sha], message="studybot: week 3")),
        ("git/create-commit", "409", error("Git Repository is empty.", 409)),
        ("git/create-blob", "201", short_blob("e" * 40)),
        ("git/get-blob", "200", blob("e" * 40, b'{"v": 1}')),
        ("git/create-tree", "201", git_tree("d" * 40, {"README.md": "e" * 40, ".studybot/ledger.json": "f" * 40})),
        ("repos/get-content", "200", content_file("README.md", readme, "e" * 40)),
        ("repos/get-content", "200", content_file(".studybot/ledger.json", b"x" * (1024 * 1024 + 1), "f" * 40)),
        ("repos/get-content", "404", error("Not Found", 404)),
    ]
