"""`studybot init` on a copy of the seed study's repository: what it writes, whom it places, what it refuses."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import yaml
from helpers import SHARED, kst

from studybot.cli import main
from studybot.core.schedule import build_schedule
from studybot.shell.configfile import load_config
from studybot.shell.git import Repository
from studybot.shell.init import InitOptions, run_init

SEED = (SHARED / "seeds" / "study-mlops-README.md").read_text(encoding="utf-8")

# Who commits as whom: personal addresses for some members, GitHub's noreply for others.
IDENTITIES = {
    "장서진": ("Seojin Jang", "seojin@gmail.com"),
    "구미진": ("mijinkoo", "81234567+mijinkoo@users.noreply.github.com"),
    "이은빈": ("eunbin", "eunbin.lee@ewha.ac.kr"),
    "한현경": ("shining-arrow", "shining-arrow@users.noreply.github.com"),
    "문수인": ("m0oon0", "66612345+m0oon0@users.noreply.github.com"),
}
# The seed's deadlines for weeks 1-5 (two weeks of midterms after week 1).
DEADLINES = {1: kst(2022, 4, 13), 2: kst(2022, 5, 4), 3: kst(2022, 5, 11), 4: kst(2022, 5, 18), 5: kst(2022, 5, 25)}
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)]*)\)")


def _submission_cell(line: str) -> tuple[str, str, str]:
    """A table row split into (before the homework cell, the cell, the blog cell and after)."""
    first = line.index("|", 1)
    last = line.rindex("|", 0, len(line) - 1)
    return line[: first + 1], line[first + 1 : last], line[last:]


def _emptied(text: str) -> str:
    """The seed README before anyone handed anything in: every homework link emptied."""
    lines = []
    for line in text.split("\n"):
        if re.match(r"^\|\d+주차\|", line):
            head, cell, tail = _submission_cell(line)
            line = head + _LINK.sub(r"[\1]()", cell) + tail
        lines.append(line)
    return "\n".join(lines)


def _with_link(text: str, week: int, name: str, url: str) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith(f"|{week}주차|"):
            head, cell, tail = _submission_cell(line)
            lines[index] = head + cell.replace(f"[{name}]()", f"[{name}]({url})") + tail
    return "\n".join(lines)


def _seed_links() -> list[tuple[int, str, str]]:
    links = []
    for line in SEED.split("\n"):
        match = re.match(r"^\|(\d+)주차\|", line)
        if match:
            _, cell, _ = _submission_cell(line)
            links += [(int(match.group(1)), name, url) for name, url in _LINK.findall(cell)]
    return links


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """The seed study's repository: the leader's empty table, then each member's own links."""
    repository = Repository.create(tmp_path / "Study-MLOps")
    text = _emptied(SEED)
    name, email = IDENTITIES["장서진"]
    repository.commit({"README.md": text}, "스터디 README", name, email, kst(2022, 4, 5, 20))
    for week, member, url in _seed_links():
        text = _with_link(text, week, member, url)
        name, email = IDENTITIES[member]
        at = DEADLINES[week] - dt.timedelta(hours=30 - len(member) - week)
        repository.commit({"README.md": text}, f"{week}주차 과제", name, email, at)
    # Someone on a borrowed laptop fixes a typo outside the table: nobody can say who that is.
    text = text.replace("환영입니다 :>", "환영합니다 :>")
    repository.commit({"README.md": text}, "오타", "Laptop User", "root@localhost", kst(2022, 5, 26, 9))
    return repository.path


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out, environ={})
    return code, out.getvalue()


def _on(workflow: dict[object, object]) -> dict[str, object]:
    # YAML 1.1 reads the bare key `on` as True; GitHub reads it as "on".
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict)
    return on


def test_init_writes_a_config_that_check_accepts_and_a_workflow_on_the_study_clock(study: Path) -> None:
    """init on the seed repository writes both files; check passes; addresses and logins land on the right members."""
    code, output = _run("init", "--repo-path", str(study), "--yes", "--lang", "ko", "--first-deadline", "2022-04-13 00:00")
    assert code == 0, output
    config = load_config(study / "config" / "study.yml")
    members = {member.name: member for member in config.members}
    assert list(members) == ["장서진", "구미진", "이은빈", "한현경", "문수인"]
    assert members["장서진"].emails == ["seojin@gmail.com"] and members["장서진"].maintainer
    assert members["이은빈"].emails == ["eunbin.lee@ewha.ac.kr"]
    assert (members["구미진"].github, members["한현경"].github, members["문수인"].github) == ("mijinkoo", "shining-arrow", "m0oon0")
    assert config.fines.late == 3000 and config.fines.absent == 4000
    assert config.schedule.late_window == dt.timedelta(hours=12)
    assert config.rotation.team_blog is not None
    assert config.rotation.team_blog.order == ["이은빈", "문수인", "한현경", "장서진", "구미진"]
    # The gap in the history after week 1 is the midterm break: week 2 is due on May 4th.
    schedule = build_schedule(config)
    assert schedule.week(2) is not None and schedule.week(2).deadline == kst(2022, 5, 4)

    # The author nobody can place is named, with the address to add.
    assert "Laptop User" in output and "root@localhost" in output
    assert "/studybot 시작" in output

    code, checked = _run("check", "--repo-path", str(study))
    assert code == 0, checked
    assert "확인할 점 0건" in checked

    workflow = yaml.safe_load((study / ".github" / "workflows" / "studybot.yml").read_text(encoding="utf-8"))
    schedules = _on(workflow)["schedule"]
    assert isinstance(schedules, list)
    assert {entry["cron"] for entry in schedules} == {"7 18 * * 2", "7 0 * * 3", "7 12 * * 3", "7 9 * * *"}
    assert all(entry["timezone"] == "Asia/Seoul" for entry in schedules)
    job = workflow["jobs"]["studybot"]
    assert job["permissions"] == {"contents": "write", "issues": "write"}
    assert job["timeout-minutes"] == 10
    checkout = job["steps"][0]["with"]
    assert checkout["fetch-depth"] == 0 and checkout["persist-credentials"] is False


