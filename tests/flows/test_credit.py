"""`/studybot 인정 <이름> <주차> [사유]` end to end: unread work credited at its own trusted time.

The bundled folder study (week folders and Q&A comments) on the fake GitHub backed by real
git: a member's file outside the week folders, a comment link without a word of handing in,
work that came after the cut-off, and a member trying to credit herself.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import kst
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.evidence import Problem
from studybot.core.markers import Kind, marker
from studybot.core.records import Permission
from studybot.core.regions import read_region
from studybot.core.report import report_json
from studybot.core.schedule import build_schedule
from studybot.shell.demo import example_file

LEADER = "minwoo-mlops"  # 민우, the maintainer
WORK = "# 내가 생각하는 MLOps\n\n모델을 꾸준히 배포하고 운영하는 흐름 전체를 자동화하는 일입니다.\n"
DEADLINE = kst(2024, 1, 4)  # week 1: due 01-04 00:00 KST, late until 12:00
WEEK1_FINAL = kst(2024, 1, 4, 12, 5)


@pytest.fixture()
def study(tmp_path) -> Study:
    text = example_file("study.yml", "mlops-study")
    study = Study(tmp_path, parse_config(text), example_file("README.md", "mlops-study"), text, kst(2023, 12, 28, 9))
    study.github.set_permission(LEADER, Permission.ADMIN)
    for login in ("gakyung-mlops", "yeram-mlops", "minsu-mlops", "daeun-mlops"):
        study.github.set_permission(login, Permission.WRITE)
    study.run(kst(2023, 12, 28, 10))
    return study


def push(study: Study, login: str, at: dt.datetime, files: dict[str, str | None], message: str) -> str:
    study.github.now = at
    return study.github.push({**study.github.files["main"], **files}, login, at, message=message)


def week_issue(study: Study, week: int = 1) -> int:
    return next(number for number, issue in study.github.issues.items() if issue.title == f"[{week}주차] Q&A")


def say(study: Study, body: str, login: str, at: dt.datetime) -> int:
    return study.github.add_comment(week_issue(study), body, login, at=at).id


def replies_to(study: Study, comment_id: int) -> list[str]:
    found = marker(0, Kind.REPLY, comment_id)
    return [comment.body for comment in study.github.comments.values() if found in comment.body]


def results_comment(study: Study) -> str:
    (comment,) = [c.body for c in study.github.comments.values() if marker(1, Kind.RESULTS) in c.body]
    return comment


def ledger(study: Study) -> dict:
    return json.loads(study.ledger() or "{}")


def week1(outcome, member: str) -> tuple[str, int]:
    judgement = outcome.report.weeks[0].members[member]
    return judgement.verdict.value, judgement.fine


@pytest.mark.parametrize(
    ("pushed", "expected"),
    [(DEADLINE - dt.timedelta(hours=4), ("on_time", 0)), (DEADLINE + dt.timedelta(hours=9), ("late", 2000))],
    ids=["before-the-deadline", "in-the-late-window"],
)
def test_a_flat_file_credited_by_the_leader_counts_at_its_push_time(study, pushed, expected):
    """예람's file straight in her own folder (week in the commit message) is absent until 민우 credits it;
    then it is on time or late by its push time, and the ledger, results and JSON say it was a credit."""
    sha = push(study, "yeram-mlops", pushed, {"예람/mlops.md": WORK}, "1주차 과제")
    outcome = study.run(WEEK1_FINAL)
    assert week1(outcome, "예람") == ("absent", 5000)
    (notice,) = [w for w in outcome.report.warnings if w.problem is Problem.FOLDER_OUTSIDE and w.member == "예람"]
    assert (notice.week, notice.detail, notice.ref) == (1, "예람/", sha)
    assert "`/studybot 인정 예람 1`" in results_comment(study)  # the leader is told how

    command = say(study, "/studybot 인정 예람 1 폴더를 잘못 넣음", LEADER, kst(2024, 1, 4, 13))
    outcome = study.run(kst(2024, 1, 4, 14))
    assert week1(outcome, "예람") == expected
    assert ledger(study)["decisions"]["weeks"]["1"]["members"]["예람"]["verdict"] == expected[0]
    (override,) = [o for o in ledger(study)["decisions"]["overrides"] if o["kind"] == "credit"]
    assert (override["by"], override["comment"], override["member"], override["week"], override["reason"]) == (
        LEADER, command, "예람", 1, "폴더를 잘못 넣음")
    assert (override["problem"], override["work"], override["ref"]) == ("folder_outside", "예람/", sha)
    assert dt.datetime.fromisoformat(override["work_at"]) == pushed
    (reply,) = replies_to(study, command)
    assert "인정했습니다" in reply and ("정시 제출입니다" if expected[0] == "on_time" else "지각입니다") in reply
    results = results_comment(study)
    assert "인정: 스터디장 민우, 사유: 폴더를 잘못 넣음" in results
    assert "`/studybot 인정 예람 1`" not in results  # credited: no longer listed as unread
    data = report_json(outcome.report, build_schedule(study.config), _Messages())
    assert data["weeks"][0]["members"]["예람"]["source"] == "credit"


class _Messages:
    """report_json needs only ``notice`` of its messages."""

    def notice(self, notice, local=None) -> str:
        return notice.problem.value


def test_a_comment_link_without_a_submission_word_credited_counts_at_its_time(study):
    """가경 shared her notes without saying 제출; 민우's credit counts the link at the comment's time."""
    say(study, "오늘 공부한 내용 정리해 봤어요 https://velog.io/@gakyung/mlops-1", "gakyung-mlops",
                 kst(2024, 1, 3, 21))
    outcome = study.run(WEEK1_FINAL)
    assert week1(outcome, "가경") == ("absent", 5000)
    assert any(w.problem is Problem.UNCOUNTED_NO_WORD and w.ref == str(week_issue(study)) for w in outcome.report.warnings)

    command = say(study, "/studybot credit @gakyung-mlops 1", LEADER, kst(2024, 1, 4, 15))
    outcome = study.run(kst(2024, 1, 4, 16))
    assert week1(outcome, "가경") == ("on_time", 0)
    submission = outcome.report.weeks[0].members["가경"].submission
    assert submission is not None and (submission.url, submission.at) == ("https://velog.io/@gakyung/mlops-1", kst(2024, 1, 3, 21))
    (override,) = [o for o in ledger(study)["decisions"]["overrides"] if o["kind"] == "credit"]
    assert (override["problem"], override["ref"], override["reason"]) == ("uncounted_no_word", str(week_issue(study)), "")
    assert "인정했습니다" in replies_to(study, command)[0]
    assert "| 가경 | ✅ 제출 · 인정: 스터디장 민우 |  | 1월 3일(수) 21:00 |" in results_comment(study)


def test_a_credit_for_work_after_the_cut_off_leaves_the_week_absent(study):
    """다은's file came after week 1's late cut-off: the credit is recorded, the reply says it stays absent."""
    push(study, "daeun-mlops", kst(2024, 1, 5, 10), {"다은/late.md": WORK}, "1주차 과제 늦게 올립니다")
    study.run(kst(2024, 1, 5, 11))
    command = say(study, "/studybot 인정 다은 1", LEADER, kst(2024, 1, 5, 12))
    outcome = study.run(kst(2024, 1, 5, 13))
    assert week1(outcome, "다은") == ("absent", 5000)
    assert ledger(study)["decisions"]["weeks"]["1"]["members"]["다은"]["verdict"] == "absent"
    (reply,) = replies_to(study, command)
    assert "결석 그대로입니다" in reply
    assert outcome.report.tallies["다은"].fines == 5000


def test_a_member_cannot_credit_herself(study):
    """민수 writes `/studybot 인정 나 1`: one refusal reply, no override, the fine stays."""
    push(study, "minsu-mlops", kst(2024, 1, 3, 20), {"민수/mlops.md": WORK}, "1주차")
    study.run(WEEK1_FINAL)
    fines = read_region(study.readme(), "fines")
    command = say(study, "/studybot 인정 나 1", "minsu-mlops", kst(2024, 1, 4, 13))
    outcome = study.run(kst(2024, 1, 4, 14))
    assert week1(outcome, "민수") == ("absent", 5000)
    assert [o for o in ledger(study)["decisions"]["overrides"] if o["kind"] == "credit"] == []
    (reply,) = replies_to(study, command)
    assert "스터디장(민우)만" in reply
    assert read_region(study.readme(), "fines") == fines
