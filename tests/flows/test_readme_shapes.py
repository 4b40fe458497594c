"""README shapes a study really has, each played through a whole run or a real git history.

Invisible characters in names and headers (the fake GitHub backed by real git, as in
test_attacks.py), commit dates moved by a teammate's cherry-pick, and the week-section layout.
"""

from __future__ import annotations

import io
import json

from helpers import kst
from test_cheating import RESULTS_AT, make_study

from studybot.cli import main
from studybot.core.sections import find_sections
from studybot.shell.demo import example_file, put_link
from studybot.shell.git import Repository

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


# ---- commit time, named honestly (issue 21, item 5) ----------------------------------------------

NOREPLY = "{}@users.noreply.github.com"


def report_json(repo, config_path, now: str) -> dict:
    """`studybot report --format json` on a checkout: what the leader reads offline."""
    out = io.StringIO()
    code = main(["report", "--config", str(config_path), "--repo-path", str(repo.path), "--now", now, "--format", "json"],
                out=out, environ={})
    assert code == 0, out.getvalue()
    return json.loads(out.getvalue())


def week_verdicts(report: dict, week: int) -> dict[str, tuple[str, int]]:
    members = next(item for item in report["weeks"] if item["week"] == week)["members"]
    return {name: (item["verdict"], item["fine"]) for name, item in members.items()}


def cherry_picked_study(tmp_path, timing: str):
    """구미진 commits her week-1 link on her branch on time (Tue 20:00); main moves on; 이은빈
    cherry-picks it onto main a week later, so its committer date is Tue 04-19 and its author date hers."""
    config_text = example_file("study.yml").replace("timing: landed ", f"timing: {timing} ")
    config_path = tmp_path / "study.yml"
    config_path.write_text(config_text, encoding="utf-8")
    repo = Repository.create(tmp_path / "repo")
    readme = example_file("README.md")
    repo.commit({"README.md": readme}, "README", "장서진", NOREPLY.format("SEOJIN-Lab"), kst(2022, 4, 1, 9))
    repo._run("checkout", "--quiet", "-b", "mj")
    handed_in = repo.commit({"README.md": put_link(readme, 1, "구미진", "https://mj.example/1")}, "1주차 과제",
                            "구미진", NOREPLY.format("mijinkoo"), kst(2022, 4, 12, 20))
    repo._run("checkout", "--quiet", "main")
    repo.commit({"README.md": readme + "\n공지: 2주차는 중간고사 뒤에 합니다.\n"}, "공지", "장서진",
                NOREPLY.format("SEOJIN-Lab"), kst(2022, 4, 14, 9))
    moved = kst(2022, 4, 19, 10).isoformat()
    repo._run("-c", "user.name=이은빈", "-c", f"user.email={NOREPLY.format('binable43')}", "cherry-pick", handed_in,
              env={"GIT_COMMITTER_DATE": moved, "GIT_COMMITTER_NAME": "이은빈",
                   "GIT_COMMITTER_EMAIL": NOREPLY.format("binable43")})
    return repo, config_path


def test_a_cherry_picked_hand_in_counts_at_its_author_date_with_author_date(tmp_path):
    """`timing: author-date`: 구미진's link, cherry-picked by 이은빈 a week late, is on time, as she wrote it."""
    repo, config_path = cherry_picked_study(tmp_path, "author-date")
    picked = repo._run("log", "-1", "--format=%an %aI %cI").decode()
    assert picked.startswith("구미진 2022-04-12T20:00:00+09:00 2022-04-19T10:00:00+09:00")
    verdicts = week_verdicts(report_json(repo, config_path, "2022-04-20 12:00"), 1)
    assert verdicts["구미진"] == ("on_time", 0)
    assert verdicts["이은빈"] == verdicts["장서진"] == ("absent", 4000)  # the pick hands in nothing of hers


def test_a_cherry_picked_hand_in_counts_at_the_pick_with_commit_date_authored_and_offline_landed(tmp_path):
    """`commit-date`, `authored` (its old name, unchanged) and `landed` offline (no server times):
    the cherry-pick's date counts, so 구미진 is absent, exactly as `report` said before."""
    for timing in ("commit-date", "authored", "landed"):
        (tmp_path / timing).mkdir()
        repo, config_path = cherry_picked_study(tmp_path / timing, timing)
        verdicts = week_verdicts(report_json(repo, config_path, "2022-04-20 12:00"), 1)
        assert verdicts["구미진"] == ("absent", 4000), timing


# ---- the week-section README (issue 21, item 6) -----------------------------------------------

MEMBERS = ("장서진", "구미진", "이은빈", "한현경", "문수인")
LOGINS = {"장서진": "SEOJIN-Lab", "구미진": "mijinkoo", "이은빈": "binable43", "한현경": "shining-arrow", "문수인": "m0oon0"}
SECTIONS_README = "# Study-MLOps\n\n## 과제 제출\n\n과제를 하면 자기 항목에 체크하고 링크를 넣어 주세요.\n\n## 1주차\n{week1}\n\n<details>\n<summary>2주차</summary>\n\n{week2}\n\n</details>\n\n## 참고 자료\n- [강의](https://fullstackdeeplearning.com/)\n"


def empty_list() -> str:
    return "\n".join(f"- [ ] [{name}]()" for name in MEMBERS)


def tick(text: str, week: int, name: str, item: str) -> str:
    """``text`` with ``name``'s item of ``week`` (the first after its heading or summary) replaced by ``item``."""
    opening = f"## {week}주차" if week == 1 else f"<summary>{week}주차</summary>"
    start = text.index(opening)
    at = text.index(f"- [ ] [{name}]()", start)
    return text[:at] + item + text[at + len(f"- [ ] [{name}]()"):]


