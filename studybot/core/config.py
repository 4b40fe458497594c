"""The study's configuration: pydantic models for ``config/study.yml`` and its loader.

Every problem in a file is collected and raised at once as one :class:`ConfigError`,
each with ``file:line:column`` taken from the YAML node the problem is about.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import pytz
import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

MAX_CONFIG_BYTES = 256 * 1024

_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")


def parse_duration(value: Any) -> dt.timedelta:
    """Read ``12h``, ``30m``, ``1d``, ``1h30m`` (or a timedelta) as a timedelta."""
    if isinstance(value, dt.timedelta):
        return value
    match = _DURATION.match(str(value)) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        raise ValueError("write a duration such as 12h, 30m, 1d or 1h30m")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    try:
        return dt.timedelta(days=days, hours=hours, minutes=minutes)
    except OverflowError:
        raise ValueError("the duration is far too long; write one such as 12h") from None


def _parse_local_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("write a local date and time such as 2022-04-13 00:00") from None
    else:
        raise ValueError("write a local date and time such as 2022-04-13 00:00")
    if parsed.tzinfo is not None:
        raise ValueError(
            "write the local time without an offset; study.timezone gives the zone"
        )
    if not 1970 <= parsed.year <= 2200:
        raise ValueError("write a date between 1970 and 2200")
    return parsed


Duration = Annotated[dt.timedelta, BeforeValidator(parse_duration)]
LocalDateTime = Annotated[dt.datetime, BeforeValidator(_parse_local_datetime)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class StudyInfo(_Model):
    name: Name
    language: Literal["ko", "en"] = "ko"
    timezone: str = "Asia/Seoul"
    currency: str = Field("KRW", pattern=r"^[A-Z]{3}$")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in pytz.all_timezones_set:
            raise ValueError(f"{value!r} is not an IANA time zone; write one such as Asia/Seoul")
        return value


class Break(_Model):
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    name: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Break:
        if self.end < self.start:
            raise ValueError("a break's 'to' must not come before its 'from'")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class ScheduleConfig(_Model):
    first_week: int = Field(1, ge=0)
    weeks: int = Field(ge=1, le=520)
    first_deadline: LocalDateTime
    late_window: Duration = dt.timedelta(hours=12)
    breaks: list[Break] = []

    @field_validator("late_window")
    @classmethod
    def _below_a_week(cls, value: dt.timedelta) -> dt.timedelta:
        if not dt.timedelta(0) <= value < dt.timedelta(days=7):
            raise ValueError("late_window must be between 0h and less than 7d")
        return value


class Fines(_Model):
    late: int = Field(ge=0)
    absent: int = Field(ge=0)


class SettlementConfig(_Model):
    exclude: Literal["last_place", "none"] = "last_place"


class Member(_Model):
    name: Name
    github: str | None = Field(None, pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
    maintainer: bool = False
    joined_week: int | None = None
    left_week: int | None = None
    emails: list[str] = []

    @model_validator(mode="after")
    def _range(self) -> Member:
        if (
            self.joined_week is not None
            and self.left_week is not None
            and self.left_week < self.joined_week
        ):
            raise ValueError("left_week must not come before joined_week")
        return self

    def active_in(self, week: int) -> bool:
        """Whether the member takes part in ``week`` (``left_week`` is the first week missed)."""
        if self.joined_week is not None and week < self.joined_week:
            return False
        return self.left_week is None or week < self.left_week


class ReadmeSource(_Model):
    enabled: bool = True
    path: str = "README.md"
    week_column: Name = "주차"
    column: Name = "과제"


class IssueSource(_Model):
    enabled: bool = True


class FolderSource(_Model):
    enabled: bool = False
    pattern: str = "{week}주차/{name}/"
    # When a week opens, the bot adds a marked README to each active member's empty folder.
    create_placeholders: bool = False

    @field_validator("pattern")
    @classmethod
    def _fields(cls, value: str) -> str:
        _check_template(value, {"week", "name", "github"})
        if not value.endswith("/"):
            raise ValueError("the folder pattern must end with '/'")
        return value


class Submissions(_Model):
    readme: ReadmeSource = ReadmeSource()
    issues: IssueSource = IssueSource()
    folders: FolderSource = FolderSource()
    timing: Literal["landed", "authored"] = "landed"


class BlogSwap(_Model):
    week: int
    member: Name


class TeamBlog(_Model):
    order: list[Name] = Field(min_length=1)
    readme_column: Name = "팀블로그"
    swaps: list[BlogSwap] = []


class RotationConfig(_Model):
    team_blog: TeamBlog | None = None


class QnA(_Model):
    title: str = "[{week}주차] Q&A"
    labels: list[str] = ["Q&A"]
    close_labeled: list[str] = ["question"]
    reminder_before: Duration | None = dt.timedelta(hours=6)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        _check_template(value, {"week"})
        return value


class Excuse(_Model):
    week: int
    member: Name
    reason: str = ""


class WeeklyLog(_Model):
    """The meeting log in the README: ``### 3주차 - …`` headings with ``[과제] …`` homework lines."""

    heading: str = "{week}주차"
    marker: str = Field("[과제]", min_length=1, max_length=50)

    @field_validator("heading")
    @classmethod
    def _heading(cls, value: str) -> str:
        _check_template(value, {"week"})
        if "{week}" not in value:
            raise ValueError("the heading must contain {week}, e.g. '{week}주차'")
        return value


