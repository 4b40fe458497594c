"""Placeholder READMEs the bot adds to week folders, and that they never count as homework."""

from __future__ import annotations

import datetime as dt

from helpers import kst

from studybot.core.config import parse_config
from studybot.core.history import Roster, commit_date_stamp, folder_evidence
from studybot.core.homework import HomeworkEntry, HomeworkLine
from studybot.core.messages import messages_for
from studybot.core.placeholders import is_placeholder, mark, placeholder_files
from studybot.core.schedule import build_schedule
from studybot.shell.git import Repository

CONFIG = """
study: {name: MLOps-Study}
schedule: {first_week: 1, weeks: 4, first_deadline: "2024-01-04 00:00"}
fines: {late: 1000, absent: 2000}
members:
  - {name: 민우, github: minwoo, maintainer: true}
  - {name: 가경, github: gakyung}
  - {name: 예람, github: yeram, left_week: 3}
  - {name: 다은, github: daeun, joined_week: 2}
submissions:
  readme: {enabled: false}
  folders: {enabled: true, create_placeholders: true}
"""

KO = messages_for("ko")


def setup(text: str = CONFIG):
    config = parse_config(text)
    return config, build_schedule(config)


def files_for(week: int, existing: set[str] = frozenset(), text: str = CONFIG, homework: HomeworkEntry | None = None):
    config, schedule = setup(text)
    return placeholder_files(config, schedule, week, config.members, existing, KO, homework)


def test_one_placeholder_per_active_member():
    """A week's opening adds a README to the folder of each member active that week."""
    assert sorted(files_for(1)) == ["1주차/가경/README.md", "1주차/민우/README.md", "1주차/예람/README.md"]
    assert sorted(files_for(3)) == ["3주차/가경/README.md", "3주차/다은/README.md", "3주차/민우/README.md"]


def test_placeholder_says_what_to_upload_and_by_when():
    """The README names the member, the week, the last on-time minute and the week's homework."""
    homework = HomeworkEntry(2, (HomeworkLine("Session 1까지 듣기", None, 1),))
    content = files_for(2, homework=homework)["2주차/가경/README.md"]
    assert "가경 님, 2주차 과제 파일을 이 폴더에 올려 주세요. 마감은 **1월 10일(수) 23:59**까지입니다." in content
    assert "> - Session 1까지 듣기" in content
    assert "제출로 치지 않습니다" in content


def test_folders_with_anything_in_them_are_left_alone_and_a_second_call_adds_nothing():
    """A folder holding any file is skipped, so creating placeholders twice adds nothing the second time."""
    first = files_for(1, {"1주차/가경/mlops.pdf", "README.md"})
    assert sorted(first) == ["1주차/민우/README.md", "1주차/예람/README.md"]
    assert files_for(1, {"1주차/가경/mlops.pdf", *first}) == {}


def test_nothing_unless_the_study_asks_for_placeholders():
    """Without create_placeholders, or for a week outside the schedule, no file is planned."""
    assert files_for(1, text=CONFIG.replace("create_placeholders: true", "create_placeholders: false")) == {}
    assert files_for(9) == {}


def test_placeholder_is_recognised_until_someone_edits_it():
    """The marked README is a placeholder through line-ending changes, and stops being one once edited."""
    content = files_for(1)["1주차/가경/README.md"]
    assert is_placeholder(content.encode())
    assert is_placeholder(content.replace("\n", "\r\n").encode("utf-8-sig"))
    assert not is_placeholder((content + "\n제 과제: https://x.example\n").encode())
    assert not is_placeholder(content.replace("2주차", "3주차").replace("1주차", "2주차").encode())
    assert not is_placeholder(b"%PDF-1.4 binary \xff\xfe")


def commit(repository: Repository, files: dict[str, str | bytes | None], who: str, when: dt.datetime) -> str:
    return repository.commit(files, "commit", author=who, email=f"{who}@users.noreply.github.com", when=when)


def evidence_of(path, config, schedule):
    repository = Repository(path)
    weeks = [week.number for week in schedule.weeks]
    return folder_evidence(config, repository.folder_changes(), repository.blobs, commit_date_stamp(Roster(config)), weeks)


def test_placeholders_never_count_and_a_later_upload_counts_at_its_commit(tmp_path):
    """Placeholders pushed by the bot, the leader or the member count for nobody; the member's own upload counts at its commit."""
    config, schedule = setup()
    repository = Repository.create(tmp_path)
    placeholders = placeholder_files(config, schedule, 1, config.members, set(), KO)
    commit(repository, {"README.md": "# study\n", **{k: v for k, v in placeholders.items() if "가경" not in k}},
           "github-actions[bot]", kst(2023, 12, 28, 0))
    # The member pushes the bot's placeholder text themselves: still not homework.
    commit(repository, {"1주차/가경/README.md": placeholders["1주차/가경/README.md"]}, "gakyung", kst(2023, 12, 29, 9))
    commit(repository, {"1주차/가경/mlops.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"},
           "gakyung", kst(2024, 1, 3, 21))
    commit(repository, {"1주차/민우/README.md": placeholders["1주차/민우/README.md"] + "\nMLOps는 …\n"},
           "minwoo", kst(2024, 1, 2, 20))
    found = evidence_of(tmp_path, config, schedule).submissions
    assert set(found) == {("가경", 1), ("민우", 1)}
    assert found[("가경", 1)].at == kst(2024, 1, 3, 21)
    assert found[("민우", 1)].at == kst(2024, 1, 2, 20)


def test_blank_placeholders_still_do_not_count(tmp_path):
    """A leader's whitespace-only placeholder stays no submission, as before placeholders were marked."""
    config, schedule = setup()
    repository = Repository.create(tmp_path)
    commit(repository, {"1주차/예람/.gitkeep": "\n", "1주차/가경/.gitkeep": ""}, "minwoo", kst(2023, 12, 29, 9))
    assert evidence_of(tmp_path, config, schedule).submissions == {}


# ---- Placeholder recognition edges: files too large or not text are a member's work -------------

def test_a_large_file_is_never_taken_for_a_placeholder():
    """A file far larger than any placeholder counts as the member's work, whatever its first line."""
    assert is_placeholder(mark("숙제").encode("utf-8"))
    assert not is_placeholder(mark("숙제" + "x" * 20_000).encode("utf-8"))


def test_a_file_that_is_not_utf8_is_not_a_placeholder():
    """Binary content counts as the member's work."""
    assert not is_placeholder(b"\xff\xfe<!-- studybot:placeholder -->")
