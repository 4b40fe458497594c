"""Reading the homework table: the seed README, link syntax, mangled rows, single lines."""

from __future__ import annotations

import unicodedata

import pytest
from helpers import SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studybot.core import table as table_module
from studybot.core.evidence import link_problem
from studybot.core.table import (
    BlogCell,
    Entry,
    TableHeader,
    find_table,
    parse_row,
    split_lines,
    week_number,
)

# The seed study's README (table verbatim, plus the later section with links outside it);
# test_the_embedded_seed_is_the_shared_seed keeps this copy honest.
SEED_README = """\
# Study-MLOps

## 과제 제출
|주차|과제|팀블로그|
|:---:|---|:---:|
|1주차|[장서진](https://sulky-waltz-11f.notion.site/Fundamentals-c8b16a51a73346ae8e844aab9bdfb160) &nbsp; [구미진]() &nbsp; [이은빈](https://github.com/binable43/Study-MLOps/blob/main/Week1/Week%201%20:%20Fundamentals.md) &nbsp; [한현경](https://velog.io/@shining_arrow/1.-Deep-Learning-Fundamentals) &nbsp; [문수인](https://github.com/m0oon0/ML/blob/main/MLops/1%20:%20DL%20Fundamentals.md)|[이은빈](https://gdscewha.tistory.com/entry/1%EC%A3%BC%EC%B0%A8-Fundamentals)|
|2주차|[장서진](https://sulky-waltz-11f.notion.site/CNNs-ce8c018811304682b343039d61bc2387) &nbsp; [구미진]() &nbsp; [이은빈](https://github.com/binable43/Study-MLOps/blob/main/Week2/Week%202A%20:%20CNNs.md) &nbsp; [한현경](https://velog.io/@shining_arrow/2B.-Computer-Vision) &nbsp; [문수인](https://github.com/m0oon0/ML/blob/main/MLops/2%20:%20Computer%20Vision.md)|[문수인](https://gdscewha.tistory.com/entry/2%EC%A3%BC%EC%B0%A8-CNNs)|
|3주차|[장서진](https://sulky-waltz-11f.notion.site/RNNs-2ad8537ca7ca48a18d125e6873cc7728) &nbsp; [구미진](https://github.com/mijinkoo/Study-MLOps/blob/main/Lecture03_RNN.md) &nbsp; [이은빈](https://github.com/binable43/Study-MLOps/blob/main/Week3/Week%203%20:%20RNNs.md) &nbsp; [한현경](https://velog.io/@shining_arrow/3.-RNNs) &nbsp; [문수인](https://github.com/m0oon0/ML/blob/main/MLops/3%20:%20RNNs.md)|[한현경](https://gdscewha.tistory.com/127)|
|4주차|[장서진](https://sulky-waltz-11f.notion.site/Transformers-0b570a89591e416f856fc47b23f9f640) &nbsp; [구미진](https://github.com/mijinkoo/Study-MLOps/blob/main/Lecture04_TransferLearning_Transformer.md) &nbsp; [이은빈](https://github.com/binable43/Study-MLOps/blob/main/Week4/Week%204%20:%20Transfer%20Learning%20and%20Transformers.md) &nbsp; [한현경](https://velog.io/@shining_arrow/4.Transformers) &nbsp; [문수인]()|[장서진](https://gdscewha.tistory.com/entry/4%EC%A3%BC%EC%B0%A8-Transformers)|
|5주차|[장서진](https://sulky-waltz-11f.notion.site/ML-Projects-110276e361a64153804005d5f62d22a4) &nbsp; [구미진](https://maktubi.tistory.com/231?category=556331) &nbsp; [이은빈](https://github.com/binable43/Study-MLOps/blob/main/Week5/Week%205%20:%20ML%20Project.md) &nbsp; [한현경]() &nbsp; [문수인](https://github.com/m0oon0/ML/blob/main/MLops/5%20:%20ML%20Projects.md)|[구미진](https://gdscewha.tistory.com/entry/5%EC%A3%BC%EC%B0%A8-ML-Projects)|
|6주차|[장서진]() &nbsp; [구미진]() &nbsp; [이은빈]() &nbsp; [한현경]() &nbsp; [문수인]()|이은빈|
|7주차|[장서진]() &nbsp; [구미진]() &nbsp; [이은빈]() &nbsp; [한현경]() &nbsp; [문수인]()|문수인|
|8주차|[장서진]() &nbsp; [구미진]() &nbsp; [이은빈]() &nbsp; [한현경]() &nbsp; [문수인]()|한현경|
|9주차|[장서진]() &nbsp; [구미진]() &nbsp; [이은빈]() &nbsp; [한현경]() &nbsp; [문수인]()|장서진|
|10주차|[장서진]() &nbsp; [구미진]() &nbsp; [이은빈]() &nbsp; [한현경]() &nbsp; [문수인]()|구미진|
|11주차|[장서진]() &nbsp; [구미진]() &nbsp; [이은빈]() &nbsp; [한현경]() &nbsp; [문수인]()|이은빈|
|12주차|[장서진]() &nbsp; [구미진]() &nbsp; [이은빈]() &nbsp; [한현경]() &nbsp; [문수인]()|문수인|

<!-- ()안에 과제 기록한 곳 링크 넣으시면 됩니다! -->

---
...
### 🔖 방식

- [Full Stack Deep Learning](https://fullstackdeeplearning.com/spring2021/) 커리큘럼
    
    [Curriculum](https://www.notion.so/ecfe787911214109a8039fc61f264edd)
    
"""

