"""Random faults under the real GitHubGateway: a small GitHub REST API in process, with failures.

:class:`GitHubAPI` keeps a repository's issues, comments, reactions, collaborators, activity and
Git objects in dicts and answers PyGithub's requests through ``responses`` callbacks, with the
bodies of ``github_samples`` (which ``test_openapi`` checks against GitHub's OpenAPI
description). A seeded :class:`Faults` injector fails a share of the requests the ways GitHub
and the network fail — 5xx (sometimes as an HTML page), secondary rate limits, 429s, connect
and read timeouts, Git-data 409s, answers lost after GitHub applied the request — and moves
the branch (a member's push) before some ref updates. The properties:

* a README + ledger commit lands whole or not at all, and never loses a member's push;
* every failure reaches the caller as ``GatewayError`` / ``RefMoved`` (the runner: ``RunError``);
* re-running the runner's issue and comment steps converges with no duplicate.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable
from typing import Any, ClassVar

import github_samples as gh
import pytest
import requests
import responses
from helpers import SEED_CONFIG, decide_on, started

from studybot.core.decide import Plan
from studybot.core.evidence import Evidence
from studybot.core.markers import Kind, marker, read_marker
from studybot.core.messages import messages_for
from studybot.core.plan import CommitFiles
from studybot.core.records import FileChange
from studybot.core.regions import replace_region
from studybot.core.report import build_report
from studybot.core.schedule import build_schedule
from studybot.core.state import State, dump_state, load_state
from studybot.core.world import GitRecords, World
from studybot.shell.apply import apply_plan
from studybot.shell.configfile import load_config
from studybot.shell.github import GitHubGateway
from studybot.shell.read import read_github
from studybot.shell.remote import GatewayError, RefMoved
from studybot.shell.runner import RunError, apply_with_retry

UTC = dt.UTC
TOKEN = "ghs_faultsTOKEN0123456789"
PREFIX = "/repos/o/r"
BOT = "github-actions[bot]"
ZERO = "0" * 40
README = "README.md"
LEDGER = ".studybot/ledger.json"


def _sha(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _since(query: dict[str, str]) -> str | None:
    value = query.get("since")
    return None if value is None else _stamp(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))


class Answer(Exception):
    """An HTTP answer other than success, raised by a handler."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


@dataclasses.dataclass
class Request:
    method: str
    path: str  # below /repos/o/r
    query: dict[str, str]
    body: Any
    url: str


# ---- the API -----------------------------------------------------------------------------------


