"""README shapes a study really has, each played through a whole run or a real git history.

Invisible characters in names and headers (the fake GitHub backed by real git, as in
test_attacks.py), commit dates moved by a teammate's cherry-pick, and the week-section layout.
"""

from __future__ import annotations

import json

from helpers import kst
from test_cheating import RESULTS_AT, make_study

from studybot.shell.demo import put_link

ZWSP = "\u200b"
WEEK1_LINKS = {"장서진": "https://sj.example/1", "구미진": "https://mj.example/1", "이은빈": "https://eb.example/1"}


def week1_record(study) -> dict:
    """Week 1 as the ledger froze it: each member's verdict and fine."""
    members = json.loads(study.ledger())["decisions"]["weeks"]["1"]["members"]
    return {name: (item["verdict"], item["fine"]) for name, item in members.items()}


def play_week1(tmp_path, name_of=lambda name: name, header=lambda text: text):
    """Week 1 of the seed study: a header edit by 이은빈, then three members' links; the money and the record.

    ``name_of`` is how 구미진 writes her own name; ``header`` changes the README before anyone hands in.
    """
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))
    study.edit("이은빈", kst(2022, 4, 8, 9), header)
    for hour, (member, url) in enumerate(WEEK1_LINKS.items(), 10):
        written = name_of(member) if member == "구미진" else member

        def change(text, member=member, written=written, url=url):
            return put_link(text, 1, member, url).replace(f"[{member}]({url})", f"[{written}]({url})")

        study.edit(member, kst(2022, 4, 11, hour), change)
    outcome = study.run(RESULTS_AT)
    tallies = dict(outcome.report.tallies)
    return study, outcome, tallies, week1_record(study)


# ---- invisible characters (issue 20) ----------------------------------------------------------------


def test_a_zero_width_space_in_a_members_name_changes_neither_money_nor_record(tmp_path):
    """구미진 written 구\u200b미진 (looks the same on GitHub): she is on time, as when typed plainly."""
    _, _, plain_money, plain_record = play_week1(tmp_path / "plain")
    study, outcome, money, record = play_week1(tmp_path / "zwsp", name_of=lambda name: name[0] + ZWSP + name[1:])
    assert ZWSP in study.readme()
    assert record["구미진"] == ("on_time", 0)
    assert (money, record) == (plain_money, plain_record)
    assert not [n for n in outcome.report.warnings if n.problem.value == "unknown_name"]


def test_a_zero_width_space_in_the_table_header_changes_neither_money_nor_record(tmp_path):
    """A header 주\u200b차 | 과\u200b제 pushed by a member: the table is still read and three hand-ins count."""
    _, _, plain_money, plain_record = play_week1(tmp_path / "plain")

    def hide(text):
        return text.replace("|주차|과제|팀블로그|", f"|주{ZWSP}차|과{ZWSP}제|팀블로그|", 1)

    study, outcome, money, record = play_week1(tmp_path / "zwsp", header=hide)
    assert f"|주{ZWSP}차|" in study.readme()
    assert sorted(name for name, (verdict, _) in record.items() if verdict == "on_time") == sorted(WEEK1_LINKS)
    assert (money, record) == (plain_money, plain_record)
    assert not [n for n in outcome.report.warnings if n.problem.value == "no_table"]
