"""Attacks by a member with ordinary write access, each played through a whole run.

Every test pushes what a member could push (the config, the ledger, a rewritten history) on
the fake GitHub backed by a real git repository, runs studybot (decide, then apply), and
checks that the money and the record did not move and that the leader was told.
"""

from __future__ import annotations

import json
import re

import pytest
from helpers import kst
from studyworld import Study
from test_cheating import LEADER, RESULTS_AT, frozen, make_study, verdict

from studybot.core.markers import Kind, marker
from studybot.shell.demo import put_link

CONFIG = "config/study.yml"
LEDGER = ".studybot/ledger.json"
MEMBER = "mijinkoo"  # 구미진: absent in week 1, fined 4,000원
WEEK2_FINAL = kst(2022, 5, 4, 12, 5)  # week 2 is due 05-04 00:00 (after the midterm break), late until 12:00


@pytest.fixture()
def study(tmp_path) -> Study:
    """The seed study after week 1 is final: 구미진 absent and fined."""
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))  # week 1's issue opens
    study.run(RESULTS_AT)
    assert frozen(study, "구미진") == ("absent", 4000)
    return study


def config_text(study: Study) -> str:
    return study.github.files["main"][CONFIG]


def push_config(study: Study, actor: str, at, change) -> str:
    study.github.now = at
    return study.github.push({CONFIG: change(config_text(study))}, actor, at)


def alerts(study: Study) -> list[str]:
    return [c.body for c in study.github.comments.values() if ":kind=alert -->" in c.body and c.author == study.github.bot]


def refused(study: Study) -> list[dict]:
    return json.loads(study.ledger() or "{}")["sync"]["refused"]


def excuse_line(member: str, week: int, reason: str) -> str:
    return f"excuses:\n  - {{week: {week}, member: {member}, reason: {reason}}}"


# ---- the config ------------------------------------------------------------------------------


def test_a_member_excusing_themself_in_the_config_changes_nothing_and_the_leader_is_told(study):
    """구미진 adding an excuse for her own final week keeps her absence and fine; one alert names her push."""
    sha = push_config(study, MEMBER, kst(2022, 4, 14), lambda t: t.replace("excuses: []", excuse_line("구미진", 1, "병결")))
    first = study.run(kst(2022, 4, 14, 1))
    second = study.run(kst(2022, 4, 14, 2))
    assert verdict(first, "구미진") == ("absent", 4000) and frozen(study, "구미진") == ("absent", 4000)
    (alert,) = alerts(study)
    assert "mijinkoo" in alert and sha[:7] in alert and "/studybot 설정적용" in alert
    assert any(sha[:7] in note for note in first.notes) and any(sha[:7] in note for note in second.notes)
    assert [(item["file"], item["commit"], item["actor"]) for item in refused(study)] == [("config", sha, MEMBER)]


def test_a_member_making_themself_maintainer_cannot_excuse_themself(study):
    """`maintainer: true` pushed by 구미진, then her /studybot excuse: refused, and the fine stays."""
    push_config(study, MEMBER, kst(2022, 4, 14), lambda t: t.replace("github: mijinkoo}", "github: mijinkoo, maintainer: true}"))
    issue = next(n for n, i in study.github.issues.items() if marker(1, Kind.ISSUE) in i.body)
    study.github.add_comment(issue, "/studybot excuse @mijinkoo 1 병결", MEMBER, at=kst(2022, 4, 14, 0, 30))
    outcome = study.run(kst(2022, 4, 14, 1))
    assert verdict(outcome, "구미진") == ("absent", 4000) and frozen(study, "구미진") == ("absent", 4000)
    assert not [o for o in json.loads(study.ledger())["decisions"]["overrides"] if o["kind"] == "excuse"]
    assert alerts(study)


