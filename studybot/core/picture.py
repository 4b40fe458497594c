"""A picture of the term for the README: members × weeks, one mark a cell, and each member's fines.

An SVG the bot commits (see docs/decisions.md): it draws its own background, so it is legible on
light and dark pages alike, and switches palette with ``prefers-color-scheme``. Every mark is a
drawn shape (no emoji or symbol font needed) whose form, not only its colour, tells the state;
the legend names each shape in words and every cell has a ``<title>`` for screen readers.
"""

from __future__ import annotations

import enum
import posixpath
import re
import unicodedata
from dataclasses import dataclass

from studybot.core.markup import escape
from studybot.core.messages import Messages
from studybot.core.report import Report
from studybot.core.schedule import Schedule
from studybot.core.verdicts import Verdict

PICTURE_PATH = ".studybot/term.svg"
REGION = "picture"


class Mark(enum.StrEnum):
    """What one cell shows: a verdict, or a week not judged yet."""

    ON_TIME = "on_time"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"
    PENDING = "pending"
    NOT_MEMBER = "not_member"
    UPCOMING = "upcoming"


# Each shape is distinct in form, so the grid reads in greyscale and for colour-blind members.
SHAPES: dict[Mark, str] = {
    Mark.ON_TIME: '<path d="M-4.5 0.5 L-1.5 3.5 L4.5 -3.5"/>',  # a check
    Mark.LATE: '<circle r="5"/><path d="M0 -3 V0 L2.5 1.5"/>',  # a clock
    Mark.ABSENT: '<path d="M-4 -4 L4 4 M4 -4 L-4 4"/>',  # a cross
    Mark.EXCUSED: '<circle r="5"/><path d="M-3 0 H3"/>',  # a waived (minus) circle
    Mark.PENDING: '<circle cx="-4" r="1.2"/><circle r="1.2"/><circle cx="4" r="1.2"/>',  # an ellipsis
    Mark.NOT_MEMBER: '<circle r="1.5"/>',  # a dot
    Mark.UPCOMING: "",
}

LEGEND = (Mark.ON_TIME, Mark.LATE, Mark.ABSENT, Mark.EXCUSED, Mark.PENDING)

# Light palette first; the dark one follows GitHub's dark theme. Fill, outline and mark colours.
STYLE = """
.bg{fill:#ffffff;stroke:#d0d7de}
.tx{fill:#1f2328}.dim{fill:#59636e}
.c rect{stroke-width:1.2}.c .m{fill:none;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}
.on_time rect{fill:#dafbe1;stroke:#1a7f37}.on_time .m{stroke:#1a7f37}
.late rect{fill:#fff8c5;stroke:#9a6700}.late .m{stroke:#9a6700}
.absent rect{fill:#ffebe9;stroke:#cf222e}.absent .m{stroke:#cf222e;stroke-width:2.2}
.excused rect{fill:#ffffff;stroke:#0969da}.excused .m{stroke:#0969da}
.pending rect{fill:#ffffff;stroke:#59636e;stroke-dasharray:3 2}.pending .m{fill:#59636e;stroke:none}
.not_member rect{fill:none;stroke:none}.not_member .m{fill:#8c959f;stroke:none}
.upcoming rect{fill:none;stroke:#d0d7de;stroke-dasharray:2 3}
@media (prefers-color-scheme: dark){
.bg{fill:#0d1117;stroke:#30363d}
.tx{fill:#e6edf3}.dim{fill:#9198a1}
.on_time rect{fill:#0f2d1a;stroke:#3fb950}.on_time .m{stroke:#3fb950}
.late rect{fill:#332701;stroke:#d29922}.late .m{stroke:#d29922}
.absent rect{fill:#3c1618;stroke:#f85149}.absent .m{stroke:#f85149}
.excused rect{fill:#0d1117;stroke:#58a6ff}.excused .m{stroke:#58a6ff}
.pending rect{fill:#0d1117;stroke:#9198a1}.pending .m{fill:#9198a1}
.not_member .m{fill:#6e7681}
.upcoming rect{stroke:#30363d}
}
"""

FONT = (
    "-apple-system,BlinkMacSystemFont,'Segoe UI','Noto Sans KR','Noto Sans CJK KR',"
    "'Apple SD Gothic Neo','Malgun Gothic',Helvetica,Arial,sans-serif"
)

PAD, TITLE_H, HEAD_H, ROW_H, CELL_H, GAP = 16, 30, 24, 30, 22, 6
FONT_PX, TITLE_PX = 12, 15
NAME_MAX_PX = 180

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_XML_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def xml(text: str) -> str:
    """Text for an SVG element or attribute: XML-escaped, without characters XML 1.0 forbids."""
    text = _CONTROL.sub("", text.replace("\r", " ").replace("\n", " ").replace("\t", " "))
    return text.translate(_XML_TABLE)


def text_width(text: str, size: float = FONT_PX) -> float:
    """An estimate of rendered width: full-width (Hangul, CJK) glyphs ~1 em, others ~0.6 em."""
    return sum(size if unicodedata.east_asian_width(char) in "WF" else size * 0.6 for char in text)


def fit(text: str, limit: float, size: float = FONT_PX) -> str:
    """Shortened with an ellipsis so it fits ``limit`` pixels (names only; the title holds all)."""
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + "…", size) > limit:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Cell:
    member: str
    week: int
    mark: Mark
    fine: int


