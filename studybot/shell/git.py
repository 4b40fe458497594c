"""The one module that runs ``git``: history of the README and of week folders, as plain records."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import queue
import re
import subprocess
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from studybot.core.errors import StudybotError, Text
from studybot.core.records import CommitInfo, FileTouch, Hunk, PatchCommit, TreeCommit

# A record separator git never writes inside a log header we ask for.
_COMMIT = "\x1e"
_FIELD = "\x1f"
_HEADER = f"{_COMMIT}%H{_FIELD}%P{_FIELD}%an{_FIELD}%ae{_FIELD}%cI{_FIELD}%aI"
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")

MAX_COMMITS = 100_000
_PIPE_SIZE = 1 << 20  # Linux's default ceiling for an unprivileged process (/proc/sys/fs/pipe-max-size)
# The reader's own git settings must not change what is read (pagers, colours, rename limits).
_QUIET = {"GIT_PAGER": "cat", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}


class GitError(StudybotError):
    """git failed or the checkout cannot answer; the message says what to do."""


def _failed(command: str, stderr: bytes) -> GitError:
    """git's own last line of complaint (git speaks English: ``LC_ALL=C``), quoted in the study's sentence."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return GitError("error.git.failed", command=command, message=lines[-1] if lines else Text("error.git.no_message"))


