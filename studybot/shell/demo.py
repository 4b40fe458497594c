"""``studybot demo``: the bundled example study, replayed into a throw-away git repository.

No network and no token: the history of ``example/history.yml`` becomes real commits, then
studybot reads them the way ``studybot report`` reads a checkout and prints what it would
write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import yaml

from studybot.core.config import StudyConfig, localize, parse_config
from studybot.core.decide import Plan, decide
from studybot.core.markers import Kind
from studybot.core.markup import plain, terminal_json
from studybot.core.messages import messages_for
from studybot.core.notices import payload
from studybot.core.plan import CommitFiles, CreateIssue, Notify, PostComment
from studybot.core.render import render_fines, render_report, render_rotation
from studybot.core.schedule import Schedule, build_schedule
from studybot.core.settle import RunSettings
from studybot.core.state import WeekIssue
from studybot.shell.apply import commit_changes
from studybot.shell.git import Repository, ScriptedCommit
from studybot.shell.read import open_checkout
from studybot.shell.runner import Job, Planned, plan_run

EXAMPLES = ("study-mlops", "mlops-study")


def example_file(name: str, example: str = "study-mlops") -> str:
    """A file of a bundled example: the README-table study at the top, others in their folder."""
    folder = resources.files("studybot").joinpath("example")
    if example != "study-mlops":
        folder = folder.joinpath(example)
    return folder.joinpath(name).read_text(encoding="utf-8")


def noreply(login: str | None, name: str) -> str:
    return f"{login or name}@users.noreply.github.com"


def build_example(path: Path) -> tuple[StudyConfig, Schedule, dt.datetime]:
    """Create the example repository at ``path``; return its config, schedule and 'now'."""
    config_text = example_file("study.yml")
    config = parse_config(config_text, "example/study.yml")
    schedule = build_schedule(config)
    script = yaml.safe_load(example_file("history.yml"))
    repository = Repository.create(path)
    readme = example_file("README.md")
    logins = {member.name: member.github for member in config.members}
    history: list[ScriptedCommit] = []

    def local(text: str) -> dt.datetime:
        return localize(schedule.zone, dt.datetime.fromisoformat(text))

    for event in script["events"]:
        files: dict[str, str | bytes | None] = {}
        if event.get("create"):
            files = {"README.md": readme, "config/study.yml": config_text}
        elif "link" in event:
            readme = put_link(readme, **event["link"])
            files = {"README.md": readme}
        elif "blog" in event:
            readme = put_blog(readme, **event["blog"])
            files = {"README.md": readme}
        author = event["by"]
        history.append(
            ScriptedCommit(
                files,
                event.get("message") or describe(event),
                author=author,
                email=noreply(logins.get(author), author),
                when=local(event["at"]),
                committed=local(event["committed"]) if "committed" in event else None,
            )
        )
    repository.import_commits(history)
    return config, schedule, local(script["now"])


def describe(event: dict[str, Any]) -> str:
    if "link" in event:
        return f"{event['link']['week']}주차 {event['link']['member']} 과제 제출"
    return f"{event['blog']['week']}주차 팀블로그"


def _week_row(readme: str, week: int) -> re.Match[str]:
    match = re.search(rf"^\|{week}주차\|.*$", readme, flags=re.MULTILINE)
    if match is None:
        raise ValueError(f"the example README has no row for week {week}")
    return match


def put_link(readme: str, week: int, member: str, url: str) -> str:
    """The example README with ``member``'s cell of ``week`` pointing at ``url``."""
    row = _week_row(readme, week)
    changed = re.sub(rf"\[{re.escape(member)}\]\([^)]*(?:\([^)]*\)[^)]*)*\)", f"[{member}]({url})", row.group(0), count=1)
    return readme[: row.start()] + changed + readme[row.end() :]


def put_blog(readme: str, week: int, url: str) -> str:
    """The example README with the week's 팀블로그 cell linked to ``url``."""
    row = _week_row(readme, week)
    cells = row.group(0).split("|")
    cells[-2] = f"[{cells[-2].strip()}]({url})"
    return readme[: row.start()] + "|".join(cells) + readme[row.end() :]