class GitHubAPI:
    """The parts of GitHub's REST API studybot uses, for repository ``o/r``, in memory."""

    def __init__(self, files: dict[str, str], *, bot: str = BOT, roles: dict[str, str] | None = None,
                 now: dt.datetime = dt.datetime(2022, 5, 10, 3, 0, tzinfo=UTC)):
        self.now = now
        self.bot = gh.user(bot, 41898282)
        self.roles = dict(roles or {})
        self.issues: dict[int, dict[str, Any]] = {}
        self.comments: dict[int, dict[str, Any]] = {}
        self.reactions: dict[tuple[int, str, str], dict[str, Any]] = {}
        self.activity: list[dict[str, Any]] = []
        self.rules: list[dict[str, Any]] = [gh.path_restriction("config/**", ".studybot/**", ".github/workflows/**")]
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, dict[str, str]] = {}
        self.commits: dict[str, dict[str, Any]] = {}
        self.head = self._commit(self._tree(files), [], "Initial commit", "SEOJIN-Lab")
        self.command_ids: tuple[int, ...] = ()
        self.log: list[tuple[str, int, Any]] = []  # (operationId, status, body) of every answer
        self.applied: Counter[str] = Counter()  # writes GitHub carried out, by operationId
        self._next_id = 100

    # ---- state helpers ----

    def tick(self) -> str:
        self.now += dt.timedelta(seconds=1)
        return _stamp(self.now)

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _blob(self, text: str) -> str:
        data = text.encode("utf-8")
        sha = _sha("blob", text)
        self.blobs[sha] = data
        return sha

    def _tree(self, files: dict[str, str]) -> str:
        entries = {path: self._blob(text) for path, text in files.items()}
        sha = _sha("tree", entries)
        self.trees[sha] = entries
        return sha

    def _commit(self, tree: str, parents: list[str], message: str, author: str) -> str:
        date = self.tick()  # a commit carries its date, so the same content twice is two commits
        sha = _sha("commit", tree, parents, message, date)
        self.commits[sha] = {"tree": tree, "parents": parents, "message": message, "date": date, "author": author}
        return sha

    def files_at(self, sha: str) -> dict[str, str]:
        return {path: self.blobs[blob].decode("utf-8") for path, blob in self.trees[self.commits[sha]["tree"]].items()}

    def ancestors(self, sha: str) -> list[str]:
        seen, stack = [], [sha]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.append(current)
                stack.extend(self.commits[current]["parents"])
        return seen

    def push(self, actor: str, change: Callable[[dict[str, str]], dict[str, str]]) -> str:
        """A member's push on main (what happens between the bot's reads and writes)."""
        before = self.head
        self.head = self._commit(self._tree(change(self.files_at(before))), [before], "member edit", actor)
        self.activity.append(gh.activity(self.new_id(), before=before, after=self.head, timestamp=_stamp(self.now),
                                         actor=gh.user(actor)))
        return self.head

    def seed_issue(self, title: str, body: str, labels: tuple[str, ...], author: str) -> int:
        number = len(self.issues) + 1
        self.issues[number] = gh.issue(number, title=title, body=body, labels=labels, author=gh.user(author),
                                       created_at=self.tick())
        return number

    def seed_comment(self, issue: int, body: str, author: str) -> int:
        comment_id = self.new_id()
        self.comments[comment_id] = gh.issue_comment(comment_id, issue, body=body, author=gh.user(author),
                                                     created_at=self.tick())
        return comment_id

    # ---- HTTP ----

    ROUTES: ClassVar[list[tuple[str, str, str]]] = [
        ("GET", r"", "repos/get"),
        ("GET", r"/issues", "issues/list-for-repo"),
        ("POST", r"/issues", "issues/create"),
        ("PATCH", r"/issues/(\d+)", "issues/update"),
        ("GET", r"/issues/comments", "issues/list-comments-for-repo"),
        ("POST", r"/issues/(\d+)/comments", "issues/create-comment"),
        ("PATCH", r"/issues/comments/(\d+)", "issues/update-comment"),
        ("POST", r"/issues/comments/(\d+)/reactions", "reactions/create-for-issue-comment"),
        ("GET", r"/collaborators/([^/]+)/permission", "repos/get-collaborator-permission-level"),
        ("GET", r"/rules/branches/(.+)", "repos/get-branch-rules"),
        ("GET", r"/activity", "repos/list-activities"),
        ("GET", r"/git/ref/(.+)", "git/get-ref"),
        ("PATCH", r"/git/refs/(.+)", "git/update-ref"),
        ("GET", r"/git/commits/([0-9a-f]{40})", "git/get-commit"),
        ("POST", r"/git/commits", "git/create-commit"),
        ("POST", r"/git/blobs", "git/create-blob"),
        ("GET", r"/git/blobs/([0-9a-f]{40})", "git/get-blob"),
        ("POST", r"/git/trees", "git/create-tree"),
        ("GET", r"/contents/(.+)", "repos/get-content"),
    ]

    def route(self, method: str, path: str) -> tuple[str, tuple[str, ...]]:
        for verb, pattern, operation in self.ROUTES:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return operation, match.groups()
        raise AssertionError(f"the gateway called an endpoint the fake does not know: {method} {path}")

    def parse(self, prepared: requests.PreparedRequest) -> Request:
        url = urllib.parse.urlsplit(prepared.url)
        assert url.hostname == "api.github.com", prepared.url
        path = urllib.parse.unquote(url.path)
        assert path == PREFIX or path.startswith(PREFIX + "/"), prepared.url
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        body = json.loads(prepared.body) if prepared.body else None
        assert prepared.headers.get("Authorization") == f"token {TOKEN}"
        return Request(prepared.method or "GET", path[len(PREFIX):], query, body, prepared.url)

    def handle(self, operation: str, args: tuple[str, ...], request: Request) -> tuple[int, Any, dict[str, str]]:
        """Carry out one request on the state; the answer as (status, body, headers)."""
        try:
            status, body, headers = getattr(self, "op_" + operation.replace("/", "_").replace("-", "_"))(request, *args)
        except Answer as answer:
            status, body, headers = answer.status, answer.body, answer.headers
        if request.method != "GET" and status < 300:
            self.applied[operation] += 1
        self.log.append((operation, status, body))
        return status, body, headers

    def _page(self, request: Request, items: list[dict[str, Any]]) -> tuple[int, Any, dict[str, str]]:
        per_page = min(int(request.query.get("per_page", 30)), 100)
        page = int(request.query.get("page", 1))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if len(items) > page * per_page:
            query = urllib.parse.urlencode({**request.query, "page": page + 1})
            headers["Link"] = f'<{gh.API}{PREFIX}{request.path}?{query}>; rel="next"'
        return 200, chunk, headers

    # ---- operations ----

    def op_repos_get(self, request: Request):
        return 200, gh.repository(), {}

    def op_issues_list_for_repo(self, request: Request):
        assert request.query.get("state") == "all"
        since, wanted = _since(request.query), set(filter(None, request.query.get("labels", "").split(",")))
        items = [
            issue for issue in self.issues.values()
            if (since is None or issue["updated_at"] >= since)
            and wanted <= {label["name"] for label in issue["labels"]}
        ]
        items.sort(key=lambda issue: (issue["updated_at"], issue["number"]))
        return self._page(request, items)

    def op_issues_create(self, request: Request):
        number = len(self.issues) + 1
        body = request.body
        self.issues[number] = gh.issue(number, title=body["title"], body=body.get("body"), labels=tuple(body.get("labels", ())),
                                       author=self.bot, created_at=self.tick())
        return 201, self.issues[number], {}

    def op_issues_update(self, request: Request, number: str):
        issue = self.issues.get(int(number))
        if issue is None:
            raise Answer(404, gh.error("Not Found", 404))
        changes = request.body
        issue.update({key: changes[key] for key in ("body", "state", "state_reason") if key in changes})
        if changes.get("state") == "closed" and issue["closed_at"] is None:
            issue["closed_at"] = _stamp(self.now)
        issue["updated_at"] = self.tick()
        return 200, issue, {}

    def op_issues_list_comments_for_repo(self, request: Request):
        since = _since(request.query)
        items = [c for c in self.comments.values() if since is None or c["updated_at"] >= since]
        items.sort(key=lambda comment: (comment["updated_at"], comment["id"]))
        return self._page(request, items)

    def op_issues_create_comment(self, request: Request, number: str):
        if int(number) not in self.issues:
            raise Answer(404, gh.error("Not Found", 404))
        comment_id = self.new_id()
        self.comments[comment_id] = gh.issue_comment(comment_id, int(number), body=request.body["body"], author=self.bot,
                                                     created_at=self.tick())
        self.issues[int(number)]["comments"] += 1
        return 201, self.comments[comment_id], {}

    def op_issues_update_comment(self, request: Request, comment_id: str):
        comment = self.comments.get(int(comment_id))
        if comment is None:
            raise Answer(404, gh.error("Not Found", 404))
        comment["body"] = request.body["body"]
        comment["updated_at"] = self.tick()
        return 200, comment, {}

    def op_reactions_create_for_issue_comment(self, request: Request, comment_id: str):
        if int(comment_id) not in self.comments:
            raise Answer(404, gh.error("Not Found", 404))
        key = (int(comment_id), self.bot["login"], request.body["content"])
        if key in self.reactions:
            return 200, self.reactions[key], {}  # GitHub answers an existing reaction with itself
        self.reactions[key] = gh.reaction(self.new_id(), request.body["content"], author=self.bot, created_at=self.tick())
        return 201, self.reactions[key], {}

    def op_repos_get_collaborator_permission_level(self, request: Request, login: str):
        role = self.roles.get(login)
        if role is None:
            raise Answer(404, gh.error("Not Found", 404))
        return 200, gh.collaborator_permission(login, role), {}

    def op_repos_get_branch_rules(self, request: Request, branch: str):
        return self._page(request, self.rules if branch == "main" else [])

    def op_repos_list_activities(self, request: Request):
        items = [item for item in self.activity if item["ref"] == request.query.get("ref")]
        return 200, items, {}  # no pushes yet: []

    def op_git_get_ref(self, request: Request, ref: str):
        if ref != "heads/main":
            raise Answer(404, gh.error("Not Found", 404))
        return 200, gh.git_ref("refs/heads/main", self.head), {}

    def op_git_update_ref(self, request: Request, ref: str):
        assert ref == "heads/main" and request.body.get("force") is False, "the bot must never force"
        new = request.body["sha"]
        if new not in self.commits:
            raise Answer(422, gh.validation_error("Object does not exist"))
        if self.head not in self.ancestors(new):
            raise Answer(422, gh.validation_error("Update is not a fast forward"))
        before, self.head = self.head, new
        if before != new:
            self.activity.append(gh.activity(self.new_id(), before=before, after=new, timestamp=_stamp(self.now),
                                             actor=self.bot))
        return 200, gh.git_ref("refs/heads/main", new), {}

    def op_git_get_commit(self, request: Request, sha: str):
        commit = self.commits.get(sha)
        if commit is None:
            raise Answer(404, gh.error("Not Found", 404))
        return 200, self._commit_json(sha), {}

    def _commit_json(self, sha: str) -> dict[str, Any]:
        commit = self.commits[sha]
        return gh.git_commit(sha, tree=commit["tree"], parents=commit["parents"], message=commit["message"],
                             date=commit["date"], author=commit["author"])

    def op_git_create_commit(self, request: Request):
        body = request.body
        if body["tree"] not in self.trees or any(parent not in self.commits for parent in body["parents"]):
            raise Answer(422, gh.validation_error("Tree SHA does not exist"))
        sha = self._commit(body["tree"], list(body["parents"]), body["message"], self.bot["login"])
        return 201, self._commit_json(sha), {}

    def op_git_create_blob(self, request: Request):
        body = request.body
        content = body["content"]
        text = content if body.get("encoding", "utf-8") == "utf-8" else base64.b64decode(content).decode()
        return 201, gh.short_blob(self._blob(text)), {}

    def op_git_get_blob(self, request: Request, sha: str):
        if sha not in self.blobs:
            raise Answer(404, gh.error("Not Found", 404))
        return 200, gh.blob(sha, self.blobs[sha]), {}

    def op_git_create_tree(self, request: Request):
        body = request.body
        entries = dict(self.trees[body["base_tree"]]) if body.get("base_tree") else {}
        for entry in body["tree"]:
            assert entry["mode"] == "100644" and entry["type"] == "blob"
            if entry["sha"] is None:
                entries.pop(entry["path"], None)
            elif entry["sha"] in self.blobs:
                entries[entry["path"]] = entry["sha"]
            else:
                raise Answer(422, gh.validation_error("Invalid tree info", field="tree.sha"))
        sha = _sha("tree", entries)
        self.trees[sha] = entries
        return 201, gh.git_tree(sha, entries), {}

    def op_repos_get_content(self, request: Request, path: str):
        ref = request.query.get("ref", "main")
        commit = self.head if ref in ("main", "heads/main", "refs/heads/main") else ref
        if commit not in self.commits:
            raise Answer(404, gh.error("No commit found for the ref " + ref, 404))
        blob_sha = self.trees[self.commits[commit]["tree"]].get(path)
        if blob_sha is None:
            raise Answer(404, gh.error("Not Found", 404))
        return 200, gh.content_file(path, self.blobs[blob_sha], blob_sha, ref=ref), {}