def sections_study(tmp_path):
    """A real history: the leader lays out the weeks, then members (and one teammate) edit at set times."""
    config_text = example_file("study.yml").replace("readme: {enabled: true,", "readme: {layout: sections, enabled: true,")
    config_text = config_text.replace("timing: landed ", "timing: commit-date ")
    config_path = tmp_path / "study.yml"
    config_path.write_text(config_text, encoding="utf-8")
    repo = Repository.create(tmp_path / "repo")
    text = SECTIONS_README.format(week1=empty_list(), week2=empty_list())
    edits = [
        ("장서진", kst(2022, 4, 6, 9), None),
        ("장서진", kst(2022, 4, 12, 10), (1, "장서진", "- [x] [장서진](https://sj.example/1)")),
        ("구미진", kst(2022, 4, 12, 20), (1, "구미진", "- [x] [구미진](https://mj.example/1)")),
        ("한현경", kst(2022, 4, 12, 22), (1, "한현경", "- [x] [한현경]()")),  # ticked, no link
        ("이은빈", kst(2022, 4, 12, 23), (1, "문수인", "- [x] [문수인](https://forged.example/1)")),  # not hers
        ("이은빈", kst(2022, 4, 13, 9), (1, "이은빈", "- [x] [이은빈](https://eb.example/1)")),  # late
        ("구미진", kst(2022, 5, 3, 21), (2, "구미진", "- [x] [구미진](https://mj.example/2)")),
        ("장서진", kst(2022, 5, 3, 22), (2, "한현경", "- [x] [한현경](https://hk.example/2)")),  # the leader, for her
        ("문수인", kst(2022, 5, 4, 11), (2, "문수인", "- [ ] [문수인](https://sm.example/2)")),  # late, box unticked
    ]
    for member, when, change in edits:
        if change is not None:
            text = tick(text, *change)
        repo.commit({"README.md": text}, f"{member}의 변경", member, NOREPLY.format(LOGINS[member]), when)
    return repo, config_path


def test_report_on_a_week_section_readme_gives_the_verdicts_a_person_would(tmp_path):
    """Ticked with a link on time → on time; after the deadline → late; ticked without a link, or
    a link a teammate wrote → absent (and told); the leader's entry for a member → counts."""
    repo, config_path = sections_study(tmp_path)
    report = report_json(repo, config_path, "2022-05-04 12:05")
    assert week_verdicts(report, 1) == {
        "장서진": ("on_time", 0), "구미진": ("on_time", 0), "이은빈": ("late", 3000),
        "한현경": ("absent", 4000), "문수인": ("absent", 4000),
    }
    assert week_verdicts(report, 2) == {
        "장서진": ("absent", 4000), "구미진": ("on_time", 0), "이은빈": ("absent", 4000),
        "한현경": ("on_time", 0), "문수인": ("late", 3000),
    }
    warnings = "\n".join(report["warnings"])
    assert "1주차 한현경 님은 체크만 하고 링크가 없어서 제출로 보지 않았습니다" in warnings
    assert "1주차 문수인 님의 칸을 본인도 스터디장도 아닌 이은빈 님이 바꿨습니다" in warnings
    assert "fullstackdeeplearning" not in json.dumps(report["weeks"])


def test_check_reads_the_week_sections_and_says_what_to_fix(tmp_path):
    """`studybot check` on the section README: no 'no table' complaint, the tick without a link listed."""
    repo, config_path = sections_study(tmp_path)
    out = io.StringIO()
    assert main(["check", "--config", str(config_path), "--repo-path", str(repo.path)], out=out, environ={}) == 0
    text = out.getvalue()
    assert "표를 찾지 못했습니다" not in text and "주차별 제출 목록을 찾지 못했습니다" not in text
    assert "1주차 한현경 님은 체크만 하고 링크가 없어서" in text


def test_a_run_on_github_reads_week_sections_at_push_time_and_keeps_them_readable(tmp_path):
    """With `landed` on the fake GitHub: pushes to the sections count at their server time, a
    teammate's push for someone else does not, and the bot's regions leave the sections as they were."""
    config_text = example_file("study.yml").replace("readme: {enabled: true,", "readme: {layout: sections, enabled: true,")
    readme = SECTIONS_README.format(week1=empty_list(), week2=empty_list())
    study = make_study(tmp_path, config_text=config_text, readme=readme)
    study.run(kst(2022, 4, 6, 10))
    study.edit("구미진", kst(2022, 4, 12, 20), lambda t: tick(t, 1, "구미진", "- [x] [구미진](https://mj.example/1)"))
    study.edit("이은빈", kst(2022, 4, 12, 23), lambda t: tick(t, 1, "문수인", "- [x] [문수인](https://forged.example/1)"))
    # Back-dated to Tuesday, pushed on Wednesday morning: late by the server's clock.
    study.edit("한현경", kst(2022, 4, 13, 9), lambda t: tick(t, 1, "한현경", "- [x] [한현경](https://hk.example/1)"),
               authored=kst(2022, 4, 12, 21))
    outcome = study.run(RESULTS_AT)
    assert week1_record(study) == {
        "장서진": ("absent", 4000), "구미진": ("on_time", 0), "이은빈": ("absent", 4000),
        "한현경": ("late", 3000), "문수인": ("absent", 4000),
    }
    assert any(n.problem.value == "not_owner" and n.member == "문수인" for n in outcome.report.warnings)
    after = study.readme()
    assert "- [x] [구미진](https://mj.example/1)" in after and "<summary>2주차</summary>" in after
    assert {section.week for section in find_sections(after)} == {1, 2}
