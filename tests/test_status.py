"""The "my status" reply a member gets for `/studybot 현황`: weeks, fines, share, next blog turn."""

from __future__ import annotations

import dataclasses

from termfixture import HOSTILE, kst, term

from studybot.core.messages import messages_for
from studybot.core.status import next_blog_turn, status_reply

KO, EN = messages_for("ko"), messages_for("en")


def reply(member: str, language: str = "ko", **extra: object) -> str:
    config, schedule, report = term(language, **extra)  # type: ignore[arg-type]
    return status_reply(report, schedule, config, member, messages_for(language))


def test_each_week_shows_its_verdict_mark_and_arrival():
    """The member sees every judged week with its mark, when the work came, and the fine."""
    text = reply("구미진")
    assert "| 1주차 | ⏰ 지각 | 4월 13일(수) 02:00 | 3,000원 |" in text
    assert "| 2주차 | ❌ 결석 | — | 4,000원 |" in text
    # The day said the way the issue and the reminder say it: the last minute that counts.
    assert "| 6주차 | ⏳ 미제출 | 5월 31일(화) 23:59까지 |  |" in text
    assert "7주차" not in text.split("- ")[0]  # weeks not judged yet are not listed


def test_fines_paid_and_still_owed():
    """Totals show fines, what was paid, and what is still owed."""
    assert "- 벌금 합계 **19,000원** · 납부 3,000원 · 미납 **16,000원**" in reply("구미진")
    assert "- 벌금 합계 **0원** · 납부 0원 · 미납 **0원**" in reply("장서진")


def test_paid_given_by_the_caller_wins_over_the_report():
    """A payment recorded since the report was built is counted."""
    config, schedule, report = term()
    text = status_reply(report, schedule, config, "구미진", KO, paid={"구미진": 19000})
    assert "미납 **0원**" in text


def test_settlement_share_is_the_projection_or_none_for_last_place():
    """A receiver sees their projected share and net; last place is told they get no share."""
    assert "- 정산 — 예상: 받을 금액 11,000원, 내 벌금을 빼면 **+11,000원**" in reply("장서진")
    assert "받을 몫이 없습니다" in reply("구미진") and "**−19,000원**" in reply("구미진")


def test_excused_week_shows_the_reason_and_no_fine():
    """An excused week shows the waiver's reason and no fine."""
    assert "| 3주차 | 🙏 면제 | 병결 |  |" in reply("한현경")


def test_next_blog_turn_is_the_first_future_week_they_write():
    """The next turn skips weeks already due; a member outside the rotation is told there is none."""
    _config, schedule, report = term()
    assert report.writers[5] == "구미진"  # week 5 is already past on 2022-05-26
    assert next_blog_turn(report, schedule, "구미진") == 10
    assert "- 다음 팀 블로그 차례: **10주차** (과제 마감 7월 12일(화) 23:59까지)" in reply("구미진")
    assert "- 남은 팀 블로그 차례는 없습니다." in reply(HOSTILE)


def test_member_text_is_escaped():
    """A member name with markup and a mention is shown literally, not as HTML or a ping."""
    text = reply(HOSTILE)
    assert "<b>" not in text and "@here" not in text
    assert "&lt;b&gt;Kim&lt;/b&gt;" in text


def test_weeks_before_joining_are_left_out():
    """A week before the member joined is not listed."""
    text = reply(HOSTILE)
    assert "| 1주차 |" not in text and "| 2주차 | ❌ 결석 |" in text


def test_english_study_gets_english():
    """An English study's reply is in English with its money format."""
    text = reply("구미진", "en")
    assert "| W1 | ⏰ late | Wed 13 Apr 02:00 | KRW 3,000 |" in text
    assert "Fines **KRW 19,000** · paid KRW 3,000 · still owed **KRW 16,000**" in text
    assert "Your next team blog turn: **week 10**" in text


def test_before_the_first_week_there_is_nothing_to_judge():
    """Long before the first deadline the reply says no week is judged yet."""
    text = reply("장서진", now=kst(2022, 3, 1))
    assert KO.t("status.no_weeks") in text
    assert "- 다음 팀 블로그 차례: **4주차**" in text  # fourth in the rotation order


# ---- Edge cases of the "my status" reply: unverified times, departed members, strangers ---------



def test_a_submission_time_the_bot_could_not_verify_is_marked():
    """A week whose hand-in time is not trusted shows the time with the untrusted note."""
    config, schedule, report = term()
    week = report.weeks[0]
    judgement = week.members["장서진"]
    assert judgement.submission is not None
    untrusted = dataclasses.replace(judgement, submission=dataclasses.replace(judgement.submission, trusted=False))
    weeks = (dataclasses.replace(week, members={**week.members, "장서진": untrusted}), *report.weeks[1:])
    text = status_reply(dataclasses.replace(report, weeks=weeks), schedule, config, "장서진", KO)
    first_row = next(line for line in text.splitlines() if line.startswith("| 1주차"))
    assert KO.t("report.untrusted") in first_row


def test_a_member_who_left_is_told_their_departed_share():
    """A member who left the study sees the departed settlement line, not a payout."""
    config, schedule, report = term()
    settlement = dataclasses.replace(report.settlement, departed=("장서진",))
    text = status_reply(dataclasses.replace(report, settlement=settlement), schedule, config, "장서진", KO)
    net = report.settlement.members["장서진"].net
    assert KO.t("status.share_departed", net=("+" if net >= 0 else "−") + f"{abs(net):,}원") in text


def test_someone_outside_the_study_gets_no_weeks_and_no_share():
    """A name that is not a member gets the no-weeks line, zero fines and no settlement line."""
    config, schedule, report = term()
    text = status_reply(report, schedule, config, "외부인", KO)
    assert KO.t("status.no_weeks") in text
    assert "정산" not in text


def test_a_day_is_said_as_its_last_minute_like_the_issue_and_the_reminder():
    """The pending week and the blog turn name the last minute that counts ("…23:59까지"), never "00:00 전까지"."""
    korean, english = reply("구미진"), reply("구미진", "en")
    assert "00:00 전까지" not in korean and "(과제 마감 7월 12일(화) 23:59까지)" in korean
    assert "by Tue 31 May 23:59" in english and "(homework due by Tue 12 Jul 23:59)" in english
    assert "before Wed" not in english
