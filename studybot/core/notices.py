"""Messenger notices: what the bot wrote on GitHub, reshaped for a Discord or Slack webhook.

The text is the comment or issue body the bot posts (Markdown with GitHub's escapes). Each
platform gets the same sentences in its own dialect: Discord keeps Markdown, Slack gets mrkdwn
(``*bold*``, ``<url|text>``, ``&<>`` escaped), tables become aligned lines in a code block, and
hidden markers are dropped. Nobody is pinged unless the leader mapped that member to a chat user
id, so text members wrote (``@everyone``, ``<!channel>``) stays text.
"""

from __future__ import annotations

import enum
import hashlib
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studybot.core.config import Notify, NotifyEvent
from studybot.core.messages import Messages

DISCORD_CONTENT_LIMIT = 2000
DISCORD_DESCRIPTION_LIMIT = 4096
DISCORD_TITLE_LIMIT = 256
SLACK_TEXT_LIMIT = 3000

# Events whose text can be corrected later (an override changes the results) are sent again
# when it changes; the others go out once per week whatever their text becomes.
_KEYED_BY_TEXT = frozenset({NotifyEvent.RESULTS, NotifyEvent.SETTLEMENT, NotifyEvent.ALERTS})

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_RULE = re.compile(r"^\s*:?-+:?\s*$")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Characters Discord's Markdown would read as syntax; member text keeps them as text.
_DISCORD_SYNTAX = frozenset("\\*_~`|>#-[]()<:")


class Platform(enum.StrEnum):
    DISCORD = "discord"
    SLACK = "slack"


@dataclass(frozen=True)
class Notice:
    """One thing to tell the study's chat: what happened and the Markdown the bot wrote about it."""

    event: NotifyEvent
    week: int | None
    title: str
    body: str
    url: str | None = None
    # Member names to ping, where the leader configured their chat user ids.
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outgoing:
    """A payload ready for one platform's webhook, and the key that records it was sent."""

    platform: Platform
    key: str
    payload: dict[str, Any]


def title(event: NotifyEvent, week: int | None, study: str, messages: Messages) -> str:
    """The headline of a notice, e.g. ``Study-MLOps · 3주차 결과``."""
    return messages.t(f"notify.title.{event.value}", study=study, week=week)


def outgoing(notify: Notify, notice: Notice, messages: Messages) -> list[Outgoing]:
    """What to send for ``notice`` to each platform whose configured events include it."""
    found: list[Outgoing] = []
    for platform in Platform:
        channel = getattr(notify, platform.value)
        if channel is None or notice.event not in channel.events:
            continue
        found.append(
            Outgoing(platform, notice_key(platform, notice), payload(platform, notice, messages, channel.mentions))
        )
    return found


def notice_key(platform: Platform | str, notice: Notice) -> str:
    """A stable id for one notice on one platform, recorded once it was sent.

    ``discord:week=3:opened`` for once-a-week events; results, settlement and alerts add a
    digest of their text (``discord:week=3:results:1a2b…``) so a corrected text is sent again.
    """
    week = "-" if notice.week is None else str(notice.week)
    key = f"{Platform(platform).value}:week={week}:{notice.event.value}"
    if notice.event in _KEYED_BY_TEXT:
        key += ":" + hashlib.sha256(notice.body.encode("utf-8")).hexdigest()[:16]
    return key


