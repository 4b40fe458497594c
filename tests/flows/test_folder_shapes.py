"""Week folders the way real studies name them, read from real git histories by `studybot report`.

Each shape is a temporary repository with real commits (set authors and dates): topic-suffixed
folders, a naming switch mid-term, flat files whose week is only in the commit message, and one
folder for two weeks. `report` must give the verdicts a person reading the repository would
give, or name what it did not read. The trust cases at the end play whole runs on the fake
GitHub: a file moved out of another member's folder, and invisible content.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from helpers import kst
from studyworld import Study

from studybot.cli import main
from studybot.core.config import parse_config
from studybot.core.evidence import Problem
from studybot.core.markers import Kind, marker
from studybot.shell.demo import example_file
from studybot.shell.git import Repository

LEADER, MIJIN, EUNBIN, SOPHIA = "SEOJIN-Lab", "mijinkoo", "binable43", "sophia-k"
NAMES = {LEADER: "장서진", MIJIN: "구미진", EUNBIN: "이은빈", SOPHIA: "소피아"}
NOW = "2022-07-20T00:00"  # every week of every shape is final


def config_text(pattern: str, weeks: int = 7) -> str:
    return f"""\
study: {{name: 폴더 스터디}}
schedule: {{weeks: {weeks}, first_deadline: 2022-04-13 00:00}}
fines: {{late: 3000, absent: 4000}}
members:
  - {{name: 장서진, github: {LEADER}, maintainer: true}}
  - {{name: 구미진, github: {MIJIN}}}
  - {{name: 이은빈, github: {EUNBIN}}}
  - {{name: 소피아, github: {SOPHIA}}}
submissions:
  readme: {{enabled: false}}
  issues: {{enabled: false}}
  folders: {{enabled: true, pattern: {pattern}}}
"""


def deadline(week: int) -> dt.datetime:
    """Week N is due before Wednesday 00:00 KST, N-1 weeks after 2022-04-13; late until 12:00."""
    return kst(2022, 4, 13) + dt.timedelta(weeks=week - 1)


class Shape:
    """A study repository built commit by commit, with `report` and `check` run on it."""

    def __init__(self, path: Path, pattern: str, weeks: int = 7):
        self.repo = Repository.create(path)
        self.weeks = weeks
        self.write_config(pattern)

    def write_config(self, pattern: str) -> None:
        self.push(LEADER, kst(2022, 4, 1), {"config/study.yml": config_text(pattern, self.weeks), "README.md": "# 스터디\n"},
                  "설정")

    def push(self, login: str, when: dt.datetime, files: dict[str, str | bytes | None], message: str = "") -> str:
        return self.repo.commit(files, message or f"{NAMES[login]} 업로드", author=NAMES[login],
                                email=f"{login}@users.noreply.github.com", when=when)

    def report(self) -> dict:
        out = io.StringIO()
        assert main(["report", "--repo-path", str(self.repo.path), "--format", "json", "--now", NOW], out=out,
                    environ={}) == 0
        return json.loads(out.getvalue())

    def check(self) -> str:
        out = io.StringIO()
        assert main(["check", "--repo-path", str(self.repo.path)], out=out, environ={}) == 0
        return out.getvalue()


def verdicts(report: dict, member: str) -> dict[int, str]:
    return {week["week"]: week["members"][member]["verdict"] for week in report["weeks"]}


def warnings_naming(report: dict, text: str) -> list[str]:
    return [warning for warning in report["warnings"] if text in warning]


# ---- topic-suffixed folders ----------------------------------------------------------------------

TOPICS = {1: "분할정복-거듭제곱", 2: "DP-배낭", 3: "그래프 BFS", 4: "트리", 5: "이분탐색"}


def topic_folder(week: int, name: str) -> str:
    """`1주차 분할정복-거듭제곱/<이름>/` for weeks 1–5, `6주차/<이름>/` afterwards, as the study did."""
    return f"{week}주차 {TOPICS[week]}/{name}/" if week in TOPICS else f"{week}주차/{name}/"


@pytest.fixture()
def topics(tmp_path) -> Shape:
    shape = Shape(tmp_path / "topics", '"{week}주차*/{name}/"')
    for week in range(1, 8):
        due = deadline(week)
        shape.push(LEADER, due - dt.timedelta(days=6), {f"{week}주차 {TOPICS.get(week, '')}".strip() + "/README.md":
                                                         f"# {week}주차 문제\n\n백준 문제 세 개를 풉니다.\n"}, "문제 올림")
        shape.push(MIJIN, due - dt.timedelta(hours=3), {topic_folder(week, "구미진") + "solve.py": f"print({week})  # 풀이\n"})
        if week != 2:  # 이은빈 misses week 2 and is late in week 6
            at = due + dt.timedelta(hours=2) if week == 6 else due - dt.timedelta(days=1)
            shape.push(EUNBIN, at, {topic_folder(week, "이은빈") + "main.py": f"answer = {week}\nprint(answer)\n"})
    return shape


def test_topic_suffixed_folders_are_read_for_every_week(topics):
    """With `{week}주차*/{name}/` both `1주차 분할정복-거듭제곱/` and `6주차/` count; the leader's problem files are no hand-in."""
    report = topics.report()
    assert verdicts(report, "구미진") == dict.fromkeys(range(1, 8), "on_time")
    assert verdicts(report, "이은빈") == {1: "on_time", 2: "absent", 3: "on_time", 4: "on_time", 5: "on_time",
                                         6: "late", 7: "on_time"}
    assert set(verdicts(report, "장서진").values()) == {"absent"}  # the leader's problem files are not homework
    assert report["warnings"] == []


