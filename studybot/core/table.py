"""The homework table in a study README, read with a real Markdown parser (markdown-it-py).

Line numbers are 0-based and count line breaks the way Markdown does: ``\\r\\n``, ``\\r`` and
``\\n`` each end a line (see :func:`split_lines`). Only top-level tables are read, because the
history reader re-parses single changed lines with :func:`parse_row` and must get exactly the
rows :func:`find_table` gets; a line inside a quote or list item has no such meaning alone.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token

from studybot.core.members import visible

try:
    from markdown_it.common.utils import mdTrim as _md_trim
except ImportError:  # pragma: no cover - markdown-it-py 3 (not installed here) uses str.strip

    def _md_trim(string: str) -> str:
        return string.strip()


def _parser() -> MarkdownIt:
    """The one parser this module uses: CommonMark with GFM tables, blocks only by default."""
    md = MarkdownIt("commonmark").enable("table")
    # References would make a row mean something different in the whole file than alone
    # (parse_row), and the core inline pass would parse every cell of every table while only
    # three cells of one table matter; cells are inline-parsed on demand instead.
    md.disable(["reference", "inline", "text_join"])
    # The caller must see the target as written (to judge and warn about it), not the
    # percent-encoded or XSS-scrubbed form a renderer wants; nothing here renders HTML.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


_MD = _parser()


class Entry(NamedTuple):
    """One ``[name](url)`` in the submission cell; ``url`` is ``''`` for ``[name]()``.

    A named tuple rather than a dataclass: a history walk builds a million of them.
    """

    name: str
    url: str


@dataclass(frozen=True)
class BlogCell:
    """The team-blog cell: a link (``url`` set) or a plain name meaning "assigned, not yet"."""

    name: str | None
    url: str | None


@dataclass(frozen=True)
class Row:
    """One week row of the table; ``problems`` are short warnings naming the 1-based line."""

    line: int
    label: str
    week: int | None
    entries: tuple[Entry, ...]
    blog: BlogCell | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableHeader:
    """Column names and the positions of the columns the bot reads."""

    columns: tuple[str, ...]
    week_col: int
    submit_col: int
    blog_col: int | None
    header_line: int


@dataclass(frozen=True)
class Table:
    """The homework table: lines ``start`` (header) up to ``end`` (exclusive) and its rows."""

    header: TableHeader
    start: int
    end: int
    rows: tuple[Row, ...]
    problems: tuple[str, ...]


@dataclass(frozen=True)
class _Cell:
    """What one cell says: its plain text and its links as (text, target, is_autolink)."""

    text: str
    links: tuple[tuple[str, str, bool], ...]


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` numbered as the parser numbers them (a BOM is dropped)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _norm(text: str) -> str:
    """Names compare without format characters (a zero-width space shows nothing), in NFC,
    without surrounding whitespace, as typed on any OS."""
    return unicodedata.normalize("NFC", visible(text)).strip()


def _key(text: str) -> str:
    """How header cells are compared with configured column names."""
    return _norm(text).casefold()


_WEEK = re.compile(
    r"(?:제|week|wk|w|#)?[\s.:#-]*(\d{1,9})[\s.]*(?:주차|주|week|wk)?[\s.]*(?:[(\[].*)?",
    re.DOTALL,
)
_EMPHASIS = str.maketrans("", "", "*_~`")


def week_number(label: str) -> int | None:
    """The week a row label names ('3주차', 'Week 3', 'week3', '3주차 (4/13)'), or None."""
    if len(label) > 200:
        return None
    # NFKC folds full-width digits and no-break spaces; emphasis marks may be left in raw cells.
    text = unicodedata.normalize("NFKC", visible(label)).translate(_EMPHASIS).strip().casefold()
    match = _WEEK.fullmatch(text)
    return int(match.group(1)) if match else None


# The fast path: a cell that is only plain links between &nbsp;/<br>/spaces is read without
# the inline parser (a 200-entry cell costs ~6 ms there). The character classes leave out
# everything that could start another inline construct (escapes, entities, code, HTML,
# emphasis, images, nested brackets), so whatever matches means the same to both paths;
# anything else falls back to markdown-it. tests/test_table.py checks the two agree.
_SEPARATOR = r"(?:[ \t]|&nbsp;|<br ?/?>)*"
_LINK = r"\[([^\\`*_<>&\[\]!\n]*)\]\(([^\x00-\x20\x7f()<>\\&\[\]`\"'*!]*)\)"
_FAST_LINKS = re.compile(f"{_SEPARATOR}(?:{_LINK}{_SEPARATOR})*")
_FAST_LINK = re.compile(_LINK)
_FAST_BREAK = re.compile(r"<br ?/?>")
_INLINE_SYNTAX = frozenset("\\`*_<>&[]!\n")


def _fast_cell(content: str) -> _Cell | None:
    """The cell read without the parser, or None when it needs the parser."""
    if _INLINE_SYNTAX.isdisjoint(content):
        return _Cell(_norm(content), ())
    if not _FAST_LINKS.fullmatch(content):
        return None
    # One split in C gives [separator, text, target, separator, text, target, …, separator].
    parts = _FAST_LINK.split(content)
    names, targets = parts[1::3], parts[2::3]
    separators = [_FAST_BREAK.sub("", part.replace("&nbsp;", "\xa0")) for part in parts[0::3]]
    text = "".join(separator + name for separator, name in zip(separators, names + [""], strict=False))
    # A cell already in NFC without format characters holds names that are too (each sits
    # between ASCII brackets): they need only the strip, not a normalization each.
    plain = unicodedata.is_normalized("NFC", content) and visible(content) == content
    links = tuple((name.strip() if plain else _norm(name), target, False) for name, target in zip(names, targets, strict=False))
    return _Cell(_norm(text), links)


def _plain(tokens: Sequence[Token]) -> str:
    """The text a reader sees in inline tokens, without HTML tags.

    A cell is one line, so the inline parser never yields line-break tokens here.
    """
    parts = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type == "image" and token.children:
            parts.append(_plain(token.children))
    return "".join(parts)


def _slow_cell(content: str) -> _Cell:
    """The cell read by markdown-it's inline parser."""
    tokens: list[Token] = []
    _MD.inline.parse(content, _MD, {}, tokens)
    links = []
    inside: list[Token] = []
    opened: Token | None = None
    for token in tokens:
        if token.type == "link_open":
            opened, inside = token, []
        elif token.type == "link_close" and opened is not None:
            href = str(opened.attrs.get("href", ""))
            links.append((_norm(_plain(inside)), href, opened.markup == "autolink"))
            opened = None
        elif opened is not None:
            inside.append(token)
    return _Cell(_norm(_plain(tokens)), tuple(links))