# ---- faults ------------------------------------------------------------------------------------

HTML_502 = "<html><body><h1>502 Bad Gateway</h1>Unicorn! That page is taking way too long to load.</body></html>"

# Failures before GitHub applied anything (the gateway may always retry these) …
BEFORE = ("500", "502", "502-html", "503", "secondary-403", "429", "connect-timeout", "read-timeout")
# … and after: GitHub applied the request, then the answer was lost.
AFTER = ("read-timeout-after", "502-after")
GIT_ONLY = ("409",)


class Faults:
    """Seeded random faults around every request, and members' pushes before ref updates."""

    def __init__(self, api: GitHubAPI, seed: int, rate: float = 0.2, push_rate: float = 0.0,
                 push: Callable[[GitHubAPI, int], None] | None = None, plan: dict[tuple[str, int], str] | None = None):
        self.api = api
        self.rng = random.Random(seed)
        self.rate = rate
        self.push_rate = push_rate
        self._push = push
        self.plan = dict(plan or {})  # (operationId, nth call) -> fault; a scripted run has no random faults
        self.calls: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.pushes = 0

    def install(self, mock: responses.RequestsMock) -> None:
        for method in ("GET", "POST", "PATCH"):
            mock.add_callback(method, re.compile(r"https://api\.github\.com:443/.*"), callback=self)

    def choose(self, operation: str) -> str | None:
        self.calls[operation] += 1
        scripted = self.plan.get((operation, self.calls[operation]))
        if scripted is not None or self.plan:
            return scripted
        if self.rng.random() >= self.rate:
            return None
        kinds = BEFORE + AFTER + (GIT_ONLY if operation.startswith("git/") else ())
        return self.rng.choice(kinds)

    def __call__(self, prepared: requests.PreparedRequest) -> Any:
        api = self.api
        request = api.parse(prepared)
        operation, args = api.route(request.method, request.path)
        fault = self.choose(operation)
        if operation == "git/update-ref" and self._push and self.rng.random() < self.push_rate:
            self.pushes += 1
            self._push(api, self.pushes)
        if fault is not None:
            self.injected[fault] += 1
        if fault in AFTER:
            api.handle(operation, args, request)  # applied; the answer never arrives
            if fault == "502-after":
                return 502, {"Content-Type": "text/html"}, HTML_502
            return requests.exceptions.ReadTimeout("read timed out")
        if fault is not None:
            return self._failure(fault)
        status, body, headers = api.handle(operation, args, request)
        reset = str(int(dt.datetime(2030, 1, 1, tzinfo=UTC).timestamp()))
        return status, {**headers, "Content-Type": "application/json; charset=utf-8", "x-ratelimit-limit": "1000",
                        "x-ratelimit-remaining": "900", "x-ratelimit-reset": reset}, json.dumps(body)

    @staticmethod
    def _failure(fault: str) -> Any:
        json_type = {"Content-Type": "application/json; charset=utf-8"}
        if fault == "connect-timeout":
            return requests.exceptions.ConnectTimeout("connect timed out")
        if fault == "read-timeout":
            return requests.exceptions.ReadTimeout("read timed out")
        if fault == "502-html":
            return 502, {"Content-Type": "text/html"}, HTML_502
        if fault == "secondary-403":
            return 403, {**json_type, "Retry-After": "1"}, json.dumps(gh.error(gh.SECONDARY_RATE_LIMIT, 403))
        if fault == "429":
            return 429, json_type, json.dumps(gh.error("Too Many Requests", 429))
        if fault == "409":
            return 409, json_type, json.dumps(gh.error("Git Repository is busy, try again later", 409))
        status = int(fault)
        message = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}[status]
        return status, json_type, json.dumps(gh.error(message, status))


