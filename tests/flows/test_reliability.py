"""Reliability: repeated runs, runs that crash half-way and a branch that moves under the bot.

A run may come twice, stop at any write, or find that a member pushed while it worked; in
every case the study must end in the state an undisturbed bot would have left, with no
duplicate issue, comment, payment or commit and never a half-written README or ledger.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import kst
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.markers import read_marker
from studybot.core.records import IssueState, Permission
from studybot.core.regions import markers
from studybot.shell.demo import example_file, put_blog, put_link
from studybot.shell.git import Repository
from studybot.shell.remote import GatewayError, RefMoved
from studybot.shell.runner import RunError

# Whole terms replayed under injected faults: tens of seconds, so the default test command leaves
# them to CI (`-m "slow or not slow"`).
pytestmark = pytest.mark.slow

START = kst(2022, 4, 6, 9)
LEADER = "SEOJIN-Lab"
README = "README.md"
LEDGER = ".studybot/ledger.json"
REGIONS = ("fines", "rotation")
SHA = re.compile(r"[0-9a-f]{40}")

Event = Callable[[Study], object]
Step = tuple[dt.datetime, list[Event]]  # a run's instant and what members did before it


# ---- a short term, scripted -------------------------------------------------------------


def term_study(folder: Path, weeks: int) -> Study:
    """The example study cut to ``weeks`` graded weeks, its leader an admin of the repository."""
    text = example_file("study.yml").replace("weeks: 12", f"weeks: {weeks}")
    study = Study(folder, parse_config(text), example_file("README.md"), text, START)
    study.github.set_permission(LEADER, Permission.ADMIN)
    return study


def week_issue(study: Study, week: int) -> int:
    return next(number for number, issue in study.github.issues.items() if issue.title == f"[{week}주차] Q&A")


def push(member: str, week: int, url: str, at) -> Event:
    return lambda study: study.edit(member, at, lambda text: put_link(text, week, member, url))


def blog(member: str, week: int, url: str, at) -> Event:
    return lambda study: study.edit(member, at, lambda text: put_blog(text, week, url))


def comment(week: int, body: str, login: str, at) -> Event:
    return lambda study: study.github.add_comment(week_issue(study, week), body, login, at=at)


def question(at) -> Event:
    return lambda study: study.github.add_issue(
        "질문: 2주차 실습 환경", "도커가 안 떠요", author="mijinkoo", labels=("question",), created_at=at
    )


# Three graded weeks (due 04-13, 05-04 and 05-11; the mid-term break skips two Wednesdays).
TERM3: list[Step] = [
    (kst(2022, 4, 6, 10), []),
    (kst(2022, 4, 11, 12), [
        push("장서진", 1, "https://s.example/1", kst(2022, 4, 10, 21)),
        comment(1, "제출 https://eunbin.example/1", "binable43", kst(2022, 4, 11, 10)),
        question(kst(2022, 4, 11, 11)),
    ]),
    (kst(2022, 4, 12, 18, 5), []),
    (kst(2022, 4, 13, 0, 5), []),
    (kst(2022, 4, 13, 12, 5), [
        push("구미진", 1, "https://m.example/1", kst(2022, 4, 13, 9)),
        comment(1, "/studybot paid @mijinkoo 3000", LEADER, kst(2022, 4, 13, 10)),
    ]),
    (kst(2022, 4, 27, 1), [blog("이은빈", 1, "https://blog.example/1", kst(2022, 4, 14))]),
    (kst(2022, 5, 2, 12), [
        comment(2, "https://soo.example/2", "m0oon0", kst(2022, 4, 28)),
        comment(2, "/studybot excuse @shining-arrow 2 병결", LEADER, kst(2022, 4, 29)),
        push("장서진", 2, "https://s.example/2", kst(2022, 5, 2)),
    ]),
    (kst(2022, 5, 3, 18, 5), []),
    (kst(2022, 5, 4, 0, 5), []),
    (kst(2022, 5, 4, 12, 5), [push("이은빈", 2, "https://e.example/2", kst(2022, 5, 4, 8))]),
    (kst(2022, 5, 10, 18, 5), [comment(3, "제출: https://m.example/3", "mijinkoo", kst(2022, 5, 8))]),
    (kst(2022, 5, 11, 0, 5), []),
    (kst(2022, 5, 11, 12, 5), []),
    (kst(2022, 5, 12, 9), []),
]

# Two graded weeks with every kind of write (issues, reminders, closings, a question issue,
# results, an edited results comment, command replies and reactions, the settlement, commits)
# in six runs, so that replaying it once per crash point stays quick.
TERM2: list[Step] = [
    (kst(2022, 4, 6, 10), []),
    (kst(2022, 4, 12, 18, 5), [
        push("장서진", 1, "https://s.example/1", kst(2022, 4, 10, 21)),
        comment(1, "제출 https://eunbin.example/1", "binable43", kst(2022, 4, 11, 10)),
        question(kst(2022, 4, 11, 11)),
        comment(1, "/studybot paid @mijinkoo 3000", LEADER, kst(2022, 4, 12, 9)),
    ]),
    (kst(2022, 4, 13, 0, 5), []),
    (kst(2022, 4, 13, 12, 5), [
        push("구미진", 1, "https://m.example/1", kst(2022, 4, 13, 9)),
        comment(1, "/studybot excuse @shining-arrow 1 병결", LEADER, kst(2022, 4, 13, 10)),
    ]),
    (kst(2022, 5, 3, 18, 5), [
        blog("이은빈", 1, "https://blog.example/1", kst(2022, 4, 14)),
        push("장서진", 2, "https://s.example/2", kst(2022, 5, 2)),
    ]),
    # Cron missed the deadline: closing, results and the settlement all come in one late run.
    (kst(2022, 5, 4, 12, 5), [
        comment(2, "https://soo.example/2", "m0oon0", kst(2022, 5, 3, 20)),
        push("이은빈", 2, "https://e.example/2", kst(2022, 5, 4, 8)),
    ]),
]


def replay(study: Study, term: list[Step], repeats: int = 1) -> list[list[str]]:
    """Run the term, each step ``repeats`` times; return the writes each repeat added."""
    extra: list[list[str]] = []
    for at, events in term:
        for event in events:
            event(study)
        study.run(at)
        for _ in range(repeats - 1):
            before = study.writes()
            study.run(at)
            extra.append([op for op, _ in study.github.writes[before:]])
    return extra


# ---- what "the same final state" means ---------------------------------------------------


def final_state(study: Study) -> dict:
    """What members and the leader see: issues, the bot's comments by marker, README, ledger."""
    github = study.github
    titles = {number: issue.title for number, issue in github.issues.items()}
    bot_comments = sorted(
        (titles[c.issue_number], read_marker(c.body) or "", c.body)
        for c in github.comments.values()
        if c.author == github.bot
    )
    reactions = sorted(
        (github.comments[comment_id].body, tuple(sorted(contents)))
        for comment_id, contents in github.reactions.items()
    )
    ledger = json.loads(study.ledger())
    for frozen in ledger["decisions"]["weeks"].values():
        for item in frozen["members"].values():
            if item["ref"] and SHA.fullmatch(item["ref"]):
                item["ref"] = "<commit>"  # commit ids differ with the bot's own commits in between
    return {
        "issues": sorted((issue.title, issue.state.value) for issue in github.issues.values()),
        "bot_comments": bot_comments,
        "reactions": reactions,
        "readme": study.readme(),
        "weeks": ledger["decisions"]["weeks"],
        "overrides": ledger["decisions"]["overrides"],
    }