def term_cells(report: Report, schedule: Schedule) -> list[list[Cell]]:
    """One row per member, one cell per graded week of the term; weeks not judged yet are upcoming."""
    judged = {week.week.number: week for week in report.weeks}
    rows = []
    for name in report.tallies:
        row = []
        for week in schedule.weeks:
            report_week = judged.get(week.number)
            if report_week is None or name not in report_week.members:
                row.append(Cell(name, week.number, Mark.UPCOMING, 0))
            else:
                judgement = report_week.members[name]
                row.append(Cell(name, week.number, Mark(judgement.verdict.value), judgement.fine))
        rows.append(row)
    return rows


def mark_label(mark: Mark, messages: Messages) -> str:
    if mark is Mark.UPCOMING:
        return messages.t("picture.upcoming")
    return messages.verdict(Verdict(mark.value))


def _cell(x: float, y: float, width: float, mark: Mark, title: str) -> str:
    shape = SHAPES[mark]
    centre = f'<g class="m" transform="translate({width / 2:g} {CELL_H / 2:g})">{shape}</g>' if shape else ""
    return (
        f'<g class="c {mark.value}" transform="translate({x:g} {y:g})"><title>{title}</title>'
        f'<rect width="{width:g}" height="{CELL_H}" rx="4"/>{centre}</g>'
    )


def term_picture(report: Report, schedule: Schedule, messages: Messages) -> str:
    """The SVG text: title, members × weeks grid, fines column, legend. Same report, same bytes."""
    rows = term_cells(report, schedule)

    def money(amount: int) -> str:
        return messages.money(amount, report.currency)

    week_labels = [messages.t("fines.week", week=week.number) for week in schedule.weeks]
    names = list(report.tallies)
    shown_names = [fit(name, NAME_MAX_PX) for name in names]
    fines = [money(report.tallies[name].fines) for name in names]
    fines_head = messages.t("fines.total")

    cell_w = max([34.0] + [text_width(label, FONT_PX - 1) + 6 for label in week_labels])
    name_w = max([text_width(messages.t("fines.member"))] + [text_width(name) for name in shown_names]) + 14
    fines_w = max([text_width(fines_head)] + [text_width(amount) for amount in fines]) + 8
    grid_x = PAD + name_w
    fines_x = grid_x + len(schedule.weeks) * (cell_w + GAP) + 10
    grid_y = PAD + TITLE_H + HEAD_H

    used = {cell.mark for row in rows for cell in row}
    legend = list(LEGEND) + [mark for mark in (Mark.NOT_MEMBER, Mark.UPCOMING) if mark in used]
    legend_items = []
    x = float(PAD)
    legend_y = grid_y + len(rows) * ROW_H + 14
    for mark in legend:
        label = mark_label(mark, messages)
        legend_items.append(_cell(x, legend_y, 26, mark, xml(label)))
        legend_items.append(
            f'<text class="tx" x="{x + 32:g}" y="{legend_y + CELL_H / 2 + 4:g}">{xml(label)}</text>'
        )
        x += 32 + text_width(label) + 18
    width = max(fines_x + fines_w + PAD, x + PAD)
    height = legend_y + CELL_H + PAD

    title = messages.t("picture.title", study=report.study)
    description = messages.t("picture.alt", study=report.study, members=len(names), weeks=len(schedule.weeks))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-labelledby="t d" '
        f'font-family="{FONT}" font-size="{FONT_PX}">',
        f'<title id="t">{xml(title)}</title><desc id="d">{xml(description)}</desc>',
        f"<style>{STYLE}</style>",
        f'<rect class="bg" x="0.5" y="0.5" width="{width - 1:g}" height="{height - 1:g}" rx="8"/>',
        f'<text class="tx" x="{PAD}" y="{PAD + 16}" font-size="{TITLE_PX}" font-weight="600">{xml(title)}</text>',
        f'<text class="dim" x="{PAD}" y="{PAD + TITLE_H + 14}">{xml(messages.t("fines.member"))}</text>',
    ]
    for index, label in enumerate(week_labels):
        centre = grid_x + index * (cell_w + GAP) + cell_w / 2
        parts.append(
            f'<text class="dim" x="{centre:g}" y="{PAD + TITLE_H + 14}" font-size="{FONT_PX - 1}" '
            f'text-anchor="middle">{xml(label)}</text>'
        )
    parts.append(
        f'<text class="dim" x="{fines_x + fines_w:g}" y="{PAD + TITLE_H + 14}" text-anchor="end">{xml(fines_head)}</text>'
    )
    for row_index, row in enumerate(rows):
        y = grid_y + row_index * ROW_H
        baseline = y + CELL_H / 2 + 4
        parts.append(f'<text class="tx" x="{PAD}" y="{baseline:g}">{xml(shown_names[row_index])}</text>')
        for index, cell in enumerate(row):
            label = mark_label(cell.mark, messages)
            if cell.fine:
                label += " · " + messages.t("picture.fine", amount=money(cell.fine))
            cell_title = messages.t("picture.cell", member=xml(cell.member), week=cell.week, verdict=xml(label))
            parts.append(_cell(grid_x + index * (cell_w + GAP), y, cell_w, cell.mark, cell_title))
        weight = ' font-weight="600"' if report.tallies[names[row_index]].fines else ""
        parts.append(
            f'<text class="tx" x="{fines_x + fines_w:g}" y="{baseline:g}" text-anchor="end"{weight}>'
            f"{xml(fines[row_index])}</text>"
        )
    parts += legend_items
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def picture_region(
    report: Report,
    schedule: Schedule,
    messages: Messages,
    picture_path: str = PICTURE_PATH,
    readme_path: str = "README.md",
) -> str:
    """The Markdown between the README's picture markers: the SVG by a link relative to the README."""
    target = posixpath.relpath(picture_path, posixpath.dirname(readme_path) or ".")
    description = messages.t("picture.alt", study=report.study, members=len(report.tallies), weeks=len(schedule.weeks))
    return f"![{escape(description)}]({target})"
