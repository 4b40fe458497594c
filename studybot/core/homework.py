"""The week's homework as the meeting log in the README states it (the MLOps-Study format).

A folder-format study logs each meeting under a heading such as ``### 3주차 - Docker`` and
writes the homework for the *next* meeting as a line starting with ``[과제]``, sometimes with a
due date: ``[과제] 내가 생각하는 MLOps 생각해오기(~2024.01.03)``. This module reads those lines
with a real Markdown parser and files each under the graded week it is due in:

- a stated due date decides: the first graded week whose last on-time day is that date or
  later (a date that names no deadline exactly is warned about, see :func:`homework_warnings`);
- without a date, homework logged under meeting N is due at meeting N + 1, i.e. graded week
  N + 1 (meetings and graded weeks share their numbers, 0주차 being the orientation).

The schedule in the config stays the source of truth for deadlines; the log only supplies text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token

from studybot.core.markup import escape
from studybot.core.messages import Messages
from studybot.core.schedule import Schedule, Week

MAX_LOG_CHARS = 1_000_000

_MD = MarkdownIt("commonmark")
# The blocks alone: a README's table holds thousands of links and the log only needs the
# headings and the lines under a week's heading, so those are inline-parsed on demand
# (``_inline``), exactly as the full parse would (same parser, same references).
_BLOCKS = MarkdownIt("commonmark").disable(["inline", "text_join"])
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>\n]*>")
# "(~2024.01.03)", "(~ 2024-1-3)", "(~1/3)", "(2024.01.03까지)": year optional, '~' optional.
_DUE = re.compile(
    r"\(\s*~?\s*(?:(?P<year>\d{4})\s*[./-]\s*)?(?P<month>\d{1,2})\s*[./-]\s*(?P<day>\d{1,2})\s*\.?"
    r"\s*(?:까지|전까지)?\s*\)"
)


@dataclass(frozen=True)
class HomeworkLine:
    """One ``[과제]`` line: its text without the marker, its stated due date, the meeting it was logged under."""

    text: str
    due_date: dt.date | None
    meeting: int


@dataclass(frozen=True)
class HomeworkEntry:
    """The homework lines filed under one graded week."""

    week: int
    lines: tuple[HomeworkLine, ...]

    @property
    def due_date(self) -> dt.date | None:
        """The first due date the log states for this week (None when it states none)."""
        return next((line.due_date for line in self.lines if line.due_date is not None), None)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines)


def heading_pattern(template: str) -> re.Pattern[str]:
    """A heading template such as ``{week}주차`` as a regular expression capturing the week."""
    before, _, after = template.partition("{week}")
    return re.compile(rf"\s*{re.escape(before.strip())}\s*(\d{{1,4}})\s*{re.escape(after.strip())}", re.IGNORECASE)


def last_on_time_day(week: Week, schedule: Schedule) -> dt.date:
    """The last local day on which the week's homework is on time (a 00:00 deadline: the day before)."""
    return schedule.local(week.deadline - dt.timedelta(microseconds=1)).date()


def parse_homework(text: str, heading: str, marker: str, schedule: Schedule) -> dict[int, HomeworkEntry]:
    """Every ``marker`` line under a week heading, filed under the graded week it is due in."""
    pattern = heading_pattern(heading)
    found: dict[int, list[HomeworkLine]] = {}
    for meeting, line in _marked_lines(text[:MAX_LOG_CHARS], pattern, marker):
        week = _week_for(meeting, line, schedule)
        if week is not None:
            found.setdefault(week, []).append(_line(meeting, line, marker, schedule))
    return {week: HomeworkEntry(week, tuple(lines)) for week, lines in sorted(found.items())}


def _marked_lines(text: str, pattern: re.Pattern[str], marker: str) -> list[tuple[int, str]]:
    """(meeting, plain text) of each line that starts with the marker under a week heading."""
    env: dict[str, object] = {}
    tokens = _BLOCKS.parse(text, env)
    meeting: int | None = None
    level = 0
    found: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            title = _plain(_inline(tokens[index + 1], env)).strip() if index + 1 < len(tokens) else ""
            depth = int(token.tag[1:])
            match = pattern.match(title)
            if match:
                meeting, level = int(match.group(1)), depth
            elif meeting is not None and depth <= level:
                meeting = None  # a new section of the same rank ends the week's log
            continue
        if meeting is None or token.type not in ("inline", "html_block") or _in_heading(tokens, index):
            continue
        source = _plain(_inline(token, env)) if token.type == "inline" else _TAG.sub("", _BREAK_TAG.sub("\n", token.content))
        for line in source.split("\n"):
            line = line.strip()
            if line.startswith(marker) and line[len(marker):].strip():
                found.append((meeting, line))
    return found


