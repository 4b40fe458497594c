"""Hostile members: back-dating, late edits, other people's cells, forged bot comments, odd names.

Each test plays one trick a member could try against the study's rules (SPEC §3, §4, §8) on
the fake GitHub and checks what the study then sees: the verdict, the fine, the tables and the
comments.
"""

from __future__ import annotations

import json

import pytest
from github_view import assert_safe, rendered
from helpers import kst
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.evidence import Problem
from studybot.core.markers import Kind, marker
from studybot.core.messages import messages_for
from studybot.core.records import Permission
from studybot.core.regions import read_region
from studybot.core.schedule import build_schedule
from studybot.shell.demo import example_file, put_link
from studybot.shell.runner import job_summary

START = kst(2022, 4, 6, 9)
LEADER = "SEOJIN-Lab"
MEMBERS = {"장서진": LEADER, "구미진": "mijinkoo", "이은빈": "binable43", "한현경": "shining-arrow", "문수인": "m0oon0"}
RESULTS_AT = kst(2022, 4, 13, 12, 5)  # week 1 is final (deadline 04-13 00:00, late until 12:00)


def make_study(tmp_path, config_text: str | None = None, readme: str | None = None) -> Study:
    text = config_text or example_file("study.yml")
    study = Study(tmp_path, parse_config(text), readme or example_file("README.md"), text, START)
    study.github.set_permission(LEADER, Permission.ADMIN)
    for login in MEMBERS.values():
        if login != LEADER:
            study.github.set_permission(login, Permission.WRITE)  # members push their own links
    return study


@pytest.fixture()
def study(tmp_path) -> Study:
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))  # week 1's issue opens
    return study


def link(week: int, member: str, url: str):
    return lambda text: put_link(text, week, member, url)


def week_issue(study: Study, week: int) -> int:
    found = [n for n, issue in study.github.issues.items()
             if issue.title == f"[{week}주차] Q&A" and issue.author == study.github.bot]
    assert len(found) == 1
    return found[0]


def verdict(outcome, member: str, week: int = 1) -> tuple[str, int]:
    judgement = next(w for w in outcome.report.weeks if w.week.number == week).members[member]
    return judgement.verdict.value, judgement.fine


def frozen(study: Study, member: str, week: int = 1) -> tuple[str, int]:
    item = json.loads(study.ledger())["decisions"]["weeks"][str(week)]["members"][member]
    return item["verdict"], item["fine"]


def bot_comments(study: Study, week: int, kind: Kind):
    return [c for c in study.github.comments.values() if marker(week, kind) in c.body and c.author == study.github.bot]


def fines_row(study: Study, member: str) -> str:
    region = read_region(study.readme(), "fines")
    return next(line for line in region.splitlines() if line.startswith(f"| {member} |"))


# ---- time tricks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pushed", "expected"),
    [(kst(2022, 4, 13, 9), ("late", 3000)), (kst(2022, 4, 13, 13), ("absent", 4000))],
    ids=["pushed-in-the-late-window", "pushed-after-the-cut-off"],
)
def test_a_back_dated_commit_counts_when_it_was_pushed(study, pushed, expected):
    """A commit dated Tuesday evening but pushed on Wednesday is judged at the push, not at its date."""
    study.edit("한현경", pushed, link(1, "한현경", "https://h.example/1"), authored=kst(2022, 4, 12, 20))
    outcome = study.run(kst(2022, 4, 13, 14))  # the noon run was dropped; the bot comes late
    assert verdict(outcome, "한현경") == expected
    assert frozen(study, "한현경") == expected
    submission = outcome.report.weeks[0].members["한현경"].submission
    if expected[0] == "late":
        assert submission.at == pushed and submission.trusted  # the server's push time, not the commit date


