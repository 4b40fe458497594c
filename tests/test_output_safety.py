"""Output safety: what members write comes out literally, mentions happen only on purpose, the token never shows.

Member-controlled text (link text, URLs, names) reaches comments, the README tables, the job
summary and the JSON report. Each is read back the way GitHub would render it: no raw HTML, no
table broken by a ``|``, no link other than http(s), no ``@mention`` of anyone but the
configured logins, and every string still says what the member wrote.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from github_view import assert_safe as assert_markdown_safe
from github_view import mentions, rendered
from helpers import kst
from pydantic import SecretStr
from studyworld import Study

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.core.messages import messages_for
from studybot.core.records import Permission
from studybot.core.regions import read_region
from studybot.core.report import report_json
from studybot.core.schedule import build_schedule
from studybot.shell.actions import MASK, Console, redact
from studybot.shell.demo import example_file, put_link
from studybot.shell.runner import job_summary, run_action, write_report
from studybot.shell.settings import Settings

START = kst(2022, 4, 6, 9)
LEADER = "SEOJIN-Lab"
LOGINS = {"SEOJIN-Lab", "mijinkoo", "binable43", "shining-arrow", "m0oon0"}
RESULTS_AT = kst(2022, 4, 13, 12, 5)
TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"

# URLs members hand in, each with a character that means something in Markdown or HTML.
URLS = {
    "구미진": "https://m.example/a|b",  # a pipe, bare in a comment
    "이은빈": "https://e.example/my homework",  # a space, in <…> as CommonMark allows
    "한현경": "https://h.example/<script>alert(1)</script>",  # angle brackets and parentheses
    "장서진": "https://ko.wikipedia.org/wiki/MLOps_(software)",  # parentheses, in the README
}
BLOG = "https://blog.example/a_(b)|c<i>d</i>"
UNKNOWN_NAME = "<b>boss</b> | @torvalds"  # written escaped in the table so the row stays whole


def make_study(tmp_path, config_text: str | None = None) -> Study:
    text = config_text or example_file("study.yml")
    study = Study(tmp_path, parse_config(text), example_file("README.md"), text, START)
    study.github.set_permission(LEADER, Permission.ADMIN)
    return study


def week_issue(study: Study, week: int) -> int:
    return next(n for n, issue in study.github.issues.items() if issue.title == f"[{week}주차] Q&A")


# ---- reading output the way GitHub shows it ----------------------------------------------------

def assert_safe(where: str, markdown: str) -> None:
    assert_markdown_safe(markdown, LOGINS, where)


# ---- member text in everything the bot writes ----------------------------------------------------


@pytest.fixture()
def hostile(tmp_path) -> tuple[Study, object]:
    """Week 1 with submissions whose URLs and names carry Markdown, HTML and mentions, judged at noon."""
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))
    issue = week_issue(study, 1)
    add = study.github.add_comment
    add(issue, f"제출 {URLS['구미진']}", "mijinkoo", at=kst(2022, 4, 12, 9))
    add(issue, f"제출 [과제](<{URLS['이은빈']}>)", "binable43", at=kst(2022, 4, 12, 9))
    add(issue, f"제출 [과제]({URLS['한현경']})", "shining-arrow", at=kst(2022, 4, 12, 9))
    add(issue, f"/blog [1주차 글]({BLOG})", "binable43", at=kst(2022, 4, 12, 10))
    study.edit("장서진", kst(2022, 4, 12, 11), lambda text: put_link(text, 1, "장서진", URLS["장서진"]))
    written = r"\<b\>boss\</b\> \| @torvalds"
    study.edit("문수인", kst(2022, 4, 12, 12),
               lambda text: text.replace("[문수인]()|이은빈|", f"[문수인]() &nbsp; [{written}](https://b.example)|이은빈|"))
    for at in (kst(2022, 4, 12, 18, 5), kst(2022, 4, 13, 0, 5)):
        study.run(at)
    return study, study.run(RESULTS_AT)


def test_member_urls_and_names_are_escaped_in_comments_readme_and_summary(hostile):
    """Pipes, spaces, brackets and tags in members' links and names show as text; links still lead where they did."""
    study, outcome = hostile
    week = outcome.report.weeks[0]
    assert {name: week.members[name].submission.url for name in URLS} == URLS  # each counted as handed in
    assert week.blog is not None and week.blog.url == BLOG
    assert any(w.detail == UNKNOWN_NAME for w in outcome.report.warnings)

    readme = study.readme()
    summary = job_summary(outcome, build_schedule(study.config), messages_for("ko"), False)
    writings = {
        "README fines": read_region(readme, "fines"),
        "README rotation": read_region(readme, "rotation"),
        "job summary": summary,
        **{f"comment {c.id}": c.body for c in study.github.comments.values() if c.author == study.github.bot},
        **{f"issue {n}": i.body for n, i in study.github.issues.items() if i.author == study.github.bot},
    }
    for where, markdown in writings.items():
        assert_safe(where, markdown)

    # Links keep their destination: percent-encoding only, nothing cut off at a ')' or a space.
    assert unquote(next(h for h in rendered(writings["README rotation"])["hrefs"])) == BLOG
    results = next(c.body for c in study.github.comments.values() if marker(1, Kind.RESULTS) in c.body)
    assert [unquote(h) for h in rendered(results)["hrefs"]] == [BLOG]
    assert set(URLS.values()) <= {unquote(h) for h in rendered(summary)["hrefs"]}
    # The unknown name is shown literally in the summary's warnings, its '@' defused.
    shown = "".join(rendered(summary)["text"]).replace("\u200b", "")
    assert UNKNOWN_NAME in shown and "torvalds" not in mentions(summary)


