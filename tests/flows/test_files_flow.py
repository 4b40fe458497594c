"""The files the bot keeps beside the README, through the whole run: the calendar feed, the
picture of the term, and the week folders of a folder-format study."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from helpers import kst
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.shell.demo import example_file

UTC = dt.UTC


@pytest.fixture()
def study(tmp_path) -> Study:
    text = example_file("study.yml")
    return Study(tmp_path, parse_config(text), example_file("README.md"), text, kst(2022, 4, 6, 9))


@pytest.fixture()
def folders(tmp_path) -> Study:
    text = example_file("study.yml", "mlops-study")
    return Study(tmp_path, parse_config(text), example_file("README.md", "mlops-study"), text, kst(2023, 12, 28, 9))


def committed(study: Study) -> dict[str, str]:
    return study.github.files["main"]


def test_the_calendar_feed_is_committed_and_reads_back(study):
    """The run commits .studybot/calendar.ics; parsed back it has every deadline at the right instant."""
    study.run(kst(2022, 4, 6, 10))
    feed = icalendar.Calendar.from_ical(committed(study)[".studybot/calendar.ics"])
    events = [item for item in feed.walk("VEVENT")]
    assert len(events) == 12 * 3 + 2  # deadline, late cut-off and blog turn per week; two breaks
    week1 = next(event for event in events if str(event["UID"]).startswith("week-1-deadline@"))
    assert week1.decoded("DTSTART").astimezone(UTC) == dt.datetime(2022, 4, 12, 15, 0, tzinfo=UTC)
    heads = len(study.github.commits)
    study.run(kst(2022, 4, 6, 11))
    assert len(study.github.commits) == heads  # the same feed: no commit


def test_the_readme_shows_the_picture_the_run_commits(study):
    """The README's picture region links the committed SVG, which names every member."""
    study.run(kst(2022, 4, 13, 12, 5))
    readme = study.readme()
    region = readme[readme.index("<!-- studybot:picture:start -->"):readme.index("<!-- studybot:picture:end -->")]
    assert ".studybot/term.svg" in region
    svg = committed(study)[".studybot/term.svg"]
    assert svg.lstrip().startswith("<svg") and all(name in svg for name in ("장서진", "구미진", "이은빈"))


def test_a_folder_study_gets_its_week_folders_and_the_homework_in_the_issue(folders):
    """Opening week 1 quotes its [과제] line in the issue and creates a placeholder per member, once."""
    folders.run(kst(2023, 12, 28, 10))
    issue = next(issue for issue in folders.github.issues.values() if marker(1, Kind.ISSUE) in issue.body)
    assert "내가 생각하는 MLOps 생각해오기" in issue.body and "`1주차/이름/`" in issue.body
    placeholders = sorted(path for path in committed(folders) if path.startswith("1주차/"))
    assert placeholders == [f"1주차/{name}/README.md" for name in sorted(["민우", "가경", "예람", "민수", "다은"])]
    heads = len(folders.github.commits)
    folders.run(kst(2023, 12, 28, 11))
    assert len(folders.github.commits) == heads  # made once


def test_a_placeholder_never_counts_and_an_upload_counts_at_its_push(folders):
    """After the deadline, members with only the bot's placeholder are absent; an upload counts when pushed."""
    folders.run(kst(2023, 12, 28, 10))
    upload = {**committed(folders), "1주차/민우/mlops.md": "# 내가 생각하는 MLOps\n\n모델을 꾸준히 배포하는 일."}
    folders.github.push(upload, "minwoo-mlops", kst(2024, 1, 2, 21))
    outcome = folders.run(kst(2024, 1, 4, 12, 5))
    week1 = outcome.report.weeks[0].members
    assert week1["민우"].verdict.value == "on_time" and week1["민우"].submission.at == kst(2024, 1, 2, 21)
    assert {week1[name].verdict.value for name in ("가경", "예람", "민수", "다은")} == {"absent"}


def test_a_member_who_already_uploaded_keeps_their_folder_untouched(folders):
    """A folder that has content when the week opens gets no placeholder."""
    early = {"1주차/다은/notes.md": "미리 올립니다"}
    folders.github.push({**committed(folders), **early}, "daeun-mlops", kst(2023, 12, 27, 20))
    folders.run(kst(2023, 12, 28, 10))
    files = committed(folders)
    assert "1주차/다은/README.md" not in files and files["1주차/다은/notes.md"] == "미리 올립니다"
