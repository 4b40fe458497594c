"""Placeholder files for week folders: what the bot commits when a week opens.

Leaders of folder-format studies used to create a file in every member's ``N주차/<name>/``
folder so members could upload into it from the browser. The bot does the same with a short
README in the study's language (what to upload and by when) instead of an empty file, because
members open that folder on GitHub and read it there.

Such a README has content, so it must be told apart from homework: its first line is a hidden
marker carrying the SHA-256 of the rest. :func:`is_placeholder` recomputes it, so a placeholder
never counts as a submission whoever pushed it, whichever version of the bot wrote it, while a
member who edits the README (writes homework into it) changes the digest and it counts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from studybot.core.config import Member, StudyConfig
from studybot.core.folders import is_invisible, visible
from studybot.core.homework import HomeworkEntry, deadline_text
from studybot.core.markup import escape
from studybot.core.messages import Messages
from studybot.core.schedule import Schedule

PLACEHOLDER_NAME = "README.md"
_MARKER = re.compile(r"<!-- studybot:placeholder sha256=([0-9a-f]{64}) -->")
# Larger files are never placeholders; saves reading a notebook or PDF as text.
_MAX_PLACEHOLDER_BYTES = 16 * 1024


def _normalized(text: str) -> str:
    """The text as git and editors may hand it back: no BOM, LF line ends, no trailing blanks."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _digest(body: str) -> str:
    return hashlib.sha256(_normalized(body).encode("utf-8")).hexdigest()


def mark(body: str) -> str:
    """A placeholder file: the marker line with the body's digest, then the body."""
    return f"<!-- studybot:placeholder sha256={_digest(body)} -->\n{_normalized(body)}\n"


def is_placeholder(content: bytes) -> bool:
    """Whether a file is a bot placeholder as written, or with only invisible characters changed.

    A format character (a zero-width space) or an odd space put into the placeholder shows
    nothing, so it does not make the placeholder homework; a visible edit does.
    """
    if len(content) > _MAX_PLACEHOLDER_BYTES:
        return False
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    first, _, body = _normalized(text).partition("\n")
    match = _MARKER.fullmatch(_without_format(first, spaces=" ").strip())
    if match is None:
        return False
    readings = {body, _without_format(body, spaces=" "), _without_format(body, spaces="")}
    return any(match.group(1) == _digest(reading) for reading in readings)


def _without_format(text: str, spaces: str) -> str:
    """The text without invisible characters other than ASCII spaces and line ends; other
    whitespace becomes ``spaces`` (one space, or nothing)."""
    table = {ord(char): spaces if char.isspace() else None for char in set(text) - {" ", "\n"} if is_invisible(char)}
    return text.translate(table)


# Files leaders and tools put into empty folders so that the folder exists.
_KEEPERS = {".gitkeep", ".keep", "dummy"}


def is_blank(content: bytes) -> bool:
    """Whether a file shows nothing: empty, or only Unicode whitespace and format characters."""
    try:
        return not visible(content.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def never_counts(path: str, content: bytes) -> bool:
    """Whether a file in a week folder is a placeholder, never a hand-in: blank, a ``dummy`` or
    ``.gitkeep`` file (any content), or the bot's own placeholder."""
    name = path.rsplit("/", 1)[-1].casefold()
    stem = name.split(".", 1)[0] if not name.startswith(".") else name
    return stem in _KEEPERS or name in _KEEPERS or is_blank(content) or is_placeholder(content)


def _folders_in(paths: Iterable[str]) -> set[str]:
    """Every folder (ending with '/') that holds at least one of ``paths``."""
    folders: set[str] = set()
    for path in paths:
        path = unicodedata.normalize("NFC", path)
        end = path.find("/")
        while end != -1:
            folders.add(path[: end + 1])
            end = path.find("/", end + 1)
    return folders


def folder_of(config: StudyConfig, week: int, member: Member) -> str:
    """The member's folder for the week, as the config's first pattern names it (ends with '/').

    A ``*`` (any topic after the week) is left out: the bot cannot know the topic.
    """
    pattern = config.submissions.folders.patterns[0].replace("*", "")
    login = member.github or member.name
    return pattern.format(week=week, name=member.name, login=login, github=login)


def placeholder_files(
    config: StudyConfig,
    schedule: Schedule,
    week: int,
    members: Iterable[Member],
    existing_paths: Iterable[str],
    messages: Messages,
    homework: HomeworkEntry | None = None,
) -> dict[str, str]:
    """The placeholder files to add when ``week`` opens: {path: content}.

    One per member active that week whose folder has nothing in it at the branch head
    (``existing_paths``), so a second call after they were committed returns ``{}`` and a
    folder a member already uploaded into is never touched. Empty unless the study uses week
    folders with ``create_placeholders: true``.
    """
    folders = config.submissions.folders
    graded = schedule.week(week)
    if not (folders.enabled and folders.create_placeholders) or graded is None:
        return {}
    taken = _folders_in(existing_paths)
    deadline = deadline_text(graded, schedule, messages)
    tasks = "".join(f"> - {escape(line.text)}\n" for line in homework.lines) if homework else ""
    files: dict[str, str] = {}
    for member in members:
        if not member.active_in(week):
            continue
        folder = folder_of(config, week, member)
        if unicodedata.normalize("NFC", folder) in taken:
            continue
        body = messages.t(
            "placeholder.body",
            week=week,
            name=escape(member.name),
            deadline=deadline,
            tasks=messages.t("placeholder.tasks", tasks=tasks.rstrip("\n")) if tasks else "",
        )
        files[folder + PLACEHOLDER_NAME] = mark(body)
    return files