def gateway() -> GitHubGateway:
    return GitHubGateway(TOKEN, "o/r", sleep=lambda seconds: None)


# ---- (a) README + ledger commits ---------------------------------------------------------------

OLD_README = (
    "# Study\r\n\r\n|주차|과제|\r\n|---|---|\r\n|3주차|[장서진]()|\r\n\r\n"
    "<!-- studybot:fines:start -->\r\nold table\r\n<!-- studybot:fines:end -->\r\n"
)
OLD_LEDGER = dump_state(State(study="week 2"))
TABLE = "| 이름 | 3주차 |\n|---|---|\n| 장서진 | ✅ |"
NEW_LEDGER = dump_state(State(study="week 3"))


def member_push(api: GitHubAPI, n: int) -> None:
    """A member appends a line to the README outside the bot's region, or edits another file."""
    if n % 2:
        api.push("mijinkoo", lambda files: {**files, README: files[README] + f"member line {n}\r\n"})
    else:
        api.push("binable43", lambda files: {**files, f"notes/{n}.md": f"note {n}\n"})


def bot_landed(files: dict[str, str]) -> tuple[bool, bool]:
    return "✅" in files[README], files[LEDGER] == NEW_LEDGER


def check_history(api: GitHubAPI, start: str) -> None:
    """Every commit on main has the new README iff it has the new ledger; no member push is lost."""
    for sha in api.ancestors(api.head):
        readme_new, ledger_new = bot_landed(api.files_at(sha))
        assert readme_new == ledger_new, f"commit {sha[:8]} has only half of the bot's change"
    on_main = set(api.ancestors(api.head))
    lost = [sha for sha, commit in api.commits.items() if commit["message"] == "member edit" and sha not in on_main]
    assert not lost, f"{len(lost)} member push(es) lost"
    assert start in on_main, "the branch moved backwards"