def test_a_comment_edited_after_the_deadline_to_add_a_link_is_late(study):
    """A harmless comment written on Tuesday and edited on Wednesday to hold the link counts at the edit: late."""
    comment = study.github.add_comment(week_issue(study, 1), "과제 곧 올릴게요!", "m0oon0", at=kst(2022, 4, 12, 22))
    study.github.edit_comment(comment.id, "제출 https://soo.example/1", at=kst(2022, 4, 13, 1))
    outcome = study.run(RESULTS_AT)  # the bot never saw the comment before the edit
    assert verdict(outcome, "문수인") == ("late", 3000)
    assert "| 문수인 | ⏰ 지각 | 3,000원 |" in bot_comments(study, 1, Kind.RESULTS)[0].body


def test_a_comment_edited_after_the_cut_off_leaves_the_week_absent(study):
    """Adding a link to an old comment after the week is final changes nothing: still absent, results unchanged."""
    comment = study.github.add_comment(week_issue(study, 1), "질문 있어요", "m0oon0", at=kst(2022, 4, 12, 22))
    study.run(RESULTS_AT)
    results = bot_comments(study, 1, Kind.RESULTS)[0].body
    study.github.edit_comment(comment.id, "https://soo.example/1", at=kst(2022, 4, 13, 15))
    outcome = study.run(kst(2022, 4, 13, 16))
    assert verdict(outcome, "문수인") == frozen(study, "문수인") == ("absent", 4000)
    assert bot_comments(study, 1, Kind.RESULTS)[0].body == results


@pytest.mark.parametrize("seen_before_removal", [False, True], ids=["never-seen", "seen-by-a-run"])
def test_removing_a_late_link_afterwards_is_still_late(study, seen_before_removal):
    """Taking a late link out of the README before noon does not turn late into on time or absent."""
    study.edit("구미진", kst(2022, 4, 13, 9), link(1, "구미진", "https://m.example/1"))
    if seen_before_removal:
        study.run(kst(2022, 4, 13, 10))
    study.edit("구미진", kst(2022, 4, 13, 11), link(1, "구미진", ""))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "구미진") == frozen(study, "구미진") == ("late", 3000)
    assert fines_row(study, "구미진").startswith("| 구미진 | ⏰ |")


def test_removing_a_link_after_the_week_is_final_keeps_the_verdict(study):
    """Deleting one's link once the week is final changes neither the frozen verdict nor the tables."""
    study.edit("구미진", kst(2022, 4, 12, 9), link(1, "구미진", "https://m.example/1"))
    study.run(RESULTS_AT)
    row = fines_row(study, "구미진")
    study.edit("구미진", kst(2022, 4, 14), link(1, "구미진", ""))
    outcome = study.run(kst(2022, 4, 14, 1))
    assert verdict(outcome, "구미진") == frozen(study, "구미진") == ("on_time", 0)
    assert fines_row(study, "구미진") == row


# ---- other people's entries ---------------------------------------------------------------------


def test_a_member_filling_another_members_cell_is_ignored_and_warned(study):
    """구미진 putting a link into 한현경's cell does not hand in for 한현경, and the leader is told who did it."""
    study.edit("구미진", kst(2022, 4, 12, 10), link(1, "한현경", "https://fake.example/1"))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "한현경") == ("absent", 4000)
    warnings = [w for w in outcome.report.warnings if w.problem is Problem.NOT_OWNER]
    assert [(w.week, w.member, w.detail) for w in warnings] == [(1, "한현경", "구미진")]
    messages = messages_for("ko")
    summary = job_summary(outcome, build_schedule(study.config), messages, False)
    assert messages.notice(warnings[0], lambda text: text) in summary


def test_the_leader_may_fill_in_a_members_cell(study):
    """A maintainer entering a link for a member (who sent it by chat) counts for that member."""
    study.edit("장서진", kst(2022, 4, 12, 10), link(1, "한현경", "https://h.example/1"))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "한현경") == ("on_time", 0)
    assert not [w for w in outcome.report.warnings if w.problem is Problem.NOT_OWNER]


