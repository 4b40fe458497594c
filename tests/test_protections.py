"""Whether the branch's rules, or CODEOWNERS when they cannot be read, keep the config, the ledger and the workflows from members."""

from __future__ import annotations

import dataclasses

import pytest
from helpers import decide_on, kst, started, state

from studybot.core.protections import GUARDED, codeowners, exposed, unguarded
from studybot.core.records import BranchRule


def test_no_codeowners_file_guards_nothing():
    """Without a CODEOWNERS file every guarded folder is named as unguarded."""
    assert codeowners({"README.md": "# Study"}) is None
    assert unguarded(None) == list(GUARDED)


def test_github_reads_the_first_codeowners_file():
    """The file in .github/ wins over the root's, as on GitHub."""
    files = {"CODEOWNERS": "* @root", ".github/CODEOWNERS": "/config/ @leader"}
    assert codeowners(files) == "/config/ @leader"


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("* @leader", []),
        ("config @leader\n.studybot @leader\n.github/workflows @leader", []),  # a folder named without its slash
        ("/config/ @leader\n.studybot/ @leader\n/.github/workflows/ @leader", []),
        ("config/** @leader  # the study's rules\n.github/ @leader", [".studybot/"]),
        ("/config/ @leader\n/.studybot/", [".studybot/", ".github/workflows/"]),  # no owner: not guarded
        ("/config/* @leader", list(GUARDED)),  # only files directly inside config/
        ("# nothing yet", list(GUARDED)),
    ],
)
def test_rules_that_guard_and_rules_that_do_not(text, missing):
    """A rule with an owner on the folder, a parent or everything guards it; an ownerless or shallow one does not."""
    assert unguarded(text) == missing


# ---- the branch's rules, when GitHub gives them ----------------------------------------------


def restrict(*paths: str) -> BranchRule:
    return BranchRule("file_path_restriction", {"restricted_file_paths": list(paths)})


def pull_requests(*, code_owners: bool) -> BranchRule:
    return BranchRule("pull_request", {"require_code_owner_review": code_owners, "required_approving_review_count": 1})


def test_restricted_file_paths_close_the_folders():
    """A push ruleset restricting `config/**`, `.studybot/**` and `.github/workflows/**` leaves nothing open."""
    assert exposed(None, [restrict("config/**", ".studybot/**", ".github/workflows/**")]) == []


def test_code_owners_review_closes_what_codeowners_owns():
    """Required code owners' review with `* @leader` in CODEOWNERS puts every folder under the leader."""
    assert exposed("* @leader", [pull_requests(code_owners=True)]) == []


def test_a_pull_request_rule_without_code_owners_review_closes_nothing():
    """Any collaborator can approve a change to the config when code owners' review is not required."""
    assert exposed("* @leader", [pull_requests(code_owners=False)]) == list(GUARDED)


def test_codeowners_without_a_rule_requiring_review_closes_nothing():
    """CODEOWNERS only names reviewers: with no rule requiring their review every folder is open."""
    assert exposed("* @leader", [BranchRule("deletion"), BranchRule("non_fast_forward")]) == list(GUARDED)


def test_partial_protection_names_the_rest():
    """With only `config/**` restricted, the ledger's and the workflows' folders are named as open."""
    assert exposed(None, [restrict("config/**")]) == [".studybot/", ".github/workflows/"]


def test_rules_and_code_owners_add_up():
    """A restriction on `.github/**` and code owners' review over `/config/` leave only `.studybot/` open."""
    rules = [restrict(".github/**"), pull_requests(code_owners=True)]
    assert exposed("/config/ @leader\n/.studybot/", rules) == [".studybot/"]


@pytest.mark.parametrize(
    ("pattern", "still_open"),
    [
        ("config/**/*", [".studybot/", ".github/workflows/"]),
        (".github/**", ["config/", ".studybot/"]),  # a parent folder covers the workflows
        (".git*/work*/**", ["config/", ".studybot/"]),  # globs name by name, a dot spelled out
        ("**", [".studybot/", ".github/workflows/"]),  # no wildcard is trusted with a leading dot
        ("**/*", [".studybot/", ".github/workflows/"]),
        ("*/workflows/**", list(GUARDED)),
        ("config/*", list(GUARDED)),  # subfolders may stay open
        ("config/", list(GUARDED)),  # may match no file at all
        ("config", list(GUARDED)),
        ("/config/**", list(GUARDED)),  # no path GitHub matches starts with a slash
        ("config/**/*.yml", list(GUARDED)),  # only some files
        ("conf**", list(GUARDED)),
        (".github/workflows/sub/**", list(GUARDED)),  # a subfolder is not the folder
    ],
)
def test_which_restricted_paths_cover_a_folder(pattern, still_open):
    """Only a pattern that surely blocks every file in a folder counts; anything doubtful is named as open."""
    assert exposed(None, [restrict(pattern)]) == still_open