def test_the_json_report_keeps_member_text_exact_and_valid(hostile, tmp_path):
    """The JSON report a workflow reads holds members' URLs and names byte for byte, in valid JSON."""
    study, outcome = hostile
    path = tmp_path / "out" / "studybot-report.json"
    write_report(path, report_json(outcome.report, build_schedule(study.config), messages_for("ko")))
    data = json.loads(path.read_text(encoding="utf-8"))
    week = data["weeks"][0]
    assert {name: week["members"][name]["url"] for name in URLS} == URLS
    assert week["blog"]["url"] == BLOG
    assert any(UNKNOWN_NAME in warning for warning in data["warnings"])
    assert all(line.isprintable() for line in path.read_text(encoding="utf-8").splitlines())


# ---- mentions -----------------------------------------------------------------------------------------


def test_reminders_mention_only_configured_logins(tmp_path):
    """The reminder pings each waiting member's configured login; '@someone', who has no login, is not pinged."""
    last = "  - {name: 문수인, github: m0oon0}\n"
    text = example_file("study.yml").replace(last, last + '  - {name: "@someone", github: null}\n')
    study = make_study(tmp_path, text)
    study.run(kst(2022, 4, 6, 10))
    study.edit("장서진", kst(2022, 4, 10), lambda readme: put_link(readme, 1, "장서진", "https://s.example/1"))
    study.github.add_comment(week_issue(study, 1), "@torvalds 이거 보셨어요? https://x.example", "mijinkoo",
                             at=kst(2022, 4, 11))
    study.run(kst(2022, 4, 12, 18, 5))
    reminder = next(c.body for c in study.github.comments.values() if marker(1, Kind.REMINDER) in c.body)
    assert mentions(reminder) == {"mijinkoo", "binable43", "shining-arrow", "m0oon0"}
    assert "@\u200bsomeone" in "".join(rendered(reminder)["text"])
    for body in [c.body for c in study.github.comments.values() if c.author == study.github.bot] + [
        i.body for i in study.github.issues.values()
    ]:
        assert mentions(body) <= LOGINS


def test_a_command_naming_an_unknown_login_mentions_nobody(tmp_path):
    """A leader's typo '/studybot paid @torvalds 3000' gets an answer that does not ping @torvalds again."""
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))
    command = study.github.add_comment(week_issue(study, 1), "/studybot paid @torvalds 3000", LEADER,
                                       at=kst(2022, 4, 7))
    study.run(kst(2022, 4, 7, 1))
    reply = next(c.body for c in study.github.comments.values() if marker(0, Kind.REPLY, command.id) in c.body)
    assert "torvalds" in reply and mentions(reply) <= LOGINS


