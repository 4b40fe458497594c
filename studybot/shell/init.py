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
    FolderLayout,
    Onboarding,
    author_records,
    cell_changes,
    find_columns,
    folder_hand_ins,
    infer_folders,
    listed_members,
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
    maintainers: tuple[str, ...] = ()  # --leader (and its old name --maintainer)
    force: bool = False
    yes: bool = False
    members: tuple[str, ...] = ()  # --member 이름=login
    fines: str | None = None  # --fines late=3000,absent=4000
    weeks: int | None = None
    pattern: str | None = None


class _Stop(Exception):
    """init cannot go on; ``sentence`` says why and what to do."""

    def __init__(self, sentence: str, code: int = EXIT_FAILED, details: Sequence[str] = ()):
        super().__init__(sentence)
        self.sentence = sentence
        self.code = code
        self.details = details


class _Interrupted(Exception):
    """The leader pressed Ctrl-D or Ctrl-C at a question."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


EXIT_INTERRUPTED = 130


def _guarded(ask: Ask) -> Ask:
    """``ask`` with Ctrl-D (end of input) and Ctrl-C turned into a clean stop."""

    def guarded(question: str) -> str:
        try:
            return ask(question)
        except EOFError:
            raise _Interrupted(EXIT_FAILED) from None
        except KeyboardInterrupt:
            raise _Interrupted(EXIT_INTERRUPTED) from None

    return guarded


@dataclass(frozen=True)
class _Study:
    """What init read from the repository: the README, the table or folders, and the history."""

    readme_path: str
    text: str
    columns: Columns | None
    folders: FolderLayout | None
    records: list[AuthorRecord]
    changes: list[CellChange]
    has_history: bool
    creator: str | None


def run_init(options: InitOptions, out: TextIO, ask: Ask | None = None) -> int:
    """Write ``config/study.yml`` and the workflow for the study at ``options.repo_path``.

    ``ask`` prompts the leader at a terminal. Without one (None), init writes only with
    ``--yes``; otherwise it lists its questions with the flags that answer them and writes
    nothing. Returns the exit code.
    """
    messages = messages_for(options.language or "ko")
    try:
        readme_path = _readme_name(options.repo_path)
        readme = options.repo_path / readme_path
        if not readme.is_file():
            raise _Stop(messages.t("init.no_readme", path=readme))
        text = readme.read_text(encoding="utf-8", errors="replace")
        columns = find_columns(text)
        language = options.language or ("ko" if re.search(r"[가-힣]", columns.week + columns.submit if columns else text) else "en")
        messages = messages_for(language)
        existing = [path for path in (CONFIG_PATH, WORKFLOW_PATH) if (options.repo_path / path).exists()]
        if existing and not options.force:
            raise _Stop(messages.t("init.exists", paths=", ".join(existing)))
        answers = replace(_answers(options, messages), language=language)
        study = _read_study(options.repo_path, readme_path, text, columns, messages)
        if study.columns is None and study.folders is None and not listed_members(text) and options.pattern is None:
            raise _Stop(messages.t("init.no_table", path=readme))
        result = _onboard(study, answers, options)
        if ask is not None and not options.yes:
            asking = _guarded(ask)
            answers = _ask_all(result, answers, messages, asking)
            result = _onboard(study, answers, options)
        elif ask is None and not options.yes:
            _print_findings(result, messages, out)
            _print_questions(result, messages, out)
            return EXIT_ANSWER
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
                members=len(draft.members), authors=len(study.records),
            ),
            file=out,
        )
        _print_findings(result, messages, out)
        if ask is not None and not options.yes:
            reply = _guarded(ask)(messages.t("init.confirm", paths=f"{CONFIG_PATH}, {WORKFLOW_PATH}")).strip().lower()
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
    except _Interrupted as stop:
        print(file=out)
        print(f"studybot: {messages.t('init.interrupted')}", file=out)
        return stop.code
    except _Stop as stop:
        for detail in stop.details:
            print(detail, file=out)
        print(f"studybot: {stop.sentence}", file=out)
        return stop.code


def _print_findings(result: Onboarding, messages: Messages, out: TextIO) -> None:
    """Each inference once, with the README line it came from."""
    if not result.findings:
        return
    print(messages.t("init.findings"), file=out)
    for finding in result.findings:
        print(f"  - {finding.sentence(messages)}", file=out)
        if finding.source:
            line = finding.source if len(finding.source) <= 100 else finding.source[:99] + "…"
            print(f"      {messages.t('init.from', line=line)}", file=out)


def _print_questions(result: Onboarding, messages: Messages, out: TextIO) -> None:
    print(f"studybot: {messages.t('init.questions')}", file=out)
    for flag in result.missing:
        print(f"  - {messages.t('init.question.' + flag.strip('-'))}", file=out)
    for kind, subject in result.questions:
        print(f"  - {messages.t('init.question.' + kind, subject=subject)}", file=out)
    print("  - --yes", file=out)


def _read_study(repo_path: Path, readme_path: str, text: str, columns: Columns | None, messages: Messages) -> _Study:
    """The README's table or the week folders, with the history that shows who handed in what when."""
    repository = Repository(repo_path)
    if not repository.is_repository() or repository.head() is None:
        folders = infer_folders(_files(repo_path)) if columns is None else None
        return _Study(readme_path, text, columns, folders, [], [], False, None)
    try:
        commits = list(repository.folder_changes())
        creator = commits[0].commit.author_email if commits else None
        if columns is not None:
            table = read_table(text, columns)
            assert table is not None  # find_columns found it
            authors = repository.authors(readme_path)
            changes = cell_changes(table.header, repository.readme_patches(readme_path))
            return _Study(readme_path, text, columns, None, author_records(authors, changes), changes, bool(authors), creator)
        folders = infer_folders(repository.paths())
        changes = []
        if folders is not None:
            changes = folder_hand_ins(
                folders,
                ((c.commit.author_email, c.commit.committed_at, [t.path for t in c.touched]) for c in commits),
            )
        counts: dict[str, tuple[str, str, int]] = {}
        for commit in reversed(commits):  # the name on the author's newest commit
            key = commit.commit.author_email.lower()
            name, email, count = counts.get(key, (commit.commit.author_name, commit.commit.author_email, 0))
            counts[key] = (name, email, count + 1)
        authors = sorted(counts.values(), key=lambda author: -author[2])
    except GitError as error:
        raise _Stop(error.sentence(messages)) from None
    return _Study(readme_path, text, None, folders, author_records(authors, changes), changes, bool(authors), creator)


