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


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    fields: Mapping[str, object] = field(default_factory=dict)

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
    columns: Columns
    readme_path: str
    blog_order: tuple[str, ...]
    reminder_before: dt.timedelta = DEFAULT_REMINDER


@dataclass(frozen=True)
class Onboarding:
    """The outcome: a draft when every answer is known, else the flags still to pass."""

    draft: Draft | None
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]


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
    cells: dict[str, set[str]] = {}
    for change in changes:
        cells.setdefault(change.author_email.lower(), set()).add(change.member)
    return [
        AuthorRecord(name, email, count, frozenset(cells.get(email.lower(), ())))
        for name, email, count in authors
    ]


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
        if len(record.cells) == 1:
            member = by_key.get(_squeeze(next(iter(record.cells))))
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
        findings.append(Finding(FindingKind.AUTHOR_PLACED, {"author": record.name, "via": via, "member": member.name}))
    return members, findings


def _unplaced(record: AuthorRecord) -> Finding:
    cells = ", ".join(sorted(record.cells)) or "-"
    return Finding(
        FindingKind.AUTHOR_UNPLACED,
        {"author": record.name, "email": record.email, "commits": record.commits, "cells": cells},
    )


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
    for line in _plain_lines(readme):
        if _DEADLINE_WORDS.search(line) and not _ABSENT_WORDS.search(line):
            times = _weekly_times(line)
            if times:
                return times[0]
    return None


def absence_cutoff(readme: str) -> WeeklyTime | None:
    """When nothing handed in means absent, e.g. ``수요일 낮 12시 전까지 과제 미제출 = 과제 결석``."""
    for line in _plain_lines(readme):
        if _ABSENT_WORDS.search(line):
            times = _weekly_times(line)
            if times:
                return times[0]
    return None


_AMOUNT = r"[^\d\n]{0,30}?(?:₩|KRW|\$|USD)?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*(?:원|KRW|won|\b)"
_LATE_FINE = re.compile(r"(?:지각|late)" + _AMOUNT, re.IGNORECASE)
_ABSENT_FINE = re.compile(r"(?:결석|absen(?:t|ce))" + _AMOUNT, re.IGNORECASE)


def stated_fines(readme: str) -> tuple[int | None, int | None]:
    """The late and absence fines the rules state (``지각 제출: 3000원``), where they do."""
    text = "\n".join(_plain_lines(readme))
    late = _LATE_FINE.search(text)
    absent = _ABSENT_FINE.search(text)
    return (
        int(late.group(1).replace(",", "")) if late else None,
        int(absent.group(1).replace(",", "")) if absent else None,
    )


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
    columns: Columns,
    records: Sequence[AuthorRecord],
    changes: Sequence[CellChange],
    answers: Answers,
    fallback_name: str,
    readme_path: str = "README.md",
    has_history: bool = True,
) -> Onboarding:
    """The config a study's README and history imply, with what was inferred and what is missing."""
    table = read_table(readme, columns)
    assert table is not None, "find_columns found this table"
    language = answers.language or ("ko" if re.search(r"[가-힣]", columns.week + columns.submit) else "en")
    zone = answers.timezone or DEFAULT_TIMEZONE
    findings: list[Finding] = []
    missing: list[str] = []

    week_numbers = sorted({row.week for row in table.rows if row.week is not None})
    first_week = max(1, week_numbers[0]) if week_numbers else 1  # a 0주차 row is orientation
    last_week = week_numbers[-1] if week_numbers else first_week
    weeks = max(1, last_week - first_week + 1)

    names = member_names(table)
    members, placed = place_authors(names, records)
    findings += placed
    if not has_history:
        findings.append(Finding(FindingKind.NO_HISTORY, {"path": readme_path}))

    by_week: dict[int, list[dt.datetime]] = {}
    for change in changes:
        by_week.setdefault(change.week, []).append(_local(change.at, zone))

    weekly = weekly_deadline(readme)
    first_deadline = answers.first_deadline
    if first_deadline is not None:
        findings.append(Finding(FindingKind.DEADLINE_GIVEN, {"when": f"{first_deadline:%Y-%m-%d %H:%M}"}))
    elif weekly is not None and by_week.get(first_week):
        first_deadline = anchor_deadline(weekly, by_week[first_week])
        findings.append(
            Finding(FindingKind.DEADLINE_FROM_TEXT, {"when": f"{first_deadline:%Y-%m-%d %H:%M}", "week": first_week})
        )
    else:
        missing.append("--first-deadline")

    late_window = answers.late_window
    cutoff = absence_cutoff(readme)
    if late_window is None and weekly is not None and cutoff is not None:
        gap = (cutoff.minutes() - weekly.minutes()) % (7 * 1440)
        if 0 < gap < 7 * 1440:
            late_window = dt.timedelta(minutes=gap)
            findings.append(Finding(FindingKind.LATE_WINDOW_FROM_TEXT, {"window": format_duration(late_window)}))
    late_window = late_window if late_window is not None else DEFAULT_LATE_WINDOW

    stated_late, stated_absent = stated_fines(readme)
    default_late, default_absent = DEFAULT_FINES[language]
    late_fine = answers.late_fine if answers.late_fine is not None else stated_late
    absent_fine = answers.absent_fine if answers.absent_fine is not None else stated_absent
    if answers.late_fine is None and answers.absent_fine is None and stated_late is not None and stated_absent is not None:
        findings.append(Finding(FindingKind.FINES_FROM_TEXT, {"late": stated_late, "absent": stated_absent}))
    elif late_fine is None or absent_fine is None:
        findings.append(Finding(FindingKind.FINES_DEFAULT, {"late": late_fine or default_late, "absent": absent_fine or default_absent}))
    late_fine = default_late if late_fine is None else late_fine
    absent_fine = default_absent if absent_fine is None else absent_fine

    breaks: tuple[BreakDraft, ...] = answers.breaks or ()
    if answers.breaks is None and first_deadline is not None and by_week:
        breaks, clear = infer_breaks(first_deadline, first_week, by_week, language)
        for item in breaks:
            findings.append(Finding(FindingKind.BREAK_INFERRED, {"start": item.start, "end": item.end}))
        if not clear:
            findings.append(Finding(FindingKind.BREAKS_UNCLEAR, {}))

    _add_logins(members, answers.logins)
    findings += _choose_maintainers(members, answers.maintainers)
    for member in members:
        if member.github is None:
            findings.append(Finding(FindingKind.NO_LOGIN, {"member": member.name}))

    order = _blog_order(table, names, first_week) if columns.blog else ()
    if order:
        findings.append(Finding(FindingKind.ROTATION_INFERRED, {"order": ", ".join(order)}))

    if missing or first_deadline is None:
        return Onboarding(None, tuple(findings), tuple(missing))
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
    )
    return Onboarding(draft, tuple(findings), ())


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
    lines += [
        "submissions:",
        f"  readme: {{enabled: true, path: {scalar(draft.readme_path)}, week_column: {scalar(columns.week)}, column: {scalar(columns.submit)}}}",
        "  issues: {enabled: true}",
        f"  timing: landed               # {t('init.config.timing')}",
    ]
    if columns.blog and draft.blog_order:
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
