"""Maintainer commands applied to the state (core/commands.py), on reports built in memory.

The credit command (`/studybot 인정 <이름> <주차> [사유]`) finds the unread item the report
told the leader about and records it; what the week then becomes is decide's (see
tests/test_decide_commands.py and tests/flows/test_credit.py for whole runs).
"""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import ROOT, kst, started

from studybot.core.commands import Request, apply_requests
from studybot.core.comments import Command, CommandError, CommandProblem, Verb, parse_commands
from studybot.core.config import parse_config
from studybot.core.credit import credit_evidence
from studybot.core.evidence import Evidence, Notice, Problem, Source, Submission
from studybot.core.messages import messages_for
from studybot.core.records import Comment
from studybot.core.report import build_report
from studybot.core.schedule import build_schedule
from studybot.core.state import Decisions, FrozenVerdict, FrozenWeek, Override, State, load_state
from studybot.core.verdicts import Verdict

CONFIG = parse_config((ROOT / "studybot" / "example" / "study.yml").read_text())
SCHEDULE = build_schedule(CONFIG)
LEADER, MIJIN = "SEOJIN-Lab", "mijinkoo"
WEEK1 = SCHEDULE.weeks[0]  # due 2022-04-13 00:00 KST, late until 12:00
NOW = kst(2022, 4, 14, 9)
KO = messages_for("ko")


def outside(at: dt.datetime, week: int | None = 1, member: str = "구미진", ref: str = "c1") -> Notice:
    return Notice(Problem.FOLDER_OUTSIDE, week, member, f"{member}/", ref, MIJIN, at)


def credit(line: str, notices: list[Notice], state: State | None = None, *, author: str = LEADER, at: dt.datetime = NOW):
    """Apply one command comment to a report whose warnings are ``notices``."""
    report = build_report(CONFIG, SCHEDULE, Evidence(warnings=list(notices)), NOW)
    comment = Comment(77, 9, author, line, at, at)
    allowed = {LEADER: True, MIJIN: False}
    applied = apply_requests(
        [Request(comment, parse_commands(line))], allowed, CONFIG, SCHEDULE, report, state or started(), NOW, KO
    )
    (reply,) = applied.replies
    return applied.state, reply.body or ""


def credits(state: State) -> list[Override]:
    return [o for o in state.decisions.overrides if o.kind == "credit"]


# ---- reading the command -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "login", "week", "reason"),
    [
        ("/studybot 인정 구미진 1 폴더를 잘못 넣음", "구미진", 1, "폴더를 잘못 넣음"),
        ("/studybot credit @mijinkoo week 3", "mijinkoo", 3, ""),
        ("/studybot credit mijinkoo, 2주차, 링크만 올림", "mijinkoo", 2, "링크만 올림"),
    ],
)
def test_credit_names_a_member_by_name_or_login_a_week_and_an_optional_reason(line, login, week, reason):
    """`인정` and `credit` read a name or a login, the week in any usual spelling, and an optional reason."""
    assert parse_commands(line) == (Command(Verb.CREDIT, line, login=login, week=week, reason=reason),)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("/studybot 인정 3", CommandProblem.MISSING_USER),
        ("/studybot 인정 @ 3", CommandProblem.BAD_USER),
        ("/studybot 인정 구미진", CommandProblem.MISSING_WEEK),
        ("/studybot 인정 구미진 셋째주", CommandProblem.BAD_WEEK),
    ],
)
def test_a_credit_without_a_member_or_week_is_refused_with_the_reason(line, problem):
    """A credit line missing whom or which week is answered with what is missing, and changes nothing."""
    (found,) = parse_commands(line)
    assert isinstance(found, CommandError) and (found.problem, found.verb) == (problem, Verb.CREDIT)


# ---- finding what to credit --------------------------------------------------------------------


