"""A new study leader adopts studybot on the seed study's repository, whose members commit with
personal addresses: init, check, the first run (a setup issue only), /studybot 시작, the cycle."""

from __future__ import annotations

import io
import json

from helpers import kst
from studyworld import GitBackedGitHub, job
from test_init import DEADLINES, IDENTITIES, SEED, _emptied, _seed_links, _with_link

from studybot.cli import main
from studybot.core.markers import Kind, marker
from studybot.core.records import Permission
from studybot.shell.configfile import load_config
from studybot.shell.runner import run_cycle

LOGINS = {"장서진": "SEOJIN-Lab", "구미진": "mijinkoo", "이은빈": "binable43", "한현경": "shining-arrow", "문수인": "m0oon0"}


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out, environ={}), out.getvalue()


def test_init_check_setup_start_and_the_weekly_cycle(tmp_path):
    """Each step does what the guide promises, and members with personal addresses are credited."""
    identities = {LOGINS[name]: identity for name, identity in IDENTITIES.items()}
    github = GitBackedGitHub(
        tmp_path / "Study-MLOps", {"README.md": _emptied(SEED)}, now=kst(2022, 4, 5, 20),
        owner="SEOJIN-Lab", identities=identities,
    )
    text = _emptied(SEED)
    for week, member, url in _seed_links():
        text = _with_link(text, week, member, url)
        github.push({"README.md": text}, LOGINS[member], DEADLINES[week].replace(hour=0) - kst(2022, 1, 1).utcoffset())
    workspace = github.repository.path

    code, out = cli("init", "--repo-path", str(workspace), "--yes", "--lang", "ko", "--first-deadline", "2022-04-13 00:00")
    assert code == 0, out
    # The leader fills in the logins init could not see (it says so in the file) and names themself.
    path = workspace / "config/study.yml"
    config_text = path.read_text(encoding="utf-8")
    lines = config_text.split("\n")
    for name, login, extra in (("장서진", "SEOJIN-Lab", ", maintainer: true"), ("이은빈", "binable43", "")):
        (index,) = [i for i, line in enumerate(lines) if line.startswith(f"  - {{name: {name},")]
        assert "github:" not in lines[index].split("#")[0]  # init could not see it, and said so
        lines[index] = f'  - {{name: {name}, github: {login}{extra}, emails: ["{IDENTITIES[name][1]}"]}}'
    config_text = "\n".join(lines)
    path.write_text(config_text, encoding="utf-8")
    assert cli("check", "--repo-path", str(workspace))[0] == 0
    workflow = (workspace / ".github/workflows/studybot.yml").read_text(encoding="utf-8")
    config = load_config(workspace / "config/study.yml")
    assert config.member("이은빈").emails == ["eunbin.lee@ewha.ac.kr"]  # a personal address, placed by init
    github.push({"README.md": text, "config/study.yml": config_text, ".github/workflows/studybot.yml": workflow},
                "SEOJIN-Lab", kst(2022, 5, 26, 9))
    github.set_permission("SEOJIN-Lab", Permission.ADMIN)

    head = github.files["main"]
    first = run_cycle(config, github, workspace, kst(2022, 5, 26, 10), job())
    (setup,) = github.issues.values()
    assert marker(0, Kind.SETUP) in setup.body and "/studybot 시작" in setup.body
    assert github.files["main"] == head and not github.comments  # nothing posted or committed, nothing frozen
    assert any("시작" in note for note in first.notes)
    run_cycle(config, github, workspace, kst(2022, 5, 26, 11), job())
    assert len(github.issues) == 1 and github.files["main"] == head  # the setup issue is not opened twice

    github.add_comment(setup.number, "/studybot 시작", "SEOJIN-Lab", at=kst(2022, 5, 26, 12))
    started = run_cycle(config, github, workspace, kst(2022, 5, 26, 13), job())
    ledger = json.loads(github.files["main"][config.output.ledger])
    assert ledger["decisions"]["started"]["by"] == "SEOJIN-Lab"
    week1 = ledger["decisions"]["weeks"]["1"]["members"]
    assert week1["이은빈"]["verdict"] == "on_time"  # her commits carry a personal address; her pushes count
    assert any(marker(6, Kind.ISSUE) in issue.body for issue in github.issues.values())  # the open week's issue
    assert started.report.weeks[0].final

    code, out = cli("report", "--repo-path", str(workspace), "--now", "2022-05-26T13:00:00", "--format", "json")
    assert code == 0 and json.loads(out)["weeks"][0]["members"]["이은빈"]["verdict"] == "on_time"
