"""Comments as members write them, through the whole run (decide, then apply, on the fake GitHub
backed by a real git repository): the forms that count, the week a comment names, several links,
what the leader is told about a link that did not count, and two attacks on comments.

The seed study: week 1 is due 2022-04-13 00:00 KST (late until 12:00, reminder at 04-12 18:00);
week 2, after the midterm break, is due 2022-05-04 00:00, so its issue opens 04-27 00:00.
"""

from __future__ import annotations

import pytest
from helpers import kst
from studyworld import Study
from test_cheating import RESULTS_AT, frozen, make_study, verdict, week_issue

from studybot.core.evidence import Problem
from studybot.core.markers import Kind, marker
from studybot.core.messages import messages_for
from studybot.core.schedule import build_schedule
from studybot.shell.runner import job_summary

MIJIN = "mijinkoo"  # 구미진
HYEON = "shining-arrow"  # 한현경
WEEK2_OPEN = kst(2022, 4, 27, 0, 5)


@pytest.fixture()
def study(tmp_path) -> Study:
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))  # week 1's issue opens
    return study


def replies_to(study: Study, comment_id: int) -> list[str]:
    return [c.body for c in study.github.comments.values()
            if marker(0, Kind.REPLY, comment_id) in c.body and c.author == study.github.bot]


def results(study: Study, week: int) -> str:
    (found,) = [c.body for c in study.github.comments.values()
                if marker(week, Kind.RESULTS) in c.body and c.author == study.github.bot]
    return found


def summary(study: Study, outcome) -> str:
    return job_summary(outcome, build_schedule(study.config), messages_for("ko"), False)


def problems(outcome, member: str) -> set[Problem]:
    return {notice.problem for notice in outcome.report.warnings if notice.member == member}


# ---- the forms that count ----------------------------------------------------------------------

FORMS = {
    "markdown link with text": (
        "저도 올려요~ 노션에 정리했습니다\n[1주차 정리](https://www.notion.so/mijin/week1-abc)",
        "https://www.notion.so/mijin/week1-abc",
    ),
    "no scheme on a blog host": ("과제 올렸어요 ㅎㅎ velog.io/@mijin/week1", "https://velog.io/@mijin/week1"),
    "no scheme on a subdomain": ("과제입니다 mijin.tistory.com/12", "https://mijin.tistory.com/12"),
    "autolink": ("과제 제출합니다 <https://github.com/mijin/mlops/pull/1>", "https://github.com/mijin/mlops/pull/1"),
    "colab without a scheme": ("1주차 제출 colab.research.google.com/drive/1abc", "https://colab.research.google.com/drive/1abc"),
}


@pytest.mark.parametrize(("body", "url"), list(FORMS.values()), ids=list(FORMS))
def test_each_form_members_write_counts_with_a_rocket_and_no_reminder(study, body, url):
    """The trial's comments: counted on time, a 🚀 under them, no 'not counted' reply, and the
    reminder does not name her."""
    comment = study.github.add_comment(week_issue(study, 1), body, MIJIN, at=kst(2022, 4, 10, 21))
    study.run(kst(2022, 4, 10, 22))
    outcome = study.run(kst(2022, 4, 12, 18, 5))  # the reminder goes out
    judgement = outcome.report.weeks[0].members["구미진"]
    assert judgement.verdict.value == "on_time" and judgement.submission.url == url
    assert study.github.reactions[comment.id] == ["rocket"] and replies_to(study, comment.id) == []
    (reminder,) = [c.body for c in study.github.comments.values() if marker(1, Kind.REMINDER) in c.body]
    assert "@mijinkoo" not in reminder


# ---- the week a comment names --------------------------------------------------------------------


def test_a_comment_naming_week_2_on_week_1s_issue_counts_for_week_2_with_a_note(study):
    """Posted on week 1's (closed) issue while week 2 is open: week 2 on time, week 1 unchanged,
    a 🚀 and one reply saying which week it counted for."""
    study.run(RESULTS_AT)
    assert frozen(study, "구미진") == ("absent", 4000)
    study.run(WEEK2_OPEN)
    comment = study.github.add_comment(
        week_issue(study, 1), "2주차 과제 제출합니다 https://velog.io/@mijin/week2", MIJIN, at=kst(2022, 4, 28, 9)
    )
    outcome = study.run(kst(2022, 4, 28, 10))
    assert verdict(outcome, "구미진", 2) == ("on_time", 0)
    assert frozen(study, "구미진") == ("absent", 4000)
    assert study.github.reactions[comment.id] == ["rocket"]
    (reply,) = replies_to(study, comment.id)
    assert "2주차라고 적혀 있어" in reply and "1주차가 아니라 2주차 과제로 받았습니다" in reply


