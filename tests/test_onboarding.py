"""What `studybot init` infers from plain data: columns, rules text, history, authors; and the workflow it renders."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from helpers import SEED_CONFIG, SHARED, kst

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
    absence_cutoff,
    anchor_deadline,
    author_records,
    cell_changes,
    find_columns,
    infer_breaks,
    onboard,
    place_authors,
    read_table,
    render_config,
    stated_fines,
    weekly_deadline,
)
from studybot.core.records import CommitInfo, Hunk, PatchCommit
from studybot.core.workflowfile import Purpose, render_workflow, schedules
from studybot.shell.configfile import load_config

SEED = (SHARED / "seeds" / "study-mlops-README.md").read_text(encoding="utf-8")
WED = 2


def test_the_seed_tables_columns_are_found_as_written() -> None:
    """The seed's |주차|과제|팀블로그| header is found, and a blog column written with a space keeps it."""
    assert find_columns(SEED) == Columns("주차", "과제", "팀블로그")
    spaced = "|주차|과제|팀 블로그|\n|---|---|---|\n|1주차|[가]()|가|\n"
    assert find_columns(spaced) == Columns("주차", "과제", "팀 블로그")
    assert find_columns("| Week | Homework |\n|---|---|\n| Week 1 | [A]() |\n") == Columns("Week", "Homework", None)
    assert find_columns("|이름|메모|\n|---|---|\n|가|나|\n") is None


def test_the_seed_rules_give_wednesday_midnight_noon_cutoff_and_the_fines() -> None:
    """'매주 수요일 자정', '수요일 낮 12시 … 결석' and '지각 제출: 3000원 / 과제 결석: 4000원' are read."""
    assert weekly_deadline(SEED) == WeeklyTime(WED, dt.time(0, 0))
    assert absence_cutoff(SEED) == WeeklyTime(WED, dt.time(12, 0))
    assert stated_fines(SEED) == (3000, 4000)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("과제는 매주 화요일 밤 12시까지 제출", WeeklyTime(WED, dt.time(0, 0))),
        ("과제 마감: 매주 일요일 오후 11시 30분", WeeklyTime(6, dt.time(23, 30))),
        ("Homework is due every Friday at 6pm", WeeklyTime(4, dt.time(18, 0))),
        ("Submit by every Monday midnight", WeeklyTime(0, dt.time(0, 0))),
    ],
)
def test_weekly_deadlines_written_in_other_ways(rule: str, expected: WeeklyTime) -> None:
    """Night-time and English phrasings give the weekday and time a member would understand."""
    assert weekly_deadline(rule) == expected


def test_the_first_deadline_follows_most_of_the_first_weeks_links() -> None:
    """One member a week early or one late does not move the first deadline off the week most handed in."""
    links = [dt.datetime(2022, 4, 12, 21), dt.datetime(2022, 4, 11, 10), dt.datetime(2022, 4, 13, 9), dt.datetime(2022, 4, 4, 12)]
    assert anchor_deadline(WeeklyTime(WED, dt.time(0, 0)), links) == dt.datetime(2022, 4, 13, 0, 0)


def test_a_gap_in_the_history_is_a_break_between_the_deadlines() -> None:
    """Week 2's links coming three deadlines after week 1's mean two deadlines were a break."""
    first = dt.datetime(2022, 4, 13)
    by_week = {1: [dt.datetime(2022, 4, 12, 20)], 2: [dt.datetime(2022, 5, 3, 20)], 3: [dt.datetime(2022, 5, 10, 9)]}
    breaks, clear = infer_breaks(first, 1, by_week, "ko")
    assert clear
    assert [(b.start, b.end) for b in breaks] == [(dt.date(2022, 4, 14), dt.date(2022, 5, 3))]


def test_a_history_out_of_order_infers_no_break() -> None:
    """When a later week's links came before an earlier week's, no break is guessed."""
    first = dt.datetime(2022, 4, 13)
    by_week = {1: [dt.datetime(2022, 4, 26)], 2: [dt.datetime(2022, 4, 12)]}
    assert infer_breaks(first, 1, by_week, "ko") == ((), False)


def _commit(email: str, removed: tuple[str, ...], added: tuple[str, ...]) -> PatchCommit:
    info = CommitInfo("0" * 40, (), "x", email, kst(2022, 4, 12, 21))
    return PatchCommit(info, (Hunk(5, len(removed), 5, len(added), removed, added),))


def test_cell_changes_name_the_cells_a_commit_put_links_into() -> None:
    """A changed row yields only the entries whose link is new; emptying or keeping a link is no change."""
    table = read_table(SEED, Columns("주차", "과제", "팀블로그"))
    assert table is not None
    before = "|6주차|[장서진]() &nbsp; [구미진](https://a.example/1) &nbsp; [이은빈]()|이은빈|"
    after = "|6주차|[장서진](https://b.example/2) &nbsp; [구미진](https://a.example/1) &nbsp; [이은빈]()|이은빈|"
    changes = cell_changes(table.header, [_commit("s@example.com", (before,), (after,))])
    assert [(c.week, c.member, c.author_email) for c in changes] == [(6, "장서진", "s@example.com")]


