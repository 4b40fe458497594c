"""Settings read from the action's inputs and GitHub's environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from studybot.shell.settings import (
    MAX_EVENT_BYTES,
    Command,
    Settings,
    SettingsError,
    input_env_names,
    read_event,
)

TOKEN = "ghs_0123456789abcdefSECRETtoken"
BASE = {"GITHUB_REPOSITORY": "octocat/study"}


def parse(**env: str) -> Settings:
    return Settings.from_env({**BASE, **env})


def problems_of(env: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({**BASE, **env})
    return caught.value.problems


def test_defaults_when_only_the_repository_is_known():
    """With no inputs at all the run uses the documented defaults."""
    settings = Settings.from_env(BASE)
    assert settings.config == "config/study.yml"
    assert settings.dry_run is False
    assert settings.command is Command.RUN
    assert settings.week is None
    assert settings.token is None
    assert settings.api_url == "https://api.github.com"
    assert settings.server_url == "https://github.com"
    assert settings.workspace == Path(".")
    assert settings.report_path == "studybot-report.json"
    assert settings.step_summary is None and settings.output_file is None
    assert settings.actions is False
    assert (settings.owner, settings.name) == ("octocat", "study")


def test_github_environment_is_read():
    """Every GITHUB_* variable the run needs ends up in the settings."""
    settings = Settings.from_env(
        {
            "GITHUB_REPOSITORY": "SEOJIN-Lab/Study-MLOps",
            "GITHUB_API_URL": "https://ghe.example.com/api/v3/",
            "GITHUB_SERVER_URL": "https://ghe.example.com",
            "GITHUB_EVENT_NAME": "issue_comment",
            "GITHUB_EVENT_PATH": "/tmp/event.json",
            "GITHUB_WORKSPACE": "/home/runner/work/study/study",
            "GITHUB_REF_NAME": "main",
            "GITHUB_STEP_SUMMARY": "/tmp/summary.md",
            "GITHUB_OUTPUT": "/tmp/output",
            "GITHUB_ACTIONS": "true",
        }
    )
    assert settings.repository == "SEOJIN-Lab/Study-MLOps"
    assert settings.api_url == "https://ghe.example.com/api/v3"
    assert settings.server_url == "https://ghe.example.com"
    assert settings.event_name == "issue_comment"
    assert settings.event_path == Path("/tmp/event.json")
    assert settings.workspace == Path("/home/runner/work/study/study")
    assert settings.ref_name == "main"
    assert settings.step_summary == Path("/tmp/summary.md")
    assert settings.output_file == Path("/tmp/output")
    assert settings.actions is True
    assert settings.config_path == Path("/home/runner/work/study/study/config/study.yml")
    assert settings.report_file == Path("/home/runner/work/study/study/studybot-report.json")


@pytest.mark.parametrize("key", ["INPUT_DRY_RUN", "INPUT_DRY-RUN"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("TRUE", True), ("Yes", True), ("1", True), (" true ", True),
     ("false", False), ("No", False), ("0", False), ("", False)],
)
def test_dry_run_accepts_both_spellings_and_common_words(key, text, expected):
    """dry-run is understood whether GitHub or the composite named the variable."""
    assert parse(**{key: text}).dry_run is expected


@pytest.mark.parametrize("key", ["INPUT_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN"])
def test_token_input_accepts_both_spellings(key):
    """The github-token input is read under the composite's and GitHub's spelling."""
    assert parse(**{key: TOKEN}).token.get_secret_value() == TOKEN


def test_token_input_wins_over_the_job_token():
    """A token passed as input (say, a personal token) is preferred to GITHUB_TOKEN."""
    settings = parse(INPUT_GITHUB_TOKEN=TOKEN, GITHUB_TOKEN="ghs_job")
    assert settings.token.get_secret_value() == TOKEN


def test_empty_token_input_falls_back_to_the_job_token():
    """An empty github-token input does not hide the job's GITHUB_TOKEN."""
    settings = parse(INPUT_GITHUB_TOKEN="", GITHUB_TOKEN="ghs_job\n")
    assert settings.token.get_secret_value() == "ghs_job"


