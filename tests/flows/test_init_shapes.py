"""`studybot init --yes` then `studybot report` on study repositories of every shape.

Each study is a real git repository whose commits come from members' noreply addresses. The
config init writes must judge the study the way a config written by hand does: same members
and logins, same leader, same schedule and fines, and the same verdicts and total in
`report`. Folder patterns are compared as data, and `report` is compared on every shape:
`N주차/<이름>/`, `<login>/N주차/`, `week_N/<이름>/` and topic-suffixed week folders.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from helpers import kst

from studybot.cli import main
from studybot.shell.demo import example_file
from studybot.shell.git import Repository, ScriptedCommit
from studybot.shell.replay import build_seed_replay as replay

SEED_NOW = "2022-05-26T00:00"


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out, environ={})
    return code, out.getvalue()


def _report(repo: Path, config: Path, now: str) -> dict:
    code, output = _run("report", "--repo-path", str(repo), "--config", str(config), "--now", now, "--format", "json")
    assert code == 0, output
    return json.loads(output)


def _by_login(report: dict, config: Path) -> dict:
    """The report's verdicts and money keyed by GitHub login, so configs that name members differently compare."""
    members = yaml.safe_load(config.read_text(encoding="utf-8"))["members"]
    login = {member["name"]: member.get("github", member["name"]).lower() for member in members}
    return {
        "weeks": [
            (week["week"], week["deadline"], week["late_until"],
             sorted((login[name], judged["verdict"], judged["fine"]) for name, judged in week["members"].items()))
            for week in report["weeks"]
        ],
        "fines": sorted((login[name], row["fines"]) for name, row in report["members"].items()),
        "pot": report["settlement"]["pot"],
    }


def _config(repo: Path) -> dict:
    return yaml.safe_load((repo / "config" / "study.yml").read_text(encoding="utf-8"))


def _init(repo: Path, *flags: str) -> str:
    code, output = _run("init", "--repo-path", str(repo), "--yes", *flags)
    assert code == 0, output
    return output


# ---------------------------------------------------------------- the seed table study


def build_seed_replay(path: Path) -> Path:
    """The example study's history without studybot's config (studybot/shell/replay.py)."""
    replay(path)
    return path


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    repo = build_seed_replay(tmp_path_factory.mktemp("seed") / "Study-MLOps")
    return repo, _init(repo)


def test_init_on_the_seed_replay_names_the_creator_leader_and_every_login(seed: tuple[Path, str]) -> None:
    """장서진 created the repository: she leads. Every member gets the login their noreply commits show,
    이은빈 too although binable43 once filled 한현경's cell."""
    repo, output = seed
    members = [(m["name"], m.get("github"), m.get("maintainer", False)) for m in _config(repo)["members"]]
    assert members == [
        ("장서진", "SEOJIN-Lab", True),
        ("구미진", "mijinkoo", False),
        ("이은빈", "binable43", False),
        ("한현경", "shining-arrow", False),
        ("문수인", "m0oon0", False),
    ]
    assert "스터디장: 장서진 님. 저장소를 만든 분입니다" in output
    assert "다른 멤버의 칸(한현경)도 고쳤으니" in output
    assert "emails:" not in (repo / "config" / "study.yml").read_text(encoding="utf-8")


def test_init_on_the_seed_replay_reads_both_exam_breaks_and_asks_for_the_undated_one(seed: tuple[Path, str]) -> None:
    """'중간, 기말 각각 2주간': the history's gap is 중간고사; 기말고사 has no date yet, so init says so with its line."""
    repo, output = seed
    schedule = _config(repo)["schedule"]
    assert schedule["first_deadline"] == "2022-04-13 00:00"
    assert schedule["late_window"] == "12h"
    assert [item["name"] for item in schedule["breaks"]] == ["중간고사"]
    assert "기말고사(2주) 휴식의 날짜를 찾지 못했습니다" in output
    assert "근거: - 시험기간에는 중간, 기말 각각 2주간 쉬어갑니다 ~" in output
    assert "# 기말고사: 날짜를 모릅니다" in (repo / "config" / "study.yml").read_text(encoding="utf-8")


