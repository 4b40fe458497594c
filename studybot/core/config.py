"""The study's configuration: pydantic models for ``config/study.yml`` and its loader.

Every problem in a file is collected and raised at once as one :class:`ConfigError`,
each with ``file:line:column`` taken from the YAML node the problem is about.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
import string
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

import pytz
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

MAX_CONFIG_BYTES = 256 * 1024

_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")


class _Fault(ValueError):
    """A problem with one value as a message key and its fields, told later in ko or en."""

    def __init__(self, key: str, **fields: Any):
        super().__init__(key)
        self.key = key
        self.fields = fields


def parse_duration(value: Any) -> dt.timedelta:
    """Read ``12h``, ``30m``, ``1d``, ``1h30m`` (or a timedelta) as a timedelta."""
    if isinstance(value, dt.timedelta):
        return value
    match = _DURATION.match(str(value)) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        raise _Fault("config.duration")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    try:
        return dt.timedelta(days=days, hours=hours, minutes=minutes)
    except OverflowError:
        raise _Fault("config.duration_huge") from None


def duration_text(value: dt.timedelta) -> str:
    """A timedelta the way the file writes one: ``167h``, ``1h30m``, ``0h``."""
    minutes = int(value.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes}m" if minutes else f"{hours}h"


# An amount as leaders write it: 3000, 3,000, 3,000원, ₩3,000, 3000 KRW.
_MONEY = re.compile(r"^\s*[₩$€£¥]?\s*(\d{1,3}(?:,\d{3}){1,4}|\d{1,15})\s*(?:원|[A-Za-z]{3})?\s*$")


def parse_money(value: Any) -> Any:
    """Read ``3000``, ``"3,000"`` and ``"3,000원"`` as 3000; other types are left to the int check."""
    if isinstance(value, bool):
        raise _Fault("config.money")
    if isinstance(value, str):
        match = _MONEY.match(value)
        if not match:
            raise _Fault("config.money")
        return int(match.group(1).replace(",", ""))
    return value


def normalize_name(value: Any) -> Any:
    """A name in NFC without surrounding spaces, as the README side compares names.

    A name pasted on macOS may arrive decomposed (NFD) and would otherwise differ from the
    same name typed elsewhere.
    """
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def _login(value: Any) -> Any:
    # People write logins the way GitHub mentions them: @SEOJIN-Lab is SEOJIN-Lab.
    return value.strip().removeprefix("@") if isinstance(value, str) else value


def _parse_local_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Fault("config.datetime") from None
    else:
        raise _Fault("config.datetime")
    if parsed.tzinfo is not None:
        raise _Fault("config.datetime_offset")
    if not 1970 <= parsed.year <= 2200:
        raise _Fault("config.datetime_range")
    return parsed


Duration = Annotated[dt.timedelta, BeforeValidator(parse_duration)]
LocalDateTime = Annotated[dt.datetime, BeforeValidator(_parse_local_datetime)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
MemberName = Annotated[str, BeforeValidator(normalize_name), Field(min_length=1, max_length=100)]
Money = Annotated[int, BeforeValidator(parse_money), Field(ge=0)]
Login = Annotated[str, BeforeValidator(_login), Field(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")]
MAX_LATE_WINDOW = dt.timedelta(days=7)


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
            raise _Fault("config.timezone")
        return value


class Break(_Model):
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    name: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Break:
        if self.end < self.start:
            raise _Fault("config.break_order", start=self.start, end=self.end)
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
    def _at_most_a_week(cls, value: dt.timedelta) -> dt.timedelta:
        if value < dt.timedelta(0):
            raise _Fault("config.duration")
        if value > MAX_LATE_WINDOW:
            raise _Fault("config.late_window_max")
        return value


# Far more weekly deadlines than any study has (a century); ends a schedule made only of breaks.
MAX_CANDIDATES = 5200


def lay_out(settings: ScheduleConfig) -> list[tuple[dt.datetime, Break | None]]:
    """The weekly local deadlines from ``first_deadline``, each with the break it falls in.

    Stops once ``weeks`` deadlines are outside the breaks, or after :data:`MAX_CANDIDATES`.
    """
    laid: list[tuple[dt.datetime, Break | None]] = []
    graded = 0
    for step in range(MAX_CANDIDATES):
        if graded == settings.weeks:
            break
        # Wall-clock arithmetic: a deadline keeps its local time across DST changes.
        wall = settings.first_deadline + dt.timedelta(weeks=step)
        pause = next((item for item in settings.breaks if item.covers(wall.date())), None)
        laid.append((wall, pause))
        graded += pause is None
    return laid


def localize(zone: dt.tzinfo, naive: dt.datetime) -> dt.datetime:
    """The instant of a local wall time (pytz needs ``localize``; tzinfo= gives LMT).

    An ambiguous wall time (the repeated hour in autumn) is read as standard time; one that
    does not exist (the skipped hour in spring) as the instant the clock shows it an hour later.
    """
    instant = zone.localize(naive, is_dst=False)  # type: ignore[attr-defined]
    return zone.normalize(instant)  # type: ignore[attr-defined,no-any-return]


class Fines(_Model):
    late: Money
    absent: Money


class SettlementConfig(_Model):
    exclude: Literal["last_place", "none"] = "last_place"


class Member(_Model):
    name: MemberName
    github: Login | None = None
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
            raise _Fault("config.left_before_joined", left=self.left_week, joined=self.joined_week)
        return self

    def active_in(self, week: int) -> bool:
        """Whether the member takes part in ``week`` (``left_week`` is the first week missed)."""
        if self.joined_week is not None and week < self.joined_week:
            return False
        return self.left_week is None or week < self.left_week


class ReadmeSource(_Model):
    enabled: bool = True
    path: str = "README.md"
    # table: one table, a row per week (week_column, column); sections: a heading or a
    # <details><summary> block per week, each member's link a list item (core/sections.py).
    layout: Literal["table", "sections"] = "table"
    week_column: Name = "주차"
    column: Name = "과제"


class IssueSource(_Model):
    enabled: bool = True


def _folder_pattern(value: str) -> str:
    """One folder pattern: ``{week}``, one member field, ``*`` within a level, ending with '/'."""
    from studybot.core.folders import MEMBER_FIELDS, pattern_problem

    _check_template(value, {"week", *MEMBER_FIELDS})
    problem = pattern_problem(value)
    if problem is not None:
        raise _Fault(problem[0], **problem[1])
    return value


def _pattern_shape(value: Any) -> str:
    return "list[str]" if isinstance(value, list) else "str"


FolderPattern = Annotated[str, AfterValidator(_folder_pattern)]


class FolderSource(_Model):
    enabled: bool = False
    # One pattern, or a list meaning "any of these" (a naming switch mid-term, two kinds of hand-in).
    # The tags are the names pydantic gives union branches, which error locations leave out.
    pattern: Annotated[
        Annotated[FolderPattern, Tag("str")] | Annotated[list[FolderPattern], Field(min_length=1), Tag("list[str]")],
        Discriminator(_pattern_shape),
    ] = "{week}주차/{name}/"
    # When a week opens, the bot adds a marked README to each active member's empty folder.
    create_placeholders: bool = False

    @property
    def patterns(self) -> tuple[str, ...]:
        """Every pattern, the first one being where the bot puts placeholders and points members."""
        return (self.pattern,) if isinstance(self.pattern, str) else tuple(self.pattern)


class Submissions(_Model):
    readme: ReadmeSource = ReadmeSource()
    issues: IssueSource = IssueSource()
    folders: FolderSource = FolderSource()
    # landed: server push time (offline: the commit date); author-date / commit-date: the
    # commit's own dates. authored is the old name of commit-date and keeps its meaning.
    timing: Literal["landed", "author-date", "commit-date", "authored"] = "landed"

    @property
    def clock(self) -> Literal["landed", "author-date", "commit-date"]:
        """The timing in force, with the old name ``authored`` read as ``commit-date``."""
        return "commit-date" if self.timing == "authored" else self.timing


class BlogSwap(_Model):
    week: int
    member: MemberName


class TeamBlog(_Model):
    order: list[MemberName] = Field(min_length=1)
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
    member: MemberName
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
    calendar: str | None = ".studybot/calendar.ics"  # the calendar feed members subscribe to; null: none
    picture: str | None = ".studybot/term.svg"  # the picture of the term shown in the README; null: none


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


class _ChatNotify(_Model):
    """One messenger's notices: which events go out, and whom a notice may ping."""

    # How the messenger writes a user id, and the problem that explains where to find one.
    user_id: ClassVar[re.Pattern[str]]
    user_id_problem: ClassVar[str]

    events: list[NotifyEvent] = list(NotifyEvent)
    # Member name -> chat user id; only these members are ever pinged.
    mentions: dict[Name, ChatUserId] = {}

    @field_validator("mentions")
    @classmethod
    def _user_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for name, user in value.items():
            if not cls.user_id.match(str(user)):
                raise _Fault(cls.user_id_problem, name=name)
        return value