def test_rules_without_parameters_are_read_safely():
    """A restriction or review rule that carries no parameters protects nothing and breaks nothing."""
    assert exposed("* @leader", [BranchRule("file_path_restriction"), BranchRule("pull_request")]) == list(GUARDED)


# ---- what the leader reads --------------------------------------------------------------------


def _world(rules: tuple[BranchRule, ...] | None, *, codeowners_text: str | None = None):
    from test_decide import README, online, world

    files = {"README.md": README, **({".github/CODEOWNERS": codeowners_text} if codeowners_text else {})}
    return dataclasses.replace(world(github=online(rules=rules)), files=files)


def test_the_setup_issue_and_the_summary_name_the_folders_the_rules_leave_open(seed, seed_schedule):
    """With only `config/**` restricted, the leader reads which folders are open and the ruleset steps to close them."""
    open_world = _world((restrict("config/**"),))
    setup = decide_on(seed, seed_schedule, open_world, state(), kst(2022, 4, 14)).operations[0]
    body = setup.body  # type: ignore[union-attr]
    assert "기본 브랜치에 걸린 규칙 중에 `.studybot/`, `.github/workflows/`를 막는 것이 없습니다" in body
    assert "`Restrict file paths` 규칙에 `.studybot/**`, `.github/workflows/**`를 넣고" in body
    assert "`Repository admin` 역할(스터디장)을 추가한 다음" in body
    assert "`GITHUB_TOKEN`으로 실행되면" in body  # the job token cannot bypass a ruleset
    plan = decide_on(seed, seed_schedule, open_world, started(), kst(2022, 4, 8))
    (note,) = [note for note in plan.notes if "Restrict file paths" in note]
    assert "`.studybot/`, `.github/workflows/`" in note and "`config/`" not in note.split("막는 것이 없습니다")[0]


def test_readable_rules_that_close_everything_are_acknowledged(seed, seed_schedule):
    """When the rules close all three folders the setup issue says so and runs add no warning."""
    closed = _world((restrict("config/**", ".studybot/**", ".github/workflows/**"),))
    setup = decide_on(seed, seed_schedule, closed, state(), kst(2022, 4, 14)).operations[0]
    assert "기본 브랜치 규칙이 `config/`, `.studybot/`, `.github/workflows/`를 지키고 있어서" in setup.body  # type: ignore[union-attr]
    plan = decide_on(seed, seed_schedule, closed, started(), kst(2022, 4, 8))
    assert not any("Restrict file paths" in note or "CODEOWNERS" in note for note in plan.notes)


def test_codeowners_alone_no_longer_passes_when_the_rules_are_readable(seed, seed_schedule):
    """`* @leader` in CODEOWNERS without a rule requiring code owners' review is reported as open, not as guarded."""
    plan = decide_on(seed, seed_schedule, _world((), codeowners_text="* @SEOJIN-Lab\n"), started(), kst(2022, 4, 8))
    assert any("`config/`, `.studybot/`, `.github/workflows/`를 막는 것이 없습니다" in note for note in plan.notes)


def test_a_study_run_as_a_github_app_is_told_to_put_the_app_on_the_bypass_list(seed, seed_schedule):
    """With bot-login set, the steps name the App for the bypass list and drop the job-token caution."""
    app = _world(())
    body = decide_on(seed, seed_schedule, app, state(), kst(2022, 4, 14), bot_login="studybot-seojin[bot]").operations[0].body  # type: ignore[union-attr]
    assert "studybot이 쓰는 GitHub 앱(`studybot-seojin[bot]`)을 추가한 다음" in body
    assert "GITHUB_TOKEN" not in body


def test_the_job_token_caution_appears_only_while_studybot_folder_is_open(seed, seed_schedule):
    """Once `.studybot/` is closed, the leader is not told again to leave it out."""
    rest = _world((restrict(".studybot/**"),))
    body = decide_on(seed, seed_schedule, rest, state(), kst(2022, 4, 14)).operations[0].body  # type: ignore[union-attr]
    assert "`config/`, `.github/workflows/`를 막는 것이 없습니다" in body and "GITHUB_TOKEN" not in body
