"""The bot's hidden markers: one syntax, ``<!-- studybot:… -->``, for everything it writes.

A marker is how the bot finds its own issues, comments and README regions again; it never
goes by a title. Issue and comment markers name a week and a kind
(``<!-- studybot:week=3:kind=results -->``); README regions are fenced by
``<!-- studybot:fines:start -->`` and ``<!-- studybot:fines:end -->``.
"""

from __future__ import annotations

import enum
import hashlib
import re


class Kind(enum.StrEnum):
    """What a bot-written issue or comment is; part of its hidden marker."""

    ISSUE = "issue"
    REMINDER = "reminder"
    CLOSING = "closing"
    RESULTS = "results"
    QUESTIONS = "questions"
    REPLY = "reply"
    SETTLEMENT = "settlement"
    SETUP = "setup"  # the issue the first run opens, waiting for /studybot start
    ALERT = "alert"  # a change of the config or the ledger that was not applied
    DUPLICATE = "duplicate"  # the note on a second issue the bot opened for a week, as it closes it


_MARKER = re.compile(r"<!-- studybot:week=(\d+):kind=([a-z]+)(?::id=(\d+))? -->")
_REGION_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def hidden_line(name: str, value: str) -> str:
    """A hidden ``name=value`` line in a body the bot writes (the setup issue names the config
    version it shows and the last schedule boundary it was written after)."""
    return f"<!-- studybot:{name}={value} -->"


def read_hidden(body: str, name: str) -> str | None:
    """The value of the hidden ``name`` line in ``body``, if it has one."""
    found = re.search(rf"<!-- studybot:{re.escape(name)}=(\S+) -->", body)
    return found.group(1) if found else None


def marker(week: int, kind: Kind, ref: int | None = None) -> str:
    """The hidden marker the bot puts first in what it writes, to find it again later."""
    suffix = f":id={ref}" if ref is not None else ""
    return f"<!-- studybot:week={week}:kind={kind.value}{suffix} -->"


def read_marker(body: str) -> str | None:
    """The bot's marker in a body, or None when a person wrote it."""
    match = _MARKER.search(body or "")
    return match.group(0) if match else None


def marker_week(found: str) -> tuple[int, Kind] | None:
    """The week and kind a marker names, or None for a marker of no known kind."""
    match = _MARKER.fullmatch(found)
    if not match or match.group(2) not in Kind._value2member_map_:
        return None
    return int(match.group(1)), Kind(match.group(2))


def region_markers(name: str) -> tuple[str, str]:
    """The start and end marker lines of README region ``name``."""
    if not _REGION_NAME.fullmatch(name):
        raise ValueError(f"region name {name!r} must be lower-case letters, digits, - or _")
    return f"<!-- studybot:{name}:start -->", f"<!-- studybot:{name}:end -->"


def digest(body: str) -> str:
    """A short fingerprint of what the bot wrote, to know whether an edit is needed."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