def test_with_the_old_pattern_every_topic_folder_is_named_not_silently_absent(topics):
    """`{week}주차/{name}/` cannot read weeks 1–5: they are absent, and each unread folder is a warning."""
    topics.write_config('"{week}주차/{name}/"')
    report = topics.report()
    assert verdicts(report, "구미진") == {**dict.fromkeys(range(1, 6), "absent"), 6: "on_time", 7: "on_time"}
    for week in range(1, 6):
        (warning,) = warnings_naming(report, f"`{week}주차 {TOPICS[week]}/구미진/`")
        assert warning.startswith(f"{week}주차 구미진 님:") and "mijinkoo" not in warning and "구미진" in warning
    assert len(warnings_naming(report, "어느 패턴과도 맞지 않아")) == 9  # 구미진 5, 이은빈 4


# ---- a naming switch mid-term --------------------------------------------------------------------


@pytest.fixture()
def switch(tmp_path) -> Shape:
    """week1/ … week10/, then week_11/ …; the organiser pre-fills every folder with an empty `dummy`."""
    shape = Shape(tmp_path / "switch", '["week{week}/{name}/", "week_{week}/{name}/"]', weeks=12)
    for week in range(1, 13):
        folder = f"week{week}" if week <= 10 else f"week_{week}"
        due = deadline(week)
        shape.push(LEADER, due - dt.timedelta(days=6),
                   {f"{folder}/{name}/dummy": "" for name in ("구미진", "이은빈", "소피아")}, f"{folder} 폴더")
        shape.push(MIJIN, due - dt.timedelta(hours=5), {f"{folder}/구미진/a.py": f"week = {week}\nprint(week)\n"})
        if week % 3 == 0:  # 이은빈 hands in every third week
            shape.push(EUNBIN, due - dt.timedelta(hours=1), {f"{folder}/이은빈/b.py": f"x = {week}\nprint(x * 2)\n"})
    return shape


def test_a_naming_switch_is_read_with_both_patterns_and_dummy_files_never_count(switch):
    report = switch.report()
    assert verdicts(report, "구미진") == dict.fromkeys(range(1, 13), "on_time")
    assert verdicts(report, "이은빈") == {week: "on_time" if week % 3 == 0 else "absent" for week in range(1, 13)}
    assert verdicts(report, "소피아") == dict.fromkeys(range(1, 13), "absent")  # only the organiser's dummy files
    assert report["warnings"] == []