class DiscordNotify(_ChatNotify):
    user_id = _DISCORD_USER
    user_id_problem = "config.discord_user"


class SlackNotify(_ChatNotify):
    user_id = _SLACK_USER
    user_id_problem = "config.slack_user"


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
        problems += schedule_problems(self.schedule, self.study.timezone)
        if problems:
            raise _CrossFieldErrors(problems)
        return self

    @property
    def last_week(self) -> int:
        return self.schedule.first_week + self.schedule.weeks - 1

    def member(self, name: str) -> Member | None:
        name = normalize_name(name)
        return next((member for member in self.members if member.name == name), None)


def _items(data: Any, *keys: str) -> list[Any]:
    """The list at ``data[keys…]``, or [] where the file has something else there."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, list) else []


def _field(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else None


Found = tuple[tuple[Any, ...], str, dict[str, Any]]
"""A problem found in plain data: the path of the value, a message key and its fields."""


def reference_problems(data: Any) -> list[Found]:
    """Names and weeks that refer to nothing, found in plain config data.

    Works on the raw file as well as on a validated model, so these problems are reported
    together with any others instead of after they are fixed. Names are compared in NFC.
    """
    problems: list[Found] = []
    members = _items(data, "members")
    names = [normalize_name(_field(member, "name")) for member in members]
    logins = [_login(_field(member, "github")) for member in members]
    logins = [login.lower() if isinstance(login, str) and login else None for login in logins]
    for index, name in enumerate(names):
        if isinstance(name, str) and name in names[:index]:
            problems.append((("members", index, "name"), "config.member_twice", {"name": name}))
        if logins[index] and logins[index] in logins[:index]:
            login = _login(_field(members[index], "github"))
            problems.append((("members", index, "github"), "config.login_twice", {"login": login}))
    known = [name for name in names if isinstance(name, str)]
    schedule = data.get("schedule") if isinstance(data, dict) else None
    first, weeks = _field(schedule, "first_week"), _field(schedule, "weeks")
    first = first if isinstance(first, int) else 1
    graded = range(first, first + weeks) if isinstance(weeks, int) and weeks > 0 else None

    def unknown(loc: tuple[Any, ...], name: str) -> Found:
        return loc, "config.unknown_member", {"name": name, "names": ", ".join(dict.fromkeys(known))}

    def check(loc: tuple[Any, ...], item: Any, member_key: str = "member") -> None:
        member, week = normalize_name(_field(item, member_key)), _field(item, "week")
        if isinstance(member, str) and member not in known:
            problems.append(unknown((*loc, member_key), member))
        if graded is not None and isinstance(week, int) and week not in graded:
            fields = {"week": week, "first": graded.start, "last": graded.stop - 1}
            problems.append(((*loc, "week"), "config.week_outside", fields))

    for index, name in enumerate(_items(data, "rotation", "team_blog", "order")):
        name = normalize_name(name)
        if isinstance(name, str) and name not in known:
            problems.append(unknown(("rotation", "team_blog", "order", index), name))
    for index, swap in enumerate(_items(data, "rotation", "team_blog", "swaps")):
        check(("rotation", "team_blog", "swaps", index), swap)
    for index, excuse in enumerate(_items(data, "excuses")):
        check(("excuses", index), excuse)
    return problems


def schedule_problems(settings: ScheduleConfig, timezone: str) -> list[Found]:
    """A schedule that grades too few weeks, or whose late windows overlap the next week.

    The gap between deadlines is measured in real time, so a 7-day window is refused in the
    week a DST change makes one hour shorter.
    """
    graded = [wall for wall, pause in lay_out(settings) if pause is None]
    if not graded:
        return [(("schedule", "breaks" if settings.breaks else "weeks"), "config.no_graded_week", {})]
    problems: list[Found] = []
    if len(graded) < settings.weeks:
        fields: dict[str, Any] = {"graded": len(graded), "last": settings.first_week + len(graded) - 1}
        problems.append((("schedule", "weeks"), "config.weeks_in_breaks", fields))
    zone = pytz.timezone(timezone)
    instants = [localize(zone, wall) for wall in graded]
    for index, (this, following) in enumerate(itertools.pairwise(instants)):
        gap = following - this
        if settings.late_window > gap:
            fields = {
                "window": duration_text(settings.late_window),
                "gap": duration_text(gap),
                "week": settings.first_week + index,
            }
            problems.append((("schedule", "late_window"), "config.window_overlap", fields))
            break
    return problems


def _check_template(template: str, allowed: set[str]) -> set[str]:
    """Allow plain ``{field}`` placeholders only: no attribute access, indexing or formats.

    Returns the fields the template uses.
    """
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        raise _Fault("config.template_braces") from None
    used: set[str] = set()
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            fields = ", ".join("{" + name + "}" for name in sorted(allowed))
            raise _Fault("config.template_fields", allowed=fields, field=field)
        used.add(field)
    return used


class _CrossFieldErrors(ValueError):
    """Problems found across sections, each with the path of the value it is about."""

    def __init__(self, problems: list[Found]):
        super().__init__("; ".join(key for _, key, _ in problems))
        self.problems = problems


def config_warnings(config: StudyConfig) -> list[str]:
    """What a valid config allows but a study probably did not mean, in the study's language."""
    messages = _messages(config.study.language)
    warnings: list[str] = []
    if not any(member.maintainer for member in config.members):
        warnings.append(messages.t("config.no_maintainer"))
    elif not any(member.maintainer and member.github for member in config.members):
        warnings.append(messages.t("config.no_commanding_maintainer"))
    without = [member.name for member in config.members if not member.github]
    if without:
        warnings.append(messages.t("config.no_login", members=", ".join(without)))
    if config.submissions.timing == "authored":
        warnings.append(messages.t("config.timing_authored"))
    return warnings


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
    """Everything wrong with a config file, raised once, told in ``language``."""

    def __init__(self, problems: list[Problem], language: str = "en"):
        self.problems = problems
        self.language = language
        super().__init__("\n".join(str(problem) for problem in problems))