def payload(
    platform: Platform | str,
    notice: Notice,
    messages: Messages,
    user_ids: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The JSON body the platform's incoming webhook accepts for ``notice``.

    ``user_ids`` maps member names to chat user ids; only members in both it and
    ``notice.mentions`` are pinged.
    """
    platform = Platform(platform)
    pinged = _pinged(notice, user_ids or {}, platform)
    if platform is Platform.DISCORD:
        return _discord(notice, messages, pinged)
    return _slack(notice, messages, pinged)


def _pinged(notice: Notice, user_ids: Mapping[str, str], platform: Platform) -> list[str]:
    pattern = r"[0-9]{15,21}" if platform is Platform.DISCORD else r"[UW][A-Z0-9]{2,20}"
    ids = [user_ids[name] for name in notice.mentions if name in user_ids]
    # Config validation already checks the ids; a stray one must still never form other syntax.
    return list(dict.fromkeys(user for user in ids if re.fullmatch(pattern, user)))


def _discord(notice: Notice, messages: Messages, pinged: list[str]) -> dict[str, Any]:
    more = messages.t("notify.more")
    description = _fit(
        render(notice.body, Platform.DISCORD),
        DISCORD_DESCRIPTION_LIMIT,
        f"[{more}]({notice.url})" if notice.url else more,
    )
    embed: dict[str, Any] = {"title": _clip(notice.title, DISCORD_TITLE_LIMIT), "description": description}
    if notice.url:
        embed["url"] = notice.url
    result: dict[str, Any] = {"embeds": [embed]}
    if pinged:
        # Mentions inside an embed never notify anyone, so the pings go in the content.
        result["content"] = _clip(" ".join(f"<@{user}>" for user in pinged), DISCORD_CONTENT_LIMIT)
        result["allowed_mentions"] = {"parse": [], "users": pinged}
    else:
        result["allowed_mentions"] = {"parse": []}
    return result


def _slack(notice: Notice, messages: Messages, pinged: list[str]) -> dict[str, Any]:
    more = _slack_text(messages.t("notify.more"))
    heading = _slack_text(notice.title)
    if notice.url:
        heading = f"<{_slack_url(notice.url)}|{heading}>"
    heading = f"*{heading}*"
    if pinged:
        heading += "\n" + " ".join(f"<@{user}>" for user in pinged)
    body = _fit(
        render(notice.body, Platform.SLACK),
        SLACK_TEXT_LIMIT,
        f"<{_slack_url(notice.url)}|{more}>" if notice.url else more,
    )
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": _clip(heading, SLACK_TEXT_LIMIT)}}]
    if body:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body}})
    return {
        # The text is what notifications and older clients show; the blocks are what people read.
        "text": _fit(f"{heading}\n{body}".strip(), SLACK_TEXT_LIMIT, more),
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }


# ---------------------------------------------------------------- Markdown → chat


def render(markdown: str, platform: Platform | str) -> str:
    """The bot's GitHub Markdown as the platform shows it: markers dropped, tables aligned."""
    platform = Platform(platform)
    lines = _COMMENT.sub("", markdown.replace("\r\n", "\n")).split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith("|"):
            end = index
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            out += _table(lines[index:end], platform)
            index = end
            continue
        heading = _HEADING.match(line)
        if heading:
            text = _inline(heading.group(2), platform)
            out.append(f"**{text}**" if platform is Platform.DISCORD else f"*{text}*")
        else:
            out.append(_inline(line, platform))
        index += 1
    text = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _table(rows: list[str], platform: Platform) -> list[str]:
    """A Markdown table as aligned plain lines inside a code block; neither chat renders tables."""
    cells: list[list[str]] = []
    right: list[bool] = []
    for row in rows:
        parts = _split_row(row)
        if parts and all(_TABLE_RULE.match(part) for part in parts):
            right = [part.strip().endswith(":") and not part.strip().startswith(":") for part in parts]
            continue
        cells.append([_inline(part.strip(), platform, plain=True) for part in parts])
    if not cells:
        return []
    columns = max(len(row) for row in cells)
    widths = [max((_width(row[i]) for row in cells if i < len(row)), default=0) for i in range(columns)]
    lines = ["```"]
    for row_cells in cells:
        padded = []
        for i in range(columns):
            cell = row_cells[i] if i < len(row_cells) else ""
            gap = " " * (widths[i] - _width(cell))
            padded.append(gap + cell if i < len(right) and right[i] else cell + gap)
        line = "  ".join(padded).rstrip()
        # Escaped only now: Slack shows '&lt;' as one column, so widths are of the shown text.
        lines.append(_slack_text(line) if platform is Platform.SLACK else line)
    lines.append("```")
    return lines


def _split_row(row: str) -> list[str]:
    """The cells of a table row, splitting on pipes that are not escaped."""
    text = row.strip().removeprefix("|")  # the caller passes rows that start with a pipe
    parts: list[str] = []
    current = ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current += text[index : index + 2]
            index += 2
            continue
        if char == "|":
            parts.append(current)
            current = ""
        else:
            current += char
        index += 1
    parts.append(current)
    if not parts[-1].strip():
        parts = parts[:-1]
    return parts


def _width(text: str) -> int:
    """Columns a monospace chat font gives the text: Hangul and emoji take two."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or char in "\u200b\u200d\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _inline(text: str, platform: Platform, *, plain: bool = False) -> str:
    """One line of the bot's Markdown in the platform's dialect.

    Characters GitHub-escaped (``\\*``, ``&lt;``, ``@&#8203;``) came from members: they stay
    text on every platform. ``plain`` is for code blocks, where nothing is formatted.
    """
    out: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length and text[index + 1] in _PUNCTUATION:
            out.append(_literal(text[index + 1], platform, escaped=True, plain=plain))
            index += 2
            continue
        if char == "&":
            entity = _ENTITY.match(text, index)
            if entity:
                decoded = html.unescape(entity.group(0))
                out.append("".join(_literal(part, platform, escaped=True, plain=plain) for part in decoded))
                index = entity.end()
                continue
        if char == "`":
            span = _code_span(text, index)
            if span is not None:
                content, index = span
                out.append(_code(content, platform, plain))
                continue
        if text.startswith("**", index):
            close = _closing_bold(text, index + 2)
            if close is not None:
                inner = _inline(text[index + 2 : close], platform, plain=plain)
                if plain:
                    out.append(inner)
                else:
                    out.append(f"**{inner}**" if platform is Platform.DISCORD else f"*{inner}*")
                index = close + 2
                continue
        if char == "[":
            link = _link(text, index)
            if link is not None:
                label, url, index = link
                inner = _inline(label, platform, plain=plain)
                if plain:
                    out.append(inner)
                elif platform is Platform.DISCORD:
                    out.append(f"[{inner}]({url})")
                else:
                    out.append(f"<{_slack_url(url)}|{inner}>")
                continue
        out.append(_literal(char, platform, escaped=False, plain=plain))
        index += 1
    return "".join(out)


def _literal(char: str, platform: Platform, *, escaped: bool, plain: bool) -> str:
    if plain:
        # Inside a code block only a backtick could end it early; the table escapes for Slack.
        return "ˋ" if char == "`" else char
    if platform is Platform.SLACK:
        # Slack has no backslash escapes; '&', '<' and '>' are the characters that form syntax.
        return _slack_text(char)
    if escaped and char in _DISCORD_SYNTAX:
        return "\\" + char
    return char


def _code_span(text: str, start: int) -> tuple[str, int] | None:
    fence = re.match(r"`+", text[start:])
    assert fence is not None
    ticks = fence.group(0)
    close = text.find(ticks, start + len(ticks))
    while close != -1 and text.startswith("`", close + len(ticks)):
        close = text.find(ticks, close + len(ticks) + 1)
    if close == -1:
        return None
    content = text[start + len(ticks) : close]
    if len(content) >= 2 and content.startswith(" ") and content.endswith(" ") and content.strip():
        content = content[1:-1]
    return content, close + len(ticks)


def _code(content: str, platform: Platform, plain: bool) -> str:
    if plain:
        return "".join(_literal(char, platform, escaped=True, plain=True) for char in content)
    if platform is Platform.SLACK:
        return "`" + _slack_text(content.replace("`", "ˋ")) + "`"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", content)), default=0) + 1)
    padding = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{fence}{padding}{content}{padding}{fence}"


def _closing_bold(text: str, start: int) -> int | None:
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith("**", index) and index > start:
            return index
        index += 1
    return None


def _link(text: str, start: int) -> tuple[str, str, int] | None:
    """``[label](url)`` at ``start``: the label's Markdown, the URL and where the link ends."""
    index = start + 1
    while index < len(text) and text[index] != "]":
        index += 2 if text[index] == "\\" else 1
    if index >= len(text) or not text.startswith("(", index + 1):
        return None
    close = text.find(")", index + 2)
    url = text[index + 2 : close] if close != -1 else ""
    if not re.fullmatch(r"https?://[^\s<>|]+", url):
        return None
    return text[start + 1 : index], url, close + 1


def _slack_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_url(url: str) -> str:
    # Inside <url|text> a '|' or '>' would end the URL; links are percent-encoded by markup.link.
    return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")


# ---------------------------------------------------------------- limits


def _size(text: str) -> int:
    """Length as the platforms count it (UTF-16 units), so an emoji is never one too many."""
    return len(text.encode("utf-16-le")) // 2


def _clip(text: str, limit: int) -> str:
    while _size(text) > limit:
        text = text[: limit - 1 - (_size(text) - len(text))] + "…"
    return text


def _fit(text: str, limit: int, more: str) -> str:
    """``text`` within ``limit`` characters, cut at a line with ``more`` after it when too long."""
    if _size(text) <= limit:
        return text
    budget = limit - _size(more) - _size("\n```\n")
    kept: list[str] = []
    used = 0
    # The text is over the limit and the budget under it, so some line always breaks the loop.
    for line in text.split("\n"):  # pragma: no branch
        if used + _size(line) + 1 > budget:
            if not kept:
                kept.append(_clip(line, max(budget - 1, 1)))
            break
        kept.append(line)
        used += _size(line) + 1
    fences = sum(1 for line in kept if line.startswith("```"))
    if fences % 2:
        kept.append("```")
    return "\n".join(kept) + "\n" + more
