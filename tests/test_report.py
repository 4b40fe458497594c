"""`studybot report` on the bundled example: the JSON contract of SPEC §9 and its figures."""

from __future__ import annotations

import io
import json

import pytest

from studybot.cli import main
from studybot.shell.demo import build_example


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    path = tmp_path_factory.mktemp("example")
    build_example(path)
    return path


def report(example, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["report", "--repo-path", str(example), *extra], out=out, environ={})
    return code, out.getvalue()


def test_json_report_has_the_contracted_shape(example):
    """Field names and nesting are exactly those SPEC §9 promises to outside checks."""
    code, text = report(example, "--now", "2022-05-26T00:00:00+09:00", "--format", "json")
    assert code == 0
    data = json.loads(text)
    assert set(data) == {"study", "timezone", "now", "weeks", "members", "settlement", "warnings"}
    assert data["now"] == "2022-05-26T00:00:00+09:00"
    week = data["weeks"][0]
    assert set(week) == {"week", "deadline", "late_until", "final", "blog", "members"}
    assert set(week["blog"]) == {"member", "done", "url"}
    assert set(week["members"]["장서진"]) == {"verdict", "fine", "source", "url", "at", "trusted"}
    assert set(data["members"]["장서진"]) == {"github", "on_time", "late", "absent", "excused", "fines"}
    assert {"pot", "excluded", "payout_each", "remainder", "members"} <= set(data["settlement"])
    assert set(data["settlement"]["members"]["장서진"]) == {"fines", "payout", "net"}


def test_json_report_judges_the_example_term(example):
    """The example's verdicts: a 7-minute-late week 2, absences, a forged cell ignored, blog done."""
    _, text = report(example, "--now", "2022-05-26T00:00:00+09:00", "--format", "json")
    data = json.loads(text)
    assert [week["week"] for week in data["weeks"]] == [1, 2, 3, 4, 5, 6]
    assert [week["final"] for week in data["weeks"]] == [True] * 5 + [False]
    week1 = data["weeks"][0]
    assert week1["deadline"] == "2022-04-13T00:00:00+09:00"
    assert week1["members"]["장서진"] == {
        "verdict": "on_time", "fine": 0, "source": "readme",
        "url": "https://sulky-waltz-11f.notion.site/Fundamentals-c8b16a51a73346ae8e844aab9bdfb160?pvs=4",
        "at": "2022-04-10T21:03:00+09:00", "trusted": False,
    }
    assert week1["members"]["구미진"]["verdict"] == "absent"
    assert data["weeks"][1]["members"]["문수인"]["verdict"] == "late"
    assert data["weeks"][4]["members"]["한현경"]["verdict"] == "absent"
    assert week1["blog"]["member"] == "이은빈" and week1["blog"]["done"] is True
    assert data["weeks"][5]["blog"] == {"member": "이은빈", "done": False, "url": None}
    assert data["members"]["문수인"] == {
        "github": "m0oon0", "on_time": 2, "late": 2, "absent": 1, "excused": 0, "fines": 10000,
    }
    settlement = data["settlement"]
    assert settlement["pot"] == 25000 and settlement["excluded"] == ["문수인"]
    assert settlement["payout_each"] == 6250 and settlement["remainder"] == 0
    assert any("한현경" in warning and "이은빈" in warning for warning in data["warnings"])


def test_report_as_of_an_earlier_instant_shows_fewer_weeks(example):
    """--now in week 1 shows week 1 (due within 7 days) and nothing later, still pending."""
    _, text = report(example, "--now", "2022-04-12T12:00:00+09:00", "--format", "json")
    data = json.loads(text)
    assert [week["week"] for week in data["weeks"]] == [1]
    assert data["weeks"][0]["members"]["구미진"]["verdict"] == "pending"
    assert data["weeks"][0]["members"]["장서진"]["verdict"] == "on_time"


def test_markdown_report_is_in_korean(example):
    """The default Markdown report speaks the study's language and marks untrusted times."""
    code, text = report(example, "--now", "2022-05-26T00:00:00+09:00")
    assert code == 0
    assert "## 1주차 — 마감 4월 13일(수) 00:00" in text
    assert "(커밋 시각)" in text and "꼴찌 제외" in text


def test_report_applies_the_ledger_of_the_repository(tmp_path):
    """A waiver recorded in the repository's ledger shows in the offline report as excused."""
    from helpers import kst

    from studybot.core.state import Decisions, Override, State, dump_state
    from studybot.shell.git import Repository

    build_example(tmp_path)
    ledger = State(decisions=Decisions(overrides=[Override(kind="excuse", by="SEOJIN-Lab", at=kst(2022, 5, 26),
                                                           member="한현경", week=5, reason="병결")]))
    Repository(tmp_path).commit({".studybot/ledger.json": dump_state(ledger)}, "ledger", "studybot",
                                "bot@example.com", kst(2022, 5, 26))
    _, text = report(tmp_path, "--now", "2022-05-26T00:00:00+09:00", "--format", "json")
    data = json.loads(text)
    assert data["weeks"][4]["members"]["한현경"]["verdict"] == "excused"
    assert data["members"]["한현경"]["fines"] == 3000