def run_commit_seed(seed: int, tally: Counter[str]) -> None:
    api = GitHubAPI({README: OLD_README, LEDGER: OLD_LEDGER})
    start = api.head
    faults = Faults(api, seed, rate=0.2, push_rate=0.25, push=member_push)
    changes = [FileChange(README, replace_region(OLD_README, "fines", TABLE)), FileChange(LEDGER, NEW_LEDGER)]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        faults.install(mock)
        try:
            sha = gateway().commit_files("main", start, changes, "studybot: week 3")
        except (GatewayError, RefMoved) as error:
            outcome, sha = type(error).__name__, None
        else:
            outcome = "finished"
            assert sha in api.ancestors(api.head), "commit_files returned a commit that is not on main"
    landed = any(api.commits[c]["author"] == BOT and bot_landed(api.files_at(c))[0] for c in api.ancestors(api.head))
    check_history(api, start)
    if outcome == "finished":
        assert landed and api.files_at(sha)[LEDGER] == NEW_LEDGER
    tally[f"outcome {outcome}{' (landed)' if landed and outcome != 'finished' else ''}"] += 1
    tally["faults"] += sum(faults.injected.values())
    tally["pushes"] += faults.pushes
    tally.update(f"fault {kind}" for kind in faults.injected.elements())


