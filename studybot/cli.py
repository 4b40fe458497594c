"""The command line: ``studybot check | calendar | report | run | demo``.

Only this module reads the environment and the clock; everything it calls takes them as
arguments. Heavy imports happen inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO, cast

from studybot.core.errors import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, Failure, StudybotError, speaking
from studybot.core.markup import terminal, terminal_json

if TYPE_CHECKING:
    from studybot.core.config import StudyConfig

__all__ = ["EXIT_CONFIG", "EXIT_FAILED", "EXIT_OK", "Failure", "fail", "main"]

LANGUAGES = ("ko", "en")


def fail(error: StudybotError, out: TextIO, environ: Mapping[str, str]) -> int:
    """The one place errors leave the program: a sentence in the study's language, annotations in Actions, a code.

    The language is the study's when its config was read (``error.language``), else the
    locale's, else English.
    """
    from studybot.core.messages import messages_for

    messages = messages_for(error.language or locale_language(environ) or "en")
    sentence = error.sentence(messages)
    in_actions = environ.get("GITHUB_ACTIONS") == "true"
    for problem in error.annotations:
        if in_actions:
            from studybot.shell.actions import error as annotate

            annotate(problem.message, file=problem.file, line=problem.line, col=problem.column, out=out)
        else:
            print(problem, file=out)
    if in_actions and not error.annotations:
        from studybot.shell.actions import error as annotate

        annotate(sentence, out=out)
    else:
        print(f"studybot: {sentence}", file=out)
    return error.code


def _words(language: str) -> dict[str, str]:
    """The message texts of ``language``, read without importing the message package.

    The package imports the config model (pydantic), which would make ``--help`` slow; the
    language files themselves import nothing.
    """
    import importlib.util

    path = Path(__file__).parent / "core" / "messages" / f"{language}.py"
    spec = importlib.util.spec_from_file_location(f"_studybot_words_{language}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.TEXT)


def cli_language(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language of help and argument errors: the study's config (``--config``, else
    ``<repo-path>/config/study.yml``) when it is found and parses, else the locale, else English."""
    path = _config_in(argv)
    with contextlib.suppress(OSError):
        if path.is_file() and path.stat().st_size < 1024 * 1024:
            import yaml

            with contextlib.suppress(ValueError, AttributeError, yaml.YAMLError):
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                language = data.get("study", {}).get("language") if isinstance(data, dict) else None
                if language in LANGUAGES:
                    return str(language)
    return locale_language(environ) or readme_language(_repo_in(argv)) or "ko"


def readme_language(repo: Path) -> str | None:
    """The language a study's README is written in: Korean when it has Hangul, else English; None without one.

    A C locale says nothing about the reader; the README of the study the command runs in does.
    """
    with contextlib.suppress(OSError):
        for name in ("README.md", "readme.md", "Readme.md"):
            path = repo / name
            if path.is_file() and path.stat().st_size < 1024 * 1024:
                text = path.read_text(encoding="utf-8", errors="replace")
                return "ko" if any("\uac00" <= char <= "\ud7a3" for char in text) else "en"
    return None


def front_door_language(repo: Path, environ: Mapping[str, str]) -> str:
    """The language of the words before a config exists: the locale's, else the README's, else Korean."""
    return locale_language(environ) or readme_language(repo) or "ko"


def _require_config(path: Path, repo: Path, environ: Mapping[str, str]) -> None:
    """No config yet: say so in the study's language and point at ``studybot init``."""
    if not path.exists():
        raise Failure("cli.no_config", code=EXIT_CONFIG, language=front_door_language(repo, environ), path=path)


def _repo_in(argv: Sequence[str]) -> Path:
    for index, word in enumerate(argv):
        if word == "--repo-path" and index + 1 < len(argv):
            return Path(argv[index + 1])
        if word.startswith("--repo-path="):
            return Path(word.split("=", 1)[1])
    return Path(".")


