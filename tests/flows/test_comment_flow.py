"""Homework handed in as a comment, the way members write it, through the whole run."""

from __future__ import annotations

import pytest
from helpers import kst
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.shell.demo import example_file

PHRASINGS = [
    "과제 제출합니다!\nhttps://notion.example/week1",
    "1주차 과제 제출합니다 https://notion.example/week1",
    "https://notion.example/week1 제출합니다",
    "과제 링크입니다 https://notion.example/week1",
    "늦어서 죄송합니다 ㅠㅠ https://notion.example/week1",
]


@pytest.fixture()
def study(tmp_path) -> Study:
    text = example_file("study.yml")
    return Study(tmp_path, parse_config(text), example_file("README.md"), text, kst(2022, 4, 6, 9))


def week1_issue(study: Study) -> int:
    return next(number for number, issue in study.github.issues.items() if marker(1, Kind.ISSUE) in issue.body)


@pytest.mark.parametrize("body", PHRASINGS)
def test_each_way_members_hand_in_counts_and_gets_a_rocket(study, body):
    """The comment counts as 구미진's week 1 submission, and she sees a 🚀 under it, once."""
    study.run(kst(2022, 4, 6, 10))
    comment = study.github.add_comment(week1_issue(study), body, "mijinkoo", at=kst(2022, 4, 12, 21))
    outcome = study.run(kst(2022, 4, 12, 22))
    judgement = outcome.report.weeks[0].members["구미진"]
    assert judgement.verdict.value == "on_time" and judgement.submission.url == "https://notion.example/week1"
    assert study.github.reactions[comment.id] == ["rocket"]
    study.run(kst(2022, 4, 12, 23))
    assert study.github.reactions[comment.id] == ["rocket"]  # answered once


def test_a_link_that_did_not_count_gets_one_reply_saying_how(study):
    """A member's bare 'look at this' link is not homework: one reply says why and how to hand it in."""
    study.run(kst(2022, 4, 6, 10))
    comment = study.github.add_comment(
        week1_issue(study), "이 자료 참고하면 좋아요 https://blog.example/tip", "mijinkoo", at=kst(2022, 4, 10)
    )
    outcome = study.run(kst(2022, 4, 10, 1))
    assert outcome.report.weeks[0].members["구미진"].verdict.value == "pending"
    replies = [c.body for c in study.github.comments.values() if marker(0, Kind.REPLY, comment.id) in c.body]
    assert len(replies) == 1 and "`제출`" in replies[0] and "@mijinkoo" in replies[0]
    study.run(kst(2022, 4, 10, 2))
    assert len([c for c in study.github.comments.values() if marker(0, Kind.REPLY, comment.id) in c.body]) == 1


def test_a_question_with_a_link_is_left_alone(study):
    """A member asking about a page gets neither a reaction nor a reply, and nothing is counted."""
    study.run(kst(2022, 4, 6, 10))
    comment = study.github.add_comment(
        week1_issue(study), "이 부분 왜 이렇게 되나요? https://docs.example/x", "mijinkoo", at=kst(2022, 4, 10)
    )
    outcome = study.run(kst(2022, 4, 10, 1))
    assert outcome.report.weeks[0].members["구미진"].verdict.value == "pending"
    assert comment.id not in study.github.reactions
    assert not [c for c in study.github.comments.values() if marker(0, Kind.REPLY, comment.id) in c.body]


def test_a_link_after_the_cut_off_shows_when_it_arrived(study):
    """Absent still, but the results say what came after 12:00 and when; the comment then stays as posted."""
    study.run(kst(2022, 4, 6, 10))
    study.github.add_comment(week1_issue(study), "과제 제출합니다 https://late.example/1", "mijinkoo",
                             at=kst(2022, 4, 13, 13, 5))
    outcome = study.run(kst(2022, 4, 13, 13, 10))
    assert outcome.report.weeks[0].members["구미진"].verdict.value == "absent"
    (results,) = [c for c in study.github.comments.values() if marker(1, Kind.RESULTS) in c.body]
    assert "| 구미진 | ❌ 결석 (12:00 이후 13:05 제출) | 4,000원 |" in results.body
    writes = study.github.writes[:]
    study.run(kst(2022, 4, 13, 14))
    assert [op for op, _ in study.github.writes[len(writes):] if op == "update_comment"] == []