HEAD = "|주차|과제|팀블로그|\n|---|---|---|\n"
NAMES = ("장서진", "구미진", "이은빈", "한현경", "문수인")


def read(*rows: str, head: str = HEAD, **columns):
    """The table of a README made of ``head`` and ``rows``."""
    table = find_table(head + "\n".join(rows) + "\n", **columns)
    assert table is not None
    return table


def only_row(*rows: str, **columns):
    """The single row of a one-row table."""
    (row,) = read(*rows, **columns).rows
    return row


def urls(row) -> dict[str, str]:
    return {entry.name: entry.url for entry in row.entries}


# --- the seed README --------------------------------------------------------------------


def test_the_seed_readme_reads_exactly_its_links():
    """The seed's twelve week rows give every member's link, and nothing outside the table."""
    table = find_table(SEED_README)
    assert table is not None
    assert table.problems == ()
    assert table.header.columns == ("주차", "과제", "팀블로그")
    assert (table.start, table.end) == (3, 17)
    assert [row.week for row in table.rows] == list(range(1, 13))
    assert [row.label for row in table.rows] == [f"{week}주차" for week in range(1, 13)]
    assert all(tuple(e.name for e in row.entries) == NAMES for row in table.rows)
    filled = {row.week: sum(1 for e in row.entries if e.url) for row in table.rows}
    assert filled == {1: 4, 2: 4, 3: 5, 4: 4, 5: 4} | {week: 0 for week in range(6, 13)}
    missing = {row.week: [e.name for e in row.entries if not e.url] for row in table.rows[:5]}
    assert missing == {1: ["구미진"], 2: ["구미진"], 3: [], 4: ["문수인"], 5: ["한현경"]}
    every_url = {e.url for row in table.rows for e in row.entries}
    assert not any("fullstackdeeplearning" in url or "notion.so" in url for url in every_url)


def test_the_seed_blog_column_has_links_then_assignees():
    """Weeks 1–5 show who posted the team blog and where; weeks 6–12 only name the assignee."""
    table = find_table(SEED_README)
    assert table is not None
    blogs = [row.blog for row in table.rows]
    assert blogs[0] == BlogCell(
        "이은빈", "https://gdscewha.tistory.com/entry/1%EC%A3%BC%EC%B0%A8-Fundamentals"
    )
    assert [blog.name for blog in blogs[:5]] == ["이은빈", "문수인", "한현경", "장서진", "구미진"]
    assert all(blog.url and blog.url.startswith("https://gdscewha.tistory.com/") for blog in blogs[:5])
    assigned = ["이은빈", "문수인", "한현경", "장서진", "구미진", "이은빈", "문수인"]
    assert blogs[5:] == [BlogCell(name, None) for name in assigned]


def test_seed_urls_are_kept_exactly_as_written():
    """A link with %20 and ':' in it comes back character for character, not re-encoded."""
    table = find_table(SEED_README)
    assert table is not None
    assert urls(table.rows[0])["이은빈"] == (
        "https://github.com/binable43/Study-MLOps/blob/main/Week1/Week%201%20:%20Fundamentals.md"
    )
    assert urls(table.rows[4])["구미진"] == "https://maktubi.tistory.com/231?category=556331"


