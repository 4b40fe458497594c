"""Adopting studybot in an existing study repository: from the README and its history to a config.

Everything here is plain data in, plain data out: the README text, the README's history as
patches, the commit authors with their counts, and the leader's answers. The result is a
:class:`Draft` (what the config will say), :class:`Finding` s (what the leader should know or
check), and the flags still missing when something could not be inferred.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pytz
from markdown_it import MarkdownIt

from studybot.core.messages import Messages
from studybot.core.records import PatchCommit
from studybot.core.table import Row, Table, TableHeader, find_table, parse_row

DEFAULT_FINES = {"ko": (3000, 4000), "en": (3000, 4000)}
DEFAULT_LATE_WINDOW = dt.timedelta(hours=12)
DEFAULT_REMINDER = dt.timedelta(hours=6)
DEFAULT_TIMEZONE = "Asia/Seoul"

_WEEK_HEADERS = {"주차", "주", "week", "weeks", "wk"}
_SUBMIT_HEADERS = {"과제", "과제제출", "제출", "homework", "hw", "assignment", "assignments", "submission", "submissions"}
_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))@users\.noreply\.github\.com$", re.IGNORECASE)


class FindingKind(enum.StrEnum):
    """What the leader is told about the inferred config; each has an ``init.finding.*`` message."""

    AUTHOR_PLACED = "author_placed"
    AUTHOR_UNPLACED = "author_unplaced"
    LOGIN_CLASH = "login_clash"
    NO_LOGIN = "no_login"
    NO_HISTORY = "no_history"
    DEADLINE_FROM_TEXT = "deadline_from_text"
    DEADLINE_GIVEN = "deadline_given"
    LATE_WINDOW_FROM_TEXT = "late_window_from_text"
    FINES_FROM_TEXT = "fines_from_text"
    FINES_DEFAULT = "fines_default"
    BREAK_INFERRED = "break_inferred"
    BREAKS_UNCLEAR = "breaks_unclear"
    MAINTAINER_GUESSED = "maintainer_guessed"
    MAINTAINER_UNKNOWN = "maintainer_unknown"
    NO_MAINTAINER = "no_maintainer"
    ROTATION_INFERRED = "rotation_inferred"
    LEADER_CREATOR = "leader_creator"
    LEADER_UNSURE = "leader_unsure"
    LOGIN_FROM_LINK = "login_from_link"
    ALSO_FILLED = "also_filled"
    BREAK_UNDATED = "break_undated"
    FOLDERS_FOUND = "folders_found"
    MEMBERS_FROM_LIST = "members_from_list"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    fields: Mapping[str, object] = field(default_factory=dict)
    source: str = ""  # the README line (or path) it was read from, as written

    def sentence(self, messages: Messages, currency: str = "KRW") -> str:
        fields = {
            key: messages.money(value, currency) if key in ("late", "absent") and isinstance(value, int) else value
            for key, value in self.fields.items()
        }
        return messages.t(f"init.finding.{self.kind.value}", **fields)


@dataclass(frozen=True)
class Columns:
    """The header texts of the homework table as written (``팀 블로그`` keeps its space)."""

    week: str
    submit: str
    blog: str | None


@dataclass(frozen=True)
class AuthorRecord:
    """One commit author of the README: how many commits, and whose cells they filled with links."""

    name: str
    email: str
    commits: int
    cells: frozenset[str] = frozenset()  # member names as written, NFC-trimmed
    filled: tuple[tuple[str, int], ...] = ()  # (member, links put into that member's cells)


@dataclass(frozen=True)
class CellChange:
    """A link put into a member's cell (``member`` as written) by a commit at ``at``."""

    week: int
    member: str
    at: dt.datetime
    author_email: str


@dataclass(frozen=True)
class BreakDraft:
    start: dt.date
    end: dt.date
    name: str


@dataclass(frozen=True)
class Answers:
    """What the leader said (flags or prompts); None means "infer it"."""

    language: str | None = None
    name: str | None = None
    first_deadline: dt.datetime | None = None  # naive, local to ``timezone``
    late_window: dt.timedelta | None = None
    late_fine: int | None = None
    absent_fine: int | None = None
    breaks: tuple[BreakDraft, ...] | None = None
    timezone: str | None = None
    maintainers: tuple[str, ...] = ()  # logins or member names
    logins: tuple[tuple[str, str], ...] = ()  # (member name, GitHub login) the leader typed
    weeks: int | None = None
    pattern: str | None = None  # the week-folder pattern


@dataclass(frozen=True)
class MemberDraft:
    name: str
    github: str | None = None
    emails: tuple[str, ...] = ()
    maintainer: bool = False


@dataclass(frozen=True)
class Draft:
    """Everything the config file will say."""

    name: str
    language: str
    timezone: str
    first_week: int
    weeks: int
    first_deadline: dt.datetime
    late_window: dt.timedelta
    breaks: tuple[BreakDraft, ...]
    late_fine: int
    absent_fine: int
    members: tuple[MemberDraft, ...]
    columns: Columns | None
    readme_path: str
    blog_order: tuple[str, ...]
    reminder_before: dt.timedelta = DEFAULT_REMINDER
    folder_pattern: str | None = None
    undated_breaks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Onboarding:
    """The outcome: a draft when every answer is known, else the flags still to pass."""

    draft: Draft | None
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]  # flags init cannot go on without
    questions: tuple[tuple[str, str], ...] = ()  # ("login", member) / ("break", name): asked, or skipped with --yes


# ---------------------------------------------------------------- the table


