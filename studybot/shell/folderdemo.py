"""``studybot demo --example mlops-study``: a folder-format study replayed into a throw-away repository.

Modelled on the MLOps-Study seed: five members, a README whose meeting log holds ``[과제]``
lines, week folders opened by the leader (empty files) and by the bot (placeholder READMEs),
uploads of Markdown, a PDF and a notebook, a file renamed into a folder, late uploads. The
demo prints the verdicts, the fines, the open week's issue with its homework block, and the
placeholder files the next week's opening commit adds.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from studybot.core.config import Member, StudyConfig, localize, parse_config
from studybot.core.markup import plain
from studybot.core.messages import messages_for
from studybot.core.render import render_fines, render_report
from studybot.core.schedule import Schedule, build_schedule
from studybot.shell.demo import example_comments, example_file, noreply, print_demo
from studybot.shell.git import Repository, ScriptedCommit
from studybot.shell.read import open_checkout
from studybot.shell.runner import Planned, plan_run

FOLDER_EXAMPLE = "mlops-study"
BOT_NAME, BOT_EMAIL = "github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"


def pdf_bytes(title: str) -> bytes:
    """A small but real one-page PDF whose page shows ``title`` (ASCII only, as Type1 fonts need)."""
    text = "".join(char for char in title if 32 <= ord(char) < 127 and char not in "()\\") or "homework"
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def notebook_text(title: str) -> str:
    """A minimal Jupyter notebook (nbformat 4) with a heading and one code cell."""
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [f"# {title}"]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": ["import mlflow\n", "mlflow.set_experiment(\"study\")"]},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True)
class FolderExample:
    """The folder-format example as built: what the report and the bot's plans are made from."""

    config: StudyConfig
    schedule: Schedule
    now: dt.datetime
    readme: str
    paths: frozenset[str]


def build_folder_example(path: Path, bot_placeholders: bool = True) -> FolderExample:
    """Create the MLOps-Study example at ``path``; with ``bot_placeholders=False`` the bot's
    placeholder READMEs are written as empty files (what the seed study's leader did), which
    must not change any verdict."""
    from studybot.core.homework import parse_homework
    from studybot.core.placeholders import placeholder_files

    config_text = example_file("study.yml", FOLDER_EXAMPLE)
    config = parse_config(config_text, f"example/{FOLDER_EXAMPLE}/study.yml")
    schedule = build_schedule(config)
    messages = messages_for(config.study.language)
    script = yaml.safe_load(example_file("history.yml", FOLDER_EXAMPLE))
    repository = Repository.create(path)
    readme = example_file("README.md", FOLDER_EXAMPLE)
    tree: set[str] = set()
    contents: dict[str, str | bytes] = {}  # what each path holds, for renames
    history: list[ScriptedCommit] = []
    logins = {member.name: member.github for member in config.members}

    def local(text: str) -> dt.datetime:
        return localize(schedule.zone, dt.datetime.fromisoformat(text))

    for event in script["events"]:
        files: dict[str, str | bytes | None] = {}
        message = event.get("message", "")
        if event.get("create"):
            files = {"README.md": readme, "config/study.yml": config_text}
        elif "log" in event:
            readme = readme.rstrip("\n") + "\n\n" + event["log"]
            files = {"README.md": readme}
            message = message or "모임 기록"
        elif "placeholders" in event:
            week = event["placeholders"]["week"]
            if event["placeholders"].get("blank"):
                active = [member for member in config.members if member.active_in(week)]
                files = {folder_path(config, week, member) + ".gitkeep": "" for member in active}
            else:
                log = config.weekly_log
                homework = parse_homework(readme, log.heading, log.marker, schedule).get(week)
                planned = placeholder_files(config, schedule, week, config.members, tree, messages, homework)
                files = {name: (text if bot_placeholders else "") for name, text in planned.items()}
            message = message or f"{week}주차 폴더 열기"
        elif "upload" in event:
            upload = event["upload"]
            if "pdf" in upload:
                files = {upload["path"]: pdf_bytes(upload["pdf"])}
            elif "notebook" in upload:
                files = {upload["path"]: notebook_text(upload["notebook"])}
            else:
                files = {upload["path"]: upload["text"]}
            message = message or f"Add files via upload: {upload['path']}"
        elif "move" in event:
            moved = event["move"]
            files = {moved["to"]: contents[moved["from"]], moved["from"]: None}
            message = message or f"Rename {moved['from']} to {moved['to']}"
        author = event["by"]
        bot = author == "studybot"
        history.append(
            ScriptedCommit(
                files,
                message,
                author=BOT_NAME if bot else author,
                email=BOT_EMAIL if bot else noreply(logins.get(author), author),
                when=local(event["at"]),
            )
        )
        contents.update({name: content for name, content in files.items() if content is not None})
        tree.update(name for name, content in files.items() if content is not None)
        tree.difference_update(name for name, content in files.items() if content is None)
    repository.import_commits(history)
    return FolderExample(config, schedule, local(script["now"]), readme, frozenset(tree))


