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


# ---- the ledger -------------------------------------------------------------------------------------


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