def test_a_command_the_bot_cannot_read_is_quoted_back_as_typed(tmp_path):
    """The answer to a command the bot cannot read quotes the line exactly as typed, tags and backticks included."""
    study = make_study(tmp_path)
    study.run(kst(2022, 4, 6, 10))
    lines = ["/studybot paid @mijinkoo 3_000", "/studybot frobnicate <b>x</b> `y` @torvalds"]
    commands = [study.github.add_comment(week_issue(study, 1), line, LEADER, at=kst(2022, 4, 7)) for line in lines]
    study.run(kst(2022, 4, 7, 1))
    for line, command in zip(lines, commands, strict=True):
        reply = next(c.body for c in study.github.comments.values() if marker(0, Kind.REPLY, command.id) in c.body)
        assert_safe("reply", reply)
        assert rendered(reply)["code"][0] == line


# ---- the token ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("variable", ["INPUT_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "GITHUB_TOKEN"])
def test_a_token_is_masked_first_and_redacted_from_every_line(tmp_path, variable):
    """The token from the action input (or the job's GITHUB_TOKEN) is masked before anything else and never printed."""
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    settings = Settings.from_env({
        variable: TOKEN, "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "SEOJIN-Lab/Study-MLOps",
        "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
    })
    assert isinstance(settings.token, SecretStr) and settings.token.get_secret_value() == TOKEN
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert TOKEN not in shown

    out = io.StringIO()
    console = Console.from_settings(settings, out)
    console.print(f"cloning https://x-access-token:{TOKEN}@github.com/SEOJIN-Lab/Study-MLOps")
    console.warning(f"GitHub said: bad credentials {TOKEN}")
    with console.group(f"studybot {TOKEN}"):
        console.print(TOKEN)
    console.write_outputs({"summary": f"token {TOKEN}"})
    console.append_summary(f"## token\n{TOKEN}\n")

    lines = out.getvalue().splitlines()
    assert lines[0] == f"::add-mask::{TOKEN}"
    assert [line for line in lines[1:] if TOKEN in line] == []
    assert f"x-access-token:{MASK}@github.com" in lines[1]
    assert TOKEN not in output.read_text() and TOKEN not in summary.read_text()
    assert redact(f"a {TOKEN} b", [SecretStr(TOKEN)]) == f"a {MASK} b"


def test_a_whole_action_run_never_prints_the_token(tmp_path):
    """A full `studybot run` in Actions masks the token, gives it only to the gateway, keeps it out of all output."""
    study = make_study(tmp_path / "repo")
    files = {name: tmp_path / name for name in ("output", "summary.md", "report.json")}
    given: list[str] = []

    def connect(token: str, repository: str, api_url: str):
        given.append(token)
        return study.github

    environ = {
        "INPUT_GITHUB_TOKEN": TOKEN, "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "SEOJIN-Lab/Study-MLOps",
        "GITHUB_WORKSPACE": str(study.workspace), "GITHUB_OUTPUT": str(files["output"]),
        "GITHUB_STEP_SUMMARY": str(files["summary.md"]), "INPUT_REPORT": str(files["report.json"]),
    }
    out = io.StringIO()
    study.github.now = kst(2022, 4, 6, 10)
    assert run_action(environ, kst(2022, 4, 6, 10), dry_run=False, out=out, connect=connect) == 0

    assert given == [TOKEN]
    lines = out.getvalue().splitlines()
    assert lines[0] == f"::add-mask::{TOKEN}"
    assert [line for line in lines[1:] if TOKEN in line] == []
    assert any("[1주차] Q&A" in line for line in lines)  # the run did its work
    for path in files.values():
        assert TOKEN not in Path(path).read_text(encoding="utf-8")
    assert TOKEN not in study.readme() and TOKEN not in study.ledger()
