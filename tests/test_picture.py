"""The term picture in the README: a members × weeks grid readable without colour, in both themes."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ElementTree

import pytest
from termfixture import HOSTILE, term

from studybot.core.messages import messages_for
from studybot.core.picture import LEGEND, SHAPES, Mark, picture_region, term_picture

SVG = "{http://www.w3.org/2000/svg}"


def picture(language: str = "ko") -> tuple[str, ElementTree.Element]:
    _config, schedule, report = term(language)
    text = term_picture(report, schedule, messages_for(language))
    return text, ElementTree.fromstring(text)


def cells(root: ElementTree.Element) -> dict[str, str]:
    """Each grid cell's tooltip → its state class."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if classes and classes[0] == "c":
            found[group.findtext(f"{SVG}title")] = classes[1]
    return found


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_picture_is_well_formed_svg_with_every_member_and_week(language: str):
    """The SVG parses as XML and shows each member's name, every graded week and each total."""
    _text, root = picture(language)
    _config, schedule, report = term(language)
    messages = messages_for(language)
    shown = texts(root)
    for name, tally in report.tallies.items():
        assert name in shown
        assert messages.money(tally.fines, report.currency) in shown
    for week in schedule.weeks:
        assert messages.t("fines.week", week=week.number) in shown
    assert len(cells(root)) - len(LEGEND) - 2 == len(report.tallies) * len(schedule.weeks)


def test_each_cell_has_the_state_of_the_report():
    """Cells carry the judged verdict; weeks not reached yet are upcoming."""
    _, root = picture()
    states = cells(root)
    assert states["장서진 · 1주차: 제출"] == "on_time"
    assert states["구미진 · 1주차: 지각 · 벌금 3,000원"] == "late"
    assert states["구미진 · 2주차: 결석 · 벌금 4,000원"] == "absent"
    assert states["한현경 · 3주차: 면제"] == "excused"
    assert states["이은빈 · 6주차: 미제출"] == "pending"
    assert states["이은빈 · 7주차: 예정"] == "upcoming"
    assert states[f"{HOSTILE} · 1주차: 해당 없음"] == "not_member"


def test_every_state_has_a_shape_and_a_word_not_only_a_colour():
    """Each of the five states draws a distinct shape and the legend names it in words."""
    text, root = picture()
    shapes = [SHAPES[mark] for mark in LEGEND]
    assert all(shapes) and len(set(shapes)) == len(shapes)
    shown = texts(root)
    for mark in LEGEND:
        assert messages_for("ko").t(f"verdict.{mark.value}") in shown
    for mark in LEGEND:  # the drawn shape sits inside every cell of that state
        assert re.search(rf'class="c {mark.value}".*?<g class="m"[^>]*>{re.escape(SHAPES[mark])}</g>', text)
    assert "✅" not in text and "❌" not in text  # no emoji font needed


def test_dark_theme_has_its_own_palette_and_the_picture_its_own_background():
    """The SVG paints its background and switches colours for prefers-color-scheme: dark."""
    text, root = picture()
    assert "@media (prefers-color-scheme: dark)" in text
    background = root.find(f"{SVG}rect")
    assert background is not None and background.get("class") == "bg"


def test_member_names_are_xml_escaped():
    """A name with markup shows as text: no element is injected and the literal name reads back."""
    text, root = picture()
    assert "<b>" not in text
    assert "&lt;b&gt;Kim&lt;/b&gt; &amp; &quot;Lee&quot; @here" in text
    assert not list(root.iter(f"{SVG}b")) and not list(root.iter("b"))


def test_control_characters_in_a_name_do_not_break_the_svg():
    """A name with characters XML forbids still gives a parseable picture."""
    _config, schedule, report = term()
    tallies = {("bad\x01name\x1b" if name == "장서진" else name): tally for name, tally in report.tallies.items()}
    weeks = tuple(
        dataclasses.replace(week, members={("bad\x01name\x1b" if n == "장서진" else n): j for n, j in week.members.items()})
        for week in report.weeks
    )
    changed = dataclasses.replace(report, tallies=tallies, weeks=weeks)
    root = ElementTree.fromstring(term_picture(changed, schedule, messages_for("ko")))
    assert "badname" in texts(root)


def test_same_report_gives_the_same_picture():
    """Nothing time-dependent is drawn: rendering twice gives identical text."""
    assert picture()[0] == picture()[0]


def test_region_links_the_picture_relative_to_the_readme():
    """The README region is one image whose path is relative to where the README lives."""
    _config, schedule, report = term()
    messages = messages_for("ko")
    region = picture_region(report, schedule, messages)
    assert region.startswith("![Study-MLOps 과제 현황: 멤버 6명 × 12주.")
    assert region.endswith("](.studybot/term.svg)")
    nested = picture_region(report, schedule, messages, ".studybot/term.svg", "docs/README.md")
    assert nested.endswith("](../.studybot/term.svg)")


def test_the_marks_cover_every_verdict():
    """Every verdict the rules can give has a mark to draw."""
    from studybot.core.verdicts import Verdict

    assert {verdict.value for verdict in Verdict} <= {mark.value for mark in Mark}