def test_the_embedded_seed_is_the_shared_seed():
    """The copy of the seed table in these tests is the seed study's README, line for line."""
    seed = SHARED / "seeds" / "study-mlops-README.md"
    if not seed.exists():
        pytest.skip("the shared seed files are not next to this checkout")
    assert split_lines(seed.read_text(encoding="utf-8"))[:21] == split_lines(SEED_README)[:21]


def test_every_seed_row_line_parses_alone_to_the_same_row():
    """Re-reading one changed seed line alone (as history walks do) gives the same row."""
    table = find_table(SEED_README)
    assert table is not None
    lines = split_lines(SEED_README)
    for row in table.rows:
        assert parse_row(table.header, lines[row.line], row.line) == row


# --- link syntax ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "separator", [" &nbsp; ", "&nbsp;", " ", "  ", "<br>", "<br/>", "<br />", " <br> ", ""]
)
def test_entries_are_separated_by_nbsp_spaces_or_line_breaks(separator):
    """However members separate their links, each link is one entry, in order."""
    links = ["[장서진](https://a.example/1)", "[구미진]()", "[이은빈](https://b.example/2)"]
    cell = separator.join(links)
    row = only_row(f"|3주차|{cell}|이은빈|")
    assert row.entries == (
        Entry("장서진", "https://a.example/1"),
        Entry("구미진", ""),
        Entry("이은빈", "https://b.example/2"),
    )


def test_an_empty_link_means_not_yet():
    """``[name]()`` is an entry with an empty url, not a missing member and not a problem."""
    row = only_row("|1주차|[구미진]()|이은빈|")
    assert row.entries == (Entry("구미진", ""),)
    assert row.problems == ()


@pytest.mark.parametrize(
    ("cell", "name", "url"),
    [
        (r"[a\|b](https://x.example/p)", "a|b", "https://x.example/p"),
        (r"[장서진](https://x.example/a\|b?q=1\|2)", "장서진", "https://x.example/a|b?q=1|2"),
        ("[장서진](<https://x.example/y z>)", "장서진", "https://x.example/y z"),
        *(
            (f"[장서진]({url})", "장서진", url)
            for url in (
                "https://en.wikipedia.org/wiki/Foo_(bar)",
                "https://x.example/Week%201%20:%20A.md",
                "https://ko.wikipedia.org/wiki/대한민국",
                "https://velog.io/@shining_arrow/3.-RNNs",
            )
        ),
        ("[장서진](https://x.example/?a=1&amp;b=2)", "장서진", "https://x.example/?a=1&b=2"),
        (r"[장서진](https://x.example/\_y)", "장서진", "https://x.example/_y"),
        ('[장서진](https://x.example/p "my notes")', "장서진", "https://x.example/p"),
        ("**[장서진](https://x.example/p)**", "장서진", "https://x.example/p"),
        ("[**장서진**](https://x.example/p)", "장서진", "https://x.example/p"),
        ("[ 장서진 ](https://x.example/p)", "장서진", "https://x.example/p"),
    ],
)
def test_link_targets_come_back_as_written(cell, name, url):
    """Escaped pipes, <…> targets, parentheses, %-codes and Korean survive; escapes are undone."""
    row = only_row(f"|2주차|{cell}|x|")
    assert row.entries == (Entry(name, url),)
    assert row.problems == ()


def test_a_javascript_link_is_reported_so_the_caller_can_warn():
    """A ``javascript:`` link is kept as an entry (renderers would drop it) and is no valid link."""
    row = only_row("|1주차|[장서진](javascript:alert(1)) [구미진](#top) [이은빈](notes.md)|x|")
    assert urls(row) == {"장서진": "javascript:alert(1)", "구미진": "#top", "이은빈": "notes.md"}
    assert [link_problem(entry.url) for entry in row.entries] == [
        "javascript:",
        "not an http(s) link",
        "not an http(s) link",
    ]