def _config_in(argv: Sequence[str]) -> Path:
    def value(option: str) -> str | None:
        for index, word in enumerate(argv):
            if word == option and index + 1 < len(argv):
                return argv[index + 1]
            if word.startswith(option + "="):
                return word.split("=", 1)[1]
        return None

    config = value("--config")
    return Path(config) if config else Path(value("--repo-path") or ".") / "config" / "study.yml"


class _Formatter(argparse.HelpFormatter):
    words: ClassVar[dict[str, str]] = {}

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, self.words.get("cli.usage") if prefix is None else prefix)


# argparse's own sentences (gettext msgids) and the message keys that replace them.
_ARGPARSE = {
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "the following arguments are required: %s": "cli.argparse.required",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.choice",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "expected one argument": "cli.argparse.one",
    "invalid %(type)s value: %(value)r": "cli.argparse.type",
    "positional arguments": "cli.positionals",
    "options": "cli.options",
    "show this help message and exit": "cli.help",
}


@contextlib.contextmanager
def _argparse_speaking(words: dict[str, str]) -> Iterator[None]:
    """argparse's own words (usage, errors) in the study's language while the arguments are parsed.

    argparse looks its sentences up through its module's gettext ``_`` at the moment it
    writes them; that lookup is pointed at the messages for the duration of parsing.
    """
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: words.get(_ARGPARSE.get(text, ""), text)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def _parser(words: dict[str, str]) -> argparse.ArgumentParser:
    t = words.__getitem__

    class Formatter(_Formatter):  # one class per parser: the help speaks this parser's language
        pass

    Formatter.words = words
    parser = argparse.ArgumentParser(prog="studybot", description=t("cli.description"), formatter_class=Formatter)
    parser.add_argument("--version", action="version", version=f"studybot {_version()}", help=t("cli.version"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, key: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=t(key), description=t(key), formatter_class=Formatter)

    check = command("check", "cli.check")
    check.add_argument("--config", help=t("cli.config_default"))
    check.add_argument("--repo-path", default=".", help=t("cli.repo_path"))

    calendar = command("calendar", "cli.calendar")
    calendar.add_argument("--config", default="config/study.yml", help=t("cli.config"))
    calendar.add_argument("--format", choices=("table", "json", "ics"), default="table", help=t("cli.format"))

    report = command("report", "cli.report")
    report.add_argument("--config", help=t("cli.config_default"))
    report.add_argument("--repo-path", default=".", help=t("cli.repo_path"))
    report.add_argument("--now", help=t("cli.now"))
    report.add_argument("--format", choices=("markdown", "json"), default="markdown", help=t("cli.format"))

    run = command("run", "cli.run")
    run.add_argument("--dry-run", action="store_true", help=t("cli.dry_run"))

    demo = command("demo", "cli.demo")
    demo.add_argument("--example", choices=("study-mlops", "mlops-study"), default="study-mlops", help=t("cli.example"))

    init = command("init", "cli.init")
    init.add_argument("--repo-path", default=".", help=t("cli.repo_path"))
    init.add_argument("--lang", choices=("ko", "en"), help=t("cli.init.lang"))
    init.add_argument("--name", help=t("cli.init.name"))
    init.add_argument("--leader", "--maintainer", dest="maintainers", action="append", default=[], metavar="LOGIN", help=t("cli.init.maintainer"))
    init.add_argument("--member", dest="members", action="append", default=[], metavar="NAME=LOGIN", help=t("cli.init.member"))
    init.add_argument("--deadline", "--first-deadline", dest="first_deadline", metavar='"YYYY-MM-DD HH:MM"', help=t("cli.init.first_deadline"))
    init.add_argument("--late-window", metavar="DURATION", help=t("cli.init.late_window"))
    init.add_argument("--fines", metavar="late=N,absent=N", help=t("cli.init.fines"))
    init.add_argument("--late-fine", type=int, metavar="AMOUNT", help=argparse.SUPPRESS)
    init.add_argument("--absent-fine", type=int, metavar="AMOUNT", help=argparse.SUPPRESS)
    init.add_argument("--break", dest="breaks", action="append", default=[], metavar="FROM..TO:NAME", help=t("cli.init.break"))
    init.add_argument("--weeks", type=int, metavar="N", help=t("cli.init.weeks"))
    init.add_argument("--pattern", metavar="PATTERN", help=t("cli.init.pattern"))
    init.add_argument("--timezone", help=t("cli.init.timezone"))
    init.add_argument("--force", action="store_true", help=t("cli.init.force"))
    init.add_argument("--yes", action="store_true", help=t("cli.init.yes"))
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("studybot")
    except PackageNotFoundError:
        return "unknown"


def _safe_console(stream: TextIO) -> None:
    """A console that cannot encode a character (cp949, ascii) shows ``?`` instead of failing."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")


class _Steerless:
    """A stream that passes on what is written without control characters (markup.terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _steerless(stream: TextIO) -> TextIO:
    return cast(TextIO, _Steerless(stream))


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, environ: dict[str, str] | None = None) -> int:
    if out is None:
        for stream in (sys.stdout, sys.stderr):
            _safe_console(stream)
    errors = _steerless(sys.stderr if out is None or out is sys.stdout else out)
    out = _steerless(out or sys.stdout)
    environ = dict(os.environ if environ is None else environ)
    argv = list(sys.argv[1:] if argv is None else argv)
    words = _words(cli_language(argv, environ))
    try:
        with _argparse_speaking(words):
            arguments = _parser(words).parse_args(argv)
        return _command(arguments, out, environ)
    except StudybotError as error:
        return fail(error, errors, environ)
    except BrokenPipeError:
        # The reader went away (``studybot calendar | head -1``): not an error of ours.
        _quiet_stdout()
        return EXIT_OK


def _quiet_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush into a closed pipe is silent."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _command(arguments: argparse.Namespace, out: TextIO, environ: dict[str, str]) -> int:
    now = dt.datetime.now(dt.UTC)
    if arguments.command == "check":
        return _check(arguments, out, environ)
    if arguments.command == "calendar":
        _require_config(Path(arguments.config), Path("."), environ)
        return _calendar(arguments, out)
    if arguments.command == "report":
        _require_config(_config_path(arguments), Path(arguments.repo_path), environ)
        return _report(arguments, out, now)
    if arguments.command == "demo":
        if arguments.example == "mlops-study":
            from studybot.shell.folderdemo import run_folder_demo

            return run_folder_demo(out)
        from studybot.shell.demo import run_demo

        return run_demo(out)
    if arguments.command == "run":
        from studybot.shell.runner import run_action

        return run_action(environ, now, dry_run=arguments.dry_run, out=out)
    if arguments.command == "init":
        return _init(arguments, out)
    raise AssertionError(arguments.command)  # argparse allows only the commands above


def _init(arguments: argparse.Namespace, out: TextIO) -> int:
    from studybot.shell.init import InitOptions, run_init

    options = InitOptions(
        repo_path=Path(arguments.repo_path),
        language=arguments.lang,
        name=arguments.name,
        first_deadline=arguments.first_deadline,
        late_window=arguments.late_window,
        late_fine=arguments.late_fine,
        absent_fine=arguments.absent_fine,
        breaks=tuple(arguments.breaks),
        timezone=arguments.timezone,
        maintainers=tuple(arguments.maintainers),
        force=arguments.force,
        yes=arguments.yes,
        members=tuple(arguments.members),
        fines=arguments.fines,
        weeks=arguments.weeks,
        pattern=arguments.pattern,
    )
    # Prompts only for a person at a terminal; in scripts a missing answer names its flag.
    return run_init(options, out, ask=input if sys.stdin.isatty() else None)


def _load(path: Path):
    from studybot.shell.configfile import load

    return load(path)


def _config_path(arguments: argparse.Namespace) -> Path:
    if arguments.config:
        return Path(arguments.config)
    return Path(getattr(arguments, "repo_path", ".")) / "config" / "study.yml"


def _check(arguments: argparse.Namespace, out: TextIO, environ: Mapping[str, str] | None = None) -> int:
    from studybot.core.config import ConfigError, config_warnings
    from studybot.core.messages import messages_for
    from studybot.core.schedule import build_schedule
    from studybot.shell.configfile import in_repository, load_config

    environ = os.environ if environ is None else environ
    path = _config_path(arguments)
    _require_config(path, Path(arguments.repo_path), environ)
    try:
        config = load_config(path, locale_language(environ))
    except ConfigError as error:
        # GitHub marks a file only by its path in the repository, never by an absolute one.
        problems = in_repository(error, Path(arguments.repo_path)).problems
        raise Failure(
            "check.failed", code=EXIT_CONFIG, annotations=problems, language=error.language,
            path=path, count=len(error.problems),
        ) from None
    schedule = build_schedule(config)
    messages = messages_for(config.study.language)
    # A valid config grades at least one week; the guard keeps check from ever ending in IndexError.
    first, last = (schedule.weeks[0], schedule.weeks[-1]) if schedule.weeks else (None, None)
    print(
        messages.t(
            "check.ok",
            path=path,
            study=config.study.name,
            members=len(config.members),
            weeks=len(schedule.weeks),
            first=messages.when(schedule.local(first.deadline)) if first else "—",
            last=messages.when(schedule.local(last.deadline)) if last else "—",
        ),
        file=out,
    )
    warnings = config_warnings(config)
    # Only for the repository the config belongs to: a config checked from elsewhere says nothing of its authors.
    repo = Path(arguments.repo_path).resolve()
    strangers = _unmatched_authors(config, repo) if path.resolve().is_relative_to(repo) else []
    if strangers:
        warnings.append(messages.t("check.authors_unmatched", authors=", ".join(strangers)))
    for warning in warnings:
        if environ.get("GITHUB_ACTIONS") == "true":
            from studybot.shell.actions import warning as annotate

            annotate(warning, file=str(path), out=out)
        else:
            print(messages.t("check.warning", path=path, message=warning), file=out)
    readme = Path(arguments.repo_path) / config.submissions.readme.path
    if config.submissions.readme.enabled and readme.is_file():
        from studybot.core.history import current_table_notices
        from studybot.shell.read import MAX_README_BYTES

        if readme.stat().st_size > MAX_README_BYTES:
            raise Failure(
                "error.checkout.readme_large", language=config.study.language,
                path=readme, limit=MAX_README_BYTES // (1024 * 1024),
            )
        text = readme.read_text(encoding="utf-8", errors="replace")
        notices = current_table_notices(config, text, [week.number for week in schedule.weeks])
        print(messages.t("check.readme", path=readme, count=len(notices)), file=out)
        for notice in notices:
            print(f"  - {messages.notice(notice)}", file=out)
    if config.submissions.folders.enabled:
        _check_folders(config, Path(arguments.repo_path), [week.number for week in schedule.weeks], out)
    return EXIT_OK


def _check_folders(config: StudyConfig, repo_path: Path, graded: list[int], out: TextIO) -> None:
    """List which folders of the checkout's head the patterns read (member, weeks) and which
    look like homework folders but are not read. Nothing when the path is no git checkout."""
    from studybot.core.folders import FolderRules, folder_listing
    from studybot.core.messages import messages_for
    from studybot.shell.git import Repository

    repository = Repository(repo_path)
    if not repository.is_repository() or repository.head() is None:
        return
    messages = messages_for(config.study.language)
    patterns = config.submissions.folders.patterns
    listed = folder_listing(FolderRules(patterns, config.members), repository.paths(), graded)
    read = [item for item in listed if item.kind == "read"]
    print(
        messages.t(
            "check.folders", path=repo_path, patterns=", ".join(f"`{pattern}`" for pattern in patterns),
            matched=len(read), unread=sum(item.kind in ("outside", "unmatched") for item in listed),
        ),
        file=out,
    )
    for item in listed:
        weeks = ", ".join(str(week) for week in item.weeks)
        print(messages.t(f"check.folder_{item.kind}", folder=item.folder, member=item.member or "?", weeks=weeks), file=out)


def _unmatched_authors(config, repo: Path) -> list[str]:
    """Commit authors of the README (or, for a folder study, of the repository) whom no member matches."""
    from studybot.core.members import Roster
    from studybot.shell.git import GitError, Repository

    repository = Repository(repo)
    if not repository.is_repository() or repository.head() is None:
        return []
    path = config.submissions.readme.path if config.submissions.readme.enabled else "."
    try:
        authors = repository.authors(path)
    except GitError:
        return []
    roster = Roster(config)
    return [
        f"{name} <{email}>"
        for name, email, _ in authors
        if "[bot]" not in name + email and roster.author(email) is None
    ]


def _calendar(arguments: argparse.Namespace, out: TextIO) -> int:
    from studybot.core.markup import plain
    from studybot.core.messages import messages_for
    from studybot.core.render import calendar_json, render_calendar
    from studybot.core.schedule import build_schedule

    config = _load(Path(arguments.config))
    schedule = build_schedule(config)
    if arguments.format == "json":
        print(terminal_json(calendar_json(schedule)), file=out)
    elif arguments.format == "ics":
        from studybot.core.icsfeed import calendar_ics
        from studybot.core.report import blog_writers

        # The planned rotation with the config's swaps; the committed feed also has the ledger's.
        _, writers = blog_writers(config, schedule)
        feed = calendar_ics(config, schedule, writers, messages_for(config.study.language))
        out.write(feed.decode("utf-8"))  # CRLF line ends kept, as RFC 5545 asks
    else:
        print(render_calendar(schedule, config.study.name, messages_for(config.study.language), plain), end="", file=out)
    return EXIT_OK


def locale_language(environ: Mapping[str, str]) -> str | None:
    """The language of the user's locale (LC_ALL, LC_MESSAGES, then LANG), if ko or en.

    The rule of ``config.language_of_locale``, kept here so ``--help`` does not load the config
    model (pydantic); tests/test_cli.py checks that the two agree.
    """
    locale = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), None)
    code = (locale or "").split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def parse_now(text: str | None, now: dt.datetime, timezone: str | None = None, language: str | None = None) -> dt.datetime:
    """``--now`` as an aware instant; a value without an offset is read in ``timezone``.

    Pass the study's zone: every time in the config is local, so ``--now 2022-04-13T00:00``
    means the deadline's wall time. Without a zone it is read as UTC.
    """
    if not text:
        return now
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Failure("error.cli.now", language=language, value=repr(text)) from None
    if parsed.tzinfo:
        return parsed
    if timezone is None:
        return parsed.replace(tzinfo=dt.UTC)
    import pytz

    from studybot.core.config import localize

    return localize(pytz.timezone(timezone), parsed)