def test_init_on_the_seed_replay_charges_what_the_hand_written_config_charges(seed: tuple[Path, str], tmp_path: Path) -> None:
    """`report` with init's config equals `report` with the example's own config: every verdict, 25,000원 in total."""
    repo, _ = seed
    hand = tmp_path / "hand.yml"
    hand.write_text(example_file("study.yml"), encoding="utf-8")
    inferred = _by_login(_report(repo, repo / "config" / "study.yml", SEED_NOW), repo / "config" / "study.yml")
    assert inferred == _by_login(_report(repo, hand, SEED_NOW), hand)
    assert inferred["pot"] == 25000
    assert dict(inferred["fines"]) == {"seojin-lab": 0, "mijinkoo": 8000, "binable43": 0, "shining-arrow": 7000, "m0oon0": 10000}


def test_the_final_exam_dates_given_as_a_flag_move_the_later_deadlines_as_by_hand(tmp_path: Path) -> None:
    """With --break for 기말고사, the whole calendar equals the hand-written one (12 deadlines, both breaks skipped)."""
    repo = build_seed_replay(tmp_path / "Study-MLOps")
    output = _init(repo, "--break", "2022-06-13..2022-06-24:기말고사")
    assert "휴식의 날짜를 찾지 못했습니다" not in output
    hand = tmp_path / "hand.yml"
    hand.write_text(example_file("study.yml"), encoding="utf-8")
    code, ours = _run("calendar", "--config", str(repo / "config" / "study.yml"), "--format", "json")
    assert code == 0
    _, theirs = _run("calendar", "--config", str(hand), "--format", "json")
    assert [week["deadline"] for week in json.loads(ours)["weeks"]] == [week["deadline"] for week in json.loads(theirs)["weeks"]]


# ---------------------------------------------------------------- folder studies

FOLDER_README = """# 알고리즘 스터디

## 규칙
- 과제는 매주 수요일 자정 전까지 자기 폴더에 올립니다.
- 벌금: 지각 2,000원, 미제출 5,000원
- 지각은 다음날 12시까지 인정합니다.
"""
# name, login: the leader first; she creates the repository.
FOLDER_MEMBERS = (("민우", "minwoo-algo"), ("가경", "gakyung-algo"), ("예람", "yeram-algo"))
# (member, week, local time of the upload): week N is due before Wednesday 2024-01-10 + N-1 weeks.
UPLOADS = (
    ("민우", 1, (2024, 1, 8, 21)), ("가경", 1, (2024, 1, 9, 22)), ("예람", 1, (2024, 1, 9, 23, 30)),
    ("민우", 2, (2024, 1, 16, 20)), ("가경", 2, (2024, 1, 17, 9)),
    ("민우", 3, (2024, 1, 23, 19)), ("가경", 3, (2024, 1, 23, 21)), ("예람", 3, (2024, 1, 24, 11, 59)),
    ("민우", 4, (2024, 1, 30, 10)), ("예람", 4, (2024, 1, 30, 22)),
)
FOLDER_NOW = "2024-02-01T00:00"


def _folder(shape: str, week: int, name: str, login: str) -> str:
    return {
        "week-name": f"{week}주차/{name}/",
        "login-week": f"{login}/{week}주차/",
        "topic": f"{week}주차 {['', '분할정복', '그리디', 'DP', '그래프'][week]}/{name}/",
        "week_n": f"week_{week}/{name}/",
    }[shape]


def build_folder_study(path: Path, shape: str) -> Path:
    repository = Repository.create(path)
    logins = dict(FOLDER_MEMBERS)
    leader, leader_login = FOLDER_MEMBERS[0]
    commits = [
        ScriptedCommit({"README.md": FOLDER_README}, "스터디 시작", leader, f"1000+{leader_login}@users.noreply.github.com", kst(2024, 1, 3, 20)),
    ]
    for name, week, when in UPLOADS:
        folder = _folder(shape, week, name, logins[name])
        email = f"2000+{logins[name]}@users.noreply.github.com"
        files = {f"{folder}solution.py": f"# {name} {week}\nprint({week})\n"}
        commits.append(ScriptedCommit(files, f"{week}주차 {name}", logins[name], email, kst(*when)))
    repository.import_commits(commits)
    return path