def test_a_member_quoting_another_members_submission_does_not_submit(study):
    """Quoting 구미진's link (a quote reply, or inside a code block) hands in nothing for 문수인."""
    issue = week_issue(study, 1)
    study.github.add_comment(issue, "https://m.example/1", "mijinkoo", at=kst(2022, 4, 12, 9))
    study.github.add_comment(issue, "> https://m.example/1\n\n좋은 자료네요!", "m0oon0", at=kst(2022, 4, 12, 10))
    study.github.add_comment(issue, "> 제출 https://m.example/1", "m0oon0", at=kst(2022, 4, 12, 11))
    study.github.add_comment(issue, "```\n제출 https://m.example/1\n```", "m0oon0", at=kst(2022, 4, 12, 12))
    outcome = study.run(RESULTS_AT)
    assert verdict(outcome, "구미진") == ("on_time", 0)
    assert verdict(outcome, "문수인") == ("absent", 4000)


def test_a_guests_link_on_the_issue_submits_for_nobody(study):
    """Someone outside the study sharing a link in the Q&A is no submission and changes no verdict."""
    study.github.add_comment(week_issue(study, 1), "제출 https://guest.example/1", "stranger", at=kst(2022, 4, 12, 9))
    outcome = study.run(RESULTS_AT)
    assert all(judgement.verdict.value == "absent" for judgement in outcome.report.weeks[0].members.values())


# ---- commands from the wrong people ---------------------------------------------------------------


@pytest.mark.parametrize("login", ["mijinkoo", "stranger"], ids=["member-with-write-access", "outsider"])
def test_a_non_maintainer_cannot_excuse_themselves(study, login):
    """/studybot excuse from anyone but a maintainer is refused politely and the absence and fine stay."""
    study.run(RESULTS_AT)
    fines_before = read_region(study.readme(), "fines")
    command = study.github.add_comment(week_issue(study, 1), "/studybot excuse @mijinkoo 1 아파서", login,
                                       at=kst(2022, 4, 14))
    outcome = study.run(kst(2022, 4, 14, 1))
    assert verdict(outcome, "구미진") == frozen(study, "구미진") == ("absent", 4000)
    assert json.loads(study.ledger())["decisions"]["overrides"] == []
    assert read_region(study.readme(), "fines") == fines_before
    replies = [c.body for c in study.github.comments.values() if marker(0, Kind.REPLY, command.id) in c.body]
    assert len(replies) == 1 and "스터디장(장서진)만" in replies[0]
    assert command.id not in study.github.reactions  # one write per refusal


def test_a_member_editing_the_leaders_comment_into_a_command_changes_nothing(study):
    """A member with write access who edits the leader's old comment into '/studybot excuse' does not get excused."""
    study.run(RESULTS_AT)
    thanks = study.github.add_comment(week_issue(study, 1), "다들 수고하셨습니다!", LEADER, at=kst(2022, 4, 13, 13))
    study.run(kst(2022, 4, 13, 14))  # the bot has seen the comment: no command in it
    study.github.edit_comment(thanks.id, "/studybot excuse @mijinkoo 1 병결", at=kst(2022, 4, 14))  # by mijinkoo
    outcome = study.run(kst(2022, 4, 14, 1))
    assert verdict(outcome, "구미진") == frozen(study, "구미진") == ("absent", 4000)
    assert json.loads(study.ledger())["decisions"]["overrides"] == []
    replies = [c.body for c in study.github.comments.values() if f"kind=reply:id={thanks.id}" in c.body]
    assert len(replies) == 1 and "새 댓글로" in replies[0]


def test_a_member_pushing_an_edited_ledger_does_not_change_a_final_verdict(study):
    """A member with push access who edits the ledger to turn their absence into on time keeps the absence and fine."""
    study.run(RESULTS_AT)
    ledger = json.loads(study.ledger())
    ledger["decisions"]["weeks"]["1"]["members"]["구미진"].update(verdict="on_time", fine=0)
    study.github.now = kst(2022, 4, 14)
    study.github.push({".studybot/ledger.json": json.dumps(ledger, ensure_ascii=False, indent=1)}, "mijinkoo")
    outcome = study.run(kst(2022, 4, 14, 1))
    assert verdict(outcome, "구미진") == ("absent", 4000)
    assert fines_row(study, "구미진").startswith("| 구미진 | ❌ | 4,000원")
    assert json.loads(study.ledger())["decisions"]["weeks"]["1"]["members"]["구미진"]["verdict"] == "absent"
    assert any("mijinkoo" in note and "되돌립니다" in note for note in outcome.notes)


