"""The small things a leader meets on a first real run: what `run` says on an empty repository and where a
broken config's annotations point."""

from __future__ import annotations

import io
import re

import pytest
from helpers import SEED_CONFIG, kst
from test_action_run import actions_env
from test_action_run import run as run_action_at
from test_attacks import push_config
from test_cheating import make_study

from studybot.cli import fail
from studybot.core.errors import StudybotError
from studybot.shell.git import Repository
from studybot.shell.runner import run_action


def test_a_broken_config_in_a_run_is_annotated_on_the_file_inside_the_repository(tmp_path):
    """A member breaks config/study.yml while a config is in force: the run still closes the week, and each
    `::error` names `config/study.yml`, the path GitHub attaches annotations to, never the runner's absolute path."""
    study = make_study(tmp_path / "repo")
    study.run(kst(2022, 4, 6, 10))
    push_config(study, "mijinkoo", kst(2022, 4, 12), lambda t: t.replace("fines: {late: 3000, absent: 4000}", "fines: {late: 삼천원"))
    code, log = run_action_at(study, actions_env(study, tmp_path), kst(2022, 4, 13, 0, 5))
    assert code == 2
    files = re.findall(r"::error file=([^,]*),line=", log)
    assert files and set(files) == {"config/study.yml"}
    assert str(study.workspace) not in "".join(files)


def test_run_on_a_repository_without_commits_stops_with_one_sentence_and_writes_nothing(tmp_path):
    """`run` in a checkout with no commit yet: exit 1 and the sentence asking for the README to be committed."""
    workspace = Repository.create(tmp_path / "study").path
    (workspace / "config").mkdir()
    (workspace / "config" / "study.yml").write_text(SEED_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    env = {"GITHUB_WORKSPACE": str(workspace), "GITHUB_REPOSITORY": "SEOJIN-Lab/Study-MLOps", "INPUT_GITHUB_TOKEN": "ghs_x",
           "GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    with pytest.raises(StudybotError) as caught:
        run_action(env, kst(2022, 4, 6, 10), dry_run=False, out=io.StringIO(), connect=lambda *_: None)
    out = io.StringIO()
    assert fail(caught.value, out, {}) == 1
    assert out.getvalue() == "studybot: 저장소에 아직 커밋이 없습니다. README를 먼저 커밋하세요.\n"
    assert not (tmp_path / "summary.md").exists()
