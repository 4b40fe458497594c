"""``studybot init``: read a study repository, ask what cannot be inferred, write its config and workflow.

The inference itself is pure (:mod:`studybot.core.onboarding`); this module reads the README
and its git history, asks the leader when a terminal is there, and writes the two files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from studybot.core.config import ConfigError, parse_config, parse_duration
from studybot.core.messages import Messages, messages_for
from studybot.core.onboarding import (
    Answers,
    AuthorRecord,
    BreakDraft,
    CellChange,
    Columns,
    Onboarding,
    author_records,
    cell_changes,
    find_columns,
    onboard,
    read_table,
    render_config,
)
from studybot.core.workflowfile import render_workflow
from studybot.shell.git import GitError, Repository

CONFIG_PATH = "config/study.yml"
WORKFLOW_PATH = ".github/workflows/studybot.yml"
EXIT_OK, EXIT_FAILED, EXIT_ANSWER = 0, 1, 2

Ask = Callable[[str], str]


@dataclass(frozen=True)
class InitOptions:
    """The command line's answers, as typed."""

    repo_path: Path = Path(".")
    language: str | None = None
    name: str | None = None
    first_deadline: str | None = None
    late_window: str | None = None
    late_fine: int | None = None
    absent_fine: int | None = None
    breaks: tuple[str, ...] = ()
    timezone: str | None = None
    maintainers: tuple[str, ...] = ()
    force: bool = False
    yes: bool = False


class _Stop(Exception):
    """init cannot go on; ``sentence`` says why and what to do."""

    def __init__(self, sentence: str, code: int = EXIT_FAILED, details: Sequence[str] = ()):
        super().__init__(sentence)
        self.sentence = sentence
        self.code = code
        self.details = details


def run_init(options: InitOptions, out: TextIO, ask: Ask | None = None) -> int:
    """Write ``config/study.yml`` and the workflow for the study at ``options.repo_path``.

    ``ask`` prompts the leader (None without a terminal: then every missing answer is a flag
    named in the error). Returns the exit code.
    """
    messages = messages_for(options.language or "ko")
    try:
        readme_path = _readme_name(options.repo_path)
        readme = options.repo_path / readme_path
        if not readme.is_file():
            raise _Stop(messages.t("init.no_readme", path=readme))
        text = readme.read_text(encoding="utf-8", errors="replace")
        columns = find_columns(text)
        if columns is None:
            raise _Stop(messages.t("init.no_table", path=readme))
        language = options.language or ("ko" if re.search(r"[가-힣]", columns.week + columns.submit) else "en")
        messages = messages_for(language)
        existing = [path for path in (CONFIG_PATH, WORKFLOW_PATH) if (options.repo_path / path).exists()]
        if existing and not options.force:
            raise _Stop(messages.t("init.exists", paths=", ".join(existing)))
        answers = replace(_answers(options, messages), language=language)
        records, changes, has_history = _history(options.repo_path, readme_path, text, columns, messages)
        result = _onboard(text, columns, records, changes, answers, options, readme_path, has_history)
        if result.missing and ask is not None:
            answers = _ask_missing(result, answers, messages, ask)
            result = _onboard(text, columns, records, changes, answers, options, readme_path, has_history)
        if result.draft is not None and ask is not None and not options.yes:
            logins = _ask_logins(result, messages, ask)
            if logins:
                answers = replace(answers, logins=logins)
                result = _onboard(text, columns, records, changes, answers, options, readme_path, has_history)
        if result.missing or result.draft is None:
            raise _Stop(
                " ".join(
                    messages.t("init.missing", flag=flag, hint=messages.t(f"init.missing.{flag.strip('-').replace('-', '_')}"))
                    for flag in result.missing
                ),
                EXIT_ANSWER,
            )
        config_text = render_config(result.draft, messages)
        try:
            config = parse_config(config_text, CONFIG_PATH)
        except ConfigError as error:
            raise _Stop(messages.t("init.invalid"), EXIT_ANSWER, [str(problem) for problem in error.problems]) from None
        workflow_text = render_workflow(config, messages, branch=_branch(options.repo_path), config_path=CONFIG_PATH)

        draft = result.draft
        print(
            messages.t(
                "init.found", path=readme_path, weeks=draft.weeks, first=draft.first_week,
                members=len(draft.members), authors=len(records),
            ),
            file=out,
        )
        if result.findings:
            print(messages.t("init.findings"), file=out)
            for finding in result.findings:
                print(f"  - {finding.sentence(messages)}", file=out)
        if ask is not None and not options.yes:
            reply = ask(messages.t("init.confirm", paths=f"{CONFIG_PATH}, {WORKFLOW_PATH}")).strip().lower()
            if reply.startswith(("n", "아")):
                print(messages.t("init.cancelled"), file=out)
                return EXIT_FAILED
        for path, content in ((CONFIG_PATH, config_text), (WORKFLOW_PATH, workflow_text)):
            target = options.repo_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            print(messages.t("init.wrote", path=path), file=out)
        print(messages.t("init.next", config=CONFIG_PATH, workflow=WORKFLOW_PATH), file=out)
        return EXIT_OK
    except _Stop as stop:
        for detail in stop.details:
            print(detail, file=out)
        print(f"studybot: {stop.sentence}", file=out)
        return stop.code


