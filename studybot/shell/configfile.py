"""The config file: read from disk and parsed, or every problem as one failure (exit 2)."""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path

from studybot.core.config import ConfigError, StudyConfig, file_error, parse_config
from studybot.core.errors import EXIT_CONFIG, Failure


def load_config(path: str | Path, language: str | None = None) -> StudyConfig:
    """Read and validate a config file; raise :class:`ConfigError` with every problem.

    ``language`` tells problems when the file does not say its own (see ``parse_config``).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise file_error(str(path), "config.file_missing", language) from None
    except OSError as error:
        raise file_error(str(path), "config.file_unreadable", language, reason=error.strerror) from None
    return parse_config(raw, str(path), language)


def inside(path: str | Path, repository: str | Path) -> str | None:
    """``path`` relative to the repository, as git and GitHub's annotations name it; None when it lies outside."""
    with contextlib.suppress(ValueError, OSError):
        return Path(path).resolve().relative_to(Path(repository).resolve()).as_posix()
    return None


def in_repository(error: ConfigError, repository: str | Path) -> ConfigError:
    """The error with each problem's file named inside the repository where it lies there.

    GitHub attaches an annotation only to a path relative to the repository; one outside it
    (``check --config /elsewhere.yml``) keeps the path as given.
    """
    problems = [dataclasses.replace(problem, file=inside(problem.file, repository) or problem.file) for problem in error.problems]
    return ConfigError(problems, error.language)


def load(path: Path, language: str | None = None, repository: str | Path | None = None) -> StudyConfig:
    """Load the config or fail with every problem as an annotation (exit 2).

    ``language`` (from the locale) is used only when the file does not say its own; given the
    ``repository``, the problems name the file inside it (see ``in_repository``).
    """
    try:
        return load_config(path, language)
    except ConfigError as error:
        if repository is not None:
            error = in_repository(error, repository)
        raise Failure(
            "check.failed",
            code=EXIT_CONFIG,
            annotations=error.problems,
            language=error.language,
            path=path,
            count=len(error.problems),
        ) from None