def test_a_member_setting_the_fines_to_zero_changes_no_fine(study):
    """Fines of 0 pushed by a member leave this week's late and absent fines as they were."""
    push_config(study, MEMBER, kst(2022, 4, 14), lambda t: t.replace("fines: {late: 3000, absent: 4000}", "fines: {late: 0, absent: 0}"))
    outcome = study.run(WEEK2_FINAL)  # week 2 final (deadline 04-20)
    assert all(w.members["구미진"].fine == 4000 for w in outcome.report.weeks if w.week.number in (1, 2))
    assert outcome.report.tallies["구미진"].fines == 8000


def test_a_member_switching_to_authored_time_cannot_back_date(study):
    """`timing: authored` and a back-dated push: the push is still judged by its server time, late."""
    push_config(study, MEMBER, kst(2022, 5, 1), lambda t: t.replace("timing: landed ", "timing: authored"))
    study.edit("구미진", kst(2022, 5, 4, 9), lambda t: put_link(t, 2, "구미진", "https://mj.example/2"), authored=kst(2022, 5, 3, 20))
    outcome = study.run(WEEK2_FINAL)
    assert verdict(outcome, "구미진", 2) == ("late", 3000)


def test_a_member_moving_joined_week_around_a_cut_off_keeps_the_absence(study):
    """joined_week moved past week 2 before its cut-off and back after: 구미진 is still absent in week 2."""
    original = config_text(study)
    push_config(study, MEMBER, kst(2022, 5, 3), lambda t: t.replace("github: mijinkoo}", "github: mijinkoo, joined_week: 3}"))
    study.run(WEEK2_FINAL)
    push_config(study, MEMBER, kst(2022, 5, 5), lambda t: original)
    outcome = study.run(kst(2022, 5, 5, 1))
    assert verdict(outcome, "구미진", 2) == ("absent", 4000) and frozen(study, "구미진", 2) == ("absent", 4000)


def test_a_member_pointing_the_ledger_elsewhere_does_not_orphan_the_record(study):
    """`output.ledger` moved by a member: the run reads and writes the real ledger, and week 1 stays frozen."""
    push_config(study, MEMBER, kst(2022, 4, 14), lambda t: t.replace("ledger: .studybot/ledger.json", "ledger: .studybot/fresh.json"))
    outcome = study.run(WEEK2_FINAL)
    files = study.github.files["main"]
    assert ".studybot/fresh.json" not in files and frozen(study, "구미진") == ("absent", 4000)
    assert "2" in json.loads(files[LEDGER])["decisions"]["weeks"]  # the real ledger goes on
    assert verdict(outcome, "구미진") == ("absent", 4000) and alerts(study)


def test_a_maintainers_config_excuse_for_a_final_week_is_a_recorded_override(study):
    """The leader's config excuse for a final week applies, recorded with who pushed it, when and why."""
    push_config(study, LEADER, kst(2022, 4, 14), lambda t: t.replace("excuses: []", excuse_line("구미진", 1, "병결")))
    outcome = study.run(kst(2022, 4, 14, 1))
    assert verdict(outcome, "구미진") == ("excused", 0) and frozen(study, "구미진")[0] == "excused"
    (override,) = [o for o in json.loads(study.ledger())["decisions"]["overrides"] if o["kind"] == "excuse"]
    assert (override["by"], override["member"], override["week"], override["reason"]) == (LEADER, "구미진", 1, "병결")
    assert not alerts(study)


def test_a_maintainer_adopts_a_members_config_change_with_a_command(study):
    """`/studybot 설정적용` from the leader puts a member's config change in force from then on."""
    push_config(study, MEMBER, kst(2022, 4, 14), lambda t: t.replace("fines: {late: 3000, absent: 4000}", "fines: {late: 1000, absent: 2000}"))
    study.run(kst(2022, 4, 14, 1))
    issue = next(n for n, i in study.github.issues.items() if marker(2, Kind.ISSUE) in i.body or marker(1, Kind.ISSUE) in i.body)
    study.github.add_comment(issue, "/studybot 설정적용", LEADER, at=kst(2022, 4, 14, 2))
    outcome = study.run(WEEK2_FINAL)
    assert verdict(outcome, "구미진", 2) == ("absent", 2000)  # the adopted fines, from week 2 on
    assert frozen(study, "구미진") == ("absent", 4000)  # week 1 was final before
    adopted = json.loads(study.ledger())["decisions"]["config"]
    assert (adopted["by"], adopted["how"]) == (LEADER, "command")