def _squeeze(text: str) -> str:
    """A header or name compared without spaces, case or Unicode form."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).casefold()


def normalize(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip()


_HEADER_MD = MarkdownIt("commonmark").enable("table").disable(["inline"])


def find_columns(readme: str) -> Columns | None:
    """The first top-level table with a week and a homework column, its headers as written."""
    tokens = _HEADER_MD.parse(readme.lstrip("\ufeff"))
    for index, token in enumerate(tokens):
        if token.type != "table_open" or token.level != 0:
            continue
        names: list[str] = []
        position = index
        while tokens[position].type != "thead_close":
            if tokens[position].type == "inline":
                names.append(tokens[position].content.strip())
            position += 1
        keys = [_squeeze(re.sub(r"[*_`]", "", name)) for name in names]
        week = next((names[i] for i, key in enumerate(keys) if key in _WEEK_HEADERS), None)
        submit = next((names[i] for i, key in enumerate(keys) if key in _SUBMIT_HEADERS), None)
        blog = next((names[i] for i, key in enumerate(keys) if "블로그" in key or "blog" in key), None)
        if week and submit:
            return Columns(week, submit, blog)
    return None


def read_table(readme: str, columns: Columns) -> Table | None:
    return find_table(readme, columns.week, columns.submit, columns.blog)


def member_names(table: Table) -> list[str]:
    """Member names in the order they first appear in the submission cells."""
    seen: dict[str, str] = {}
    for row in table.rows:
        for entry in row.entries:
            name = normalize(entry.name)
            if name and _squeeze(name) not in seen:
                seen[_squeeze(name)] = name
    return list(seen.values())


# ---------------------------------------------------------------- the history


def cell_changes(header: TableHeader, patches: Iterable[PatchCommit]) -> list[CellChange]:
    """Every link a commit put into a member's cell, read from ``-U0`` hunks with the row parser.

    A changed row shows up as removed and added lines; an entry whose link is new or different
    in the added row is a change of that member's cell. Rows are matched by week.
    """
    changes: list[CellChange] = []
    for patch in patches:
        before: dict[int, dict[str, str]] = {}
        after: dict[int, dict[str, str]] = {}
        for hunk in patch.hunks:
            for lines, into in ((hunk.removed, before), (hunk.added, after)):
                for line in lines:
                    row = parse_row(header, line, -1)
                    if row is not None and row.week is not None:
                        into.setdefault(row.week, {}).update(_links(row))
        for week, links in after.items():
            old = before.get(week, {})
            for member, url in links.items():
                if url and url != old.get(member):
                    changes.append(CellChange(week, member, patch.commit.committed_at, patch.commit.author_email))
    return changes


def _links(row: Row) -> dict[str, str]:
    return {normalize(entry.name): entry.url for entry in row.entries}


def author_records(authors: Iterable[tuple[str, str, int]], changes: Iterable[CellChange]) -> list[AuthorRecord]:
    """The authors git lists, each with the member cells their commits filled."""
    cells: dict[str, dict[str, int]] = {}
    for change in changes:
        counts = cells.setdefault(change.author_email.lower(), {})
        counts[change.member] = counts.get(change.member, 0) + 1
    records = []
    for name, email, count in authors:
        counts = cells.get(email.lower(), {})
        filled = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        records.append(AuthorRecord(name, email, count, frozenset(counts), filled))
    return records


def noreply_login(email: str) -> str | None:
    match = _NOREPLY.match(email.strip())
    return match.group(1) if match else None


def _is_bot(record: AuthorRecord) -> bool:
    """Bots (``github-actions[bot]``) are nobody's account; studybot's own commits come from one."""
    return "[bot]" in record.name or "[bot]" in record.email


@dataclass
class _Member:
    name: str
    github: str | None = None
    emails: list[str] = field(default_factory=list)
    maintainer: bool = False
    commits: int = 0
    emails_seen: list[str] = field(default_factory=list)


def place_authors(names: Sequence[str], records: Iterable[AuthorRecord]) -> tuple[list[_Member], list[Finding]]:
    """Members with the logins and addresses their commits show, and who could not be placed.

    An author belongs to a member when every link they put into the table was in that member's
    cells; an author who filled nobody's cell, or several people's, belongs to the member whose
    name (or login) equals the author name without spaces. Anyone else is named, not guessed.
    """
    members = [_Member(name) for name in names]
    by_key = {_squeeze(member.name): member for member in members}
    findings: list[Finding] = []
    for record in sorted(records, key=lambda record: -record.commits):
        if _is_bot(record):
            continue
        login = noreply_login(record.email)
        member: _Member | None = None
        others: list[str] = []
        if len(record.cells) == 1:
            member = by_key.get(_squeeze(next(iter(record.cells))))
        elif _dominant(record) is not None:
            # Mostly one member's cells: theirs; the few others are reported (the report flags them too).
            member = by_key.get(_squeeze(_dominant(record) or ""))
            others = [name for name, _ in record.filled[1:]]
        if member is None:
            wanted = _squeeze(record.name)
            member = by_key.get(wanted) or next(
                (candidate for candidate in members if candidate.github and candidate.github.casefold() == wanted),
                None,
            )
        if member is None:
            findings.append(_unplaced(record))
            continue
        if login:
            clash = next((other for other in members if other.github and other.github.casefold() == login.casefold()), None)
            if clash is not None and clash is not member:
                findings.append(Finding(FindingKind.LOGIN_CLASH, {"login": login, "member": member.name, "other": clash.name}))
                continue
            if member.github and member.github.casefold() != login.casefold():
                findings.append(Finding(FindingKind.LOGIN_CLASH, {"login": login, "member": member.name, "other": member.github}))
                continue
            member.github = login
            via = f"@{login}"
        else:
            if record.email.lower() not in (email.lower() for email in member.emails):
                member.emails.append(record.email)
            via = record.email
        member.commits += record.commits
        member.emails_seen.append(record.email.lower())
        findings.append(Finding(FindingKind.AUTHOR_PLACED, {"author": record.name, "via": via, "member": member.name}))
        if others:
            findings.append(Finding(FindingKind.ALSO_FILLED, {"author": via, "member": member.name, "others": ", ".join(others)}))
    return members, findings


def _dominant(record: AuthorRecord) -> str | None:
    """The member whose cells an author filled at least twice, and twice as often as anyone else's."""
    if len(record.filled) < 2:
        return None
    (top, count), (_, second) = record.filled[0], record.filled[1]
    return top if count >= 2 and count >= 2 * second else None


