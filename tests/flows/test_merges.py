"""Merges and squashes must not move an honest member's time (issue 20, the merges part).

Each case is played on the fake GitHub backed by a real git repository: members push, one of
them makes a real merge (``git pull``: the first parent is her own commit, the second the
branch she was refused on) or squashes and force-pushes, and studybot runs (decide, then
apply). A commit that stays reachable from the branch keeps the push that first brought it
there; only a commit a rewrite took off the branch can lose its time, and the leader is told
whose push the rewrite took.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fakegithub import FakeCommit
from helpers import kst
from studyworld import Study
from test_cheating import RESULTS_AT, frozen, make_study, verdict

from studybot.core.evidence import Problem
from studybot.core.messages import messages_for
from studybot.core.schedule import build_schedule
from studybot.shell.demo import put_link
from studybot.shell.runner import job_summary

MIJIN, SUIN, HYUNKYUNG = "mijinkoo", "m0oon0", "shining-arrow"
DEADLINE_RUN = kst(2022, 4, 13, 0, 5)  # week 1 is due 04-13 00:00, late until 12:00


@pytest.fixture()
def study(tmp_path) -> Study:
    """The seed study with week 1's issue open and its deadline ahead."""
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))
    return study


def _commit(study: Study, parents: tuple[str, ...], readme: str, actor: str, at: dt.datetime, message: str) -> str:
    """A real commit of ``actor`` with ``parents`` and the first parent's files but ``readme``, not on any branch."""
    github, repository = study.github, study.github.repository
    head = github.head()
    email = f"{actor}@users.noreply.github.com"
    repository._run("reset", "--quiet", "--hard", parents[0])
    scratch = repository.commit({"README.md": readme}, message, author=actor, email=email, when=at, committed=at)
    env = {"GIT_AUTHOR_DATE": at.isoformat(), "GIT_COMMITTER_DATE": at.isoformat(), "GIT_AUTHOR_NAME": actor,
           "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": actor, "GIT_COMMITTER_EMAIL": email}
    flags = [flag for parent in parents for flag in ("-p", parent)]
    sha = repository._run("commit-tree", repository.tree_of(scratch), *flags, "-m", message, env=env).decode().strip()
    repository._run("reset", "--quiet", "--hard", head)
    files = {**github.commit(parents[0]).files, "README.md": readme}
    github._trees[sha] = files
    github._objects[sha] = FakeCommit(sha, parents[0], files, message, actor, at, "main")
    return sha


def _move(study: Study, sha: str, actor: str, at: dt.datetime, kind: str) -> None:
    study.github.repository._run("reset", "--quiet", "--hard", sha)
    study.github.now = at
    study.github._move("main", study.github.head(), sha, actor, at, kind)


def local(study: Study, parent: str, change, actor: str, at: dt.datetime) -> str:
    """``actor`` commits ``change`` of the README on her machine, on top of ``parent``."""
    return _commit(study, (parent,), change(study.github.commit(parent).files["README.md"]), actor, at, "local")


def pull_and_push(study: Study, own: str, change, actor: str, at: dt.datetime) -> str:
    """``git pull`` (a merge: her own commit first, the branch second, the row resolved with both links), then push."""
    merged = change(study.readme())
    sha = _commit(study, (own, study.github.head()), merged, actor, at, "Merge branch 'main' of github.com:study")
    _move(study, sha, actor, at, "push")
    return sha


def squash_and_force_push(study: Study, base: str, readme: str, actor: str, at: dt.datetime) -> str:
    """``actor`` squashes everything since ``base`` into one commit of hers and force-pushes it."""
    sha = _commit(study, (base,), readme, actor, at, "squash")
    _move(study, sha, actor, at, "force_push")
    return sha


def link(member: str, url: str):
    return lambda text: put_link(text, 1, member, url)


def both(*changes):
    def apply(text: str) -> str:
        for change in changes:
            text = change(text)
        return text
    return apply


def at_of(outcome, member: str, week: int = 1) -> dt.datetime | None:
    judgement = next(w for w in outcome.report.weeks if w.week.number == week).members[member]
    return judgement.submission.at if judgement.submission else None


def warnings(outcome, problem: Problem) -> list:
    return [w for w in outcome.report.warnings if w.problem is problem]


# ---- a merge keeps what it merges --------------------------------------------------------------