def test_with_one_pattern_the_other_half_is_named(switch):
    switch.write_config('"week{week}/{name}/"')
    report = switch.report()
    assert verdicts(report, "구미진") == {**dict.fromkeys(range(1, 11), "on_time"), 11: "absent", 12: "absent"}
    unread = warnings_naming(report, "어느 패턴과도 맞지 않아")
    assert sorted(unread) == sorted([
        *(warning for warning in unread if "`week_11/구미진/`" in warning and warning.startswith("11주차 구미진 님")),
        *(warning for warning in unread if "`week_12/구미진/`" in warning and warning.startswith("12주차 구미진 님")),
        *(warning for warning in unread if "`week_12/이은빈/`" in warning and warning.startswith("12주차 이은빈 님")),
    ]) and len(unread) == 3  # dummy files are nobody's hand-in, so 소피아 and 이은빈's week 11 are not named


# ---- flat files with the week in the commit message ----------------------------------------------


@pytest.fixture()
def flat(tmp_path) -> Shape:
    shape = Shape(tmp_path / "flat", '"{week}주차/{name}/"', weeks=4)
    for week in range(1, 5):
        due = deadline(week)
        shape.push(MIJIN, due - dt.timedelta(hours=2), {f"{week}주차/구미진/a.md": f"# {week}주차 정리\n\n배운 것을 적었습니다.\n"})
        shape.push(SOPHIA, due - dt.timedelta(hours=4), {f"{SOPHIA}/notes-{week}.md": f"# week {week}\n\nmy notes for this week.\n"},
                   f"[{week}주차/{SOPHIA}] 정리")
    shape.push(SOPHIA, deadline(4) + dt.timedelta(days=1), {f"{SOPHIA}/extra.md": "# 더 읽을 거리\n\n링크 모음입니다.\n"},
               "정리 추가")
    return shape


def test_flat_files_are_named_with_the_week_of_their_commit_message(flat):
    """소피아 kept her notes in `sophia-k/`: no week counts, and every push is a warning with its week, her and the time."""
    report = flat.report()
    assert verdicts(report, "구미진") == dict.fromkeys(range(1, 5), "on_time")
    assert verdicts(report, "소피아") == dict.fromkeys(range(1, 5), "absent")
    outside = warnings_naming(report, f"`{SOPHIA}/`")
    for week in range(1, 5):
        at = deadline(week) - dt.timedelta(hours=4)
        (warning,) = [item for item in outside if item.startswith(f"{week}주차 소피아 님")]
        assert "주차 폴더 밖에 있어서" in warning and f"{at:%H:%M}" in warning and "소피아" in warning
    (weekless,) = [item for item in outside if item.startswith("소피아 님")]  # "정리 추가" names no week
    assert "5월 5일" in weekless


def test_check_lists_which_folders_are_read_and_which_are_not(flat):
    listing = flat.check()
    assert "읽은 폴더 4개, 읽지 않은 폴더 1개" in listing
    assert "✅ `1주차/구미진/` → 구미진 님 1주차" in listing
    assert f"⚠️ `{SOPHIA}/` → 읽지 않음: 소피아 님의 폴더지만 주차 폴더 밖입니다." in listing


# ---- one folder for two weeks --------------------------------------------------------------------


def test_a_folder_naming_two_weeks_counts_for_each(tmp_path):
    """`3주차,4주차/` and `3-4주차/` count for weeks 3 and 4, each judged against its own deadline."""
    shape = Shape(tmp_path / "combined", '"{week}주차/{name}/"', weeks=4)
    shape.push(MIJIN, deadline(3) - dt.timedelta(hours=1), {"3주차,4주차/구미진/graph.py": "def bfs(graph):\n    return []\n"})
    shape.push(EUNBIN, deadline(3) + dt.timedelta(hours=3), {"3-4주차/이은빈/tree.py": "def depth(tree):\n    return 0\n"})
    report = shape.report()
    assert {week: verdicts(report, "구미진")[week] for week in (3, 4)} == {3: "on_time", 4: "on_time"}
    assert {week: verdicts(report, "이은빈")[week] for week in (3, 4)} == {3: "late", 4: "on_time"}
    assert report["warnings"] == []
    assert "✅ `3주차,4주차/구미진/` → 구미진 님 3, 4주차" in shape.check()


