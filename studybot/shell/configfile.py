"""The config file: read from disk and parsed, or every problem as one failure (exit 2)."""

from __future__ import annotations

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


def load(path: Path, language: str | None = None) -> StudyConfig:
    """Load the config or fail with every problem as an annotation (exit 2).

    ``language`` (from the locale) is used only when the file does not say its own.
    """
    try:
        return load_config(path, language)
    except ConfigError as error:
        raise Failure(
            "check.failed",
            code=EXIT_CONFIG,
            annotations=error.problems,
            language=error.language,
            path=path,
            count=len(error.problems),
        ) from None