def test_plain_text_and_bare_urls_are_not_entries():
    """A bare name, a bare URL or an autolink in the submission cell belongs to nobody: ignored."""
    row = only_row(
        "|1주차|장서진 https://a.example/1 <https://b.example/2> [구미진](https://c.example/3)|x|"
    )
    assert row.entries == (Entry("구미진", "https://c.example/3"),)


def test_a_link_without_a_name_is_a_problem_not_an_entry():
    """``[](url)`` cannot be matched to a member, so it is reported instead."""
    row = only_row("|1주차|[](https://a.example/1) [구미진]()|x|")
    assert row.entries == (Entry("구미진", ""),)
    assert len(row.problems) == 1 and "without a name" in row.problems[0]


def test_decomposed_korean_names_are_normalised():
    """A name typed on macOS (NFD jamo) equals the configured NFC name."""
    nfd = unicodedata.normalize("NFD", "장서진")
    assert nfd != "장서진"
    row = only_row(f"|1주차|[{nfd}](https://a.example/1)|{nfd}|")
    assert row.entries == (Entry("장서진", "https://a.example/1"),)
    assert row.blog == BlogCell("장서진", None)


@pytest.mark.parametrize(
    ("cell", "blog"),
    [
        ("", BlogCell(None, None)),
        ("  ", BlogCell(None, None)),
        ("이은빈", BlogCell("이은빈", None)),
        ("**이은빈**", BlogCell("이은빈", None)),
        ("[이은빈](https://blog.example/1)", BlogCell("이은빈", "https://blog.example/1")),
        ("[이은빈]()", BlogCell("이은빈", "")),
        ("<https://blog.example/1>", BlogCell(None, "https://blog.example/1")),
        ("https://blog.example/1", BlogCell(None, "https://blog.example/1")),
    ],
)
def test_the_blog_cell_holds_a_link_or_the_assignee(cell, blog):
    """The team-blog cell is read as a posted link (with or without a name) or a plain name."""
    assert only_row(f"|1주차|[a]()|{cell}|").blog == blog


def test_a_table_without_a_blog_column_has_no_blog_cells():
    """Studies without a team blog still get their submissions read."""
    row = only_row("|1주차|[a](https://a.example)|", head="|주차|과제|\n|---|---|\n")
    assert row.blog is None
    assert row.entries == (Entry("a", "https://a.example"),)


# --- table shape --------------------------------------------------------------------------


def test_columns_in_any_order_with_extra_columns():
    """The week column need not come first, and columns the bot does not know are skipped."""
    table = read(
        "|메모|[x](https://x.example)|[장서진](https://a.example)|2주차|[이은빈](https://b.example)|",
        head="|비고|기타|과제|주차|팀블로그|\n|---|---|---|---|---|\n",
    )
    assert (table.header.week_col, table.header.submit_col, table.header.blog_col) == (3, 2, 4)
    (row,) = table.rows
    assert (row.week, row.entries, row.blog) == (
        2,
        (Entry("장서진", "https://a.example"),),
        BlogCell("이은빈", "https://b.example"),
    )


def test_rows_in_any_order_keep_their_weeks_and_lines():
    """Rows need not be sorted; each keeps its own week and line number."""
    table = read("|3주차|[a]()|x|", "|1주차|[b]()|y|", "|2주차|[c]()|z|")
    assert [(row.week, row.line) for row in table.rows] == [(3, 2), (1, 3), (2, 4)]


def test_other_tables_before_and_after_are_ignored():
    """Only the first table with both the week and the submission column is read."""
    text = (
        "|주차|날짜|\n|---|---|\n|1주차|4/13|\n\n"
        "|이름|과제|\n|---|---|\n|장서진|[x](https://x.example)|\n\n"
        "|주차|과제|\n|---|---|\n|1주차|[장서진](https://a.example)|\n\n"
        "|주차|과제|\n|---|---|\n|1주차|[장서진](https://wrong.example)|\n"
    )
    table = find_table(text)
    assert table is not None
    assert table.start == 8
    assert [row.entries for row in table.rows] == [(Entry("장서진", "https://a.example"),)]


def test_configured_column_names_are_used():
    """A study with English column names finds its table through the config."""
    text = "| Week | Homework | Blog |\n|---|---|---|\n| Week 2 | [Ann](https://a.example) | Bob |\n"
    table = find_table(text, week_column="week", column="Homework", blog_column="Blog")
    assert table is not None
    (row,) = table.rows
    assert (row.week, row.entries) == (2, (Entry("Ann", "https://a.example"),))
    assert row.blog == BlogCell("Bob", None)
    assert find_table(text) is None


