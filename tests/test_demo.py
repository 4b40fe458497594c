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


# ---------------------------------------------------------------- the folder-format example

import json  # noqa: E402

from studybot.shell.folderdemo import build_folder_example, notebook_text, pdf_bytes  # noqa: E402

FOLDER_VERDICTS = {
    1: {"민우": "on_time", "가경": "on_time", "예람": "on_time", "민수": "absent", "다은": "on_time"},
    2: {"민우": "on_time", "가경": "on_time", "예람": "on_time", "민수": "late", "다은": "on_time"},
    3: {"민우": "late", "가경": "on_time", "예람": "on_time", "민수": "on_time", "다은": "on_time"},
    4: {"민우": "pending", "가경": "pending", "예람": "pending", "민수": "pending", "다은": "on_time"},
}


def folder_demo() -> str:
    out = io.StringIO()
    assert main(["demo", "--example", "mlops-study"], out=out, environ={}) == 0
    return out.getvalue()


def test_folder_demo_prints_verdicts_fines_and_the_date_warning():
    """The folder example shows late and absent weeks, the fines, and the log's disagreeing due date."""
    text = folder_demo()
    assert "| 민수 | ❌ | ⏰ | ✅ | ⏳ | 7,000원 |" in text
    assert "| 민우 | ⏰ 지각 | 2,000원 |" in text
    assert "2주차 모임 기록에는 1월 16일(화)까지라고 적혀 있지만, 일정상 마감은 1월 17일(수) 23:59입니다." in text


def test_folder_demo_issue_carries_the_weeks_homework():
    """The open week's issue body is followed by the homework the meeting log gives for it."""
    text = folder_demo()
    issue = text.split("Issue '[4주차] Q&A'", 1)[1].split("Reminder comment", 1)[0]
    assert "<!-- studybot:week=4:kind=issue -->" in issue
    assert "### 📚 4주차 과제\n\n> - MLOps 활용 사례 하나씩 조사해오기" in issue


def test_folder_demo_lists_the_next_weeks_placeholders():
    """The demo shows the placeholder READMEs week 5's opening adds, skipping the member who left."""
    text = folder_demo()
    listing = text.split("opening commit of 5주차", 1)[1]
    assert "5주차/가경/README.md" in listing and "5주차/다은/README.md" in listing
    assert "5주차/민수/" not in listing
    assert "<!-- studybot:placeholder sha256=" in listing


def report_verdicts(path) -> dict[int, dict[str, str]]:
    out = io.StringIO()
    assert main(["report", "--repo-path", str(path), "--now", "2024-01-22T12:00:00+09:00", "--format", "json"],
                out=out, environ={}) == 0
    weeks = json.loads(out.getvalue())["weeks"]
    return {week["week"]: {name: entry["verdict"] for name, entry in week["members"].items()} for week in weeks}


def test_report_on_the_folder_example_matches_blank_placeholders(tmp_path):
    """`studybot report` judges the bot's placeholder READMEs exactly like the leader's empty files."""
    build_folder_example(tmp_path / "bot")
    build_folder_example(tmp_path / "blank", bot_placeholders=False)
    assert report_verdicts(tmp_path / "bot") == report_verdicts(tmp_path / "blank") == FOLDER_VERDICTS


def test_folder_example_files_are_what_they_claim():
    """The example's PDF is a complete PDF and its notebook valid nbformat-4 JSON."""
    pdf = pdf_bytes("MLOps")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    offset = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[offset:].startswith(b"xref")
    notebook = json.loads(notebook_text("실습"))
    assert notebook["nbformat"] == 4 and notebook["cells"][0]["source"] == ["# 실습"]