def _report(arguments: argparse.Namespace, out: TextIO, now: dt.datetime) -> int:
    from studybot.core.markup import plain
    from studybot.core.messages import messages_for
    from studybot.core.render import render_report
    from studybot.core.report import report_json
    from studybot.core.schedule import build_schedule
    from studybot.shell.read import open_checkout
    from studybot.shell.runner import plan_run

    config = _load(_config_path(arguments))
    at = parse_now(arguments.now, now, config.study.timezone, config.study.language)
    schedule = build_schedule(config)
    with speaking(config.study.language):
        repository = open_checkout(arguments.repo_path)
        _something_to_judge(config, repository, arguments.repo_path)
        # The same loop as a run, on the checkout alone: commit dates, the ledger's decisions.
        report = plan_run(config, repository, None, at).plan.report
    messages = messages_for(config.study.language)
    if arguments.format == "json":
        print(terminal_json(report_json(report, schedule, messages)), file=out)
    else:
        # For a terminal: GitHub's mention and HTML escaping would show as ``@&#8203;`` and ``&lt;``.
        print(render_report(report, schedule, messages, protect=plain), end="", file=out)
    return EXIT_OK


def _something_to_judge(config: StudyConfig, repository, repo_path: str) -> None:
    """Stop a report that could only call everyone absent: no commit yet, or a README-only study
    whose README was never committed. The week folders, when read, decide for themselves."""
    if repository.head() is None:
        raise Failure("error.report.empty_repository", path=repo_path)
    readme = config.submissions.readme
    if readme.enabled and not config.submissions.folders.enabled and not repository.changes_of(readme.path):
        raise Failure("error.report.no_readme", readme=readme.path)