def _unplaced(record: AuthorRecord) -> Finding:
    cells = ", ".join(sorted(record.cells)) or "-"
    return Finding(
        FindingKind.AUTHOR_UNPLACED,
        {"author": record.name, "email": record.email, "commits": record.commits, "cells": cells},
    )


# ---------------------------------------------------------------- week folders

_WEEK_SEGMENT = re.compile(
    r"^(?P<pre>(?:week|wk|w)?[ _-]?)(?P<num>0*\d{1,2})(?P<post>주차|주|회차|차시)?"
    r"(?:\s*[,~-]\s*(?:week|wk|w)?[ _-]?0*\d{1,2}(?P<post2>주차|주|회차|차시)?)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_NOT_MEMBERS = {".github", ".studybot", "config", "docs", "doc", "assets", "images", "image", "img", "src", "resources"}
_PLACEHOLDER_FILES = {"readme.md", ".gitkeep", ".keep"}


@dataclass(frozen=True)
class FolderLayout:
    """How a study keeps homework in folders: the pattern, the member folder names, the weeks seen."""

    pattern: str
    names: tuple[str, ...]
    weeks: tuple[int, ...]
    example: str  # one folder as written, shown to the leader
    member_first: bool = False

    def place(self, path: str) -> tuple[int, str] | None:
        """The (week, member folder name) a file path belongs to under this layout."""
        found = _folder_slot(path, self.member_first)
        if found is None or found[2] != self.pattern:
            return None
        week, name, _ = found
        return (week, name) if name in self.names else None


def _week_template(segment: str) -> tuple[int, str] | None:
    match = _WEEK_SEGMENT.match(unicodedata.normalize("NFC", segment))
    if match is None:
        return None
    pre, post, rest = match.group("pre"), match.group("post") or match.group("post2") or "", match.group("rest")
    if not pre.strip(" _-") and not post:
        return None  # a bare number is no week folder (``2023/``, ``01_intro``)
    if rest and not post and rest[0] not in " _-(":
        return None  # ``week1x``, ``w1.5``: text glued to the number
    return int(match.group("num")), pre + "{week}" + post + ("*" if rest else "")


def _folder_slot(path: str, member_first: bool) -> tuple[int, str, str] | None:
    parts = unicodedata.normalize("NFC", path).split("/")
    if len(parts) < 3:
        return None
    week_at, name_at = (1, 0) if member_first else (0, 1)
    found = _week_template(parts[week_at])
    name = parts[name_at].strip()
    if found is None or not name or name.casefold() in _NOT_MEMBERS or _week_template(name) is not None:
        return None
    week, template = found
    pattern = f"{{name}}/{template}/" if member_first else f"{template}/{{name}}/"
    return week, name, pattern


def infer_folders(paths: Iterable[str]) -> FolderLayout | None:
    """The week-folder layout most files follow (``1주차/민우/``, ``minwoo/1주차/``, ``week_1/민우/`` …)."""
    votes: dict[tuple[str, bool], dict[str, object]] = {}
    for path in paths:
        for member_first in (False, True):
            found = _folder_slot(path, member_first)
            if found is None:
                continue
            week, name, pattern = found
            entry = votes.setdefault((pattern, member_first), {"files": 0, "names": {}, "weeks": set(), "example": ""})
            entry["files"] = int(entry["files"]) + 1  # type: ignore[call-overload]
            names = entry["names"]
            assert isinstance(names, dict)
            names.setdefault(_squeeze(name), name)
            weeks = entry["weeks"]
            assert isinstance(weeks, set)
            weeks.add(week)
            if not entry["example"]:
                entry["example"] = "/".join(path.split("/")[:2]) + "/"
    if not votes:
        return None
    # Most files win; a member-first reading needs several members, or a week-first tree reads as one.
    (pattern, member_first), entry = max(
        votes.items(), key=lambda item: (item[1]["files"], len(item[1]["names"]), not item[0][1])  # type: ignore[arg-type]
    )
    names, weeks = entry["names"], entry["weeks"]
    assert isinstance(names, dict) and isinstance(weeks, set)
    return FolderLayout(pattern, tuple(sorted(names.values())), tuple(sorted(weeks)), str(entry["example"]), member_first)


def folder_hand_ins(layout: FolderLayout, commits: Iterable[tuple[str, dt.datetime, Sequence[str]]]) -> list[CellChange]:
    """The first commit that put a file (not a placeholder README or .gitkeep) into each member's week folder.

    ``commits`` are (author email, time, paths added or changed), oldest first.
    """
    seen: set[tuple[int, str]] = set()
    changes: list[CellChange] = []
    for email, at, paths in commits:
        for path in paths:
            if path.rsplit("/", 1)[-1].casefold() in _PLACEHOLDER_FILES:
                continue
            slot = layout.place(path)
            if slot is None or slot in seen:
                continue
            seen.add(slot)
            changes.append(CellChange(slot[0], slot[1], at, email))
    return changes


# ---------------------------------------------------------------- members listed in the README

_MEMBER_HEADING = re.compile(r"멤버|참여|구성원|팀원|스터디원|member|participant|people", re.IGNORECASE)
_GITHUB_URL = re.compile(r"https?://(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(?=[/)?#\s]|$)", re.IGNORECASE)
_NOT_LOGINS = {"orgs", "settings", "features", "topics", "collections", "about", "pricing", "apps", "marketplace", "sponsors"}
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_AT_LOGIN = re.compile(r"@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\b")


def listed_members(readme: str) -> list[tuple[str, str | None, str]]:
    """Members a README lists under a heading such as ``## 멤버``: (name, login or None, line)."""
    found: list[tuple[str, str | None, str]] = []
    inside = False
    for line in readme.splitlines():
        heading = re.match(r"^\s*#{1,6}\s+(.*)$", line)
        if heading:
            inside = bool(_MEMBER_HEADING.search(heading.group(1)))
            continue
        item = _ITEM.match(line)
        if not inside or item is None:
            continue
        text = item.group(1)
        url = _GITHUB_URL.search(text)
        at = _AT_LOGIN.search(text)
        login = url.group(1) if url and url.group(1).lower() not in _NOT_LOGINS else (at.group(1) if at else None)
        name = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        name = _AT_LOGIN.sub("", _GITHUB_URL.sub("", name))
        words = re.sub(r"[*_`()\[\]:|,-]+", " ", name).split()
        if words:
            found.append((normalize(words[0]), login, line.strip()))
        elif login:
            found.append((login, login, line.strip()))
    return found


def linked_logins(readme: str, names: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Logins the README names for members: a ``[이은빈](https://github.com/binable43/…)`` link.

    A member whose links point at one account, and only at it, gets that account with the line it came from.
    """
    keys = {_squeeze(name): name for name in names}
    seen: dict[str, dict[str, str]] = {}
    for line in readme.splitlines():
        for text, url in re.findall(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", line):
            name = keys.get(_squeeze(text))
            match = _GITHUB_URL.match(url)
            if name is None or match is None or match.group(1).lower() in _NOT_LOGINS:
                continue
            seen.setdefault(name, {}).setdefault(match.group(1).casefold(), line.strip())
            seen[name].setdefault("\0" + match.group(1).casefold(), match.group(1))
    result: dict[str, tuple[str, str]] = {}
    for name, logins in seen.items():
        accounts = [key for key in logins if not key.startswith("\0")]
        if len(accounts) == 1:
            result[name] = (logins["\0" + accounts[0]], logins[accounts[0]])
    return result


# ---------------------------------------------------------------- the rules text

_KO_DAYS = "월화수목금토일"
_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_KO_TIME = r"(자정|(오전|오후|낮|밤|저녁|새벽)?\s*(\d{1,2})\s*시(?:\s*(\d{1,2})\s*분)?)"
_KO_WHEN = re.compile(r"([월화수목금토일])요일\s*" + _KO_TIME)
_EN_WHEN = re.compile(
    r"(" + "|".join(_EN_DAYS) + r")s?\s*(?:at\s*)?(midnight|noon|(\d{1,2})(?::(\d{2}))?\s*(am|pm)?)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WeeklyTime:
    """A weekday (Monday 0) and a time of day; "Wednesday midnight" is Wednesday 00:00."""

    weekday: int
    time: dt.time

    def minutes(self) -> int:
        return self.weekday * 1440 + self.time.hour * 60 + self.time.minute


def _plain_lines(readme: str) -> list[str]:
    return [re.sub(r"[*_`~]", "", line) for line in readme.splitlines()]


def _ko_time(match: re.Match[str]) -> WeeklyTime | None:
    weekday = _KO_DAYS.index(match.group(1))
    if match.group(2) == "자정":
        return WeeklyTime(weekday, dt.time(0, 0))
    period, hour, minute = match.group(3), int(match.group(4)), int(match.group(5) or 0)
    if hour > 24 or minute > 59:
        return None
    if (period in ("오후", "밤", "저녁") and hour < 12) or (period == "밤" and hour == 12):
        hour += 12
    elif period in ("오전", "새벽") and hour == 12:
        hour = 0
    if hour >= 24:  # 밤 12시 is the midnight at the end of that day
        return WeeklyTime((weekday + 1) % 7, dt.time(0, 0))
    return WeeklyTime(weekday, dt.time(hour, minute))


def _en_time(match: re.Match[str]) -> WeeklyTime | None:
    weekday = _EN_DAYS.index(match.group(1).lower())
    word = match.group(2).lower()
    if word == "midnight":
        return WeeklyTime(weekday, dt.time(0, 0))
    if word == "noon":
        return WeeklyTime(weekday, dt.time(12, 0))
    hour, minute, half = int(match.group(3)), int(match.group(4) or 0), (match.group(5) or "").lower()
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return WeeklyTime(weekday, dt.time(hour, minute))


def _weekly_times(line: str) -> list[WeeklyTime]:
    found = [_ko_time(match) for match in _KO_WHEN.finditer(line)]
    found += [_en_time(match) for match in _EN_WHEN.finditer(line)]
    return [item for item in found if item is not None]


_DEADLINE_WORDS = re.compile(r"과제|제출|마감|due|deadline|submit", re.IGNORECASE)
_ABSENT_WORDS = re.compile(r"결석|미제출|absent", re.IGNORECASE)


def weekly_deadline(readme: str) -> WeeklyTime | None:
    """The weekly deadline the rules state, e.g. ``매주 수요일 자정`` → Wednesday 00:00."""
    found = deadline_rule(readme)
    return found[0] if found else None


def deadline_rule(readme: str) -> tuple[WeeklyTime, str] | None:
    """The weekly deadline and the README line that states it."""
    for line, plain in _lines(readme):
        if _DEADLINE_WORDS.search(plain) and not _ABSENT_WORDS.search(plain):
            times = _weekly_times(plain)
            if times:
                return times[0], line
    return None


def absence_cutoff(readme: str) -> WeeklyTime | None:
    """When nothing handed in means absent, e.g. ``수요일 낮 12시 전까지 과제 미제출 = 과제 결석``."""
    found = cutoff_rule(readme)
    return found[0] if found else None


def cutoff_rule(readme: str) -> tuple[WeeklyTime, str] | None:
    for line, plain in _lines(readme):
        if _ABSENT_WORDS.search(plain):
            times = _weekly_times(plain)
            if times:
                return times[0], line
    return None


def _lines(readme: str) -> list[tuple[str, str]]:
    """Each README line as written (trimmed) with its plain text (emphasis marks removed)."""
    return [(line.strip(), plain) for line, plain in zip(readme.splitlines(), _plain_lines(readme), strict=True)]


_NEXT_DAY = re.compile(r"다음\s*날\s*(오전|오후|낮|밤|저녁|새벽)?\s*(\d{1,2})\s*시|next\s+day\s+(?:at\s+)?(\d{1,2})\s*(am|pm)?", re.IGNORECASE)
_NEXT_WEEK = re.compile(r"다음\s*주\s*(?:인증일|마감|제출일|스터디)|next\s+(?:week'?s?\s+)?deadline", re.IGNORECASE)
_LATE_WORDS = re.compile(r"지각|늦|late", re.IGNORECASE)


def late_window_rule(readme: str, weekly: WeeklyTime | None) -> tuple[dt.timedelta, str] | None:
    """A late window the rules state in words relative to the deadline.

    ``다음날 12시까지`` is noon of the day after the deadline's day, where a deadline at 00:00
    closes the day before (``일요일 자정`` → Monday 00:00, so the next day is Monday);
    ``다음주 인증일까지`` is until the next week's deadline (7 days).
    """
    for line, plain in _lines(readme):
        if not _LATE_WORDS.search(plain):
            continue
        if _NEXT_WEEK.search(plain):
            return dt.timedelta(days=7), line
        match = _NEXT_DAY.search(plain)
        if match and weekly is not None:
            if match.group(2):
                period, hour = match.group(1), int(match.group(2))
                if period in ("오후", "밤", "저녁") and hour < 12:
                    hour += 12
            else:
                hour = int(match.group(3))
                if (match.group(4) or "").lower() == "pm" and hour < 12:
                    hour += 12
            if hour > 24:
                continue
            deadline = weekly.time.hour * 60 + weekly.time.minute
            day_after = 0 if deadline == 0 else 1440  # midnight closes the day before
            gap = day_after + hour * 60 - deadline
            if gap > 0:
                return dt.timedelta(minutes=gap), line
    return None


_AMOUNT = r"[^\d\n]{0,30}?(?:₩|KRW|\$|USD)?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*(?:원|KRW|won|\b)"
_LATE_FINE = re.compile(r"(?:지각|late)" + _AMOUNT, re.IGNORECASE)
_ABSENT_FINE = re.compile(r"(?:결석|미제출|absen(?:t|ce)|missed)" + _AMOUNT, re.IGNORECASE)


def stated_fines(readme: str) -> tuple[int | None, int | None]:
    """The late and absence fines the rules state (``지각 제출: 3000원``), where they do."""
    late, absent, _ = fine_rules(readme)
    return late, absent


def fine_rules(readme: str) -> tuple[int | None, int | None, str]:
    """The fines and the README line(s) that state them."""
    late = absent = None
    sources: list[str] = []
    for line, plain in _lines(readme):
        found_late, found_absent = _LATE_FINE.search(plain), _ABSENT_FINE.search(plain)
        if late is None and found_late:
            late = int(found_late.group(1).replace(",", ""))
            sources.append(line)
        if absent is None and found_absent:
            absent = int(found_absent.group(1).replace(",", ""))
            if line not in sources:
                sources.append(line)
    return late, absent, " / ".join(sources)


_BREAK_NAMES = (("중간", "중간고사"), ("기말", "기말고사"), ("midterm", "Midterms"), ("final", "Finals"))
_BREAK_LINE = re.compile(r"시험|방학|쉬|휴식|break|exam|off", re.IGNORECASE)
_BREAK_WEEKS = re.compile(r"(\d+)\s*(?:주|weeks?)", re.IGNORECASE)


@dataclass(frozen=True)
class StatedBreak:
    """A break the rules name (``중간, 기말 각각 2주간``) without dates: its name and length."""

    name: str
    weeks: int | None
    source: str


def stated_breaks(readme: str) -> list[StatedBreak]:
    """The exam breaks the rules mention, in the order they come in a term."""
    for line, plain in _lines(readme):
        if not _BREAK_LINE.search(plain):
            continue
        names = [name for word, name in _BREAK_NAMES if word in plain.lower()]
        if names:
            weeks = _BREAK_WEEKS.search(plain)
            return [StatedBreak(name, int(weeks.group(1)) if weeks else None, line) for name in names]
    return []


# ---------------------------------------------------------------- dates


def _local(instant: dt.datetime, zone: str) -> dt.datetime:
    """The naive local wall time of an aware instant."""
    return instant.astimezone(pytz.timezone(zone)).replace(tzinfo=None)


def _median(instants: Sequence[dt.datetime]) -> dt.datetime:
    ordered = sorted(instants)
    return ordered[(len(ordered) - 1) // 2]


def anchor_deadline(weekly: WeeklyTime, submitted: Sequence[dt.datetime]) -> dt.datetime:
    """The first ``weekly`` instant after most of the first week's links (local, naive).

    The median, not the earliest: a member who handed in a week early must not move the
    deadline a week forward, and one who was late must not move it back.
    """
    middle = _median(submitted)
    candidate = dt.datetime.combine(middle.date(), weekly.time) + dt.timedelta(days=(weekly.weekday - middle.weekday()) % 7)
    return candidate if candidate > middle else candidate + dt.timedelta(weeks=1)


def infer_breaks(
    first_deadline: dt.datetime,
    first_week: int,
    by_week: Mapping[int, Sequence[dt.datetime]],
    language: str,
) -> tuple[tuple[BreakDraft, ...], bool]:
    """Breaks shown by gaps: consecutive weeks whose links came more than a deadline apart.

    Each week with links is placed at the first weekly deadline after most of its links. When
    consecutive weeks sit further apart than one deadline, the deadlines between were a break.
    Returns the breaks and whether the history was clear enough to judge (False: no breaks).
    """
    slots: dict[int, int] = {}
    for week, instants in by_week.items():
        if week < first_week or not instants:
            continue
        delta = _median(instants) - first_deadline
        slots[week] = 0 if delta < dt.timedelta(0) else delta // dt.timedelta(weeks=1) + 1
    breaks: list[BreakDraft] = []
    name = "휴식" if language == "ko" else "Break"
    weeks = sorted(slots)
    for previous, week in itertools.pairwise(weeks):
        expected = slots[previous] + (week - previous)
        if slots[week] < expected:
            return (), False
        if slots[week] > expected and week == previous + 1:
            start = first_deadline + dt.timedelta(weeks=slots[previous])
            end = first_deadline + dt.timedelta(weeks=slots[week])
            breaks.append(BreakDraft(start.date() + dt.timedelta(days=1), end.date() - dt.timedelta(days=1), name))
        elif slots[week] > expected:
            return (), False  # weeks without links in between: the gap could be anywhere
    return tuple(breaks), True


# ---------------------------------------------------------------- putting it together


def onboard(
    readme: str,
    columns: Columns | None,
    records: Sequence[AuthorRecord],
    changes: Sequence[CellChange],
    answers: Answers,
    fallback_name: str,
    readme_path: str = "README.md",
    has_history: bool = True,
    *,
    creator: str | None = None,
    folders: FolderLayout | None = None,
) -> Onboarding:
    """The config a study's README and history imply, with what was inferred and what is missing.

    ``columns`` is the homework table (None when there is none), ``folders`` the week-folder
    layout; with neither, members come from a list in the README (a comment study).
    ``creator`` is the address of the repository's first commit, whose author set the study up.
    """
    table = read_table(readme, columns) if columns is not None else None
    language = answers.language or _language(readme, columns)
    zone = answers.timezone or DEFAULT_TIMEZONE
    findings: list[Finding] = []
    missing: list[str] = []
    questions: list[tuple[str, str]] = []

    listed: list[tuple[str, str | None, str]] = []
    if table is not None:
        week_numbers = sorted({row.week for row in table.rows if row.week is not None})
        names = member_names(table)
    elif folders is not None:
        week_numbers = list(folders.weeks)
        names = list(folders.names)
        findings.append(
            Finding(FindingKind.FOLDERS_FOUND, {"pattern": answers.pattern or folders.pattern, "members": len(names)}, folders.example)
        )
    else:
        week_numbers = []
        listed = listed_members(readme)
        names = [name for name, _, _ in listed]
        if listed:
            findings.append(Finding(FindingKind.MEMBERS_FROM_LIST, {"members": ", ".join(names)}, listed[0][2]))
    first_week = max(1, week_numbers[0]) if week_numbers else 1  # a 0주차 row is orientation
    last_week = week_numbers[-1] if week_numbers else first_week
    weeks = answers.weeks or max(1, last_week - first_week + 1)
    if not week_numbers and answers.weeks is None:
        stated = re.search(r"(\d{1,2})\s*(?:주\s*(?:간|동안)|weeks)", readme)
        if stated:
            weeks = int(stated.group(1))
        else:
            missing.append("--weeks")

    members, placed = place_authors(names, records)
    findings += placed
    for name, login, line in listed:
        member = next(m for m in members if m.name == name)
        if login and member.github is None and not any(m.github and m.github.casefold() == login.casefold() for m in members):
            member.github = login
            findings.append(Finding(FindingKind.LOGIN_FROM_LINK, {"member": name, "login": login}, line))
    for name, (login, line) in linked_logins(readme, names).items():
        member = next(m for m in members if m.name == name)
        if member.github is None and not any(m.github and m.github.casefold() == login.casefold() for m in members):
            member.github = login
            findings.append(Finding(FindingKind.LOGIN_FROM_LINK, {"member": name, "login": login}, line))
    if not has_history:
        findings.append(Finding(FindingKind.NO_HISTORY, {"path": readme_path}))

    by_week: dict[int, list[dt.datetime]] = {}
    for change in changes:
        by_week.setdefault(change.week, []).append(_local(change.at, zone))

    rule = deadline_rule(readme)
    weekly = rule[0] if rule else None
    first_deadline = answers.first_deadline
    if first_deadline is not None:
        findings.append(Finding(FindingKind.DEADLINE_GIVEN, {"when": f"{first_deadline:%Y-%m-%d %H:%M}"}))
    elif rule is not None and by_week.get(first_week):
        first_deadline = anchor_deadline(rule[0], by_week[first_week])
        findings.append(
            Finding(FindingKind.DEADLINE_FROM_TEXT, {"when": f"{first_deadline:%Y-%m-%d %H:%M}", "week": first_week}, rule[1])
        )
    else:
        missing.append("--deadline")

    late_window = answers.late_window
    cutoff = cutoff_rule(readme)
    if late_window is None and weekly is not None and cutoff is not None:
        gap = (cutoff[0].minutes() - weekly.minutes()) % (7 * 1440)
        if 0 < gap < 7 * 1440:
            late_window = dt.timedelta(minutes=gap)
            findings.append(Finding(FindingKind.LATE_WINDOW_FROM_TEXT, {"window": format_duration(late_window)}, cutoff[1]))
    if late_window is None:
        worded = late_window_rule(readme, weekly)
        if worded is not None:
            late_window = worded[0]
            findings.append(Finding(FindingKind.LATE_WINDOW_FROM_TEXT, {"window": format_duration(late_window)}, worded[1]))
    late_window = late_window if late_window is not None else DEFAULT_LATE_WINDOW

    stated_late, stated_absent, fine_source = fine_rules(readme)
    default_late, default_absent = DEFAULT_FINES[language]
    late_fine = answers.late_fine if answers.late_fine is not None else stated_late
    absent_fine = answers.absent_fine if answers.absent_fine is not None else stated_absent
    if answers.late_fine is None and answers.absent_fine is None and stated_late is not None and stated_absent is not None:
        findings.append(Finding(FindingKind.FINES_FROM_TEXT, {"late": stated_late, "absent": stated_absent}, fine_source))
    elif late_fine is None or absent_fine is None:
        findings.append(Finding(FindingKind.FINES_DEFAULT, {"late": late_fine or default_late, "absent": absent_fine or default_absent}))
    late_fine = default_late if late_fine is None else late_fine
    absent_fine = default_absent if absent_fine is None else absent_fine

    breaks, break_findings, undated = _breaks(readme, answers, first_deadline, first_week, by_week, language)
    findings += break_findings
    questions += [("break", name) for name in undated]

    _add_logins(members, answers.logins)
    leader, leader_findings = _choose_leader(members, answers.maintainers, creator, records)
    findings += leader_findings
    if leader == "ask":
        missing.append("--leader")
    for member in members:
        if member.github is None:
            findings.append(Finding(FindingKind.NO_LOGIN, {"member": member.name}))
            questions.append(("login", member.name))

    order = _blog_order(table, names, first_week) if table is not None and columns is not None and columns.blog else ()
    if order:
        findings.append(Finding(FindingKind.ROTATION_INFERRED, {"order": ", ".join(order)}))

    if missing or first_deadline is None:
        return Onboarding(None, tuple(findings), tuple(missing), tuple(questions))
    pattern = answers.pattern or (folders.pattern if folders is not None else None)
    draft = Draft(
        name=answers.name or _title(readme) or fallback_name,
        language=language,
        timezone=zone,
        first_week=first_week,
        weeks=weeks,
        first_deadline=first_deadline,
        late_window=late_window,
        breaks=breaks,
        late_fine=late_fine,
        absent_fine=absent_fine,
        members=tuple(MemberDraft(m.name, m.github, tuple(m.emails), m.maintainer) for m in members),
        columns=columns,
        readme_path=readme_path,
        blog_order=order,
        folder_pattern=pattern,
        undated_breaks=tuple(undated),
    )
    return Onboarding(draft, tuple(findings), (), tuple(questions))


def _language(readme: str, columns: Columns | None) -> str:
    sample = columns.week + columns.submit if columns is not None else readme
    return "ko" if re.search(r"[가-힣]", sample) else "en"


def _breaks(
    readme: str,
    answers: Answers,
    first_deadline: dt.datetime | None,
    first_week: int,
    by_week: Mapping[int, Sequence[dt.datetime]],
    language: str,
) -> tuple[tuple[BreakDraft, ...], list[Finding], list[str]]:
    """Breaks from the history's gaps, named by the rules (``중간, 기말``), plus the ones given.

    A break the rules name whose dates neither the history nor the leader gave is returned as
    undated: the leader is asked for it, and the config says it is missing.
    """
    stated = stated_breaks(readme)
    findings: list[Finding] = []
    found: list[BreakDraft] = []
    if first_deadline is not None and by_week:
        gaps, clear = infer_breaks(first_deadline, first_week, by_week, language)
        for index, item in enumerate(gaps):
            name = stated[index].name if index < len(stated) else item.name
            found.append(BreakDraft(item.start, item.end, name))
            findings.append(
                Finding(FindingKind.BREAK_INFERRED, {"start": item.start, "end": item.end, "name": name},
                        stated[index].source if index < len(stated) else "")
            )
        if not clear:
            findings.append(Finding(FindingKind.BREAKS_UNCLEAR, {}))
    given = list(answers.breaks or ())
    default = "휴식" if language == "ko" else "Break"
    named = [BreakDraft(item.start, item.end, item.name or _next_name(stated, found + given, default)) for item in given]
    given_names = {item.name for item in named}
    breaks = sorted([item for item in found if item.name not in given_names] + named, key=lambda item: item.start)
    undated = [item.name for item in stated if item.name not in {b.name for b in breaks}]
    for name in undated:
        said = next(entry for entry in stated if entry.name == name)
        findings.append(Finding(FindingKind.BREAK_UNDATED, {"name": name, "weeks": said.weeks or "?"}, said.source))
    return tuple(breaks), findings, undated


def _next_name(stated: Sequence[StatedBreak], taken: Sequence[BreakDraft], default: str) -> str:
    """A given break without a name takes the first stated name not yet dated."""
    names = {item.name for item in taken}
    return next((item.name for item in stated if item.name not in names), default)


def _choose_leader(
    members: list[_Member], wanted: Sequence[str], creator: str | None, records: Sequence[AuthorRecord]
) -> tuple[str, list[Finding]]:
    """The 스터디장: the one named, else the repository's creator; "ask" when that is no member."""
    if wanted:
        return "given", _choose_maintainers(members, wanted)
    if creator is None:
        return "guessed", _choose_maintainers(members, wanted)
    key = creator.lower()
    login = noreply_login(creator)
    match = next(
        (m for m in members if key in m.emails_seen or (login and m.github and m.github.casefold() == login.casefold())),
        None,
    )
    if match is not None:
        match.maintainer = True
        return "creator", [Finding(FindingKind.LEADER_CREATOR, {"member": match.name, "author": creator})]
    author = next((record.name for record in records if record.email.lower() == key), creator)
    return "ask", [Finding(FindingKind.LEADER_UNSURE, {"author": f"{author} <{creator}>"})]


def _add_logins(members: list[_Member], logins: Iterable[tuple[str, str]]) -> None:
    """Logins the leader typed for members the history did not show; a login used already is skipped."""
    for name, login in logins:
        taken = {m.github.casefold() for m in members if m.github}
        member = next((m for m in members if m.name == name), None)
        if member is not None and member.github is None and login.casefold() not in taken:
            member.github = login


def _choose_maintainers(members: list[_Member], wanted: Sequence[str]) -> list[Finding]:
    findings: list[Finding] = []
    for item in wanted:
        key = _squeeze(item.lstrip("@"))
        match = next(
            (m for m in members if _squeeze(m.name) == key or (m.github and m.github.casefold() == key)), None
        )
        if match is None:
            findings.append(Finding(FindingKind.MAINTAINER_UNKNOWN, {"login": item}))
        else:
            match.maintainer = True
    if wanted:
        return findings
    # The one who made most of the README's commits usually set the study up.
    busiest = max((m for m in members if m.commits), key=lambda m: m.commits, default=None)
    if busiest is None:
        return [Finding(FindingKind.NO_MAINTAINER, {})]
    busiest.maintainer = True
    return [Finding(FindingKind.MAINTAINER_GUESSED, {"member": busiest.name})]


def _blog_order(table: Table, names: Sequence[str], first_week: int) -> tuple[str, ...]:
    """The rotation the blog column shows: its names week by week until one comes round again."""
    known = {_squeeze(name): name for name in names}
    order: list[str] = []
    for row in sorted(table.rows, key=lambda row: row.week or 0):
        if row.week is None or row.week < first_week or row.blog is None or not row.blog.name:
            continue
        name = known.get(_squeeze(row.blog.name))
        if name is None:
            continue
        if name in order:
            break
        order.append(name)
    order += [name for name in names if name not in order]
    return tuple(order)


def _title(readme: str) -> str | None:
    for line in readme.lstrip("\ufeff").splitlines():
        match = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
        if match:
            title = re.sub(r"[*_`]", "", match.group(1)).strip()
            return title[:100] or None
    return None


# ---------------------------------------------------------------- the config text


def format_duration(value: dt.timedelta) -> str:
    """``12h``, ``1d``, ``1h30m``: the way the config's durations are written."""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text or "0h"


_PLAIN = re.compile(r"^[\w가-힣][\w가-힣 .\-]*$")
_RESERVED = re.compile(r"^(?:y|n|yes|no|true|false|on|off|null|~|[-+]?[\d._]+(?:e[-+]?\d+)?)$", re.IGNORECASE)


def scalar(text: str) -> str:
    """A YAML scalar for ``text``: plain when that reads back as the same string, else quoted."""
    if _PLAIN.match(text) and not _RESERVED.match(text) and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def _member_line(member: MemberDraft) -> str:
    parts = [f"name: {scalar(member.name)}"]
    if member.github:
        parts.append(f"github: {member.github}")
    if member.maintainer:
        parts.append("maintainer: true")
    if member.emails:
        parts.append("emails: [" + ", ".join(json.dumps(email, ensure_ascii=False) for email in member.emails) + "]")
    return "  - {" + ", ".join(parts) + "}"


def render_config(draft: Draft, messages: Messages) -> str:
    """The config file: the contract keys in the order of the shipped example, with comments."""
    t = messages.t
    columns = draft.columns
    title = "[{week}주차] Q&A" if draft.language == "ko" else "Week {week} Q&A"
    lines = [
        f"# {t('init.config.header', study=draft.name)}",
        f"# {t('init.config.edit')}",
        "study:",
        f"  name: {scalar(draft.name)}",
        f"  language: {draft.language}                 # {t('init.config.language')}",
        f"  timezone: {draft.timezone}         # {t('init.config.timezone')}",
        "  currency: KRW",
        "schedule:",
        f"  first_week: {draft.first_week}",
        f"  weeks: {draft.weeks}",
        f"  first_deadline: {draft.first_deadline:%Y-%m-%d %H:%M}   # {t('init.config.first_deadline', week=draft.first_week)}",
        f"  late_window: {format_duration(draft.late_window)}             # {t('init.config.late_window')}",
    ]
    if draft.breaks:
        lines.append(f"  breaks:                      # {t('init.config.breaks')}")
        lines += [f"    - {{from: {b.start}, to: {b.end}, name: {scalar(b.name)}}}" for b in draft.breaks]
    else:
        lines.append(f"  breaks: []                   # {t('init.config.breaks_none')}")
    lines += [f"  # {t('init.config.break_undated', name=name)}" for name in draft.undated_breaks]
    lines += [
        f"fines: {{late: {draft.late_fine}, absent: {draft.absent_fine}}}",
        f"settlement: {{exclude: last_place}}    # {t('init.config.settlement')}",
        f"members:                       # {t('init.config.members')}",
    ]
    for member in draft.members:
        line = _member_line(member)
        if member.github is None:
            line += f"   # {t('init.config.no_login')}"
        lines.append(line)
    lines.append("submissions:")
    if columns is not None:
        lines.append(
            f"  readme: {{enabled: true, path: {scalar(draft.readme_path)}, week_column: {scalar(columns.week)}, column: {scalar(columns.submit)}}}"
        )
    else:
        lines.append(f"  readme: {{enabled: false}}     # {t('init.config.no_table')}")
    lines.append("  issues: {enabled: true}")
    if draft.folder_pattern is not None:
        lines.append(f"  folders: {{enabled: true, pattern: {json.dumps(draft.folder_pattern, ensure_ascii=False)}}}")
    lines.append(f"  timing: landed               # {t('init.config.timing')}")
    if columns is not None and columns.blog and draft.blog_order:
        order = ", ".join(scalar(name) for name in draft.blog_order)
        lines += [
            "rotation:",
            f"  team_blog: {{order: [{order}], readme_column: {scalar(columns.blog)}}}",
        ]
    lines += [
        "qna:",
        f"  title: {json.dumps(title, ensure_ascii=False)}",
        "  labels: [Q&A]",
        "  close_labeled: [question]",
        f"  reminder_before: {format_duration(draft.reminder_before)}           # {t('init.config.reminder')}",
        "excuses: []",
        f"output: {{readme: {scalar(draft.readme_path)}, ledger: .studybot/ledger.json}}",
    ]
    return "\n".join(lines) + "\n"