class Output(_Model):
    readme: str = "README.md"
    ledger: str = ".studybot/ledger.json"


class NotifyEvent(enum.StrEnum):
    """What a messenger notice is about; a leader picks which ones each chat receives."""

    OPENED = "opened"  # the week's Q&A issue was opened
    REMINDER = "reminder"
    CLOSED = "closed"  # the deadline passed and the issue was closed
    RESULTS = "results"
    SETTLEMENT = "settlement"
    ALERTS = "alerts"  # for the leader: a rejected config, a ledger pushed by someone else


_DISCORD_USER = re.compile(r"^[0-9]{15,21}$")
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def _user_id_text(value: Any) -> Any:
    # An unquoted Discord id is a YAML integer; it is the same id.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ChatUserId = Annotated[str, BeforeValidator(_user_id_text)]


class DiscordNotify(_Model):
    events: list[NotifyEvent] = list(NotifyEvent)
    # Member name -> Discord user id; only these members are ever pinged.
    mentions: dict[Name, ChatUserId] = {}

    @field_validator("mentions")
    @classmethod
    def _user_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for name, user in value.items():
            if not _DISCORD_USER.match(str(user)):
                raise ValueError(
                    f"{name}: write the Discord user id, the 17–20 digit number from 'Copy User ID' "
                    "(turn on Developer Mode)"
                )
        return value


class SlackNotify(_Model):
    events: list[NotifyEvent] = list(NotifyEvent)
    # Member name -> Slack member id (U…); only these members are ever pinged.
    mentions: dict[Name, ChatUserId] = {}

    @field_validator("mentions")
    @classmethod
    def _user_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for name, user in value.items():
            if not _SLACK_USER.match(str(user)):
                raise ValueError(
                    f"{name}: write the Slack member id such as U012AB3CD "
                    "(profile → ⋮ → Copy member ID), not a display name"
                )
        return value


class Notify(_Model):
    """Messenger notices; the webhook URLs are secrets and come from action inputs, not this file."""

    discord: DiscordNotify | None = None
    slack: SlackNotify | None = None


ENGLISH_DEFAULTS: dict[tuple[str, ...], str] = {
    ("weekly_log", "heading"): "Week {week}",
    ("weekly_log", "marker"): "[Homework]",
    ("qna", "title"): "Week {week} Q&A",
    ("submissions", "readme", "week_column"): "Week",
    ("submissions", "readme", "column"): "Homework",
    ("submissions", "folders", "pattern"): "week{week}/{name}/",
}


class StudyConfig(_Model):
    study: StudyInfo
    schedule: ScheduleConfig
    fines: Fines
    settlement: SettlementConfig = SettlementConfig()
    members: list[Member] = Field(min_length=1)
    submissions: Submissions = Submissions()
    rotation: RotationConfig = RotationConfig()
    qna: QnA = QnA()
    excuses: list[Excuse] = []
    output: Output = Output()
    notify: Notify = Notify()
    weekly_log: WeeklyLog = WeeklyLog()

    @model_validator(mode="before")
    @classmethod
    def _language_defaults(cls, data: Any) -> Any:
        """Leave Korean defaults to Korean studies: an English one gets English column names."""
        study = data.get("study") if isinstance(data, dict) else None
        if not isinstance(study, dict) or study.get("language") != "en":
            return data
        data = dict(data)
        for path, value in ENGLISH_DEFAULTS.items():
            *parents, key = path
            node = data
            for parent in parents:
                child = node.get(parent, {}) if isinstance(node, dict) else None
                if not isinstance(child, dict):
                    break
                node[parent] = child = dict(child)
                node = child
            else:
                node.setdefault(key, value)
        rotation = data.get("rotation")
        if isinstance(rotation, dict) and isinstance(rotation.get("team_blog"), dict):
            team_blog = {"readme_column": "Team blog", **rotation["team_blog"]}
            data["rotation"] = {**rotation, "team_blog": team_blog}
        return data

    @model_validator(mode="after")
    def _references(self) -> StudyConfig:
        problems = reference_problems(self.model_dump(by_alias=True))
        if problems:
            raise _CrossFieldErrors(problems)
        return self

    @property
    def last_week(self) -> int:
        return self.schedule.first_week + self.schedule.weeks - 1

    def member(self, name: str) -> Member | None:
        return next((member for member in self.members if member.name == name), None)


