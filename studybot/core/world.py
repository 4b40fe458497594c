"""The world as one run read it: a frozen snapshot of the checkout and of GitHub.

The shell fills it in one pass (``studybot.shell.read``); ``decide`` takes it as data. What
decide needs beyond a first read (the permissions of command authors, the open question
issues, GitHub from the start, an older ledger) it asks for with a ``ReadRequest``, and the
shell reads again: a second read is explicit, never a callback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from studybot.core.errors import StudybotError
from studybot.core.records import ActivityPage, BranchRule, Comment, Issue, PatchCommit, Permission, TreeCommit
from studybot.core.state import Ledgers, State


@dataclass(frozen=True)
class ReadRequest:
    """What a read covers beyond the first one.

    ``ledger_at``: read the ledger as of this commit instead of the head (a restore), with
    ``restored`` = (the foreign commit, its pusher) for the leader's note. ``EMPTY_LEDGER``
    means no trusted ledger exists yet. ``from_start``: read issues, comments and activity
    from the start instead of from the cursors (a recheck). ``permissions``: the logins whose
    collaborator permission is needed. ``questions``: list the open ``close_labeled`` issues.
    ``whole_log``: read the activity log from its start, to judge the ledger's provenance.
    ``ledger_path``: the ledger lives where the config in force says, not where the head's does.
    """

    ledger_at: str | None = None
    restored: tuple[str, str] | None = None
    from_start: bool = False
    permissions: frozenset[str] = frozenset()
    questions: bool = False
    whole_log: bool = False
    ledger_path: str | None = None
    rules: bool = False  # read the default branch's rules (only for a run that writes, or the setup issue)
    moved: int = 0  # how often the branch moved under the commit: read the README and ledger at its head again
    # Right before opening a week's issue: the issues updated since then, in case another run opened it.
    issues_since: dt.datetime | None = None
    # Read the README and folder history from the root, not only since the head the ledger's
    # replay was taken at (the ledger's replay could not be reused).
    full_history: bool = False

    def including(self, other: ReadRequest) -> ReadRequest:
        """This request widened by ``other`` (reads only grow between passes)."""
        return ReadRequest(
            ledger_at=other.ledger_at or self.ledger_at,
            restored=other.restored or self.restored,
            from_start=self.from_start or other.from_start,
            permissions=self.permissions | other.permissions,
            questions=self.questions or other.questions,
            whole_log=self.whole_log or other.whole_log,
            ledger_path=other.ledger_path or self.ledger_path,
            rules=self.rules or other.rules,
            moved=max(self.moved, other.moved),
            issues_since=other.issues_since or self.issues_since,
            full_history=self.full_history or other.full_history,
        )


EMPTY_LEDGER = "-"  # ``ledger_at`` for "start from an empty ledger"


@dataclass(frozen=True)
class GitRecords:
    """The checkout's history, as the git module reports it."""

    head: str | None
    parents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # every commit reachable from head
    readme_patches: Sequence[PatchCommit] = ()  # may arrive while the run reads them (shell.read.Streamed)
    folder_changes: tuple[TreeCommit, ...] = ()
    blobs: Mapping[str, bytes] = field(default_factory=dict)  # contents of blobs in folder_changes
    ledger_changes: tuple[str, ...] = ()  # commits that changed the ledger file, newest first
    # The commits that changed the README and the config, newest first: with the
    # pushes in the state, who pushed each change and when (studybot.core.landing.file_pushes).
    changes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    seen_before: frozenset[str] | None = None  # commits reachable from the previous run's head
    paths: frozenset[str] = frozenset()  # every path at the head, when week folders are made by the bot
    versions: Mapping[str, str | None] = field(default_factory=dict)  # the config's text at each commit that changed it
    # The ledger's blob id at the head and at every commit the activity log names ("" where
    # there is no ledger), to judge each push's change of it.
    ledger_blobs: Mapping[str, str] = field(default_factory=dict)
    # When set, ``readme_patches`` and ``folder_changes`` hold only the commits after ``since``
    # (the head the ledger's replay was taken at), and ``since_text`` is the table's README
    # there: the run reuses that replay when nothing after it changed a row or a week folder
    # (``core/increment.py``), and reads the whole history again otherwise.
    since: str | None = None
    since_text: str | None = None


@dataclass(frozen=True)
class GitHubRecords:
    """What GitHub answered: everything new since the state's cursors (or since the start)."""

    branch: str
    issues: tuple[Issue, ...] = ()
    comments: tuple[Comment, ...] = ()
    activity: ActivityPage = ActivityPage((), None)
    permissions: Mapping[str, Permission] = field(default_factory=dict)
    questions: tuple[Issue, ...] | None = None  # open close_labeled issues, when requested
    rules: tuple[BranchRule, ...] | None = None  # the branch's active rules; None where GitHub would not give them
    rules_read: bool = False  # whether they were asked for this run (a quiet run does not ask)


@dataclass(frozen=True)
class World:
    """Every input of one run. ``github`` is None offline (``report``, ``demo``)."""

    files: Mapping[str, str | None]  # path -> text at the head (the README, the table's file)
    ledger: str | None  # the ledger text the state was read from
    git: GitRecords
    github: GitHubRecords | None = None
    request: ReadRequest = ReadRequest()
    problems: tuple[StudybotError, ...] = ()  # inputs that could not be read (an oversize README)
    config_path: str | None = None  # the config's path in the checkout (None: it lives elsewhere)
    branch_head: str | None = None  # where the branch is now, when it moved past the checkout's head
    # The ledger texts parsed this run, shared by the worlds one read derives (``dataclasses.replace``).
    ledgers: Ledgers = field(default_factory=Ledgers, compare=False, repr=False)

    def text(self, path: str) -> str | None:
        return self.files.get(path)

    def state(self) -> State:
        """The state the ledger holds (``load_state``, parsed once per run); LedgerError when it cannot be read."""
        return self.ledgers.load(self.ledger)
