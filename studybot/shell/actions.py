"""The one module that speaks GitHub Actions workflow commands, outputs and job summaries.

Every function takes its stream or file explicitly; nothing here reads the process environment.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from studybot.shell.settings import Settings

# The action's outputs; action.yml declares exactly these and the run command writes them.
OUTPUT_NAMES = ("changed", "report", "summary")

# GitHub refuses to show a step summary larger than this and reports an error instead.
SUMMARY_LIMIT = 1024 * 1024
CUT_NOTICE = (
    "\n\n> **Summary cut here:** GitHub shows at most 1 MiB of a step's summary; "
    "the full results are in the JSON report.\n"
)
_FENCE_CLOSE = "\n```\n"

MASK = "***"
# Lines of a multi-line secret shorter than this are too common to redact on their own.
_MIN_SECRET_LINE = 4

_OUTPUT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def escape_data(value: Any) -> str:
    """Escape a command's message the way the Actions toolkit does."""
    return str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: Any) -> str:
    """Escape a command property's value (file, title, …) the way the Actions toolkit does."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command_line(name: str, message: Any = "", properties: Mapping[str, Any] | None = None) -> str:
    """Format one workflow command line such as ``::error file=a.yml,line=3::text``."""
    props = ",".join(
        f"{key}={escape_property(value)}"
        for key, value in (properties or {}).items()
        if value is not None and value != ""
    )
    head = f"::{name} {props}" if props else f"::{name}"
    return f"{head}::{escape_data(message)}"


def _annotation_properties(
    file: str | Path | None,
    line: int | None,
    col: int | None,
    title: str | None,
    end_line: int | None,
    end_column: int | None,
) -> dict[str, Any]:
    # The toolkit's order, so logs look like those of other actions.
    return {
        "title": title,
        "file": str(file) if file is not None else None,
        "line": line,
        "endLine": end_line,
        "col": col,
        "endColumn": end_column,
    }


def _stream(out: TextIO | None) -> TextIO:
    # Looked up at call time: a default of sys.stdout would pin the stream seen at import.
    return out if out is not None else sys.stdout


def _annotate(
    kind: str,
    message: str,
    file: str | Path | None,
    line: int | None,
    col: int | None,
    title: str | None,
    out: TextIO | None,
    end_line: int | None,
    end_column: int | None,
) -> None:
    props = _annotation_properties(file, line, col, title, end_line, end_column)
    print(command_line(kind, message, props), file=_stream(out), flush=True)


def error(
    message: str,
    file: str | Path | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
    out: TextIO | None = None,
    *,
    end_line: int | None = None,
    end_column: int | None = None,
) -> None:
    """Write an ``::error`` annotation (shown on the run page and, with ``file``, in the diff)."""
    _annotate("error", message, file, line, col, title, out, end_line, end_column)


def warning(
    message: str,
    file: str | Path | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
    out: TextIO | None = None,
    *,
    end_line: int | None = None,
    end_column: int | None = None,
) -> None:
    """Write a ``::warning`` annotation."""
    _annotate("warning", message, file, line, col, title, out, end_line, end_column)


def notice(
    message: str,
    file: str | Path | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
    out: TextIO | None = None,
    *,
    end_line: int | None = None,
    end_column: int | None = None,
) -> None:
    """Write a ``::notice`` annotation."""
    _annotate("notice", message, file, line, col, title, out, end_line, end_column)


@contextlib.contextmanager
def group(title: str, out: TextIO | None = None) -> Iterator[None]:
    """Fold the lines printed inside the block under ``title`` in the log."""
    stream = _stream(out)
    print(command_line("group", title), file=stream, flush=True)
    try:
        yield
    finally:
        print(command_line("endgroup"), file=stream, flush=True)


@contextlib.contextmanager
def stop_commands(out: TextIO | None = None) -> Iterator[None]:
    """Print text members control inside this block so a line like ``::add-mask::`` stays text."""
    stream = _stream(out)
    token = f"studybot-{uuid.uuid4().hex}"
    print(command_line("stop-commands", token), file=stream, flush=True)
    try:
        yield
    finally:
        print(f"::{token}::", file=stream, flush=True)


def secret_parts(value: str) -> list[str]:
    """The strings to hide for one secret: itself and, if multi-line, each substantial line."""
    if not value:
        return []
    parts = [value]
    if "\n" in value or "\r" in value:
        lines = (line.strip() for line in value.splitlines())
        parts += [line for line in lines if len(line) >= _MIN_SECRET_LINE]
    return list(dict.fromkeys(parts))


def add_mask(value: str, out: TextIO | None = None) -> None:
    """Ask the runner to print ``***`` wherever ``value`` would appear in the log."""
    stream = _stream(out)
    for part in secret_parts(value):
        print(command_line("add-mask", part), file=stream, flush=True)


def redact(text: str, secrets: Iterable[Any]) -> str:
    """Replace every occurrence of every secret in ``text`` with ``***``."""
    parts: set[str] = set()
    for secret in secrets:
        raw = secret.get_secret_value() if hasattr(secret, "get_secret_value") else secret
        if isinstance(raw, str):
            parts.update(secret_parts(raw))
    if not parts:
        return text
    # One pass, longest first, so a secret that contains another is hidden whole.
    pattern = re.compile("|".join(re.escape(part) for part in sorted(parts, key=len, reverse=True)))
    return pattern.sub(MASK, text)


def output_value(value: Any) -> str:
    """Render an output value as the toolkit does: text as-is, booleans lower-case, others JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def set_output(path: str | Path, name: str, value: Any, *, delimiter: str | None = None) -> None:
    """Append ``name`` to the ``$GITHUB_OUTPUT`` file in the heredoc form that allows any lines."""
    if not _OUTPUT_NAME.match(name):
        raise ValueError(f"output name {name!r} must be letters, digits, '_' or '-'")
    text = output_value(value)
    delimiter = delimiter or f"ghadelimiter_{uuid.uuid4()}"
    # A value holding the delimiter could end the heredoc early and forge other outputs.
    if delimiter in text or delimiter in name:
        raise ValueError(f"output {name!r} contains its own delimiter; refusing to write it")
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(f"{name}<<{delimiter}\n{text}\n{delimiter}\n")