def fines(ledger_text: str) -> dict:
    weeks = json.loads(ledger_text)["decisions"]["weeks"]
    return {week: {name: (item["verdict"], item["fine"]) for name, item in frozen["members"].items()}
            for week, frozen in weeks.items()}


def assert_commits_whole(study: Study) -> None:
    """Every bot commit that changes the README carries the ledger, and leaves its regions whole."""
    github = study.github
    sent = {details["sha"]: details["changes"] for details in github.writes_of("commit_files")}
    for commit in github.commits:
        parent = github.commit(commit.parent).files
        readme = commit.files.get(README, "")
        if readme != parent.get(README):
            assert LEDGER in sent[commit.sha], f"README changed without the ledger in {commit.sha[:7]}"
        for region in REGIONS:
            start, end = markers(region)
            assert readme.count(start) == readme.count(end) <= 1, f"region {region} broken in {commit.sha[:7]}"
            if start in readme:
                assert readme.index(start) < readme.index(end)
        json.loads(commit.files[LEDGER])  # never a truncated ledger


def assert_no_duplicates(study: Study, weeks: int) -> None:
    github = study.github
    titles = Counter(issue.title for issue in github.issues.values() if issue.author == github.bot)
    assert titles == Counter(f"[{week}주차] Q&A" for week in range(1, weeks + 1))
    markers_per_issue = Counter(
        (c.issue_number, read_marker(c.body)) for c in github.comments.values() if c.author == github.bot
    )
    assert [key for key, count in markers_per_issue.items() if count > 1] == []
    ledger = json.loads(study.ledger())
    assert len({o["comment"] for o in ledger["decisions"]["overrides"]}) == len(ledger["decisions"]["overrides"])