def run_demo(out: TextIO) -> int:
    """Build the README-table example, judge it as of the script's 'now', and print what studybot writes."""
    # The example repository is kept, so a leader can open the feed and the picture it writes.
    folder = Path(tempfile.mkdtemp(prefix="studybot-demo-"))
    config, schedule, now = build_example(folder)
    repository = open_checkout(folder)
    # Both webhooks as if configured, to show what Discord and Slack would receive.
    settings = RunSettings(webhooks=frozenset({"discord", "slack"}), repository_url=EXAMPLE_URL)
    # The same loop as a run and as ``report``, on the example's checkout.
    planned = plan_run(config, repository, None, now, Job(settings))
    plan = planned.plan
    written = commit_locally(repository, plan, now)
    report = plan.report
    submissions = sum(1 for week in report.weeks for judgement in week.members.values() if judgement.submission)
    messages = messages_for(config.study.language)
    rule = "─" * 72
    print(f"{rule}\nstudybot demo — {config.study.name}: {len(config.members)} members, "
          f"{submissions} submissions in the example history, "
          f"as of {now:%Y-%m-%d %H:%M} {config.study.timezone}\n{rule}\n", file=out)
    print(render_report(report, schedule, messages, protect=plain), file=out)
    print(f"{rule}\nREADME region 'fines' (committed between <!-- studybot:fines:start/end -->)\n{rule}\n", file=out)
    print(render_fines(report, schedule, messages), file=out)
    print(f"\n{rule}\nREADME region 'rotation'\n{rule}\n", file=out)
    print(render_rotation(report, schedule, messages), file=out)
    for title, body in example_comments(planned):
        print(f"\n{rule}\n{title}\n{rule}\n", file=out)
        print(body, file=out)
    for notice in (op for op in plan.operations if isinstance(op, Notify)):
        sent = payload(notice.platform, notice.notice, messages, notice.user_ids)
        print(f"\n{rule}\n{notice.describe(messages)} (what the webhook receives)\n{rule}\n", file=out)
        print(terminal_json(sent), file=out)
    print(f"\n{rule}\nFiles the run commits, written into the example repository\n{rule}\n", file=out)
    for path in written:
        print(folder / path, file=out)
    return 0


EXAMPLE_URL = "https://github.com/SEOJIN-Lab/Study-MLOps"


def commit_locally(repository: Repository, plan: Plan, now: dt.datetime) -> list[str]:
    """Make the plan's commit in the example repository (the demo's stand-in for GitHub)."""
    commit = next((op for op in plan.operations if isinstance(op, CommitFiles)), None)
    if commit is None:
        return []
    files: dict[str, str | bytes | None] = {change.path: change.content for change in commit_changes(commit, plan.state)}
    repository.commit(files, commit.message, author="studybot", email="studybot@users.noreply.github.com", when=now)
    return sorted(files)


def example_comments(planned: Planned) -> list[tuple[str, str]]:
    """What the bot posts around the run's 'now', as decide plans it: the open week's issue and
    its reminder, and the results of the last final week.

    The example has no GitHub, so the plans that post the reminder and the results are decided
    on the same settled run and world with the week's issue recorded as opened (and, for the
    results, closed), at the reminder's time and at 'now'.
    """
    run, world = planned.run, planned.world
    current = run.schedule.current(run.now)
    shown: list[tuple[str, str]] = []
    if current is not None:
        opened = next((op for op in planned.plan.operations if isinstance(op, CreateIssue) and op.week == current.number), None)
        if opened is not None:
            shown.append((f"Issue '{opened.title}' (opened a week before the deadline)", opened.body))
        before = run.config.qna.reminder_before
        if before:
            state = run.state.with_sync(issues={current.number: WeekIssue(number=1)})
            at = dataclasses.replace(run, now=max(run.now, current.deadline - before))
            shown += _posted(decide(at, world, state), current.number, Kind.REMINDER,
                             "Reminder comment (6 hours before the deadline)")
    finals = [week for week in planned.plan.report.weeks if week.final]
    if finals:
        week = finals[-1].week.number
        state = run.state.with_sync(issues={week: WeekIssue(number=2, state="closed", week_closed=True)})
        shown += _posted(decide(run, world, state), week, Kind.RESULTS,
                         f"Results comment on week {week}'s issue (at the end of the late window)")
    return shown


def _posted(plan: Plan, week: int, kind: Kind, title: str) -> list[tuple[str, str]]:
    return [(title, op.body) for op in plan.operations if isinstance(op, PostComment) and op.week == week and op.kind is kind]


RULE = "─" * 72


def print_demo(out: TextIO, headline: str, sections: Sequence[tuple[str | None, str]]) -> None:
    """Print a headline and (title, text) sections; a None title continues without a title bar.

    Meant as the one place a demo prints, so a run's plan can be shown the same way: the
    sections reproduce ``run_demo``'s layout byte for byte.
    """
    print(f"{RULE}\n{headline}\n{RULE}\n", file=out)
    previous = "\n"
    for title, text in sections:
        if title is not None:
            gap = "" if previous.endswith("\n") else "\n"
            print(f"{gap}{RULE}\n{title}\n{RULE}\n", file=out)
        print(text, file=out)
        previous = text