def write_outputs(path: str | Path, values: Mapping[str, Any]) -> None:
    """Set the action's outputs, refusing any name action.yml does not declare."""
    unknown = sorted(set(values) - set(OUTPUT_NAMES))
    if unknown:
        declared = ", ".join(OUTPUT_NAMES)
        raise ValueError(f"outputs {unknown} are not declared in action.yml ({declared})")
    for name in OUTPUT_NAMES:
        if name in values:
            set_output(path, name, values[name])


def _cut_utf8(data: bytes, budget: int) -> bytes:
    """The longest prefix of ``data`` within ``budget`` bytes, ending at a line end if one fits."""
    head = data[:budget].decode("utf-8", errors="ignore").encode("utf-8")
    newline = head.rfind(b"\n")
    return head[: newline + 1] if newline > 0 else head


def _ends_with(path: Path, tail: bytes) -> bool:
    size = path.stat().st_size
    if size < len(tail):
        return False
    with open(path, "rb") as handle:
        handle.seek(size - len(tail))
        return handle.read() == tail


def append_summary(
    path: str | Path,
    markdown: str,
    *,
    limit: int = SUMMARY_LIMIT,
    notice_text: str = CUT_NOTICE,
) -> bool:
    """Append Markdown to the job summary, cutting it so the file stays within ``limit`` bytes.

    Returns True when all of ``markdown`` was written.
    """
    path = Path(path)
    used = path.stat().st_size if path.exists() else 0
    notice_bytes = notice_text.encode("utf-8")
    if used and _ends_with(path, notice_bytes):
        return False  # already cut: anything after the notice would read as if nothing were missing
    data = markdown.encode("utf-8")
    room = limit - used
    if len(data) <= room:
        with open(path, "ab") as handle:
            handle.write(data)
        return True
    budget = room - len(notice_bytes) - len(_FENCE_CLOSE)
    if budget < 0:
        return False
    head = _cut_utf8(data, budget)
    # An unclosed code fence would swallow the notice, so close it first.
    fences = sum(1 for line in head.decode("utf-8").splitlines() if line.lstrip().startswith("```"))
    if fences % 2:
        head += _FENCE_CLOSE.encode("utf-8")
    with open(path, "ab") as handle:
        handle.write(head + notice_bytes)
    return False