# ---- the ledger ------------------------------------------------------------------------------


def test_a_ledger_edit_that_also_moves_the_activity_cursor_is_undone(study):
    """구미진 clears her absence in the ledger and moves its activity cursor past her push: restored, and told."""
    ledger = json.loads(study.ledger())
    ledger["decisions"]["weeks"]["1"]["members"]["구미진"].update(verdict="on_time", fine=0)
    ledger["sync"]["cursors"]["activity_after"] = "99999:99999:1"
    study.github.now = kst(2022, 4, 14)
    sha = study.github.push({LEDGER: json.dumps(ledger, ensure_ascii=False, indent=1)}, MEMBER)
    outcome = study.run(kst(2022, 4, 14, 1))
    assert verdict(outcome, "구미진") == ("absent", 4000) and frozen(study, "구미진") == ("absent", 4000)
    assert any("mijinkoo" in note and sha[:7] in note for note in outcome.notes) and alerts(study)


def test_a_merge_rolling_the_ledger_back_to_an_old_bot_commit_is_undone(study):
    """A fast-forward merge whose first parent is an old bot commit brings back an old ledger: set aside."""
    head = study.github.head()
    old_bot = study.github.repository.changes_of(LEDGER, head)[1]  # the bot's ledger before week 1 was final
    study.github.push_merge(old_bot, head, MEMBER, kst(2022, 4, 14))
    outcome = study.run(kst(2022, 4, 14, 1))
    assert frozen(study, "구미진") == ("absent", 4000) and verdict(outcome, "구미진") == ("absent", 4000)
    assert alerts(study)


# ---- history rewrites --------------------------------------------------------------------------


@pytest.fixture()
def open_week(tmp_path) -> Study:
    """The seed study with week 1's issue open and its deadline ahead."""
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))
    return study


def test_a_link_pushed_then_force_pushed_away_counts_when_it_comes_back(open_week):
    """A link pushed at 23:50, force-pushed away at 23:51 and merged back on Wednesday counts on Wednesday: late."""
    study = open_week
    before = study.github.head()
    link = study.edit("구미진", kst(2022, 4, 12, 23, 50), lambda t: put_link(t, 1, "구미진", "https://mj.example/1"))
    study.github.force_push_to(before, MEMBER, kst(2022, 4, 12, 23, 51))
    study.github.push_merge(link, before, MEMBER, kst(2022, 4, 13, 10))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "구미진") == ("late", 3000) and frozen(study, "구미진") == ("late", 3000)
    pushes = [w for w in outcome.report.warnings if w.problem.value == "force_push"]
    assert [w.at for w in pushes] == [kst(2022, 4, 12, 23, 51)]  # the force-push; the merge kept the old tip


def test_a_merge_onto_an_old_first_parent_re_times_nobody(open_week):
    """A merge whose first parent is an old commit keeps the old tip reachable: a link pushed before keeps its push, unwarned.

    It is what ``git pull`` makes, not a rewrite; the ledger it rolls back is undone by the
    ledger's own check (above), and the links on its side count at their own pushes.
    """
    study = open_week
    old = study.github.repository.changes_of(LEDGER, study.github.head())[-1]
    study.edit("한현경", kst(2022, 4, 12, 20), lambda t: put_link(t, 1, "한현경", "https://hk.example/1"))
    study.github.push_merge(old, study.github.head(), MEMBER, kst(2022, 4, 13, 9))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "한현경") == ("on_time", 0) and frozen(study, "한현경") == ("on_time", 0)
    assert not [w for w in outcome.report.warnings if w.problem.value in ("force_push", "not_owner")]


