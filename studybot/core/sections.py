"""The week-section README: a heading or a ``<details><summary>`` block per week, links as a list.

```
## 3주차                          <details>
- [x] [장서진](https://…)          <summary>3주차</summary>
- [ ] [구미진]()
- [ ] 이은빈                       - [x] [장서진](https://…)
                                  </details>
```

Read with markdown-it-py (``submissions.readme.layout: sections``): a heading whose text is a
week label opens that week's section, as does an HTML block with a ``<summary>`` naming a week.
The section runs to the next heading of the same or a higher level, to ``</details>``, or to the
next week. Its top-level list items are the entries, each read like a table cell's link:

- ``[x] [이름](link)``, ``[ ] [이름](link)`` or ``[이름](link)``: handed in (the box is the
  member's own mark; the link is the work);
- ``[ ] [이름]()`` or ``[ ] 이름``: not yet;
- ``[x] 이름`` or ``[x] [이름]()``: ticked without a link: not a submission, and a warning.

The result is the table's :class:`~studybot.core.table.Row` per week, so the history replay and
the ownership rule are the table's.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it.token import Token

from studybot.core.table import _MD, Entry, Row, _cell, _norm, week_number

# A task box at the start of a list item, as GitHub draws one: "[ ]", "[x]" or "[X]".
_BOX = re.compile(r"\[([ xX])\](?:[ \t]+|$)")
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_DETAILS_END = re.compile(r"</details\s*>", re.IGNORECASE)
_LISTS = ("bullet_list_open", "ordered_list_open")


@dataclass(frozen=True)
class Section:
    """One week's section: the row it amounts to, and who ticked their box without a link."""

    week: int
    row: Row
    ticked_without_link: tuple[str, ...] = ()


@dataclass
class _Open:
    """The section being read: its heading level (7 for a ``<details>`` block) and what it holds so far."""

    line: int
    label: str
    week: int
    level: int
    entries: list[Entry]
    ticked: list[str]

    def close(self) -> Section:
        row = Row(line=self.line, label=self.label, week=self.week, entries=tuple(self.entries), blog=None)
        return Section(self.week, row, tuple(self.ticked))


def find_sections(text: str) -> tuple[Section, ...]:
    """Every week section of ``text``, in the order they appear (a week may appear twice)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    sections: list[Section] = []
    last = _read(_MD.parse(text), 0, sections, None)
    if last is not None:
        sections.append(last.close())  # the last section runs to the end of the file
    return tuple(sections)


def _read(tokens: list[Token], offset: int, sections: list[Section], current: _Open | None) -> _Open | None:
    """Read ``tokens`` (of text starting at line ``offset``) into ``sections``; the section still open."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.type in _LISTS:
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "heading_open" and depth == 0:
            level = int(token.tag[1:])
            label = _cell(tokens[index + 1].content).text
            week = week_number(label)
            # A heading inside a <details> block (level 7) is part of it; </details> ends it.
            if current is not None and (week is not None or level <= current.level < 7):
                sections.append(current.close())
                current = None
            if week is not None:
                current = _Open(_line(token, offset), label, week, level, [], [])
        elif token.type == "html_block":
            current = _html(token, offset, sections, current)
        elif token.type == "inline" and depth == 1 and current is not None and tokens[index - 2].type == "list_item_open":
            _item(token.content, current)
    return current


def _html(token: Token, offset: int, sections: list[Section], current: _Open | None) -> _Open | None:
    """An HTML block: a ``<summary>`` naming a week opens a section, ``</details>`` closes one.

    Markdown right after ``</summary>`` in the same block (no blank line) is shown by GitHub as
    plain text; a reader still sees the list there, so it is read as Markdown.
    """
    content = token.content
    summary = _SUMMARY.search(content)
    if summary is None:
        if current is not None and current.level == 7 and _DETAILS_END.search(content):
            sections.append(current.close())
            return None
        return current
    label = _norm(html.unescape(_TAG.sub("", summary.group(1))))
    week = week_number(label)
    if week is None:
        return current
    if current is not None:
        sections.append(current.close())
    opened = _Open(_line(token, offset) + content.count("\n", 0, summary.start()), label, week, 7, [], [])
    rest = content[summary.end() :]
    closes = _DETAILS_END.search(rest)
    if closes is not None:
        rest = rest[: closes.start()]
    line = _line(token, offset) + content.count("\n", 0, summary.end())
    still = _read(_MD.parse(rest), line, sections, opened)
    if closes is not None and still is not None:
        sections.append(still.close())
        return None
    return still


def _item(content: str, section: _Open) -> None:
    """One top-level list item of a week section, read into its entries."""
    box = _BOX.match(content)
    rest = content[box.end() :] if box else content
    cell = _cell(rest)
    named = [Entry(name, url) for name, url, autolink in cell.links if name and not autolink]
    if named:
        section.entries.extend(named)
        if box and box.group(1) in "xX" and not any(entry.url for entry in named):
            section.ticked.extend(entry.name for entry in named)
        return
    if box is None or not cell.text:
        return  # a note in the list, not an entry
    section.entries.append(Entry(cell.text, ""))
    if box.group(1) in "xX":
        section.ticked.append(cell.text)


def _line(token: Token, offset: int) -> int:
    return offset + (token.map[0] if token.map else 0)