def _records(
    command: str, process: subprocess.Popen[bytes], reader: threading.Thread, blocks: queue.Queue[bytes], errors: list[bytes]
) -> Iterator[str]:
    """The records of a streamed ``git log``, split at the separator as the blocks arrive."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    pending = ""
    finished = False
    try:
        while block := blocks.get():
            pending += decoder.decode(block)
            *complete, pending = pending.split(_COMMIT)
            yield from (chunk for chunk in complete if chunk)
        finished = True
    finally:
        if not finished:
            process.kill()  # the reader stopped early; git has nobody to write to
        reader.join()
    if process.returncode != 0:
        raise _failed(command, b"".join(errors))
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _patches(chunks: Iterator[str], path: str) -> Iterator[PatchCommit]:
    known: dict[str, str] = {}  # each distinct line once, however many patches hold it
    for count, chunk in enumerate(chunks, 1):
        if count > MAX_COMMITS:
            raise GitError("error.git.too_many", path=path, limit=MAX_COMMITS)
        header, _, body = chunk.partition("\n")
        yield PatchCommit(_commit_info(header), tuple(_hunks(body, known)))


class Repository:
    """A local git checkout, read with plain ``git`` commands."""

    def __init__(self, path: str | Path, git: str = "git"):
        self.path = Path(path)
        self._git = git
        self._graphs: dict[str, dict[str, tuple[str, ...]]] = {}

    def _run(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
        try:
            done = subprocess.run(
                [self._git, "-C", str(self.path), *args],
                input=input,
                capture_output=True,
                check=False,
                env={**os.environ, **_QUIET, **(env or {})},
            )
        except FileNotFoundError:
            raise GitError("error.git.missing") from None
        if done.returncode != 0:
            raise _failed(args[0], done.stderr)
        return done.stdout

    def _stream(self, *args: str) -> Iterator[str]:
        """The commits of a ``git log`` as they come, so parsing overlaps git's own work.

        git starts at once, not when the first commit is asked for: it runs while the caller
        reads other things. A thread drains the pipe into a queue (otherwise git stops whenever
        the pipe's small buffer is full and waits for the parser, and the two never run at the
        same time) and reaps git, so an answer nobody reads leaves no process behind.
        """
        try:
            process = subprocess.Popen(
                [self._git, "-C", str(self.path), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={**os.environ, **_QUIET},
                # A wide pipe lets git write on while the draining thread waits for its turn
                # at the interpreter (up to its switch interval, 5 ms, per turn).
                pipesize=_PIPE_SIZE,
            )
        except FileNotFoundError:
            raise GitError("error.git.missing") from None
        blocks: queue.Queue[bytes] = queue.Queue()
        errors: list[bytes] = []

        def drain() -> None:
            # Popen's default buffering gives a BufferedReader, whose read1 returns what is there.
            assert isinstance(process.stdout, io.BufferedReader) and process.stderr is not None
            while block := process.stdout.read1(1 << 20):
                blocks.put(block)
            errors.append(process.stderr.read())
            process.wait()
            process.stdout.close()
            process.stderr.close()
            blocks.put(b"")

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        return _records(args[0], process, reader, blocks, errors)

    @classmethod
    def create(cls, path: str | Path, branch: str = "main") -> Repository:
        """A new empty repository at ``path`` (used by the demo and by tests)."""
        Path(path).mkdir(parents=True, exist_ok=True)
        repository = cls(path)
        repository._run("init", "--quiet", f"--initial-branch={branch}")
        return repository

    def commit(
        self,
        files: Mapping[str, str | bytes | None],
        message: str,
        author: str,
        email: str,
        when: dt.datetime,
        committed: dt.datetime | None = None,
    ) -> str:
        """Write ``files`` (text, bytes such as a PDF, or None to delete) and commit them with the given author and dates."""
        for name, content in files.items():
            target = self.path / name
            if content is None:
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        stamp = f"{when.isoformat()}"
        self._run("add", "--all")
        self._run(
            "-c", f"user.name={author}", "-c", f"user.email={email}",
            "commit", "--quiet", "--allow-empty", "--no-verify", "-m", message,
            env={
                "GIT_AUTHOR_DATE": stamp,
                "GIT_COMMITTER_DATE": (committed or when).isoformat(),
                "GIT_AUTHOR_NAME": author,
                "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": author,
                "GIT_COMMITTER_EMAIL": email,
            },
        )
        return self.head() or ""

    def import_commits(self, commits: Sequence[ScriptedCommit]) -> None:
        """Write a whole scripted history on the current branch in one ``git fast-import``.

        The examples replay dozens of commits; one process instead of three per commit keeps
        ``studybot demo`` well under a second of git.
        """
        branch = self._run("symbolic-ref", "--short", "HEAD").decode().strip()
        stream = bytearray()
        for commit in commits:
            stream += f"commit refs/heads/{branch}\n".encode()
            stream += f"author {commit.author} <{commit.email}> {_raw_date(commit.when)}\n".encode()
            stream += f"committer {commit.author} <{commit.email}> {_raw_date(commit.committed or commit.when)}\n".encode()
            message = commit.message.rstrip("\n").encode("utf-8") + b"\n"  # as `git commit -m` writes it
            stream += f"data {len(message)}\n".encode() + message + b"\n"
            for name, content in commit.files.items():
                if content is None:
                    stream += f"D {name}\n".encode()
                    continue
                data = content if isinstance(content, bytes) else content.encode("utf-8")
                stream += f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n"
        self._run("fast-import", "--quiet", "--date-format=raw", input=bytes(stream))
        self._run("reset", "--quiet", "--hard")

    def is_repository(self) -> bool:
        try:
            return self._run("rev-parse", "--is-inside-work-tree").strip() == b"true"
        except GitError:
            return False

    def is_shallow(self) -> bool:
        return self._run("rev-parse", "--is-shallow-repository").strip() == b"true"

    def head(self) -> str | None:
        try:
            return self._run("rev-parse", "--verify", "--quiet", "HEAD^{commit}").decode().strip() or None
        except GitError:
            return None

    def has_commit(self, rev: str) -> bool:
        """Whether the checkout has commit ``rev`` (a commit rewritten away is not fetched)."""
        try:
            self._run("cat-file", "-e", f"{rev}^{{commit}}")
        except GitError:
            return False
        return True

    def tree_of(self, rev: str) -> str:
        """The SHA of the tree of commit ``rev``."""
        return self._run("rev-parse", "--verify", "--end-of-options", f"{rev}^{{tree}}").decode().strip()

    def show(self, rev: str, path: str) -> str | None:
        """A file's text at ``rev`` (None when it is not there)."""
        try:
            return self._run("show", f"{rev}:{path}").decode("utf-8", "replace")
        except GitError:
            return None

    def show_many(self, rev: str, paths: Sequence[str]) -> dict[str, str | None]:
        """Several files' texts at ``rev`` in one ``cat-file --batch`` (None where one is not a file there)."""
        if not paths:
            return {}
        output = self._run("cat-file", "--batch", input="".join(f"{rev}:{path}\n" for path in paths).encode())
        found: dict[str, str | None] = {}
        position = 0
        for path in paths:  # cat-file answers in the order it was asked
            end = output.index(b"\n", position)
            fields = output[position:end].split()
            position = end + 1
            if fields[-1] in (b"missing", b"ambiguous"):
                found[path] = None
                continue
            size = int(fields[-1])
            content = output[position : position + size]
            position += size + 1
            found[path] = content.decode("utf-8", "replace") if fields[-2] == b"blob" else None
        return found

    def versions(self, path: str, revs: Sequence[str]) -> dict[str, str | None]:
        """One file's text at several commits, in one ``cat-file --batch`` (None where it is absent)."""
        if not revs:
            return {}
        output = self._run("cat-file", "--batch", input="".join(f"{rev}:{path}\n" for rev in revs).encode())
        found: dict[str, str | None] = {}
        position = 0
        for rev in revs:
            end = output.index(b"\n", position)
            fields = output[position:end].split()
            position = end + 1
            if fields[-1] in (b"missing", b"ambiguous"):
                found[rev] = None
                continue
            size = int(fields[-1])
            found[rev] = output[position : position + size].decode("utf-8", "replace") if fields[-2] == b"blob" else None
            position += size + 1
        return found

    def blob_ids(self, path: str, revs: Sequence[str]) -> dict[str, str]:
        """The blob id of ``path`` at each of ``revs`` the repository has ("" where the path is absent).

        One ``cat-file --batch-check`` asks for each commit and its file, so a commit the
        repository lacks (pushed, then rewritten away) is told apart from a missing file.
        """
        if not revs:
            return {}
        asked = "".join(f"{rev}^{{commit}}\n{rev}:{path}\n" for rev in revs)
        lines = self._run("cat-file", "--batch-check", input=asked.encode()).decode().splitlines()
        found: dict[str, str] = {}
        for index, rev in enumerate(revs):
            commit, blob = lines[2 * index].split(), lines[2 * index + 1].split()
            if commit[-1] != "missing":
                found[rev] = "" if blob[-1] == "missing" else blob[0]
        return found

    def readme_patches(self, path: str, rev: str = "HEAD") -> Iterator[PatchCommit]:
        """Every change of ``path`` along the first-parent chain of ``rev``, oldest first.

        A merge's change is its diff against the first parent: the moment the change reached
        the branch. Zero context lines keep the work proportional to what changed. git starts
        now; the patches come as they are read (a failure of git comes with the last).
        """
        chunks = self._stream(
            "log", "--first-parent", "-m", "--reverse", "--no-color", "--no-ext-diff",
            "--no-renames", "-p", "-U0", f"--max-count={MAX_COMMITS + 1}",
            f"--format={_HEADER}", rev, "--", path,
        )
        return _patches(chunks, path)

    def folder_changes(self, rev: str = "HEAD") -> Iterator[TreeCommit]:
        """Every commit reachable from ``rev`` with the files it added or changed, oldest first.

        Commits of merged branches count on their own; a rename counts as an addition at the
        rename (rename detection is off on purpose).
        """
        output = self._run(
            "log", "--reverse", "--topo-order", "--no-renames", "--raw", "--no-abbrev",
            "--diff-filter=AM", f"--max-count={MAX_COMMITS}", "-z", f"--format={_HEADER}{_FIELD}%s", rev,
        )
        for chunk in output.decode("utf-8", "surrogateescape").split(_COMMIT)[1:]:
            header, _, body = chunk.partition("\n")
            # The subject goes last: whatever it holds, the fields before it split cleanly.
            fields = header.rstrip("\x00").split(_FIELD, 6)
            yield TreeCommit(_commit_info(_FIELD.join(fields[:6])), tuple(_raw_touches(body)), "".join(fields[6:]))

    def paths(self, rev: str = "HEAD") -> list[str]:
        """Every file path in the tree of ``rev``."""
        output = self._run("ls-tree", "-r", "-z", "--name-only", rev)
        return [path for path in output.decode("utf-8", "surrogateescape").split("\x00") if path]

    def parents(self, rev: str = "HEAD") -> dict[str, tuple[str, ...]]:
        """Every commit reachable from ``rev`` with its parents, in one ``git log`` (kept per rev)."""
        if rev not in self._graphs:
            output = self._run("log", "--format=%H %P", f"--max-count={MAX_COMMITS}", rev)
            graph: dict[str, tuple[str, ...]] = {}
            for line in output.decode().splitlines():
                sha, *parents = line.split()
                graph[sha] = tuple(parents)
            self._graphs[rev] = graph
        return self._graphs[rev]

    def commit_infos(self, shas: Sequence[str]) -> dict[str, CommitInfo]:
        """Author, date and parents of each of ``shas``, in one ``git log --no-walk``."""
        if not shas:
            return {}
        output = self._run(
            "log", "--no-walk=unsorted", "--stdin", f"--format={_HEADER}", input="".join(f"{sha}\n" for sha in shas).encode()
        )
        infos = (_commit_info(chunk.strip("\n")) for chunk in output.decode("utf-8", "surrogateescape").split(_COMMIT)[1:])
        return {info.sha: info for info in infos}

    def authors(self, path: str, rev: str = "HEAD") -> list[tuple[str, str, int]]:
        """Who committed changes to ``path``: (name, email, commits), most commits first.

        Addresses are compared without case; the name is the one on the author's newest commit.
        """
        output = self._run(
            "log", "--no-mailmap", f"--max-count={MAX_COMMITS}", f"--format=%an{_FIELD}%ae", rev, "--", path
        )
        found: dict[str, tuple[str, str, int]] = {}
        for line in output.decode("utf-8", "replace").splitlines():
            name, _, email = line.partition(_FIELD)
            key = email.lower()
            known = found.get(key)
            found[key] = (known[0], known[1], known[2] + 1) if known else (name, email, 1)
        return sorted(found.values(), key=lambda author: -author[2])

    def changes_of(self, path: str, rev: str = "HEAD") -> list[str]:
        """The first-parent commits that changed ``path``, newest first."""
        output = self._run("log", "--first-parent", "--format=%H", f"--max-count={MAX_COMMITS}", rev, "--", path)
        return output.decode().split()

    def blobs(self, shas: list[str]) -> dict[str, bytes]:
        """Blob contents by SHA, read in one ``cat-file --batch``."""
        if not shas:
            return {}
        output = self._run("cat-file", "--batch", input="".join(f"{sha}\n" for sha in shas).encode())
        found: dict[str, bytes] = {}
        position = 0
        while position < len(output):
            end = output.index(b"\n", position)
            fields = output[position:end].split()
            position = end + 1
            if len(fields) < 3 or fields[1] == b"missing":
                continue
            size = int(fields[2])
            found[fields[0].decode()] = output[position : position + size]
            position += size + 1
        return found