def test_a_rewrite_cannot_drop_a_submission_the_bot_already_saw(open_week):
    """한현경's late link, seen by a run, still counts after 구미진 force-pushes it off the branch."""
    study = open_week
    before = study.github.head()
    study.edit("한현경", kst(2022, 4, 13, 9), lambda t: put_link(t, 1, "한현경", "https://hk.example/1"))
    study.run(kst(2022, 4, 13, 9, 30))
    study.github.force_push_to(before, MEMBER, kst(2022, 4, 13, 10))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "한현경") == ("late", 3000) and frozen(study, "한현경") == ("late", 3000)
    assert any(w.problem.value == "force_push" and w.detail == MEMBER for w in outcome.report.warnings)


# ---- the bot's identity ----------------------------------------------------------------------

JOB_TOKEN = "github-actions[bot]"  # what any workflow of the repository posts and pushes as


def test_a_reminder_another_workflow_posted_with_the_bots_marker_does_not_stop_the_real_one(open_week):
    """A comment carrying the reminder's marker, posted early by a member's workflow, is not taken for the reminder."""
    study = open_week
    issue = next(n for n, i in study.github.issues.items() if marker(1, Kind.ISSUE) in i.body)
    forged = study.github.add_comment(issue, marker(1, Kind.REMINDER) + "\n이번 주는 제출 안 해도 됩니다", JOB_TOKEN,
                                      at=kst(2022, 4, 8)).id
    study.run(kst(2022, 4, 9))
    study.run(kst(2022, 4, 12, 18, 5))  # reminder time: 6 h before the deadline
    reminders = [c for c in study.github.comments.values() if marker(1, Kind.REMINDER) in c.body and c.id != forged]
    assert len(reminders) == 1 and "@mijinkoo" in reminders[0].body
    assert json.loads(study.ledger())["sync"]["bot_comments"][marker(1, Kind.REMINDER)]["id"] == reminders[0].id


def test_a_reminder_a_member_rewrote_is_put_back(open_week):
    """The bot's reminder edited by a member to say the deadline moved is written back as the bot wrote it."""
    study = open_week
    study.run(kst(2022, 4, 12, 18, 5))
    (reminder,) = [c for c in study.github.comments.values() if marker(1, Kind.REMINDER) in c.body]
    original = reminder.body
    study.github.edit_comment(reminder.id, marker(1, Kind.REMINDER) + "\n마감이 다음 주로 미뤄졌습니다", at=kst(2022, 4, 12, 19))
    study.run(kst(2022, 4, 12, 20))
    assert study.github.comments[reminder.id].body == original


def test_a_closed_weeks_issue_body_a_member_rewrote_is_put_back(study):
    """After week 1 closed, a member rewriting its issue body to move the deadline sees it written back."""
    number = next(n for n, i in study.github.issues.items() if marker(1, Kind.ISSUE) in i.body)
    original = study.github.issues[number].body
    study.github.now = kst(2022, 4, 14)
    study.github.update_issue(number, body=marker(1, Kind.ISSUE) + "\n마감: 4월 20일")
    study.run(kst(2022, 4, 14, 1))
    assert study.github.issues[number].body == original


def test_with_an_app_login_declared_a_ledger_pushed_by_the_job_token_is_undone(tmp_path):
    """When studybot runs as a GitHub App, another workflow pushing the ledger as github-actions[bot] is set aside."""
    app = "studybot-seojin[bot]"
    study = make_study(tmp_path)
    study.github.bot = app
    study.run(kst(2022, 4, 6, 10), bot_login=app)
    study.run(RESULTS_AT, bot_login=app)
    ledger = json.loads(study.ledger())
    ledger["decisions"]["weeks"]["1"]["members"]["구미진"].update(verdict="on_time", fine=0)
    study.github.now = kst(2022, 4, 14)
    study.github.push({LEDGER: json.dumps(ledger, ensure_ascii=False, indent=1)}, JOB_TOKEN)
    outcome = study.run(kst(2022, 4, 14, 1), bot_login=app)
    assert frozen(study, "구미진") == ("absent", 4000) and verdict(outcome, "구미진") == ("absent", 4000)
    assert any("github-actions" in note and "되돌립니다" in note for note in outcome.notes)


# ---- two runs at once ------------------------------------------------------------------------