@pytest.mark.slow
def test_commit_lands_whole_or_not_at_all_under_random_faults():
    """200 seeds of commit_files under 20% faults and pushes: README and ledger never land apart."""
    tally: Counter[str] = Counter()
    for seed in range(200):
        run_commit_seed(seed, tally)
    print("\ncommit_files:", dict(sorted(tally.items())))
    assert tally["faults"] > 200 and tally["pushes"] > 20
    assert tally["outcome finished"] > 50 and tally["outcome GatewayError"] > 0 and tally["outcome RefMoved"] > 0


def run_retry_seed(seed: int, tally: Counter[str]) -> None:
    """The runner's commit loop: on a moved branch re-read README and ledger, merge, decide again, retry."""
    api = GitHubAPI({README: OLD_README, LEDGER: OLD_LEDGER})
    start = api.head
    faults = Faults(api, 10_000 + seed, rate=0.15, push_rate=0.35, push=member_push)
    report = build_report(CONFIG, SCHEDULE, Evidence(), PHASES[0])

    def redecide(world: World, state: State) -> Plan:
        readme = replace_region(world.files[README] or "", "fines", TABLE)
        if readme == world.files[README] and world.ledger == NEW_LEDGER:
            return Plan(report, (), state)
        return Plan(report, (CommitFiles(README, readme, LEDGER, "studybot: week 3"),), state)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        faults.install(mock)
        gw = gateway()
        world = World({README: OLD_README}, OLD_LEDGER, GitRecords(start))
        try:
            apply_with_retry(
                gw, world, redecide(world, load_state(NEW_LEDGER)),
                branch="main", ledger_path=CONFIG.output.ledger, redecide=redecide,
            )
            outcome = "finished"
        except (GatewayError, RunError) as error:
            outcome = type(error).__name__
    check_history(api, start)
    final = api.files_at(api.head)
    if outcome == "finished":
        assert bot_landed(final) == (True, True)
    for n in range(1, faults.pushes + 1, 2):
        assert f"member line {n}\r\n" in final[README]
    tally[f"outcome {outcome}"] += 1
    tally["faults"] += sum(faults.injected.values())
    tally["pushes"] += faults.pushes


@pytest.mark.slow
def test_runner_commit_loop_keeps_member_pushes_under_random_faults():
    """100 seeds of the runner's re-read/re-render/retry loop: no half commit, no member push lost."""
    tally: Counter[str] = Counter()
    for seed in range(100):
        run_retry_seed(seed, tally)
    print("\napply_with_retry:", dict(sorted(tally.items())))
    assert tally["outcome finished"] > 50 and tally["pushes"] > 20


