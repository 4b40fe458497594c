"""Where work lives: the folder patterns of a week-folder study, matched against paths.

A pattern such as ``{week}주차*/{name}/`` is compiled once into one regular expression per
folder level. ``{week}`` reads a week number (``1``, ``01``), a range (``3-4주차``) and, when
the level is written twice with a comma (``3주차,4주차``), every week it names; ``*`` reads any
text within one level (a topic after the week); ``{name}`` (also ``{login}``, ``{github}``)
reads a member's name or GitHub login. Text is compared after NFC, without format characters
(category Cf) and without case, so ``week{week}`` reads ``Week1`` and a name typed on macOS
reads the same as one typed elsewhere.

A path no pattern reads may still look like a hand-in: :meth:`FolderRules.stray` says when a
folder on the way names a member (files in a member's own area outside any week folder) or a
week (a week folder that matches no pattern), so the caller can tell the leader.

Pure: no file, git or clock. The config module validates patterns with :func:`pattern_problem`.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Member(Protocol):
    """What the pattern language needs of a member: the name and the login a folder may carry."""

    @property
    def name(self) -> str: ...

    @property
    def github(self) -> str | None: ...

MEMBER_FIELDS = ("name", "login", "github")
_TOKEN = re.compile(r"\{(week|name|login|github)\}|\*")
_WEEK = r"(?P<week>\d{1,3}(?:\s*[-~]\s*\d{1,3})?)"
_MEMBER = r"(?P<member>.+?)"
# A range wider than a term is a number that happens to contain a dash, not two weeks.
MAX_RANGE = 12
# Weeks a folder name or a commit message states: 3주차, 3-4주차, week3, week_11, Week 3.
_STATED = re.compile(
    r"(\d{1,3})(?:\s*[-~]\s*(\d{1,3}))?\s*주\s*차|\bweek\s*[-_.]?\s*(\d{1,3})(?:\s*[-~]\s*(\d{1,3}))?"
)


@functools.cache
def is_invisible(char: str) -> bool:
    """Whether a character shows nothing: Unicode whitespace, a format character (Cf), or a
    Hangul filler, which Korean keyboards type and which renders as a blank."""
    return char.isspace() or unicodedata.category(char) == "Cf" or char in "\u115f\u1160\u3164\uffa0\u2800"


def visible(text: str) -> str:
    """The text without its invisible characters (see :func:`is_invisible`)."""
    # Judged once per distinct character: a long file has few of them.
    return text.translate({ord(char): None for char in set(text) if is_invisible(char)})


@functools.lru_cache(maxsize=8192)  # folder names repeat in every path under them
def fold(text: str) -> str:
    """Text as names and folder names are compared: NFC, no format characters, no case."""
    text = unicodedata.normalize("NFC", text)
    return text.translate({ord(char): None for char in set(text) if unicodedata.category(char) == "Cf"}).casefold()


def _weeks_of(first: str, last: str | None) -> tuple[int, ...]:
    low = int(first)
    high = int(last) if last is not None else low
    if high < low or high - low > MAX_RANGE:
        return ()
    return tuple(range(low, high + 1))


def stated_weeks(text: str) -> tuple[int, ...]:
    """The weeks a folder name or a commit message names (``[4주차/login]`` is week 4), in order."""
    found: dict[int, None] = {}
    for match in _STATED.finditer(fold(text)):
        first, last = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        found.update(dict.fromkeys(_weeks_of(first, last)))
    return tuple(found)


def pattern_problem(pattern: str) -> tuple[str, dict[str, str]] | None:
    """Why a folder pattern cannot be used, as a message key and its fields (None: it can).

    Braces other than ``{week}`` and the member fields are told by the config's template check.
    """
    if not pattern.endswith("/"):
        return "config.folder_slash", {}
    levels = pattern[:-1].split("/")
    if any(not level.strip() or level.strip() in {".", ".."} for level in levels):
        return "config.folder_level", {}
    tokens = [match.group(1) for match in _TOKEN.finditer(pattern) if match.group(1)]
    if "week" not in tokens:
        return "config.folder_week", {}
    if not set(tokens) & set(MEMBER_FIELDS):
        return "config.folder_member", {}
    if tokens.count("week") > 1 or sum(token in MEMBER_FIELDS for token in tokens) > 1:
        return "config.folder_twice", {}
    return None


@dataclass(frozen=True)
class FolderMatch:
    """A path inside a member's week folder: whose, which weeks, and the folder as spelled."""

    member: str
    weeks: tuple[int, ...]
    folder: str  # ends with '/'


class StrayKind(enum.StrEnum):
    OUTSIDE = "outside"  # in a member's own area, outside any week folder
    UNMATCHED = "unmatched"  # under a folder naming a week that no pattern reads


@dataclass(frozen=True)
class Stray:
    """A path no pattern reads that still looks like a hand-in."""

    kind: StrayKind
    folder: str  # the folder that makes it look like one, ends with '/'
    member: str | None  # the member whose folder it is in, when a folder names one
    weeks: tuple[int, ...]  # the weeks the folder names