def test_a_credit_records_who_when_which_comment_and_which_item():
    """The leader's credit names the file, its commit and its trusted time in the ledger, and the reply says on time."""
    state, reply = credit("/studybot 인정 구미진 1 폴더를 잘못 넣음", [outside(kst(2022, 4, 12, 20))])
    (override,) = credits(state)
    assert (override.by, override.at, override.comment, override.member, override.week, override.reason) == (
        LEADER, NOW, 77, "구미진", 1, "폴더를 잘못 넣음")
    assert (override.problem, override.work, override.ref, override.work_at) == (
        "folder_outside", "구미진/", "c1", kst(2022, 4, 12, 20))
    assert "구미진 님의 1주차 과제로 ` 구미진/ `을(를) 인정했습니다" in reply and "정시 제출입니다" in reply


def test_an_item_in_the_late_window_is_answered_as_late():
    """Credited work that came between the deadline and the cut-off is told as late."""
    _, reply = credit("/studybot 인정 @mijinkoo 1", [outside(kst(2022, 4, 13, 9))])
    assert "지각입니다" in reply


def test_a_credit_with_nothing_to_credit_says_where_to_look_and_changes_nothing():
    """No unread item for that member and week: a reply pointing to the results comment and the run summary."""
    state, reply = credit("/studybot 인정 구미진 1", [outside(kst(2022, 4, 12, 20), member="이은빈")])
    assert credits(state) == []
    assert "인정할 항목이 없습니다" in reply and "스터디장 확인" in reply and "실행 요약" in reply


def test_an_item_is_credited_once():
    """A second credit for the same item finds nothing left to credit."""
    first, _ = credit("/studybot 인정 구미진 1", [outside(kst(2022, 4, 12, 20))])
    again, reply = credit("/studybot 인정 구미진 1", [outside(kst(2022, 4, 12, 20))], first)
    assert len(credits(again)) == 1 and "인정할 항목이 없습니다" in reply


def test_the_week_the_item_names_comes_before_an_item_that_names_none():
    """Of the member's unread items, one that names the week wins over an earlier one that names no week."""
    notices = [outside(kst(2022, 4, 8), week=None, ref="early"), outside(kst(2022, 4, 12, 20), ref="named")]
    state, _ = credit("/studybot 인정 구미진 1", notices)
    assert [o.ref for o in credits(state)] == ["named"]


def test_an_item_that_names_no_week_is_credited_for_the_week_the_maintainer_names():
    """A file whose folder and commit message state no week counts for the week the command names, earliest first."""
    notices = [outside(kst(2022, 4, 12), week=None, ref="later"), outside(kst(2022, 4, 11), week=None, ref="first")]
    state, _ = credit("/studybot 인정 구미진 1", notices)
    assert [(o.ref, o.week) for o in credits(state)] == [("first", 1)]


def test_a_comment_that_named_a_closed_week_is_credited_for_its_issues_week():
    """A link posted on week 2's issue saying '1주차' after week 1 closed can be credited as week 2's work."""
    notice = Notice(Problem.WEEK_CLOSED, 1, "구미진", "https://velog.io/@mijin/2", "10", other="2", at=kst(2022, 4, 19))
    state, reply = credit("/studybot 인정 구미진 2", [notice])
    (override,) = credits(state)
    assert (override.week, override.work, override.problem) == (2, "https://velog.io/@mijin/2", "week_closed")
    assert "정시 제출입니다" in reply  # before week 2's deadline (04-20 00:00)


def test_a_dropped_push_is_credited_to_the_member_who_pushed_it():
    """A push a rewrite took off the branch names its pusher by login; the credit counts it at the push time."""
    dropped = Notice(Problem.DROPPED_PUSH, detail="binable43", ref="abc1234def", other=MIJIN, at=kst(2022, 4, 12, 22))
    state, reply = credit("/studybot 인정 구미진 1", [dropped])
    (override,) = credits(state)
    assert (override.member, override.work, override.ref, override.work_at) == ("구미진", "", "abc1234def", kst(2022, 4, 12, 22))
    assert "` abc1234 `" in reply


