"""The setup issue: everything the leader confirms before `/studybot 시작`, in short Korean."""

from __future__ import annotations

import dataclasses

import pytest
from helpers import decide_on, kst, state
from test_decide import online, world

from studybot.core.config import Excuse
from studybot.core.plan import SetupIssue


def _setup(config, schedule, now) -> str:
    (setup,) = [op for op in decide_on(config, schedule, world(github=online()), state(), now).operations if isinstance(op, SetupIssue)]
    return setup.body


def test_the_setup_issue_shows_the_money_rules_routes_blog_tables_and_issue_times(seed, seed_schedule):
    body = _setup(seed, seed_schedule, kst(2022, 4, 5, 9))
    for line in (
        "- 마감: 1주차는 4월 13일(수) 00:00 전까지, 지각은 4월 13일(수) 12:00 전까지입니다. 그 뒤에는 결석입니다.",
        "- 벌금: 지각 3,000원, 결석 4,000원",
        "- 정산: 벌금이 가장 많은 멤버(꼴찌)를 빼고, 나머지 멤버가 모인 벌금을 똑같이 나눕니다.",
        "- 제출 시각: 기본 브랜치에 올라간 시각(GitHub 서버 기록)입니다.",
        "- 면제: 없음. 스터디장이 `/studybot 면제 이름 주차 사유`로 줄 수 있습니다.",
        "- 스터디장: 장서진 (` @SEOJIN-Lab `).",
        "- ` README.md `의 ` 과제 ` 열에서 자기 이름 칸에 링크를 넣습니다.",
        "- 주차 Q&A 이슈에 링크와 함께 '제출'이라고 댓글을 답니다.",
        "이 순서로 한 주에 한 명씩 씁니다: 이은빈 → 문수인 → 한현경 → 장서진 → 구미진.",
        "` README.md `에 벌금 표, 팀 블로그 표를 넣습니다.",
        "- ` [N주차] Q&A ` 이슈는 마감 7일 전에 엽니다.",
        "- 마감 6시간 전에 아직 안 낸 멤버를 이슈 댓글로 불러 알립니다.",
        # At 09:00 on 4월 5일, week 1's issue (4월 6일 00:00) is still ahead: no time already past.
        "- 다음은 1주차입니다: 이슈 4월 6일(수) 00:00, 알림 4월 12일(화) 18:00.",
        "아직 마감이 지난 주차가 없어서, 시작해도 확정되는 판정은 없습니다.",
    ):
        assert line in body, line
    assert "0개 주차" not in body


def test_after_the_first_deadline_the_setup_issue_names_the_next_week_ahead_and_the_frozen_table(seed, seed_schedule):
    """A run on 4월 14일: week 1 is final (its table comes without a nested heading); the next issue is week 2's."""
    body = _setup(seed, seed_schedule, kst(2022, 4, 14, 9))
    assert "마감이 지난 1개 주차의 판정입니다. 시작하면 이대로 확정되고" in body
    assert "### 벌금 현황" not in body
    assert "- 다음은 2주차입니다: 이슈 4월 27일(수) 00:00, 알림 5월 3일(화) 18:00." in body


def test_the_protection_part_first_says_what_is_refused_then_each_plan(seed, seed_schedule):
    body = _setup(seed, seed_schedule, kst(2022, 4, 5, 9))
    section = body.split("### 저장소 보호")[1]
    assert section.strip().startswith("studybot은 멤버가 push한 설정(`config/`)과 벌금 장부(`.studybot/`) 변경을 이미 받아들이지 않습니다.")
    for plan in ("- 무료 공개 저장소:", "- 무료 비공개 저장소:", "- 유료 요금제(Team 이상):"):
        assert plan in section


