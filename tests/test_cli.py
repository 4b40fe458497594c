"""The command line contract of SPEC §9: commands, exit codes, JSON shapes."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

import pytest
from helpers import SEED_CONFIG, kst

from studybot.cli import locale_language, main, parse_now

BROKEN = """\
study: {name: X, language: fr}
schedule: {weeks: 0, first_deadline: 2024-01-03 00:00}
fines: {late: 1, absent: 2}
members: [{name: A, github: "not a login"}]
extra: true
"""


def run(*argv: str, environ: dict[str, str] | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out, environ=environ or {})
    return code, out.getvalue()


def test_check_accepts_the_seed_config():
    """`studybot check` on the shipped config exits 0 and says so in Korean."""
    code, text = run("check", "--config", str(SEED_CONFIG))
    assert code == 0
    assert "설정이 올바릅니다" in text and "Study-MLOps" in text


def test_check_reports_every_problem_and_exits_2(tmp_path):
    """A broken config exits 2 with one line per problem, each with file:line:column."""
    path = tmp_path / "study.yml"
    path.write_text(BROKEN)
    code, text = run("check", "--config", str(path))
    assert code == 2
    lines = [line for line in text.splitlines() if line.startswith(str(path) + ":")]
    assert [line.split(":")[1] for line in lines] == ["1", "2", "4", "5"]
    assert "4 problem(s)" in text


def test_check_in_actions_writes_error_annotations(tmp_path):
    """Inside GitHub Actions each config problem becomes an ::error annotation at its line."""
    path = tmp_path / "study.yml"
    path.write_text(BROKEN)
    code, text = run("check", "--config", str(path), environ={"GITHUB_ACTIONS": "true"})
    assert code == 2
    assert f"::error file={path},line=5,col=1::" in text.replace("%3A", ":")


def test_check_defaults_to_the_repo_paths_config(tmp_path):
    """Without --config, check reads <repo-path>/config/study.yml and names it when missing."""
    code, text = run("check", "--repo-path", str(tmp_path))
    assert code == 2
    assert str(tmp_path / "config" / "study.yml") in text


def test_calendar_json_lists_the_twelve_graded_weeks():
    """`calendar --format json` has the SPEC's shape and the seed deadlines."""
    code, text = run("calendar", "--config", str(SEED_CONFIG), "--format", "json")
    assert code == 0
    data = json.loads(text)
    assert data["timezone"] == "Asia/Seoul"
    assert [week["week"] for week in data["weeks"]] == list(range(1, 13))
    assert data["weeks"][0] == {
        "week": 1, "deadline": "2022-04-13T00:00:00+09:00", "late_until": "2022-04-13T12:00:00+09:00",
    }
    assert data["weeks"][1]["deadline"] == "2022-05-04T00:00:00+09:00"
    assert data["breaks"][0] == {"from": "2022-04-18", "to": "2022-04-29", "name": "중간고사"}


def test_calendar_table_shows_local_weekdays_and_breaks():
    """The table form names the weekday in the study's language and shows the breaks."""
    code, text = run("calendar", "--config", str(SEED_CONFIG))
    assert code == 0
    assert "| 1주차 | 4월 13일(수) 00:00 | 4월 13일(수) 12:00 |" in text
    assert "휴식: 중간고사" in text


def test_report_rejects_a_bad_now(tmp_path):
    """A malformed --now is a sentence, not a traceback."""
    code, text = run("report", "--config", str(SEED_CONFIG), "--repo-path", str(tmp_path), "--now", "yesterday")
    assert code == 1 and "ISO 8601" in text


