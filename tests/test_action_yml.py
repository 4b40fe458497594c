"""The composite action and the workflows that use it agree with the program."""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import yaml

from studybot.shell.actions import OUTPUT_NAMES
from studybot.shell.configfile import load_config
from studybot.shell.settings import INPUT_NAMES, Command, Settings, input_env_names

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
EXAMPLE = ROOT / "examples" / "study-workflow.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LOCK = ROOT / "action" / "requirements.lock"
INSTALLER_LOCK = ROOT / "action" / "uv.requirements"

PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
INPUT_REF = re.compile(r"^\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}$")
# Inputs the action's own setup steps consume; the program never sees them.
SETUP_INPUTS = {"python-version"}
# Chat webhooks: secrets, handed to the program through env like every other input.
WEBHOOK_INPUTS = {"discord-webhook": "INPUT_DISCORD_WEBHOOK", "slack-webhook": "INPUT_SLACK_WEBHOOK"}


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
    """The action has a distinctive name, a description the Marketplace accepts, and its branding."""
    assert action["name"].startswith("studybot") and action["name"] != "studybot"
    assert 0 < len(action["description"].strip()) < 125
    assert action["branding"] == {"icon": "book-open", "color": "green"}
    assert action["runs"]["using"] == "composite"


def test_inputs_are_the_documented_ones(action):
    """The action offers exactly the documented inputs, each described."""
    assert set(action["inputs"]) == set(INPUT_NAMES) | SETUP_INPUTS | set(WEBHOOK_INPUTS)
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
    assert set(mapped) == set(INPUT_NAMES) | set(WEBHOOK_INPUTS)
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


def test_webhook_inputs_are_secrets_passed_through_env(action, run_step):
    """The Discord and Slack webhook inputs exist, default to off, and reach the program as env."""
    for name, variable in WEBHOOK_INPUTS.items():
        spec = action["inputs"][name]
        assert spec["description"].startswith("A webhook URL from a secret")
        assert spec["default"] == "" and spec["required"] is False
        assert run_step["env"][variable] == f"${{{{ inputs.{name} }}}}"


def test_inputs_reach_steps_only_through_env_or_with(action):
    """An input is referenced only as a step's env or with value, never anywhere a shell reads it."""
    for step in action["runs"]["steps"]:
        for key, value in step.items():
            if key in ("env", "with"):
                continue
            assert "inputs." not in str(value), (step.get("id"), key)


