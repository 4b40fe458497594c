"""Reading the week-section README: headings and <details> blocks, task lists, what counts."""

from __future__ import annotations

import pytest
from helpers import SMALL_STUDY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studybot.core.config import parse_config
from studybot.core.evidence import Problem
from studybot.core.history import current_table_notices
from studybot.core.sections import find_sections
from studybot.core.table import Entry

README = """\
# Study-MLOps

과제는 주차별 목록에 체크하고 링크를 넣어 주세요.

## 1주차
- [x] [장서진](https://sj.example/1)
- [ ] [구미진]()
- [ ] 이은빈
  - [x] [메모](https://memo.example) 하위 항목은 읽지 않습니다

## 2주차 (4/20)
* [X] [구미진](https://mj.example/2)
* [x] 이은빈
- 다음 주는 쉽니다

## 참고 자료
- [x] [장서진](https://not-a-week.example)

<details>
<summary>3주차</summary>

### 과제
- [x] [이은빈](https://eb.example/3)
1. [장서진](https://sj.example/3)

</details>

- [x] [구미진](https://after-details.example)

<details><summary><b>4주차</b></summary>
- [x] [구미진](https://mj.example/4)
</details>
"""


def rows(text: str) -> dict[int, tuple[Entry, ...]]:
    return {section.week: section.row.entries for section in find_sections(text)}


def test_each_week_section_gives_its_members_entries():
    """Headings and <details> blocks each open a week; top-level items are the entries."""
    found = rows(README)
    assert found == {
        1: (Entry("장서진", "https://sj.example/1"), Entry("구미진", ""), Entry("이은빈", "")),
        2: (Entry("구미진", "https://mj.example/2"), Entry("이은빈", "")),
        3: (Entry("이은빈", "https://eb.example/3"), Entry("장서진", "https://sj.example/3")),
        4: (Entry("구미진", "https://mj.example/4"),),
    }


def test_a_section_ends_at_a_heading_of_its_level_or_at_details_end():
    """'## 참고 자료' ends week 2 and a list after </details> belongs to no week."""
    every_url = {entry.url for entries in rows(README).values() for entry in entries}
    assert "https://not-a-week.example" not in every_url
    assert "https://after-details.example" not in every_url


def test_labels_lines_and_ticked_boxes_without_links():
    """Each section knows its label, its 0-based line, and who ticked without a link."""
    sections = {section.week: section for section in find_sections(README)}
    assert [(w, s.row.label, s.row.line) for w, s in sections.items()] == [
        (1, "1주차", 4), (2, "2주차 (4/20)", 10), (3, "3주차", 19), (4, "4주차", 29),
    ]
    assert sections[2].ticked_without_link == ("이은빈",)
    assert all(not s.ticked_without_link for w, s in sections.items() if w != 2)


def test_a_ticked_box_with_an_empty_link_is_ticked_without_a_link():
    """`- [x] [이름]()` shows a tick but hands in nothing."""
    (section,) = find_sections("## 1주차\n- [x] [구미진]()\n")
    assert section.row.entries == (Entry("구미진", ""),) and section.ticked_without_link == ("구미진",)


def test_a_bom_a_zero_width_space_and_an_unclosed_details_block():
    """A BOM, a hidden character in the summary, and a missing </details> (runs to the next week)."""
    text = "\ufeff<details><summary>1\u200b주차</summary>\n\n- [x] [구\u200b미진](https://mj.example/1)\n\n## 2주차\n- [ ] 이은빈\n"
    assert rows(text) == {1: (Entry("구미진", "https://mj.example/1"),), 2: (Entry("이은빈", ""),)}


def test_details_without_a_week_and_plain_text_are_no_sections():
    """A <details> block about something else, and a README with no week headings, give nothing."""
    assert find_sections("<details><summary>FAQ</summary>\n\n- [x] [구미진](https://x.example)\n</details>\n") == ()
    assert find_sections("# Study\n\n- [x] [구미진](https://x.example)\n") == ()
    assert find_sections("") == ()


def test_a_week_heading_right_after_a_details_summary_starts_its_own_week():
    """A second week opening while a <details> week is open closes the first."""
    text = "<details>\n<summary>1주차</summary>\n\n- [x] [a](https://a.example)\n\n<details><summary>2주차</summary>\n\n- [x] [b](https://b.example)\n</details>\n"
    assert rows(text) == {1: (Entry("a", "https://a.example"),), 2: (Entry("b", "https://b.example"),)}


@settings(max_examples=200, suppress_health_check=list(HealthCheck), deadline=None)
@given(
    st.lists(
        st.sampled_from(["## 1주차\n", "<details>", "<summary>2주차</summary>", "</details>", "\n", "- [x] ",
                         "- [ ] ", "[a](b)", "구미진", "  ", "### x\n", "1. ", "<b>"]),
        max_size=40,
    ).map("".join)
)
def test_any_mix_of_sections_never_raises(text):
    """Half-written sections never make the reader raise."""
    find_sections(text)


# ---- warnings about the README as it stands ------------------------------------------------------

CONFIG = SMALL_STUDY.replace(", emails: [eunbin@example.com]", "") + "submissions:\n  readme: {layout: sections}\n"


@pytest.fixture()
def config():
    return parse_config(CONFIG)


def test_the_leader_is_told_of_a_tick_without_a_link_and_the_tables_other_problems(config):
    """A ticked box without a link is warned (graded weeks only), besides unknown names and stray weeks."""
    text = README + "\n## 9주차\n- [x] 구미진\n- [x] 낯선이\n"
    notices = current_table_notices(config, text, [1, 2, 3])
    found = {(n.problem, n.week, n.member or n.detail) for n in notices}
    assert (Problem.TICKED_WITHOUT_LINK, 2, "이은빈") in found
    assert (Problem.UNKNOWN_WEEK, 4, "4주차") in found and (Problem.UNKNOWN_WEEK, 9, "9주차") in found
    assert not [n for n in notices if n.problem is Problem.TICKED_WITHOUT_LINK and n.week != 2]


def test_a_ticked_unknown_name_is_warned_once_as_unknown(config):
    """`- [x] 낯선이` is an unknown name, not also a missing link of a member."""
    notices = current_table_notices(config, "## 1주차\n- [x] 낯선이\n", [1, 2, 3])
    assert [(n.problem, n.detail) for n in notices] == [(Problem.UNKNOWN_NAME, "낯선이")]


def test_a_readme_without_week_sections_is_told_with_how_to_write_one(config):
    """No section at all: one notice whose sentence shows the layout."""
    (notice,) = current_table_notices(config, "# Study\n\n|주차|과제|\n|-|-|\n", [1, 2, 3])
    assert notice.problem is Problem.NO_SECTIONS


def test_a_stray_html_block_or_empty_box_inside_a_heading_week_changes_nothing():
    """A comment or a stray </details> under '## 1주차' does not end the week; an empty box is no entry."""
    text = "## 1주차\n- [x] [a](https://a.example)\n\n<!-- 링크를 넣어 주세요 -->\n\n</details>\n\n- [ ]\n- [x] [b](https://b.example)\n"
    assert rows(text) == {1: (Entry("a", "https://a.example"), Entry("b", "https://b.example"))}
