"""Fairness warnings the leader would otherwise never see: a placeholder swapped after the deadline, one URL handed in by two members, a force-push."""

from __future__ import annotations

import dataclasses

import pytest
from helpers import SMALL_STUDY, kst

from studybot.core.config import StudyConfig, parse_config
from studybot.core.decide import gather_evidence, judge
from studybot.core.evidence import Problem
from studybot.core.landing import force_pushes
from studybot.core.markup import escape
from studybot.core.members import Roster
from studybot.core.messages import messages_for
from studybot.core.observe import comment_evidence, observe_comments
from studybot.core.records import Activity, Comment
from studybot.core.render import render_report
from studybot.core.report import report_json
from studybot.core.schedule import build_schedule
from studybot.core.state import State, SyncState, WeekIssue
from studybot.core.verdicts import Verdict
from studybot.shell.git import Repository
from studybot.shell.read import open_checkout, read_world
from studybot.shell.runner import Outcome, job_summary

CONFIG = SMALL_STUDY
NAMES = ["장서진", "구미진", "이은빈"]
EMAIL = {"장서진": "SEOJIN-Lab@users.noreply.github.com", "구미진": "123+mijinkoo@users.noreply.github.com",
         "이은빈": "eunbin@example.com"}
AFTER_TERM = kst(2022, 5, 10)
KO, EN = messages_for("ko"), messages_for("en")
FAIRNESS = {Problem.LINK_REPLACED, Problem.SAME_URL, Problem.FORCE_PUSH}


def table(cells: dict[tuple[int, str], str]) -> str:
    rows = ["# Study", "", "|주차|과제|", "|:---:|---|"]
    for week in (1, 2, 3):
        rows.append(f"|{week}주차|" + " &nbsp; ".join(f"[{name}]({cells.get((week, name), '')})" for name in NAMES) + "|")
    return "\n".join(rows) + "\n"


@pytest.fixture()
def config() -> StudyConfig:
    return parse_config(CONFIG)


@pytest.fixture()
def repo(tmp_path) -> Repository:
    return Repository.create(tmp_path / "study")


def push(repo: Repository, by: str, when, cells: dict[tuple[int, str], str]) -> None:
    repo.commit({"README.md": table(cells)}, f"change by {by}", author=by, email=EMAIL[by], when=when)


def report_of(repo: Repository, config: StudyConfig):
    schedule = build_schedule(config)
    world = read_world(config, open_checkout(repo.path))
    state = State()
    return judge(config, schedule, gather_evidence(config, schedule, world, state), state.decisions, AFTER_TERM)


def week(report, number: int):
    return next(week for week in report.weeks if week.week.number == number)


def of_kind(report, problem: Problem):
    return [warning for warning in report.warnings if warning.problem is problem]


def test_a_placeholder_replaced_after_the_deadline_is_warned_with_both_links_and_the_first_time(repo, config):
    """A member who puts https://example.com in before the deadline and the real work after it keeps the on-time verdict, and the leader reads the first link, its time and the link now."""
    push(repo, "장서진", kst(2022, 4, 6, 10), {})
    push(repo, "구미진", kst(2022, 4, 12, 23, 50), {(1, "구미진"): "https://example.com"})
    push(repo, "구미진", kst(2022, 4, 14, 9, 30), {(1, "구미진"): "https://velog.io/@mijin/week1"})
    report = report_of(repo, config)
    judgement = week(report, 1).members["구미진"]
    assert (judgement.verdict, judgement.fine) == (Verdict.ON_TIME, 0)
    [notice] = of_kind(report, Problem.LINK_REPLACED)
    assert (notice.week, notice.member, notice.other, notice.detail) == (
        1, "구미진", "https://example.com", "https://velog.io/@mijin/week1"
    )
    schedule = build_schedule(config)
    korean = render_report(report, schedule, KO)
    assert "1주차 구미진 님이 마감 뒤에 링크를 바꿨습니다: 처음 링크 https://example.com (4월 12일(화) 23:50)" in korean
    assert f"지금 링크 {escape('https://velog.io/@mijin/week1')}." in korean  # no @mention on GitHub
    english = report_json(report, schedule, EN)["warnings"]
    assert any("first https://example.com at Tue 12 Apr 23:50" in line for line in english)


def test_a_placeholder_replaced_after_the_deadline_changes_no_money(repo, config, tmp_path):
    """The warning is all that changes: the verdicts, fines and tallies are those of the same term without the replacement."""
    push(repo, "장서진", kst(2022, 4, 6, 10), {})
    push(repo, "구미진", kst(2022, 4, 12, 23, 50), {(1, "구미진"): "https://example.com"})
    push(repo, "구미진", kst(2022, 4, 14, 9, 30), {(1, "구미진"): "https://velog.io/@mijin/week1"})
    plain = Repository.create(tmp_path / "plain")
    push(plain, "장서진", kst(2022, 4, 6, 10), {})
    push(plain, "구미진", kst(2022, 4, 12, 23, 50), {(1, "구미진"): "https://example.com"})
    attacked, honest = report_of(repo, config), report_of(plain, config)
    assert attacked.tallies == honest.tallies
    assert [{name: j.verdict for name, j in w.members.items()} for w in attacked.weeks] == [
        {name: j.verdict for name, j in w.members.items()} for w in honest.weeks
    ]