def test_header_cells_with_spaces_bold_and_decomposed_korean_match():
    """Header cells written as `` **주차** `` or in NFD still name the columns."""
    head = f"| **주차** |  {unicodedata.normalize('NFD', '과제')}  | _팀블로그_ |\n|:-:|-|:-:|\n"
    row = only_row("|4주차|[a](https://a.example)|b|", head=head)
    assert (row.week, row.entries) == (4, (Entry("a", "https://a.example"),))
    assert row.blog == BlogCell("b", None)


def test_no_table_or_no_matching_header_gives_none():
    """A README without the homework table yields None (the caller warns), never an exception."""
    assert find_table("") is None
    assert find_table("# Study\n\nno table here\n") is None
    assert find_table("|이름|메모|\n|---|---|\n|a|b|\n") is None


def test_tables_in_code_blocks_and_quotes_are_not_read():
    """A table shown as an example in a code fence, or quoted, is not the study's table."""
    fenced = "```\n" + HEAD + "|1주차|[a](https://a.example)|x|\n```\n"
    quoted = "".join(f"> {line}\n" for line in (HEAD + "|1주차|[a]()|x|").split("\n"))
    assert find_table(fenced) is None
    assert find_table(quoted) is None


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_are_right_whatever_the_line_breaks(newline):
    """CRLF (and old-Mac CR) files give the same line numbers as LF files."""
    rows = ["|1주차|[a](https://a.example)|x|", "|2주차|[b]()|y|"]
    text = "\n".join(["# Study", "", "intro", HEAD.rstrip("\n"), *rows, "", "tail"])
    text = text.replace("\n", newline)
    table = find_table(text)
    assert table is not None
    assert (table.start, table.end, table.header.header_line) == (3, 7, 3)
    assert [row.line for row in table.rows] == [5, 6]
    assert table.rows[0].entries == (Entry("a", "https://a.example"),)
    lines = split_lines(text)
    assert lines[5].startswith("|1주차|")
    for row in table.rows:
        assert parse_row(table.header, lines[row.line] + newline, row.line) == row


def test_a_bom_before_the_table_is_ignored():
    """A README saved with a BOM still has its header at line 0 and the right first column."""
    table = find_table("\ufeff" + HEAD + "|1주차|[a](https://a.example)|x|\n")
    assert table is not None
    assert table.header.columns == ("주차", "과제", "팀블로그")
    assert (table.start, table.rows[0].line, table.rows[0].week) == (0, 2, 1)


# --- mangled rows -----------------------------------------------------------------------------


def test_a_row_with_too_few_cells_is_read_and_reported():
    """A row missing its blog cell still yields its links, plus a short problem."""
    row = only_row("|1주차|[a](https://a.example)")
    assert row.entries == (Entry("a", "https://a.example"),)
    assert row.blog == BlogCell(None, None)
    assert row.problems == ("line 3: 2 cells but the header has 3",)


def test_an_unescaped_pipe_in_a_url_keeps_the_links_and_is_reported():
    """A pasted URL with a bare | splits the row; links and blog cell are recovered, with a hint."""
    table = read("|1주차|[a](https://a.example/x|y) &nbsp; [b](https://b.example)|[c](https://c.ex)|")
    (row,) = table.rows
    assert row.entries == (Entry("a", "https://a.example/x|y"), Entry("b", "https://b.example"))
    assert row.blog == BlogCell("c", "https://c.ex")
    assert len(row.problems) == 1 and "\\|" in row.problems[0]
    assert table.problems == row.problems


def test_text_right_after_the_table_is_reported_not_read_as_a_week():
    """A paragraph glued to the table (GitHub shows it as a row) is flagged, not taken as a week."""
    table = read("|1주차|[a]()|x|", "3주차 [b](https://b.example)")
    assert [row.week for row in table.rows] == [1]
    assert len(table.problems) == 1 and "blank line" in table.problems[0]
    assert parse_row(table.header, "3주차 [b](https://b.example)", 3) is None