# ---- 1. idempotency ------------------------------------------------------------------------


def test_running_every_step_five_times_leaves_what_one_run_leaves(tmp_path):
    """Cron firing five times at every step of a term leaves exactly what one run per step leaves."""
    once = term_study(tmp_path / "once", 3)
    replay(once, TERM3)
    five = term_study(tmp_path / "five", 3)
    extra = replay(five, TERM3, repeats=5)

    # No issue, comment, edit, reaction or commit on any repeat.
    assert extra == [[]] * (4 * len(TERM3))
    assert_no_duplicates(five, 3)
    assert final_state(five) == final_state(once)
    assert fines(five.ledger()) == fines(once.ledger())
    ledger = json.loads(five.ledger())
    assert [(o["kind"], o["member"], o["amount"]) for o in ledger["decisions"]["overrides"] if o["kind"] == "paid"] == [
        ("paid", "구미진", 3000)
    ]
    assert [(o["kind"], o["member"], o["week"]) for o in ledger["decisions"]["overrides"] if o["kind"] == "excuse"] == [
        ("excuse", "한현경", 2)
    ]
    assert_commits_whole(five)

    judged = fines(once.ledger())  # and the term itself went as a leader expects
    assert judged["1"]["장서진"] == judged["1"]["이은빈"] == ("on_time", 0)  # by push, by comment
    assert judged["1"]["구미진"] == ("late", 3000)
    assert judged["1"]["한현경"] == ("absent", 4000)
    assert judged["2"]["한현경"] == ("excused", 0)
    assert judged["2"]["이은빈"] == ("late", 3000)
    assert judged["3"]["구미진"] == ("on_time", 0)  # by comment
    assert len([c for c in once.github.comments.values() if "kind=settlement" in c.body]) == 1
    assert all(issue.state is IssueState.CLOSED for issue in once.github.issues.values())


def test_a_repeated_run_makes_no_commit(tmp_path):
    """Running again at the deadline or after a command reply commits nothing: no empty bot commits in the history."""
    study = term_study(tmp_path, 3)
    extra = replay(study, TERM3[:5], repeats=2)
    assert extra == [[]] * 5


# ---- 2. crash recovery ---------------------------------------------------------------------

CRASH_WEEKS = 2
_BASELINE: dict = {}


def baseline() -> dict:
    """The undisturbed run of TERM2: its writes and its final state (computed once)."""
    if not _BASELINE:
        with tempfile.TemporaryDirectory(prefix="studybot-baseline-") as folder:
            study = term_study(Path(folder), CRASH_WEEKS)
            replay(study, TERM2)
            github = study.github
            members_issues = {number for number, issue in github.issues.items() if issue.author != github.bot}
            _BASELINE.update(
                writes=[
                    (op, details.get("issue_number", details.get("number")) in members_issues)
                    for op, details in github.writes
                ],
                state=final_state(study),
            )
    return _BASELINE


def pytest_generate_tests(metafunc):
    if "crash_point" in metafunc.fixturenames:
        params = []
        for index, (op, _) in enumerate(baseline()["writes"]):
            for lost in (False, True):
                params.append(pytest.param(
                    (index, op, lost),
                    id=f"{index:02d}-{op}-{'answer-lost' if lost else 'not-written'}",
                ))
        metafunc.parametrize("crash_point", params)


class Outage(GatewayError):
    """GitHub failing for good in the middle of a run (after the gateway's own retries)."""


def crash_at(study: Study, index: int, op: str, lost: bool) -> dict:
    """Arrange for the ``index``-th write of the run to fail; return a record of whether it fired."""
    github = study.github
    original = getattr(github, op)
    fired = {"armed": False}

    def wrapper(*args, **kwargs):
        if not fired["armed"] and len(github.writes) == index:
            fired["armed"] = True
            github.fail_next(op, Outage(f"GitHub answered HTTP 502 during {op}", 502), after_apply=lost)
        return original(*args, **kwargs)

    setattr(github, op, wrapper)
    return fired