def test_second_init_refuses_to_overwrite_without_force(study: Path) -> None:
    """A second init leaves the leader's edited files alone unless --force is given."""
    argv = ("init", "--repo-path", str(study), "--yes", "--first-deadline", "2022-04-13 00:00")
    assert _run(*argv)[0] == 0
    config = study / "config" / "study.yml"
    config.write_text(config.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    code, output = _run(*argv)
    assert code == 1
    assert "--force" in output and "config/study.yml" in output
    assert config.read_text(encoding="utf-8").endswith("# edited\n")
    assert _run(*argv, "--force")[0] == 0
    assert not config.read_text(encoding="utf-8").endswith("# edited\n")


def test_init_infers_the_first_deadline_from_the_rules_and_the_first_weeks_links(study: Path) -> None:
    """Without --first-deadline, '매주 수요일 자정' and week 1's commit times give 2022-04-13 00:00."""
    code, output = _run("init", "--repo-path", str(study), "--yes")
    assert code == 0, output
    config = load_config(study / "config" / "study.yml")
    assert config.schedule.first_deadline == dt.datetime(2022, 4, 13, 0, 0)
    assert config.study.language == "ko"


def test_without_a_terminal_a_missing_deadline_names_its_flag(tmp_path: Path) -> None:
    """A README without rules text or history cannot give a deadline: the error names --first-deadline and writes nothing."""
    (tmp_path / "README.md").write_text("# Reading club\n\n|Week|Homework|\n|---|---|\n|Week 1|[Ann]() [Bo]()|\n", encoding="utf-8")
    code, output = _run("init", "--repo-path", str(tmp_path), "--yes")
    assert code == 2
    assert "--first-deadline" in output
    assert not (tmp_path / "config").exists()


def test_at_a_terminal_init_asks_for_the_deadline_in_the_studys_language(tmp_path: Path) -> None:
    """At a terminal, the deadline and unknown logins are asked in English for an English table, and the answers are used."""
    (tmp_path / "README.md").write_text("# Reading club\n\n|Week|Homework|Team blog|\n|---|---|---|\n|Week 1|[Ann]() [Bo]()|Ann|\n|Week 2|[Ann]() [Bo]()|Bo|\n", encoding="utf-8")
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        if "due" in question:
            return "2024-03-06 18:00"
        if "login" in question:
            return "@ann-reads" if question.startswith("Ann") else ""
        return "y"

    out = io.StringIO()
    code = run_init(InitOptions(repo_path=tmp_path, maintainers=("Ann",)), out, ask)
    assert code == 0, out.getvalue()
    assert questions[0].startswith("When is the first graded week due?")
    config = load_config(tmp_path / "config" / "study.yml")
    assert config.schedule.first_deadline == dt.datetime(2024, 3, 6, 18, 0)
    assert config.study.language == "en" and config.members[0].maintainer
    assert [(member.name, member.github) for member in config.members] == [("Ann", "ann-reads"), ("Bo", None)]
    assert config.rotation.team_blog is not None and config.rotation.team_blog.readme_column == "Team blog"


def test_a_blog_column_written_with_a_space_is_kept_as_written(tmp_path: Path) -> None:
    """'팀 블로그' is found as the blog column, and the config names it exactly so the bot reads it."""
    (tmp_path / "README.md").write_text("|주차|과제|팀 블로그|\n|---|---|---|\n|1주차|[가나]() [다라]()|다라|\n", encoding="utf-8")
    code, output = _run("init", "--repo-path", str(tmp_path), "--yes", "--first-deadline", "2024-03-06 00:00", "--maintainer", "가나")
    assert code == 0, output
    config = load_config(tmp_path / "config" / "study.yml")
    assert config.rotation.team_blog is not None
    assert config.rotation.team_blog.readme_column == "팀 블로그"
    assert config.rotation.team_blog.order == ["다라", "가나"]
    assert _run("check", "--repo-path", str(tmp_path))[0] == 0


def test_a_bad_flag_value_is_a_sentence_with_an_example(tmp_path: Path) -> None:
    """--break in the wrong shape is refused with the shape to use, and nothing is written."""
    (tmp_path / "README.md").write_text("|주차|과제|\n|---|---|\n|1주차|[가나]()|\n", encoding="utf-8")
    code, output = _run("init", "--repo-path", str(tmp_path), "--first-deadline", "2024-03-06 00:00", "--break", "4월 중순")
    assert code == 2
    assert "2022-04-18..2022-04-29:중간고사" in output
    assert not (tmp_path / "config").exists()
