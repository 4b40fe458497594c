"""The "my status" reply (`/studybot status`, `현황`, `내벌금`): one member's term at a glance."""

from __future__ import annotations

from collections.abc import Mapping

from studybot.core.config import StudyConfig
from studybot.core.markup import escape
from studybot.core.messages import MARKS, Messages
from studybot.core.report import Report
from studybot.core.schedule import Schedule
from studybot.core.verdicts import Verdict


def next_blog_turn(report: Report, schedule: Schedule, member: str) -> int | None:
    """The first graded week still ahead (deadline after the report's now) that ``member`` writes."""
    for week in schedule.weeks:
        if week.deadline > report.now and report.writers.get(week.number) == member:
            return week.number
    return None


def status_reply(
    report: Report,
    schedule: Schedule,
    config: StudyConfig,
    member: str,
    messages: Messages,
    paid: Mapping[str, int] | None = None,
) -> str:
    """Markdown for ``member`` (a configured member name): their weeks, fines, paid, owed,
    settlement share and next blog turn. ``paid`` defaults to the report's payments.
    """
    payments = report.paid if paid is None else paid

    def money(amount: int) -> str:
        return messages.money(amount, config.study.currency)

    lines = [messages.t("status.title", member=escape(member)), ""]
    rows = []
    for week in report.weeks:
        judgement = week.members.get(member)
        if judgement is None or judgement.verdict is Verdict.NOT_MEMBER:
            continue
        if judgement.submission is not None:
            arrived = messages.when(schedule.local(judgement.submission.at))
            if not judgement.submission.trusted:
                arrived += messages.t("report.untrusted")
        elif judgement.verdict is Verdict.PENDING:
            # The last minute that counts, as the issue and the reminder say it: "5월 31일(화) 23:59까지".
            arrived = messages.deadline_spoken(schedule.local(week.week.deadline))
        elif judgement.verdict is Verdict.EXCUSED and judgement.note:
            arrived = escape(judgement.note)
        else:
            arrived = messages.t("status.none")
        rows.append(
            "| "
            + " | ".join(
                [
                    messages.t("fines.week", week=week.week.number),
                    f"{MARKS[judgement.verdict]} {messages.verdict(judgement.verdict)}",
                    arrived,
                    money(judgement.fine) if judgement.fine else "",
                ]
            )
            + " |"
        )
    if rows:
        lines += [messages.t("status.head"), "| :---: | :--- | :--- | ---: |", *rows, ""]
    else:
        lines += [messages.t("status.no_weeks"), ""]

    tally = report.tallies.get(member)
    fines = tally.fines if tally else 0
    paid_amount = payments.get(member, 0)
    lines.append(
        messages.t("status.fines", fines=money(fines), paid=money(paid_amount), owed=money(max(fines - paid_amount, 0)))
    )
    settlement = report.settlement
    share = settlement.members.get(member)
    if share is not None:
        state = messages.t("settlement.final" if report.finished else "settlement.projection")
        net = ("+" if share.net >= 0 else "−") + money(abs(share.net))
        if member in settlement.departed:
            lines.append(messages.t("status.share_departed", net=net))
        elif member in settlement.excluded:
            lines.append(messages.t("status.share_excluded", state=state, net=net))
        else:
            lines.append(messages.t("status.share", state=state, payout=money(share.payout), net=net))
    turn = next_blog_turn(report, schedule, member)
    if turn is None:
        lines.append(messages.t("status.blog_none"))
    else:
        blog_week = schedule.week(turn)
        assert blog_week is not None  # next_blog_turn only returns scheduled weeks
        lines.append(messages.t("status.blog_next", week=turn, until=messages.deadline_spoken(schedule.local(blog_week.deadline))))
    return "\n".join(lines) + "\n"
