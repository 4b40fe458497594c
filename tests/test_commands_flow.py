"""Maintainer commands end to end: applied once, answered, refused for others, settled at the end."""

from __future__ import annotations

import json

import pytest
from helpers import kst
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.core.records import Permission
from studybot.shell.demo import example_file, put_link

START = kst(2022, 4, 6, 9)
LEADER = "SEOJIN-Lab"


@pytest.fixture()
def study(tmp_path) -> Study:
    text = example_file("study.yml")
    study = Study(tmp_path, parse_config(text), example_file("README.md"), text, START)
    study.github.set_permission(LEADER, Permission.ADMIN)
    study.github.set_permission("mijinkoo", Permission.WRITE)  # members push their own links
    study.run(kst(2022, 4, 6, 10))
    return study


def week_issue(study: Study, week: int) -> int:
    return next(number for number, issue in study.github.issues.items() if issue.title == f"[{week}주차] Q&A")


def replies_to(study: Study, comment_id: int) -> list[str]:
    found = marker(0, Kind.REPLY, comment_id)
    return [comment.body for comment in study.github.comments.values() if found in comment.body]


def frozen(study: Study, week: int, member: str) -> dict:
    return json.loads(study.ledger())["decisions"]["weeks"][str(week)]["members"][member]


def test_excusing_a_final_week_removes_the_fine_and_records_who_why_when(study):
    """/studybot excuse on a final week: the verdict becomes excused, with the maintainer and reason."""
    study.run(kst(2022, 4, 13, 12, 5))
    assert frozen(study, 1, "구미진")["verdict"] == "absent"
    command = study.github.add_comment(week_issue(study, 1), "/studybot excuse @mijinkoo 1 병결", LEADER,
                                       at=kst(2022, 4, 14, 9))
    outcome = study.run(kst(2022, 4, 14, 10))
    assert frozen(study, 1, "구미진")["verdict"] == "excused"
    assert frozen(study, 1, "구미진")["note"] == "병결"
    override = json.loads(study.ledger())["decisions"]["overrides"][0]
    assert (override["kind"], override["by"], override["reason"], override["comment"]) == (
        "excuse", LEADER, "병결", command.id)
    assert override["at"].startswith("2022-04-14T00:00:00")  # 09:00 KST in UTC
    assert outcome.report.tallies["구미진"].fines == 0
    assert "구미진" not in outcome.report.settlement.excluded
    assert len(replies_to(study, command.id)) == 1 and "면제했습니다" in replies_to(study, command.id)[0]
    results = [c for c in study.github.comments.values() if marker(1, Kind.RESULTS) in c.body]
    assert len(results) == 1 and "| 구미진 | 🙏 면제 |" in results[0].body  # the results comment follows


def test_a_command_is_applied_once_even_when_edited_or_repeated(study):
    """Running again, or editing the command comment, neither applies it twice nor undoes it."""
    command = study.github.add_comment(week_issue(study, 1), "/studybot paid @mijinkoo 3000", LEADER,
                                       at=kst(2022, 4, 7))
    study.run(kst(2022, 4, 7, 1))
    study.run(kst(2022, 4, 7, 2))
    study.github.edit_comment(command.id, "/studybot paid @mijinkoo 9000", at=kst(2022, 4, 7, 3))
    study.run(kst(2022, 4, 7, 4))
    payments = [o for o in json.loads(study.ledger())["decisions"]["overrides"] if o["kind"] == "paid"]
    assert [p["amount"] for p in payments] == [3000]
    assert len(replies_to(study, command.id)) == 1


def test_a_member_with_write_access_cannot_command(study):
    """A member who may push is still not a maintainer: refused politely, nothing changes."""
    study.run(kst(2022, 4, 13, 12, 5))
    command = study.github.add_comment(week_issue(study, 1), "/studybot excuse @mijinkoo 1 아파서", "mijinkoo",
                                       at=kst(2022, 4, 14))
    outcome = study.run(kst(2022, 4, 14, 1))
    assert frozen(study, 1, "구미진")["verdict"] == "absent"
    assert json.loads(study.ledger())["decisions"]["overrides"] == []
    reply = replies_to(study, command.id)
    assert len(reply) == 1 and "스터디장(장서진)만" in reply[0]
    assert outcome.report.tallies["구미진"].fines == 4000
    assert command.id not in study.github.reactions  # a refusal costs one write: the reply
    again = study.github.add_comment(week_issue(study, 1), "/studybot excuse @mijinkoo 1 제발", "mijinkoo",
                                     at=kst(2022, 4, 14, 2))
    study.run(kst(2022, 4, 14, 3))
    assert replies_to(study, again.id) == [] and study.github.reactions[again.id] == ["confused"]