def test_a_second_issue_the_bot_opened_for_a_week_is_closed_and_its_submissions_count(open_week):
    """A duplicate week issue from a racing run is closed with a note, and a link left on it still counts."""
    study = open_week
    kept = next(n for n, i in study.github.issues.items() if marker(1, Kind.ISSUE) in i.body)
    body = study.github.issues[kept].body
    twin = study.github.add_issue("[1주차] Q&A", body, author=study.github.bot, created_at=kst(2022, 4, 6, 10)).number
    study.github.add_comment(twin, "제출 https://mj.example/1", MEMBER, at=kst(2022, 4, 12, 20))
    outcome = study.run(kst(2022, 4, 12, 21))
    study.run(kst(2022, 4, 12, 22))
    assert study.github.issues[twin].state.value == "closed" and study.github.issues[kept].state.value == "open"
    notes = [c for c in study.github.comments.values() if c.issue_number == twin and marker(1, Kind.DUPLICATE, twin) in c.body]
    assert len(notes) == 1 and f"#{kept}" in notes[0].body
    assert verdict(outcome, "구미진") == ("on_time", 0)


# ---- a config nobody can read ----------------------------------------------------------------


def test_a_broken_config_pushed_by_a_member_does_not_stop_the_deadline(open_week, tmp_path):
    """A config that no longer parses: the run closes the week by the config in force, says what is wrong on the config's lines, exits 2."""
    from test_action_run import actions_env
    from test_action_run import run as run_action_at

    study = open_week
    push_config(study, MEMBER, kst(2022, 4, 12), lambda t: t.replace("fines: {late: 3000, absent: 4000}", "fines: {late: 삼천원"))
    code, log = run_action_at(study, actions_env(study, tmp_path), kst(2022, 4, 13, 0, 5))
    week1 = next(i for i in study.github.issues.values() if marker(1, Kind.ISSUE) in i.body)
    assert code == 2 and week1.state.value == "closed"
    assert "설정 파일에 오류가 있어" in log and re.search(r"::error file=[^,]*config/study.yml,line=17,", log)
    (alert,) = alerts(study)
    assert "오류가 있어 적용하지 않았고" in alert


# ---- one bad input ---------------------------------------------------------------------------


def test_a_readme_with_a_doubled_marker_line_does_not_keep_the_week_open(open_week):
    """A member doubling a table marker line: the deadline still closes the week and the ledger is committed; the problem is reported."""
    study = open_week
    study.edit("구미진", kst(2022, 4, 12, 22), lambda t: t.replace("<!-- studybot:fines:start -->",
                                                                    "<!-- studybot:fines:start -->\n<!-- studybot:fines:start -->", 1))
    before = study.github.head()
    outcome = study.run(kst(2022, 4, 13, 0, 5))
    week1 = next(i for i in study.github.issues.values() if marker(1, Kind.ISSUE) in i.body)
    assert week1.state.value == "closed" and study.github.head() != before  # the ledger commit landed
    assert json.loads(study.ledger())["sync"]["issues"]["1"]["week_closed"]
    assert outcome.problems and "studybot:fines:start" in outcome.problems[0]


# ---- the second round: the first run, adoption and the ledger ----------------------------------------


def unstarted(tmp_path) -> Study:
    """The seed study before the leader's start: studybot has opened the setup issue and waits."""
    from test_cheating import MEMBERS

    from studybot.core.config import parse_config
    from studybot.core.records import Permission
    from studybot.shell.demo import example_file

    text = example_file("study.yml")
    study = Study(tmp_path, parse_config(text), example_file("README.md"), text, kst(2022, 4, 1), started=False)
    study.github.set_permission(LEADER, Permission.ADMIN)
    for login in MEMBERS.values():
        if login != LEADER:
            study.github.set_permission(login, Permission.WRITE)
    study.run(kst(2022, 4, 1, 10))
    assert setup_issue(study) is not None
    return study


def setup_issue(study: Study) -> int | None:
    return next((n for n, issue in study.github.issues.items() if marker(0, Kind.SETUP) in issue.body), None)


def replies_to(study: Study, author: str) -> list[str]:
    return [c.body for c in study.github.comments.values() if c.author == study.github.bot and ":kind=reply" in c.body]


