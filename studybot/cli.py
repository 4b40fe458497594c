"""The command line: ``studybot check | calendar | report | run | demo``.

Only this module reads the environment and the clock; everything it calls takes them as
arguments. Heavy imports happen inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from studybot.core.errors import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, Failure

__all__ = ["EXIT_CONFIG", "EXIT_FAILED", "EXIT_OK", "Failure", "fail", "main"]


def fail(error: Failure, out: TextIO, environ: dict[str, str]) -> int:
    """The one place errors leave the program: a clear sentence, annotations in Actions, a code."""
    in_actions = environ.get("GITHUB_ACTIONS") == "true"
    for problem in error.annotations:
        if in_actions:
            from studybot.shell.actions import error as annotate

            annotate(problem.message, file=problem.file, line=problem.line, col=problem.column, out=out)
        else:
            print(problem, file=out)
    if in_actions and not error.annotations:
        from studybot.shell.actions import error as annotate

        annotate(error.sentence, out=out)
    else:
        print(f"studybot: {error.sentence}", file=out)
    return error.code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studybot",
        description="Runs a weekly study group kept in a GitHub repository.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate the study config")
    check.add_argument("--config", help="config file (default: <repo-path>/config/study.yml)")
    check.add_argument("--repo-path", default=".", help="the study repository checkout (default: .)")

    calendar = commands.add_parser("calendar", help="print the graded weeks and their deadlines")
    calendar.add_argument("--config", default="config/study.yml", help="config file")
    calendar.add_argument("--format", choices=("table", "json", "ics"), default="table")

    report = commands.add_parser("report", help="judge every week from a local checkout (offline)")
    report.add_argument("--config", help="config file (default: <repo-path>/config/study.yml)")
    report.add_argument("--repo-path", default=".", help="the study repository checkout (default: .)")
    report.add_argument("--now", help="judge as of this ISO 8601 instant (default: now)")
    report.add_argument("--format", choices=("markdown", "json"), default="markdown")

    run = commands.add_parser("run", help="do the week's work on GitHub (inside Actions)")
    run.add_argument("--dry-run", action="store_true", help="print the planned operations, write nothing")

    demo = commands.add_parser("demo", help="run a bundled example study (no network, no token)")
    demo.add_argument(
        "--example",
        choices=("study-mlops", "mlops-study"),
        default="study-mlops",
        help="study-mlops: links in a README table (default); mlops-study: files in week folders",
    )

    init = commands.add_parser("init", help="write config/study.yml and the workflow for an existing study repository")
    init.add_argument("--repo-path", default=".", help="the study repository checkout (default: .)")
    init.add_argument("--lang", choices=("ko", "en"), help="the study's language (default: from the README table)")
    init.add_argument("--name", help="the study's name (default: the README's title)")
    init.add_argument("--first-deadline", metavar='"YYYY-MM-DD HH:MM"', help="the first graded week is due before this local time")
    init.add_argument("--late-window", metavar="DURATION", help="late until this long after the deadline, e.g. 12h")
    init.add_argument("--late-fine", type=int, metavar="AMOUNT", help="fine for a late submission")
    init.add_argument("--absent-fine", type=int, metavar="AMOUNT", help="fine for no submission")
    init.add_argument("--break", dest="breaks", action="append", default=[], metavar="FROM..TO:NAME", help="a break, e.g. 2022-04-18..2022-04-29:중간고사 (repeatable)")
    init.add_argument("--timezone", help="IANA time zone (default: Asia/Seoul)")
    init.add_argument("--maintainer", dest="maintainers", action="append", default=[], metavar="LOGIN", help="a study leader's GitHub login (repeatable)")
    init.add_argument("--force", action="store_true", help="replace files that already exist")
    init.add_argument("--yes", action="store_true", help="write without asking for confirmation")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, environ: dict[str, str] | None = None) -> int:
    out = out or sys.stdout
    environ = dict(os.environ if environ is None else environ)
    arguments = _parser().parse_args(argv)
    now = dt.datetime.now(dt.UTC)
    try:
        if arguments.command == "check":
            return _check(arguments, out, environ)
        if arguments.command == "calendar":
            return _calendar(arguments, out)
        if arguments.command == "report":
            return _report(arguments, out, now)
        if arguments.command == "demo":
            from studybot.shell.demo import run_demo

            return run_demo(out, arguments.example)
        if arguments.command == "run":
            from studybot.shell.runner import run_action

            return run_action(environ, now, dry_run=arguments.dry_run, out=out)
        if arguments.command == "init":
            return _init(arguments, out)
    except Failure as error:
        return fail(error, sys.stderr if out is sys.stdout else out, environ)
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
    from studybot.core.config import ConfigError, config_warnings, load_config
    from studybot.core.messages import messages_for
    from studybot.core.schedule import build_schedule

    environ = os.environ if environ is None else environ
    path = _config_path(arguments)
    try:
        config = load_config(path, locale_language(environ))
    except ConfigError as error:
        sentence = messages_for(error.language).t("check.failed", path=path, count=len(error.problems))
        raise Failure(sentence, EXIT_CONFIG, error.problems) from None
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
    for warning in config_warnings(config):
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
            raise Failure(f"{readme} is larger than {MAX_README_BYTES // (1024 * 1024)} MiB; studybot reads READMEs up to that size")
        text = readme.read_text(encoding="utf-8", errors="replace")
        notices = current_table_notices(config, text, [week.number for week in schedule.weeks])
        print(messages.t("check.readme", path=readme, count=len(notices)), file=out)
        for notice in notices:
            print(f"  - {messages.notice(notice)}", file=out)
    return EXIT_OK


def _calendar(arguments: argparse.Namespace, out: TextIO) -> int:
    from studybot.core.messages import messages_for
    from studybot.core.render import calendar_json, render_calendar
    from studybot.core.schedule import build_schedule

    config = _load(Path(arguments.config))
    schedule = build_schedule(config)
    if arguments.format == "json":
        print(json.dumps(calendar_json(schedule), ensure_ascii=False, indent=2), file=out)
    elif arguments.format == "ics":
        from studybot.core.icsfeed import calendar_ics
        from studybot.core.report import blog_writers

        # The planned rotation with the config's swaps; the committed feed also has the ledger's.
        _, writers = blog_writers(config, schedule)
        feed = calendar_ics(config, schedule, writers, messages_for(config.study.language))
        out.write(feed.decode("utf-8"))  # CRLF line ends kept, as RFC 5545 asks
    else:
        print(render_calendar(schedule, config.study.name, messages_for(config.study.language)), end="", file=out)
    return EXIT_OK


def locale_language(environ: Mapping[str, str]) -> str | None:
    """The language of the user's locale (LC_ALL, LC_MESSAGES, then LANG), if ko or en."""
    from studybot.core.config import language_of_locale

    locale = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), None)
    return language_of_locale(locale)