@functools.lru_cache(maxsize=256)
def _cell(content: str) -> _Cell:
    """One cell's text and links; cached because history walks meet the same cells often."""
    return _fast_cell(content) or _slow_cell(content)


def _raw_cells(line: str) -> list[str]:
    """The cells of a row line, split exactly as the table rule splits them."""
    cells = escapedSplit(_md_trim(line))
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _cell_count(line: str) -> int:
    """How many cells the table rule sees in a row line."""
    trimmed = _md_trim(line)
    if "\\" in trimmed:
        return len(_raw_cells(line))
    count = trimmed.count("|") + 1 - trimmed.startswith("|") - trimmed.endswith("|")
    return max(count, 0)


def _is_delimiter(line: str) -> bool:
    """Whether a line is a header delimiter row such as ``|:---:|---|``."""
    trimmed = _md_trim(line)
    return "-" in trimmed and not trimmed.strip("|-: \t")


def _links_entries(cell: _Cell) -> tuple[tuple[Entry, ...], int]:
    """The attributable links of a submission cell, and how many links had no name."""
    entries = []
    unnamed = 0
    for name, url, autolink in cell.links:
        if autolink:
            continue  # <https://…> says nothing about whose it is
        if name:
            entries.append(Entry(name=name, url=url))
        else:
            unnamed += 1
    return tuple(entries), unnamed


