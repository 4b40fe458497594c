"""Output safety: the token never shows.

What the bot writes from member text (comments, README tables, the job summary, the JSON
report, command replies) is checked on plans in test_decide_cycle.py; here, the token in a
whole run in Actions.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import kst
from pydantic import SecretStr
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.records import Permission
from studybot.shell.actions import MASK, Console, redact
from studybot.shell.demo import example_file
from studybot.shell.runner import run_action
from studybot.shell.settings import Settings

START = kst(2022, 4, 6, 9)
LEADER = "SEOJIN-Lab"
TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"


def make_study(tmp_path, config_text: str | None = None) -> Study:
    text = config_text or example_file("study.yml")
    study = Study(tmp_path, parse_config(text), example_file("README.md"), text, START)
    study.github.set_permission(LEADER, Permission.ADMIN)
    return study


# ---- the token ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("variable", ["INPUT_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "GITHUB_TOKEN"])
def test_a_token_is_masked_first_and_redacted_from_every_line(tmp_path, variable):
    """The token from the action input (or the job's GITHUB_TOKEN) is masked before anything else and never printed."""
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    settings = Settings.from_env({
        variable: TOKEN, "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "SEOJIN-Lab/Study-MLOps",
        "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
    })
    assert isinstance(settings.token, SecretStr) and settings.token.get_secret_value() == TOKEN
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert TOKEN not in shown

    out = io.StringIO()
    console = Console.from_settings(settings, out)
    console.print(f"cloning https://x-access-token:{TOKEN}@github.com/SEOJIN-Lab/Study-MLOps")
    console.warning(f"GitHub said: bad credentials {TOKEN}")
    with console.group(f"studybot {TOKEN}"):
        console.print(TOKEN)
    console.write_outputs({"summary": f"token {TOKEN}"})
    console.append_summary(f"## token\n{TOKEN}\n")

    lines = out.getvalue().splitlines()
    assert lines[0] == f"::add-mask::{TOKEN}"
    assert [line for line in lines[1:] if TOKEN in line] == []
    assert f"x-access-token:{MASK}@github.com" in lines[1]
    assert TOKEN not in output.read_text() and TOKEN not in summary.read_text()
    assert redact(f"a {TOKEN} b", [SecretStr(TOKEN)]) == f"a {MASK} b"


def test_a_whole_action_run_never_prints_the_token(tmp_path):
    """A full `studybot run` in Actions masks the token, gives it only to the gateway, keeps it out of all output."""
    study = make_study(tmp_path / "repo")
    files = {name: tmp_path / name for name in ("output", "summary.md", "report.json")}
    given: list[str] = []

    def connect(token: str, repository: str, api_url: str):
        given.append(token)
        return study.github

    environ = {
        "INPUT_GITHUB_TOKEN": TOKEN, "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "SEOJIN-Lab/Study-MLOps",
        "GITHUB_WORKSPACE": str(study.workspace), "GITHUB_OUTPUT": str(files["output"]),
        "GITHUB_STEP_SUMMARY": str(files["summary.md"]), "INPUT_REPORT": str(files["report.json"]),
    }
    out = io.StringIO()
    study.github.now = kst(2022, 4, 6, 10)
    assert run_action(environ, kst(2022, 4, 6, 10), dry_run=False, out=out, connect=connect) == 0

    assert given == [TOKEN]
    lines = out.getvalue().splitlines()
    assert lines[0] == f"::add-mask::{TOKEN}"
    assert [line for line in lines[1:] if TOKEN in line] == []
    assert any("[1주차] Q&A" in line for line in lines)  # the run did its work
    for path in files.values():
        assert TOKEN not in Path(path).read_text(encoding="utf-8")
    assert TOKEN not in study.readme() and TOKEN not in study.ledger()
