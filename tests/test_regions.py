"""The bot's regions in a README: replaced in place, appended once, every other byte kept."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studybot.core.regions import RegionError, markers, read_region, replace_region

START, END = markers("fines")
TABLE = "|이름|1주차|\n|---|---|\n|장서진|✅|"


def test_markers_are_the_documented_comments():
    """Leaders copy these exact comments into their README to place a region."""
    assert markers("fines") == ("<!-- studybot:fines:start -->", "<!-- studybot:fines:end -->")
    assert markers("rotation")[0] == "<!-- studybot:rotation:start -->"


def test_content_between_markers_is_replaced():
    """Only what lies between the markers changes; the text around them stays."""
    text = f"# Study\n\n{START}\nold\nlines\n{END}\n\nfooter\n"
    assert replace_region(text, "fines", TABLE) == f"# Study\n\n{START}\n{TABLE}\n{END}\n\nfooter\n"


def test_an_empty_region_is_filled():
    """Markers placed next to each other by a leader receive the content between them."""
    text = f"intro\n{START}\n{END}\n"
    assert replace_region(text, "fines", "x") == f"intro\n{START}\nx\n{END}\n"


def test_empty_content_leaves_the_markers_adjacent():
    """Clearing a region leaves just its two marker lines."""
    text = f"{START}\nold\n{END}\n"
    assert replace_region(text, "fines", "") == f"{START}\n{END}\n"
    assert read_region(f"{START}\n{END}\n", "fines") == ""


def test_missing_markers_append_the_region_once_after_a_blank_line():
    """A README without markers gets the region at the end, and only once."""
    text = "# Study\n\ntext\n"
    once = replace_region(text, "fines", TABLE)
    assert once == f"# Study\n\ntext\n\n{START}\n{TABLE}\n{END}\n"
    assert replace_region(once, "fines", TABLE) == once


def test_appending_to_a_file_without_a_final_newline_only_adds_bytes():
    """The last line is ended, a blank line follows, and no existing byte changes."""
    text = "# Study\n\nlast line  "
    result = replace_region(text, "fines", "x")
    assert result == f"# Study\n\nlast line  \n\n{START}\nx\n{END}\n"


def test_appending_after_a_blank_line_adds_no_second_one():
    """A README already ending in a blank line is not padded further."""
    assert replace_region("text\n\n", "fines", "x") == f"text\n\n{START}\nx\n{END}\n"


def test_an_empty_file_gets_just_the_region():
    """An empty README becomes the region alone."""
    assert replace_region("", "fines", "x") == f"{START}\nx\n{END}\n"


def test_crlf_files_stay_crlf_including_the_new_lines():
    """A README saved with Windows line breaks gets CRLF in the region too, and keeps its own."""
    text = f"# Study\r\n\r\n{START}\r\nold\r\n{END}\r\ntail  \r\n"
    result = replace_region(text, "fines", "a\nb")
    assert result == f"# Study\r\n\r\n{START}\r\na\r\nb\r\n{END}\r\ntail  \r\n"
    appended = replace_region("# Study\r\nline", "rotation", "a\nb")
    start, end = markers("rotation")
    assert appended == f"# Study\r\nline\r\n\r\n{start}\r\na\r\nb\r\n{end}\r\n"
    assert "\n" not in appended.replace("\r\n", "")


def test_bom_trailing_spaces_and_non_ascii_are_preserved():
    """Bytes a leader cares about (BOM, trailing spaces, Korean, emoji) survive untouched."""
    before = "\ufeff# 스터디 😇  \n\t탭\u00a0 \n"
    after = "\n끝 \u2028 줄  "
    text = f"{before}{START}\nold\n{END}{after}"
    result = replace_region(text, "fines", "새 내용")
    assert result == f"{before}{START}\n새 내용\n{END}{after}"


def test_a_bom_right_before_the_start_marker_still_counts():
    """A README that begins with its region (and a BOM) is updated in place."""
    text = f"\ufeff{START}\nold\n{END}\n"
    assert replace_region(text, "fines", "new") == f"\ufeff{START}\nnew\n{END}\n"


def test_indented_markers_with_trailing_spaces_are_found():
    """Markers may carry spaces around them on their lines; those spaces are kept."""
    text = f"  {START}  \nold\n {END}\t\nrest"
    assert replace_region(text, "fines", "new") == f"  {START}  \nnew\n {END}\t\nrest"


def test_a_marker_mentioned_inside_a_sentence_is_not_a_region():
    """Documentation that quotes a marker in prose or inline code is left alone."""
    text = f"Put `{START}` and `{END}` in your README.\n"
    result = replace_region(text, "fines", "x")
    assert result.startswith(text)
    assert read_region(result, "fines") == "x"


def test_regions_are_independent():
    """Updating the fines region leaves the rotation region as it was."""
    text = replace_region(replace_region("# S\n", "fines", "f1"), "rotation", "r1")
    updated = replace_region(text, "fines", "f2")
    assert read_region(updated, "fines") == "f2"
    assert read_region(updated, "rotation") == "r1"
    assert updated.index("f2") < updated.index("r1")


def test_content_line_breaks_are_normalised_and_trailing_newlines_dropped():
    """Content given with any line breaks is stored in the file's style without trailing blanks."""
    text = f"{START}\n{END}\n"
    assert replace_region(text, "fines", "a\r\nb\rc\n\n") == f"{START}\na\nb\nc\n{END}\n"


