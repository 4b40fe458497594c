"""Edge cases of the "my status" reply: unverified times, departed members, strangers."""

from __future__ import annotations

import dataclasses

from termfixture import term

from studybot.core.messages import messages_for
from studybot.core.status import status_reply

KO = messages_for("ko")


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
