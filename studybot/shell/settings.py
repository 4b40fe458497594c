"""How one ``studybot run`` is configured: the action's inputs and GitHub's environment, read once.

The caller passes the environment mapping (``os.environ`` in production); this module never
reads the process environment itself, so every test states exactly what it feeds in.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from studybot.core.errors import StudybotError, Text

# The action's inputs that this module reads, in action.yml's kebab-case spelling.
# Messenger webhooks, passed from repository secrets.
WEBHOOK_INPUT_NAMES = ("discord-webhook", "slack-webhook")
INPUT_NAMES = ("github-token", "bot-login", "config", "dry-run", "command", "week", "report", *WEBHOOK_INPUT_NAMES)

DEFAULT_CONFIG = "config/study.yml"
DEFAULT_REPORT = "studybot-report.json"
DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"

MAX_EVENT_BYTES = 25 * 1024 * 1024

_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})
_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_URL = re.compile(r"^https?://[^\s/?#]+(?:/[^\s?#]*)?$")
_WEEK = re.compile(r"^[0-9]{1,6}$")
_DISCORD_HOSTS = frozenset({"discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"})
_DISCORD_PATH = re.compile(r"^/api/(?:v[0-9]+/)?webhooks/[0-9]+/[A-Za-z0-9_-]+/?$")
_SLACK_PATH = re.compile(r"^/(?:services|workflows|triggers)/[A-Za-z0-9_/-]+$")


class Command(enum.StrEnum):
    """What ``studybot run`` is asked to do; an empty input means ``run``."""

    RUN = "run"
    RECHECK = "recheck"


class SettingsError(StudybotError):
    """Everything wrong with the action's inputs and environment, raised once, one problem a line."""

    def __init__(self, problems: list[Text]):
        super().__init__("error.settings.problems")
        self.problems = list(problems)

    def sentence(self, messages: Any) -> str:
        return "\n".join(problem.render(messages) for problem in self.problems)


class Settings(BaseModel):
    """The inputs and GitHub environment of one run, parsed and checked once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token: SecretStr | None = None
    config: str = DEFAULT_CONFIG
    dry_run: bool = False
    command: Command = Command.RUN
    week: int | None = None
    repository: str | None = None
    api_url: str = DEFAULT_API_URL
    server_url: str = DEFAULT_SERVER_URL
    event_name: str = ""
    event_path: Path | None = None
    workspace: Path = Path(".")
    ref_name: str = ""
    step_summary: Path | None = None
    output_file: Path | None = None
    report_path: str = DEFAULT_REPORT
    actions: bool = False
    discord_webhook: SecretStr | None = None
    slack_webhook: SecretStr | None = None
    bot_login: str | None = None  # the GitHub App account studybot writes as, when the leader declares one

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, require_repository: bool = True) -> Settings:
        """Read every setting from ``env``; raise :class:`SettingsError` listing all problems."""
        problems: list[Text] = []

        def take(result: tuple[Any, Text | None]) -> Any:
            value, problem = result
            if problem:
                problems.append(problem)
            return value

        dry_run_text = take(_input(env, "dry-run"))
        command_text = take(_input(env, "command"))
        week_text = take(_input(env, "week"))
        config = take(_input(env, "config")) or DEFAULT_CONFIG
        report = take(_input(env, "report")) or DEFAULT_REPORT
        # A token input wins over the job's GITHUB_TOKEN so a leader can pass a PAT.
        token = take(_input(env, "github-token")) or _value(env, "GITHUB_TOKEN")
        # _input's problems name the variables, never their values: these are secrets.
        discord_webhook = take(parse_webhook("discord-webhook", take(_input(env, "discord-webhook"))))
        slack_webhook = take(parse_webhook("slack-webhook", take(_input(env, "slack-webhook"))))
        bot_login = take(parse_bot_login(take(_input(env, "bot-login"))))

        values = {
            "token": SecretStr(token) if token else None,
            "config": config,
            "dry_run": take(parse_bool("dry-run", dry_run_text)),
            "command": take(parse_command(command_text)),
            "week": take(parse_week(week_text)),
            "repository": take(
                parse_repository(_value(env, "GITHUB_REPOSITORY"), require_repository)
            ),
            "api_url": take(
                parse_url("GITHUB_API_URL", _value(env, "GITHUB_API_URL"), DEFAULT_API_URL)
            ),
            "server_url": take(
                parse_url("GITHUB_SERVER_URL", _value(env, "GITHUB_SERVER_URL"), DEFAULT_SERVER_URL)
            ),
            "event_name": _value(env, "GITHUB_EVENT_NAME"),
            "event_path": _path(env, "GITHUB_EVENT_PATH"),
            "workspace": _path(env, "GITHUB_WORKSPACE") or Path("."),
            "ref_name": _value(env, "GITHUB_REF_NAME"),
            "step_summary": _path(env, "GITHUB_STEP_SUMMARY"),
            "output_file": _path(env, "GITHUB_OUTPUT"),
            "report_path": report,
            "actions": env.get("GITHUB_ACTIONS", "") == "true",
            "discord_webhook": discord_webhook,
            "slack_webhook": slack_webhook,
            "bot_login": bot_login,
        }
        if problems:
            raise SettingsError(problems)
        return cls(**values)

    @property
    def owner(self) -> str:
        """The repository's owner, or '' when no repository is known."""
        return self.repository.split("/", 1)[0] if self.repository else ""

    @property
    def name(self) -> str:
        """The repository's name without its owner, or '' when no repository is known."""
        return self.repository.split("/", 1)[1] if self.repository else ""

    @property
    def config_path(self) -> Path:
        """The config file, resolved against the workspace unless given as an absolute path."""
        return self.workspace / self.config

    @property
    def report_file(self) -> Path:
        """The JSON report file, resolved against the workspace unless given as an absolute path."""
        return self.workspace / self.report_path

    def secret_values(self) -> tuple[str, ...]:
        """The raw secrets of this run, for masking in logs and redacting from text."""
        secrets = (self.token, self.discord_webhook, self.slack_webhook)
        return tuple(secret.get_secret_value() for secret in secrets if secret)

    def webhooks(self) -> dict[str, SecretStr]:
        """The configured messenger webhooks by platform (``discord``, ``slack``)."""
        found = {"discord": self.discord_webhook, "slack": self.slack_webhook}
        return {platform: url for platform, url in found.items() if url is not None}


