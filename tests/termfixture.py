"""A small judged term for the picture and status tests: every state, a hostile name, a payment."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytz

from studybot.core.config import StudyConfig, parse_config
from studybot.core.evidence import BlogPost, Evidence, Source, Submission
from studybot.core.report import Report, build_report
from studybot.core.schedule import Schedule, build_schedule

SEOUL = pytz.timezone("Asia/Seoul")
HOSTILE = '<b>Kim</b> & "Lee" @here'
EXAMPLE = resources.files("studybot").joinpath("example", "study.yml").read_text(encoding="utf-8")


def kst(*parts: int) -> dt.datetime:
    return SEOUL.localize(dt.datetime(*parts))


def term_config(language: str = "ko") -> StudyConfig:
    """The example study plus a member whose name is markup, with 한현경 excused in week 3."""
    text = EXAMPLE.replace(
        "  - {name: 문수인, github: m0oon0}",
        "  - {name: 문수인, github: m0oon0}\n  - {name: '" + HOSTILE.replace("'", "''") + "', github: kim-lee, joined_week: 2}",
    ).replace("excuses: []", "excuses: [{week: 3, member: 한현경, reason: 병결}]")
    text = text.replace("language: ko", f"language: {language}")
    return parse_config(text, "study.yml")


def term(language: str = "ko", now: dt.datetime | None = None) -> tuple[StudyConfig, Schedule, Report]:
    """Weeks 1-5 final, week 6 pending (as of 2022-05-26 00:00 KST), weeks 7-12 upcoming."""
    config = term_config(language)
    schedule = build_schedule(config)
    evidence = Evidence()

    def hand_in(member: str, week: int, at: dt.datetime) -> None:
        evidence.submissions[(member, week)] = Submission(
            member, week, Source.README, f"https://example.com/{week}", at, trusted=True
        )

    for week in range(1, 6):
        deadline = schedule.local(schedule.weeks[week - 1].deadline)
        hand_in("장서진", week, deadline - dt.timedelta(hours=3))  # always on time
        hand_in("이은빈", week, deadline - dt.timedelta(days=1))
        if week != 2:
            hand_in(HOSTILE, week, deadline - dt.timedelta(hours=1))
    hand_in("구미진", 1, schedule.local(schedule.weeks[0].deadline) + dt.timedelta(hours=2))  # late
    hand_in("문수인", 1, schedule.local(schedule.weeks[0].deadline) - dt.timedelta(minutes=2))
    evidence.blog[1] = BlogPost(1, "https://example.com/blog/1")
    report = build_report(
        config, schedule, evidence, now or kst(2022, 5, 26), paid={"구미진": 3000}
    )
    return config, schedule, report