def test_any_member_can_ask_for_their_status_once_a_day(study):
    """/studybot 현황 from a member gets their weeks and fines; the same day again, a reaction only."""
    study.run(kst(2022, 4, 13, 12, 5))
    asked = study.github.add_comment(week_issue(study, 1), "/studybot 현황", "mijinkoo", at=kst(2022, 4, 14))
    study.run(kst(2022, 4, 14, 1))
    (reply,) = replies_to(study, asked.id)
    assert "구미진" in reply and "4,000원" in reply
    again = study.github.add_comment(week_issue(study, 1), "/studybot 내벌금", "mijinkoo", at=kst(2022, 4, 14, 2))
    stranger = study.github.add_comment(week_issue(study, 1), "/studybot status", "stranger", at=kst(2022, 4, 14, 2))
    study.run(kst(2022, 4, 14, 3))
    assert replies_to(study, again.id) == [] and study.github.reactions[again.id] == ["eyes"]
    assert replies_to(study, stranger.id) == [] and study.github.reactions[stranger.id] == ["confused"]
    assert json.loads(study.ledger())["decisions"]["overrides"] == []


def test_a_configured_maintainer_without_write_access_cannot_command(study):
    """maintainer: true is not enough when the account has only read access."""
    study.github.set_permission(LEADER, Permission.READ)
    command = study.github.add_comment(week_issue(study, 1), "/studybot paid @mijinkoo 3000", LEADER,
                                       at=kst(2022, 4, 7))
    study.run(kst(2022, 4, 7, 1))
    assert json.loads(study.ledger())["decisions"]["overrides"] == []
    assert "만 쓸 수 있어서" in replies_to(study, command.id)[0]


def test_payments_show_as_paid_and_owed(study):
    """After a payment the README's fines table shows what was paid and what is still owed."""
    study.run(kst(2022, 4, 13, 12, 5))
    study.github.add_comment(week_issue(study, 1), "/studybot 납부 @mijinkoo 3,000원", LEADER, at=kst(2022, 4, 14))
    study.run(kst(2022, 4, 14, 1))
    fines = study.readme().split("<!-- studybot:fines:start -->")[1]
    assert "| 이름 | 1주차 | 벌금 | 납부 | 미납 |" in fines
    assert "| 구미진 | ❌ | 4,000원 | 3,000원 | 1,000원 |" in fines


def test_swap_blog_moves_the_week_and_gives_the_next_turn_back(study):
    """swap-blog 2 @문수인 @장서진: 장서진 writes week 2 and 문수인 takes 장서진's next week (4)."""
    command = study.github.add_comment(week_issue(study, 1), "/studybot swap-blog 2 @m0oon0 @SEOJIN-Lab", LEADER,
                                       at=kst(2022, 4, 7))
    outcome = study.run(kst(2022, 4, 7, 1))
    assert outcome.report.writers[2] == "장서진" and outcome.report.writers[4] == "문수인"
    assert outcome.report.writers[3] == "한현경"
    assert "🔁 2주차 팀 블로그 담당: 문수인 → 장서진. 대신 4주차는 문수인 님이 씁니다." in replies_to(study, command.id)[0]


def test_swap_blog_checks_who_writes_that_week(study):
    """Swapping from someone who is not the week's writer is explained and changes nothing."""
    command = study.github.add_comment(week_issue(study, 1), "/studybot swap-blog 2 @mijinkoo @SEOJIN-Lab", LEADER,
                                       at=kst(2022, 4, 7))
    outcome = study.run(kst(2022, 4, 7, 1))
    assert outcome.report.writers[2] == "문수인"
    assert "담당은 구미진 님이 아니라 문수인 님입니다" in replies_to(study, command.id)[0]
    assert study.github.reactions[command.id] == ["confused"]