# ---- (b) issues and comments: the runner's steps, re-run until they converge ------------------

CONFIG = load_config(SEED_CONFIG)
SCHEDULE = build_schedule(CONFIG)
MESSAGES = messages_for(CONFIG.study.language)
WEEK3 = next(week for week in SCHEDULE.weeks if week.number == 3)
# Inside week 3's reminder window (issue + reminder), then after its late cut-off (closing
# note, close, results; week 4 opens).
PHASES = (WEEK3.deadline - dt.timedelta(hours=3), WEEK3.late_until + dt.timedelta(hours=1))


def run_once(api: GitHubAPI, ledger: State, now: dt.datetime, gw: GitHubGateway) -> State:
    """One run's GitHub part, as ``run_cycle`` does it: read, decide, apply (no git, no commit here)."""
    world = World({}, dump_state(ledger), GitRecords(api.head))
    world = dataclasses.replace(world, github=read_github(CONFIG, gw, world, world.request, branch="main"))
    plan = decide_on(CONFIG, SCHEDULE, world, ledger, now)
    while plan.reread is not None:
        world = dataclasses.replace(
            world, request=plan.reread, github=read_github(CONFIG, gw, world, plan.reread, branch="main")
        )
        plan = decide_on(CONFIG, SCHEDULE, world, ledger, now)
    writes = tuple(operation for operation in plan.operations if not isinstance(operation, CommitFiles))
    return apply_plan(writes, plan.state, gw, branch="main", parent=api.head).state


def converge(api: GitHubAPI, faults: Faults, tally: Counter[str], attempts: int = 40) -> State:
    """Run each phase until a run finishes; a failed run keeps nothing (its ledger is never committed)."""
    ledger = started()  # the leader has answered the setup issue
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        faults.install(mock)
        for now in PHASES:
            api.now = max(api.now, now)
            for _ in range(attempts):
                try:
                    ledger = run_once(api, ledger, now, gateway())
                except (GatewayError, RefMoved):
                    tally["runs failed cleanly"] += 1
                    continue
                tally["runs finished"] += 1
                break
            else:
                raise AssertionError(f"no run finished in {attempts} attempts")
    return ledger


def world(*, bot: str = BOT, commands: bool = True, question: bool = False) -> GitHubAPI:
    """The seed study's repository a day before week 3's deadline, with two commands waiting."""
    api = GitHubAPI({README: OLD_README}, bot=bot, roles={"SEOJIN-Lab": "admin", "mijinkoo": "write"})
    if commands:
        number = api.seed_issue("운영", "스터디 운영 이야기", (), "SEOJIN-Lab")
        api.command_ids = (
            api.seed_comment(number, "/studybot excuse @mijinkoo 3 병결", "SEOJIN-Lab"),
            api.seed_comment(number, "/studybot paid @mijinkoo 3000", "mijinkoo"),  # not a maintainer
        )
    if question:
        api.seed_issue("RNN 질문", "역전파가 궁금합니다", ("question",), "mijinkoo")
    return api


def duplicates(api: GitHubAPI) -> dict[str, int]:
    """Markers the bot wrote more than once: issues, and comments per issue."""
    counts: Counter[str] = Counter()
    for issue in api.issues.values():
        if issue["user"]["login"] == api.bot["login"] and (found := read_marker(issue["body"] or "")):
            counts[found] += 1
    for comment in api.comments.values():
        if comment["user"]["login"] == api.bot["login"] and (found := read_marker(comment["body"])):
            counts[f"{found} on #{comment['issue_url'].rsplit('/', 1)[1]}"] += 1
    return {key: count - 1 for key, count in counts.items() if count > 1}


def bot_markers(api: GitHubAPI) -> set[str]:
    items = [*api.issues.values(), *api.comments.values()]
    return {read_marker(item["body"] or "") for item in items if item["user"]["login"] == api.bot["login"]}  # type: ignore[misc]


WEEK_MARKERS = {
    marker(3, Kind.ISSUE), marker(4, Kind.ISSUE),
    *(marker(3, kind) for kind in (Kind.REMINDER, Kind.CLOSING, Kind.RESULTS)),
}