HAND_FOLDER_CONFIG = """\
study: {{name: 알고리즘 스터디, language: ko, timezone: Asia/Seoul, currency: KRW}}
schedule: {{first_week: 1, weeks: 4, first_deadline: 2024-01-10 00:00, late_window: 12h}}
fines: {{late: 2000, absent: 5000}}
settlement: {{exclude: last_place}}
members:
{members}
submissions:
  readme: {{enabled: false}}
  issues: {{enabled: true}}
  folders: {{enabled: true, pattern: "{pattern}"}}
qna: {{title: "[{{week}}주차] Q&A"}}
"""
HAND_PATTERNS = {
    "week-name": "{week}주차/{name}/",
    "login-week": "{github}/{week}주차/",
    "topic": "{week}주차*/{name}/",
    "week_n": "week_{week}/{name}/",
}
INFERRED_PATTERNS = {
    "week-name": "{week}주차/{name}/",
    "login-week": "{name}/{week}주차/",
    "topic": "{week}주차*/{name}/",
    "week_n": "week_{week}/{name}/",
}


def _hand_config(path: Path, shape: str) -> Path:
    members = "\n".join(
        f"  - {{name: {name}, github: {login}{', maintainer: true' if index == 0 else ''}}}"
        for index, (name, login) in enumerate(FOLDER_MEMBERS)
    )
    path.write_text(HAND_FOLDER_CONFIG.format(members=members, pattern=HAND_PATTERNS[shape]), encoding="utf-8")
    return path


@pytest.mark.parametrize("shape", sorted(INFERRED_PATTERNS))
def test_init_infers_a_folder_studys_pattern_members_leader_and_rules(tmp_path: Path, shape: str) -> None:
    """Each folder shape gives its pattern, the members with their logins, the creator as leader,
    and the deadline, late window and fines the README states."""
    repo = build_folder_study(tmp_path / "algo", shape)
    output = _init(repo)
    config = _config(repo)
    assert config["submissions"]["folders"] == {"enabled": True, "pattern": INFERRED_PATTERNS[shape]}
    assert config["submissions"]["readme"] == {"enabled": False}
    by_login = {m["github"]: m.get("maintainer", False) for m in config["members"]}
    assert by_login == {"minwoo-algo": True, "gakyung-algo": False, "yeram-algo": False}
    schedule = config["schedule"]
    assert (schedule["first_week"], schedule["weeks"]) == (1, 4)
    assert (schedule["first_deadline"], schedule["late_window"]) == ("2024-01-10 00:00", "12h")
    assert config["fines"] == {"late": 2000, "absent": 5000}
    assert "근거: - 지각은 다음날 12시까지 인정합니다." in output


@pytest.mark.parametrize("shape", ["week-name", "login-week", "week_n"])
def test_a_folder_studys_report_with_inits_config_equals_the_hand_written_one(tmp_path: Path, shape: str) -> None:
    """Shapes today's folder reader handles: the same verdicts and total as the config written by hand."""
    repo = build_folder_study(tmp_path / "algo", shape)
    _init(repo)
    hand = _hand_config(tmp_path / "hand.yml", shape)
    ours = _by_login(_report(repo, repo / "config" / "study.yml", FOLDER_NOW), repo / "config" / "study.yml")
    assert ours == _by_login(_report(repo, hand, FOLDER_NOW), hand)
    # 가경 late in week 2 and absent in week 4; 예람 absent in week 2, late in week 3.
    assert ours["pot"] == 2000 + 5000 + 5000 + 2000


def test_a_topic_suffixed_folder_studys_report_equals_the_hand_written_one(tmp_path: Path) -> None:
    """`1주차 분할정복/<이름>/`: the inferred `{week}주차*/{name}/` must judge as the hand-written config does."""
    repo = build_folder_study(tmp_path / "algo", "topic")
    _init(repo)
    hand = _hand_config(tmp_path / "hand.yml", "topic")
    ours = _by_login(_report(repo, repo / "config" / "study.yml", FOLDER_NOW), repo / "config" / "study.yml")
    assert ours == _by_login(_report(repo, hand, FOLDER_NOW), hand)
    assert ours["pot"] == 14000