def _readme_name(repo: Path) -> str:
    """``README.md`` as the repository spells it (GitHub shows readme.md the same way)."""
    if repo.is_dir():
        for entry in sorted(repo.iterdir()):
            if entry.name.lower() == "readme.md" and entry.is_file():
                return entry.name
    return "README.md"


def _branch(repo: Path) -> str:
    """The checked-out branch, where pushes to the study land; ``main`` when it cannot be told."""
    head = repo / ".git" / "HEAD"
    try:
        text = head.read_text(encoding="utf-8").strip()
    except OSError:
        return "main"
    return text.removeprefix("ref: refs/heads/") if text.startswith("ref: refs/heads/") else "main"


def _history(
    repo_path: Path, readme_path: str, text: str, columns: Columns, messages: Messages
) -> tuple[list[AuthorRecord], list[CellChange], bool]:
    """The README's commit authors and the links each commit put into members' cells."""
    repository = Repository(repo_path)
    table = read_table(text, columns)
    if table is None or not repository.is_repository() or repository.head() is None:
        return [], [], False
    try:
        authors = repository.authors(readme_path)
        changes = cell_changes(table.header, repository.readme_patches(readme_path))
    except GitError as error:
        raise _Stop(error.sentence(messages)) from None
    return author_records(authors, changes), changes, bool(authors)


def _onboard(
    text: str,
    columns: Columns,
    records: list[AuthorRecord],
    changes: list[CellChange],
    answers: Answers,
    options: InitOptions,
    readme_path: str,
    has_history: bool,
) -> Onboarding:
    fallback = options.repo_path.resolve().name or "study"
    return onboard(text, columns, records, changes, answers, fallback, readme_path, has_history)


def _answers(options: InitOptions, messages: Messages) -> Answers:
    """The flags read into values; a value that cannot be read stops init with a hint."""

    def bad(flag: str, value: str, hint: str) -> _Stop:
        return _Stop(messages.t("init.bad_answer", flag=flag, value=value, hint=messages.t(hint)), EXIT_ANSWER)

    first_deadline = None
    if options.first_deadline:
        first_deadline = _deadline(options.first_deadline)
        if first_deadline is None:
            raise bad("--first-deadline", options.first_deadline, "init.hint.deadline")
    late_window = None
    if options.late_window:
        try:
            late_window = parse_duration(options.late_window)
        except ValueError:
            raise bad("--late-window", options.late_window, "init.hint.duration") from None
    breaks = []
    for text in options.breaks:
        item = _break(text)
        if item is None:
            raise bad("--break", text, "init.hint.break")
        breaks.append(item)
    return Answers(
        name=options.name,
        first_deadline=first_deadline,
        late_window=late_window,
        late_fine=options.late_fine,
        absent_fine=options.absent_fine,
        breaks=tuple(breaks) if breaks else None,
        timezone=options.timezone,
        maintainers=options.maintainers,
    )


def _deadline(text: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is None else None


_BREAK = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*(?::\s*(.*?))?\s*$")


def _break(text: str) -> BreakDraft | None:
    """``FROM..TO:NAME`` (the name may be left out)."""
    match = _BREAK.match(text)
    if not match:
        return None
    try:
        start, end = dt.date.fromisoformat(match.group(1)), dt.date.fromisoformat(match.group(2))
    except ValueError:
        return None
    return BreakDraft(start, end, match.group(3) or "") if start <= end else None


_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")


def _ask_logins(result: Onboarding, messages: Messages, ask: Ask) -> tuple[tuple[str, str], ...]:
    """The GitHub logins of members the history did not show; Enter skips one."""
    assert result.draft is not None
    logins = []
    for member in result.draft.members:
        if member.github is not None:
            continue
        for _ in range(2):
            login = ask(messages.t("init.prompt.login", member=member.name)).strip().lstrip("@")
            if not login or _LOGIN.match(login):
                break
        if login and _LOGIN.match(login):
            logins.append((member.name, login))
    return tuple(logins)


def _ask_missing(result: Onboarding, answers: Answers, messages: Messages, ask: Ask) -> Answers:
    """Ask, in the study's language, for what could not be inferred (three tries each)."""
    if "--first-deadline" in result.missing:
        for _ in range(3):
            value = _deadline(ask(messages.t("init.prompt.first_deadline")))
            if value is not None:
                return replace(answers, first_deadline=value)
    return answers