def test_token_never_appears_in_repr_str_or_json():
    """Printing or dumping the settings never shows the token."""
    settings = parse(INPUT_GITHUB_TOKEN=TOKEN)
    for text in (repr(settings), str(settings), settings.model_dump_json(), f"{settings}"):
        assert TOKEN not in text
    assert TOKEN not in json.dumps(json.loads(settings.model_dump_json()))
    assert settings.secret_values() == (TOKEN,)


def test_bad_boolean_and_bad_week_are_reported_together():
    """Every wrong input is listed in one error, each naming the input to fix."""
    problems = problems_of({"INPUT_DRY_RUN": "maybe", "INPUT_WEEK": "three"})
    assert len(problems) == 2
    assert problems[0] == "input dry-run: write true or false, not 'maybe'"
    assert problems[1].startswith("input week:") and "'three'" in problems[1]


def test_all_problems_at_once_include_the_environment():
    """Wrong inputs and a wrong GitHub environment all show up in one error message."""
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(
            {
                "INPUT_DRY-RUN": "maybe",
                "INPUT_COMMAND": "report",
                "INPUT_WEEK": "-1",
                "GITHUB_API_URL": "ftp://example.com",
            }
        )
    text = str(caught.value)
    assert len(caught.value.problems) == 5
    for name in ("input dry-run", "input command", "input week", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        assert name in text


@pytest.mark.parametrize(("text", "expected"), [("", Command.RUN), ("run", Command.RUN),
                                                ("recheck", Command.RECHECK), ("ReCheck", Command.RECHECK)])
def test_command_input(text, expected):
    """An empty command means run; recheck is understood in any case."""
    command = parse(INPUT_COMMAND=text).command
    assert command is expected
    assert isinstance(command, str)


def test_unknown_command_names_the_choices():
    """A command the action does not know is refused with the ones it does."""
    (problem,) = problems_of({"INPUT_COMMAND": "report"})
    assert problem == "input command: write run or recheck (or leave it empty), not 'report'"


@pytest.mark.parametrize(("text", "expected"), [("", None), ("0", 0), ("3", 3), (" 12 ", 12)])
def test_week_input(text, expected):
    """The week input is an optional whole number 0 or above."""
    assert parse(INPUT_WEEK=text).week == expected


@pytest.mark.parametrize("text", ["-1", "3.5", "three", "١٢", "1_000", "1234567"])
def test_bad_week_is_refused(text):
    """Negative, fractional, non-ASCII or absurd week numbers are refused."""
    (problem,) = problems_of({"INPUT_WEEK": text})
    assert problem.startswith("input week:")


def test_spellings_that_disagree_are_a_problem():
    """Two different values for one input under its two spellings are not silently resolved."""
    (problem,) = problems_of({"INPUT_DRY_RUN": "true", "INPUT_DRY-RUN": "false"})
    assert problem.startswith("input dry-run:") and "INPUT_DRY_RUN" in problem


def test_spellings_that_agree_are_fine():
    """The same value under both spellings is simply that value."""
    assert parse(**{"INPUT_DRY_RUN": "true", "INPUT_DRY-RUN": "true"}).dry_run is True


def test_config_and_report_inputs():
    """The config and report inputs are taken as given, empty meaning the default."""
    settings = parse(INPUT_CONFIG="study/config.yml", INPUT_REPORT="out/report.json")
    assert (settings.config, settings.report_path) == ("study/config.yml", "out/report.json")
    assert parse(INPUT_CONFIG="", INPUT_REPORT=" ").config == "config/study.yml"


@pytest.mark.parametrize("text", ["octocat", "octo cat/study", "octocat/study/extra", "/study"])
def test_bad_repository_is_refused(text):
    """GITHUB_REPOSITORY must be owner/name."""
    (problem,) = problems_of({"GITHUB_REPOSITORY": text})
    assert problem.startswith("GITHUB_REPOSITORY:")


def test_repository_can_be_optional():
    """Callers that need no repository can read the settings without one."""
    settings = Settings.from_env({}, require_repository=False)
    assert settings.repository is None and settings.owner == ""


def test_missing_repository_says_how_to_fix_it():
    """Outside Actions, a missing GITHUB_REPOSITORY is explained."""
    with pytest.raises(SettingsError, match="GITHUB_REPOSITORY is not set"):
        Settings.from_env({})


def test_actions_flag_needs_exactly_true():
    """Only GITHUB_ACTIONS=true switches on workflow commands."""
    assert parse(GITHUB_ACTIONS="1").actions is False
    assert parse(GITHUB_ACTIONS="true").actions is True


def test_settings_are_frozen():
    """Settings cannot be changed after parsing, only copied."""
    settings = parse()
    with pytest.raises(ValidationError):
        settings.dry_run = True  # type: ignore[misc]
    assert settings.model_copy(update={"dry_run": True}).dry_run is True


def test_input_env_names():
    """Both spellings of an input's variable are derived from its kebab-case name."""
    assert input_env_names("github-token") == ("INPUT_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN")
    assert input_env_names("config") == ("INPUT_CONFIG", "INPUT_CONFIG")


# ---------------------------------------------------------------- event file


def test_read_event_loads_a_json_object(tmp_path):
    """The event payload is read as a dictionary."""
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"action": "created", "comment": {"body": "제출 https://x.y"}}), "utf-8")
    assert read_event(path) == ({"action": "created", "comment": {"body": "제출 https://x.y"}}, None)


