"""Edge cases of `studybot init` inference: odd times, login clashes, given answers, rotations."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import kst

from studybot.core.config import parse_config
from studybot.core.messages import messages_for
from studybot.core.onboarding import (
    Answers,
    AuthorRecord,
    CellChange,
    Columns,
    Finding,
    FindingKind,
    WeeklyTime,
    author_records,
    cell_changes,
    infer_breaks,
    onboard,
    place_authors,
    read_table,
    render_config,
    weekly_deadline,
)
from studybot.core.records import CommitInfo, Hunk, PatchCommit

KO = Columns("주차", "과제", "팀블로그")
EN = Columns("Week", "Homework", None)


def _kinds(findings: tuple[Finding, ...] | list[Finding]) -> list[FindingKind]:
    return [finding.kind for finding in findings]


def test_a_finding_names_money_in_the_studys_currency() -> None:
    """Fine amounts in a finding read as money: 3,000원 in Korean, USD 3,000 in English."""
    finding = Finding(FindingKind.FINES_DEFAULT, {"late": 3000, "absent": 4000})
    assert "3,000원" in finding.sentence(messages_for("ko"))
    assert "USD 3,000" in finding.sentence(messages_for("en"), "USD")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("과제 마감: 매주 수요일 25시", None),
        ("과제 마감: 매주 수요일 10시 75분", None),
        ("과제 마감: 매주 수요일 오전 12시", WeeklyTime(2, dt.time(0, 0))),
        ("과제 마감: 매주 수요일 새벽 12시 30분", WeeklyTime(2, dt.time(0, 30))),
        ("Homework is due every Friday noon", WeeklyTime(4, dt.time(12, 0))),
        ("Homework is due every Friday at 12am", WeeklyTime(4, dt.time(0, 0))),
        ("Homework is due every Friday at 24:00", None),
        ("Homework is due every Friday at 9:75", None),
    ],
)
def test_impossible_times_are_not_deadlines_and_12am_is_midnight(rule: str, expected: WeeklyTime | None) -> None:
    """'25시' or '24:00' gives no deadline; '오전 12시', '새벽 12시' and '12am' start the day."""
    assert weekly_deadline(rule) == expected


def test_lines_that_are_no_week_rows_give_no_cell_changes() -> None:
    """A commit that edits text around the table, or a row without a week, puts no link into anyone's cell."""
    table = read_table("|주차|과제|\n|---|---|\n|1주차|[가]()|\n", Columns("주차", "과제", None))
    assert table is not None
    info = CommitInfo("0" * 40, (), "x", "a@example.com", kst(2022, 4, 12, 21))
    added = ("## 규칙", "|공지|[가](https://a.example/1)|", "|1주차|[가](https://a.example/2)|")
    changes = cell_changes(table.header, [PatchCommit(info, (Hunk(1, 0, 1, 3, (), added),))])
    assert [(change.week, change.member) for change in changes] == [(1, "가")]


def test_author_records_carry_the_cells_their_commits_filled_whatever_the_address_case() -> None:
    """An author's links count toward them even when git shows their address in another case."""
    changes = [CellChange(1, "가", kst(2022, 4, 12), "Ann@Example.com"), CellChange(2, "나", kst(2022, 4, 19), "ann@example.com")]
    records = author_records([("Ann", "ann@EXAMPLE.com", 2), ("Bob", "bob@example.com", 1)], changes)
    assert [(record.name, record.cells) for record in records] == [
        ("Ann", frozenset({"가", "나"})),
        ("Bob", frozenset()),
    ]


def test_a_login_already_linked_to_another_member_is_reported_not_moved() -> None:
    """Two members' commits under one GitHub account leave the account with the first and report a clash."""
    records = [
        AuthorRecord("a", "1+shared@users.noreply.github.com", 5, frozenset({"가"})),
        AuthorRecord("b", "2+shared@users.noreply.github.com", 3, frozenset({"나"})),
        AuthorRecord("c", "3+other@users.noreply.github.com", 2, frozenset({"가"})),
    ]
    members, findings = place_authors(["가", "나"], records)
    assert [(member.name, member.github) for member in members] == [("가", "shared"), ("나", None)]
    clashes = [finding.fields for finding in findings if finding.kind is FindingKind.LOGIN_CLASH]
    assert clashes == [
        {"login": "shared", "member": "나", "other": "가"},
        {"login": "other", "member": "가", "other": "shared"},
    ]