@pytest.mark.slow
def test_issue_and_comment_steps_converge_without_duplicates_under_random_faults():
    """200 seeds: every failure is a GatewayError, re-runs converge, nothing is posted twice."""
    tally: Counter[str] = Counter()
    for seed in range(200):
        api = world()
        faults = Faults(api, 20_000 + seed, rate=0.2)
        converge(api, faults, tally)
        tally["faults"] += sum(faults.injected.values())
        tally.update(f"fault {kind}" for kind in faults.injected.elements())
        tally["duplicates"] += sum(duplicates(api).values())
        excuse, paid = api.command_ids
        assert bot_markers(api) == WEEK_MARKERS | {marker(0, Kind.REPLY, excuse), marker(0, Kind.REPLY, paid)}
        week3 = next(i for i in api.issues.values() if read_marker(i["body"] or "") == marker(3, Kind.ISSUE))
        assert week3["state"] == "closed"
        # The refusal is its one reply; a run that retries after the reply landed reacts instead.
        assert (excuse, "+1") in (reactions := {(key[0], key[2]) for key in api.reactions})
        assert reactions <= {(excuse, "+1"), (paid, "confused")}
    print("\nissue/comment flows:", dict(sorted(tally.items())))
    assert tally["duplicates"] == 0
    assert tally["runs failed cleanly"] > 50 and tally["faults"] > 200


def test_question_issue_gets_one_closing_note_when_closing_it_fails_once():
    """The note lands, closing the question issue fails for good; the next run must not note it twice."""
    api = world(commands=False, question=True)
    # PATCH 1 closes week 3's issue; PATCHes 2-6 (the question issue) get 503s until the gateway gives up.
    faults = Faults(api, 0, plan={("issues/update", n): "503" for n in range(2, 7)})
    tally: Counter[str] = Counter()
    converge(api, faults, tally)
    assert tally["runs failed cleanly"] == 1 and api.issues[1]["state"] == "closed"
    assert duplicates(api) == {}


def test_issue_opened_with_a_personal_token_is_not_opened_twice():
    """A leader's token (the bot writes as SEOJIN-Lab): the first run opens the issue, then fails."""
    api = world(bot="SEOJIN-Lab", commands=False)
    faults = Faults(api, 0, plan={("issues/create-comment", n): "503" for n in range(1, 6)})  # the reminder
    tally: Counter[str] = Counter()
    converge(api, faults, tally)
    assert tally["runs failed cleanly"] == 1
    assert duplicates(api) == {}


# ---- a few scripted faults ---------------------------------------------------------------------


def test_lost_answer_to_a_comment_is_found_by_marker_next_run():
    """A results comment GitHub posted but whose answer timed out is edited next run, not posted again."""
    api = world(commands=False)
    faults = Faults(api, 0, plan={("issues/create-comment", 1): "read-timeout-after"})  # the reminder
    tally: Counter[str] = Counter()
    converge(api, faults, tally)
    assert tally["runs failed cleanly"] == 1
    assert faults.calls["issues/create-comment"] == 3  # the reminder once (found by marker), closing, results
    assert duplicates(api) == {} and len(api.comments) == 3


def test_commit_whose_ref_update_answer_was_lost_is_not_made_twice():
    """The branch moved to the bot's commit but the answer timed out: the retry finds it already there."""
    api = GitHubAPI({README: OLD_README, LEDGER: OLD_LEDGER})
    start = api.head
    faults = Faults(api, 0, plan={("git/update-ref", 1): "read-timeout-after"})
    changes = [FileChange(README, replace_region(OLD_README, "fines", TABLE)), FileChange(LEDGER, NEW_LEDGER)]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        faults.install(mock)
        sha = gateway().commit_files("main", start, changes, "studybot: week 3")
    assert api.head == sha and api.commits[sha]["parents"] == [start]
    assert faults.calls["git/update-ref"] == 2


def test_cut_off_json_answer_is_a_gateway_error():
    """A proxy that cuts a JSON error body short still ends the run with a sentence."""
    with responses.RequestsMock() as mock:
        mock.get("https://api.github.com:443/repos/o/r/issues", status=502, body='{"message": "Bad Gat')
        with pytest.raises(GatewayError):
            gateway().list_issues()