class Console:
    """Where a run reports: workflow commands in Actions, plain lines elsewhere, no secrets."""

    def __init__(
        self,
        out: TextIO | None = None,
        *,
        actions: bool = False,
        output_file: str | Path | None = None,
        summary_file: str | Path | None = None,
        secrets: Iterable[str] = (),
    ):
        self.out = _stream(out)
        self.actions = actions
        self.output_file = Path(output_file) if output_file else None
        self.summary_file = Path(summary_file) if summary_file else None
        self._secrets: list[str] = [secret for secret in secrets if secret]

    @classmethod
    def from_settings(cls, settings: Settings, out: TextIO | None = None) -> Console:
        """A console for the run ``settings`` describe, already masking its token."""
        console = cls(
            out,
            actions=settings.actions,
            output_file=settings.output_file,
            summary_file=settings.step_summary,
        )
        for secret in settings.secret_values():
            console.add_mask(secret)
        return console

    def _clean(self, text: Any) -> str:
        return redact(str(text), self._secrets)

    def print(self, text: Any = "") -> None:
        """Print a log line with secrets redacted."""
        print(self._clean(text), file=self.out, flush=True)

    def _annotate(
        self,
        kind: str,
        message: str,
        file: str | Path | None,
        line: int | None,
        col: int | None,
        title: str | None,
    ) -> None:
        message = self._clean(message)
        title = self._clean(title) if title else None
        if self.actions:
            _annotate(kind, message, file, line, col, title, self.out, None, None)
            return
        where = ":".join(str(part) for part in (file, line, col) if part is not None)
        prefix = f"{kind}: " + (f"{where}: " if where else "") + (f"{title}: " if title else "")
        print(prefix + message, file=self.out, flush=True)

    def error(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
        title: str | None = None,
    ) -> None:
        """Report an error: an annotation in Actions, an ``error: …`` line elsewhere."""
        self._annotate("error", message, file, line, col, title)

    def warning(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
        title: str | None = None,
    ) -> None:
        """Report a warning: an annotation in Actions, a ``warning: …`` line elsewhere."""
        self._annotate("warning", message, file, line, col, title)

    def notice(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
        title: str | None = None,
    ) -> None:
        """Report a notice: an annotation in Actions, a ``notice: …`` line elsewhere."""
        self._annotate("notice", message, file, line, col, title)

    @contextlib.contextmanager
    def group(self, title: str) -> Iterator[None]:
        """Fold the block's lines under ``title`` in Actions; print a heading elsewhere."""
        if self.actions:
            with group(self._clean(title), self.out):
                yield
        else:
            print(f"== {self._clean(title)} ==", file=self.out, flush=True)
            yield

    @contextlib.contextmanager
    def untrusted(self) -> Iterator[None]:
        """Print text that members control inside this block so it cannot issue commands."""
        if self.actions:
            with stop_commands(self.out):
                yield
        else:
            yield

    def add_mask(self, value: str) -> None:
        """Hide ``value`` from now on: in the runner's log and in everything this console prints."""
        if not value:
            return
        self._secrets.append(value)
        if self.actions:
            add_mask(value, self.out)

    def set_output(self, name: str, value: Any) -> bool:
        """Set an action output; returns False outside Actions, where there is nowhere to put it."""
        if self.output_file is None:
            return False
        set_output(self.output_file, name, self._clean(output_value(value)))
        return True

    def write_outputs(self, values: Mapping[str, Any]) -> bool:
        """Set the action's declared outputs; returns False when there is no output file."""
        if self.output_file is None:
            return False
        cleaned = {name: self._clean(output_value(value)) for name, value in values.items()}
        write_outputs(self.output_file, cleaned)
        return True

    def append_summary(self, markdown: str, *, notice_text: str = CUT_NOTICE) -> bool:
        """Add Markdown to the job summary within GitHub's limit; False when cut or unavailable."""
        if self.summary_file is None:
            return False
        return append_summary(self.summary_file, self._clean(markdown), notice_text=notice_text)