def test_a_run_that_crashes_at_any_write_converges_on_the_next_run(tmp_path, crash_point):
    """Whatever write a run dies at (done or not), the next run finishes the job: same issues, comments, README."""
    index, op, lost = crash_point
    expected = baseline()
    study = term_study(tmp_path, CRASH_WEEKS)
    fired = crash_at(study, index, op, lost)
    crashed = False
    for at, events in TERM2:
        for event in events:
            event(study)
        try:
            study.run(at)
        except Outage:
            crashed = True
            study.run(at)  # the next run (cron, or a re-run of the job) at the same instant
    assert fired["armed"] and crashed, "the crash point was never reached"
    assert_no_duplicates(study, CRASH_WEEKS)
    assert_commits_whole(study)
    assert final_state(study) == expected["state"]


# ---- 3. the branch moves under the bot ---------------------------------------------------------


def member_pushes_during_commit(study: Study, change: Callable[[str], str], who: str, times: int = 1) -> list[str]:
    """Make a member push ``change`` just before each of the bot's next ``times`` commit attempts."""
    github = study.github
    original = github.commit_files
    pushed: list[str] = []

    def racing(branch, parent, changes, message, **options):
        if len(pushed) < times:
            pushed.append(study.edit(who, github.now, change))
        return original(branch, parent, changes, message, **options)

    github.commit_files = racing
    return pushed


def outside_regions(text: str) -> str:
    for region in REGIONS:
        start, end = markers(region)
        if start in text:
            text = text[: text.index(start)] + text[text.index(end) + len(end):]
    return text


def test_a_refused_ref_update_is_retried_on_the_fresh_head(tmp_path):
    """When GitHub answers that the branch moved, the bot reads the head again and commits once."""
    study = term_study(tmp_path, 3)
    study.github.fail_next("commit_files", RefMoved("main no longer points at the parent"))
    outcome = study.run(kst(2022, 4, 6, 10))
    assert outcome.commit is not None and len(study.github.commits) == 1
    assert study.github.head() == outcome.commit
    assert all(start in study.readme() for start in (markers(region)[0] for region in REGIONS))
    assert study.ledger() is not None
    assert_commits_whole(study)


def test_a_commit_takes_the_parents_tree_from_the_checkout_and_a_retry_from_github(tmp_path):
    """The first attempt asks GitHub for no commit it already has checked out; after the branch moved, one read."""
    study = term_study(tmp_path, 3)
    outcome = study.run(kst(2022, 4, 6, 10))
    assert outcome.commit is not None and len(study.github.base_trees) == 1
    assert "GET git/commits" not in study.github.request_count()

    member_pushes_during_commit(study, lambda text: put_link(text, 1, "구미진", "https://m.example/race"), "구미진")
    study.edit("장서진", kst(2022, 4, 10, 21), lambda text: put_link(text, 1, "장서진", "https://s.example/1"))
    outcome = study.run(kst(2022, 4, 11, 12))
    assert outcome.commit is not None and study.github.head() == outcome.commit
    assert len(study.github.base_trees) == 2  # the refused attempt used the checkout's tree
    assert study.github.request_count()["GET git/commits"] == 1  # the retry on the member's head read it


def test_a_member_pushing_while_the_bot_commits_keeps_both_changes(tmp_path):
    """A link pushed between the bot's read and its commit stays, and the bot's tables land on top of it."""
    study = term_study(tmp_path, 3)
    study.run(kst(2022, 4, 6, 10))
    pushed = member_pushes_during_commit(
        study, lambda text: put_link(text, 1, "구미진", "https://m.example/race"), "구미진"
    )
    study.edit("장서진", kst(2022, 4, 10, 21), lambda text: put_link(text, 1, "장서진", "https://s.example/1"))
    outcome = study.run(kst(2022, 4, 11, 12))

    assert len(pushed) == 1
    bot = study.github.commit(outcome.commit)
    assert bot.parent == pushed[0]  # re-rendered on the member's head, not forced over it
    readme = study.readme()
    assert "[구미진](https://m.example/race)" in readme and "[장서진](https://s.example/1)" in readme
    assert outside_regions(readme) == outside_regions(study.github.commit(pushed[0]).files[README])
    assert "| 장서진 | ✅ |" in readme  # this run's judgement is in the tables
    assert json.loads(study.ledger())["sync"]["issues"]["1"]["number"] == week_issue(study, 1)
    assert_commits_whole(study)

    del study.github.commit_files  # members stop racing the bot
    outcome = study.run(kst(2022, 4, 13, 12, 5))
    assert outcome.report.weeks[0].members["구미진"].verdict.value == "on_time"  # the raced link counts
    assert "| 구미진 | ✅ |" in study.readme()