def parse_now(text: str | None, now: dt.datetime, timezone: str | None = None) -> dt.datetime:
    """``--now`` as an aware instant; a value without an offset is read in ``timezone``.

    Pass the study's zone: every time in the config is local, so ``--now 2022-04-13T00:00``
    means the deadline's wall time. Without a zone it is read as UTC.
    """
    if not text:
        return now
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Failure(f"--now {text!r} is not an ISO 8601 instant such as 2022-05-26T00:00:00+09:00") from None
    if parsed.tzinfo:
        return parsed
    if timezone is None:
        return parsed.replace(tzinfo=dt.UTC)
    import pytz

    from studybot.core.config import localize

    return localize(pytz.timezone(timezone), parsed)


def _report(arguments: argparse.Namespace, out: TextIO, now: dt.datetime) -> int:
    from studybot.core.decide import decide
    from studybot.core.messages import messages_for
    from studybot.core.regions import RegionError
    from studybot.core.render import render_report
    from studybot.core.report import report_json
    from studybot.core.schedule import build_schedule
    from studybot.core.state import LedgerError, load_state
    from studybot.shell.read import CheckoutError, open_checkout, read_world

    config = _load(_config_path(arguments))
    at = parse_now(arguments.now, now, config.study.timezone)
    schedule = build_schedule(config)
    try:
        # The same decide as a run, on the checkout alone: commit dates, the ledger's decisions.
        world = read_world(config, open_checkout(arguments.repo_path))
        report = decide(config, schedule, world, load_state(world.ledger), at).report
    except (CheckoutError, LedgerError, RegionError) as error:
        raise Failure(str(error)) from None
    messages = messages_for(config.study.language)
    if arguments.format == "json":
        print(json.dumps(report_json(report, schedule, messages), ensure_ascii=False, indent=2), file=out)
    else:
        print(render_report(report, schedule, messages), end="", file=out)
    return EXIT_OK