LANGUAGES = ("ko", "en")


def language_of_locale(value: str | None) -> str | None:
    """The message language of a locale such as ``ko_KR.UTF-8`` (None when not ko or en)."""
    code = (value or "").split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def _messages(language: str) -> Any:
    # Imported here: the messages package imports modules that import this one.
    from studybot.core.messages import messages_for

    return messages_for(language if language in LANGUAGES else "en")


_LANGUAGE_LINE = re.compile(r"^\s+language:\s*['\"]?(ko|en)['\"]?\s*(?:#.*)?$", re.MULTILINE)


def _language_in(data: Any) -> str | None:
    study = data.get("study") if isinstance(data, dict) else None
    language = study.get("language") if isinstance(study, dict) else None
    return language if language in LANGUAGES else None


class _Teller:
    """Makes located problems in one language."""

    def __init__(self, filename: str, language: str):
        self.filename = filename
        self.language = language

    def say(self, key: str, /, **fields: Any) -> str:
        return str(_messages(self.language).t(key, **fields))

    def at(self, node: yaml.Node, key: str, /, **fields: Any) -> Problem:
        mark = node.start_mark
        return Problem(self.filename, mark.line + 1, mark.column + 1, self.say(key, **fields))

    def top(self, key: str, line: int = 1, column: int = 1, /, **fields: Any) -> Problem:
        return Problem(self.filename, line, column, self.say(key, **fields))

    def error(self, problems: list[Problem]) -> ConfigError:
        return ConfigError(problems, self.language)