def _files(repo_path: Path) -> list[str]:
    """Every file under a folder that is no git repository (init still reads its layout)."""
    return sorted(
        path.relative_to(repo_path).as_posix()
        for path in repo_path.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(repo_path).parts
    )


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


def _onboard(study: _Study, answers: Answers, options: InitOptions) -> Onboarding:
    fallback = options.repo_path.resolve().name or "study"
    return onboard(
        study.text, study.columns, study.records, study.changes, answers, fallback, study.readme_path,
        study.has_history, creator=study.creator, folders=study.folders,
    )


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
    logins = []
    for text in options.members:
        name, _, login = text.partition("=")
        login = login.strip().lstrip("@")
        if not name.strip() or not _LOGIN.match(login):
            raise bad("--member", text, "init.bad_member")
        logins.append((name.strip(), login))
    late_fine, absent_fine = options.late_fine, options.absent_fine
    if options.fines:
        fines = _fines(options.fines)
        if fines is None:
            raise bad("--fines", options.fines, "init.bad_fines")
        late_fine = fines.get("late", late_fine)
        absent_fine = fines.get("absent", absent_fine)
    return Answers(
        logins=tuple(logins),
        weeks=options.weeks,
        pattern=options.pattern,
        name=options.name,
        first_deadline=first_deadline,
        late_window=late_window,
        late_fine=late_fine,
        absent_fine=absent_fine,
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


def _fines(text: str) -> dict[str, int] | None:
    """``late=3000,absent=4000`` (지각/결석 may stand for late/absent; commas in amounts are fine)."""
    fines: dict[str, int] = {}
    for part in re.split(r"[,\s]+(?=[A-Za-z가-힣]+\s*=)", text.strip()):
        key, _, value = part.partition("=")
        key = {"지각": "late", "결석": "absent"}.get(key.strip(), key.strip().lower())
        amount = value.strip().replace(",", "").removesuffix("원")
        if key not in ("late", "absent") or not amount.isdigit():
            return None
        fines[key] = int(amount)
    return fines or None


def _ask_all(result: Onboarding, answers: Answers, messages: Messages, ask: Ask) -> Answers:
    """Ask, in the study's language, only what could not be inferred; Enter skips what may be skipped."""
    if "--deadline" in result.missing:
        for _ in range(3):
            value = _deadline(ask(messages.t("init.prompt.deadline")))
            if value is not None:
                answers = replace(answers, first_deadline=value)
                break
    if "--weeks" in result.missing:
        for _ in range(3):
            text = ask(messages.t("init.prompt.weeks")).strip()
            if text.isdigit() and 0 < int(text) <= 104:
                answers = replace(answers, weeks=int(text))
                break
    if "--leader" in result.missing:
        for _ in range(3):
            text = ask(messages.t("init.prompt.leader")).strip()
            if text:
                answers = replace(answers, maintainers=(text,))
                break
    logins = list(answers.logins)
    breaks = list(answers.breaks or ())
    for kind, subject in result.questions:
        if kind == "login":
            for _ in range(2):
                login = ask(messages.t("init.prompt.login", member=subject)).strip().lstrip("@")
                if not login or _LOGIN.match(login):
                    break
            if login and _LOGIN.match(login):
                logins.append((subject, login))
        else:
            for _ in range(2):
                text = ask(messages.t("init.prompt.break", name=subject)).strip()
                item = _break(f"{text}:{subject}") if text and ":" not in text else _break(text) if text else None
                if not text or item is not None:
                    break
            if text and item is not None:
                breaks.append(item)
    return replace(answers, logins=tuple(logins), breaks=tuple(breaks) if breaks else answers.breaks)