def test_module_entry_point_and_help():
    """`python -m studybot --help` lists the commands."""
    done = subprocess.run([sys.executable, "-m", "studybot", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for command in ("check", "calendar", "report", "run", "demo"):
        assert command in done.stdout


def test_check_reads_the_readme_table_when_the_repository_is_given(tmp_path):
    """With --repo-path, check also reads the README's table and lists what to fix."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "study.yml").write_text(SEED_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "|주차|과제|팀블로그|\n|---|---|---|\n|1주차|[장서진](javascript:alert(1)) [김철수](https://x.example)|이은빈|\n",
        encoding="utf-8",
    )
    code, text = run("check", "--repo-path", str(tmp_path))
    assert code == 0
    assert "확인할 점 2건" in text
    assert "김철수" in text and "javascript:" in text


def _write(tmp_path, text: str):
    path = tmp_path / "study.yml"
    path.write_text(text, encoding="utf-8")
    return path


SEED_TEXT = SEED_CONFIG.read_text(encoding="utf-8")


def test_check_prints_warnings_and_still_exits_0(tmp_path):
    """A study without a maintainer passes check (exit 0) with a warning line in the study's language."""
    path = _write(tmp_path, SEED_TEXT.replace(", maintainer: true", ""))
    code, text = run("check", "--config", str(path))
    assert code == 0
    assert "설정이 올바릅니다" in text
    assert f"⚠️ {path}: maintainer: true인 멤버가 없어서" in text


def test_check_in_actions_turns_warnings_into_warning_annotations(tmp_path):
    """Inside Actions a config warning is a ::warning annotation on the file."""
    path = _write(tmp_path, SEED_TEXT.replace(", maintainer: true", ""))
    code, text = run("check", "--config", str(path), environ={"GITHUB_ACTIONS": "true"})
    assert code == 0
    assert f"::warning file={path}::" in text.replace("%3A", ":")


def test_check_without_warnings_prints_none(tmp_path):
    """The seed config has a maintainer, so check prints no warning."""
    code, text = run("check", "--config", str(SEED_CONFIG), "--repo-path", str(tmp_path))
    assert code == 0 and "⚠️" not in text


def test_a_korean_study_fails_check_in_korean(tmp_path):
    """A broken Korean config: exit 2, Korean problem lines and the Korean summary sentence."""
    path = _write(tmp_path, SEED_TEXT.replace("timezone: Asia/Seoul", "timezone: Asia/Seol"))
    code, text = run("check", "--config", str(path))
    assert code == 2
    assert f"{path}:6:13: study.timezone: 'Asia/Seol'는 IANA 시간대 이름이 아닙니다" in text
    assert "설정 오류 1건" in text and "problem(s)" not in text


def test_lang_picks_the_language_when_the_file_does_not(tmp_path):
    """A file without study.language is told in LANG's language (ko_KR.UTF-8), else English."""
    path = _write(tmp_path, "study: {name: X}\nschedule: {weeks: 1, first_deadline: 2024-01-03}\nmembers: [{name: A}]\n")
    code, korean = run("check", "--config", str(path), environ={"LANG": "ko_KR.UTF-8"})
    assert code == 2 and "fines 값이 없습니다. 추가해 주세요." in korean and "설정 오류 1건" in korean
    code, english = run("check", "--config", str(path), environ={"LANG": "C.UTF-8"})
    assert code == 2 and "fines is required; add it." in english and "1 problem(s)" in english


ALL_BREAKS = SEED_TEXT.replace(
    "{from: 2022-04-18, to: 2022-04-29, name: 중간고사}", "{from: 2022-04-01, to: 2200-12-31, name: 방학}"
)


def test_a_schedule_with_no_graded_week_exits_2_everywhere(tmp_path):
    """check, calendar and report on a schedule that is all breaks end with the located problem (exit 2), never a traceback."""
    path = _write(tmp_path, ALL_BREAKS)
    for argv in (
        ("check", "--config", str(path)),
        ("calendar", "--config", str(path)),
        ("report", "--config", str(path), "--repo-path", str(tmp_path)),
    ):
        code, text = run(*argv)
        assert code == 2, (argv, text)
        assert f"{path}:14:5:" in text and "평가할 주차가 없습니다" in text


def test_parse_now_reads_a_time_without_offset_in_the_studys_zone():
    """--now 2022-04-13T00:00 is midnight in the study's zone; an explicit offset is kept as written."""
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert parse_now("2022-04-13T00:00", now, "Asia/Seoul") == kst(2022, 4, 13)
    assert parse_now("2022-04-13T00:00+00:00", now, "Asia/Seoul") == dt.datetime(2022, 4, 13, tzinfo=dt.UTC)
    assert parse_now("2022-04-13T00:00Z", now, "Asia/Seoul").utcoffset() == dt.timedelta(0)
    assert parse_now(None, now, "Asia/Seoul") == now
    assert parse_now("2022-03-27T02:30", now, "Europe/Berlin").isoformat() == "2022-03-27T03:30:00+02:00"


def test_parse_now_without_a_zone_still_reads_utc():
    """Callers that pass no zone keep the old reading (UTC) until they pass the study's."""
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert parse_now("2022-04-13T00:00", now) == dt.datetime(2022, 4, 13, tzinfo=dt.UTC)


def test_locale_language_reads_lc_all_then_lc_messages_then_lang():
    """The first locale variable that is set decides; only ko and en are languages studybot speaks."""
    assert locale_language({"LANG": "ko_KR.UTF-8"}) == "ko"
    assert locale_language({"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}) == "en"
    assert locale_language({"LC_MESSAGES": "ko", "LANG": "en_US"}) == "ko"
    assert locale_language({"LANG": "fr_FR.UTF-8"}) is None
    assert locale_language({}) is None


# --- errors and the console ---

def _studybot(*argv: str, env: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess:
    import os

    base = {key: value for key, value in os.environ.items() if key not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run(
        [sys.executable, "-m", "studybot", *argv], env={**base, **(env or {})}, check=False, timeout=120, **options
    )


def test_version_prints_the_installed_version():
    """`studybot --version` prints the package version and exits 0."""
    from importlib.metadata import version

    done = _studybot("--version", capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"studybot {version('studybot')}"


@pytest.mark.parametrize("encoding", ["cp949", "ascii"])
def test_output_never_fails_on_a_console_that_cannot_encode_it(encoding):
    """Under a cp949 or ascii console, check prints (emoji become '?') instead of a UnicodeEncodeError traceback."""
    done = _studybot("check", "--config", str(SEED_CONFIG), env={"PYTHONIOENCODING": encoding}, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr and b"?" in done.stdout


def test_a_closed_pipe_ends_quietly():
    """`studybot calendar | head -1` with the reader gone: exit 0 and no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "studybot", "calendar", "--config", str(SEED_CONFIG), "--format", "ics"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader leaves before studybot writes a line
    errors = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert b"Traceback" not in errors and b"BrokenPipeError" not in errors


def test_a_bad_now_is_told_in_the_studys_language(tmp_path):
    """A malformed --now for a Korean study is a Korean sentence."""
    code, text = run("report", "--config", str(SEED_CONFIG), "--repo-path", str(tmp_path), "--now", "어제")
    assert code == 1
    assert text == "studybot: --now '어제'은(는) `2022-05-26T00:00:00+09:00` 같은 ISO 8601 시각이 아닙니다.\n"


def test_a_readme_too_large_is_told_in_the_studys_language(tmp_path):
    """check on a README over the size limit fails with a Korean sentence naming the limit."""
    (tmp_path / "README.md").write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    code, text = run("check", "--config", str(SEED_CONFIG), "--repo-path", str(tmp_path))
    assert code == 1
    assert "README.md이(가) 5MiB보다 큽니다" in text and "larger" not in text


def test_a_missing_checkout_in_report_is_told_in_korean(tmp_path):
    """report on a folder that is not a git checkout says so in the study's language."""
    code, text = run("report", "--config", str(SEED_CONFIG), "--repo-path", str(tmp_path / "none"))
    assert code == 1 and "git 저장소가 아닙니다" in text and "not a git checkout" not in text


def test_help_follows_the_studys_config(capsys):
    """--help speaks the language of the config it is pointed at; argparse's own words too."""
    with pytest.raises(SystemExit) as done:
        main(["report", "--config", str(SEED_CONFIG), "--help"], environ={})
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("사용법: studybot report")
    assert "받아 둔 저장소만으로 모든 주차를 판정합니다" in text and "옵션:" in text
    assert "show this help" not in text and "options:" not in text


def test_help_without_a_config_follows_lang_then_the_readme(tmp_path, capsys, monkeypatch):
    """With no config found, help is in LANG's language, else the language of the study's README."""
    missing = str(tmp_path / "none.yml")
    (tmp_path / "README.md").write_text("# Reading club\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["check", "--config", missing, "--help"], environ={"LANG": "ko_KR.UTF-8"})
    assert "스터디 설정을 검사합니다" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["check", "--config", missing, "--help"], environ={"LANG": "C.UTF-8"})
    assert "validate the study config" in capsys.readouterr().out


def test_argument_errors_follow_the_studys_language(capsys):
    """A wrong choice is refused by argparse in Korean for a Korean study, exit 2."""
    with pytest.raises(SystemExit) as done:
        main(["calendar", "--config", str(SEED_CONFIG), "--format", "pdf"], environ={})
    assert done.value.code == 2
    error = capsys.readouterr().err
    assert "오류: --format 인자: 고를 수 없는 값입니다: 'pdf'" in error and "invalid choice" not in error


@pytest.mark.parametrize("locale", ["ko_KR.UTF-8", "ko", "en_US.UTF-8", "C.UTF-8", "fr_FR", "KO-kr", ""])
def test_the_clis_locale_rule_is_the_configs(locale):
    """--help reads the locale without the config model, by the same rule the config uses."""
    from studybot.core.config import language_of_locale

    assert locale_language({"LANG": locale}) == language_of_locale(locale or None)


def test_help_does_not_load_the_config_model():
    """`studybot --help` outside a study stays light: pydantic is not imported."""
    probe = "import sys, runpy\nsys.argv = ['studybot', '--help']\ntry:\n    runpy.run_module('studybot', run_name='__main__')\nexcept SystemExit:\n    pass\nprint('pydantic' in sys.modules, file=sys.stderr)\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd="/", check=False, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "False"


# ---------------------------------------------------------------- the front door and check's warnings


def test_without_a_config_the_sentence_is_korean_and_points_at_init(tmp_path):
    """In a Korean study (or with no README at all) and a C locale: Korean, `studybot init`, exit 2."""
    (tmp_path / "README.md").write_text("# 스터디\n\n과제는 매주 수요일 자정 전까지\n", encoding="utf-8")
    for folder in (tmp_path, tmp_path / "empty"):
        folder.mkdir(exist_ok=True)
        for command in (("check",), ("report",)):
            code, text = run(*command, "--repo-path", str(folder), environ={"LANG": "C.UTF-8"})
            assert code == 2
            assert "설정 파일이 없습니다" in text and "`studybot init`을 실행하면" in text
            assert "Config file not found" not in text


def test_without_a_config_an_english_study_is_told_in_english(tmp_path):
    (tmp_path / "README.md").write_text("# Reading club\n\nHomework is due on Wednesdays.\n", encoding="utf-8")
    code, text = run("check", "--repo-path", str(tmp_path), environ={"LANG": "C"})
    assert code == 2 and "Run `studybot init` in the study repository" in text


def test_help_under_a_c_locale_follows_the_studys_readme(tmp_path, capsys, monkeypatch):
    """A C locale names no language: help follows the README (Korean here), and Korean without one."""
    (tmp_path / "README.md").write_text("# 알고리즘 스터디\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["init", "--repo-path", str(tmp_path), "--help"], environ={"LANG": "C"})
    text = capsys.readouterr().out
    assert text.startswith("사용법: studybot init") and "--leader" in text and "--member" in text
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").unlink()
    with pytest.raises(SystemExit):
        main(["--help"], environ={})
    assert capsys.readouterr().out.startswith("사용법: studybot")


def _check_study(tmp_path, members: str):
    from studybot.shell.git import Repository

    repository = Repository.create(tmp_path / "study")
    readme = "|주차|과제|\n|---|---|\n|1주차|[가나](https://a.example/1) [다라]()|\n"
    repository.commit({"README.md": readme}, "표", "가나", "1+gana-gh@users.noreply.github.com", kst(2024, 3, 1, 9))
    repository.commit({"README.md": readme + "\n"}, "오타", "Laptop", "root@localhost", kst(2024, 3, 2, 9))
    config = (
        "study: {name: 스터디, language: ko}\n"
        "schedule: {weeks: 2, first_deadline: 2024-03-06 00:00}\n"
        "fines: {late: 1000, absent: 2000}\n"
        f"members:\n{members}"
    )
    (repository.path / "config").mkdir()
    (repository.path / "config" / "study.yml").write_text(config, encoding="utf-8")
    return repository.path


def test_check_warns_about_members_without_a_login_and_unmatched_authors_but_passes(tmp_path):
    repo = _check_study(tmp_path, "  - {name: 가나, github: gana-gh, maintainer: true}\n  - {name: 다라}\n")
    code, text = run("check", "--repo-path", str(repo))
    assert code == 0
    assert "다라 님은 GitHub 아이디(github:)가 없습니다" in text
    assert "멤버와 연결되지 않은 사람이 있습니다: Laptop <root@localhost>" in text


def test_check_warns_when_no_maintainer_has_a_login_to_command_with(tmp_path):
    repo = _check_study(tmp_path, "  - {name: 가나, maintainer: true, emails: [\"1+gana-gh@users.noreply.github.com\"]}\n  - {name: 다라, github: dara}\n")
    code, text = run("check", "--repo-path", str(repo))
    assert code == 0
    assert "아무도 /studybot 명령을 쓸 수 없습니다. 스터디장 줄에 github: 아이디를 적어 주세요" in text
    assert "가나 님은 GitHub 아이디(github:)가 없습니다" in text


def test_check_of_a_config_with_every_login_and_a_leader_has_no_warnings(tmp_path):
    repo = _check_study(tmp_path, "  - {name: 가나, github: gana-gh, maintainer: true}\n  - {name: 다라, github: dara, emails: [root@localhost]}\n")
    code, text = run("check", "--repo-path", str(repo))
    assert code == 0 and "⚠️" not in text


def test_a_broken_configs_annotations_name_the_file_inside_the_repository(tmp_path):
    """`check --config /abs/path` in Actions: the annotation says config/study.yml, so GitHub marks the file."""
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "study.yml"
    path.write_text(SEED_TEXT.replace("timezone: Asia/Seoul", "timezone: Asia/Seol"), encoding="utf-8")
    code, text = run("check", "--config", str(path.resolve()), "--repo-path", str(tmp_path), environ={"GITHUB_ACTIONS": "true"})
    assert code == 2
    assert "::error file=config/study.yml,line=6,col=13::" in text
    assert str(tmp_path) + "/config" not in text.split("::error file=")[1].split(",")[0]


# ---- terminal text ---------------------------------------------------------------------------------


def test_a_terminal_report_shows_an_address_as_written_and_the_job_summary_keeps_it_from_mentioning(tmp_path):
    """`report` printed to a terminal has no GitHub escaping (`@&#8203;`, `&lt;`); the same report for GitHub keeps it."""
    from studybot.core.messages import messages_for
    from studybot.core.render import render_report
    from studybot.core.schedule import build_schedule
    from studybot.shell.configfile import load_config
    from studybot.shell.read import open_checkout
    from studybot.shell.runner import plan_run

    repo = _check_study(tmp_path, "  - {name: 가나, github: gana-gh, maintainer: true}\n  - {name: <다라>, github: dara}\n")
    from studybot.shell.git import Repository

    table = "|주차|과제|\n|---|---|\n|1주차|[가나](https://a.example/1) [<다라>](https://a.example/2)|\n"
    Repository(repo).commit({"README.md": table}, "대신", "SEOJIN", "82519477+SEOJIN-Lab@users.noreply.github.com", kst(2024, 3, 4, 9))
    code, text = run("report", "--repo-path", str(repo), "--now", "2024-03-10T00:00")
    assert code == 0
    assert "작성자(82519477+SEOJIN-Lab@users.noreply.github.com)" in text
    assert "| <다라> |" in text
    assert "&#8203;" not in text and "&lt;" not in text

    config = load_config(repo / "config" / "study.yml")
    schedule = build_schedule(config)
    report = plan_run(config, open_checkout(str(repo)), None, kst(2024, 3, 10)).plan.report
    summary = render_report(report, schedule, messages_for("ko"))
    assert "82519477+SEOJIN-Lab@&#8203;users.noreply.github.com" in summary and "| &lt;다라&gt; |" in summary


def test_a_terminal_report_keeps_a_member_text_from_steering_the_terminal_or_breaking_a_row():
    """markup.plain: control characters (an escape sequence) go, a newline becomes a space, `|` stays in its cell."""
    from studybot.core.markup import plain

    assert plain("a\x1b[31mb\nc|d @e <f>") == "a[31mb c\\|d @e <f>"


# ---- a repository with nothing to judge ------------------------------------------------------------


def test_report_on_a_repository_without_commits_says_there_is_nothing_to_judge_and_exits_1(tmp_path):
    """A fresh `git init` with only the config: no table of absences, one sentence, exit 1 (JSON too)."""
    from studybot.shell.git import Repository

    repo = Repository.create(tmp_path / "study").path
    (repo / "config").mkdir()
    (repo / "config" / "study.yml").write_text(SEED_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    for form in ("markdown", "json"):
        code, text = run("report", "--repo-path", str(repo), "--now", "2022-05-01T00:00", "--format", form)
        assert code == 1
        assert "저장소에 아직 커밋이 없어서 판정할 것이 없습니다" in text
        assert "결석" not in text and "absent" not in text


def test_report_on_a_readme_study_whose_readme_was_never_committed_exits_1(tmp_path):
    """Commits, but never the README the study reads: the report names the file instead of charging everyone."""
    from studybot.shell.git import Repository

    repository = Repository.create(tmp_path / "study")
    config = SEED_CONFIG.read_text(encoding="utf-8")
    repository.commit({"config/study.yml": config}, "설정", "장서진", "seojin@example.com", kst(2022, 3, 1, 9))
    code, text = run("report", "--repo-path", str(repository.path), "--now", "2022-05-01T00:00")
    assert code == 1
    assert "README.md이(가) 한 번도 커밋되지 않아서 판정할 것이 없습니다" in text and "결석" not in text
    english = config.replace("language: ko", "language: en")
    (repository.path / "config" / "study.yml").write_text(english, encoding="utf-8")
    code, text = run("report", "--repo-path", str(repository.path), "--now", "2022-05-01T00:00")
    assert code == 1 and "README.md was never committed, so there is nothing to judge" in text


def test_report_names_where_a_link_came_from_in_the_studys_language(tmp_path):
    """The hand-in column links "README" (not the JSON field's `readme`); the JSON keeps its contract value."""
    repo = _check_study(tmp_path, "  - {name: 가나, github: gana-gh, maintainer: true}\n  - {name: 다라, github: dara}\n")
    code, text = run("report", "--repo-path", str(repo), "--now", "2024-03-10T00:00")
    assert code == 0 and "| [README](https://a.example/1) |" in text and "[readme]" not in text
    code, text = run("report", "--repo-path", str(repo), "--now", "2024-03-10T00:00", "--format", "json")
    assert json.loads(text)["weeks"][0]["members"]["가나"]["source"] == "readme"