def test_unparseable_week_labels_leave_week_none():
    """A break row such as ``중간고사`` is kept with week None so the caller can decide."""
    table = read("|중간고사|-|-|", "|2주차|[a]()|x|")
    assert [(row.label, row.week) for row in table.rows] == [("중간고사", None), ("2주차", 2)]


def test_a_repeated_header_or_delimiter_line_is_no_row():
    """Header-looking lines inside the body are not weeks."""
    table = read("|1주차|[a]()|x|", "|주차|과제|팀블로그|", "|---|---|---|", "|2주차|[b]()|y|")
    assert [row.week for row in table.rows] == [1, 2]


@pytest.mark.parametrize(
    "line",
    ["", "   ", "hello", "# 제목", "- 목록", "> 인용", "```", "    |1주차|[a]()|x|", "<!-- c -->",
     "|주차|과제|팀블로그|", "|:---:|---|:---:|"],
)
def test_parse_row_returns_none_for_lines_that_are_no_week_row(line):
    """Changed lines outside the table (headings, lists, code, the header itself) are no rows."""
    header = TableHeader(("주차", "과제", "팀블로그"), 0, 1, 2, 3)
    assert parse_row(header, line, 9) is None


def test_parse_row_reads_an_edited_row():
    """A single edited line is read against the known header, with its own line number."""
    header = TableHeader(("주차", "과제", "팀블로그"), 0, 1, 2, 3)
    row = parse_row(header, "|5주차|[한현경](https://velog.io/@x/5) &nbsp; [문수인]()|구미진|\r\n", 12)
    assert row is not None
    assert (row.line, row.week) == (12, 5)
    assert row.entries == (Entry("한현경", "https://velog.io/@x/5"), Entry("문수인", ""))
    assert row.blog == BlogCell("구미진", None)


# --- week labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "week"),
    [
        ("3주차", 3), ("Week 3", 3), ("week3", 3), ("3", 3), (" 3 주차 ", 3), ("**3주차**", 3),
        ("0주차", 0), ("12주차", 12), ("W3", 3), ("wk 03", 3), ("제3주차", 3), ("３주차", 3),
        ("3주차 (4/13)", 3), ("abc", None), ("", None), ("3-4주차", None), ("중간고사", None),
        ("9" * 50, None),
    ],
)
def test_week_labels(label, week):
    """Row labels name their week in Korean or English, bold or not; anything else is None."""
    assert week_number(label) == week


# --- scale and robustness -------------------------------------------------------------------


def test_a_200_by_200_table_is_read_completely():
    """A study of 200 members over 200 weeks reads every link (the parser stays linear)."""
    def cell(week: int) -> str:
        return " &nbsp; ".join(f"[m{i}](https://x.example/{week}/{i})" for i in range(200))

    rows = [f"|{week}주차|{cell(week)}|m{week}|" for week in range(200)]
    table = read(*rows)
    assert len(table.rows) == 200
    assert all(len(row.entries) == 200 for row in table.rows)
    assert table.rows[199].entries[199] == Entry("m199", "https://x.example/199/199")


CELL_PIECES = st.sampled_from(
    ["[", "]", "(", ")", "<", ">", "&nbsp;", "&amp;", "<br>", "<br/>", " ", "\t", "\\", "\\|", "*", "_",
     "`", "!", "a", "이", "\u1100\u1161", "https://x.y/", "%20", ":", '"', "'", "\xa0", "#", "\x01",
     "[a](b)", "[이은빈](https://x/y_z)", "<https://a>", "-"]
)
CELLS = st.lists(CELL_PIECES, max_size=10).map("".join)


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(CELLS)
def test_the_fast_cell_reader_agrees_with_markdown_it(cell):
    """Cells read without the parser mean exactly what markdown-it makes of them."""
    cell = table_module._md_trim(cell)
    fast = table_module._fast_cell(cell)
    if fast is not None:
        assert fast == table_module._slow_cell(cell)


LINE_PIECES = st.sampled_from(
    ["|", " ", "\t", "\\", "\\|", "a", "#", ">", "-", "```", "<div>", "1.", "*", "[a](b)", "    ", "\xa0"]
)


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(LINE_PIECES, max_size=10).map("".join), st.integers(1, 4))
def test_the_fast_row_split_agrees_with_a_synthetic_table(line, width):
    """Rows split without the parser have the cells markdown-it's table rule gives them."""
    fast = table_module._split_contents(width, line)
    if fast is not None:
        assert fast == table_module._synthetic_contents(width, line)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=4).map("|".join), max_size=6))