class _Level:
    """One folder level of a pattern, compiled."""

    def __init__(self, text: str):
        parts: list[str] = []
        position = 0
        for match in _TOKEN.finditer(text):
            parts.append(re.escape(fold(text[position : match.start()])))
            token = match.group(1)
            parts.append(".*?" if token is None else _WEEK if token == "week" else _MEMBER)
            position = match.end()
        parts.append(re.escape(fold(text[position:])))
        self.regex = re.compile("".join(parts), re.DOTALL)
        self.has_week = "{week}" in text

    def read(self, folded: str) -> tuple[tuple[int, ...], str | None] | None:
        """(weeks, member text) this level reads from a folded folder name, or None."""
        if self.has_week and "," in folded:
            # `3주차,4주차`: the level written once per week; each part must read on its own.
            pieces = [self._one(part.strip()) for part in folded.split(",")]
            if all(piece is not None and piece[0] for piece in pieces):
                members = {piece[1] for piece in pieces if piece is not None}
                if len(members) == 1:
                    weeks = sorted({week for piece in pieces if piece is not None for week in piece[0]})
                    return tuple(weeks), members.pop()
        return self._one(folded)

    def _one(self, folded: str) -> tuple[tuple[int, ...], str | None] | None:
        match = self.regex.fullmatch(folded)
        if match is None:
            return None
        groups = match.groupdict()
        weeks: tuple[int, ...] = ()
        if groups.get("week") is not None:
            numbers = re.findall(r"\d+", groups["week"])
            weeks = _weeks_of(numbers[0], numbers[1] if len(numbers) > 1 else None)
            if not weeks:
                return None
        return weeks, groups.get("member")


class FolderRules:
    """The study's folder patterns, compiled once for its members."""

    def __init__(self, patterns: Sequence[str], members: Iterable[Member]):
        self.patterns = tuple(patterns)
        self._compiled = [[_Level(level) for level in pattern[:-1].split("/")] for pattern in self.patterns]
        self._members: dict[str, str] = {}
        for member in members:
            for key in (member.name, member.github):
                if key:
                    self._members.setdefault(fold(key).strip(), member.name)

    def member(self, text: str) -> str | None:
        """The member a folder name or captured text names, if any."""
        return self._members.get(fold(text).strip())

    def match(self, path: str) -> FolderMatch | None:
        """The member's week folder ``path`` is in, by the first pattern that reads it."""
        parts = path.split("/")
        folded = [fold(part) for part in parts]
        for levels in self._compiled:
            if len(parts) <= len(levels):
                continue
            weeks: tuple[int, ...] = ()
            member: str | None = None
            for level, name in zip(levels, folded, strict=False):
                found = level.read(name)
                if found is None:
                    break
                weeks = weeks or found[0]
                if found[1] is not None:
                    member = self.member(found[1])
                    if member is None:
                        break
            else:
                assert member is not None  # a valid pattern has a member level, and it read one
                return FolderMatch(member, weeks, "/".join(parts[: len(levels)]) + "/")
        return None

    def stray(self, path: str) -> Stray | None:
        """What makes an unread path look like a hand-in, or None when nothing does.

        Files at the top, and under dot folders (``.github``, ``.studybot``), never do.
        """
        folders = path.split("/")[:-1]
        if not folders or any(folder.startswith(".") for folder in folders):
            return None
        owner = next((index for index, folder in enumerate(folders) if self.member(folder)), None)
        dated = next((index for index, folder in enumerate(folders) if stated_weeks(folder)), None)
        member = self.member(folders[owner]) if owner is not None else None
        if dated is not None:
            end = max(dated, owner if owner is not None else -1) + 1
            return Stray(StrayKind.UNMATCHED, "/".join(folders[:end]) + "/", member, stated_weeks(folders[dated]))
        if owner is not None:
            return Stray(StrayKind.OUTSIDE, "/".join(folders[: owner + 1]) + "/", member, ())
        return None

    def folder_of(self, week: int, name: str, login: str | None) -> str:
        """The folder the first pattern names for ``week`` and a member (``*`` left out)."""
        pattern = self.patterns[0].replace("*", "")
        return pattern.format(week=week, name=name, login=login or name, github=login or name)


@dataclass(frozen=True)
class Listed:
    """One folder of the checkout as ``check`` lists it."""

    folder: str
    member: str | None
    weeks: tuple[int, ...]
    kind: str  # read | ungraded | outside | unmatched


def folder_listing(rules: FolderRules, paths: Iterable[str], graded: Iterable[int]) -> list[Listed]:
    """Which folders of the checkout the patterns read, for which member and week, and which
    look like homework folders but are not read; in path order, each folder once."""
    weeks = set(graded)
    found: dict[str, Listed] = {}
    for path in paths:
        path = unicodedata.normalize("NFC", path)
        matched = rules.match(path)
        if matched is not None:
            kind = "read" if weeks.intersection(matched.weeks) else "ungraded"
            found.setdefault(matched.folder, Listed(matched.folder, matched.member, matched.weeks, kind))
            continue
        stray = rules.stray(path)
        if stray is not None:
            found.setdefault(stray.folder, Listed(stray.folder, stray.member, stray.weeks, stray.kind.value))
    return [found[folder] for folder in sorted(found)]