def _items(data: Any, *keys: str) -> list[Any]:
    """The list at ``data[keys…]``, or [] where the file has something else there."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, list) else []


def _field(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else None


def reference_problems(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Names and weeks that refer to nothing, found in plain config data.

    Works on the raw file as well as on a validated model, so these problems are reported
    together with any others instead of after they are fixed.
    """
    problems: list[tuple[tuple[Any, ...], str]] = []
    members = _items(data, "members")
    names = [_field(member, "name") for member in members]
    logins = [str(_field(member, "github")).lower() if _field(member, "github") else None for member in members]
    for index, name in enumerate(names):
        if isinstance(name, str) and name in names[:index]:
            problems.append((("members", index, "name"), f"member {name!r} is listed twice"))
        if logins[index] and logins[index] in logins[:index]:
            problems.append((("members", index, "github"), f"GitHub login {_field(members[index], 'github')!r} is listed twice"))
    known = [name for name in names if isinstance(name, str)]
    schedule = data.get("schedule") if isinstance(data, dict) else None
    first, weeks = _field(schedule, "first_week"), _field(schedule, "weeks")
    first = first if isinstance(first, int) else 1
    graded = range(first, first + weeks) if isinstance(weeks, int) and weeks > 0 else None

    def check(loc: tuple[Any, ...], item: Any, member_key: str = "member") -> None:
        member, week = _field(item, member_key), _field(item, "week")
        if isinstance(member, str) and member not in known:
            problems.append(((*loc, member_key), _unknown_member(member, known)))
        if graded is not None and isinstance(week, int) and week not in graded:
            problems.append(((*loc, "week"), _outside(week, graded)))

    for index, name in enumerate(_items(data, "rotation", "team_blog", "order")):
        if isinstance(name, str) and name not in known:
            problems.append((("rotation", "team_blog", "order", index), _unknown_member(name, known)))
    for index, swap in enumerate(_items(data, "rotation", "team_blog", "swaps")):
        check(("rotation", "team_blog", "swaps", index), swap)
    for index, excuse in enumerate(_items(data, "excuses")):
        check(("excuses", index), excuse)
    return problems


def _unknown_member(name: str, names: list[str]) -> str:
    return f"{name!r} is not a member; use one of the names under members: {', '.join(dict.fromkeys(names))}"


def _outside(week: int, graded: range) -> str:
    return f"week {week} is not a graded week; use {graded.start}–{graded.stop - 1}"


def _check_template(template: str, allowed: set[str]) -> None:
    """Allow plain ``{field}`` placeholders only: no attribute access, indexing or formats."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        raise ValueError("the template has an unbalanced '{' or '}'; write {{ or }} for a brace") from None
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            fields = ", ".join("{" + name + "}" for name in sorted(allowed))
            raise ValueError(f"the template may use only {fields}, not {{{field}}}")


class _CrossFieldErrors(ValueError):
    """Problems found across sections, each with the path of the value it is about."""

    def __init__(self, problems: list[tuple[tuple[Any, ...], str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config file, located at a line and column (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ConfigError(Exception):
    """Everything wrong with a config file, raised once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _Loader(yaml.SafeLoader):
    """A safe loader that keeps timestamps as text, so pydantic reads them in the study's zone."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_config(path: str | Path) -> StudyConfig:
    """Read and validate a config file; raise :class:`ConfigError` with every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), 1, 1, "config file not found; create it or pass --config PATH")]) from None
    except OSError as error:
        raise ConfigError([Problem(str(path), 1, 1, f"cannot read the config file: {error.strerror}")]) from None
    return parse_config(raw, str(path))


