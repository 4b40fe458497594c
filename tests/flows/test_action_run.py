"""`studybot run` as the composite action runs it: the Actions environment in, outputs and summary out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from helpers import kst
from studyworld import Study

from studybot.cli import main
from studybot.core.config import parse_config
from studybot.core.errors import StudybotError
from studybot.shell.demo import example_file, put_link
from studybot.shell.runner import run_action

TOKEN = "ghs_secretTOKEN1234567890"


@pytest.fixture()
def study(tmp_path) -> Study:
    text = example_file("study.yml")
    return Study(tmp_path, parse_config(text), example_file("README.md"), text, kst(2022, 4, 6, 9))


def actions_env(study: Study, tmp_path: Path, **inputs: str) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"repository": {"default_branch": "main", "full_name": "SEOJIN-Lab/Study-MLOps"}}))
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "SEOJIN-Lab/Study-MLOps",
        "GITHUB_WORKSPACE": str(study.workspace),
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "INPUT_GITHUB_TOKEN": TOKEN,
        "INPUT_CONFIG": "config/study.yml",
        "INPUT_REPORT": "studybot-report.json",
    }
    env.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    return env


def run(study: Study, env: dict[str, str], at) -> tuple[int, str]:
    out = io.StringIO()
    study.github.now = at
    seen: dict[str, str] = {}

    def connect(token: str, repository: str, api_url: str):
        seen.update(token=token, repository=repository, api_url=api_url)
        return study.github

    code = run_action(env, at, dry_run=False, out=out, connect=connect)
    assert seen == {"token": TOKEN, "repository": "SEOJIN-Lab/Study-MLOps", "api_url": "https://api.github.com"}
    return code, out.getvalue()


def outputs(path: Path) -> dict[str, str]:
    """Parse the name<<delimiter blocks of a GITHUB_OUTPUT file."""
    values, lines = {}, path.read_text().splitlines()
    index = 0
    while index < len(lines):
        name, delimiter = lines[index].split("<<", 1)
        end = lines.index(delimiter, index + 1)
        values[name] = "\n".join(lines[index + 1 : end])
        index = end + 1
    return values


def test_run_writes_outputs_summary_and_report(study, tmp_path):
    """A scheduled run opens the week's issue and reports through outputs, summary and JSON."""
    code, log = run(study, actions_env(study, tmp_path), kst(2022, 4, 6, 10))
    assert code == 0
    values = outputs(tmp_path / "output")
    assert values["changed"] == "true"
    assert values["report"] == str(study.workspace / "studybot-report.json")
    assert "이슈 열기: [1주차] Q&A" in values["summary"]
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("## studybot") and "| 장서진 | ⏳ 미제출 |" in summary
    report = json.loads((study.workspace / "studybot-report.json").read_text())
    assert report["study"] == "Study-MLOps" and report["weeks"][0]["week"] == 1
    assert f"::add-mask::{TOKEN}" in log and TOKEN not in log.replace(f"::add-mask::{TOKEN}", "")
    assert "::group::studybot" in log


def test_dry_run_input_writes_nothing(study, tmp_path):
    """dry-run: 'true' prints the plan, says changed=false and leaves GitHub untouched."""
    code, log = run(study, actions_env(study, tmp_path, dry_run="true"), kst(2022, 4, 6, 10))
    assert code == 0
    assert study.writes() == 0
    assert "(미리보기) 이슈 열기: [1주차] Q&A" in log
    assert outputs(tmp_path / "output")["changed"] == "false"


def test_week_input_limits_the_run_to_that_week(study, tmp_path):
    """week: 2 acts on week 2 only, even when week 1 has work due."""
    code, _ = run(study, actions_env(study, tmp_path, week="2"), kst(2022, 4, 28))
    assert code == 0
    titles = sorted(issue.title for issue in study.github.issues.values())
    assert titles == ["[2주차] Q&A"]


def test_config_error_is_an_annotation_at_its_line_and_exit_2(study, tmp_path):
    """A broken config in the study repository fails the step with ::error at the right line."""
    (study.workspace / "config" / "study.yml").write_text(
        example_file("study.yml").replace("late_window: 12h", "late_window: soon")
    )
    env = actions_env(study, tmp_path)
    out = io.StringIO()
    code = main(["run"], out=out, environ=env)
    assert code == 2
    line = next(number for number, text in enumerate(example_file("study.yml").splitlines(), 1) if "late_window" in text)
    assert f"::error file=config/study.yml,line={line},col=16::" in out.getvalue()  # GitHub attaches only a path in the repository
    assert study.writes() == 0


def test_missing_config_names_the_path_tried(study, tmp_path):
    """A config that is not where the input says is one sentence naming the path tried."""
    env = actions_env(study, tmp_path, config="config/missing.yml")
    out = io.StringIO()
    assert main(["run"], out=out, environ=env) == 2
    assert "config/missing.yml" in out.getvalue() and "config file not found" in out.getvalue().lower()


def test_shallow_checkout_is_explained(study, tmp_path):
    """A shallow checkout fails with the sentence naming fetch-depth: 0."""
    shallow = tmp_path / "shallow"
    study.github.repository._run("clone", "--quiet", "--depth", "1", f"file://{study.workspace}", str(shallow))
    env = actions_env(study, tmp_path) | {"GITHUB_WORKSPACE": str(shallow)}
    with pytest.raises(StudybotError, match="fetch-depth: 0") as failed:
        run_action(env, kst(2022, 4, 6, 10), dry_run=False, out=io.StringIO(), connect=lambda *_: study.github)
    assert failed.value.code == 1 and failed.value.language == "ko"  # cli.fail() says it in Korean
    assert study.writes() == 0


def test_a_week_outside_the_schedule_is_refused(study, tmp_path):
    """week: 99 fails with a sentence naming the graded weeks instead of silently doing nothing."""
    with pytest.raises(StudybotError, match=r"99 is not a graded week.*1–12"):
        run(study, actions_env(study, tmp_path, week="99"), kst(2022, 4, 6, 10))
    assert study.writes() == 0


def test_summary_tells_what_comes_next_and_what_was_skipped(study, tmp_path):
    """The job summary lists the week's steps: the issue, the reminder (or why not), close and results."""
    run(study, actions_env(study, tmp_path), kst(2022, 4, 6, 10))
    summary = (tmp_path / "summary.md").read_text()
    assert "### 이번 주 일정" in summary
    assert "1주차 Q&A 이슈: #1" in summary
    assert "리마인더: 4월 12일(화) 18:00" in summary
    assert "마감·이슈 닫기: 4월 13일(수) 00:00" in summary and "결과: 4월 13일(수) 12:00" in summary
    for member in ("장서진", "구미진", "이은빈", "한현경", "문수인"):
        study.edit(member, kst(2022, 4, 10), lambda text, m=member: put_link(text, 1, m, f"https://x.example/{m}"))
    (tmp_path / "summary.md").unlink()
    run(study, actions_env(study, tmp_path), kst(2022, 4, 12, 19))
    assert "리마인더: 모두 제출해서 올리지 않았습니다" in (tmp_path / "summary.md").read_text()


def test_a_broken_config_with_no_config_in_force_fails_as_a_config_error(study, tmp_path):
    """Before any config was adopted, a config that does not parse stops the run with its located problems (exit 2)."""
    (study.workspace / "config" / "study.yml").write_text("fines: {late: 삼천원\n", encoding="utf-8")
    with pytest.raises(StudybotError) as caught:
        run(study, actions_env(study, tmp_path), kst(2022, 4, 6, 10))
    assert caught.value.code == 2 and caught.value.annotations