def test_the_deadline_rush_merge_keeps_the_link_pushed_on_time(study):
    """구미진 commits at 23:58, 문수인 pushes at 23:59:59, 구미진 pulls and pushes the merge at 00:00:30: 문수인 is on time."""
    base = study.github.head()
    own = local(study, base, link("구미진", "https://mj.example/1"), MIJIN, kst(2022, 4, 12, 23, 58))
    study.edit("문수인", kst(2022, 4, 12, 23, 59, 59), link("문수인", "https://suin.example/1"))
    pull_and_push(study, own, link("구미진", "https://mj.example/1"), MIJIN, kst(2022, 4, 13, 0, 0, 30))
    outcome = study.run(DEADLINE_RUN)
    final = study.run(RESULTS_AT)
    assert verdict(final, "문수인") == ("on_time", 0) and frozen(study, "문수인") == ("on_time", 0)
    assert at_of(outcome, "문수인") == at_of(final, "문수인") == kst(2022, 4, 12, 23, 59, 59)
    assert verdict(final, "구미진") == ("late", 3000)  # her own link reached the branch with her push
    assert at_of(final, "구미진") == kst(2022, 4, 13, 0, 0, 30)
    assert not warnings(final, Problem.NOT_OWNER) and not warnings(final, Problem.FORCE_PUSH)


def test_a_merge_pushed_at_nine_keeps_a_late_link_late_not_absent(study):
    """한현경 pushes at 00:20 (late); 구미진's merge of her own 23:00 commit goes up at 09:00: 한현경 stays late, at 00:20."""
    base = study.github.head()
    own = local(study, base, link("구미진", "https://mj.example/1"), MIJIN, kst(2022, 4, 12, 23))
    study.edit("한현경", kst(2022, 4, 13, 0, 20), link("한현경", "https://hk.example/1"))
    pull_and_push(study, own, link("구미진", "https://mj.example/1"), MIJIN, kst(2022, 4, 13, 9))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "한현경") == ("late", 3000) and frozen(study, "한현경") == ("late", 3000)
    assert at_of(outcome, "한현경") == kst(2022, 4, 13, 0, 20)
    assert not warnings(outcome, Problem.NOT_OWNER)


def test_a_merge_cannot_lend_another_members_push_time_to_a_link(study):
    """문수인's unrelated 20:00 push merged with 구미진's link at 09:00 does not make 구미진 on time."""
    base = study.github.head()
    own = local(study, base, link("구미진", "https://mj.example/1"), MIJIN, kst(2022, 4, 13, 8))
    study.edit("문수인", kst(2022, 4, 12, 20), link("문수인", "https://suin.example/1"))
    pull_and_push(study, own, link("구미진", "https://mj.example/1"), MIJIN, kst(2022, 4, 13, 9))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "구미진") == ("late", 3000) and at_of(outcome, "구미진") == kst(2022, 4, 13, 9)
    assert verdict(outcome, "문수인") == ("on_time", 0)


# ---- a squash is the squasher's change -----------------------------------------------------------


def squash_case(study: Study, *, run_between: bool):
    base = study.github.head()
    study.edit("구미진", kst(2022, 4, 12, 23), link("구미진", "https://mj.example/1"))
    pushed = study.edit("한현경", kst(2022, 4, 13, 0, 20), link("한현경", "https://hk.example/1"))
    if run_between:
        study.run(kst(2022, 4, 13, 0, 25))  # the run her push started
    squash_and_force_push(study, base, study.readme(), MIJIN, kst(2022, 4, 13, 9))
    return pushed, study.run(RESULTS_AT)


def test_a_squash_after_the_bot_saw_the_link_keeps_its_time(study):
    """구미진 squashes 한현경's 00:20 commit into hers and force-pushes at 09:00; the bot had seen it: late at 00:20."""
    _, outcome = squash_case(study, run_between=True)
    assert verdict(outcome, "한현경") == ("late", 3000) and frozen(study, "한현경") == ("late", 3000)
    assert at_of(outcome, "한현경") == kst(2022, 4, 13, 0, 20)
    assert any(w.detail == MIJIN for w in warnings(outcome, Problem.FORCE_PUSH))


def test_a_squash_the_bot_never_saw_is_told_as_the_pushers_rewrite_of_her_push(study):
    """Unseen, the squash is 구미진's change: 한현경's cell does not count, and the leader is told 구미진 took 한현경's push off."""
    pushed, outcome = squash_case(study, run_between=False)
    assert verdict(outcome, "한현경") == ("absent", 4000)  # her link is in 구미진's commit now: not hers
    (dropped,) = warnings(outcome, Problem.DROPPED_PUSH)
    assert (dropped.detail, dropped.other, dropped.ref, dropped.at) == (MIJIN, HYUNKYUNG, pushed, kst(2022, 4, 13, 0, 20))
    assert any(w.member == "한현경" and w.detail == "구미진" for w in warnings(outcome, Problem.NOT_OWNER))
    summary = job_summary(outcome, build_schedule(study.config), messages_for("ko"), False)
    assert "mijinkoo 님이 기본 브랜치를 덮어쓰면서 shining-arrow 님이 4월 13일" in summary
    assert "/studybot 인정 @shining-arrow <주차>" in summary
