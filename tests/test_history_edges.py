"""Edge cases of replaying the README's history and reading its table as it stands now."""

from __future__ import annotations

import datetime as dt
from difflib import SequenceMatcher

from studybot.core.config import StudyConfig, parse_config
from studybot.core.evidence import Problem
from studybot.core.history import ReadmeHistory, Stamp, current_table_notices, folder_evidence
from studybot.core.records import CommitInfo, FileTouch, Hunk, PatchCommit, TreeCommit

CONFIG = """\
study: {name: T}
schedule: {weeks: 3, first_deadline: 2022-04-13 00:00}
fines: {late: 3000, absent: 4000}
members:
  - {name: 장서진, github: SEOJIN-Lab, maintainer: true}
  - {name: 구미진, github: mijinkoo}
  - {name: 이은빈, github: binable43}
submissions:
  folders: {enabled: true}
rotation:
  team_blog: {order: [이은빈, 구미진, 장서진]}
"""
START = dt.datetime(2022, 4, 6, 1, tzinfo=dt.UTC)
HEAD = ["# Study", "", "|주차|과제|팀블로그|", "|:---:|---|:---:|"]
TAIL = ["", "끝"]


def row(week: int, links: dict[str, str] | None = None, label: str | None = None) -> str:
    """A table row for ``week`` with the given members' links."""
    cells = " &nbsp; ".join(f"[{name}]({url})" for name, url in (links or {}).items())
    return f"|{label or f'{week}주차'}|{cells}||"


def commit_info(number: int, by: str) -> CommitInfo:
    """The ``number``-th commit of the test history, written by member ``by``."""
    return CommitInfo(f"c{number}", (), by, f"{by}@example.com", START + dt.timedelta(days=number))


def patch(before: list[str], after: list[str], number: int, by: str = "장서진") -> PatchCommit:
    """The zero-context patch (as ``git log -U0`` gives it) that turns ``before`` into ``after``."""
    hunks = [
        Hunk(i1 if i1 == i2 else i1 + 1, i2 - i1, j1 if j1 == j2 else j1 + 1, j2 - j1,
             tuple(before[i1:i2]), tuple(after[j1:j2]))
        for tag, i1, i2, j1, j2 in SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
        if tag != "equal"
    ]
    return PatchCommit(commit_info(number, by), tuple(hunks))


def stamp(commit: CommitInfo) -> Stamp:
    """Trusted timing: the commit date, by the member named as author."""
    return Stamp(commit.committed_at, True, commit.author_name)


def replay(config: StudyConfig, versions: list[tuple[str, list[str]]]) -> ReadmeHistory:
    """A history that replayed each (author, README lines) version in turn, checking the text it rebuilt."""
    history = ReadmeHistory(config, stamp, deadlines={1: START + dt.timedelta(days=30)})
    before: list[str] = []
    for number, (by, after) in enumerate(versions):
        history.apply(patch(before, after, number, by))
        assert history.lines == after
        before = after
    return history


def config() -> StudyConfig:
    return parse_config(CONFIG)


def test_a_row_appended_after_the_table_is_read_with_its_link() -> None:
    """A new week row added at the bottom of the table counts its links from that commit."""
    one = [*HEAD, row(1), *TAIL]
    two = [*HEAD, row(1), row(2, {"구미진": "https://a.example/2"}), *TAIL]
    evidence = replay(config(), [("장서진", one), ("구미진", two)]).result()
    assert evidence.submissions[("구미진", 2)].at == START + dt.timedelta(days=1)


def test_a_deleted_row_drops_out_but_its_link_still_counts() -> None:
    """Deleting a week's row later does not take back a link that was handed in before."""
    links = {"구미진": "https://a.example/2"}
    full = [*HEAD, row(1), row(2, links), row(3), *TAIL]
    history = replay(config(), [("구미진", full), ("장서진", [*HEAD, row(1), row(3), *TAIL])])
    assert sorted(history.rows) == [1, 3]
    assert history.result().submissions[("구미진", 2)].url == "https://a.example/2"


def test_removing_the_last_row_or_the_table_forgets_those_rows() -> None:
    """When the table's last row or the whole table is removed, the history stops holding those weeks."""
    full = [*HEAD, row(1), row(2), *TAIL]
    history = replay(config(), [("장서진", full), ("장서진", [*HEAD, row(1), *TAIL]), ("장서진", ["# Study", *TAIL])])
    assert history.rows == {}
    assert history.header is None


def test_renaming_a_column_keeps_unchanged_rows_and_their_times() -> None:
    """Editing the header re-reads the table, but a link already there keeps its first time."""
    links = {"이은빈": "https://b.example/1"}
    first = [*HEAD, row(1, links), *TAIL]
    renamed = ["# Study", "", "|주차|과제 |팀블로그|", "|:---:|---|:---:|", row(1, links), *TAIL]
    evidence = replay(config(), [("이은빈", first), ("장서진", renamed)]).result()
    assert evidence.submissions[("이은빈", 1)].at == START


def test_links_under_names_outside_the_roster_are_not_submissions() -> None:
    """A link written under a name that is not a member counts for nobody."""
    versions = [("장서진", [*HEAD, row(1, {"낯선이": "https://x.example/1"}), *TAIL])]
    assert replay(config(), versions).result().submissions == {}


def test_current_table_warns_about_odd_rows_names_and_links() -> None:
    """The README check names stray weeks, doubled weeks, unknown and doubled names and bad links,
    but not the orientation week before the first graded one."""
    text = "\n".join([
        *HEAD,
        row(0, label="0주차"),
        row(1, {"구미진": "https://a.example/1", "낯선이": "https://x.example/1"}),
        row(1, {"이은빈": "https://b.example/1", "eunbin": "", "이은빈 ": "ftp://b.example/1"}),
        row(7),
        row(0, label="소개"),
        *TAIL,
    ])
    problems = [(notice.problem, notice.week) for notice in current_table_notices(config(), text, [1, 2, 3])]
    assert (Problem.UNKNOWN_WEEK, 0) not in problems
    assert (Problem.UNKNOWN_WEEK, 7) in problems
    assert (Problem.UNKNOWN_WEEK, None) in problems
    assert (Problem.DUPLICATE_WEEK, 1) in problems
    assert (Problem.UNKNOWN_NAME, 1) in problems
    assert (Problem.DUPLICATE_NAME, 1) in problems
    assert (Problem.BAD_LINK, 1) in problems


def test_a_readme_without_the_table_is_warned_about() -> None:
    """A README that lost its submission table gets one warning naming the columns it needs."""
    (notice,) = current_table_notices(config(), "# Study\n\n끝\n", [1, 2, 3])
    assert notice.problem is Problem.NO_TABLE
    assert "주차" in notice.detail


def test_files_outside_member_folders_are_no_submissions() -> None:
    """Only files inside a member's week folder count as a folder submission."""
    touched = (
        FileTouch("README.md", "b1"),
        FileTouch("notes/장서진/a.md", "b2"),
        FileTouch("1주차/구미진/a.md", "b3"),
    )
    commits = [TreeCommit(commit_info(1, "구미진"), touched)]
    evidence = folder_evidence(config(), commits, lambda blobs: dict.fromkeys(blobs, b"work"), stamp, [1])
    assert list(evidence.submissions) == [("구미진", 1)]