def test_read_region_returns_the_content_or_none():
    """The current region content comes back with plain newlines; a README without it gives None."""
    assert read_region("# S\n", "fines") is None
    text = f"x\r\n{START}\r\na\r\nb\r\n{END}\r\n"
    assert read_region(text, "fines") == "a\nb"
    assert read_region(replace_region("", "fines", TABLE), "fines") == TABLE


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (f"{START}\na\n{END}\n{START}\nb\n{END}\n", ["2 lines", START]),
        (f"{START}\na\n{END}\nb\n{END}\n", ["2 lines", END]),
        (f"{START}\na\n", ["no '" + END + "'", "below"]),
        (f"a\n{END}\n", ["no '" + START + "'", "above"]),
        (f"{END}\na\n{START}\n", [END, "above", "move"]),
    ],
)
def test_broken_markers_raise_a_region_error_that_says_how_to_fix_them(text, words):
    """Duplicated, lone or swapped markers are refused with a sentence naming the marker."""
    with pytest.raises(RegionError) as caught:
        replace_region(text, "fines", "x")
    assert isinstance(caught.value, ValueError)
    assert all(word in str(caught.value) for word in words)
    with pytest.raises(RegionError):
        read_region(text, "fines")


def test_content_containing_a_marker_is_refused():
    """Content that would plant its own marker (and break the next run) is rejected."""
    with pytest.raises(RegionError):
        replace_region("", "fines", f"a\n{END}\nb")


def test_a_malformed_region_name_is_a_programming_error():
    """Region names are fixed identifiers; anything that could break the comment is refused."""
    with pytest.raises(ValueError):
        replace_region("", "fines -->", "x")


PIECES = ["\n", "\r\n", "\r", " ", "\t", "\ufeff", "<!-- studybot:fines:start", " -->", "\u2028", "한"]
SURROUNDING = (
    st.lists(st.one_of(st.sampled_from(PIECES), st.characters()), max_size=40)
    .map("".join)
    .filter(lambda s: START not in s and END not in s)
)
CONTENT = st.text(max_size=60).filter(lambda s: START not in s and END not in s)


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(SURROUNDING, SURROUNDING, st.text(max_size=40), CONTENT)
def test_bytes_outside_the_region_are_preserved_and_replacing_is_idempotent(
    before, after, old, content
):
    """Whatever surrounds a region, only its inside changes, and a second run changes nothing."""
    old = old.replace(START, "").replace(END, "")
    # the markers must sit on lines of their own to count, so the random text is cut there
    before = before if before == "" or before.endswith(("\n", "\r")) else before + "\n"
    after = after if after == "" or after.startswith(("\n", "\r")) else "\n" + after
    text = f"{before}{START}\n{old}\n{END}{after}"
    result = replace_region(text, "fines", content)
    assert result.startswith(f"{before}{START}")
    assert result.endswith(f"{END}{after}")
    assert replace_region(result, "fines", content) == result


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(SURROUNDING, CONTENT)
def test_appending_keeps_the_file_as_a_prefix_and_is_idempotent(text, content):
    """A README without the region only gains bytes at its end, once."""
    result = replace_region(text, "fines", content)
    assert result.startswith(text)
    assert replace_region(result, "fines", content) == result
    expected = content.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    assert read_region(result, "fines") == expected


def test_a_text_without_the_bots_regions_keeps_the_markers_and_what_members_wrote():
    """Region content is left out, the rest stays; broken markers leave the text whole."""
    from studybot.core.regions import replace_region, without_regions

    text = replace_region("# 스터디\n", "fines", "| 이름 | 벌금 |")
    bare = without_regions(text, ("fines", "rotation"))
    assert "| 이름 | 벌금 |" not in bare and "<!-- studybot:fines:start -->" in bare and bare.startswith("# 스터디\n")
    broken = text + "<!-- studybot:fines:start -->\n"
    assert without_regions(broken, ("fines",)) == broken