def _inline(token: Token, env: dict[str, object]) -> Token:
    """The inline ``token`` with its children, parsed as ``_MD.parse`` parses them (escapes joined)."""
    token.children = []
    _MD.inline.parse(token.content, _MD, env, token.children)
    state = StateCore("", _MD, env)
    state.tokens = [token]
    text_join(state)
    return token


def _in_heading(tokens: list[Token], index: int) -> bool:
    return index > 0 and tokens[index - 1].type == "heading_open"


def _plain(token: Token) -> str:
    """An inline token's text as a reader sees it: markup dropped, ``<br>`` and breaks as new lines."""
    parts: list[str] = []
    for child in token.children or ():  # the parser gives every inline token its children
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (child.type == "html_inline" and _BREAK_TAG.fullmatch(child.content.strip())):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _stated_date(line: str, near: dt.date) -> dt.date | None:
    """The due date written in the line; a date without a year takes the year closest to ``near``."""
    match = _DUE.search(line)
    if match is None:
        return None
    month, day = int(match["month"]), int(match["day"])
    years = [int(match["year"])] if match["year"] else [near.year - 1, near.year, near.year + 1]
    dates: list[dt.date] = []
    for year in years:
        try:
            dates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(dates, key=lambda date: abs(date - near)) if dates else None


def _week_for(meeting: int, line: str, schedule: Schedule) -> int | None:
    """The graded week the line is due in: by its stated date, else the next meeting's week."""
    following = schedule.week(meeting + 1)
    near = last_on_time_day(following or schedule.weeks[0], schedule)
    stated = _stated_date(line, near)
    if stated is not None:
        for week in schedule.weeks:
            if last_on_time_day(week, schedule) >= stated:
                return week.number
    return following.number if following is not None else None


def _line(meeting: int, line: str, marker: str, schedule: Schedule) -> HomeworkLine:
    following = schedule.week(meeting + 1)
    near = last_on_time_day(following or schedule.weeks[0], schedule)
    return HomeworkLine(line[len(marker):].strip(), _stated_date(line, near), meeting)


# ---------------------------------------------------------------- output


def date_text(day: dt.date, messages: Messages) -> str:
    """A date the way the study writes it, e.g. ``1월 3일(수)``."""
    return messages.t("homework.date", month=messages.month(day.month), day=day.day, weekday=messages.weekday(day))


def deadline_text(week: Week, schedule: Schedule, messages: Messages) -> str:
    """The last on-time minute of a week, e.g. ``1월 3일(수) 23:59`` for a Thursday 00:00 deadline."""
    last = schedule.local(week.deadline - dt.timedelta(seconds=1))
    return messages.t("homework.deadline", date=date_text(last.date(), messages), time=f"{last:%H:%M}")


def homework_text(week: int, entries: Mapping[int, HomeworkEntry], messages: Messages) -> str | None:
    """The homework block for the week's Q&A issue body, or None when the log names none."""
    entry = entries.get(week)
    if entry is None:
        return None
    quoted = "\n".join(f"> - {escape(line.text)}" for line in entry.lines)
    meetings = sorted({line.meeting for line in entry.lines})
    source = messages.t("homework.source", meetings=", ".join(str(number) for number in meetings))
    return f"{messages.t('homework.title', week=week)}\n\n{quoted}\n\n{source}"


def homework_warnings(entries: dict[int, HomeworkEntry], schedule: Schedule, messages: Messages) -> list[str]:
    """One sentence per homework line whose stated due date is not the schedule's last on-time day."""
    warnings: list[str] = []
    for week in schedule.weeks:  # entries come from parse_homework: graded weeks only
        entry = entries.get(week.number)
        if entry is None:
            continue
        number, due = week.number, last_on_time_day(week, schedule)
        for line in entry.lines:
            if line.due_date is None or line.due_date == due:
                continue
            warnings.append(
                messages.t(
                    "homework.date_mismatch",
                    week=number,
                    meeting=line.meeting,
                    task=escape(_DUE.sub("", line.text).strip()),
                    stated=date_text(line.due_date, messages),
                    deadline=deadline_text(week, schedule, messages),
                )
            )
    return warnings
