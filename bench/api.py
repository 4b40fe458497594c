"""Benchmark: GitHub API requests of ``studybot run`` against a fake GitHub.

    python bench/api.py [--size S|L|both] [--keep DIR]

Generates a study repository with ``bench/history.py``'s generator, serves a fake GitHub REST
API in process (``responses``; nothing leaves the machine), and runs the real cycle
(``studybot.shell.runner.run_cycle``) through the real gateway (``studybot.shell.github.GitHubGateway``)
four times:

  cold         no ledger in the checkout: every issue, comment and push is read
  quiet        an hour later, after the bot's own commit was checked out: nothing new
  one_comment  an hour later again, after one member posted one comment with a link
  quiet_later  an hour later again, nothing new: the steady state between events

For each run it prints the requests per endpoint, how many of them count against the rate
limit (a 304 answer to a conditional request does not), and the unavoidable minimum: for each
of the three listings (issues, issue comments, activity), the pages of 100 that the items new
since the previous run fill (at least one), plus the writes that changed something. A write
that changed nothing (the same body again, a duplicate of a marked comment, an empty commit)
is counted as wasted, not as unavoidable.

Sizes (SPEC §11):
  S  the seed-like study: 5 members x 12 weeks, 100 README commits, 50 comments, 100 pushes
  L  the scale case: 200 members x 52 weeks, 5,000 commits, 20,000 comments, 2,000 pushes

Targets: cold run at most 1.25 x the unavoidable requests; a run with nothing new at most 3
requests that count against the rate limit; never more than 1,000 requests an hour (the
GITHUB_TOKEN limit) for L, run hourly.

Prints one JSON line per size on stdout; progress goes to stderr. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import math
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import responses

sys.path.insert(0, str(Path(__file__).resolve().parent))
import history as generator

from studybot.core import decide
from studybot.core.config import StudyConfig, parse_config
from studybot.core.markers import Kind, marker, read_marker
from studybot.shell.github import GitHubGateway
from studybot.shell.runner import Job, run_cycle

UTC = dt.UTC
OWNER, NAME = "bench", "study"
API = "https://api.github.com"
REPO_PATH = f"/repos/{OWNER}/{NAME}"
BOT = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
TOKEN = "bench-token"
PAGE = 100
PER_HOUR_LIMIT = 1000

# comments on week issues, pushes in the activity log, open questions (label `question`)
SCENARIO = {
    "S": {"comments": 50, "activity": 100, "questions": 3},
    "L": {"comments": 20_000, "activity": 2_000, "questions": 20},
}
LISTINGS = ("GET issues", "GET issues/comments", "GET activity")


def log(message: str) -> None:
    print(f"[bench/api] {message}", file=sys.stderr, flush=True)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def git(repo: Path, *args: str, data: bytes | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], input=data, capture_output=True, check=False,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------- the fake GitHub


@dataclass
class Write:
    label: str
    effective: bool


@dataclass
class FakeGitHub:
    """The REST endpoints the gateway uses, over in-memory issues and a real git object store.

    Git data (blobs, trees, commits) goes into the study repository's object database, so the
    bot's commit is a real commit the bench can check out. Every GET answer carries an ETag
    that depends on the body and the token, and an ``If-None-Match`` that matches gets a 304,
    as on GitHub.
    """

    repo: Path
    head: str
    now: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=UTC)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    activity: list[dict[str, Any]] = field(default_factory=list)
    reactions: set[tuple[int, str]] = field(default_factory=set)
    maintainers: frozenset[str] = frozenset()
    seq: int = 0  # bumped by every change, to tell what is new since a listing
    requests: Counter = field(default_factory=Counter)
    by_label: int = 0  # issue listings filtered by label (the questions to close)
    not_modified: Counter = field(default_factory=Counter)
    writes: list[Write] = field(default_factory=list)
    first_listing: dict[str, int] = field(default_factory=dict)  # label -> seq when first listed this run
    _next_comment: int = 1_000_000
    _next_activity: int = 1
    _views: dict[tuple, list[dict[str, Any]]] = field(default_factory=dict)

    # ---- seeding ----

    def bump(self) -> int:
        self.seq += 1
        return self.seq

    def add_issue(self, number: int, title: str, body: str, author: str, labels: list[str],
                  created: dt.datetime, state: str = "open", closed: dt.datetime | None = None) -> dict[str, Any]:
        updated = closed or created
        issue = {
            "id": 10_000 + number, "number": number, "title": title, "body": body, "state": state,
            "state_reason": "completed" if state == "closed" else None,
            "labels": [{"name": name} for name in labels], "user": {"login": author},
            "created_at": stamp(created), "updated_at": stamp(updated),
            "closed_at": stamp(closed) if closed else None, "_seq": self.bump(),
        }
        self.issues[number] = issue
        return issue

    def add_comment(self, issue: int, author: str, body: str, created: dt.datetime,
                    updated: dt.datetime | None = None) -> dict[str, Any]:
        self._next_comment += 1
        comment = {
            "id": self._next_comment, "issue_url": f"{API}{REPO_PATH}/issues/{issue}",
            "html_url": f"https://github.com/{OWNER}/{NAME}/issues/{issue}#issuecomment-{self._next_comment}",
            "user": {"login": author}, "body": body,
            "created_at": stamp(created), "updated_at": stamp(updated or created), "_seq": self.bump(),
        }
        self.comments[comment["id"]] = comment
        target = self.issues[issue]
        if parse_time(target["updated_at"]) < (updated or created):  # a comment touches its issue
            target["updated_at"] = stamp(updated or created)
            target["_seq"] = self.bump()
        return comment

    def add_push(self, before: str, after: str, actor: str, at: dt.datetime, kind: str = "push") -> None:
        self.activity.append({
            "id": self._next_activity, "node_id": f"RA_{self._next_activity}", "before": before, "after": after,
            "ref": "refs/heads/main", "timestamp": stamp(at), "activity_type": kind,
            "actor": {"login": actor}, "_seq": self.bump(),
        })
        self._next_activity += 1

    # ---- bookkeeping ----

    def start_run(self, now: dt.datetime) -> None:
        self.now = now
        self.requests.clear()
        self.by_label = 0
        self.not_modified.clear()
        self.writes.clear()
        self.first_listing.clear()

    def new_items(self, label: str, after: int, upto: int) -> int:
        """Items of a listing that changed between two sequence numbers."""
        source = {"GET issues": self.issues.values(), "GET issues/comments": self.comments.values(),
                  "GET activity": self.activity}[label]
        return sum(1 for item in source if after < item["_seq"] <= upto)

    # ---- HTTP ----

    def install(self, mock: responses.RequestsMock) -> None:
        pattern = re.compile(r"^https://api\.github\.com(:443)?/.*")
        for method in (responses.GET, responses.POST, responses.PATCH):
            mock.add_callback(method, pattern, callback=self.handle)

    def handle(self, request) -> tuple[int, dict[str, str], str]:
        url = urllib.parse.urlsplit(request.url)
        query = {key: values[-1] for key, values in urllib.parse.parse_qs(url.query).items()}
        path = urllib.parse.unquote(url.path)
        body = json.loads(request.body) if request.body else None
        label, answer = self.route(request.method, path, query, body)
        self.requests[label] += 1
        if label == "GET issues" and query.get("labels"):
            self.by_label += 1
        status, headers, payload = answer
        text = "" if payload is None else json.dumps(payload, ensure_ascii=False)
        headers = {"Content-Type": "application/json; charset=utf-8", **headers}
        if request.method == "GET" and status == 200:
            auth = request.headers.get("Authorization", "")
            etag = 'W/"{}"'.format(hashlib.sha256((auth + "\0" + text).encode()).hexdigest()[:40])
            headers["ETag"] = etag
            if request.headers.get("If-None-Match") == etag:
                self.not_modified[label] += 1
                return 304, {k: v for k, v in headers.items() if k != "Content-Type"}, ""
        return status, headers, text

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[str, tuple]:
        if not path.startswith(REPO_PATH):
            return f"{method} ?", (404, {}, {"message": "Not Found"})
        rest = path[len(REPO_PATH):]
        routes = [
            ("GET", r"", "GET repo", lambda m: (200, {}, {"full_name": f"{OWNER}/{NAME}", "default_branch": "main"})),
            ("GET", r"/issues", "GET issues", lambda m: self.list_issues(query)),
            ("POST", r"/issues", "POST issues", lambda m: self.create_issue(body)),
            ("PATCH", r"/issues/(\d+)", "PATCH issues", lambda m: self.update_issue(int(m[1]), body)),
            ("GET", r"/issues/comments", "GET issues/comments", lambda m: self.list_comments(query)),
            ("POST", r"/issues/(\d+)/comments", "POST issues/comments", lambda m: self.create_comment(int(m[1]), body)),
            ("PATCH", r"/issues/comments/(\d+)", "PATCH issues/comments", lambda m: self.update_comment(int(m[1]), body)),
            ("POST", r"/issues/comments/(\d+)/reactions", "POST issues/comments/reactions",
             lambda m: self.react(int(m[1]), body)),
            ("GET", r"/activity", "GET activity", lambda m: self.list_activity(query)),
            ("GET", r"/collaborators/([^/]+)/permission", "GET collaborators/permission",
             lambda m: self.permission(m[1])),
            ("GET", r"/git/ref/heads/(.+)", "GET git/ref", lambda m: self.get_ref(m[1])),
            ("GET", r"/git/commits/([0-9a-f]{40})", "GET git/commits", lambda m: self.get_commit(m[1])),
            ("GET", r"/git/blobs/([0-9a-f]{40})", "GET git/blobs", lambda m: self.get_blob(m[1])),
            ("POST", r"/git/blobs", "POST git/blobs", lambda m: self.create_blob(body)),
            ("POST", r"/git/trees", "POST git/trees", lambda m: self.create_tree(body)),
            ("POST", r"/git/commits", "POST git/commits", lambda m: self.create_commit(body)),
            ("PATCH", r"/git/refs/heads/(.+)", "PATCH git/refs", lambda m: self.update_ref(m[1], body)),
            ("GET", r"/contents/(.+)", "GET contents", lambda m: self.get_contents(m[1], query)),
        ]
        for verb, pattern, label, action in routes:
            if verb == method:
                match = re.fullmatch(pattern, rest)
                if match:
                    return label, action(match)
        return f"{method} {rest}", (404, {}, {"message": "Not Found"})

    # ---- listings ----

    def _page(self, label: str, items: list[dict[str, Any]], query: dict[str, str], path: str) -> tuple:
        self.first_listing.setdefault(label, self.seq)
        per_page = min(int(query.get("per_page", 30)), 100)
        page = int(query.get("page", 1))
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {}
        if page * per_page < len(items):
            following = urllib.parse.urlencode({**query, "page": page + 1})
            headers["Link"] = f'<{API}{REPO_PATH}{path}?{following}>; rel="next"'
        return 200, headers, [{k: v for k, v in item.items() if not k.startswith("_")} for item in chunk]

    def _view(self, key: tuple, build) -> list[dict[str, Any]]:
        key = (*key, self.seq)
        if key not in self._views:
            self._views = {key: build()}  # one listing at a time is enough
        return self._views[key]

    def list_issues(self, query: dict[str, str]) -> tuple:
        state = query.get("state", "open")
        labels = {name for name in query.get("labels", "").split(",") if name}
        since = parse_time(query["since"]) if "since" in query else None

        def build() -> list[dict[str, Any]]:
            found = [
                issue for issue in self.issues.values()
                if (state == "all" or issue["state"] == state)
                and labels <= {label["name"] for label in issue["labels"]}
                and (since is None or parse_time(issue["updated_at"]) >= since)
            ]
            if query.get("sort") == "updated":
                found.sort(key=lambda issue: (issue["updated_at"], issue["number"]),
                           reverse=query.get("direction") != "asc")
            else:
                found.sort(key=lambda issue: issue["number"], reverse=query.get("direction") != "asc")
            return found

        key = ("issues", state, tuple(sorted(labels)), query.get("since"), query.get("sort"), query.get("direction"))
        # A listing by label (the questions to close) is not the listing the minimum counts.
        label = "GET issues" if not labels else "GET issues by label"
        return self._page(label, self._view(key, build), query, "/issues")

    def list_comments(self, query: dict[str, str]) -> tuple:
        since = parse_time(query["since"]) if "since" in query else None

        def build() -> list[dict[str, Any]]:
            found = [c for c in self.comments.values() if since is None or parse_time(c["updated_at"]) >= since]
            if query.get("sort") == "updated":
                found.sort(key=lambda c: (c["updated_at"], c["id"]), reverse=query.get("direction") == "desc")
            else:
                found.sort(key=lambda c: c["id"], reverse=query.get("direction") == "desc")
            return found

        key = ("comments", query.get("since"), query.get("sort"), query.get("direction"))
        return self._page("GET issues/comments", self._view(key, build), query, "/issues/comments")

    def list_activity(self, query: dict[str, str]) -> tuple:
        self.first_listing.setdefault("GET activity", self.seq)
        ref = query.get("ref")
        items = [item for item in self.activity if ref is None or item["ref"] == ref]
        if query.get("direction") != "asc":
            items.reverse()
        per_page = min(int(query.get("per_page", 30)), 100)
        start = int(base64.b64decode(query["after"]).decode().split(":")[1]) if query.get("after") else 0
        chunk = items[start: start + per_page]
        headers = {}
        if start + per_page < len(items):
            cursor = base64.b64encode(f"cursor:{start + per_page}".encode()).decode()
            following = urllib.parse.urlencode({**query, "after": cursor})
            headers["Link"] = f'<{API}{REPO_PATH}/activity?{following}>; rel="next"'
        return 200, headers, [{k: v for k, v in item.items() if not k.startswith("_")} for item in chunk]

    def permission(self, login: str) -> tuple:
        role = "admin" if login.lower() in self.maintainers else "write"
        return 200, {}, {"permission": role, "role_name": role, "user": {"login": login}}

    # ---- issue writes ----

    def _bot_marked(self, body: str, issue: int | None = None) -> bool:
        found = read_marker(body)
        if found is None:
            return False
        if issue is None:
            return any(read_marker(i["body"]) == found and i["user"]["login"] == BOT for i in self.issues.values())
        return any(
            read_marker(c["body"]) == found and c["user"]["login"] == BOT and c["issue_url"].endswith(f"/{issue}")
            for c in self.comments.values()
        )

    def create_issue(self, body: dict[str, Any]) -> tuple:
        self.writes.append(Write("POST issues", not self._bot_marked(body.get("body", ""))))
        number = max(self.issues, default=0) + 1
        issue = self.add_issue(number, body["title"], body.get("body", ""), BOT, list(body.get("labels", [])), self.now)
        return 201, {}, {k: v for k, v in issue.items() if not k.startswith("_")}

    def update_issue(self, number: int, body: dict[str, Any]) -> tuple:
        issue = self.issues.get(number)
        if issue is None:
            return 404, {}, {"message": "Not Found"}
        changed = any(issue.get(key) != value for key, value in body.items() if key in ("body", "state", "state_reason"))
        self.writes.append(Write("PATCH issues", changed))
        if changed:
            issue.update({key: value for key, value in body.items() if key in ("body", "state", "state_reason")})
            issue["closed_at"] = stamp(self.now) if issue["state"] == "closed" else None
            issue["updated_at"] = stamp(self.now)
            issue["_seq"] = self.bump()
        return 200, {}, {k: v for k, v in issue.items() if not k.startswith("_")}

    def create_comment(self, number: int, body: dict[str, Any]) -> tuple:
        if number not in self.issues:
            return 404, {}, {"message": "Not Found"}
        self.writes.append(Write("POST issues/comments", not self._bot_marked(body["body"], number)))
        comment = self.add_comment(number, BOT, body["body"], self.now)
        return 201, {}, {k: v for k, v in comment.items() if not k.startswith("_")}

    def update_comment(self, comment_id: int, body: dict[str, Any]) -> tuple:
        comment = self.comments.get(comment_id)
        if comment is None:
            return 404, {}, {"message": "Not Found"}
        changed = comment["body"] != body["body"]
        self.writes.append(Write("PATCH issues/comments", changed))
        if changed:
            comment.update(body=body["body"], updated_at=stamp(self.now), _seq=self.bump())
        return 200, {}, {k: v for k, v in comment.items() if not k.startswith("_")}

    def react(self, comment_id: int, body: dict[str, Any]) -> tuple:
        key = (comment_id, body["content"])
        self.writes.append(Write("POST issues/comments/reactions", key not in self.reactions))
        status = 200 if key in self.reactions else 201
        self.reactions.add(key)
        return status, {}, {"id": len(self.reactions), "content": body["content"], "user": {"login": BOT}}

    # ---- git data, in the study repository's object database ----

    def get_ref(self, branch: str) -> tuple:
        if branch != "main":
            return 404, {}, {"message": "Not Found"}
        return 200, {}, {"ref": "refs/heads/main", "object": {"sha": self.head, "type": "commit"}}

    def get_commit(self, sha: str) -> tuple:
        tree = git(self.repo, "rev-parse", f"{sha}^{{tree}}").strip()
        return 200, {}, {"sha": sha, "tree": {"sha": tree}}

    def get_blob(self, sha: str) -> tuple:
        data = subprocess.run(["git", "-C", str(self.repo), "cat-file", "blob", sha], capture_output=True, check=True).stdout
        return 200, {}, {"sha": sha, "encoding": "base64", "content": base64.b64encode(data).decode(), "size": len(data)}

    def get_contents(self, path: str, query: dict[str, str]) -> tuple:
        ref = query.get("ref", "main")
        ref = self.head if ref == "main" else ref
        done = subprocess.run(["git", "-C", str(self.repo), "show", f"{ref}:{path}"], capture_output=True, check=False)
        if done.returncode != 0:
            return 404, {}, {"message": "Not Found"}
        return 200, {}, {"type": "file", "path": path, "encoding": "base64",
                         "content": base64.b64encode(done.stdout).decode()}

    def create_blob(self, body: dict[str, Any]) -> tuple:
        self.writes.append(Write("POST git/blobs", True))
        content = body["content"].encode() if body.get("encoding", "utf-8") == "utf-8" else base64.b64decode(body["content"])
        sha = git(self.repo, "hash-object", "-w", "--stdin", data=content).strip()
        return 201, {}, {"sha": sha}

    def create_tree(self, body: dict[str, Any]) -> tuple:
        self.writes.append(Write("POST git/trees", True))
        index = self.repo / ".git" / "bench-api-index"
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            git(self.repo, "read-tree", body["base_tree"], env=env)
            for entry in body["tree"]:
                if entry.get("sha") is None:
                    git(self.repo, "update-index", "--force-remove", entry["path"], env=env)
                else:
                    git(self.repo, "update-index", "--add", "--cacheinfo",
                        f"{entry['mode']},{entry['sha']},{entry['path']}", env=env)
            tree = git(self.repo, "write-tree", env=env).strip()
        finally:
            index.unlink(missing_ok=True)
        return 201, {}, {"sha": tree}

    def create_commit(self, body: dict[str, Any]) -> tuple:
        when = f"@{int(self.now.timestamp())} +0000"
        env = {"GIT_AUTHOR_NAME": BOT, "GIT_AUTHOR_EMAIL": BOT_EMAIL, "GIT_AUTHOR_DATE": when,
               "GIT_COMMITTER_NAME": BOT, "GIT_COMMITTER_EMAIL": BOT_EMAIL, "GIT_COMMITTER_DATE": when}
        parents = [arg for parent in body.get("parents", []) for arg in ("-p", parent)]
        sha = git(self.repo, "commit-tree", body["tree"], *parents, "-m", body["message"], env=env).strip()
        empty = bool(body.get("parents")) and all(
            git(self.repo, "rev-parse", f"{parent}^{{tree}}").strip() == body["tree"] for parent in body["parents"]
        )
        self.writes.append(Write("POST git/commits", not empty))
        return 201, {}, {"sha": sha, "tree": {"sha": body["tree"]}}

    def update_ref(self, branch: str, body: dict[str, Any]) -> tuple:
        new = body["sha"]
        forward = subprocess.run(["git", "-C", str(self.repo), "merge-base", "--is-ancestor", self.head, new],
                                 check=False).returncode == 0
        if branch != "main" or (not forward and not body.get("force")):
            self.writes.append(Write("PATCH git/refs", False))
            return 422, {}, {"message": "Update is not a fast forward"}
        self.writes.append(Write("PATCH git/refs", new != self.head))
        if new != self.head:
            self.add_push(self.head, new, BOT, self.now)
            self.head = new
        return 200, {}, {"ref": "refs/heads/main", "object": {"sha": new, "type": "commit"}}


# ---------------------------------------------------------------- the synthetic study on GitHub


@dataclass
class Study:
    size: str
    repo: Path
    config: StudyConfig
    plan: Any
    github: FakeGitHub
    commits: int


def build_study(size: str, root: Path) -> Study:
    members_n, weeks, commits = generator.SIZES[size]
    scenario = SCENARIO[size]
    rng = random.Random(generator.SEED)
    members = generator.make_members(members_n)
    plan = generator.plan_history(members, weeks, commits, rng)
    repo = root / "study"
    repo.mkdir()
    generator.write_history(repo, plan, rng)
    # As the seed study: commits count when they reach the branch (server time, from activity).
    config_text = generator.config_text(members, weeks).replace("timing: authored", "timing: landed")
    config = parse_config(config_text)

    head = git(repo, "rev-parse", "HEAD").strip()
    github = FakeGitHub(repo=repo, head=head, maintainers=frozenset(
        m.github.lower() for m in config.members if m.maintainer and m.github))
    rng = random.Random(generator.SEED + 1)

    # Pushes: the history in contiguous groups, each pushed a little after its last commit.
    log_lines = git(repo, "log", "--reverse", "--first-parent", "--format=%H %at %ae", "main").split("\n")
    history = [(sha, int(at), email.split("@")[0]) for sha, at, email in (line.split() for line in log_lines if line)]
    groups = min(scenario["activity"], len(history))
    cuts = sorted(rng.sample(range(1, len(history)), groups - 1)) if groups > 1 else []
    before, last_at, start = "0" * 40, 0, 0
    for end in [*cuts, len(history)]:
        sha, at, login = history[end - 1]
        pushed = max(last_at, at + rng.randint(5, 900))
        github.add_push(before, sha, login, dt.datetime.fromtimestamp(pushed, UTC),
                        "branch_creation" if start == 0 else "push")
        before, last_at, start = sha, pushed, end

    # The week issues a former install of the bot opened (the ledger is what got lost); all are
    # closed except the last week's.
    title = config.qna.title
    for week in range(1, weeks + 1):
        due = generator.deadline(week).astimezone(UTC)
        opened = due - generator.WEEK
        closed = None if week == weeks else due
        body = f"{marker(week, Kind.ISSUE)}\n{week}주차 Q&A입니다. 질문은 댓글로 남겨 주세요."
        github.add_issue(week, title.format(week=week), body, BOT, list(config.qna.labels), opened,
                         "closed" if closed else "open", closed)
    # Open questions (label `question`) that the deadline's closing step closes.
    span = (generator.deadline(1) - generator.WEEK, generator.deadline(weeks))
    for number in range(weeks + 1, weeks + 1 + scenario["questions"]):
        asker = rng.choice(members)
        opened = span[0] + (span[1] - span[0]) * rng.random()
        github.add_issue(number, f"질문 {number}", "이 부분이 이해가 안 됩니다.", asker.login, ["question"], opened)

    # Comments on the week issues: links handed in, questions, a few edited afterwards.
    chatter = ["질문 있습니다. 이 부분은 어떻게 이해하면 될까요?", "감사합니다!", "저도 같은 부분이 궁금했어요.",
               "참고 자료 공유합니다 https://example.org/notes"]
    drafts = []
    for _ in range(scenario["comments"]):
        week = rng.randint(1, weeks)
        member = rng.choice(members)
        due = generator.deadline(week).astimezone(UTC)
        created = due - generator.WEEK + (generator.WEEK + generator.LATE_WINDOW) * rng.random()
        body = f"제출 {generator.make_url(member, week, rng)}" if rng.random() < 0.4 else rng.choice(chatter)
        updated = created + dt.timedelta(minutes=rng.randint(1, 120)) if rng.random() < 0.05 else None
        drafts.append((created, week, member.login, body, updated))
    for created, week, login, body, updated in sorted(drafts, key=lambda draft: draft[0]):
        github.add_comment(week, login, body, created.replace(microsecond=0),
                           updated.replace(microsecond=0) if updated else None)
    return Study(size, repo, config, plan, github, commits)


# ---------------------------------------------------------------- runs


@dataclass
class RunFigures:
    name: str
    seconds: float
    requests: dict[str, int]
    not_modified: dict[str, int]
    minimum: dict[str, int]
    wasted_writes: dict[str, int]
    commit: str | None
    operations: int
    label_listings: int  # of the GET issues: listings by label (the questions to close)
    replays: int = 0  # whole replays of the README and folder history (0: the ledger's was reused)

    def summary(self) -> dict[str, Any]:
        total = sum(self.requests.values())
        rate_limited = total - sum(self.not_modified.values())
        unavoidable = sum(self.minimum.values())
        return {
            "requests": dict(sorted(self.requests.items())),
            "of_which_issues_by_label": self.label_listings,
            "not_modified_304": dict(sorted(self.not_modified.items())),
            "total": total,
            "rate_limited": rate_limited,
            "minimum": dict(sorted(self.minimum.items())),
            "unavoidable": unavoidable,
            "ratio_total": round(total / unavoidable, 3),
            "ratio_rate_limited": round(rate_limited / unavoidable, 3),
            "wasted_writes": dict(sorted(self.wasted_writes.items())),
            "operations": self.operations,
            "committed": self.commit is not None,
            "seconds": round(self.seconds, 2),
            "history_replays": self.replays,
        }


def run_once(study: Study, name: str, now: dt.datetime, previous: dict[str, int]) -> RunFigures:
    """One ``run_cycle`` through a fresh gateway (a fresh process on Actions), then the checkout."""
    github = study.github
    github.start_run(now)
    started = github.seq
    gateway = GitHubGateway(TOKEN, f"{OWNER}/{NAME}", API, sleep=lambda seconds: None)
    replays = []
    replay_history = decide.replay_history

    def counted_replay(*args: Any, **kwargs: Any) -> Any:
        result = replay_history(*args, **kwargs)
        replays.append(result[3])  # whether the whole history was replayed
        return result

    began = time.perf_counter()
    try:
        decide.replay_history = counted_replay
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            github.install(mock)
            outcome = run_cycle(study.config, gateway, study.repo, now, Job(branch="main"))
    finally:
        decide.replay_history = replay_history
    seconds = time.perf_counter() - began
    log(f"{name}: {sum(gateway.request_count().values())} requests, "
        f"{'a commit' if outcome.commit else 'no commit'}, {seconds:.2f} s")

    counted = dict(gateway.request_count())
    if sum(github.requests.values()) != sum(counted.values()):
        raise SystemExit(f"the gateway counted {counted}, the fake served {dict(github.requests)}")
    # Unavoidable: the pages that what changed since the previous run's listing fills (what
    # changed during this run, the bot's own writes included, is new for the next run) ...
    minimum: dict[str, int] = {}
    for label in LISTINGS:
        listed = github.first_listing.get(label, started)
        new = github.new_items(label, previous.get(label, 0), listed)
        minimum[f"{label} pages"] = max(1, math.ceil(new / PAGE))
        previous[label] = listed
    # ... and the writes that changed something.
    for write in github.writes:
        if write.effective:
            minimum[write.label] = minimum.get(write.label, 0) + 1
    wasted = Counter(write.label for write in github.writes if not write.effective)
    not_modified = dict(github.not_modified)

    # Check out what the bot committed, as actions/checkout does on the next run.
    if github.head != git(study.repo, "rev-parse", "HEAD").strip():
        git(study.repo, "update-ref", "refs/heads/main", github.head)
        git(study.repo, "reset", "--quiet", "--hard", "main")
    return RunFigures(name, seconds, counted, not_modified, minimum, dict(wasted), outcome.commit,
                      len(outcome.operations), github.by_label, sum(replays))


def check_world(study: Study) -> list[str]:
    """What a correct cold run leaves on GitHub; returns the problems found."""
    problems = []
    weeks = study.config.schedule.weeks
    bot = [c for c in study.github.comments.values() if c["user"]["login"] == BOT]
    markers = Counter(read_marker(c["body"]) for c in bot)
    placed = Counter((c["issue_url"], read_marker(c["body"])) for c in bot)
    duplicates = [found for (_, found), n in placed.items() if n > 1]
    if duplicates:
        problems.append(f"the same bot comment twice on an issue: {duplicates[:3]}")
    for week in range(1, weeks + 1):
        if markers[marker(week, Kind.RESULTS)] != 1:
            problems.append(f"week {week} has {markers[marker(week, Kind.RESULTS)]} results comments")
    if markers[marker(weeks, Kind.SETTLEMENT)] != 1:
        problems.append("no settlement statement on the last week's issue")
    still_open = [n for n, issue in study.github.issues.items() if issue["state"] == "open"]
    if still_open:
        problems.append(f"issues still open: {still_open[:5]}")
    ledger = git(study.repo, "show", "HEAD:.studybot/ledger.json")
    if len(json.loads(ledger).get("sync", {}).get("issues", {})) != weeks:
        problems.append("the ledger does not know every week's issue")
    return problems


def bench(size: str, keep: Path | None) -> dict[str, Any]:
    members_n, weeks, commits = generator.SIZES[size]
    scenario = SCENARIO[size]
    temporary = None
    if keep is not None:
        root = keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
        if any(root.iterdir()):
            raise SystemExit(f"--keep {root}: the directory is not empty")
    else:
        temporary = tempfile.TemporaryDirectory(prefix="studybot-bench-api-")
        root = Path(temporary.name)
    try:
        log(f"size {size}: {members_n} members x {weeks} weeks, {commits} commits, "
            f"{scenario['comments']:,} comments, {scenario['activity']:,} pushes in {root}")
        began = time.perf_counter()
        study = build_study(size, root)
        log(f"generated in {time.perf_counter() - began:.2f} s")

        previous: dict[str, int] = {}
        cold_at = study.plan.now.astimezone(UTC)  # the study has ended: every week is final
        hour = dt.timedelta(hours=1)
        cold = run_once(study, "cold", cold_at, previous)
        problems = check_world(study)
        quiet = run_once(study, "quiet", cold_at + hour, previous)
        # One member hands in a link on the last week's issue (after its late window).
        poster = study.config.members[-1].github or "member"
        study.github.add_comment(weeks, poster, f"제출 https://velog.io/@{poster}/week-{weeks}",
                                 (cold_at + 1.5 * hour).replace(microsecond=0))
        one = run_once(study, "one_comment", cold_at + 2 * hour, previous)
        later = run_once(study, "quiet_later", cold_at + 3 * hour, previous)
        for run in (quiet, later):
            if run.commit is not None:
                problems.append(f"the {run.name} run committed although nothing happened")
        if one.commit is None:
            problems.append("the run after one new comment did not record it")
        for problem in problems:
            log(f"problem: {problem}")

        runs = {run.name: run.summary() for run in (cold, quiet, one, later)}
        worst = max(figures["rate_limited"] for figures in runs.values())
        figures = {
            "bench": "api",
            "size": size,
            "members": members_n,
            "weeks": weeks,
            "commits": commits,
            "comments": scenario["comments"],
            "pushes": scenario["activity"],
            "questions": scenario["questions"],
            "runs": runs,
            # Run hourly, each run falls in an hour of its own: the cold run is the worst hour.
            "per_hour_if_hourly": {"worst": worst, "steady": runs["quiet_later"]["rate_limited"],
                                   "limit": PER_HOUR_LIMIT},
            "targets_met": {
                "cold_total_le_1.25x": runs["cold"]["ratio_total"] <= 1.25,
                "cold_rate_limited_le_1.25x": runs["cold"]["ratio_rate_limited"] <= 1.25,
                "quiet_rate_limited_le_3": runs["quiet"]["rate_limited"] <= 3,
                "quiet_later_rate_limited_le_3": runs["quiet_later"]["rate_limited"] <= 3,
                "hourly_le_1000": worst <= PER_HOUR_LIMIT,
            },
            "checks_ok": not problems,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
        return figures
    finally:
        if temporary is not None:
            temporary.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("S", "L", "both"), default="both", help="S, L or both (default)")
    parser.add_argument("--keep", metavar="DIR", help="build the study here and keep it (one size only)")
    arguments = parser.parse_args(argv)
    sizes = ["S", "L"] if arguments.size == "both" else [arguments.size]
    if arguments.keep and len(sizes) > 1:
        parser.error("--keep needs --size S or --size L")
    for size in sizes:
        print(json.dumps(bench(size, Path(arguments.keep) if arguments.keep else None), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
