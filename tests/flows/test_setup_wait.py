"""The wait for `/studybot 시작` costs no more than a quiet run.

Nothing is committed before the start, so the setup issue itself says what it last showed: the
config version and the last schedule boundary. While both stand and nothing waits for an answer,
a run reads the three listings and nothing else.
"""

from __future__ import annotations

from collections import Counter

from helpers import kst
from test_attacks import LEADER, MEMBER, push_config, setup_issue, unstarted


def requests_of(study, at) -> Counter[str]:
    before = Counter(study.github.request_count())
    study.run(at)
    return Counter(study.github.request_count()) - before


def test_a_quiet_wait_reads_three_listings_and_no_rules(tmp_path):
    """A run with nothing new in the setup window reads issues, comments and activity, and writes nothing."""
    study = unstarted(tmp_path)
    writes = len(study.github.writes)
    asked = requests_of(study, kst(2022, 4, 1, 11))
    assert sum(asked.values()) == 3 and not any("rules" in label for label in asked)
    assert len(study.github.writes) == writes


def test_the_setup_issue_is_written_again_when_something_changed(tmp_path):
    """A schedule boundary, a new config version or a start to answer: the rules are read and the issue brought up to date."""
    study = unstarted(tmp_path)
    body = study.github.issues[setup_issue(study)].body
    assert any("rules" in label for label in requests_of(study, kst(2022, 4, 6, 1)))  # week 1's issue would open now
    assert study.github.issues[setup_issue(study)].body != body
    sha = push_config(study, LEADER, kst(2022, 4, 6, 2), lambda t: t.replace("late: 3000", "late: 2000"))
    assert any("rules" in label for label in requests_of(study, kst(2022, 4, 6, 3)))
    assert f"studybot:config={sha}" in study.github.issues[setup_issue(study)].body
    study.github.add_comment(setup_issue(study), "/studybot 시작", MEMBER, at=kst(2022, 4, 6, 4))
    assert any("rules" in label for label in requests_of(study, kst(2022, 4, 6, 5)))  # her start is answered
    assert sum(requests_of(study, kst(2022, 4, 6, 6)).values()) == 3  # and then the wait is quiet again