def parse_config(raw: bytes | str, filename: str = "config/study.yml") -> StudyConfig:
    """Validate config text; raise :class:`ConfigError` with every problem."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError([Problem(filename, 1, 1, f"the config file is larger than {MAX_CONFIG_BYTES // 1024} KiB")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ConfigError([Problem(filename, 1, 1, f"the config file is not UTF-8 ({error.reason}); save it as UTF-8")]) from None
    else:
        text = raw
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError([Problem(filename, line, column, f"YAML syntax: {problem}")]) from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise ConfigError([Problem(filename, 1, 1, "the config must be a mapping with study:, schedule:, fines: and members:")])
    unusual = _unusual_nodes(node, filename)
    if unusual:
        raise ConfigError(unusual)
    try:
        data = _Loader(text).construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ConfigError([Problem(filename, line, column, f"a value cannot be read: {str(error).splitlines()[0]}")]) from None
    duplicate = _duplicate_keys(node, filename)
    try:
        config = StudyConfig.model_validate(data)
    except ValidationError as error:
        found = _problems(error, node, filename)
        checked = any(isinstance(item.get("ctx", {}).get("error"), _CrossFieldErrors) for item in error.errors())
        if not checked:
            # Field errors stop the model before its reference check; run it on the raw data.
            found += [_located(node, loc, filename, message) for loc, message in reference_problems(data)]
        raise ConfigError(duplicate + sorted(found, key=lambda problem: (problem.line, problem.column))) from None
    if duplicate:
        raise ConfigError(duplicate)
    return config


_PLAIN_TAGS = {yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}


def _unusual_nodes(root: yaml.Node, filename: str) -> list[Problem]:
    """Anchors, aliases and explicit tags, which a study config never needs.

    Aliases can make a small file expand without bound and tags ask for types the schema does
    not have; both are refused before anything is constructed.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    resolver = _Loader("")
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            problems.append(_at(node, filename, "YAML anchors and aliases (&name, *name) are not allowed; write the value out"))
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            implicit = resolver.resolve(yaml.ScalarNode, node.value, (node.style is None, node.style is not None))
            expected = {implicit}
        else:
            expected = {_PLAIN_TAGS[type(node)]}
        if node.tag not in expected:
            problems.append(_at(node, filename, f"explicit YAML tags ({node.tag.rsplit(':', 1)[-1]}) are not allowed; remove the !!tag"))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return sorted(set(problems), key=lambda problem: (problem.line, problem.column))


def _duplicate_keys(node: yaml.Node, filename: str) -> list[Problem]:
    found: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                found.append(_at(key, filename, f"{key.value!r} is given twice; keep one"))
            seen.add(key.value)
            found += _duplicate_keys(value, filename)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item, filename)
    return found


def _problems(error: ValidationError, root: yaml.Node, filename: str) -> list[Problem]:
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        context = item.get("ctx", {}).get("error")
        if isinstance(context, _CrossFieldErrors):
            for loc, message in context.problems:
                problems.append(_located(root, loc, filename, message))
            continue
        loc = _yaml_path(root, item["loc"])
        problems.append(_located(root, loc, filename, _sentence(item, loc)))
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


_TAG = re.compile(r"[a-z-]+\[.*\]|int|str|none|bool|float|date|datetime|timedelta")


def _yaml_path(root: yaml.Node, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """pydantic's error location without the names it gives union branches.

    A part is such a name only where the file has no key of that name, so a user's key that
    happens to look like one ('links[0]', 'int') is kept.
    """
    path: list[Any] = []
    node: yaml.Node | None = root
    for part in loc:
        child = _child(node, part) if node is not None else None
        if child is None and isinstance(part, str) and _TAG.fullmatch(part):
            continue
        path.append(part)
        node = child[1] if child is not None else None
    return tuple(path)


def _sentence(item: dict[str, Any], loc: tuple[Any, ...]) -> str:
    where = ".".join(str(part) for part in loc) or "the file"
    kind = item["type"]
    if kind == "extra_forbidden" and loc:
        return f"unknown key {loc[-1]!r} in {'.'.join(map(str, loc[:-1])) or 'the top level'}; check its spelling or remove it"
    if kind == "missing":
        return f"{where} is required; add it"
    message = item["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return f"{where}: {message}"


def _located(root: yaml.Node, loc: tuple[Any, ...], filename: str, message: str) -> Problem:
    node, key = root, None
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        key, node = child
    # An unknown key points at the key itself; anything else at its value.
    target = key if key is not None and message.startswith("unknown key") else node
    return _at(target, filename, message)


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None


def _at(node: yaml.Node, filename: str, message: str) -> Problem:
    mark = node.start_mark
    return Problem(filename, mark.line + 1, mark.column + 1, message)