def test_read_event_without_a_path_is_empty_and_fine():
    """Outside Actions there is no event, and that is not a problem."""
    assert read_event(None) == ({}, None)
    assert read_event("") == ({}, None)


@pytest.mark.parametrize(
    ("content", "phrase"),
    [(b"{not json", "not valid JSON"), (b"\xff\xfe", "not valid JSON"), (b"[1, 2]", "not a JSON object"),
     (b"[" * 100_000 + b"]" * 100_000, "not valid JSON")],
)
def test_read_event_reports_bad_content(tmp_path, content, phrase):
    """A broken event file gives an empty payload and a sentence, never a crash."""
    path = tmp_path / "event.json"
    path.write_bytes(content)
    payload, problem = read_event(path)
    assert payload == {} and phrase in problem


def test_read_event_reports_a_missing_file(tmp_path):
    """A GITHUB_EVENT_PATH that points nowhere is reported."""
    payload, problem = read_event(tmp_path / "absent.json")
    assert payload == {} and problem.startswith("GITHUB_EVENT_PATH: cannot read")


def test_read_event_refuses_a_huge_file(tmp_path):
    """An event file over the size limit is not loaded into memory whole."""
    path = tmp_path / "event.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_EVENT_BYTES + 10)
    payload, problem = read_event(path)
    assert payload == {} and "larger than 25 MiB" in problem


def test_module_reads_no_environment():
    """Settings come only from the mapping the caller passes, never from the process."""
    import studybot.shell.settings as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "import os" not in source and "getenv" not in source and "environ[" not in source


# ---------------------------------------------------------------- messenger webhooks

DISCORD = "https://discord.com/api/webhooks/123456789012345678/Zx9-SECRET_webhook_token"
SLACK = "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/SECRETslackToken42"


@pytest.mark.parametrize(
    ("key", "other"), [("INPUT_DISCORD_WEBHOOK", "INPUT_SLACK_WEBHOOK"), ("INPUT_DISCORD-WEBHOOK", "INPUT_SLACK-WEBHOOK")]
)
def test_webhook_inputs_are_read_as_secrets(key, other):
    """Both webhook inputs are read under either spelling and kept as secrets."""
    settings = parse(**{key: DISCORD, other: SLACK + "\n"})
    assert settings.discord_webhook.get_secret_value() == DISCORD
    assert settings.slack_webhook.get_secret_value() == SLACK
    assert {name: url.get_secret_value() for name, url in settings.webhooks().items()} == {
        "discord": DISCORD, "slack": SLACK,
    }


def test_no_webhook_inputs_means_no_messenger():
    """Without the inputs no webhook is set, and an empty input is the same as none."""
    assert parse().webhooks() == {}
    assert parse(INPUT_DISCORD_WEBHOOK=" ", INPUT_SLACK_WEBHOOK="").webhooks() == {}