def started_by(study: Study) -> str | None:
    ledger = json.loads(study.ledger() or "{}")
    started = ledger.get("decisions", {}).get("started")
    return started["by"] if started else None


def test_a_member_promoting_herself_cannot_start_the_study(tmp_path):
    """`maintainer: true` pushed by 구미진 in the setup window, then her `/studybot 시작`: no start, one reply naming who may."""
    study = unstarted(tmp_path)
    push_config(study, MEMBER, kst(2022, 4, 2), lambda t: t.replace("github: mijinkoo}", "github: mijinkoo, maintainer: true}"))
    study.github.add_comment(setup_issue(study), "/studybot 시작", MEMBER, at=kst(2022, 4, 2, 1))
    study.run(kst(2022, 4, 2, 2))
    study.run(kst(2022, 4, 2, 3))
    assert started_by(study) is None
    (reply,) = replies_to(study, MEMBER)
    assert "스터디장(장서진)만" in reply
    assert any(sha_line for sha_line in alerts(study) if "mijinkoo" in sha_line)  # the promotion is told to the leader
    study.github.add_comment(setup_issue(study), "/studybot 시작", LEADER, at=kst(2022, 4, 2, 4))
    study.run(kst(2022, 4, 2, 5))
    assert started_by(study) == LEADER and len(alerts(study)) == 1  # told once, before and after the start


def test_the_start_adopts_the_version_the_setup_issue_showed_not_a_members_push(tmp_path):
    """Fines set to 0 by a member right after the leader's start are not adopted: week 1 charges 7,000원 as shown."""
    study = unstarted(tmp_path)
    study.github.add_comment(setup_issue(study), "/studybot 시작", LEADER, at=kst(2022, 4, 2, 1))
    sha = push_config(study, MEMBER, kst(2022, 4, 2, 1, 1), lambda t: t.replace("fines: {late: 3000, absent: 4000}", "fines: {late: 0, absent: 0}"))
    study.run(kst(2022, 4, 2, 2))
    assert started_by(study) == LEADER
    adopted = json.loads(study.ledger())["decisions"]["config"]
    assert "fines: {late: 3000, absent: 4000}" in adopted["text"] and adopted["commit"] != sha
    outcome = study.run(RESULTS_AT)
    assert sum(w.members[name].fine for w in outcome.report.weeks if w.week.number == 1 for name in w.members) > 0
    assert verdict(outcome, "구미진") == ("absent", 4000)
    assert any(sha[:7] in text for text in alerts(study))


def test_a_start_after_the_shown_version_changed_is_refused_with_a_reply(tmp_path):
    """The leader changes the fines after the setup issue showed them; her start is refused until she has seen the new version."""
    study = unstarted(tmp_path)
    sha = push_config(study, LEADER, kst(2022, 4, 2), lambda t: t.replace("fines: {late: 3000, absent: 4000}", "fines: {late: 1000, absent: 2000}"))
    study.github.add_comment(setup_issue(study), "/studybot 시작", LEADER, at=kst(2022, 4, 2, 0, 30))
    study.run(kst(2022, 4, 2, 1))
    assert started_by(study) is None
    (reply,) = replies_to(study, LEADER)
    assert sha[:7] in reply and "다시 확인" in reply
    assert f"studybot:config={sha}" in study.github.issues[setup_issue(study)].body  # the issue now shows the new version
    study.run(kst(2022, 4, 2, 1, 30))
    assert started_by(study) is None and len(replies_to(study, LEADER)) == 1  # the answered start never counts again
    study.github.add_comment(setup_issue(study), "/studybot 시작", LEADER, at=kst(2022, 4, 2, 2))
    study.run(kst(2022, 4, 2, 3))
    assert started_by(study) == LEADER
    assert "late: 1000" in json.loads(study.ledger())["decisions"]["config"]["text"]