def test_help_and_recheck(study):
    """help answers with the command list; recheck is acknowledged with a thumbs-up."""
    help_comment = study.github.add_comment(week_issue(study, 1), "/studybot help", LEADER, at=kst(2022, 4, 7))
    recheck = study.github.add_comment(week_issue(study, 1), "/studybot recheck", LEADER, at=kst(2022, 4, 7))
    study.run(kst(2022, 4, 7, 1))
    assert "/studybot excuse @아이디" in replies_to(study, help_comment.id)[0]
    assert study.github.reactions[recheck.id] == ["+1"]
    assert replies_to(study, recheck.id) == []


def test_bad_arguments_are_explained(study):
    """A command with a bad week is answered with what to fix."""
    command = study.github.add_comment(week_issue(study, 1), "/studybot excuse @mijinkoo 99 병결", LEADER,
                                       at=kst(2022, 4, 7))
    study.run(kst(2022, 4, 7, 1))
    assert "99주차는 일정에 없는 주차" in replies_to(study, command.id)[0]


def test_final_settlement_is_posted_once_after_the_last_week(tmp_path):
    """After week 12 is final the settlement statement goes on its issue once."""
    text = example_file("study.yml").replace("weeks: 12", "weeks: 2")
    config = parse_config(text)
    study = Study(tmp_path, config, example_file("README.md"), text, START)
    study.edit("장서진", kst(2022, 4, 10), lambda t: put_link(t, 1, "장서진", "https://s.example/1"))
    for at in (kst(2022, 4, 6, 10), kst(2022, 4, 13, 12, 5), kst(2022, 4, 27, 1), kst(2022, 5, 4, 12, 5),
               kst(2022, 5, 4, 13), kst(2022, 5, 5)):
        outcome = study.run(at)
    statements = [c for c in study.github.comments.values() if marker(2, Kind.SETTLEMENT) in c.body]
    assert len(statements) == 1
    assert "최종 정산" in statements[0].body and "총 벌금" in statements[0].body
    assert statements[0].body.count("정산 (꼴찌 제외 1/n)") == 1
    assert outcome.report.finished
    assert "— 최종" in study.readme()


def test_a_config_excuse_reaches_a_final_week_and_unexcuse_takes_it_back(study):
    """An excuse added to the config after the week is final applies; /studybot unexcuse removes it."""
    study.run(kst(2022, 4, 13, 12, 5))
    assert frozen(study, 1, "구미진")["verdict"] == "absent"
    text = example_file("study.yml").replace("excuses: []", "excuses:\n  - {week: 1, member: 구미진, reason: 병결}")
    study.config = parse_config(text)
    study.run(kst(2022, 4, 14))
    assert frozen(study, 1, "구미진")["verdict"] == "excused"
    study.github.add_comment(week_issue(study, 1), "/studybot unexcuse @mijinkoo 1", LEADER, at=kst(2022, 4, 15))
    outcome = study.run(kst(2022, 4, 15, 1))
    assert frozen(study, 1, "구미진")["verdict"] == "absent"
    assert outcome.report.tallies["구미진"].fines == 4000


def test_two_swaps_in_one_run_see_each_other(study):
    """A second swap in the same run is checked against the writers the first swap left."""
    issue = week_issue(study, 1)
    study.github.add_comment(issue, "/studybot swap-blog 2 @m0oon0 @SEOJIN-Lab", LEADER, at=kst(2022, 4, 7))
    second = study.github.add_comment(issue, "/studybot swap-blog 2 @SEOJIN-Lab @binable43", LEADER,
                                      at=kst(2022, 4, 7, 0, 1))
    outcome = study.run(kst(2022, 4, 7, 1))
    assert outcome.report.writers[2] == "이은빈"
    assert "🔁" in replies_to(study, second.id)[0]


def test_a_config_swap_lets_the_new_writer_post_by_comment(tmp_path):
    """With a swap in the config, the new writer's /blog comment marks the week's post done."""
    text = example_file("study.yml").replace(
        "readme_column: 팀블로그}", "readme_column: 팀블로그, swaps: [{week: 1, member: 구미진}]}")
    study = Study(tmp_path, parse_config(text), example_file("README.md"), text, START)
    study.run(kst(2022, 4, 6, 10))
    study.github.add_comment(week_issue(study, 1), "/blog https://blog.example/1", "mijinkoo", at=kst(2022, 4, 12))
    outcome = study.run(kst(2022, 4, 12, 1))
    assert outcome.report.weeks[0].blog_member == "구미진"
    assert outcome.report.weeks[0].blog.url == "https://blog.example/1"