_BARE_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def _blog(cell: _Cell) -> BlogCell:
    """The blog cell: its first link, else a bare URL (GitHub shows one as a link), else a name."""
    if cell.links:
        name, url, autolink = cell.links[0]
        return BlogCell(name=None if autolink or not name else name, url=url)
    if not cell.text:
        return BlogCell(name=None, url=None)
    if _BARE_URL.fullmatch(cell.text):
        return BlogCell(name=None, url=cell.text)
    return BlogCell(name=cell.text, url=None)


def _row(header: TableHeader, line: str, line_no: int, contents: Sequence[str]) -> Row | None:
    """Build a row from the cell contents the table rule produced for ``line``."""
    if _is_delimiter(line):
        return None
    width = len(header.columns)
    problems = []
    count = _cell_count(line)
    if count > width:
        problems.append(
            f"line {line_no + 1}: {count} cells but the header has {width}; "
            "write a | inside a link or name as \\|"
        )
        contents = _merge_extra_cells(_raw_cells(line), width, header.submit_col)
    elif count < width:
        problems.append(f"line {line_no + 1}: {count} cells but the header has {width}")
    label_cell = _cell(contents[header.week_col])
    submit_cell = _cell(contents[header.submit_col])
    if _key(label_cell.text) == _key(header.columns[header.week_col]) and _key(
        submit_cell.text
    ) == _key(header.columns[header.submit_col]):
        return None  # a repeated header line is no week
    entries, unnamed = _links_entries(submit_cell)
    if unnamed:
        problems.append(
            f"line {line_no + 1}: {unnamed} link(s) without a name; write [name](url)"
        )
    blog = None if header.blog_col is None else _blog(_cell(contents[header.blog_col]))
    return Row(
        line=line_no,
        label=label_cell.text,
        week=week_number(label_cell.text),
        entries=entries,
        blog=blog,
        problems=tuple(problems),
    )


def _merge_extra_cells(cells: list[str], width: int, submit_col: int) -> list[str]:
    """Cells of an over-long row, assuming the stray ``|`` sits in the submission cell.

    Members edit only that cell, so an unescaped pipe in a pasted URL is the usual cause;
    the cells left and right of it keep their places counted from either end.
    """
    after = width - submit_col - 1
    middle = cells[submit_col : len(cells) - after]
    merged = cells[:submit_col] + ["|".join(middle)] + cells[len(cells) - after :]
    return [_md_trim(cell) for cell in merged]


def _cell_contents(tokens: Sequence[Token], start: int, width: int) -> tuple[list[str], int]:
    """The inline contents of the ``width`` cells of the row opened at ``tokens[start]``."""
    contents = []
    index = start + 1
    while index < len(tokens) and tokens[index].type != "tr_close":
        if tokens[index].type == "inline":
            contents.append(tokens[index].content)
        index += 1
    contents += [""] * (width - len(contents))
    return contents, index


@functools.lru_cache(maxsize=64)
def _synthetic_head(width: int) -> str:
    """A header and delimiter line of ``width`` columns for parsing one row alone."""
    return "|" + "x|" * width + "\n|" + "-|" * width + "\n"


def _first_line(line: str, line_no: int = 0) -> str:
    """The first line of ``line`` as the parser sees it (line break dropped).

    A BOM is dropped only on the file's first line, as ``split_lines`` does for the whole file.
    """
    if line_no == 0 and line.startswith("\ufeff"):
        line = line[1:]
    ends = [end for end in (line.find("\r"), line.find("\n")) if end >= 0]
    if ends:
        line = line[: min(ends)]
    return line.replace("\0", "\ufffd")