def test_config_adoption_takes_the_version_pushed_before_the_comment(study):
    """`/studybot 설정적용` at 14:00 adopts the 13:00 version; a member's excuse pushed at 14:01 is refused and told."""
    push_config(study, LEADER, kst(2022, 4, 14, 13), lambda t: t.replace("fines: {late: 3000, absent: 4000}", "fines: {late: 1000, absent: 2000}"))
    issue = next(n for n, i in study.github.issues.items() if marker(1, Kind.ISSUE) in i.body)
    study.github.add_comment(issue, "/studybot 설정적용", LEADER, at=kst(2022, 4, 14, 14))
    sha = push_config(study, MEMBER, kst(2022, 4, 14, 14, 1), lambda t: t.replace("excuses: []", excuse_line("구미진", 2, "병결")))
    outcome = study.run(WEEK2_FINAL)
    adopted = json.loads(study.ledger())["decisions"]["config"]
    assert "late: 1000" in adopted["text"] and "병결" not in adopted["text"]
    assert verdict(outcome, "구미진", 2) == ("absent", 2000)
    assert any(sha[:7] in text for text in alerts(study))


def forged(study: Study) -> str:
    ledger = json.loads(study.ledger())
    ledger["decisions"]["weeks"]["1"]["members"]["구미진"].update(verdict="on_time", fine=0)
    return json.dumps(ledger, ensure_ascii=False, indent=1)


def test_a_promotion_pushed_before_the_cursor_gives_no_right_to_the_ledger(study):
    """구미진 promotes herself; a run reads her push; later she pushes a forged ledger: it is restored, her fine stays."""
    push_config(study, MEMBER, kst(2022, 4, 14), lambda t: t.replace("github: mijinkoo}", "github: mijinkoo, maintainer: true}"))
    study.run(kst(2022, 4, 14, 1))  # the cursor moves past her promotion
    study.github.now = kst(2022, 4, 15)
    study.github.push({LEDGER: forged(study)}, MEMBER, kst(2022, 4, 15))
    outcome = study.run(kst(2022, 4, 15, 1))
    assert verdict(outcome, "구미진") == ("absent", 4000) and frozen(study, "구미진") == ("absent", 4000)
    assert ("ledger", MEMBER) in [(item["file"], item["actor"]) for item in refused(study)]


def test_a_force_push_that_drops_every_bot_commit_does_not_forge_the_ledger(study):
    """A history rewritten from before the bot's first commit, with a forged ledger: the bot's last ledger is restored."""
    bot_ledger = forged(study)  # the record as the bot last wrote it, with her week 1 forged
    first = next(sha for sha, commit in study.github._objects.items() if commit.parent is None)
    study.github.force_push_to(first, MEMBER, kst(2022, 4, 15))
    study.github.push({LEDGER: bot_ledger}, MEMBER, kst(2022, 4, 15, 0, 1))
    # A fresh checkout of the rewritten branch no longer has the bot's commits; GitHub still serves them by SHA.
    study.github.repository._run("reflog", "expire", "--expire=now", "--all")
    study.github.repository._run("gc", "--quiet", "--prune=now")
    outcome = study.run(kst(2022, 4, 15, 1))
    assert verdict(outcome, "구미진") == ("absent", 4000) and frozen(study, "구미진") == ("absent", 4000)
    assert [(item["file"], item["actor"]) for item in refused(study)] == [("ledger", MEMBER)]
    assert any("mijinkoo" in text for text in alerts(study))


def test_a_ledger_that_is_not_json_does_not_stop_the_week(study):
    """A member pushes a ledger that does not parse: the run restores the bot's, closes and judges the week as usual."""
    study.github.now = kst(2022, 4, 12)
    study.github.push({LEDGER: "{ not json"}, MEMBER, kst(2022, 4, 12))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "구미진") == ("absent", 4000) and frozen(study, "구미진") == ("absent", 4000)
    week1 = next(i for i in study.github.issues.values() if marker(1, Kind.ISSUE) in i.body)
    assert week1.state.value == "closed"
    assert json.loads(study.ledger())["decisions"]["weeks"]["1"]  # the bot's ledger is back, and week 1 is frozen in it
    assert any("mijinkoo" in text for text in alerts(study))