def test_a_comment_naming_a_week_not_yet_open_counts_for_no_week_and_everyone_is_told(study):
    """Week 2's homework posted during week 1: neither week counts it; the member is told when
    week 2 opens, and the leader sees the link, who and when, in the job summary."""
    comment = study.github.add_comment(
        week_issue(study, 1), "2주차 과제 제출합니다 https://velog.io/@mijin/week2", MIJIN, at=kst(2022, 4, 12, 9)
    )
    outcome = study.run(kst(2022, 4, 12, 10))
    assert verdict(outcome, "구미진", 1) == ("pending", 0)
    assert comment.id not in study.github.reactions
    (reply,) = replies_to(study, comment.id)
    assert "2주차는 4월 27일(수) 00:00에 열려서 아직 제출로 받지 않았습니다" in reply
    assert Problem.WEEK_NOT_OPEN in problems(outcome, "구미진")
    told = summary(study, outcome)
    assert "구미진 님이 4월 12일(화) 09:00에 1주차 이슈" in told and "velog.io/@&#8203;mijin/week2" in told
    study.run(RESULTS_AT)  # absent in week 1: the leader sees why in week 1's results, where she left it
    assert frozen(study, "구미진") == ("absent", 4000)
    assert "1주차 이슈" in results(study, 1) and "2주차가 열리기 전이라" in results(study, 1)


# ---- several links, and links that did not count ------------------------------------------------


def test_of_several_links_the_first_counts_and_the_others_are_noted_to_member_and_leader(study):
    comment = study.github.add_comment(
        week_issue(study, 1), "과제 제출합니다\n- https://notion.example/week1\n- https://github.com/mijin/code",
        MIJIN, at=kst(2022, 4, 12, 21),
    )
    study.run(kst(2022, 4, 12, 22))
    outcome = study.run(RESULTS_AT)
    judgement = outcome.report.weeks[0].members["구미진"]
    assert judgement.submission.url == "https://notion.example/week1" and frozen(study, "구미진") == ("on_time", 0)
    assert study.github.reactions[comment.id] == ["rocket"]
    (reply,) = replies_to(study, comment.id)
    assert "첫 링크를 1주차 과제로 받았습니다" in reply and "다른 링크 1개" in reply
    assert "스터디장 확인" in results(study, 1) and "https://github.com/mijin/code" in results(study, 1)


def test_a_link_that_did_not_count_is_told_to_the_leader_in_three_places(study):
    """A homework link with no word of handing in: the member gets the reply; the leader sees the
    link, who and when in the report's warnings, the week's results comment and the job summary."""
    study.github.add_comment(week_issue(study, 1), "다 했어요 https://notion.example/mine", MIJIN, at=kst(2022, 4, 11, 20))
    study.run(kst(2022, 4, 11, 21))
    outcome = study.run(RESULTS_AT)
    (notice,) = [n for n in outcome.report.warnings if n.problem is Problem.UNCOUNTED_NO_WORD]
    assert (notice.member, notice.week, notice.detail) == ("구미진", 1, "https://notion.example/mine")
    line = "1주차 구미진 님이 4월 11일(월) 20:00에 이슈"
    assert line in results(study, 1) and "https://notion.example/mine" in results(study, 1)
    assert line in summary(study, outcome)
    assert frozen(study, "구미진") == ("absent", 4000)  # the money follows the rule; the leader decides


# ---- attacks --------------------------------------------------------------------------------------


def test_a_marker_added_to_someone_elses_comment_does_not_make_her_late(study):
    """구미진 edits an invisible `<!-- studybot:… -->` into 한현경's on-time comment before the bot
    saw it. Only receipts make a comment the bot's: her link still counts on time, her fine stays
    0, and the leader is told that her comment carries a marker someone put there."""
    issue = week_issue(study, 1)
    theirs = study.github.add_comment(issue, "제출합니다 https://velog.io/@hyeon/week1", HYEON, at=kst(2022, 4, 12, 21))
    study.github.edit_comment(
        theirs.id, marker(1, Kind.RESULTS) + "\n제출합니다 https://velog.io/@hyeon/week1", at=kst(2022, 4, 12, 21, 30)
    )
    outcome = study.run(RESULTS_AT)
    assert frozen(study, "한현경") == ("on_time", 0)
    assert outcome.report.tallies["한현경"].fines == 0
    assert Problem.MARKED_COMMENT in problems(outcome, "한현경")
    assert "숨은 studybot 표시" in results(study, 1)
    assert study.github.comments[theirs.id].body.endswith("velog.io/@hyeon/week1")  # the bot never edits hers


def test_two_hundred_comments_from_one_member_cost_three_answers(study):
    """200 link comments in one evening: three answers in all (not 200), her verdict rests on her
    first link, nobody else's record moves, and the leader is told."""
    issue = week_issue(study, 1)
    flood = [
        study.github.add_comment(issue, f"제출 https://spam.example/{n}", MIJIN, at=kst(2022, 4, 12, 20, n // 60, n % 60))
        for n in range(200)
    ]
    before = len(study.github.writes)
    outcome = study.run(kst(2022, 4, 12, 23))
    answers = [w for w in study.github.writes[before:]
               if w[0] == "add_reaction" or (w[0] == "create_comment" and ":kind=reply" in w[1]["body"])]
    assert len(answers) == 3
    assert {c.id for c in flood[:3]} == set(study.github.reactions)
    assert outcome.report.weeks[0].members["구미진"].submission.url == "https://spam.example/0"
    (notice,) = [n for n in outcome.report.warnings if n.problem is Problem.MANY_COMMENTS]
    assert (notice.member, notice.detail) == ("구미진", "200")
    assert "링크가 담긴 댓글을 200개" in summary(study, outcome)
    study.run(kst(2022, 4, 13, 1))
    assert len(study.github.reactions) == 3  # a later run answers none of the rest
    study.run(RESULTS_AT)
    assert frozen(study, "구미진") == ("on_time", 0) and frozen(study, "이은빈") == ("absent", 4000)
