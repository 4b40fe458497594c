"""Messenger notices planned from what the bot has done, or is about to do, on GitHub.

A notice is planned when its GitHub step is done or planned in this run, its key was never
recorded as sent, and it is still timely. A doubled run finds the key recorded and sends
nothing; a failed send records nothing, so the next run sends it again; a run that stopped
after the GitHub step sends the notice next run (the step is then found by its marker).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from studybot.core.config import NotifyEvent
from studybot.core.cycle import Context, closing_body, issue_body, reminder_body, results_body, waiting
from studybot.core.markers import Kind, marker
from studybot.core.notices import Notice, Platform, notice_key, title
from studybot.core.plan import CreateIssue, Notify, Operation, PostComment

RESULTS_STAY_NEWS = dt.timedelta(days=7)  # results, settlement and alerts: sent within a week of the event


def plan_notices(
    context: Context,
    operations: Sequence[Operation],
    platforms: Iterable[str],
    alerts: Sequence[str] = (),
    repository_url: str | None = None,
) -> list[Notify]:
    """One ``Notify`` per timely notice not yet sent, on each platform that has a webhook."""
    notify = context.config.notify
    channels = {
        Platform(name): channel
        for name in platforms
        if name in Platform._value2member_map_ and (channel := getattr(notify, name)) is not None
    }
    if not channels:
        return []
    sent = set(context.state.sync.sent)
    found: list[Notify] = []
    for notice in _notices(context, operations, alerts):
        for platform, channel in channels.items():
            key = notice_key(platform, notice)
            if notice.event in channel.events and key not in sent:
                found.append(
                    Notify(notice.week, platform.value, key, notice, dict(channel.mentions), context.messages.language,
                           repository_url)
                )
    return found


def _notices(context: Context, operations: Sequence[Operation], alerts: Sequence[str]) -> list[Notice]:
    planned = {(op.week, Kind.ISSUE) for op in operations if isinstance(op, CreateIssue)}
    planned |= {(op.week, op.kind) for op in operations if isinstance(op, PostComment)}
    sync, now, study = context.state.sync, context.now, context.config.study.name

    def done(week: int, kind: Kind) -> bool:
        if kind is Kind.ISSUE:
            return week in sync.issues or (week, kind) in planned
        return marker(week, kind) in sync.bot_comments or (week, kind) in planned

    def notice(event: NotifyEvent, week: int | None, body: str, mentions: tuple[str, ...] = ()) -> Notice:
        return Notice(event, week, title(event, week, study, context.messages), body, None, mentions)

    notices: list[Notice] = []
    for week in context.schedule.weeks:
        if now < week.deadline and done(week.number, Kind.ISSUE):
            writer = context.report.writers.get(week.number)
            notices.append(notice(NotifyEvent.OPENED, week.number, issue_body(context, week), (writer,) if writer else ()))
        if now < week.deadline and done(week.number, Kind.REMINDER):
            names = waiting(context, week)
            if names:
                notices.append(notice(NotifyEvent.REMINDER, week.number, reminder_body(context, week, names), tuple(names)))
        if week.deadline <= now < week.late_until and done(week.number, Kind.CLOSING):
            notices.append(notice(NotifyEvent.CLOSED, week.number, closing_body(context, week)))
        if _news(week.late_until, now) and done(week.number, Kind.RESULTS):
            report = next((item for item in context.report.weeks if item.week.number == week.number), None)
            # The report judges every week due by now + 7 days, so a week past its cut-off is always there.
            if report is not None:  # pragma: no branch
                notices.append(notice(NotifyEvent.RESULTS, week.number, results_body(context, report)))
    last = context.schedule.weeks[-1] if context.schedule.weeks else None
    if last is not None and _news(last.late_until, now) and done(last.number, Kind.SETTLEMENT):
        settlement = next((op for op in operations if isinstance(op, PostComment) and op.kind is Kind.SETTLEMENT), None)
        if settlement is not None:
            notices.append(notice(NotifyEvent.SETTLEMENT, last.number, settlement.body))
    notices += [notice(NotifyEvent.ALERTS, None, alert) for alert in alerts]
    return notices


def _news(since: dt.datetime, now: dt.datetime) -> bool:
    return since <= now < since + RESULTS_STAY_NEWS