def test_members_without_a_login_excuses_a_leader_without_login_and_no_rotation_are_said(seed, seed_schedule):
    members = [m.model_copy(update={"github": None} if m.name == "구미진" else {}) for m in seed.members]
    config = seed.model_copy(
        update={
            "members": members,
            "excuses": [Excuse(week=3, member="한현경", reason="병결")],
            "settlement": seed.settlement.model_copy(update={"exclude": "none"}),
            "rotation": seed.rotation.model_copy(update={"team_blog": None}),
            "qna": seed.qna.model_copy(update={"reminder_before": None}),
            "submissions": seed.submissions.model_copy(
                update={
                    "timing": "authored",
                    "folders": seed.submissions.folders.model_copy(update={"enabled": True}),
                    "readme": seed.submissions.readme.model_copy(update={"enabled": False}),
                    "issues": seed.submissions.issues.model_copy(update={"enabled": False}),
                }
            ),
        }
    )
    body = _setup(config, seed_schedule, kst(2022, 4, 5, 9))
    assert "| 구미진 | 없음 (제출이 인정되지 않습니다) |" in body
    assert "- 면제: 3주차 한현경(병결)" in body
    assert "- 정산: 모인 벌금을 나누지 않습니다." in body
    assert "- 제출 시각: 커밋 날짜입니다." in body
    assert "- ` {week}주차/{name}/ ` 폴더에 파일을 올립니다." in body
    assert "팀 블로그 순번은 쓰지 않습니다." in body and "` README.md `에 벌금 표를 넣습니다." in body
    assert "- 마감 전 알림은 보내지 않습니다." in body and "알림 —." in body


def test_a_config_without_a_leader_or_a_route_says_so(seed, seed_schedule):
    config = seed.model_copy(
        update={
            "members": [m.model_copy(update={"maintainer": False}) for m in seed.members],
            "submissions": seed.submissions.model_copy(
                update={
                    "readme": seed.submissions.readme.model_copy(update={"enabled": False}),
                    "issues": seed.submissions.issues.model_copy(update={"enabled": False}),
                }
            ),
        }
    )
    body = _setup(config, seed_schedule, kst(2022, 4, 5, 9))
    assert "- 스터디장: 없음. 아무도 봇을 시작하거나 명령을 쓸 수 없으니" in body
    assert "켜진 제출 방법이 없습니다." in body


def test_once_every_weeks_issue_has_opened_the_setup_issue_names_no_next_one(seed, seed_schedule):
    """Adopted after the last week's issue opened (7월 20일): no '다음은' line pointing at a time already past."""
    body = _setup(seed, seed_schedule, kst(2022, 7, 25, 9))
    assert "- 다음은" not in body
    assert "마감이 지난 11개 주차의 판정입니다." in body


@pytest.mark.parametrize(("timing", "words"), [("author-date", "작성 날짜"), ("commit-date", "커밋 날짜(commit date)")])
def test_the_setup_issue_names_each_hand_in_clock(seed_schedule, timing, words):
    """Every `submissions.timing` value has its line in the setup issue, so the leader confirms which date counts."""
    from studybot.core.config import parse_config
    from studybot.core.schedule import build_schedule
    from studybot.shell.demo import example_file

    config = parse_config(example_file("study.yml").replace("timing: landed ", f"timing: {timing}"))
    assert f"제출 시각: {words}" in _setup(config, build_schedule(config), kst(2022, 4, 1))
def test_a_setup_on_the_day_the_issue_was_due_to_open_says_the_start_opens_it(seed, seed_schedule):
    """At 09:00 on 4월 6일 week 1's issue (due 00:00) is not open: the setup issue says the first run after
    the start opens it, and names week 2 as the next one ahead; no sentence names a time already past."""
    body = _setup(seed, seed_schedule, kst(2022, 4, 6, 9))
    assert "- 1주차 이슈는 열 때가 지나서 `/studybot 시작` 뒤 첫 실행에서 엽니다." in body
    assert "- 다음은 2주차입니다: 이슈 4월 27일(수) 00:00, 알림 5월 3일(화) 18:00." in body
    assert "열 때가 지나서" not in _setup(seed, seed_schedule, kst(2022, 4, 5, 9))


def test_the_protection_part_is_calm_and_folds_the_recipe_away():
    """Open folders: first what studybot refuses, then one line naming them, the plans, and the ruleset steps folded in a details block."""
    from test_decide import README

    from studybot.core.adoption import setup_protections
    from studybot.core.messages import messages_for
    from studybot.core.records import BranchRule

    open_world = dataclasses.replace(world(github=online(rules=(BranchRule(type="pull_request"),))), files={"README.md": README})
    text = setup_protections(open_world, messages_for("ko"))
    refused, today, plans = text.index("이미 받아들이지 않습니다"), text.index("지금은 `config/`"), text.index("요금제에 따라")
    assert refused < today < plans < text.index("<details><summary>")
    assert text.rstrip().endswith("</details>") and "⚠️" not in text.split("<details>")[0]
