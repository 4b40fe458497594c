"""What members see under their comments: a rocket, a reply saying why a link did not count or
which week it counted for, and no more than three answers a day for one member's comments."""

from __future__ import annotations

import pytest
from helpers import kst, started

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.core.members import Roster
from studybot.core.messages import messages_for
from studybot.core.records import Comment
from studybot.core.replies import acknowledge
from studybot.core.schedule import build_schedule
from studybot.core.state import BotComment, SeenComment, WeekIssue

CONFIG = parse_config(
    "study: {name: T}\nschedule: {weeks: 3, first_deadline: 2022-04-13 00:00}\nfines: {late: 1, absent: 2}\n"
    "members:\n  - {name: 장서진, github: SEOJIN-Lab, maintainer: true}\n  - {name: 구미진, github: mijinkoo}\n"
)
SCHEDULE = build_schedule(CONFIG)  # week 1 due 04-13, week 2 due 04-20 (opens 04-13), week 3 due 04-27
ISSUES = {1: WeekIssue(number=7), 2: WeekIssue(number=8), 3: WeekIssue(number=9)}


def comment(cid: int, body: str, at, issue: int = 7, author: str = "mijinkoo") -> Comment:
    return Comment(cid, issue, author, body, at, at)


def answer(*comments: Comment, now=None, language: str = "ko", **sync):
    state = started(issues=ISSUES, **sync)
    latest = max(c.created_at for c in comments)
    return acknowledge(comments, state, Roster(CONFIG), SCHEDULE, now or latest, messages_for(language))


def test_a_counted_link_gets_a_rocket_only():
    (reply,) = answer(comment(1, "과제 제출합니다 https://a.example/1", kst(2022, 4, 12)))
    assert (reply.reaction, reply.body) == ("rocket", None)


def test_a_comment_naming_another_open_week_gets_a_rocket_and_a_note_of_the_week():
    (reply,) = answer(comment(1, "2주차 과제 제출합니다 https://a.example/2", kst(2022, 4, 14)))
    assert reply.reaction == "rocket" and reply.body.startswith(marker(0, Kind.REPLY, 1))
    assert "@mijinkoo 님, 댓글에 2주차라고 적혀 있어 이 이슈의 1주차가 아니라 2주차 과제로 받았습니다" in reply.body


def test_a_comment_naming_a_week_not_open_yet_gets_a_reply_saying_when_it_opens():
    (reply,) = answer(comment(1, "3주차 과제 제출합니다 https://a.example/3", kst(2022, 4, 12)))
    assert reply.reaction is None and "3주차는 4월 20일(수) 00:00에 열려서 아직 제출로 받지 않았습니다" in reply.body


def test_a_comment_naming_a_week_past_its_cut_off_gets_a_reply_saying_so():
    """'1주차 과제' on week 2's issue after week 1's cut-off: answered while week 2 is open, with why."""
    (reply,) = answer(comment(1, "1주차 과제 제출합니다 https://a.example/1", kst(2022, 4, 15), issue=8))
    assert reply.reaction is None
    assert "1주차 과제는 4월 13일(수) 12:00 전까지만 받아서 제출로 보지 않았습니다" in reply.body


def test_a_comment_on_a_final_weeks_issue_naming_an_open_week_is_still_answered():
    """Week 1 is final, but the comment hands in week 2, which can still change."""
    (reply,) = answer(comment(1, "2주차 과제 제출합니다 https://a.example/2", kst(2022, 4, 16)))
    assert reply.reaction == "rocket"


def test_several_links_get_a_rocket_and_a_note_that_only_the_first_counted():
    (reply,) = answer(comment(1, "과제 제출합니다 https://a.example/1 https://a.example/2", kst(2022, 4, 12)))
    assert reply.reaction == "rocket" and "첫 링크를 1주차 과제로 받았습니다" in reply.body and "다른 링크 1개" in reply.body


def test_a_member_gets_at_most_three_answers_in_24_hours():
    """Five link comments in an evening: the first three are answered; the next day there is room again."""
    flood = [comment(n, f"제출 https://a.example/{n}", kst(2022, 4, 10, 20, n)) for n in range(1, 6)]
    assert [reply.comment for reply in answer(*flood)] == [1, 2, 3]
    assert [reply.comment for reply in answer(*flood, comment(6, "제출 https://a.example/6", kst(2022, 4, 11, 21)))] == [1, 2, 3, 6]


def test_answers_given_in_earlier_runs_count_toward_the_day():
    earlier = {n: SeenComment(issue=7, week=1, author="mijinkoo", created_at=kst(2022, 4, 10, 20, n)) for n in (1, 2, 3)}
    replies = answer(comment(4, "제출 https://a.example/4", kst(2022, 4, 10, 21)), comments=earlier, commands=[1, 2, 3])
    assert replies == []


def test_a_comment_carrying_a_studybot_marker_gets_no_answer():
    """It still counts (observe); the leader is told; the bot does not answer a comment dressed as its own."""
    assert answer(comment(1, marker(1, Kind.RESULTS) + "\n제출 https://a.example/1", kst(2022, 4, 12))) == []


def test_the_bots_own_comment_by_receipt_gets_no_answer():
    """With a personal token the bot writes as a maintainer; its comments are known by their ids."""
    own = comment(1, "제출 https://a.example/1", kst(2022, 4, 12), author="SEOJIN-Lab")
    assert answer(own, bot_comments={marker(1, Kind.REMINDER): BotComment(id=1)}) == []
    assert answer(own)[0].reaction == "rocket"


def test_a_hand_in_without_a_valid_address_gets_a_reply_not_a_rocket():
    """`제출 myblog.com/post`: the member learns at once that it needs `https://`; no 🚀 for a link that cannot count."""
    (reply,) = answer(comment(1, "과제 제출합니다 myblog.com/post", kst(2022, 4, 12)))
    assert reply.reaction is None and "`` myblog.com/post ``" not in reply.body
    assert "링크 ` myblog.com/post `는 올바른 주소가 아니라 제출로 보지 않았습니다" in reply.body


ENGLISH = [
    ("2주차 과제 제출합니다 https://a.example/2", kst(2022, 4, 14), 7,
     "@mijinkoo, your comment says week 2, so it counts for week 2, not for this issue's week 1."),
    ("3주차 과제 제출합니다 https://a.example/3", kst(2022, 4, 12), 7,
     "@mijinkoo, your comment says week 3, but week 3 opens on Wed 20 Apr 00:00, so it was not counted yet."),
    ("1주차 과제 제출합니다 https://a.example/1", kst(2022, 4, 15), 8,
     "@mijinkoo, your comment says week 1, but week 1 took homework only until Wed 13 Apr 12:00, so it was not counted."),
    ("submit https://a.example/1 https://a.example/2", kst(2022, 4, 12), 7,
     "@mijinkoo, the first link of this comment counts as your week 1 homework. When a comment holds several links only the first counts, so the other 1 did not."),
    ("submit myblog.com/post", kst(2022, 4, 12), 7,
     "@mijinkoo, the link ` myblog.com/post ` in this comment is not a valid address, so it was not counted."),
]


@pytest.mark.parametrize(("body", "at", "issue", "sentence"), ENGLISH, ids=["other week", "not open", "closed", "extra", "bad link"])
def test_an_english_study_reads_the_same_answers_in_english(body, at, issue, sentence):
    (reply,) = answer(comment(1, body, at, issue=issue), language="en")
    assert sentence in reply.body
