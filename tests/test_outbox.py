"""Messenger notices planned on in-memory worlds: which event goes to which chat, and when."""

from __future__ import annotations

import datetime as dt

from helpers import decide_on, kst, started
from test_decide import WEEK1_DEADLINE, online, world

from studybot.core.decide import Plan
from studybot.core.markers import Kind, digest, marker
from studybot.core.plan import Notify, PostComment
from studybot.core.state import BotComment, Override, WeekIssue

HOOKS = frozenset({"discord", "slack", "teams"})


def run(seed, seed_schedule, ledger, now, hooks=HOOKS, **github) -> Plan:
    return decide_on(seed, seed_schedule, world(github=online(**github)), ledger, now, webhooks=hooks)


def sent(plan: Plan) -> list[tuple[str, str, int | None]]:
    return [(op.platform, op.notice.event.value, op.week) for op in plan.operations if isinstance(op, Notify)]


def test_the_opening_goes_to_discord_with_the_writer_named(seed, seed_schedule):
    """Opening week 1 tells Discord (which takes openings) and not Slack (which does not)."""
    plan = run(seed, seed_schedule, started(), WEEK1_DEADLINE - dt.timedelta(days=6))
    assert sent(plan) == [("discord", "opened", 1)]
    (notify,) = [op for op in plan.operations if isinstance(op, Notify)]
    assert notify.notice.mentions == ("이은빈",)


def test_no_webhook_no_notice(seed, seed_schedule):
    """Without a webhook URL for a configured chat, nothing is sent anywhere."""
    plan = run(seed, seed_schedule, started(), WEEK1_DEADLINE - dt.timedelta(days=6), hooks=frozenset({"teams"}))
    assert sent(plan) == []


def test_a_notice_already_sent_is_not_sent_again(seed, seed_schedule):
    """The opening recorded as sent is not sent a second time."""
    first = run(seed, seed_schedule, started(), WEEK1_DEADLINE - dt.timedelta(days=6))
    (notify,) = [op for op in first.operations if isinstance(op, Notify)]
    again = started(issues={1: WeekIssue(number=3)}, sent=[notify.key])
    assert sent(run(seed, seed_schedule, again, WEEK1_DEADLINE - dt.timedelta(days=5))) == []


def test_the_reminder_names_who_is_still_waiting(seed, seed_schedule):
    """The reminder goes out naming the members without a submission, and not when all are excused."""
    opened = started(issues={1: WeekIssue(number=3)}, sent=["discord:opened:1"])
    now = WEEK1_DEADLINE - dt.timedelta(hours=3)
    plan = run(seed, seed_schedule, opened, now)
    reminders = [op for op in plan.operations if isinstance(op, Notify) and op.notice.event.value == "reminder"]
    assert reminders and "구미진" in reminders[0].notice.mentions
    excused = [Override(kind="excuse", by="SEOJIN-Lab", at=kst(2022, 4, 8), member=m.name, week=1, reason="x")
               for m in seed.members]
    reminded = opened.with_sync(bot_comments={marker(1, Kind.REMINDER): BotComment(id=1)})
    quiet = reminded.with_decisions(overrides=excused)
    assert not [e for e in sent(run(seed, seed_schedule, quiet, now)) if e[1] == "reminder"]


def test_the_closing_is_told_only_inside_the_late_window(seed, seed_schedule):
    """The closing notice goes out between the deadline and the late cut-off, and not after it."""
    opened = started(issues={1: WeekIssue(number=3)}, bot_comments={marker(1, Kind.REMINDER): BotComment(id=1)})
    plan = run(seed, seed_schedule, opened, WEEK1_DEADLINE + dt.timedelta(minutes=5), questions=())
    assert ("discord", "closed", 1) in sent(plan)
    closed = opened.with_sync(bot_comments={marker(1, Kind.CLOSING): BotComment(id=2)})
    after = run(seed, seed_schedule, closed, WEEK1_DEADLINE + dt.timedelta(hours=13), questions=())
    assert ("discord", "closed", 1) not in sent(after)


def test_results_go_to_both_chats_for_a_week_then_stop(seed, seed_schedule):
    """Results are sent to Discord and Slack after the late cut-off, and no longer once a week has passed."""
    done = started(issues={1: WeekIssue(number=3, state="closed", week_closed=True)},
                   bot_comments={marker(1, Kind.CLOSING): BotComment(id=2)})
    late_until = seed_schedule.weeks[0].late_until
    plan = run(seed, seed_schedule, done, late_until + dt.timedelta(hours=1), questions=())
    assert {("discord", "results", 1), ("slack", "results", 1)} <= set(sent(plan))
    posted = done.with_sync(bot_comments={**done.sync.bot_comments, marker(1, Kind.RESULTS): BotComment(id=3)})
    stale = run(seed, seed_schedule, posted, late_until + dt.timedelta(days=8), questions=())
    assert not [e for e in sent(stale) if e[1] == "results"]


def test_the_settlement_is_sent_when_posted_and_not_from_memory(seed, seed_schedule):
    """The settlement goes to both chats in the run that posts it; a later run that only remembers it sends nothing."""
    last = seed_schedule.weeks[-1]
    issues = {w.number: WeekIssue(number=100 + w.number, state="closed", week_closed=True) for w in seed_schedule.weeks}
    comments = {marker(w.number, kind): BotComment(id=w.number * 10 + i)
                for w in seed_schedule.weeks for i, kind in enumerate((Kind.CLOSING, Kind.RESULTS))}
    ended = started(issues=issues, bot_comments=comments)
    plan = run(seed, seed_schedule, ended, last.late_until + dt.timedelta(hours=1), questions=())
    assert {("discord", "settlement", last.number), ("slack", "settlement", last.number)} <= set(sent(plan))
    (posted,) = [op for op in plan.operations if isinstance(op, PostComment) and op.kind is Kind.SETTLEMENT]
    kept = BotComment(id=999, digest=digest(posted.body))
    remembered = ended.with_sync(bot_comments={**comments, marker(last.number, Kind.SETTLEMENT): kept})
    again = run(seed, seed_schedule, remembered, last.late_until + dt.timedelta(hours=2), questions=())
    assert not [e for e in sent(again) if e[1] == "settlement"]