def test_a_clean_term_has_no_fairness_warning(repo, config):
    """Fixing a link before the deadline, or adding a tracking parameter after it, is no warning; neither are different links."""
    push(repo, "장서진", kst(2022, 4, 6, 10), {})
    push(repo, "구미진", kst(2022, 4, 12, 20), {(1, "구미진"): "https://notion.site/a"})
    push(repo, "구미진", kst(2022, 4, 12, 21), {(1, "구미진"): "https://notion.site/b"})
    push(repo, "이은빈", kst(2022, 4, 12, 22), {(1, "구미진"): "https://notion.site/b", (1, "이은빈"): "https://notion.site/c"})
    push(repo, "구미진", kst(2022, 4, 15), {(1, "구미진"): "https://notion.site/b?pvs=4", (1, "이은빈"): "https://notion.site/c"})
    report = report_of(repo, config)
    assert not [warning for warning in report.warnings if warning.problem in FAIRNESS]
    assert week(report, 1).members["구미진"].verdict is Verdict.ON_TIME


def test_two_members_handing_in_the_same_url_get_one_warning_naming_both(repo, config):
    """Two members putting the same page in for one week (written with a trailing slash and an upper-case host) are named together once; both still count."""
    push(repo, "장서진", kst(2022, 4, 6, 10), {})
    push(repo, "구미진", kst(2022, 4, 12, 20), {(1, "구미진"): "https://github.com/mijin/hw1"})
    push(repo, "이은빈", kst(2022, 4, 12, 21), {(1, "구미진"): "https://github.com/mijin/hw1",
                                              (1, "이은빈"): "https://GitHub.com/mijin/hw1/#readme"})
    report = report_of(repo, config)
    [notice] = of_kind(report, Problem.SAME_URL)
    assert (notice.week, notice.member, notice.other) == (1, "구미진", "이은빈")
    assert {name: (j.verdict, j.fine) for name, j in week(report, 1).members.items() if name != "장서진"} == {
        "구미진": (Verdict.ON_TIME, 0), "이은빈": (Verdict.ON_TIME, 0),
    }
    sentence = KO.notice(notice, escape)
    assert sentence.startswith("1주차 구미진 님과 이은빈 님이 같은 링크를 냈습니다: https://github.com/mijin/hw1")


def test_a_link_added_to_a_comment_after_the_deadline_is_warned():
    """A member's comment that held a placeholder before the deadline and the real link only after it keeps the first time, with a warning."""
    config = parse_config(CONFIG)
    deadlines = {week.number: week.deadline for week in build_schedule(config).weeks}
    comments = [Comment(5, 7, "mijinkoo", "제출 https://example.com", kst(2022, 4, 12, 23, 55), kst(2022, 4, 12, 23, 55))]
    seen = observe_comments(SyncState(issues={1: WeekIssue(number=7)}), comments)
    edited = [dataclasses.replace(comments[0], body="제출 https://blog.example/week1", updated_at=kst(2022, 4, 13, 10))]
    seen = observe_comments(seen, edited)
    evidence = comment_evidence(seen, Roster(config), {}, deadlines)
    assert evidence.submissions[("구미진", 1)].at == kst(2022, 4, 12, 23, 55)
    [notice] = evidence.warnings
    assert (notice.problem, notice.member, notice.other, notice.detail) == (
        Problem.LINK_REPLACED, "구미진", "https://example.com", "https://blog.example/week1"
    )
    assert not comment_evidence(observe_comments(SyncState(issues={1: WeekIssue(number=7)}), comments),
                                Roster(config), {}, deadlines).warnings


def test_a_force_push_on_the_default_branch_is_one_warning_with_who_and_when():
    """Each force-push in the branch's activity is one warning naming the pusher and the time; ordinary pushes and merges are none."""
    items = [
        Activity(1, "push", "refs/heads/main", "a" * 40, "b" * 40, "mijinkoo", kst(2022, 4, 12, 23, 50)),
        Activity(2, "force_push", "refs/heads/main", "b" * 40, "c" * 40, "mijinkoo", kst(2022, 4, 12, 23, 51)),
        Activity(3, "pr_merge", "refs/heads/main", "c" * 40, "d" * 40, "SEOJIN-Lab", kst(2022, 4, 13, 9)),
    ]
    [notice] = force_pushes(items)
    assert (notice.problem, notice.detail, notice.ref) == (Problem.FORCE_PUSH, "mijinkoo", "c" * 40)
    schedule = build_schedule(parse_config(CONFIG))
    assert KO.notice(notice, escape, schedule.local) == (
        "mijinkoo 님이 기본 브랜치를 강제 푸시로 덮어썼습니다 (4월 12일(화) 23:51, bbbbbbb → ccccccc). "
        "기록이 바뀌면 제출 시각이 달라질 수 있으니 스터디장이 확인해 주세요."
    )
    assert force_pushes(items[:1] + items[2:]) == []


def test_the_job_summary_lists_each_warning_once(repo, config):
    """A bad link found both in the history and in the table as it stands, and a note given twice, appear once each in the job summary."""
    push(repo, "장서진", kst(2022, 4, 6, 10), {})
    push(repo, "구미진", kst(2022, 4, 12, 20), {(1, "구미진"): "javascript:alert(1)"})
    report = report_of(repo, config)
    assert len(of_kind(report, Problem.BAD_LINK)) == 2  # one from the history, one from the table
    outcome = Outcome(report, notes=["장부를 되돌렸습니다.", "장부를 되돌렸습니다."])
    summary = job_summary(outcome, build_schedule(config), KO, dry_run=True)
    assert summary.count("1주차 구미진 님: 링크가 올바르지 않아") == 1
    assert summary.count("장부를 되돌렸습니다.") == 1