def test_one_address_under_two_author_names_is_listed_once() -> None:
    """A member who committed under two names with the same address gets that address once."""
    records = [
        AuthorRecord("Ann", "ann@example.com", 3, frozenset({"가"})),
        AuthorRecord("Ann K", "ANN@example.com", 1, frozenset({"가"})),
    ]
    members, _ = place_authors(["가"], records)
    assert (members[0].emails, members[0].commits) == (["ann@example.com"], 4)


def test_weeks_before_the_first_or_without_links_and_unexplained_gaps_give_no_breaks() -> None:
    """Orientation weeks and empty weeks are ignored; a gap across weeks without links adds no break."""
    first = dt.datetime(2022, 4, 13)
    by_week = {0: [dt.datetime(2022, 4, 1)], 1: [dt.datetime(2022, 4, 12)], 2: [], 3: [dt.datetime(2022, 5, 10)]}
    assert infer_breaks(first, 1, by_week, "en") == ((), False)


README = """\
|Week|Homework|Blog|
|---|---|---|
|Week 0|[Ann]() [Bob]()|Ann|
|Week 1|[Ann]() [Bob]() [Cy]()|Zed|
|Notes|[Ann]()|Bob|
|Week 2|[Ann]() [Bob]()||
|Week 3|[Ann]() [Bob]()|Bob|
"""


def test_given_answers_win_and_the_config_lists_logins_and_leaders() -> None:
    """Fines, deadline, logins and leaders the leader gave are used as given and written to the config."""
    answers = Answers(
        first_deadline=dt.datetime(2024, 3, 6),
        late_fine=1000,
        absent_fine=2000,
        logins=(("Bob", "bobgh"), ("Cy", "bobgh"), ("Nobody", "ghost")),
        maintainers=("@bobgh", "Ann", "stranger"),
    )
    result = onboard(README, Columns("Week", "Homework", "Blog"), [], [], answers, "fallback-name")
    draft = result.draft
    assert draft is not None
    assert draft.name == "fallback-name"
    assert (draft.late_fine, draft.absent_fine) == (1000, 2000)
    assert [(m.name, m.github, m.maintainer) for m in draft.members] == [
        ("Ann", None, True),
        ("Bob", "bobgh", True),
        ("Cy", None, False),
    ]
    kinds = _kinds(result.findings)
    assert FindingKind.FINES_DEFAULT not in kinds and FindingKind.FINES_FROM_TEXT not in kinds
    assert [f.fields for f in result.findings if f.kind is FindingKind.MAINTAINER_UNKNOWN] == [{"login": "stranger"}]
    assert [f.fields["member"] for f in result.findings if f.kind is FindingKind.NO_LOGIN] == ["Ann", "Cy"]
    # Week 0, the Notes row, the stranger Zed and the empty cell are skipped; no name came round again.
    assert draft.blog_order == ("Bob", "Ann", "Cy")
    config = parse_config(render_config(draft, messages_for("en")))
    assert [(m.name, m.github, m.maintainer) for m in config.members] == [
        ("Ann", None, True),
        ("Bob", "bobgh", True),
        ("Cy", None, False),
    ]


def test_a_cutoff_at_the_deadline_itself_gives_the_default_late_window() -> None:
    """Rules that put the absence cutoff at the deadline itself leave the late window at its default."""
    readme = (
        "# Reading club\n\nHomework is due every Friday at 6pm.\nAbsent if nothing by Friday at 6pm.\n\n"
        "|Week|Homework|\n|---|---|\n|Week 1|[Ann]()|\n"
    )
    result = onboard(readme, EN, [], [], Answers(first_deadline=dt.datetime(2024, 3, 8, 18)), "repo")
    assert result.draft is not None
    assert result.draft.late_window == dt.timedelta(hours=12)
    assert FindingKind.LATE_WINDOW_FROM_TEXT not in _kinds(result.findings)
    assert result.draft.name == "Reading club"


def test_a_muddled_history_is_reported_and_adds_no_breaks() -> None:
    """When week 2's links came before week 1's, init says breaks are unclear and adds none."""
    readme = "Homework is due every Friday at 6pm.\n\n|Week|Homework|\n|---|---|\n|Week 1|[Ann]()|\n|Week 2|[Ann]()|\n"
    changes = [
        CellChange(1, "Ann", kst(2024, 3, 20, 12), "ann@example.com"),
        CellChange(2, "Ann", kst(2024, 3, 7, 12), "ann@example.com"),
    ]
    result = onboard(readme, EN, [], changes, Answers(first_deadline=dt.datetime(2024, 3, 8, 18)), "repo")
    assert result.draft is not None and result.draft.breaks == ()
    assert FindingKind.BREAKS_UNCLEAR in _kinds(result.findings)