class _Loader(yaml.SafeLoader):
    """A safe loader that keeps timestamps as text, so pydantic reads them in the study's zone."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def file_error(filename: str, key: str, language: str | None = None, **fields: object) -> ConfigError:
    """The error for a config file that could not be read at all (missing, unreadable)."""
    teller = _Teller(filename, language if language in LANGUAGES else "en")
    return teller.error([teller.top(key, **fields)])


def parse_config(raw: bytes | str, filename: str = "config/study.yml", language: str | None = None) -> StudyConfig:
    """Validate config text; raise :class:`ConfigError` with every problem.

    Problems are told in the file's ``study.language`` when it can be read, else in
    ``language`` (the CLI passes the one of ``LANG``), else in English.
    """
    teller = _Teller(filename, language if language in LANGUAGES else "en")
    if isinstance(raw, bytes):
        if len(raw) > MAX_CONFIG_BYTES:
            raise teller.error([teller.top("config.file_large", limit=MAX_CONFIG_BYTES // 1024)])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise teller.error([teller.top("config.file_encoding", reason=error.reason)]) from None
    else:
        text = raw
    # Until the file is read, its language line is the best guess at the study's language.
    written = _LANGUAGE_LINE.search(text)
    if written:
        teller.language = written.group(1)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise teller.error([_syntax_problem(error, teller)]) from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise teller.error([teller.top("config.not_mapping")])
    unusual = _unusual_nodes(node, teller)
    if unusual:
        raise teller.error(unusual)
    try:
        data = _Loader(text).construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = str(error).splitlines()[0]
        raise teller.error([teller.top("config.value_unreadable", line, column, detail=detail)]) from None
    teller.language = _language_in(data) or (language if language in LANGUAGES else "en")
    split, split_keys = _split_amounts(node, teller)
    duplicate = _duplicate_keys(node, teller, split_keys)
    try:
        config = StudyConfig.model_validate(data)
    except ValidationError as error:
        found = split + _problems(error, node, teller)
        checked = any(isinstance(item.get("ctx", {}).get("error"), _CrossFieldErrors) for item in error.errors())
        if not checked:
            # Field errors stop the model before its cross checks; run them on the raw data.
            found += [_located(node, loc, teller, key, fields) for loc, key, fields in _raw_cross_problems(data)]
        raise teller.error(duplicate + sorted(found, key=lambda problem: (problem.line, problem.column))) from None
    if duplicate or split:
        raise teller.error(duplicate + split)
    return config


def _raw_cross_problems(data: Any) -> list[Found]:
    """The cross-section problems of a file whose other problems stopped the model."""
    problems = reference_problems(data)
    schedule = data.get("schedule") if isinstance(data, dict) else None
    study = data.get("study") if isinstance(data, dict) else None
    try:
        settings = ScheduleConfig.model_validate(schedule)
        zone = StudyInfo.model_validate({"name": "-", **study}).timezone if isinstance(study, dict) else "Asia/Seoul"
    except (ValidationError, TypeError):
        return problems
    return problems + schedule_problems(settings, zone)


def _syntax_problem(error: yaml.YAMLError, teller: _Teller) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    token = re.fullmatch(r"found character '(.)' that cannot start any token", problem or "")
    if token and token.group(1) == "@":
        return teller.top("config.yaml_at", line, column)
    if token:
        return teller.top("config.yaml_token", line, column, char=token.group(1))
    return teller.top("config.yaml_syntax", line, column, problem=problem)


_PLAIN_TAGS: dict[type[yaml.Node], str] = {yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}


def _unusual_nodes(root: yaml.Node, teller: _Teller) -> list[Problem]:
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
            problems.append(teller.at(node, "config.alias"))
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            # types-PyYAML leaves Resolver.resolve unannotated; it returns the implicit tag (a str).
            implicit = resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, node.value, (node.style is None, node.style is not None)
            )
            expected = {implicit}
        else:
            expected = {_PLAIN_TAGS[type(node)]}
        if node.tag not in expected:
            problems.append(teller.at(node, "config.tag", tag=node.tag.rsplit(":", 1)[-1]))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return sorted(set(problems), key=lambda problem: (problem.line, problem.column))


_MONEY_KEYS = {"late", "absent"}
# What is left of "3,000원" after a flow mapping split it at the comma: "000원", "000".
_AMOUNT_TAIL = re.compile(r"\d+\s*(?:원|[A-Za-z]{3})?")


def _split_amounts(root: yaml.MappingNode, teller: _Teller) -> tuple[list[Problem], set[int]]:
    """Amounts a flow mapping cut in two: ``{late: 3,000원}`` reads as ``late: 3`` and a key ``000원``.

    Returns the problems (at the amount) and the ids of the stray key nodes, whose own
    "unknown key" problems would only confuse.
    """
    fines = _child(root, "fines")
    if fines is None or not isinstance(fines[1], yaml.MappingNode):
        return [], set()
    problems: list[Problem] = []
    strays: set[int] = set()
    pairs = fines[1].value
    for (key, value), (stray, empty) in itertools.pairwise(pairs):
        if (
            key.value in _MONEY_KEYS
            and isinstance(value, yaml.ScalarNode)
            and isinstance(stray, yaml.ScalarNode)
            and stray.style is None
            and _AMOUNT_TAIL.fullmatch(stray.value)
            and isinstance(empty, yaml.ScalarNode)
            and empty.value == ""
        ):
            where = f"fines.{key.value}"
            written = f"{value.value},{stray.value}"
            amount = value.value + re.sub(r"\D", "", stray.value)
            problems.append(teller.at(value, "config.money_split", where=where, value=written, amount=amount))
            strays.add(id(stray))
    return problems, strays


def _duplicate_keys(node: yaml.Node, teller: _Teller, ignored: set[int]) -> list[Problem]:
    found: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen and id(key) not in ignored:
                found.append(teller.at(key, "config.key_twice", entry=key.value))
            seen.add(key.value)
            found += _duplicate_keys(value, teller, ignored)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item, teller, ignored)
    return found


def _problems(error: ValidationError, root: yaml.Node, teller: _Teller) -> list[Problem]:
    problems: list[Problem] = []
    split = bool(_split_amounts(root, teller)[1]) if isinstance(root, yaml.MappingNode) else False
    for item in error.errors(include_url=False):
        context = item.get("ctx", {}).get("error")
        if isinstance(context, _CrossFieldErrors):
            for loc, key, fields in context.problems:
                problems.append(_located(root, loc, teller, key, fields))
            continue
        loc = _yaml_path(root, item["loc"])
        if split and item["type"] in _STRAY_KEY_TYPES and loc[:1] == ("fines",) and len(loc) == 2:
            continue  # the tail of an amount split at its comma, told once at the amount
        key, fields = _explain(item, loc, teller)
        problems.append(_located(root, loc, teller, key, fields))
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


_STRAY_KEY_TYPES = {"extra_forbidden", "invalid_key"}

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
            # Every union in the schema is "X | None", which pydantic names no branch of; this
            # guards the error locations of any plain union added later.
            continue  # pragma: no cover
        path.append(part)
        node = child[1] if child is not None else None
    return tuple(path)


# pydantic's error types, as message keys; each key's fields are filled in by _explain.
_KINDS = {
    "missing": "config.required",
    "extra_forbidden": "config.unknown_key",
    "invalid_key": "config.unknown_key",
    "literal_error": "config.choice",
    "enum": "config.choice",
    "int_parsing": "config.integer",
    "int_type": "config.integer",
    "int_from_float": "config.integer",
    "int_parsing_size": "config.integer",
    "greater_than_equal": "config.at_least",
    "less_than_equal": "config.at_most",
    "string_too_short": "config.text_short",
    "too_short": "config.list_short",
    "string_too_long": "config.text_long",
    "list_type": "config.list",
    "dict_type": "config.mapping",
    "model_type": "config.mapping",
    "model_attributes_type": "config.mapping",
    "bool_parsing": "config.boolean",
    "bool_type": "config.boolean",
    "string_type": "config.text",
    "date_parsing": "config.date",
    "date_type": "config.date",
    "date_from_datetime_parsing": "config.date",
    "date_from_datetime_inexact": "config.date",
}
_PATTERNS = {"github": "config.login", "currency": "config.currency"}


def _where(loc: tuple[Any, ...], teller: _Teller) -> str:
    # List positions are left out: the line and column already say which entry.
    return ".".join(str(part) for part in loc if not isinstance(part, int)) or teller.say("config.top")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _explain(item: ErrorDetails, loc: tuple[Any, ...], teller: _Teller) -> tuple[str, dict[str, Any]]:
    """A pydantic error as a message key and its fields, for a leader rather than a programmer."""
    kind = item["type"]
    context = item.get("ctx", {})
    fields: dict[str, Any] = {"where": _where(loc, teller), "value": _shown(item.get("input"))}
    error = context.get("error")
    if isinstance(error, _Fault):
        return error.key, {**fields, **error.fields}
    if kind == "value_error" and isinstance(error, ValueError):
        return "config.value", {**fields, "detail": str(error)}
    if kind in {"extra_forbidden", "invalid_key"} and loc:
        return "config.unknown_key", {"entry": loc[-1], "parent": _where(loc[:-1], teller)}
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(loc[-1]) if loc else "", "config.pattern"), fields
    if kind in {"too_short", "too_long"} and isinstance(item.get("input"), str):
        # A text field with a before-validator reports its length like a list's.
        kind = "string_" + kind
    if kind in _KINDS:
        expected = str(context.get("expected", ""))
        allowed = ", ".join(re.findall(r"'([^']*)'", expected)) or expected
        limit = next((context[name] for name in ("ge", "le", "min_length", "max_length") if name in context), "")
        return _KINDS[kind], {**fields, "allowed": allowed, "limit": limit}
    message = item["msg"].removeprefix("Value error, ")
    return "config.invalid", {**fields, "detail": message}


def _located(root: yaml.Node, loc: tuple[Any, ...], teller: _Teller, key: str, fields: dict[str, Any]) -> Problem:
    node, key_node = root, None
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        key_node, node = child
    fields = {"where": _where(loc, teller), **fields}
    # An unknown key points at the key itself; anything else at its value.
    target = key_node if key_node is not None and key == "config.unknown_key" else node
    return teller.at(target, key, **fields)


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None