@pytest.mark.parametrize("problem", [Problem.FOLDER_FOREIGN, Problem.FOLDER_MOVED])
def test_someone_elses_file_is_not_credited(problem):
    """A file another person put in her folder, or one repeating another member's, is refused with the way to excuse."""
    notice = Notice(problem, 1, "구미진", "1주차/구미진/a.md", "c9", "이은빈", kst(2022, 4, 12))
    state, reply = credit("/studybot 인정 구미진 1", [notice])
    assert credits(state) == [] and "인정하지 않습니다" in reply and "/studybot 면제" in reply


def test_a_credit_naming_no_member_or_no_week_of_the_term_is_answered():
    """An unknown name and a week outside the schedule are each answered, and nothing is recorded."""
    state, reply = credit("/studybot 인정 홍길동 1", [outside(kst(2022, 4, 12, 20))])
    assert credits(state) == [] and "` 홍길동 `" in reply
    state, reply = credit("/studybot 인정 구미진 99", [outside(kst(2022, 4, 12, 20))])
    assert credits(state) == [] and "99주차는 일정에 없는" in reply


def test_a_member_cannot_credit_herself():
    """A member's own credit is refused with one reply naming the maintainers; no override is recorded."""
    state, reply = credit("/studybot 인정 나 1", [outside(kst(2022, 4, 12, 20))], author=MIJIN)
    assert credits(state) == [] and "스터디장(장서진)만" in reply


def test_a_credit_on_a_final_week_lets_it_be_judged_again():
    """A frozen absence is taken out of the frozen week, so the run judges it again with the credit."""
    frozen = FrozenWeek(finalized_at=kst(2022, 4, 13, 12), members={
        "구미진": FrozenVerdict(verdict=Verdict.ABSENT, fine=4000), "이은빈": FrozenVerdict(verdict=Verdict.ON_TIME, fine=0)})
    state, _ = credit("/studybot 인정 구미진 1", [outside(kst(2022, 4, 12, 20))], started(weeks={1: frozen}))
    assert set(state.decisions.weeks[1].members) == {"이은빈"}


# ---- the credit as evidence --------------------------------------------------------------------


def _credited(at: dt.datetime) -> Decisions:
    return Decisions(overrides=[Override(
        kind="credit", by=LEADER, at=NOW, comment=77, member="구미진", week=1, problem="folder_outside",
        work="구미진/", ref="c1", work_at=at)])


def test_a_credit_is_a_submission_at_the_items_time_and_the_item_is_no_longer_told():
    """The credited item becomes a credit submission at its trusted time; the leader is no longer told it is unread."""
    other = outside(kst(2022, 4, 12), member="이은빈", ref="c2")
    evidence = Evidence(warnings=[outside(kst(2022, 4, 12, 20)), other])
    credit_evidence(_credited(kst(2022, 4, 12, 20)), evidence)
    assert evidence.submissions[("구미진", 1)] == Submission(
        "구미진", 1, Source.CREDIT, "구미진/", kst(2022, 4, 12, 20), True, LEADER, "c1")
    assert evidence.warnings == [other]
    report = build_report(CONFIG, SCHEDULE, evidence, NOW)
    assert report.weeks[0].members["구미진"].verdict is Verdict.ON_TIME


def test_an_earlier_real_submission_wins_over_a_credit():
    """A member who also handed in properly before the credited time keeps her own submission."""
    evidence = Evidence()
    evidence.add(Submission("구미진", 1, Source.README, "https://velog.io/@mijin/1", kst(2022, 4, 12), True))
    credit_evidence(_credited(kst(2022, 4, 12, 20)), evidence)
    assert evidence.submissions[("구미진", 1)].source is Source.README


def test_a_ledger_from_before_credits_loads():
    """Overrides written before the credit fields existed load with empty credit fields."""
    text = ('{"schema": 2, "decisions": {"overrides": [{"kind": "excuse", "by": "SEOJIN-Lab",'
            ' "at": "2022-04-14T00:00:00+00:00", "member": "구미진", "week": 1, "reason": "병결"}]}}')
    (override,) = load_state(text).decisions.overrides
    assert (override.problem, override.work, override.ref, override.work_at) == ("", "", "", None)
