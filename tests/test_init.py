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
    """A README without rules text or history cannot give a deadline: the error names --deadline and writes nothing."""
    (tmp_path / "README.md").write_text("# Reading club\n\n|Week|Homework|\n|---|---|\n|Week 1|[Ann]() [Bo]()|\n", encoding="utf-8")
    code, output = _run("init", "--repo-path", str(tmp_path), "--yes")
    assert code == 2
    assert "--deadline" in output
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


# ---------------------------------------------------------------- prompts


def test_without_a_terminal_and_without_yes_init_lists_its_questions_and_writes_nothing(study: Path) -> None:
    """Piped input is no answer: init names each question with the flag that answers it, exits 2, writes nothing."""
    out = io.StringIO()
    code = run_init(InitOptions(repo_path=study), out, ask=None)
    output = out.getvalue()
    assert code == 2
    assert "터미널에서 다시 실행하면 하나씩 묻고" in output
    assert "  - --member 장서진=아이디: 장서진 님의 GitHub 아이디" in output
    assert "  - --break FROM..TO:기말고사: 기말고사 휴식 기간" in output
    assert "  - --yes" in output
    assert not (study / "config").exists() and not (study / ".github").exists()


@pytest.mark.parametrize(("raised", "code"), [(EOFError, 1), (KeyboardInterrupt, 130)])
def test_ctrl_d_or_ctrl_c_at_a_question_ends_init_with_a_sentence_and_no_files(
    study: Path, raised: type[BaseException], code: int
) -> None:
    """Ctrl-D (EOFError) and Ctrl-C (KeyboardInterrupt) at a prompt stop cleanly: one sentence, no traceback, nothing written."""

    def ask(question: str) -> str:
        raise raised

    out = io.StringIO()
    assert run_init(InitOptions(repo_path=study), out, ask) == code
    assert out.getvalue().strip().endswith("studybot: 중단했습니다. 아무 파일도 만들지 않았습니다.")
    assert not (study / "config").exists()


def test_answered_logins_are_used_and_their_advice_is_not_printed(study: Path) -> None:
    """A login typed at the prompt goes into the config, and init does not then advise adding it by hand."""
    asked: list[str] = []

    def ask(question: str) -> str:
        asked.append(question)
        return "SEOJIN-Lab" if question.startswith("장서진") else "y"

    out = io.StringIO()
    assert run_init(InitOptions(repo_path=study), out, ask) == 0, out.getvalue()
    assert [q for q in asked if "GitHub 아이디" in q] == ["장서진 님의 GitHub 아이디 (모르면 그냥 Enter): "]
    assert "장서진 님의 GitHub 아이디를 찾지 못했습니다" not in out.getvalue()
    config = load_config(study / "config" / "study.yml")
    assert [(m.name, m.github) for m in config.members if m.name == "장서진"] == [("장서진", "SEOJIN-Lab")]


def test_a_creator_who_is_no_member_makes_init_ask_for_the_leader(tmp_path: Path) -> None:
    """An outsider's first commit: init does not pick a leader; at a terminal it asks, without one it names --leader."""
    repository = Repository.create(tmp_path / "club")
    readme = "# Club\n\nHomework is due every Wednesday at midnight.\n\n|Week|Homework|\n|---|---|\n|Week 1|[Ann]() [Bo]()|\n"
    repository.commit({"README.md": readme}, "start", "Helper", "helper@example.com", kst(2024, 3, 1, 9))
    readme = readme.replace("[Ann]()", "[Ann](https://a.example/1)")
    repository.commit({"README.md": readme}, "hw", "ann", "1+ann-gh@users.noreply.github.com", kst(2024, 3, 5, 20))
    code, output = _run("init", "--repo-path", str(repository.path), "--yes")
    assert code == 2 and "--leader" in output and not (repository.path / "config").exists()

    def ask(question: str) -> str:
        return "ann-gh" if question.startswith("The study leader") else ""

    out = io.StringIO()
    assert run_init(InitOptions(repo_path=repository.path), out, ask) == 0, out.getvalue()
    config = load_config(repository.path / "config" / "study.yml")
    assert [(m.name, m.github, m.maintainer) for m in config.members] == [("Ann", "ann-gh", True), ("Bo", None, False)]


def test_flags_override_every_inference(study: Path) -> None:
    """--leader, --member, --fines, --late-window, --deadline and --break win over what the README says."""
    code, output = _run(
        "init", "--repo-path", str(study), "--yes", "--leader", "문수인", "--member", "이은빈=binable43",
        "--fines", "지각=1,000,결석=2000", "--late-window", "6h", "--deadline", "2022-04-13 00:00",
        "--break", "2022-06-13..2022-06-24:기말고사",
    )
    assert code == 0, output
    config = load_config(study / "config" / "study.yml")
    assert [m.name for m in config.members if m.maintainer] == ["문수인"]
    assert config.member("이은빈") is not None and config.member("이은빈").github == "binable43"  # type: ignore[union-attr]
    assert (config.fines.late, config.fines.absent) == (1000, 2000)
    assert config.schedule.late_window == dt.timedelta(hours=6)
    assert [b.name for b in config.schedule.breaks] == ["중간고사", "기말고사"]


@pytest.mark.parametrize("value", ["late=abc", "soon=3000", "3000"])
def test_a_fines_flag_that_cannot_be_read_names_the_form(study: Path, value: str) -> None:
    code, output = _run("init", "--repo-path", str(study), "--yes", "--fines", value)
    assert code == 2 and "--fines 지각=3000,결석=4000처럼" in output


def test_a_readme_line_cannot_steer_the_leaders_terminal(study: Path) -> None:
    """A rule line with terminal escapes in it (a window title, a clipboard write) is printed
    as its text: the escapes never reach the terminal init prints to."""
    readme = (study / "README.md").read_text(encoding="utf-8")
    steering = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x9b2J"
    Repository(study).commit({"README.md": readme.replace("과제 미제출 = 과제 결석", "과제 미제출 = 과제 결석" + steering)},
                             "규칙", "Seojin Jang", "seojin@gmail.com", kst(2022, 5, 27))
    code, output = _run("init", "--repo-path", str(study))
    assert code == 2 and "수요일 낮 12시 전까지 과제 미제출 = 과제 결석]0;pwned]52;c;ZWNobyBoaQ==2J" in output
    assert not set(output) & {"\x1b", "\x07", "\x9b"}

