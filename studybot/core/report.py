"""The report: every visible week judged for every member, tallies and settlement, as data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from studybot.core.config import StudyConfig
from studybot.core.evidence import BlogPost, Evidence, Notice, Submission, same_url_notices
from studybot.core.rotation import plan_blog, swap
from studybot.core.rules import Tally, fine_for, judge
from studybot.core.schedule import Schedule, Week
from studybot.core.settlement import Settlement, settle
from studybot.core.verdicts import Verdict


@dataclass(frozen=True)
class Judgement:
    """One member's verdict for one week, with the submission it rests on."""

    verdict: Verdict
    fine: int
    submission: Submission | None = None
    note: str = ""  # why, for excused weeks and overrides
    arrived_after: dt.datetime | None = None  # absent, yet something came after the cut-off: when


@dataclass(frozen=True)
class WeekReport:
    week: Week
    final: bool
    blog_member: str | None
    blog: BlogPost | None
    members: dict[str, Judgement]


@dataclass(frozen=True)
class Report:
    study: str
    timezone: str
    currency: str
    now: dt.datetime
    weeks: tuple[WeekReport, ...]
    tallies: dict[str, Tally]
    settlement: Settlement
    warnings: tuple[Notice, ...]
    github: dict[str, str | None] = field(default_factory=dict)
    paid: dict[str, int] = field(default_factory=dict)
    writers: dict[int, str | None] = field(default_factory=dict)  # team blog, every graded week
    planned_writers: dict[int, str | None] = field(default_factory=dict)  # the same before swaps
    finished: bool = False  # every graded week is final: the settlement is no projection
    exclude: str = "last_place"  # the config's settlement.exclude, which picks the settlement's wording


def excuses_of(config: StudyConfig) -> dict[tuple[str, int], str]:
    return {(excuse.member, excuse.week): excuse.reason for excuse in config.excuses}


def blog_writers(
    config: StudyConfig,
    schedule: Schedule,
    fixed: Mapping[int, str] | None = None,
    swaps: Mapping[int, str] | None = None,
) -> tuple[dict[int, str | None], dict[int, str | None]]:
    """Each graded week's team-blog writer as planned, and with the config's and commands' swaps."""
    team_blog = config.rotation.team_blog
    if team_blog is None:
        return {}, {}
    overrides = {swap.week: swap.member for swap in team_blog.swaps} | dict(swaps or {})
    planned = plan_blog([week.number for week in schedule.weeks], team_blog.order, config.members, fixed)
    return planned, swap(planned, overrides)


def build_report(
    config: StudyConfig,
    schedule: Schedule,
    evidence: Evidence,
    now: dt.datetime,
    *,
    frozen: Mapping[tuple[str, int], Judgement] | None = None,
    excuses: Mapping[tuple[str, int], str] | None = None,
    blog_fixed: Mapping[int, str] | None = None,
    blog_overrides: Mapping[int, str] | None = None,
    paid: Mapping[str, int] | None = None,
) -> Report:
    """Judge every week due by ``now`` + 7 days for every member.

    ``frozen`` holds final verdicts from the ledger, which win over fresh evidence except for a
    waiver; ``excuses`` are the waivers in force (default: the config's); ``blog_fixed`` keeps
    past rotation weeks as they were planned.
    """
    frozen = frozen or {}
    waivers = excuses_of(config) if excuses is None else dict(excuses)
    visible = schedule.visible(now)
    planned, writers = blog_writers(config, schedule, blog_fixed, blog_overrides)
    tallies = {member.name: Tally() for member in config.members}
    weeks: list[WeekReport] = []
    for week in visible:
        judgements: dict[str, Judgement] = {}
        for member in config.members:
            key = (member.name, week.number)
            if key in frozen and (key not in waivers or frozen[key].verdict is Verdict.EXCUSED):
                judgement = frozen[key]
            else:
                excused = key in waivers
                verdict = judge(week, member, evidence.submissions.get(key), now, excused)
                arrived = evidence.submissions.get(key)
                submission = arrived if verdict in (Verdict.ON_TIME, Verdict.LATE) else None
                late_arrival = arrived.at if verdict is Verdict.ABSENT and arrived and arrived.at <= now else None
                judgement = Judgement(
                    verdict, fine_for(verdict, config.fines), submission,
                    waivers.get(key, "") if excused else "", late_arrival,
                )
            judgements[member.name] = judgement
            tallies[member.name] = tallies[member.name].add(judgement.verdict, judgement.fine)
        weeks.append(
            WeekReport(week, week.is_final(now), writers.get(week.number), evidence.blog.get(week.number), judgements)
        )
    departed = [member.name for member in config.members if member.left_week is not None and member.left_week <= config.last_week]
    settlement = settle(
        {name: tally.fines for name, tally in tallies.items()},
        config.settlement.exclude == "last_place",
        departed,
    )
    return Report(
        study=config.study.name,
        timezone=config.study.timezone,
        currency=config.study.currency,
        now=now,
        weeks=tuple(weeks),
        tallies=tallies,
        settlement=settlement,
        warnings=tuple(dict.fromkeys([*evidence.warnings, *same_url_notices(evidence)])),
        github={member.name: member.github for member in config.members},
        paid=dict(paid or {}),
        writers=writers,
        planned_writers=planned,
        finished=bool(schedule.weeks) and schedule.weeks[-1].is_final(now),
        exclude=config.settlement.exclude,
    )


def report_json(report: Report, schedule: Schedule, messages: Any) -> dict[str, Any]:
    """The stable JSON shape of SPEC §9 (field names are a contract)."""

    def local(instant: dt.datetime | None) -> str | None:
        return schedule.local(instant).isoformat() if instant else None

    weeks = []
    for week in report.weeks:
        members = {}
        for name, judgement in week.members.items():
            submission = judgement.submission
            members[name] = {
                "verdict": judgement.verdict.value,
                "fine": judgement.fine,
                "source": submission.source.value if submission else None,
                "url": submission.url if submission else None,
                "at": local(submission.at) if submission else None,
                "trusted": submission.trusted if submission else None,
            }
            if judgement.note:
                members[name]["note"] = judgement.note
        weeks.append(
            {
                "week": week.week.number,
                "deadline": local(week.week.deadline),
                "late_until": local(week.week.late_until),
                "final": week.final,
                "blog": {
                    "member": week.blog_member,
                    "done": week.blog is not None,
                    "url": week.blog.url if week.blog else None,
                },
                "members": members,
            }
        )
    settlement = report.settlement
    return {
        "study": report.study,
        "timezone": report.timezone,
        "now": local(report.now),
        "weeks": weeks,
        "members": {
            name: {
                "github": report.github.get(name),
                "on_time": tally.on_time,
                "late": tally.late,
                "absent": tally.absent,
                "excused": tally.excused,
                "fines": tally.fines,
            }
            for name, tally in report.tallies.items()
        },
        "settlement": {
            "pot": settlement.pot,
            "excluded": list(settlement.excluded),
            "payout_each": settlement.payout_each,
            "remainder": settlement.remainder,
            "final": report.finished,
            "departed": list(settlement.departed),
            "members": {
                name: {"fines": share.fines, "payout": share.payout, "net": share.net}
                for name, share in settlement.members.items()
            },
        },
        # One sentence once: the history and the table as it stands may find the same problem.
        "warnings": list(dict.fromkeys(messages.notice(warning, local=schedule.local) for warning in report.warnings)),
    }