def _split_contents(width: int, line: str) -> tuple[str, ...] | None:
    """The cell contents of a plain row line without the parser, or None if it needs one.

    A line that starts with ``|`` (indented less than a code block) can start no block that
    ends a table, and without a backslash the rule's escaped split is a plain split. Such
    lines are most of what history walks meet, and the parser's per-character split would
    cost milliseconds on a 200-member row.
    """
    indent = len(line) - len(line.lstrip(" "))
    if indent >= 4 or line[indent : indent + 1] != "|" or "\\" in line:
        return None
    cells = _md_trim(line).split("|")[1:]  # the trimmed line starts with its leading "|"
    if cells and cells[-1] == "":
        cells.pop()
    contents = [_md_trim(cell) if cell else "" for cell in cells[:width]]
    return tuple(contents + [""] * (width - len(contents)))


def _synthetic_contents(width: int, line: str) -> tuple[str, ...] | None:
    """The cell contents the table rule gives ``line`` under a ``width``-column header."""
    tokens = _MD.parse(_synthetic_head(width) + line)
    for index, token in enumerate(tokens):
        if token.type == "tr_open" and token.map and token.map[0] == 2:
            return tuple(_cell_contents(tokens, index, width)[0])
    return None


@functools.lru_cache(maxsize=256)
def _row_contents(width: int, line: str) -> tuple[str, ...] | None:
    """The cell contents of ``line`` as a body row, or None if the line would end a table."""
    contents = _split_contents(width, line)
    return contents if contents is not None else _synthetic_contents(width, line)


def parse_row(header: TableHeader, line: str, line_no: int) -> Row | None:
    """The row ``line`` is under ``header``, or None when it is no week row of such a table.

    ``line_no`` is the line's number in the file (-1 when unknown, never the first line).
    """
    line = _first_line(line, line_no)
    if "|" not in line:
        return None
    contents = _row_contents(len(header.columns), line)
    return None if contents is None else _row(header, line, line_no, contents)


def _header(
    tokens: Sequence[Token],
    start: int,
    line: int,
    wanted: tuple[str, str, str | None],
) -> TableHeader | None:
    """The header of the table opened at ``tokens[start]`` if it has the wanted columns."""
    names = []
    index = start
    while tokens[index].type != "thead_close":
        if tokens[index].type == "inline":
            names.append(_cell(tokens[index].content).text)
        index += 1
    keys = [_key(name) for name in names]
    week, submit, blog = (None if name is None else _key(name) for name in wanted)
    if week not in keys or submit not in keys:
        return None
    return TableHeader(
        columns=tuple(names),
        week_col=keys.index(week),
        submit_col=keys.index(submit),
        blog_col=keys.index(blog) if blog in keys else None,
        header_line=line,
    )


def find_table(
    text: str,
    week_column: str = "주차",
    column: str = "과제",
    blog_column: str | None = "팀블로그",
) -> Table | None:
    """The first top-level table whose header has ``week_column`` and ``column``, or None."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM would otherwise become part of the first header cell
    tokens = _MD.parse(text)
    wanted = (week_column, column, blog_column)
    for index, token in enumerate(tokens):
        if token.type != "table_open" or token.level != 0 or not token.map:
            continue
        header = _header(tokens, index, token.map[0], wanted)
        if header is not None:
            return _table(tokens, index, header, split_lines(text))
    return None


def _table(tokens: Sequence[Token], start: int, header: TableHeader, lines: list[str]) -> Table:
    """The rows of the table opened at ``tokens[start]`` under its known ``header``."""
    width = len(header.columns)
    rows: list[Row] = []
    problems: list[str] = []
    index = start
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open" and token.map and token.map[0] != header.header_line:
            line_no = token.map[0]
            contents, index = _cell_contents(tokens, index, width)
            line = lines[line_no].replace("\0", "\ufffd")
            if "|" not in line:
                problems.append(
                    f"line {line_no + 1}: GitHub shows this text as a table row; "
                    "put a blank line between the table and the text"
                )
                continue
            row = _row(header, line, line_no, contents)
            if row is not None:
                rows.append(row)
                problems.extend(row.problems)
        index += 1
    span = tokens[start].map
    end = span[1] if span else header.header_line + 2
    return Table(
        header=header, start=header.header_line, end=end, rows=tuple(rows), problems=tuple(problems)
    )
