"""read: every input of a run, in one pass and a fixed order, as a frozen ``World``.

The checkout first (the README, the ledger, their history), then GitHub (issues, comments and
activity since the state's cursors, and whatever the request adds). Offline (``report``,
``demo``) there is no GitHub part. Nothing here decides anything: what to read beyond the
first pass comes from ``decide`` as a ``ReadRequest``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar, overload

from studybot.core.config import StudyConfig
from studybot.core.errors import StudybotError
from studybot.core.landing import merged_sides, reachable
from studybot.core.protections import CODEOWNERS_PATHS
from studybot.core.records import Issue, IssueState, PatchCommit, SideCommit
from studybot.core.state import Cursors, LedgerError, Ledgers, State
from studybot.core.world import EMPTY_LEDGER, GitHubRecords, GitRecords, ReadRequest, World
from studybot.shell.git import GitError, Repository
from studybot.shell.remote import Gateway

MAX_README_BYTES = 5 * 1024 * 1024
DEFAULT_LEDGER = ".studybot/ledger.json"  # where the ledger is when no config says otherwise


class CheckoutError(StudybotError):
    """The checkout cannot answer; the message says how to fix it."""


def open_checkout(path: str | Path) -> Repository:
    """The repository at ``path``, checked to hold the whole history."""
    repository = Repository(path)
    if not repository.is_repository():
        raise CheckoutError("error.checkout.not_git", path=path)
    if repository.is_shallow():
        raise CheckoutError("error.checkout.shallow")
    return repository


def read_world(
    config: StudyConfig | None,
    repository: Repository | None,
    gateway: Gateway | None = None,
    request: ReadRequest = ReadRequest(),
    *,
    branch: str | None = None,
    previous: World | None = None,
    config_path: str | None = None,
) -> World:
    """Read the checkout (and GitHub, given a gateway) as ``request`` asks.

    With ``previous`` (the world of the pass before, read with a narrower request), only what
    the request adds is read: more permissions, the question issues; a different ledger or a
    read from the start reads GitHub again; a branch that moved under the commit, the README and
    the ledger at its new head. Without a config (the checkout's does not parse) only the
    ledger is read, at the usual place, for the config it keeps in force.
    """
    if previous is not None and request.moved > previous.request.moved:
        assert gateway is not None and branch is not None
        return _read_moved(previous, gateway, branch, request)
    if previous is not None and previous.github is not None and request.issues_since != previous.request.issues_since:
        assert gateway is not None and request.issues_since is not None
        return _read_recent_issues(previous, gateway, request)
    assert repository is not None
    if config is None:
        return _read_ledger_only(repository, request, config_path)
    ledger_path = request.ledger_path or config.output.ledger
    if request.full_history and previous is not None and previous.git.since is not None:
        # Only the commits after the ledger's replay were read, and it could not be reused.
        return _with_whole_history(config, repository, previous, request, config_path, online=gateway is not None)
    same_ledger = previous is not None and (previous.request.ledger_at, previous.request.ledger_path) == (
        request.ledger_at, request.ledger_path
    )
    if previous is not None and same_ledger:
        world = previous
        if previous.github is not None and gateway is not None:
            world = dataclasses.replace(world, github=read_github(config, gateway, world, request, branch=branch))
            world = _with_ledger_blobs(world, repository, ledger_path)
        return dataclasses.replace(world, request=request)
    ledgers = previous.ledgers if previous is not None else Ledgers()  # each ledger text is parsed once a run
    try:
        head = repository.head()
        if head is None:
            return World({}, None, GitRecords(None), request=request, config_path=config_path)
        files, problems = _files(config, repository, head, config_path)
        ledger_rev = head if request.ledger_at is None else request.ledger_at
        ledger = None if ledger_rev == EMPTY_LEDGER else repository.show(ledger_rev, ledger_path)
        if ledger is None and gateway is not None and ledger_rev not in (head, EMPTY_LEDGER) and not repository.has_commit(ledger_rev):
            ledger = gateway.read_file(ledger_path, ledger_rev)  # the bot's commit, rewritten out of the checkout
        state = _state(ledgers, ledger)
        cursors = state.sync.cursors if state is not None else Cursors()
        if previous is not None and previous.request.ledger_path == request.ledger_path:
            # the same head: only which commits are new depends on the ledger
            git = dataclasses.replace(previous.git, seen_before=_seen_before(repository, head, cursors.head, gateway is not None, previous.git.parents))
        else:
            graph = repository.parents(head)  # read once: the records keep it, and it tells what came after the replay
            git = _git_records(config, repository, head, cursors.head, online=gateway is not None,
                               readme=config.submissions.readme.path not in {p.fields["path"] for p in problems},
                               config_path=config_path, ledger_path=ledger_path,
                               since=_replayed_at(graph, state, request, online=gateway is not None), parents=graph)
    except GitError as error:
        raise CheckoutError.wrap(error) from None
    broken = ledger_problem(ledger, ledgers)  # the run goes on; settle judges who pushed it
    found: tuple[StudybotError, ...] = (*problems, *([broken] if broken is not None else []))
    world = World(files, ledger, git, request=request, problems=found, config_path=config_path, ledgers=ledgers)
    if gateway is None:
        return world
    world = dataclasses.replace(world, github=read_github(config, gateway, world, request, branch=branch))
    return _with_ledger_blobs(world, repository, ledger_path)


def _with_whole_history(
    config: StudyConfig, repository: Repository, world: World, request: ReadRequest, config_path: str | None, *, online: bool
) -> World:
    """``world`` with the README and folder history read from the root; the rest (files, ledger,
    GitHub) stays as read."""
    assert world.git.head is not None
    skipped = {problem.fields.get("path") for problem in world.problems}
    try:
        git = _git_records(config, repository, world.git.head, _cursors(world).head, online=online,
                           readme=config.submissions.readme.path not in skipped, config_path=config_path,
                           ledger_path=request.ledger_path or config.output.ledger)
    except GitError as error:
        raise CheckoutError.wrap(error) from None
    git = dataclasses.replace(git, ledger_blobs=world.git.ledger_blobs)
    return dataclasses.replace(world, git=git, request=request)


def _cursors(world: World) -> Cursors:
    """Where the ledger says the last run stopped reading; from the start when it cannot be read."""
    state = _state(world.ledgers, world.ledger)
    return state.sync.cursors if state is not None else Cursors()


def _state(ledgers: Ledgers, ledger: str | None) -> State | None:
    try:
        return ledgers.load(ledger)
    except LedgerError:
        return None


def _replayed_at(
    graph: Mapping[str, tuple[str, ...]], state: State | None, request: ReadRequest, *, online: bool
) -> str | None:
    """The head the ledger's history replay ended at, when only the commits after it need reading.

    Only for a run on GitHub that reads from its cursors, with the ledger at the head (not a
    restored one), when that head is an ancestor of this one and no merge came after it.
    Whether the replay can really be reused is the core's to judge (``core/increment.py``);
    when it cannot, decide asks for the whole history.
    """
    replay = state.sync.replay if state is not None else None
    if not online or replay is None or request.full_history or request.from_start or request.ledger_at is not None:
        return None
    if replay.head not in graph:
        return None  # rewritten away, or never on this branch
    new = graph.keys() - reachable(graph, replay.head)
    if any(len(graph[sha]) > 1 for sha in new):
        return None
    return replay.head


def ledger_problem(ledger: str | None, ledgers: Ledgers | None = None) -> LedgerError | None:
    try:
        (ledgers or Ledgers()).load(ledger)
    except LedgerError as error:
        return error
    return None


def _read_moved(world: World, gateway: Gateway, branch: str, request: ReadRequest) -> World:
    """The README and the ledger at the branch's new head (the checkout is still at the old one)."""
    head = gateway.branch_head(branch)
    ledger_path = request.ledger_path or DEFAULT_LEDGER
    files = {path: gateway.read_file(path, head) for path in world.files}
    return dataclasses.replace(world, files=files, ledger=gateway.read_file(ledger_path, head), request=request, branch_head=head)


def _read_recent_issues(world: World, gateway: Gateway, request: ReadRequest) -> World:
    """The issues updated since ``request.issues_since`` added to the world's (another run may have opened one)."""
    assert world.github is not None
    recent = {issue.number: issue for issue in gateway.list_issues(since=request.issues_since)}
    issues = (*(issue for issue in world.github.issues if issue.number not in recent), *recent.values())
    return dataclasses.replace(world, github=dataclasses.replace(world.github, issues=issues), request=request)


def _read_ledger_only(repository: Repository, request: ReadRequest, config_path: str | None) -> World:
    try:
        head = repository.head()
        ledger = repository.show(head, request.ledger_path or DEFAULT_LEDGER) if head is not None else None
    except GitError as error:
        raise CheckoutError.wrap(error) from None
    return World({}, ledger, GitRecords(head), request=request, config_path=config_path)


def _with_ledger_blobs(world: World, repository: Repository, ledger_path: str) -> World:
    """The ledger's blob at the head and at each commit the activity log names."""
    assert world.github is not None and world.git.head is not None
    revs = {world.git.head}
    for item in world.github.activity.items:
        revs.update(sha for sha in (item.before, item.after) if sha.strip("0"))
    missing = sorted(revs - set(world.git.ledger_blobs))
    if not missing:
        return world
    try:
        blobs = {**world.git.ledger_blobs, **repository.blob_ids(ledger_path, missing)}
    except GitError as error:
        raise CheckoutError.wrap(error) from None
    return dataclasses.replace(world, git=dataclasses.replace(world.git, ledger_blobs=blobs))


def read_github(
    config: StudyConfig, gateway: Gateway, world: World, request: ReadRequest, *, branch: str | None = None
) -> GitHubRecords:
    """GitHub's part of the world: what is new since the state's cursors, and what ``request`` adds.

    The issues, comments and activity of ``world.github`` are kept when it was read with the
    same cursors; permissions, question issues and the branch's rules already read are not asked
    again.
    """
    known = world.github
    if known is None or world.request.from_start != request.from_start:
        cursors = _cursors(world)
        since = None if request.from_start else cursors
        branch = branch or (known.branch if known else gateway.default_branch())
        known = GitHubRecords(
            branch=branch,
            issues=tuple(gateway.list_issues(since=since.issues_since if since else None)),
            comments=tuple(gateway.list_comments(since=since.comments_since if since else None)),
            activity=gateway.list_activity(
                branch, after=since.activity_after if since and not request.whole_log else None
            ),
            permissions=known.permissions if known else {},
            questions=known.questions if known else None,
            rules=known.rules if known else None,
            rules_read=known.rules_read if known else False,
        )
    elif request.whole_log and not world.request.whole_log:
        known = dataclasses.replace(known, activity=gateway.list_activity(known.branch, after=None))
    permissions = dict(known.permissions)
    permissions.update({login: gateway.permission(login) for login in sorted(request.permissions - set(permissions))})
    questions = known.questions
    if request.questions and questions is None:
        questions = _questions(config, gateway)
    if request.rules and not known.rules_read:
        known = dataclasses.replace(known, rules=gateway.branch_rules(known.branch), rules_read=True)
    return dataclasses.replace(known, permissions=permissions, questions=questions)


def _files(
    config: StudyConfig, repository: Repository, head: str, config_path: str | None = None
) -> tuple[dict[str, str | None], list[CheckoutError]]:
    """The README the bot writes and the one the table is read from (usually the same).

    A README over the size limit is left out (as if missing) and named as a problem: the rest of
    the run still happens, and the run ends non-zero.
    """
    paths = {config.output.readme, config.submissions.readme.path, *CODEOWNERS_PATHS} | {
        path for path in (config.output.calendar, config.output.picture, config_path) if path
    }
    files = repository.show_many(head, sorted(paths))
    problems = []
    for path, text in files.items():
        if text is not None and len(text.encode("utf-8", "surrogateescape")) > MAX_README_BYTES:
            problems.append(CheckoutError("error.checkout.readme_large", path=path, limit=MAX_README_BYTES // (1024 * 1024)))
            files[path] = None
    return files, problems


def _git_records(
    config: StudyConfig,
    repository: Repository,
    head: str,
    previous: str | None,
    *,
    online: bool,
    readme: bool = True,
    config_path: str | None = None,
    ledger_path: str | None = None,
    since: str | None = None,
    parents: Mapping[str, tuple[str, ...]] | None = None,
) -> GitRecords:
    """The checkout's history; with ``since``, the README and folder changes only after that commit."""
    source = config.submissions.readme
    span = f"{since}..{head}" if since is not None else head
    patches: Sequence[PatchCommit] = ()
    if source.enabled and readme:
        stream = repository.readme_patches(source.path, span)
        if since is None:  # no merge comes after ``since``
            stream = with_merged_sides(repository, source.path, head, stream)
        patches = Streamed(_checked(stream))
    ledger_file = ledger_path or config.output.ledger
    changed_files = sorted({config.output.readme, *([config_path] if config_path else [])})
    watched = sorted({*changed_files, *([ledger_file] if online else [])})
    # Each path's log walks the whole history on its own: they run side by side.
    with ThreadPoolExecutor(max_workers=len(watched)) as pool:
        logs = {path: pool.submit(repository.changes_of, path, head) for path in watched}
        folders = tuple(repository.folder_changes(span)) if config.submissions.folders.enabled else ()
        blobs = repository.blobs(sorted({touch.blob for commit in folders for touch in commit.touched}))
        graph = parents if parents is not None else repository.parents(head)
        found = {path: tuple(log.result()) for path, log in logs.items()}
    changes = {path: found[path] for path in changed_files}
    return GitRecords(
        head=head,
        parents=graph,
        readme_patches=patches,
        folder_changes=folders,
        blobs=blobs,
        ledger_changes=found[ledger_file] if online else (),
        changes=changes,
        versions=repository.versions(config_path, changes[config_path]) if online and config_path else {},
        seen_before=_seen_before(repository, head, previous, online, graph),
        paths=frozenset(repository.paths(head)) if config.submissions.folders.enabled and config.submissions.folders.create_placeholders else frozenset(),
        since=since,
    )


def with_merged_sides(
    repository: Repository, path: str, head: str, patches: Iterator[PatchCommit]
) -> Iterator[PatchCommit]:
    """The README's patches with each merge's side changes, so a merged link keeps its own push.

    A merge on the first-parent chain whose side changed the README gets the side's commits
    (the README at each and at its parents), also when the merge's own tree dropped them.
    Only side commits whose README differs from each parent's are read: one ``cat-file`` for
    the blob ids, one for the texts, one ``log`` for their authors. Those are read now, while
    git still writes the patches; the patches themselves pass through as they come.
    """
    parents = repository.parents(head)
    chain: list[str] = []
    commit: str | None = head
    while commit is not None and commit in parents:
        chain.append(commit)
        commit = parents[commit][0] if parents[commit] else None
    merges = {sha for sha in chain if len(parents[sha]) > 1}
    if not merges:
        return patches
    sides = merged_sides(parents, head, merges)
    around = sorted({sha for shas in sides.values() for side in shas for sha in (side, *parents[side])})
    blobs = repository.blob_ids(path, around)
    changed = {
        side for shas in sides.values() for side in shas
        if all(blobs.get(side) != blobs.get(parent) for parent in parents[side])
    }
    if not changed:
        return patches
    texts = repository.versions(path, sorted({sha for side in changed for sha in (side, *parents[side])}))
    carrying = {merge for merge, shas in sides.items() if changed.intersection(shas)}
    infos = repository.commit_infos(sorted(changed | carrying))
    order = {sha: index for index, sha in enumerate(reversed(chain))}

    def carried(merge: str, patch: PatchCommit | None) -> PatchCommit:
        merged = tuple(
            SideCommit(infos[side], texts.get(side), tuple(texts.get(parent) for parent in parents[side]))
            for side in sides[merge] if side in changed
        )
        return dataclasses.replace(patch or PatchCommit(infos[merge], ()), merged=merged)

    return _interleaved(patches, order, sorted(carrying, key=order.__getitem__), carried)


def _interleaved(
    patches: Iterator[PatchCommit],
    order: Mapping[str, int],
    carrying: list[str],
    carried: Callable[[str, PatchCommit | None], PatchCommit],
) -> Iterator[PatchCommit]:
    """The first-parent patches in chain order with the merges that carry side changes put in
    (a merge whose own diff left the README alone has no patch of its own)."""
    waiting = iter(carrying)
    merge = next(waiting, None)
    seen = False
    for patch in patches:
        place = order[patch.commit.sha]  # git walked the same first-parent chain
        seen = True
        while merge is not None and order[merge] < place:
            yield carried(merge, None)
            merge = next(waiting, None)
        if merge == patch.commit.sha:
            yield carried(merge, patch)
            merge = next(waiting, None)
        else:
            yield patch
    while seen and merge is not None:
        yield carried(merge, None)
        merge = next(waiting, None)


T = TypeVar("T")


class Streamed(Sequence[T]):
    """A sequence that fills from an iterator as it is read.

    The run's records are fixed, but the longest of them (the README's patches) arrive while
    the run works, so git writes them while the history is replayed instead of before. Each
    item is read once, and every later reader gets the same items; a failure is raised again
    to every later reader rather than ending the sequence short.
    """

    def __init__(self, items: Iterator[T]) -> None:
        self._items = items
        self._read: list[T] = []
        self._done = False
        self._failure: BaseException | None = None

    def _fill(self, count: int | None) -> None:
        """Read until ``count`` items are in (all of them with None)."""
        if self._failure is not None:
            raise self._failure
        try:
            while not self._done and (count is None or len(self._read) < count):
                try:
                    self._read.append(next(self._items))
                except StopIteration:
                    self._done = True
        except Exception as failure:
            self._failure = failure
            raise

    def __iter__(self) -> Iterator[T]:
        index = 0
        while True:
            if index == len(self._read):
                self._fill(index + 1)
                if index == len(self._read):
                    return
            yield self._read[index]
            index += 1

    def __len__(self) -> int:
        self._fill(None)
        return len(self._read)

    def __bool__(self) -> bool:
        self._fill(1)
        return bool(self._read)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice) or index < 0:
            self._fill(None)
            return tuple(self._read[index]) if isinstance(index, slice) else self._read[index]
        self._fill(index + 1)
        return self._read[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _checked(items: Iterator[T]) -> Iterator[T]:
    """``items``, with git's failure told as a checkout problem like every other read's."""
    try:
        yield from items
    except GitError as error:
        raise CheckoutError.wrap(error) from None


def _seen_before(
    repository: Repository, head: str, previous: str | None, online: bool, graph: Mapping[str, tuple[str, ...]]
) -> frozenset[str] | None:
    """The commits the previous run had seen, to time the new ones by first sight (``graph``:
    the head's commits with their parents)."""
    if not online or not previous or previous == head:
        return None
    if previous in graph:
        return frozenset(reachable(graph, previous))  # an ancestor of the head: its history is in the head's
    try:
        return frozenset(repository.parents(previous))
    except GitError:
        return None  # the previous head is gone (a force-push): nobody is re-timed


def _questions(config: StudyConfig, gateway: Gateway) -> tuple[Issue, ...]:
    labels = tuple(config.qna.close_labeled)
    return tuple(issue for issue in gateway.list_issues(labels=labels) if issue.state is IssueState.OPEN)