def test_authors_are_placed_by_their_cells_their_address_or_their_name() -> None:
    """One member's cells → that member (email or login); a matching name → that member; else named as unplaced."""
    records = [
        AuthorRecord("Seojin Jang", "seojin@gmail.com", 4, frozenset({"장서진"})),
        AuthorRecord("someone", "123+mijinkoo@users.noreply.github.com", 3, frozenset({"구미진"})),
        AuthorRecord("이 은빈", "eb@work.example", 2, frozenset({"장서진", "이은빈"})),
        AuthorRecord("Laptop", "root@localhost", 1, frozenset({"장서진", "구미진"})),
        AuthorRecord("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", 9),
    ]
    members, findings = place_authors(["장서진", "구미진", "이은빈"], records)
    assert [(m.name, m.github, m.emails) for m in members] == [
        ("장서진", None, ["seojin@gmail.com"]),
        ("구미진", "mijinkoo", []),
        ("이은빈", None, ["eb@work.example"]),
    ]
    unplaced = [f.fields for f in findings if f.kind is FindingKind.AUTHOR_UNPLACED]
    assert [(f["author"], f["email"]) for f in unplaced] == [("Laptop", "root@localhost")]


def test_onboarding_without_deadline_or_history_asks_for_the_flag() -> None:
    """With neither rules text nor links in history, the first deadline is reported missing, not guessed."""
    readme = "|Week|Homework|\n|---|---|\n|Week 1|[Ann]()|\n"
    result = onboard(readme, Columns("Week", "Homework", None), [], [], Answers(), "club", has_history=False)
    assert result.draft is None and result.missing == ("--first-deadline",)


def test_onboarding_the_seed_from_history_infers_deadline_window_fines_and_breaks() -> None:
    """From the seed's rules and week 1/2 link times, the draft says Apr 13 00:00, 12h, 3000/4000 and the midterm gap."""
    changes = [
        CellChange(1, "장서진", kst(2022, 4, 12, 21), "seojin@gmail.com"),
        CellChange(1, "구미진", kst(2022, 4, 11, 9), "m@example.com"),
        CellChange(2, "장서진", kst(2022, 5, 3, 22), "seojin@gmail.com"),
    ]
    records = [AuthorRecord("Seojin", "seojin@gmail.com", 2, frozenset({"장서진"}))]
    result = onboard(SEED, Columns("주차", "과제", "팀블로그"), records, changes, Answers(), "repo")
    draft = result.draft
    assert draft is not None
    assert (draft.first_deadline, draft.late_window) == (dt.datetime(2022, 4, 13), dt.timedelta(hours=12))
    assert (draft.late_fine, draft.absent_fine) == (3000, 4000)
    assert [(b.start, b.end) for b in draft.breaks] == [(dt.date(2022, 4, 14), dt.date(2022, 5, 3))]
    assert (draft.name, draft.first_week, draft.weeks) == ("Study-MLOps", 1, 12)
    assert [m.name for m in draft.members if m.maintainer] == ["장서진"]
    config = parse_config(render_config(draft, messages_for("ko")))
    assert config.rotation.team_blog is not None
    assert config.rotation.team_blog.order == ["이은빈", "문수인", "한현경", "장서진", "구미진"]


@pytest.mark.parametrize("name", ["2024", "yes", "a: b", "#1 팀", "김 철수", "O'Brien", "[x]", "이름 "])
def test_names_that_yaml_would_misread_are_quoted(name: str) -> None:
    """A member or study name that YAML would read as a number, boolean, mapping or comment comes back as written."""
    readme = f"|주차|과제|\n|---|---|\n|1주차|[{name.strip()}]()|\n"
    answers = Answers(first_deadline=dt.datetime(2024, 3, 6), name=name.strip())
    result = onboard(readme, Columns("주차", "과제", None), [], [], answers, "repo")
    assert result.draft is not None
    config = parse_config(render_config(result.draft, messages_for("ko")))
    assert config.study.name == name.strip() and config.members[0].name == name.strip()


def test_the_seed_configs_workflow_runs_at_the_reminder_deadline_cutoff_and_daily() -> None:
    """For the seed: reminder Tue 18:07, deadline Wed 00:07, cut-off Wed 12:07, and a daily catch-up, all in Seoul."""
    config = load_config(SEED_CONFIG)
    crons = {item.purpose: item.cron for item in schedules(config)}
    assert crons == {
        Purpose.REMINDER: "7 18 * * 2",
        Purpose.DEADLINE: "7 0 * * 3",
        Purpose.CUTOFF: "7 12 * * 3",
        Purpose.DAILY: "7 9 * * *",
    }
    workflow = yaml.safe_load(render_workflow(config, messages_for("ko")))
    on = workflow.get("on", workflow.get(True))
    assert [(entry["cron"], entry["timezone"]) for entry in on["schedule"]] == [
        (cron, "Asia/Seoul") for cron in crons.values()
    ]
    assert set(on) == {"schedule", "push", "issue_comment", "workflow_dispatch"}
    assert workflow["permissions"] == {}
    assert workflow["concurrency"] == {"group": "studybot", "cancel-in-progress": False}


def test_a_reminder_before_a_monday_deadline_falls_on_sunday() -> None:
    """A Monday 03:00 deadline's 6-hour reminder runs Sunday 21:07, which cron writes as day 0."""
    raw = SEED_CONFIG.read_text(encoding="utf-8").replace("2022-04-13 00:00", "2022-04-11 03:00")
    config = parse_config(raw)
    crons = {item.purpose: item.cron for item in schedules(config)}
    assert crons[Purpose.REMINDER] == "7 21 * * 0"
    assert crons[Purpose.DEADLINE] == "7 3 * * 1"
    assert crons[Purpose.CUTOFF] == "7 15 * * 1"


# ---- Edge cases of `studybot init` inference: odd times, login clashes, given answers, rotations ----

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
