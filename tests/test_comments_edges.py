"""Edge cases of reading Q&A comments that the main comment tests leave out."""

from __future__ import annotations

from studybot.core.comments import blog_link, submission_links

POST = "https://velog.io/@seojin/mlops-week3"
SHOT = "https://i.imgur.com/screenshot.png"


def test_blog_command_skips_a_screenshot_before_the_post() -> None:
    """A `/blog` line that shows a screenshot first still names the post that follows it."""
    assert blog_link(f"/blog ![캡처]({SHOT}) {POST}") == POST


def test_blog_command_with_only_a_screenshot_names_no_post() -> None:
    """A `/blog` line whose only link is a screenshot names no blog post."""
    assert blog_link(f"/blog ![캡처]({SHOT})") is None


def test_bare_link_loses_trailing_punctuation_and_unbalanced_brackets() -> None:
    """A bare link at the end of a sentence is handed in without the punctuation after it."""
    assert submission_links(f"제출: ({POST}).") == (POST,)