def folder_path(config: StudyConfig, week: int, member: Member) -> str:
    from studybot.core.placeholders import folder_of

    return folder_of(config, week, member)


def folder_demo_sections(example: FolderExample, planned: Planned, submissions: int) -> tuple[str, list[tuple[str | None, str]]]:
    """What the folder-format demo prints: the headline and (title, text) sections."""
    from studybot.core.cycle import WEEK_OPENS_BEFORE
    from studybot.core.homework import homework_warnings, parse_homework
    from studybot.core.placeholders import placeholder_files

    config, schedule, now = example.config, example.schedule, example.now
    report = planned.plan.report
    messages = messages_for(config.study.language)
    log = config.weekly_log
    entries = parse_homework(example.readme, log.heading, log.marker, schedule)
    sections: list[tuple[str | None, str]] = [
        (None, render_report(report, schedule, messages, protect=plain)),
        ("README region 'fines' (committed between <!-- studybot:fines:start/end -->)",
         render_fines(report, schedule, messages)),
    ]
    warnings = homework_warnings(entries, schedule, messages)
    lines = [f"- {week}주차 ← {', '.join(entry.texts)}" for week, entry in entries.items()]
    sections.append(("Weekly log: the README's [과제] lines, by the graded week they are due in",
                     "\n".join(lines + [""] + [f"⚠️ {warning}" for warning in warnings])))
    for title, body in example_comments(planned):
        sections.append((title, body))
    opening = next((week for week in schedule.weeks if week.deadline - WEEK_OPENS_BEFORE > now), None)
    if opening is not None:
        files = placeholder_files(config, schedule, opening.number, config.members, example.paths, messages,
                                  entries.get(opening.number))
        opens = opening.deadline - WEEK_OPENS_BEFORE
        listing = "\n".join(sorted(files)) or "(nothing: every folder already has files)"
        sample = next(iter(sorted(files.items())), None)
        text = listing + (f"\n\n{sample[0]}:\n\n{sample[1]}" if sample else "")
        sections.append((f"Placeholder files the opening commit of {opening.number}주차 adds "
                         f"({opens:%Y-%m-%d %H:%M}); they never count as a submission", text.rstrip("\n")))
    headline = (f"studybot demo — {config.study.name}: {len(config.members)} members, "
                f"{submissions} submissions in week folders, "
                f"as of {now:%Y-%m-%d %H:%M} {config.study.timezone}")
    return headline, sections


def run_folder_demo(out: TextIO) -> int:
    """Build the folder-format example, judge it as of the script's 'now', and print it."""
    with tempfile.TemporaryDirectory(prefix="studybot-demo-") as folder:
        example = build_folder_example(Path(folder))
        # The same loop as a run and as ``report``, on the example's checkout.
        planned = plan_run(example.config, open_checkout(folder), None, example.now)
        report = planned.plan.report
    submissions = sum(1 for week in report.weeks for judgement in week.members.values() if judgement.submission)
    headline, sections = folder_demo_sections(example, planned, submissions)
    print_demo(out, headline, sections)
    return 0
