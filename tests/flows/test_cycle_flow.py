"""The weekly cycle end to end on a fake GitHub backed by a real git repository.

These prove the shell: the seed term replayed, the ledger committed, repeated and dry runs
writing nothing. The cycle's rules themselves are World -> Plan tests in test_decide_cycle.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from helpers import SEOUL, kst
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.core.records import IssueState
from studybot.core.schedule import build_schedule
from studybot.shell.demo import example_file, put_blog, put_link

START = kst(2022, 4, 6, 9)


@pytest.fixture()
def study(tmp_path) -> Study:
    text = example_file("study.yml")
    return Study(tmp_path, parse_config(text), example_file("README.md"), text, START)


def link(week: int, member: str, url: str):
    return lambda text: put_link(text, week, member, url)


def issue_for(study: Study, week: int):
    title = f"[{week}주차] Q&A"
    found = [issue for issue in study.github.issues.values() if issue.title == title]
    assert len(found) == 1, [issue.title for issue in study.github.issues.values()]
    return found[0]


def comments_with(study: Study, week: int, kind: Kind):
    return [c for c in study.github.comments.values() if marker(week, kind) in c.body]


def test_first_week_opens_reminds_closes_and_posts_results(study):
    """Week 1's issue opens, gets one reminder, closes at the deadline and gets results at noon."""
    study.run(kst(2022, 4, 6, 10))
    issue = issue_for(study, 1)
    assert issue.state is IssueState.OPEN and issue.labels == ("Q&A",)
    assert "4월 12일(화) 23:59까지" in issue.body and "UTC" not in issue.body  # as members say it, local time only
    assert "이은빈 (@binable43)" in issue.body  # the week's blog writer is mentioned

    study.edit("장서진", kst(2022, 4, 10, 21), link(1, "장서진", "https://notion.example/1"))
    study.edit("구미진", kst(2022, 4, 12, 23, 59), link(1, "구미진", "https://mijin.example/1"))
    study.run(kst(2022, 4, 12, 18, 5))
    reminders = comments_with(study, 1, Kind.REMINDER)
    assert len(reminders) == 1
    assert "@binable43" in reminders[0].body and "@SEOJIN-Lab" not in reminders[0].body

    study.edit("이은빈", kst(2022, 4, 13, 0, 30), link(1, "이은빈", "https://eunbin.example/1"))
    study.run(kst(2022, 4, 13, 0, 5))
    assert issue_for(study, 1).state is IssueState.CLOSED
    assert len(comments_with(study, 1, Kind.CLOSING)) == 1
    assert comments_with(study, 1, Kind.RESULTS) == []

    study.run(kst(2022, 4, 13, 12, 5))
    results = comments_with(study, 1, Kind.RESULTS)
    assert len(results) == 1
    body = results[0].body
    assert "| 장서진 | ✅ 제출 |" in body and "| 구미진 | ✅ 제출 |" in body
    assert "| 이은빈 | ⏰ 지각 | 3,000원 |" in body
    assert "| 한현경 | ❌ 결석 | 4,000원 |" in body

    ledger = json.loads(study.ledger())
    assert ledger["decisions"]["weeks"]["1"]["members"]["이은빈"]["verdict"] == "late"
    assert ledger["decisions"]["weeks"]["1"]["members"]["이은빈"]["trusted"] is True
    readme = study.readme()
    assert "<!-- studybot:fines:start -->" in readme and "| 이은빈 | ⏰ |" in readme
    assert "<!-- studybot:rotation:start -->" in readme


def test_repeated_runs_write_nothing_new(study):
    """Running again at the same instant, at every step, makes no issue, comment or commit."""
    script = [
        (kst(2022, 4, 6, 10), None),
        (kst(2022, 4, 12, 18, 1), ("구미진", kst(2022, 4, 11, 9), link(1, "구미진", "https://m.example/1"))),
        (kst(2022, 4, 13, 0, 5), None),
        (kst(2022, 4, 13, 12, 5), ("장서진", kst(2022, 4, 13, 11), link(1, "장서진", "https://s.example/1"))),
        (kst(2022, 4, 27, 1), None),
        (kst(2022, 5, 4, 12, 30), None),
    ]
    for at, push in script:
        if push:
            member, when, change = push
            study.edit(member, when, change)
        study.run(at)
        before = study.writes()
        for _ in range(2):
            outcome = study.run(at)
            assert outcome.operations == []
        assert study.writes() == before












def test_dry_run_writes_nothing(study):
    """--dry-run plans the week's operations and writes nothing to GitHub."""
    lines: list[str] = []
    outcome = study.run(kst(2022, 4, 6, 10), dry_run=True, log=lines.append)
    assert study.writes() == 0
    assert any("이슈 열기: [1주차] Q&A" in line for line in lines)
    assert outcome.operations




def example_pushes() -> list[tuple[dt.datetime, dict]]:
    """The example history's link and blog pushes, with their times in Seoul."""
    events = yaml.safe_load(example_file("history.yml"))["events"]
    return [(SEOUL.localize(dt.datetime.fromisoformat(e["at"])), e) for e in events if "link" in e or "blog" in e]


def test_the_seed_term_replayed_week_by_week(study):
    """Twelve graded weeks with breaks: one issue a week, opened, reminded, closed, results, then settlement."""
    pushes = example_pushes()
    for week in build_schedule(study.config).weeks:
        for at in (week.deadline - dt.timedelta(days=7, hours=-1), week.deadline - dt.timedelta(hours=5),
                   week.deadline + dt.timedelta(minutes=5), week.late_until + dt.timedelta(minutes=5)):
            while pushes and pushes[0][0] <= at:
                when, event = pushes.pop(0)
                if "link" in event:
                    change = link(event["link"]["week"], event["link"]["member"], event["link"]["url"])
                else:
                    change = lambda text, blog=event["blog"]: put_blog(text, blog["week"], blog["url"])  # noqa: E731
                study.edit(event["by"], when, change)
            study.run(at)
    titles = sorted((issue.title, issue.state.value) for issue in study.github.issues.values())
    assert titles == sorted((f"[{week}주차] Q&A", "closed") for week in range(1, 13))
    for week in range(1, 13):
        for kind in (Kind.CLOSING, Kind.RESULTS):
            assert len(comments_with(study, week, kind)) == 1, (week, kind)
    assert len(comments_with(study, 12, Kind.SETTLEMENT)) == 1
    ledger = json.loads(study.ledger())
    assert sorted(map(int, ledger["decisions"]["weeks"])) == list(range(1, 13))
    assert ledger["decisions"]["weeks"]["2"]["members"]["문수인"]["verdict"] == "late"  # seven minutes after midnight
    assert ledger["decisions"]["weeks"]["5"]["members"]["한현경"]["verdict"] == "absent"  # her cell was filled by someone else
    assert "— 최종" in study.readme()
