"""The bot's own regions of a README, between ``<!-- studybot:NAME:start -->`` and ``…:end -->``.

A marker counts only on a line of its own (spaces around it allowed), so a README that
mentions a marker in a sentence or in inline code is not mistaken for a region. Nothing
outside a region is ever changed: the text is spliced, never re-serialised.
"""

from __future__ import annotations

import re

from studybot.core.errors import StudybotError
from studybot.core.markers import region_markers as markers

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class RegionError(StudybotError, ValueError):
    """The README's markers for a region are broken; the message says how to repair them."""


def _marker_lines(text: str, marker: str) -> list[tuple[int, int]]:
    """(start, end after the line break) of every line that holds only ``marker``."""
    found = []
    at = text.find(marker)
    while at >= 0:
        line_start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
        after = at + len(marker)
        breaks = [end for end in (text.find("\r", after), text.find("\n", after)) if end >= 0]
        line_end = min(breaks) if breaks else len(text)
        before = text[line_start:at]
        if line_start == 0:
            before = before.removeprefix("\ufeff")
        if not before.strip(" \t") and not text[after:line_end].strip(" \t"):
            if text.startswith("\r\n", line_end):
                found.append((line_start, line_end + 2))
            else:
                found.append((line_start, min(line_end + 1, len(text))))
        at = text.find(marker, after)
    return found


def _bounds(text: str, name: str) -> tuple[int, int] | None:
    """Where the region's content lies (after the start line, before the end line), if any."""
    start, end = markers(name)
    starts, ends = _marker_lines(text, start), _marker_lines(text, end)
    for marker, lines in ((start, starts), (end, ends)):
        if len(lines) > 1:
            raise RegionError("error.region.duplicate", count=len(lines), marker=marker, start=start, end=end)
    if not starts and not ends:
        return None
    if not ends:
        raise RegionError("error.region.no_end", start=start, end=end)
    if not starts:
        raise RegionError("error.region.no_start", start=start, end=end)
    if ends[0][0] < starts[0][1]:
        raise RegionError("error.region.order", start=start, end=end)
    return starts[0][1], ends[0][0]


def _newline(text: str) -> str:
    """The line break the file already uses (its first), ``\\n`` for a file without one."""
    match = _LINE_BREAK.search(text)
    return match.group(0) if match else "\n"


def read_region(text: str, name: str) -> str | None:
    """The content of region ``name`` with ``\\n`` line breaks, or None if it has no markers."""
    bounds = _bounds(text, name)
    if bounds is None:
        return None
    content = text[bounds[0] : bounds[1]]
    return _LINE_BREAK.sub("\n", content).removesuffix("\n")


def replace_region(text: str, name: str, content: str) -> str:
    """``text`` with region ``name`` holding ``content``; the region is appended if missing.

    The content gets its own lines, in the file's line-break style, with no trailing blank
    line. A missing region goes at the end after a blank line (the last line is ended first
    if the file has no final line break), followed by a line break.
    """
    start, end = markers(name)
    body = _LINE_BREAK.sub("\n", content).rstrip("\n")
    if start in body or end in body:
        raise RegionError("error.region.own_marker", name=name)
    bounds = _bounds(text, name)
    if bounds is not None:
        newline = _newline(text[bounds[0] - 2 : bounds[0]])
        block = body.replace("\n", newline) + newline if body else ""
        return text[: bounds[0]] + block + text[bounds[1] :]
    newline = _newline(text)
    lines = [start, *([body] if body else []), end]
    block = "\n".join(lines).replace("\n", newline) + newline
    if not text:
        return block
    prefix = text if text.endswith(("\n", "\r")) else text + newline
    if not prefix.endswith(newline * 2):
        prefix += newline  # the blank line that keeps the region apart from what precedes
    return prefix + block


def without_regions(text: str, names: tuple[str, ...]) -> str:
    """``text`` with the content of each region in ``names`` left out (markers kept): what
    members wrote, apart from what the bot renders. A text whose markers are broken is returned whole."""
    for name in names:
        try:
            bounds = _bounds(text, name)
        except RegionError:
            return text
        if bounds is not None:
            text = text[: bounds[0]] + text[bounds[1] :]
    return text
