"""Reading what the bot writes the way GitHub shows it: raw HTML, links, tables, mentions."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit

MD = MarkdownIt("commonmark", {"html": True}).enable("table")
MENTION = re.compile(r"(?<![\w`/])@([A-Za-z0-9](?:-?[A-Za-z0-9])*)")


def table_widths(markdown: str) -> list[set[int]]:
    """The cell counts of each table's lines (a table broken by a stray '|' has several)."""
    tables: list[set[int]] = []
    inside = False
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not inside:
                tables.append(set())
            tables[-1].add(len(escapedSplit(line.strip().removeprefix("|").removesuffix("|"))))
        inside = line.startswith("|")
    return tables


def rendered(markdown: str) -> dict[str, list[str]]:
    """Raw HTML, link targets, visible text and code spans of ``markdown`` as a renderer sees them."""
    found: dict[str, list[str]] = {"html": [], "hrefs": [], "text": [], "code": []}
    for token in MD.parse(markdown):
        if token.type == "html_block" and not token.content.strip().startswith("<!-- studybot:"):
            found["html"].append(token.content)
        for child in token.children or []:
            if child.type == "html_inline":
                found["html"].append(child.content)
            elif child.type == "link_open":
                found["hrefs"].append(str(child.attrs.get("href")))
            elif child.type == "text":
                found["text"].append(child.content)
            elif child.type == "code_inline":
                found["code"].append(child.content)
    return found


def mentions(markdown: str) -> set[str]:
    """The logins GitHub would notify for ``markdown`` (never those inside code)."""
    return {login for chunk in rendered(markdown)["text"] for login in MENTION.findall(chunk)}


def assert_safe(markdown: str, logins: set[str], where: str = "") -> None:
    """No raw HTML, only http(s) links, whole tables, and mentions of ``logins`` only."""
    seen = rendered(markdown)
    assert seen["html"] == [], f"{where}: raw HTML {seen['html']}\n{markdown}"
    assert all(href.startswith(("https://", "http://")) for href in seen["hrefs"]), f"{where}: {seen['hrefs']}"
    assert all(len(widths) == 1 for widths in table_widths(markdown)), f"{where}: broken table\n{markdown}"
    assert mentions(markdown) <= logins, f"{where}: mentions {mentions(markdown) - logins}"