def test_every_row_of_any_table_parses_alone_to_the_same_row(bodies):
    """Whatever members write, one line re-read alone gives the same row as the whole file."""
    text = "intro\n\n" + HEAD + "".join(f"|{body}|\n" for body in bodies) + "\nafter\n"
    table = find_table(text)
    assert table is not None
    lines = split_lines(text)
    for row in table.rows:
        assert parse_row(table.header, lines[row.line], row.line) == row


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text):
    """No README content, however broken, makes the parser raise."""
    header = TableHeader(("주차", "과제", "팀블로그"), 0, 1, 2, 0)
    find_table(text)
    find_table(HEAD + text)
    for line in split_lines(text)[:5]:
        parse_row(header, line, 0)
    parse_row(header, "|" + text, 0)
    week_number(text)


@settings(max_examples=200, suppress_health_check=list(HealthCheck), deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["|", "\\|", "[", "](", ")", "a", "1주차", "\r\n", "\n", "<br>", "&nbsp;", " ", "**", "`"]
        ),
        max_size=40,
    ).map("".join)
)
def test_table_like_garbage_never_raises(body):
    """Half-written tables (pipes, brackets, line breaks in odd places) never raise."""
    table = find_table(HEAD + body)
    if table is not None:
        lines = split_lines(HEAD + body)
        for row in table.rows:
            assert parse_row(table.header, lines[row.line], row.line) == row


# ---- Edge cases of reading the homework table: BOMs, images in cells, absurd week labels --------



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


# --- invisible characters (issue 20) -------------------------------------------------------


def test_the_seed_reads_the_same_with_nbsp_and_full_width_spaces_between_its_links():
    """The seed's `&nbsp;` separators written as U+00A0, U+3000 or `&nbsp;` give the same rows."""
    plain = find_table(SEED_README)
    assert plain is not None
    for separator in ("\u00a0", "\u3000", "&nbsp;\u3000", "\u3000&nbsp;\u3000"):
        spaced = find_table(SEED_README.replace(" &nbsp; ", separator))
        assert spaced is not None
        assert [(row.week, row.entries, row.blog) for row in spaced.rows] == [
            (row.week, row.entries, row.blog) for row in plain.rows
        ]


def test_a_full_width_space_inside_a_name_is_kept():
    """A full-width space shows on screen, so '이　영' stays a different name from '이영'."""
    row = parse_row(TableHeader(("주차", "과제"), 0, 1, None, 0), "|1주차|[이\u3000영](https://a.example)|", 2)
    assert row is not None and row.entries == (Entry("이\u3000영", "https://a.example"),)


@pytest.mark.parametrize("hidden", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"])
def test_format_characters_in_names_headers_and_labels_are_not_there(hidden):
    """A zero-width space, joiner, word joiner, BOM, soft hyphen or direction mark shows nothing:
    the header, the week label and the name read as if it were not there."""
    text = f"|주{hidden}차|과{hidden}제|\n|---|---|\n|{hidden}1주{hidden}차|[구{hidden}미진](https://mj.example/1) [**장{hidden}서진**](https://sj.example/1)|\n"
    table = find_table(text)
    assert table is not None and table.header.columns == ("주차", "과제")
    (row,) = table.rows
    assert (row.week, row.label) == (1, "1주차")
    assert row.entries == (Entry("구미진", "https://mj.example/1"), Entry("장서진", "https://sj.example/1"))
    assert parse_row(table.header, split_lines(text)[2], 2) == row


def test_one_hidden_character_in_a_long_cell_still_reads_every_name_as_written():
    """A 200-link cell with a zero-width space in one name, or one name typed in NFD, reads
    every name as the roster spells it."""
    names = [f"멤버{index:03}" for index in range(200)]
    for odd in ("멤\u200b버007", unicodedata.normalize("NFD", "멤버007")):
        cell = " ".join(f"[{odd if name == '멤버007' else name}](https://x.example/{name})" for name in names)
        row = only_row(f"|1주차|{cell}||")
        assert [entry.name for entry in row.entries] == names