def test_install_is_locked_and_hashed(action):
    """uv, studybot's dependencies and its build backend all install pinned by hash; studybot itself without deps."""
    (install,) = [step for step in action["runs"]["steps"] if step.get("id") == "install"]
    script = re.sub(r"\\\n\s*", "", install["run"])  # continuation lines joined
    assert '--require-hashes --target "$tools" -r "$GITHUB_ACTION_PATH/action/uv.requirements"' in script
    assert '"$uv" pip install --quiet --python "$venv_bin/python" --require-hashes -r "$GITHUB_ACTION_PATH/action/requirements.lock"' in script
    assert '--no-deps --no-build-isolation "$GITHUB_ACTION_PATH"' in script
    # Nothing installs unhashed: the only hashless install is studybot itself, without deps.
    installs = [line for line in script.splitlines() if " install " in line]
    assert all("--require-hashes" in line or "--no-deps --no-build-isolation" in line for line in installs)
    installer = locked(INSTALLER_LOCK)
    assert set(installer) == {"uv"} and installer["uv"]["hashes"]
    assert locked(LOCK)["setuptools"]["hashes"]


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, dict[str, Any]]:
    """The pins of a `uv pip compile --generate-hashes` file: name -> version and hashes."""
    pins: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    for line in path.read_text("utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if pin:
            current = pins[normalized(pin.group(1))] = {"version": pin.group(2), "hashes": []}
        elif current is not None and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            current["hashes"].append(digest.group(1))
    return pins


def test_lock_pins_every_runtime_dependency_with_hashes():
    """The action's lock pins each dependency pyproject.toml declares (and icalendar), each with hashes."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {normalized(re.match(r"[A-Za-z0-9._-]+", spec).group(0)) for spec in project["dependencies"]}
    pins = locked(LOCK)
    assert declared | {"icalendar"} <= set(pins)
    for name, pin in pins.items():
        assert pin["hashes"], name


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
    """The example grants nothing workflow-wide and its job contents and issues write, nothing else."""
    assert example["permissions"] == {}
    for job in example["jobs"].values():
        assert job["permissions"] == {"contents": "write", "issues": "write"}


def test_example_job_has_a_time_limit(example):
    """A stuck run stops after a few minutes instead of GitHub's six hours."""
    for job in example["jobs"].values():
        assert 0 < job["timeout-minutes"] <= 30


def test_example_checks_out_the_full_history(example):
    """The example fetches the whole history, which submission times are read from."""
    (checkout,) = action_steps(example, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("path", [EXAMPLE, *WORKFLOWS], ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path):
    """No checkout leaves the token in git's config: studybot commits through the API, releases tag through it."""
    for checkout in action_steps(load(path), "actions/checkout"):
        assert checkout["with"]["persist-credentials"] is False


def cron_times(schedule: list[dict[str, Any]]) -> set[tuple[str, int, int]]:
    """Each schedule entry as (cron weekday field, hour, minute)."""
    times = set()
    for entry in schedule:
        minute, hour, day, month, weekday = entry["cron"].split()
        assert (day, month) == ("*", "*")
        times.add((weekday, int(hour), int(minute)))
    return times


def test_example_schedules_follow_the_seed_config(example):
    """Scheduled runs come just after the reminder, deadline and cut-off, plus a daily catch-up, in the study's zone."""
    config = load_config(ROOT / "config" / "study.yml")
    deadline = config.schedule.first_deadline
    moments = [deadline - config.qna.reminder_before, deadline, deadline + config.schedule.late_window]
    schedule = triggers(example)["schedule"]
    for entry in schedule:
        assert entry["timezone"] == config.study.timezone
        zoneinfo.ZoneInfo(entry["timezone"])
    times = cron_times(schedule)
    for moment in moments:
        weekday = str((moment.weekday() + 1) % 7)  # cron counts from Sunday
        assert any(day == weekday and hour == moment.hour and 0 < minute < 15 for day, hour, minute in times), moment
    assert any(day == "*" for day, _, _ in times)
    assert all(minute != 0 for _, _, minute in times)
    assert len(schedule) == 4


def test_example_serialises_runs(example):
    """Runs never overlap and a running one is never cancelled."""
    assert example["concurrency"] == {"group": "studybot", "cancel-in-progress": False}


def test_example_triggers(example):
    """The example runs on its schedule, on pushes, comments and by hand, never hourly."""
    on = triggers(example)
    assert all(entry["cron"].split()[1] != "*" for entry in on["schedule"])
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
    assert selftest["permissions"] == {}
    (job,) = selftest["jobs"].values()
    assert set(job["permissions"].values()) == {"read"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_grant_permissions_per_job(path):
    """Each of this repository's workflows grants nothing workflow-wide; every job names what it needs and a time limit."""
    workflow = load(path)
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert isinstance(job["permissions"], dict)
        assert 0 < job["timeout-minutes"] <= 60


def test_release_publishes_tested_version_tags_and_moves_the_major_tag():
    """A pushed v1.2.3 tag is tested, released from its CHANGELOG section, and v1 moved to it."""
    release = load(ROOT / ".github" / "workflows" / "release.yml")
    assert triggers(release) == {"push": {"tags": ["v*.*.*"]}}
    jobs = release["jobs"]
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in jobs["test"]["steps"])
    assert jobs["test"]["permissions"] == {"contents": "read"}
    assert jobs["release"]["needs"] == "test"
    assert jobs["release"]["permissions"] == {"contents": "write"}
    scripts = "\n".join(step.get("run", "") for step in jobs["release"]["steps"])
    assert "CHANGELOG.md" in scripts and "gh release create" in scripts
    assert 'major="${GITHUB_REF_NAME%%.*}"' in scripts and "git/refs/tags/$major" in scripts
    assert "git push" not in scripts


def test_changelog_has_an_unreleased_section_and_the_first_version():
    """CHANGELOG.md keeps an Unreleased section and a section for the version pyproject.toml declares."""
    text = (ROOT / "CHANGELOG.md").read_text("utf-8")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert re.search(r"^## \[Unreleased\]$", text, re.M)
    assert re.search(rf"^## \[{re.escape(version)}\]", text, re.M)


def test_ci_runs_the_ci_script_on_two_pythons():
    """CI runs the project's own test script on Python 3.11 and 3.12."""
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    (job,) = ci["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12"]
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in job["steps"])