# ---- trust: whole runs on the fake GitHub --------------------------------------------------------

WEEK1_FINAL = kst(2024, 1, 4, 12, 5)  # the folder example's week 1: due 01-04 00:00, late until 12:00


@pytest.fixture()
def folders(tmp_path) -> Study:
    """The bundled folder study (placeholders by the bot) with week 1 open."""
    text = example_file("study.yml", "mlops-study")
    study = Study(tmp_path, parse_config(text), example_file("README.md", "mlops-study"), text, kst(2023, 12, 28, 9))
    study.run(kst(2023, 12, 28, 10))
    return study


def push(study: Study, login: str, at: dt.datetime, files: dict[str, str | None]) -> str:
    study.github.now = at
    return study.github.push({**study.github.files["main"], **files}, login, at)


def week1(outcome, member: str) -> tuple[str, int]:
    judgement = outcome.report.weeks[0].members[member]
    return judgement.verdict.value, judgement.fine


def results_comment(study: Study) -> str:
    (comment,) = [c.body for c in study.github.comments.values() if marker(1, Kind.RESULTS) in c.body]
    return comment


def frozen(study: Study, member: str) -> tuple[str, int]:
    item = json.loads(study.ledger())["decisions"]["weeks"]["1"]["members"][member]
    return item["verdict"], item["fine"]


def test_a_file_moved_out_of_another_members_folder_is_not_the_movers_and_the_leader_is_told(folders):
    """가경 moves 예람's homework into her own folder: 예람 stays on time, 가경 absent, and the results name the move."""
    work = "# 내가 생각하는 MLOps\n\n모델을 꾸준히 배포하고 운영하는 흐름 전체를 자동화하는 일입니다.\n"
    push(folders, "yeram-mlops", kst(2024, 1, 2, 20), {"1주차/예람/mlops.md": work})
    moved = push(folders, "gakyung-mlops", kst(2024, 1, 3, 21), {"1주차/예람/mlops.md": None, "1주차/가경/mlops.md": work})
    outcome = folders.run(WEEK1_FINAL)
    assert week1(outcome, "예람") == ("on_time", 0) and frozen(folders, "예람") == ("on_time", 0)
    assert week1(outcome, "가경") == ("absent", 5000) and frozen(folders, "가경") == ("absent", 5000)
    (notice,) = [w for w in outcome.report.warnings if w.problem is Problem.FOLDER_MOVED]
    assert (notice.week, notice.member, notice.other, notice.ref) == (1, "가경", "예람", moved)
    assert "`1주차/가경/mlops.md`은(는) 예람 님이 먼저 낸 파일과 내용이 같아서" in results_comment(folders)


@pytest.mark.parametrize(
    ("member", "login", "files"),
    [
        ("예람", "yeram-mlops", {"1주차/예람/과제.md": "\u3000\u3000\n"}),  # ideographic spaces only
        ("예람", "yeram-mlops", {"1주차/예람/과제.md": "\u00a0\u200b\ufeff"}),  # a no-break space, format characters
        ("민수", "minsu-mlops", "zero-width space in the placeholder"),
        ("다은", "daeun-mlops", "an invisible edit of the placeholder"),
    ],
)
def test_invisible_content_is_no_hand_in(folders, member, login, files):
    """A file that shows nothing, or the bot's placeholder with something invisible added, keeps the member absent."""
    placeholder = folders.github.files["main"][f"1주차/{member}/README.md"]
    if files == "zero-width space in the placeholder":
        files = {f"1주차/{member}/README.md": placeholder.replace("과제 파일을", "과제\u200b 파일을")}
    elif files == "an invisible edit of the placeholder":
        files = {f"1주차/{member}/README.md": placeholder.replace(" ", "\u3000", 3) + "\u00a0\n"}
    push(folders, login, kst(2024, 1, 3, 20), files)
    outcome = folders.run(WEEK1_FINAL)
    assert week1(outcome, member) == ("absent", 5000) and frozen(folders, member) == ("absent", 5000)
