"""Safe Markdown out of text members control: no raw HTML, no broken tables, no stray mentions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~>])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_ENTITY_TABLE = str.maketrans(_ENTITIES)
# Characters that never show as text: C0 controls but tab, line feed and carriage return, DEL,
# C1, and the bidirectional overrides. Some steer a terminal; the overrides reorder what a
# reader sees.
_HIDDEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(rf"[{_HIDDEN}\r]")
# For a terminal a carriage return stays where a line feed follows it (the calendar feed's
# lines end in CRLF, as RFC 5545 wants); alone, it would write over a line.
_STEERING = re.compile(rf"[{_HIDDEN}]|\r(?!\n)")


def _one_line(text: str) -> str:
    """Member text on one line, without control characters."""
    return _CONTROL.sub("", text.replace("\r", " ").replace("\n", " "))


def escape(text: str) -> str:
    """Member text shown literally inside Markdown (also inside a table cell)."""
    text = _one_line(text).translate(_ENTITY_TABLE)
    text = _SPECIAL.sub(r"\\\1", text)
    # A zero-width space after '@' keeps GitHub from turning member text into a mention.
    return text.replace("@", "@&#8203;")


def plain(text: str) -> str:
    """Member text in Markdown printed to a terminal (``studybot report``): one line, no control characters.

    No GitHub renders it, so there is no mention to stop and no HTML to defuse; a ``|`` is still
    escaped so a table row stays one row, and control characters go so no text can steer the terminal.
    """
    return _one_line(text).replace("|", "\\|")


def terminal(text: str) -> str:
    """Text on its way to a terminal: line breaks and tabs kept, every control character out.

    What the CLI prints holds README lines, names and paths from the repository, which any
    member can write; none of it may move the cursor, rename the window or write the clipboard.
    """
    return _STEERING.sub("", text)


def terminal_json(value: object) -> str:
    """``value`` as JSON that reaches a terminal whole: JSON escapes C0 itself, and the other
    characters ``terminal`` would drop are written as ``\\u`` escapes, so no text is lost."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _STEERING.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def code(text: str) -> str:
    """Member text as an inline code span: shown literally, never a mention, link or HTML."""
    text = _one_line(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    # One space inside each fence is stripped by the renderer and lets the text touch a backtick.
    return f"{fence} {text} {fence}"


def safe_url(url: str) -> str:
    """A URL fit for ``[text](url)``: spaces, brackets and quotes percent-encoded."""
    return quote(url.strip(), safe="/:?#[]@!$&'*+,;=%~-._")  # keeps what is already encoded


def link(text: str, url: str | None, protect: Callable[[str], str] = escape) -> str:
    """A Markdown link with its text escaped by ``protect``, or the escaped text alone when there is no URL."""
    if not url:
        return protect(text)
    return f"[{protect(text)}]({safe_url(url).replace('(', '%28').replace(')', '%29')})"


def mention(login: str | None, fallback: str) -> str:
    """An intended @mention of a configured GitHub login (never of member-written text)."""
    if login and re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", login):
        return f"@{login}"
    return escape(fallback)