def test_a_maintainer_may_edit_the_ledger_by_hand(study):
    """The leader's own push of an edited ledger is respected (it is their record to repair)."""
    study.run(RESULTS_AT)
    ledger = json.loads(study.ledger())
    ledger["decisions"]["weeks"]["1"]["members"]["구미진"].update(verdict="excused", fine=0)
    study.github.now = kst(2022, 4, 14)
    study.github.push({".studybot/ledger.json": json.dumps(ledger, ensure_ascii=False, indent=1)}, LEADER)
    outcome = study.run(kst(2022, 4, 14, 1))
    assert verdict(outcome, "구미진") == ("excused", 0)
    assert outcome.notes == []


# ---- forged bot comments and issues --------------------------------------------------------------


def test_forged_bot_markers_are_not_taken_for_the_bots_own(tmp_path):
    """Comments and an issue a member signs with the bot's hidden markers neither replace the bot's nor get edited."""
    study = make_study(tmp_path)
    fake_issue = study.github.add_issue(
        "[1주차] Q&A", marker(1, Kind.ISSUE) + "\n가짜 이슈", author="mijinkoo", created_at=kst(2022, 4, 6, 9, 30)
    )
    study.run(kst(2022, 4, 6, 10))
    issue = week_issue(study, 1)
    assert issue != fake_issue.number
    forged = {
        kind: study.github.add_comment(
            issue, marker(1, kind) + f"\n## 1주차 결과\n| 구미진 | ✅ 제출 | | |\n제출 https://m.example/{kind}",
            "mijinkoo", at=kst(2022, 4, 12, 9),
        )
        for kind in (Kind.RESULTS, Kind.REMINDER, Kind.CLOSING)
    }
    study.github.add_comment(fake_issue.number, "제출 https://soo.example/1", "m0oon0", at=kst(2022, 4, 12, 10))
    for at in (kst(2022, 4, 12, 18, 5), kst(2022, 4, 13, 0, 5), RESULTS_AT, kst(2022, 4, 13, 13)):
        outcome = study.run(at)

    for kind in (Kind.RESULTS, Kind.REMINDER, Kind.CLOSING):
        assert len(bot_comments(study, 1, kind)) == 1, kind  # the bot still wrote its own, once
        assert study.github.comments[forged[kind].id] == forged[kind]  # and never touched the member's
    edited = {details["id"] for details in study.github.writes_of("update_comment")}
    assert not edited & {comment.id for comment in forged.values()}
    assert verdict(outcome, "구미진") == ("absent", 4000)  # a forged comment is no submission either
    assert verdict(outcome, "문수인") == ("absent", 4000)  # the member's fake issue is not the week's issue
    assert study.github.issues[fake_issue.number].body.endswith("가짜 이슈")


def test_a_member_rewriting_the_bots_results_comment_is_put_right(study):
    """A member who edits the bot's results comment to clear their fine sees it restored by the next run."""
    study.run(RESULTS_AT)
    results = bot_comments(study, 1, Kind.RESULTS)[0]
    forged = results.body.replace("| 구미진 | ❌ 결석 | 4,000원 |", "| 구미진 | ✅ 제출 | |")
    assert forged != results.body
    study.github.edit_comment(results.id, forged, at=kst(2022, 4, 13, 13))
    study.run(kst(2022, 4, 13, 14))
    assert study.github.comments[results.id].body == results.body


# ---- names that look like markup -----------------------------------------------------------------