def test_webhook_urls_never_appear_in_repr_str_or_json():
    """Printing or dumping the settings never shows a webhook URL, and both are masked."""
    settings = parse(INPUT_GITHUB_TOKEN=TOKEN, INPUT_DISCORD_WEBHOOK=DISCORD, INPUT_SLACK_WEBHOOK=SLACK)
    for text in (repr(settings), str(settings), settings.model_dump_json(), repr(settings.webhooks())):
        assert "SECRET" not in text and "Zx9" not in text
    assert set(settings.secret_values()) == {TOKEN, DISCORD, SLACK}


def test_webhook_urls_are_masked_in_the_actions_log():
    """In Actions the run registers each webhook URL with ::add-mask:: before anything else."""
    import io

    from studybot.shell.actions import Console

    out = io.StringIO()
    settings = parse(GITHUB_ACTIONS="true", INPUT_DISCORD_WEBHOOK=DISCORD, INPUT_SLACK_WEBHOOK=SLACK)
    console = Console.from_settings(settings, out)
    console.print(f"posting to {DISCORD} and {SLACK}")
    lines = out.getvalue().splitlines()
    assert f"::add-mask::{DISCORD}" in lines and f"::add-mask::{SLACK}" in lines
    assert lines[-1] == "posting to *** and ***"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("INPUT_DISCORD_WEBHOOK", "http://discord.com/api/webhooks/1234/SECRETtoken"),
        ("INPUT_DISCORD_WEBHOOK", "https://discord.com.evil.example/api/webhooks/1234/SECRETtoken"),
        ("INPUT_DISCORD_WEBHOOK", "https://discord.com/channels/1234/SECRETtoken"),
        ("INPUT_DISCORD_WEBHOOK", "https://user:SECRET@discord.com/api/webhooks/1234/tok"),
        ("INPUT_DISCORD_WEBHOOK", "https://discord.com/api/webhooks/1234/SECRET token"),
        ("INPUT_DISCORD_WEBHOOK", SLACK),
        ("INPUT_DISCORD_WEBHOOK", "https://[SECRET/api/webhooks/1/2"),
        ("INPUT_SLACK_WEBHOOK", "https://hooks.slack.com.evil.example/services/T0/B0/SECRET"),
        ("INPUT_SLACK_WEBHOOK", "https://hooks.slack.com:8443/services/T0/B0/SECRET"),
        ("INPUT_SLACK_WEBHOOK", DISCORD),
        ("INPUT_SLACK_WEBHOOK", "SECRETslackToken42"),
    ],
)
def test_a_malformed_webhook_is_a_sentence_without_the_value(key, value):
    """A URL that is not the platform's webhook is refused with a sentence that never quotes it."""
    (problem,) = problems_of({key: value})
    name = "discord-webhook" if "DISCORD" in key else "slack-webhook"
    assert problem.startswith(f"input {name}: the value is not a {'Discord' if 'DISCORD' in key else 'Slack'}")
    assert "SECRET" not in problem and "evil" not in problem and "repository secret" in problem


def test_differing_webhook_spellings_do_not_show_either_value():
    """Two different values under the two spellings are a problem that quotes neither."""
    (problem,) = problems_of({"INPUT_SLACK_WEBHOOK": SLACK, "INPUT_SLACK-WEBHOOK": SLACK + "x"})
    assert problem.startswith("input slack-webhook:") and "SECRET" not in problem


@pytest.mark.parametrize(
    "value",
    [DISCORD, "https://discordapp.com/api/webhooks/1234/abc-DEF_1", "https://discord.com/api/v10/webhooks/1/x?thread_id=5"],
)
def test_discord_webhook_spellings_that_discord_hands_out_are_accepted(value):
    """The URL forms Discord gives out (old host, API version, a thread) are accepted."""
    assert parse(INPUT_DISCORD_WEBHOOK=value).discord_webhook.get_secret_value() == value


def test_a_github_app_login_is_read_and_a_person_is_refused():
    """`bot-login` takes an App account (`name[bot]`); empty is none, and a person's login is a located problem."""
    assert parse(INPUT_BOT_LOGIN="studybot-seojin[bot]").bot_login == "studybot-seojin[bot]"
    assert parse(INPUT_BOT_LOGIN=" ").bot_login is None and parse().bot_login is None
    (problem,) = problems_of({"INPUT_BOT_LOGIN": "mijinkoo"})
    assert "mijinkoo" in problem and "bot-login" in problem
