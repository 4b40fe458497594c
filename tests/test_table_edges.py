"""Edge cases of reading the homework table: BOMs, images in cells, absurd week labels."""

from __future__ import annotations

from studybot.core.table import find_table, parse_row, split_lines, week_number

HEAD = "|주차|과제|팀블로그|\n|---|---|---|\n"


def test_split_lines_drops_a_bom_and_counts_every_kind_of_line_break() -> None:
    """A README saved with a BOM and mixed line endings numbers its lines as GitHub shows them."""
    assert split_lines("\ufeff# 제목\r\n|a|\rb\nc") == ["# 제목", "|a|", "b", "c"]


def test_an_image_in_the_week_cell_is_read_by_its_alt_text() -> None:
    """A week label drawn as an image with alt text '3주차' still counts as week 3."""
    table = find_table(HEAD + "|![3주차](week3.png)|[김철수](https://a.example/1)|이영희|\n")
    assert table is not None
    (row,) = table.rows
    assert (row.label, row.week) == ("3주차", 3)


def test_an_absurdly_long_week_label_names_no_week() -> None:
    """A week cell longer than 200 characters is not mistaken for a week number."""
    assert week_number("3주차" + " " * 300) is None
    assert week_number("3주차") == 3


def test_a_bom_is_dropped_only_from_the_files_first_line() -> None:
    """A single row parsed as the file's first line ignores a BOM; elsewhere the BOM is text."""
    table = find_table(HEAD + "|1주차|[김철수](https://a.example/1)||\n")
    assert table is not None
    line = "\ufeff|2주차|[김철수](https://a.example/2)||"
    first = parse_row(table.header, line, 0)
    assert first is not None and first.week == 2 and first.problems == ()
    later = parse_row(table.header, line, 5)
    assert later is not None and later.week is None
    assert later.problems and later.problems[0].startswith("line 6:")