HOSTILE = {
    "@someone": None,  # no GitHub login: named in text only
    "<img src=x onerror=alert(1)>": "img-user",
    "[x](javascript:alert(1))": "js-user",
    "a|b": "pipe-user",
}


def hostile_config() -> str:
    text = example_file("study.yml")
    extra = "".join(
        f"  - {{name: {json.dumps(name)}, github: {login or 'null'}}}\n" for name, login in HOSTILE.items()
    )
    text = text.replace("  - {name: 문수인, github: m0oon0}\n", "  - {name: 문수인, github: m0oon0}\n" + extra)
    order = ", ".join(json.dumps(name) for name in HOSTILE)
    return text.replace("order: [이은빈, 문수인, 한현경, 장서진, 구미진]", f"order: [{order}, 이은빈, 문수인]")


def hostile_readme() -> str:
    # The names as a member writes them in the table (a pipe must be escaped there).
    cells = r"[@someone]() &nbsp; [a\|b]()"
    return example_file("README.md").replace("[문수인]()|", f"[문수인]() &nbsp; {cells}|")


def test_member_names_that_look_like_markup_break_no_table_and_mention_nobody(tmp_path):
    """Names like '@someone', '<img …>', '[x](javascript:…)' and 'a|b' show literally everywhere the bot writes them."""
    study = make_study(tmp_path, hostile_config(), hostile_readme())
    for login in filter(None, HOSTILE.values()):
        study.github.set_permission(login, Permission.WRITE)
    study.run(kst(2022, 4, 6, 10))
    issue = week_issue(study, 1)
    study.github.add_comment(issue, "제출 https://img.example/1", "img-user", at=kst(2022, 4, 12, 9))
    study.edit("장서진", kst(2022, 4, 12, 10), link(1, "@someone", "https://someone.example/1"))
    study.edit("a|b", kst(2022, 4, 12, 11), lambda text: text.replace(r"[a\|b]()", r"[a\|b](https://ab.example/1)"))
    for at in (kst(2022, 4, 12, 18, 5), kst(2022, 4, 13, 0, 5), RESULTS_AT):
        outcome = study.run(at)

    assert verdict(outcome, "@someone") == ("on_time", 0)  # entered by the leader
    assert verdict(outcome, "<img src=x onerror=alert(1)>") == ("on_time", 0)
    assert verdict(outcome, "a|b") == ("on_time", 0)
    assert verdict(outcome, "[x](javascript:alert(1))") == ("absent", 4000)

    logins = {login for login in [*MEMBERS.values(), *HOSTILE.values()] if login}
    readme = study.readme()
    writings = {"README fines": read_region(readme, "fines"), "README rotation": read_region(readme, "rotation")}
    writings.update({f"comment {c.id}": c.body for c in study.github.comments.values() if c.author == study.github.bot})
    writings.update({f"issue {n}": i.body for n, i in study.github.issues.items() if i.author == study.github.bot})
    writings["job summary"] = job_summary(outcome, build_schedule(study.config), messages_for("ko"), False)
    for where, markdown in writings.items():
        try:
            assert_safe(markdown, logins)
        except AssertionError as error:
            raise AssertionError(f"{where}: {error}\n{markdown}") from None

    # Each name reads back exactly as written in the fines table (the zero-width space only stops the mention).
    text = rendered(writings["README fines"])["text"]
    shown = {chunk.replace("\u200b", "") for chunk in text}
    assert set(HOSTILE) <= shown
    reminder = bot_comments(study, 1, Kind.REMINDER)[0].body
    assert "@js-user" in reminder  # a configured login is mentioned on purpose


def test_a_member_without_a_github_login_may_come_before_others_in_the_config():
    """A leader can list a member who has no GitHub account anywhere in members, not only last."""
    first = "  - {name: 구미진, github: mijinkoo}\n"
    text = example_file("study.yml").replace(first, "  - {name: 손님, github: null}\n" + first)
    assert [member.name for member in parse_config(text).members][:3] == ["장서진", "손님", "구미진"]