def input_env_names(name: str) -> tuple[str, str]:
    """Both variable names of an input: ``INPUT_DRY_RUN`` (composite) and ``INPUT_DRY-RUN``."""
    upper = name.upper()
    return f"INPUT_{upper.replace('-', '_')}", f"INPUT_{upper}"


def _input(env: Mapping[str, str], name: str) -> tuple[str, Text | None]:
    """An input's stripped value under either spelling, or a problem when the two disagree."""
    keys = dict.fromkeys(input_env_names(name))  # one key when the name has no hyphen
    found = {key: env[key].strip() for key in keys if env.get(key, "").strip()}
    values = set(found.values())
    if len(values) > 1:
        first, second = found
        return "", Text("error.settings.both_set", name=name, first=first, second=second)
    return (values.pop() if values else ""), None


def _value(env: Mapping[str, str], key: str) -> str:
    return env.get(key, "").strip()


def _path(env: Mapping[str, str], key: str) -> Path | None:
    value = _value(env, key)
    return Path(value) if value else None


def parse_bool(name: str, text: str) -> tuple[bool, Text | None]:
    """Read a true/false input (also yes/no, 1/0, any case); empty means false."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True, None
    if not lowered or lowered in _FALSE:
        return False, None
    return False, Text("error.settings.bool", name=name, value=repr(text))


def parse_command(text: str) -> tuple[Command, Text | None]:
    """Read the command input; empty means ``run``."""
    lowered = text.strip().lower()
    if not lowered:
        return Command.RUN, None
    try:
        return Command(lowered), None
    except ValueError:
        return Command.RUN, Text("error.settings.command", value=repr(text))


def parse_week(text: str) -> tuple[int | None, Text | None]:
    """Read the week input as a whole number 0 or above; empty means every due week."""
    stripped = text.strip()
    if not stripped:
        return None, None
    # ASCII digits only: int() would also accept other scripts' digits and '1_000'.
    if _WEEK.match(stripped):
        return int(stripped), None
    return None, Text("error.settings.week", value=repr(text))


def parse_repository(text: str, required: bool) -> tuple[str | None, Text | None]:
    """Read ``GITHUB_REPOSITORY`` as ``owner/name``."""
    if not text:
        if required:
            return None, Text("error.settings.repository_missing")
        return None, None
    if _REPOSITORY.match(text):
        return text, None
    return None, Text("error.settings.repository", value=repr(text))


_APP_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\[bot\]$")


def parse_bot_login(text: str) -> tuple[str | None, Text | None]:
    """The GitHub App account studybot writes as (``name[bot]``); empty means none declared."""
    text = text.strip()
    if not text:
        return None, None
    if not _APP_LOGIN.fullmatch(text):
        return None, Text("error.settings.bot_login", name="bot-login", value=text[:60], example="studybot-seojin[bot]")
    return text, None


def parse_webhook(name: str, text: str) -> tuple[SecretStr | None, Text | None]:
    """Read a messenger webhook URL; a problem says what is wrong without quoting the URL."""
    if not text:
        return None, None
    slack = name.startswith("slack")
    problem = Text("error.settings.webhook_slack" if slack else "error.settings.webhook_discord", name=name)
    if any(char.isspace() or ord(char) < 32 for char in text):
        return None, problem
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None, problem
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443) or parts.fragment:
        return None, problem
    if slack:
        ok = host == "hooks.slack.com" and bool(_SLACK_PATH.match(parts.path)) and not parts.query
    else:
        ok = host in _DISCORD_HOSTS and bool(_DISCORD_PATH.match(parts.path))
    return (SecretStr(text), None) if ok else (None, problem)


def parse_url(key: str, text: str, default: str) -> tuple[str, Text | None]:
    """Read an http(s) base URL without its trailing slash; empty means ``default``."""
    if not text:
        return default, None
    if _URL.match(text):
        return text.rstrip("/"), None
    return default, Text("error.settings.url", name=key, default=default, value=repr(text))


def read_event(path: str | Path | None) -> tuple[dict[str, Any], Text | None]:
    """Load the webhook event JSON; on any trouble return ``{}`` and a sentence saying why."""
    if path is None or str(path) == "":
        return {}, None
    try:
        with open(path, "rb") as handle:
            # One byte past the limit is enough to know the file is too big.
            raw = handle.read(MAX_EVENT_BYTES + 1)
    except OSError as error:
        return {}, Text("error.event.unreadable", path=repr(str(path)), reason=error.strerror or str(error))
    if len(raw) > MAX_EVENT_BYTES:
        limit = MAX_EVENT_BYTES // (1024 * 1024)
        return {}, Text("error.event.large", path=repr(str(path)), limit=limit)
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}, Text("error.event.json", path=repr(str(path)))
    if not isinstance(payload, dict):
        kind = type(payload).__name__
        return {}, Text("error.event.not_object", path=repr(str(path)), kind=kind)
    return payload, None
