"""The composite action and the workflows that use it agree with the program."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from studybot.shell.actions import OUTPUT_NAMES
from studybot.shell.settings import INPUT_NAMES, Command, Settings, input_env_names

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
EXAMPLE = ROOT / "examples" / "study-workflow.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
INPUT_REF = re.compile(r"^\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}$")
# Inputs the action's own setup steps consume; the program never sees them.
SETUP_INPUTS = {"python-version"}


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The workflow's `on:` section (YAML 1.1 reads a bare `on` key as True)."""
    return workflow.get("on", workflow.get(True))


def steps_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return document["runs"]["steps"]
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def action_steps(document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [step for step in steps_of(document) if step.get("uses", "").startswith(f"{name}@")]


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return load(ACTION)


@pytest.fixture(scope="module")
def run_step(action) -> dict[str, Any]:
    (step,) = [step for step in action["runs"]["steps"] if step.get("id") == "run"]
    return step


def composite_env(action: dict[str, Any], run_step: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """The env the runner gives the run step when the inputs hold ``values``."""
    env = {}
    for key, template in run_step["env"].items():
        match = INPUT_REF.match(str(template))
        if match:
            env[key] = values[match.group(1)]
    return env


def defaults(action: dict[str, Any]) -> dict[str, str]:
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    # What the runner substitutes for `${{ github.token }}`.
    values["github-token"] = "ghs_jobtoken"
    return values


# ---------------------------------------------------------------- action.yml


def test_action_metadata(action):
    """The action has the name, description and branding the Marketplace shows."""
    assert action["name"] == "studybot"
    assert action["description"].strip()
    assert action["branding"]["icon"] and action["branding"]["color"]
    assert action["runs"]["using"] == "composite"


def test_inputs_are_the_documented_ones(action):
    """The action offers exactly the documented inputs, each described."""
    assert set(action["inputs"]) == set(INPUT_NAMES) | SETUP_INPUTS
    for spec in action["inputs"].values():
        assert spec["description"].strip()
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert action["inputs"]["dry-run"]["default"] == "false"


def test_every_program_input_is_mapped_into_the_run_step(action, run_step):
    """Each input reaches the program under the variable name the program reads."""
    mapped = {}
    for key, template in run_step["env"].items():
        match = INPUT_REF.match(str(template))
        if match:
            mapped[match.group(1)] = key
    assert set(mapped) == set(INPUT_NAMES)
    for name, key in mapped.items():
        assert key in input_env_names(name)


def test_setup_inputs_are_used_by_the_setup_steps(action):
    """Inputs the program does not read are consumed by the action's own setup steps."""
    (setup,) = action_steps(action, "actions/setup-python")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"


def test_defaults_parse_as_the_documented_settings(action, run_step):
    """With every input left at its default, the program reads the documented defaults."""
    env = composite_env(action, run_step, defaults(action))
    env["GITHUB_REPOSITORY"] = "octocat/study"
    settings = Settings.from_env(env)
    assert settings.token.get_secret_value() == "ghs_jobtoken"
    assert settings.config == "config/study.yml"
    assert settings.dry_run is False
    assert settings.command is Command.RUN
    assert settings.week is None
    assert settings.report_path == "studybot-report.json"


def test_given_inputs_reach_the_settings(action, run_step):
    """Values a workflow passes to the action arrive in the settings."""
    values = defaults(action) | {
        "github-token": "ghp_personal",
        "config": "study/config.yml",
        "dry-run": "true",
        "command": "recheck",
        "week": "4",
        "report": "out/report.json",
    }
    env = composite_env(action, run_step, values) | {"GITHUB_REPOSITORY": "octocat/study"}
    settings = Settings.from_env(env)
    assert settings.token.get_secret_value() == "ghp_personal"
    assert (settings.config, settings.dry_run, settings.command, settings.week, settings.report_path) == (
        "study/config.yml",
        True,
        Command.RECHECK,
        4,
        "out/report.json",
    )


def test_workflow_dispatch_booleans_are_understood(action, run_step):
    """A boolean dispatch input arrives as 'true'/'false' and an absent one as ''."""
    for text, expected in (("true", True), ("false", False), ("", False)):
        env = composite_env(action, run_step, defaults(action) | {"dry-run": text})
        assert Settings.from_env(env | {"GITHUB_REPOSITORY": "o/r"}).dry_run is expected


def test_run_step_runs_the_program_without_building_flags_in_shell(run_step):
    """The run step calls `studybot run`; dry-run is decided by the program from its env."""
    assert run_step["shell"] == "bash"
    assert re.search(r"studybot\"? run\s*$", run_step["run"].strip())
    assert "--dry-run" not in run_step["run"]


def test_outputs_are_the_ones_the_program_writes(action):
    """The action declares exactly the outputs the program sets, taken from the run step."""
    assert tuple(action["outputs"]) == OUTPUT_NAMES
    for name, spec in action["outputs"].items():
        assert spec["value"] == f"${{{{ steps.run.outputs.{name} }}}}"
        assert spec["description"].strip()


def test_setup_python_is_pinned_by_commit(action):
    """setup-python is pinned to a full commit SHA, not a movable tag."""
    (setup,) = action_steps(action, "actions/setup-python")
    assert PINNED.match(setup["uses"])


def test_install_step_quotes_the_action_path(action):
    """The package is installed from the action's own directory, quoted against spaces."""
    scripts = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert '"$GITHUB_ACTION_PATH"' in scripts


def test_every_step_in_a_composite_names_its_shell(action):
    """Composite run steps must say which shell runs them."""
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash"


# ---------------------------------------------------------------- all YAML files


@pytest.mark.parametrize("path", [ACTION, EXAMPLE, *WORKFLOWS], ids=lambda p: p.name)
def test_no_expressions_inside_run_scripts(path):
    """No `${{ }}` is pasted into a shell script, where a crafted value could run as code."""
    for step in steps_of(load(path)):
        assert "${{" not in step.get("run", ""), step.get("name", step.get("id"))


@pytest.mark.parametrize("path", [ACTION, EXAMPLE, *WORKFLOWS], ids=lambda p: p.name)
def test_third_party_actions_are_pinned_by_commit(path):
    """Every action from another repository is pinned to a full commit SHA."""
    for step in steps_of(load(path)):
        uses = step.get("uses")
        if uses and not uses.startswith("./") and not uses.startswith("OWNER/studybot@"):
            assert PINNED.match(uses), uses


# ---------------------------------------------------------------- the example workflow


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return load(EXAMPLE)


def test_example_permissions_are_exactly_what_the_bot_needs(example):
    """The example grants contents and issues write, and nothing else."""
    assert example["permissions"] == {"contents": "write", "issues": "write"}
    for job in example["jobs"].values():
        assert "permissions" not in job


def test_example_checks_out_the_full_history(example):
    """The example fetches the whole history, which submission times are read from."""
    (checkout,) = action_steps(example, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0


def test_example_serialises_runs(example):
    """Runs never overlap and a running one is never cancelled."""
    assert example["concurrency"] == {"group": "studybot", "cancel-in-progress": False}


def test_example_triggers(example):
    """The example runs hourly, at the Seoul deadline, on pushes, comments and by hand."""
    on = triggers(example)
    assert {"cron": "7 * * * *"} in on["schedule"]
    assert {"cron": "5 0 * * 3", "timezone": "Asia/Seoul"} in on["schedule"]
    assert on["push"] == {"branches": ["main"]}
    assert on["issue_comment"] == {"types": ["created", "edited"]}
    inputs = on["workflow_dispatch"]["inputs"]
    assert inputs["dry-run"]["type"] == "boolean"
    assert inputs["command"]["type"] == "choice" and inputs["command"]["options"] == ["run", "recheck"]
    assert inputs["week"]["type"] == "string"


def test_example_passes_the_dispatch_inputs_to_the_action(example, action):
    """The manual-run inputs are handed to the action's inputs of the same name."""
    (step,) = [step for step in steps_of(example) if "studybot@" in step.get("uses", "")]
    assert step["uses"] == "OWNER/studybot@v1"
    for name, value in step["with"].items():
        assert name in action["inputs"]
        assert value == f"${{{{ github.event.inputs.{name} }}}}"
    assert set(step["with"]) == set(triggers(example)["workflow_dispatch"]["inputs"])


def test_example_runs_on_ubuntu(example):
    """The example job runs on GitHub's hosted Ubuntu runner."""
    assert [job["runs-on"] for job in example["jobs"].values()] == ["ubuntu-latest"]


# ---------------------------------------------------------------- this repository's workflows


def test_selftest_uses_the_local_action_in_dry_run():
    """The self-test runs this checkout's action against the bundled example, writing nothing."""
    selftest = load(ROOT / ".github" / "workflows" / "selftest.yml")
    assert {"push", "pull_request"} <= set(triggers(selftest))
    (step,) = [step for step in steps_of(selftest) if step.get("uses") == "./"]
    assert step["with"] == {"config": "config/study.yml", "dry-run": "true"}
    assert set(selftest["permissions"].values()) == {"read"}


def test_ci_runs_the_ci_script_on_two_pythons():
    """CI runs the project's own test script on Python 3.11 and 3.12."""
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    (job,) = ci["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12"]
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in job["steps"])
