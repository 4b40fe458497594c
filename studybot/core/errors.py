"""The one way a run stops: a ``StudybotError`` carrying a message key, its fields and an exit code.

No module writes an error sentence itself: it raises a key from ``messages`` (the block
``# --- errors ---``) with the fields to fill in. The shell's ``fail()`` (in the CLI) renders
it in the study's language and turns it into the printed sentence, the Actions error
annotations and the process exit code. ``str(error)`` is the English rendering, for logs and
tests.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2

_E = TypeVar("_E", bound="StudybotError")


class _Messages(Protocol):
    def t(self, key: str, **fields: object) -> str: ...


def _english() -> _Messages:
    from studybot.core.messages import messages_for  # late: messages import most of the core

    return messages_for("en")


def _filled(fields: Mapping[str, Any], messages: _Messages) -> dict[str, object]:
    """The fields with every nested ``Text`` or error rendered in the same language."""
    return {
        name: value.render(messages) if isinstance(value, Text)
        else value.sentence(messages) if isinstance(value, StudybotError)
        else value
        for name, value in fields.items()
    }


def _redacted(value: Any, secret: str) -> Any:
    if isinstance(value, Text):
        return value.redact(secret)
    if isinstance(value, str):
        return value.replace(secret, "***")
    return value


class Text(str):
    """A sentence by key and fields. As a ``str`` it is the English rendering; ``render`` speaks any language.

    Used where a sentence is a value rather than a raised error: a settings problem, an event
    file warning, a part of a larger sentence (what the bot was doing when GitHub failed).
    """

    key: str
    fields: dict[str, Any]

    def __new__(cls, key: str, /, **fields: Any) -> Text:
        english = _english()
        self = super().__new__(cls, english.t(key, **_filled(fields, english)))
        self.key = key
        self.fields = fields
        return self

    def render(self, messages: _Messages) -> str:
        return messages.t(self.key, **_filled(self.fields, messages))

    def redact(self, secret: str) -> Text:
        if not secret:
            return self
        return Text(self.key, **{name: _redacted(value, secret) for name, value in self.fields.items()})


class StudybotError(Exception):
    """A run that cannot go on: ``key`` names the sentence in ``messages``, ``fields`` fill it in.

    ``code`` is the exit code; ``annotations`` are problems pointing into a file (config
    problems) that Actions shows on their lines; ``language`` is the study's, when known where
    the error passed (see :func:`speaking`).
    """

    def __init__(
        self,
        key: str,
        /,
        *,
        code: int = EXIT_FAILED,
        annotations: Sequence[Any] = (),
        language: str | None = None,
        **fields: Any,
    ):
        super().__init__(key)
        self.key = key
        self.fields = fields
        self.code = code
        self.annotations = annotations
        self.language = language

    @classmethod
    def wrap(cls: type[_E], error: StudybotError, **extra: Any) -> _E:
        """The same sentence as ``error``, as this type (a git failure becomes a checkout failure)."""
        return cls(error.key, code=error.code, annotations=error.annotations, language=error.language, **{**error.fields, **extra})

    def sentence(self, messages: _Messages) -> str:
        """The sentence in the language of ``messages``."""
        return messages.t(self.key, **_filled(self.fields, messages))

    def redacted(self: _E, secret: str) -> _E:
        """The error with ``secret`` blotted out of every field, should a server ever echo it back."""
        if not secret:
            return self
        clean = copy.copy(self)
        clean.fields = {name: _redacted(value, secret) for name, value in self.fields.items()}
        return clean

    def __str__(self) -> str:
        return self.sentence(_english())


class Failure(StudybotError):
    """A run that cannot go on, raised by the shell itself (bad ``--now``, missing token, …)."""


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Errors raised inside are rendered in ``language`` (the study's, once its config is read)."""
    try:
        yield
    except StudybotError as error:
        if error.language is None:
            error.language = language
        raise