@dataclass(frozen=True)
class ScriptedCommit:
    """One commit of a scripted history (the bundled examples)."""

    files: Mapping[str, str | bytes | None]
    message: str
    author: str
    email: str
    when: dt.datetime
    committed: dt.datetime | None = None


def _raw_date(when: dt.datetime) -> str:
    """``<epoch> <+hhmm>``, git's raw date format."""
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{int(when.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _commit_info(header: str) -> CommitInfo:
    sha, parents, name, email, date, authored = header.split(_FIELD)
    return CommitInfo(
        sha=sha,
        parents=tuple(parents.split()),
        author_name=name,
        author_email=email,
        committed_at=dt.datetime.fromisoformat(date.strip()),
        authored_at=dt.datetime.fromisoformat(authored.strip()),
    )


def _hunks(body: str, known: dict[str, str]) -> Iterator[Hunk]:
    """The hunks of one commit's patch; a line already in ``known`` (met earlier in the same walk) is
    kept once: a row's removed line is mostly the line an earlier commit added."""
    current: tuple[int, int, int, int] | None = None
    removed: list[str] = []
    added: list[str] = []
    for line in body.split("\n"):
        match = _HUNK.match(line)
        if match:
            if current:
                yield Hunk(*current, tuple(removed), tuple(added))
            old_start, old_count, new_start, new_count = match.groups()
            current = (
                int(old_start),
                1 if old_count is None else int(old_count),
                int(new_start),
                1 if new_count is None else int(new_count),
            )
            removed, added = [], []
        elif current is None:
            continue
        elif line.startswith("-"):
            text = line[1:]
            removed.append(known.setdefault(text, text))
        elif line.startswith("+"):
            text = line[1:]
            added.append(known.setdefault(text, text))
    if current:
        yield Hunk(*current, tuple(removed), tuple(added))


def _raw_touches(body: str) -> Iterator[FileTouch]:
    # -z raw format: ":oldmode newmode oldsha newsha status\0path\0" repeated.
    fields = body.lstrip("\n").split("\x00")
    for index in range(0, len(fields) - 1, 2):
        meta, path = fields[index].strip(), fields[index + 1]
        if not meta.startswith(":"):
            continue
        parts = meta[1:].split()
        if len(parts) >= 5 and parts[1] != "160000":
            yield FileTouch(path=path, blob=parts[3])
