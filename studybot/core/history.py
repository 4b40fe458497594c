"""When each link first appeared: the README's history and the week folders, reduced to evidence.

The git module supplies commits as plain records; a ``stamp`` function (offline: commit dates;
on GitHub: server push times) says when each commit counts and who made it. Work per commit
is proportional to the lines it changed: only changed rows are re-parsed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from studybot.core.config import StudyConfig
from studybot.core.evidence import (
    BlogPost,
    Evidence,
    Notice,
    Problem,
    Source,
    Submission,
    link_problem,
    same_work,
)
from studybot.core.folders import FolderMatch, FolderRules, Stray, StrayKind, stated_weeks, visible
from studybot.core.members import Roster
from studybot.core.placeholders import never_counts
from studybot.core.records import CommitInfo, FileTouch, PatchCommit, TreeCommit
from studybot.core.schedule import build_schedule
from studybot.core.sections import find_sections
from studybot.core.table import Row, TableHeader, find_table, parse_row


@dataclass(frozen=True)
class Stamp:
    """When a commit counts and who made it (``actor`` is a member name when identified)."""

    at: dt.datetime
    trusted: bool
    actor: str | None


StampFn = Callable[[CommitInfo], Stamp]


def commit_date_stamp(roster: Roster, clock: str | None = None) -> StampFn:
    """Timing by the commit's own dates (untrusted) and the author matched to a member.

    ``clock`` (default: the study's ``submissions.timing``) picks the date: ``author-date`` the
    author date, which a cherry-pick or rebase keeps; ``commit-date`` (and ``authored``, its old
    name) the committer date. ``landed`` without server times (offline) uses the committer
    date too: of a commit's two dates it is the nearer to when the change reached the branch.
    """
    if (clock or roster.clock) == "author-date":

        def written(commit: CommitInfo) -> Stamp:
            return Stamp(commit.written_at, False, roster.author(commit.author_email))

        return written

    def stamp(commit: CommitInfo) -> Stamp:
        return Stamp(commit.committed_at, False, roster.author(commit.author_email))

    return stamp


@dataclass
class _Cell:
    """What the history knows of one (member, week) entry so far."""

    url: str = ""  # the link as the table holds it now
    accepted: Submission | None = None
    held: tuple[str, dt.datetime] | None = None  # the link (and since when) held at the deadline
    replaced: str = ""  # the commit that last changed an accepted link after the deadline


class ReadmeHistory:
    """Replays README changes commit by commit and records first valid links per (member, week)."""

    def __init__(self, config: StudyConfig, stamp: StampFn, deadlines: Mapping[int, dt.datetime] | None = None):
        """``deadlines`` (week -> deadline, default: the config's calendar) tells which link
        changes came after a week's deadline: those are warned about."""
        if deadlines is None:
            deadlines = {week.number: week.deadline for week in build_schedule(config).weeks}
        self.deadlines = dict(deadlines)
        source = config.submissions.readme
        team_blog = config.rotation.team_blog
        self.columns = (source.week_column, source.column, team_blog.readme_column if team_blog else None)
        self.sections = source.layout == "sections"
        self.roster = Roster(config)
        self.stamp = stamp
        self.lines: list[str] = []
        self.header: TableHeader | None = None
        self.span: tuple[int, int] | None = None  # [header line, line after the last row)
        self._recent: dict[str, Row | None] = {}  # rows parsed for the previous commit
        self.rows: dict[int, Row] = {}
        self.cells: dict[tuple[str, int], _Cell] = {}
        self.blog: dict[int, BlogPost] = {}
        self.evidence = Evidence()
        self._tables: dict[str, dict[tuple[str, int], str]] = {}  # cells of the texts around one merge's sides

    # -- replay

    def apply(self, patch: PatchCommit) -> None:
        """Apply one commit's hunks to the text, then re-read only the rows they touched."""
        if self.sections:
            self._apply_sections(patch)
            return
        structural = self.span is None
        shift = body_delta = 0
        touched_old: list[str] = []
        touched_new: list[str] = []
        for hunk in sorted(patch.hunks, key=lambda hunk: hunk.old_start, reverse=True):
            # -U0: a hunk without old lines inserts after line old_start; else it starts there.
            low = hunk.old_start if hunk.old_count == 0 else hunk.old_start - 1
            high = low + hunk.old_count
            self.lines[low:high] = list(hunk.added)
            if self.span is None:
                continue
            start, end = self.span
            growth = hunk.new_count - hunk.old_count
            if high <= start - 1:
                shift += growth  # above the table, not touching the line just before it
            elif low >= end + 1:
                continue  # below the table, not touching the line just after it
            elif low >= start + 2 and high <= end and not low == high == end:
                body_delta += growth  # inside the rows
                touched_old += hunk.removed
                touched_new += hunk.added
            else:
                structural = True  # header, delimiter or an edge: the table may change shape
        if structural or self.header is None or self.span is None:
            self._reparse(patch)
            return
        self.header = _shift_header(self.header, shift)
        self.span = (self.span[0] + shift, self.span[1] + shift + body_delta)
        added = self._rows_of(touched_new)
        gone = {row.week for row in self._rows_of(touched_old).values() if row is not None and row.week is not None}
        fresh = {row.week: row for row in added.values() if row is not None and row.week is not None}
        self._recent = added
        for week in gone - fresh.keys():
            self.rows.pop(week, None)
        self._record(patch, fresh)

    def _rows_of(self, lines: list[str]) -> dict[str, Row | None]:
        assert self.header is not None
        # A removed line is usually the line the previous commit added: reuse its parse.
        return {
            line: self._recent[line] if line in self._recent else parse_row(self.header, line, -1)
            for line in lines
        }

    def _reparse(self, patch: PatchCommit) -> None:
        table = find_table("\n".join(self.lines), *self.columns)
        self.header = table.header if table else None
        self.span = (table.start, table.end) if table else None
        fresh = {row.week: row for row in table.rows if row.week is not None} if table else {}
        self._replace(patch, fresh)

    def _apply_sections(self, patch: PatchCommit) -> None:
        """The week-section layout: apply the hunks, then read the whole text again.

        A section has no fixed shape a changed line could be re-read against (a list item
        belongs to whichever heading or ``<details>`` is above it), so every commit re-reads
        the file; rows that did not change are skipped by ``_record`` as for the table.
        """
        for hunk in sorted(patch.hunks, key=lambda hunk: hunk.old_start, reverse=True):
            low = hunk.old_start if hunk.old_count == 0 else hunk.old_start - 1
            self.lines[low : low + hunk.old_count] = list(hunk.added)
        sections = find_sections("\n".join(self.lines))
        self._replace(patch, {section.week: section.row for section in sections})

    def _replace(self, patch: PatchCommit, fresh: dict[int, Row]) -> None:
        """The README now has exactly the week rows ``fresh``: forget the others, record the new."""
        for week in self.rows.keys() - fresh.keys():
            del self.rows[week]
        self._record(patch, fresh)

    def _record(self, patch: PatchCommit, fresh: dict[int, Row]) -> None:
        carried = self._record_sides(patch) if patch.merged else set()
        stamp: Stamp | None = None
        for week, row in fresh.items():
            previous = self.rows.get(week)
            self.rows[week] = row
            if previous is not None and _same(previous, row):
                continue
            stamp = stamp or self.stamp(patch.commit)
            self._record_blog(week, row, stamp)
            # Only entries that differ from the row before can be new links.
            known = set(previous.entries) if previous is not None else set()
            for entry in row.entries:
                if entry in known:
                    continue
                member = self.roster.member(entry.name)
                if member is None:
                    continue
                cell = self.cells.setdefault((member, week), _Cell())
                if entry.url == cell.url:
                    continue
                cell.url = entry.url
                if entry.url and (member, week, entry.url) not in carried:
                    self._take(member, week, entry.url, stamp, patch.commit)

    def _record_sides(self, patch: PatchCommit) -> set[tuple[str, int, str]]:
        """The links the merged side commits put in cells, each taken at its own commit's time and pusher.

        A merge's diff against its first parent shows the side's links as the merger's change;
        the side's commits say who put each link there and when. Returns (member, week, link)
        for each, so the merge's own diff does not take them again.
        """
        carried: set[tuple[str, int, str]] = set()
        self._tables = {}  # the sides of one merge share their parents' texts
        for side in patch.merged:
            now = self._cells_of(side.text)
            before = [self._cells_of(text) for text in side.before]
            stamp: Stamp | None = None
            for (member, week), url in now.items():
                if not url or any(cells.get((member, week)) == url for cells in before):
                    continue
                stamp = stamp or self.stamp(side.commit)
                carried.add((member, week, url))
                self._take(member, week, url, stamp, side.commit, earliest=True)
        return carried

    def _cells_of(self, text: str | None) -> dict[tuple[str, int], str]:
        """(member, week) -> link of every cell of the table in ``text`` (the first entry of a name counts)."""
        if text is None:
            return {}
        if text not in self._tables:
            table = find_table(text, *self.columns)
            cells: dict[tuple[str, int], str] = {}
            for row in table.rows if table else ():
                for entry in row.entries:
                    member = self.roster.member(entry.name)
                    if row.week is not None and member is not None:
                        cells.setdefault((member, row.week), entry.url)
            self._tables[text] = cells
        return self._tables[text]

    def _take(
        self, member: str, week: int, url: str, stamp: Stamp, commit: CommitInfo, *, earliest: bool = False
    ) -> None:
        """A new link in ``member``'s cell of ``week``, put there by ``commit`` at ``stamp``.

        ``earliest``: the commit may be older than links already taken (a merged side), and
        an earlier time wins.
        """
        cell = self.cells.setdefault((member, week), _Cell())
        problem = link_problem(url)
        if problem:
            self.evidence.warn(Notice(Problem.BAD_LINK, week, member, problem, commit.sha))
            return
        if not self.roster.may_edit(stamp.actor, member):
            self.evidence.warn(_not_owner(week, member, stamp.actor, commit))
            return
        if cell.accepted is None or (earliest and stamp.at < cell.accepted.at):
            cell.held = (url, stamp.at)
            cell.accepted = Submission(
                member, week, Source.README, cell.url or url, stamp.at, stamp.trusted, stamp.actor, commit.sha,
            )
            return
        deadline = self.deadlines.get(week)
        if deadline is not None and stamp.at >= deadline:
            cell.replaced = commit.sha  # a placeholder swapped for the work?
        else:
            cell.held = (url, stamp.at)  # fixed in time: this is what was handed in
        # A later edit keeps the first time but shows the newest link.
        cell.accepted = Submission(
            member, week, Source.README, cell.url or url, cell.accepted.at,
            cell.accepted.trusted, cell.accepted.actor, cell.accepted.ref,
        )

    def _record_blog(self, week: int, row: Row, stamp: Stamp) -> None:
        if row.blog is None or not row.blog.url or link_problem(row.blog.url):
            return
        known = self.blog.get(week)
        self.blog[week] = BlogPost(week, row.blog.url, known.at if known else stamp.at)

    # -- result

    def result(self) -> Evidence:
        """Evidence so far, with warnings about the README as it stands now."""
        evidence = Evidence(warnings=list(self.evidence.warnings))
        for cell in self.cells.values():
            if cell.accepted is not None:
                evidence.add(cell.accepted)
                if cell.replaced and cell.held and not same_work(cell.held[0], cell.accepted.url):
                    evidence.warn(_replaced(cell.accepted, *cell.held, cell.replaced))
        evidence.blog = dict(self.blog)
        return evidence


def _replaced(submission: Submission, held: str, since: dt.datetime, ref: str) -> Notice:
    """The warning for a link changed after the deadline: the link held then and since when, and the link now."""
    return Notice(
        Problem.LINK_REPLACED, submission.week, submission.member, submission.url, ref, other=held, at=since,
    )


def _not_owner(week: int, member: str, actor: str | None, commit: CommitInfo) -> Notice:
    """The warning for a change of ``member``'s entry by someone else, or by someone unknown."""
    if actor is None:
        # The author's name is client-written; show the address the leader can list instead.
        return Notice(Problem.UNKNOWN_AUTHOR, week, member, commit.author_email, commit.sha)
    return Notice(Problem.NOT_OWNER, week, member, actor, commit.sha)


def _same(before: Row, after: Row) -> bool:
    """Whether a row says the same thing (its line number may differ)."""
    return (before.label, before.entries, before.blog) == (after.label, after.entries, after.blog)


def _shift_header(header: TableHeader, delta: int) -> TableHeader:
    if not delta:
        return header
    return TableHeader(
        header.columns, header.week_col, header.submit_col, header.blog_col, header.header_line + delta
    )


def readme_evidence(
    config: StudyConfig,
    patches: Iterable[PatchCommit],
    stamp: StampFn,
    deadlines: Mapping[int, dt.datetime] | None = None,
) -> Evidence:
    """Replay the README's history and return first links per (member, week)."""
    history = ReadmeHistory(config, stamp, deadlines)
    for patch in patches:
        history.apply(patch)
    return history.result()


def current_table_notices(config: StudyConfig, text: str, weeks: Iterable[int]) -> list[Notice]:
    """Warnings about the README as it stands: unknown names, doubles, stray weeks, bad links."""
    source = config.submissions.readme
    if source.layout == "sections":
        return current_section_notices(config, text, weeks)
    team_blog = config.rotation.team_blog
    table = find_table(text, source.week_column, source.column, team_blog.readme_column if team_blog else None)
    if table is None:
        return [Notice(Problem.NO_TABLE, detail=f"{source.week_column} | {source.column}")]
    notices = [Notice(Problem.MANGLED_ROW, detail=problem) for problem in table.problems]
    return notices + _row_notices(config, table.rows, weeks)


def current_section_notices(config: StudyConfig, text: str, weeks: Iterable[int]) -> list[Notice]:
    """The week-section layout's warnings: those of the table, and boxes ticked without a link."""
    sections = find_sections(text)
    if not sections:
        return [Notice(Problem.NO_SECTIONS)]
    notices = _row_notices(config, [section.row for section in sections], weeks)
    roster = Roster(config)
    graded = set(weeks)
    for section in sections:
        if section.week in graded:
            for name in section.ticked_without_link:
                member = roster.member(name)
                if member is not None:  # an unknown name is warned about as in the table
                    notices.append(Notice(Problem.TICKED_WITHOUT_LINK, section.week, member))
    return notices


def _row_notices(config: StudyConfig, rows: Iterable[Row], weeks: Iterable[int]) -> list[Notice]:
    """Unknown names, doubled names and weeks, weeks off the calendar and bad links in week rows."""
    roster = Roster(config)
    graded = set(weeks)
    notices: list[Notice] = []
    seen_weeks: set[int] = set()
    for row in rows:
        if row.week is None or row.week not in graded:
            if row.week is None or row.week != config.schedule.first_week - 1:
                notices.append(Notice(Problem.UNKNOWN_WEEK, row.week, detail=row.label))
            continue
        if row.week in seen_weeks:
            notices.append(Notice(Problem.DUPLICATE_WEEK, row.week, detail=row.label))
        seen_weeks.add(row.week)
        seen_members: set[str] = set()
        for entry in row.entries:
            member = roster.member(entry.name)
            if member is None:
                notices.append(Notice(Problem.UNKNOWN_NAME, row.week, detail=entry.name))
                continue
            if member in seen_members:
                notices.append(Notice(Problem.DUPLICATE_NAME, row.week, member))
            seen_members.add(member)
            if entry.url and (problem := link_problem(entry.url)):
                notices.append(Notice(Problem.BAD_LINK, row.week, member, problem))
    return notices


def folder_evidence(
    config: StudyConfig,
    commits: Iterable[TreeCommit],
    read_blobs: Callable[[list[str]], dict[str, bytes]],
    stamp: StampFn,
    weeks: Iterable[int],
) -> Evidence:
    """First commit after which each member's week folder holds a file with real content.

    Never silent: a file that looks like a hand-in but is not read as one is a warning with its
    path, who pushed it, when, and the week it points to (see :func:`studybot.core.folders`):
    files in a member's own folder outside any week folder, folders naming a week that match
    no pattern, files put in another member's folder, and work someone else handed in first.
    """
    rules = FolderRules(config.submissions.folders.patterns, config.members)
    graded = set(weeks)
    roster = Roster(config)
    found: list[tuple[TreeCommit, FileTouch, str, FolderMatch | Stray]] = []
    for commit in commits:
        for touch in commit.touched:
            path = unicodedata.normalize("NFC", touch.path)
            where: FolderMatch | Stray | None = rules.match(path)
            if where is None:
                where = rules.stray(path)
            elif not graded.intersection(where.weeks):
                continue  # an orientation week or one outside the term: not homework
            if where is not None:
                found.append((commit, touch, path, where))
    contents = read_blobs(sorted({touch.blob for _, touch, _, _ in found}))
    reader = _FolderReader(roster, graded)
    for commit, touch, path, where in found:
        reader.read(commit, path, contents.get(touch.blob, b""), where, stamp)
    return reader.evidence


# Content shorter than this (visible characters, or bytes) is too common to tell whose work it is ("완료", "done").
MIN_WORK_CHARACTERS = 20


def _shown(content: bytes) -> tuple[str, int]:
    """What a file shows, as a digest, and how long it is: its visible text, or its bytes."""
    try:
        shown = visible(content.decode("utf-8")).encode("utf-8")
        length = len(shown.decode("utf-8"))
    except UnicodeDecodeError:
        shown, length = content, len(content)
    return hashlib.sha256(shown).hexdigest(), length


class _FolderReader:
    """Reads folder files oldest first: submissions, and warnings about what it does not count."""

    def __init__(self, roster: Roster, graded: set[int]):
        self.roster = roster
        self.graded = graded
        self.evidence = Evidence()
        self.authors: dict[str, str] = {}  # work key -> the member whose work it first was
        self.shown: dict[str, str | None] = {}  # path -> the work key of its last version
        self.strays: set[tuple[str, str, str | None, int | None]] = set()

    def read(self, commit: TreeCommit, path: str, content: bytes, where: FolderMatch | Stray, stamp: StampFn) -> None:
        if never_counts(path, content):
            self.shown[path] = None
            return
        digest, length = _shown(content)
        unchanged = self.shown.get(path) == digest
        self.shown[path] = digest
        key = digest if length >= MIN_WORK_CHARACTERS else None  # short texts are too common to tell whose they are
        if unchanged:
            return  # an invisible edit: what shows is what was there before
        stamp_ = stamp(commit.commit)
        if isinstance(where, Stray):
            self._stray(commit, where, stamp_)
            return
        member = where.member
        allowed = self.roster.may_edit(stamp_.actor, member)
        author = member if allowed else stamp_.actor
        first = self.authors.setdefault(key, author) if key is not None and author is not None else author
        for week in sorted(self.graded.intersection(where.weeks)):
            if not allowed:
                if stamp_.actor is None:
                    self.evidence.warn(_not_owner(week, member, None, commit.commit))
                else:
                    self.evidence.warn(
                        Notice(Problem.FOLDER_FOREIGN, week, member, path, commit.commit.sha, stamp_.actor, stamp_.at)
                    )
            elif first != member:
                self.evidence.warn(
                    Notice(Problem.FOLDER_MOVED, week, member, path, commit.commit.sha, first or "", stamp_.at)
                )
            else:
                self.evidence.add(
                    Submission(member, week, Source.FOLDER, where.folder, stamp_.at, stamp_.trusted, stamp_.actor,
                               commit.commit.sha)
                )

    def _stray(self, commit: TreeCommit, stray: Stray, stamp_: Stamp) -> None:
        member = stray.member
        if member is None:
            # A week folder with no member's name in it: a member's misplaced work, or the leader's material.
            if stamp_.actor is None or stamp_.actor in self.roster.maintainers:
                return
            member = stamp_.actor
        weeks = stray.weeks or stated_weeks(commit.message)
        problem = Problem.FOLDER_UNMATCHED if stray.kind is StrayKind.UNMATCHED else Problem.FOLDER_OUTSIDE
        who = stamp_.actor or _unknown(commit.commit.author_email)
        for week in weeks or (None,):
            # One warning per folder, member and week: its first push is when it would count.
            seen = (problem.value, stray.folder, member, week)
            if seen in self.strays:
                continue
            self.strays.add(seen)
            self.evidence.warn(Notice(problem, week, member, stray.folder, commit.commit.sha, who, stamp_.at))


def _unknown(email: str) -> str:
    return f"<{email}>"
