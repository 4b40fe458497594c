"""Maintainer commands end to end: applied once, answered, refused for others, settled at the end."""

from __future__ import annotations

import json

import pytest
from helpers import kst
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.core.records import Permission
from studybot.shell.demo import example_file, put_link

START = kst(2022, 4, 6, 9)
LEADER = "SEOJIN-Lab"


@pytest.fixture()
def study(tmp_path) -> Study:
    text = example_file("study.yml")
    study = Study(tmp_path, parse_config(text), example_file("README.md"), text, START)
    study.github.set_permission(LEADER, Permission.ADMIN)
    study.github.set_permission("mijinkoo", Permission.WRITE)  # members push their own links
    study.run(kst(2022, 4, 6, 10))
    return study


def week_issue(study: Study, week: int) -> int:
    return next(number for number, issue in study.github.issues.items() if issue.title == f"[{week}주차] Q&A")


def replies_to(study: Study, comment_id: int) -> list[str]:
    found = marker(0, Kind.REPLY, comment_id)
    return [comment.body for comment in study.github.comments.values() if found in comment.body]


def frozen(study: Study, week: int, member: str) -> dict:
    return json.loads(study.ledger())["decisions"]["weeks"][str(week)]["members"][member]


def test_excusing_a_final_week_removes_the_fine_and_records_who_why_when(study):
    """/studybot excuse on a final week: the verdict becomes excused, with the maintainer and reason."""
    study.run(kst(2022, 4, 13, 12, 5))
    assert frozen(study, 1, "구미진")["verdict"] == "absent"
    command = study.github.add_comment(week_issue(study, 1), "/studybot excuse @mijinkoo 1 병결", LEADER,
                                       at=kst(2022, 4, 14, 9))
    outcome = study.run(kst(2022, 4, 14, 10))
    assert frozen(study, 1, "구미진")["verdict"] == "excused"
    assert frozen(study, 1, "구미진")["note"] == "병결"
    override = json.loads(study.ledger())["decisions"]["overrides"][0]
    assert (override["kind"], override["by"], override["reason"], override["comment"]) == (
        "excuse", LEADER, "병결", command.id)
    assert override["at"].startswith("2022-04-14T00:00:00")  # 09:00 KST in UTC
    assert outcome.report.tallies["구미진"].fines == 0
    assert "구미진" not in outcome.report.settlement.excluded
    assert len(replies_to(study, command.id)) == 1 and "면제했습니다" in replies_to(study, command.id)[0]
    results = [c for c in study.github.comments.values() if marker(1, Kind.RESULTS) in c.body]
    assert len(results) == 1 and "| 구미진 | 🙏 면제 |" in results[0].body  # the results comment follows


def test_a_command_is_applied_once_even_when_edited_or_repeated(study):
    """Running again, or editing the command comment, neither applies it twice nor undoes it."""
    command = study.github.add_comment(week_issue(study, 1), "/studybot paid @mijinkoo 3000", LEADER,
                                       at=kst(2022, 4, 7))
    study.run(kst(2022, 4, 7, 1))
    study.run(kst(2022, 4, 7, 2))
    study.github.edit_comment(command.id, "/studybot paid @mijinkoo 9000", at=kst(2022, 4, 7, 3))
    study.run(kst(2022, 4, 7, 4))
    payments = [o for o in json.loads(study.ledger())["decisions"]["overrides"] if o["kind"] == "paid"]
    assert [p["amount"] for p in payments] == [3000]
    assert len(replies_to(study, command.id)) == 1


def test_final_settlement_is_posted_once_after_the_last_week(tmp_path):
    """After week 12 is final the settlement statement goes on its issue once."""
    text = example_file("study.yml").replace("weeks: 12", "weeks: 2")
    config = parse_config(text)
    study = Study(tmp_path, config, example_file("README.md"), text, START)
    study.edit("장서진", kst(2022, 4, 10), lambda t: put_link(t, 1, "장서진", "https://s.example/1"))
    for at in (kst(2022, 4, 6, 10), kst(2022, 4, 13, 12, 5), kst(2022, 4, 27, 1), kst(2022, 5, 4, 12, 5),
               kst(2022, 5, 4, 13), kst(2022, 5, 5)):
        outcome = study.run(at)
    statements = [c for c in study.github.comments.values() if marker(2, Kind.SETTLEMENT) in c.body]
    assert len(statements) == 1
    assert "최종 정산" in statements[0].body and "총 벌금" in statements[0].body
    assert statements[0].body.count("정산 (꼴찌 제외 1/n)") == 1
    assert outcome.report.finished
    assert "— 최종" in study.readme()
