"""Placeholder recognition edges: files too large or not text are a member's work."""

from __future__ import annotations

from studybot.core.placeholders import is_placeholder, mark


def test_a_large_file_is_never_taken_for_a_placeholder():
    """A file far larger than any placeholder counts as the member's work, whatever its first line."""
    assert is_placeholder(mark("숙제").encode("utf-8"))
    assert not is_placeholder(mark("숙제" + "x" * 20_000).encode("utf-8"))


def test_a_file_that_is_not_utf8_is_not_a_placeholder():
    """Binary content counts as the member's work."""
    assert not is_placeholder(b"\xff\xfe<!-- studybot:placeholder -->")
