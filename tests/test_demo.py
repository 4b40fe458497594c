"""`studybot demo`: the bundled example end to end, with no network and no token."""

from __future__ import annotations

import io

from helpers import SEED_CONFIG

from studybot.cli import main
from studybot.shell.demo import example_file, put_blog, put_link


def test_demo_prints_report_regions_and_settlement():
    """The demo shows verdicts, the README's fines and rotation regions and the settlement."""
    out = io.StringIO()
    assert main(["demo"], out=out, environ={}) == 0
    text = out.getvalue()
    assert "| 문수인 | ⏰ 지각 | 3,000원 |" in text
    assert "README region 'fines'" in text and "README region 'rotation'" in text
    assert "총 벌금 25,000원 · 꼴찌 제외: 문수인" in text
    assert "| 12주차 | 07-27 (수) | 문수인 |  |" in text


def test_demo_prints_the_comments_the_bot_would_post():
    """The demo shows the open week's issue, its reminder and the last week's results comment."""
    out = io.StringIO()
    main(["demo"], out=out, environ={})
    text = out.getvalue()
    assert "<!-- studybot:week=6:kind=issue -->" in text and "팀 블로그 담당: 이은빈 (@binable43)" in text
    assert "<!-- studybot:week=6:kind=reminder -->" in text
    assert "<!-- studybot:week=5:kind=results -->" in text and "| 한현경 | ❌ 결석 | 4,000원 |  |" in text


def test_example_config_is_the_repository_config():
    """The bundled example and config/study.yml are the same study, so they cannot drift."""
    assert example_file("study.yml") == SEED_CONFIG.read_text(encoding="utf-8")


def test_example_edits_touch_only_their_cell():
    """The demo's scripted edits change one member's link or one blog cell and nothing else."""
    readme = example_file("README.md")
    changed = put_link(readme, 3, "구미진", "https://x.example/(a)")
    assert changed.count("https://x.example/(a)") == 1
    assert changed.replace("[구미진](https://x.example/(a))", "[구미진]()", 1) == readme
    blogged = put_blog(readme, 2, "https://blog.example")
    assert "|[문수인](https://blog.example)|" in blogged