def test_a_member_breaking_the_markers_during_the_commit_leaves_nothing_half_written(tmp_path):
    """If the member's push removes the bot's end marker mid-run, the README is left as the member pushed it,
    the run's other steps and the ledger still land, and the broken marker is named."""
    study = term_study(tmp_path, 3)
    study.run(kst(2022, 4, 6, 10))
    commits = len(study.github.commits)
    end = markers("fines")[1]
    pushed = member_pushes_during_commit(study, lambda text: text.replace(end + "\n", ""), "장서진")
    study.edit("장서진", kst(2022, 4, 10, 21), lambda text: put_link(text, 1, "장서진", "https://s.example/1"))

    outcome = study.run(kst(2022, 4, 11, 12))
    assert any("fines:end" in problem for problem in outcome.problems)
    assert len(study.github.commits) == commits + 1  # the ledger, on top of the member's push
    assert pushed and end not in study.github.files["main"]["README.md"]  # the member's README stands as pushed
    bot = study.github.commits[-1]
    assert bot.files["README.md"] == study.github.files["main"]["README.md"]  # the bot's commit did not touch it
    assert json.loads(bot.files[study.config.output.ledger])["sync"]["issues"]  # the run's record landed


def test_a_branch_that_keeps_moving_gives_up_cleanly_and_the_next_run_commits(tmp_path):
    """When members push during every attempt, the run stops with nothing written and the next run catches up."""
    study = term_study(tmp_path, 3)
    study.run(kst(2022, 4, 6, 10))
    commits = len(study.github.commits)
    urls = iter(f"https://m.example/{n}" for n in range(10))
    member_pushes_during_commit(
        study, lambda text: put_link(text, 1, "구미진", next(urls)), "구미진", times=10
    )
    study.edit("장서진", kst(2022, 4, 10, 21), lambda text: put_link(text, 1, "장서진", "https://s.example/1"))
    with pytest.raises(RunError, match="kept moving"):
        study.run(kst(2022, 4, 11, 12))
    assert len(study.github.commits) == commits

    del study.github.commit_files  # members stop racing the bot
    outcome = study.run(kst(2022, 4, 11, 13))
    assert outcome.commit is not None
    assert "| 장서진 | ✅ |" in study.readme() and "| 구미진 | ✅ |" in study.readme()
    assert_commits_whole(study)


# ---- cost of a run on a long history -------------------------------------------------------------


def git_processes(monkeypatch) -> Counter:
    """Count the git processes studybot starts, by git subcommand."""
    counts: Counter = Counter()
    run, stream = Repository._run, Repository._stream

    def counted_run(self, *args, **kwargs):
        counts[next(a for a in args if not a.startswith("-") and "=" not in a)] += 1
        return run(self, *args, **kwargs)

    def counted_stream(self, *args, **kwargs):
        counts[args[0]] += 1
        return stream(self, *args, **kwargs)

    monkeypatch.setattr(Repository, "_run", counted_run)
    monkeypatch.setattr(Repository, "_stream", counted_stream)
    return counts


def test_a_run_after_many_pushes_costs_no_more_git_processes_than_after_a_few(tmp_path, monkeypatch):
    """A run after 30 new commits starts about as many git processes as one after 3, so long histories stay fast."""
    costs = []
    for pushes in (3, 30):
        study = term_study(tmp_path / str(pushes), 3)
        study.run(kst(2022, 4, 6, 10))
        for n in range(pushes):
            url = f"https://s.example/{n}"
            study.edit("장서진", kst(2022, 4, 7, 0, n), lambda text, url=url: put_link(text, 1, "장서진", url))
        counts = git_processes(monkeypatch)
        study.run(kst(2022, 4, 8))
        costs.append(sum(counts.values()))
        monkeypatch.undo()
    assert costs[1] <= costs[0] + 2, costs
