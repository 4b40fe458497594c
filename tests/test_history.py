"""Evidence from real git repositories: first links, ownership, bad links, folders."""

from __future__ import annotations

import datetime as dt
import random
from difflib import SequenceMatcher

import pytest
from helpers import FOLDERS_AND_BLOG, SMALL_STUDY, kst

from studybot.core.config import StudyConfig, parse_config
from studybot.core.decide import gather_evidence
from studybot.core.evidence import Problem, Source
from studybot.core.history import ReadmeHistory, Stamp, current_table_notices, folder_evidence
from studybot.core.records import CommitInfo, FileTouch, Hunk, PatchCommit, TreeCommit
from studybot.core.schedule import build_schedule
from studybot.core.state import State
from studybot.core.table import find_table
from studybot.shell.git import Repository
from studybot.shell.read import CheckoutError, open_checkout, read_world

CONFIG = SMALL_STUDY + FOLDERS_AND_BLOG

NAMES = ["장서진", "구미진", "이은빈"]
EMAIL = {"장서진": "SEOJIN-Lab@users.noreply.github.com", "구미진": "123+mijinkoo@users.noreply.github.com",
         "이은빈": "eunbin@example.com", "낯선이": "stranger@example.com"}


def table(cells: dict[tuple[int, str], str] | None = None, blog: dict[int, str] | None = None, eol: str = "\n") -> str:
    cells = cells or {}
    blog = blog or {}
    rows = ["# Study", "", "|주차|과제|팀블로그|", "|:---:|---|:---:|"]
    for week in (1, 2, 3):
        entries = " &nbsp; ".join(f"[{name}]({cells.get((week, name), '')})" for name in NAMES)
        rows.append(f"|{week}주차|{entries}|{blog.get(week, '')}|")
    return eol.join(rows + ["", "끝"]) + eol


@pytest.fixture()
def config() -> StudyConfig:
    return parse_config(CONFIG)


@pytest.fixture()
def repo(tmp_path) -> Repository:
    return Repository.create(tmp_path / "study")


def commit(repo: Repository, by: str, when, files: dict[str, str | None]) -> str:
    return repo.commit(files, f"change by {by}", author=by, email=EMAIL[by], when=when)


def evidence_of(repo: Repository, config: StudyConfig):
    world = read_world(config, open_checkout(repo.path))
    return gather_evidence(config, build_schedule(config), world, State())


def test_first_valid_link_counts_and_later_edits_keep_its_time(repo, config):
    """A link's time is the commit that first put it there; a later edit shows the new URL only."""
    commit(repo, "장서진", kst(2022, 4, 6, 10), {"README.md": table()})
    commit(repo, "구미진", kst(2022, 4, 12, 23, 50), {"README.md": table({(1, "구미진"): "https://a.example/1"})})
    first = commit(repo, "이은빈", kst(2022, 4, 13, 0, 7),
                   {"README.md": table({(1, "구미진"): "https://a.example/1", (1, "이은빈"): "https://b.example/1"})})
    commit(repo, "구미진", kst(2022, 4, 20), {"README.md": table({(1, "구미진"): "https://a.example/fixed",
                                                              (1, "이은빈"): "https://b.example/1"})})
    evidence = evidence_of(repo, config)
    mijin = evidence.submissions[("구미진", 1)]
    assert mijin.at == kst(2022, 4, 12, 23, 50)
    assert mijin.url == "https://a.example/fixed"
    assert mijin.source is Source.README and mijin.trusted is False
    eunbin = evidence.submissions[("이은빈", 1)]
    assert eunbin.at == kst(2022, 4, 13, 0, 7) and eunbin.ref == first
    assert ("장서진", 1) not in evidence.submissions


def test_removing_a_late_link_does_not_erase_the_submission(repo, config):
    """A member who deletes a late link afterwards is still late, not absent-proof."""
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    commit(repo, "구미진", kst(2022, 4, 13, 3), {"README.md": table({(1, "구미진"): "https://late.example"})})
    commit(repo, "구미진", kst(2022, 4, 14), {"README.md": table()})
    assert evidence_of(repo, config).submissions[("구미진", 1)].at == kst(2022, 4, 13, 3)


def test_someone_else_filling_a_members_cell_does_not_count(repo, config):
    """A member editing another member's cell is ignored for them and reported; a maintainer may."""
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    commit(repo, "이은빈", kst(2022, 4, 10), {"README.md": table({(1, "구미진"): "https://forged.example"})})
    commit(repo, "장서진", kst(2022, 4, 11), {"README.md": table({(1, "구미진"): "https://forged.example",
                                                              (2, "이은빈"): "https://leader.example"})})
    evidence = evidence_of(repo, config)
    assert ("구미진", 1) not in evidence.submissions
    assert evidence.submissions[("이은빈", 2)].url == "https://leader.example"
    forged = [notice for notice in evidence.warnings if notice.problem is Problem.NOT_OWNER]
    assert [(notice.week, notice.member, notice.detail) for notice in forged] == [(1, "구미진", "이은빈")]


def test_an_unknown_author_cannot_submit_for_a_member(repo, config):
    """A commit whose author matches no member is not trusted, and the warning names its address."""
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    commit(repo, "낯선이", kst(2022, 4, 10), {"README.md": table({(1, "이은빈"): "https://x.example"})})
    evidence = evidence_of(repo, config)
    assert evidence.submissions == {}
    assert [(n.problem, n.member, n.detail) for n in evidence.warnings] == [
        (Problem.UNKNOWN_AUTHOR, "이은빈", "stranger@example.com")]


def test_an_author_named_like_the_leader_is_not_the_leader(repo, config):
    """Writing the leader's name as commit author does not borrow the leader's rights."""
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    repo.commit({"README.md": table({(1, "구미진"): "https://x.example"})}, "forged", author="장서진",
                email="someone@example.com", when=kst(2022, 4, 10))
    assert evidence_of(repo, config).submissions == {}


def test_bad_links_are_warnings_even_when_only_in_history(repo, config):
    """A javascript: link counts for nothing and is reported, even after it was replaced."""
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    commit(repo, "구미진", kst(2022, 4, 10), {"README.md": table({(1, "구미진"): "javascript:alert(1)"})})
    commit(repo, "구미진", kst(2022, 4, 13, 1), {"README.md": table({(1, "구미진"): "https://ok.example"})})
    evidence = evidence_of(repo, config)
    assert evidence.submissions[("구미진", 1)].at == kst(2022, 4, 13, 1)
    bad = [notice for notice in evidence.warnings if notice.problem is Problem.BAD_LINK]
    assert [(notice.week, notice.member, notice.detail) for notice in bad] == [(1, "구미진", "javascript:")]


def test_edits_around_the_table_keep_rows_in_place(repo, config):
    """Paragraphs added above and below the table, and CRLF endings, do not confuse the rows."""
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table(eol="\r\n")})
    text = "공지\r\n\r\n추가 설명\r\n" + table({(2, "구미진"): "https://two.example"}, eol="\r\n")
    commit(repo, "구미진", kst(2022, 5, 1), {"README.md": text})
    text = text.replace("끝", "끝\r\n\r\n부록") .replace("[이은빈]()", "[이은빈](https://three.example)", 1)
    commit(repo, "이은빈", kst(2022, 5, 2), {"README.md": text})
    evidence = evidence_of(repo, config)
    assert evidence.submissions[("구미진", 2)].url == "https://two.example"
    assert evidence.submissions[("이은빈", 1)].at == kst(2022, 5, 2)


def test_blog_links_mark_the_post_done(repo, config):
    """A link in the week's 팀블로그 cell means the post is written."""
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table(blog={1: "이은빈"})})
    commit(repo, "이은빈", kst(2022, 4, 14), {"README.md": table(blog={1: "[이은빈](https://blog.example/1)"})})
    evidence = evidence_of(repo, config)
    assert evidence.blog[1].url == "https://blog.example/1"
    assert 2 not in evidence.blog


def test_incremental_replay_agrees_with_reparsing_every_snapshot(repo, config):
    """Re-reading only changed rows gives the same first links as parsing every version in full."""
    rng = random.Random(7)
    cells: dict[tuple[int, str], str] = {}
    prefix, suffix = "", ""
    snapshots = []
    when = kst(2022, 4, 6)
    import datetime as dt

    for step in range(40):
        action = rng.choice(["link", "link", "link", "clear", "above", "below", "bad"])
        week, name = rng.choice([1, 2, 3]), rng.choice(NAMES)
        if action == "link":
            cells[(week, name)] = f"https://e.example/{step}"
        elif action == "clear":
            cells.pop((week, name), None)
        elif action == "bad":
            cells[(week, name)] = f"ftp://e.example/{step}"
        elif action == "above":
            prefix += f"줄 {step}\n\n"
        else:
            suffix += f"\n꼬리 {step}\n"
        when += dt.timedelta(hours=rng.randint(1, 30))
        text = prefix + table(cells) + suffix
        commit(repo, name if action in ("link", "clear", "bad") else "장서진", when, {"README.md": text})
        snapshots.append((when, name if action in ("link", "clear", "bad") else "장서진", text))

    expected: dict[tuple[str, int], tuple] = {}
    previous: dict[tuple[str, int], str] = {}
    for at, author, text in snapshots:
        parsed = find_table(text, "주차", "과제", "팀블로그")
        for row in parsed.rows:
            for entry in row.entries:
                key = (entry.name, row.week)
                if entry.url != previous.get(key, ""):
                    previous[key] = entry.url
                    allowed = author in (entry.name, "장서진")
                    if entry.url.startswith("https://") and allowed and key not in expected:
                        expected[key] = (at, entry.url)
                    elif key in expected and entry.url.startswith("https://") and allowed:
                        expected[key] = (expected[key][0], entry.url)
    found = {key: (item.at, item.url) for key, item in evidence_of(repo, config).submissions.items()}
    assert found == expected


def folder_config() -> StudyConfig:
    return parse_config(CONFIG.replace("folders: {enabled: true}", "folders: {enabled: true}\n  readme: {enabled: false}"))


def test_folder_placeholders_do_not_count_but_real_files_do(repo):
    """A whitespace-only placeholder is nothing; the first file with content is the submission."""
    config = folder_config()
    commit(repo, "장서진", kst(2022, 4, 6), {"1주차/구미진/.gitkeep": "  \n", "README.md": "# s\n"})
    commit(repo, "구미진", kst(2022, 4, 12, 20), {"1주차/구미진/notes.md": "# RNN 정리\n"})
    commit(repo, "구미진", kst(2022, 4, 20), {"1주차/구미진/more.md": "more\n"})
    evidence = evidence_of(repo, config)
    assert evidence.submissions[("구미진", 1)].at == kst(2022, 4, 12, 20)
    assert evidence.submissions[("구미진", 1)].source is Source.FOLDER
    assert ("장서진", 1) not in evidence.submissions


def test_a_rename_into_the_folder_counts_at_the_rename(repo):
    """A file moved into the week folder counts when it was moved there."""
    config = folder_config()
    commit(repo, "이은빈", kst(2022, 4, 1), {"drafts/week1.md": "내용\n"})
    commit(repo, "이은빈", kst(2022, 4, 12, 9), {"drafts/week1.md": None, "1주차/이은빈/week1.md": "내용\n"})
    assert evidence_of(repo, config).submissions[("이은빈", 1)].at == kst(2022, 4, 12, 9)


def test_a_merged_branch_counts_at_its_own_commit(repo):
    """Offline, work merged from a branch counts at the branch commit, not the merge."""
    config = folder_config()
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": "# s\n"})
    repo._run("checkout", "--quiet", "-b", "work")
    commit(repo, "구미진", kst(2022, 4, 12, 22), {"2주차/구미진/a.md": "답\n"})
    repo._run("checkout", "--quiet", "main")
    commit(repo, "장서진", kst(2022, 4, 14), {"README.md": "# s2\n"})
    repo._run("-c", "user.name=장서진", "-c", f"user.email={EMAIL['장서진']}", "merge", "--quiet", "--no-ff",
              "-m", "merge", "work", env={"GIT_COMMITTER_DATE": kst(2022, 5, 10).isoformat()})
    assert evidence_of(repo, config).submissions[("구미진", 2)].at == kst(2022, 4, 12, 22)


def test_folder_of_someone_else_is_not_theirs(repo):
    """Files put into another member's folder by a non-maintainer do not count for that member."""
    config = folder_config()
    commit(repo, "이은빈", kst(2022, 4, 12), {"1주차/구미진/a.md": "대신 냄\n"})
    evidence = evidence_of(repo, config)
    assert ("구미진", 1) not in evidence.submissions
    (notice,) = evidence.warnings
    assert (notice.problem, notice.week, notice.member) == (Problem.FOLDER_FOREIGN, 1, "구미진")
    assert (notice.detail, notice.other, notice.at) == ("1주차/구미진/a.md", "이은빈", kst(2022, 4, 12))


def test_shallow_checkout_asks_for_full_history(tmp_path, config):
    """A shallow clone is refused with a sentence naming fetch-depth: 0."""
    origin = Repository.create(tmp_path / "origin")
    commit(origin, "장서진", kst(2022, 4, 6), {"README.md": table()})
    commit(origin, "구미진", kst(2022, 4, 7), {"README.md": table({(1, "구미진"): "https://x.example"})})
    clone = tmp_path / "clone"
    origin._run("clone", "--quiet", "--depth", "1", f"file://{origin.path}", str(clone))
    with pytest.raises(CheckoutError, match="fetch-depth: 0"):
        open_checkout(clone)


def test_not_a_repository(tmp_path, config):
    """A folder that is not a git checkout is a sentence, not a traceback."""
    with pytest.raises(CheckoutError, match="not a git checkout"):
        open_checkout(tmp_path)


def test_git_failure_is_a_sentence(repo):
    """A history git cannot read (an unknown revision) raises GitError naming git, not a hang."""
    from studybot.shell.git import GitError

    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    with pytest.raises(GitError, match="git log failed"):
        list(repo.readme_patches("README.md", "no-such-branch"))


def test_stopping_early_ends_the_git_process(repo):
    """A reader that stops after the first commit leaves no git process behind."""
    for day in range(1, 4):
        commit(repo, "장서진", kst(2022, 4, day), {"README.md": table({(1, "장서진"): f"https://x.example/{day}"})})
    patches = repo.readme_patches("README.md")
    first = next(patches)
    patches.close()
    assert first.commit.committed_at == kst(2022, 4, 1)


def test_history_longer_than_the_limit_is_a_clear_error(repo, config, monkeypatch):
    """More README changes than studybot reads is a sentence, not a silently partial history."""
    import studybot.shell.git

    monkeypatch.setattr(studybot.shell.git, "MAX_COMMITS", 2)
    for day in range(1, 5):
        commit(repo, "장서진", kst(2022, 4, day), {"README.md": table({(1, "장서진"): f"https://x.example/{day}"})})
    with pytest.raises(CheckoutError, match="more than 2 changes"):
        evidence_of(repo, config)


def test_a_huge_readme_is_refused_with_a_sentence(repo, config, monkeypatch):
    """A README beyond the size limit is named as a problem and not parsed, and the run goes on without it."""
    import studybot.shell.read

    monkeypatch.setattr(studybot.shell.read, "MAX_README_BYTES", 100)
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    world = read_world(config, open_checkout(repo.path))
    (problem,) = world.problems
    assert "larger than" in str(problem) and world.text("README.md") is None and world.git.readme_patches == ()


def test_tree_of_a_commit_is_the_tree_git_records_for_it(repo):
    """The checkout answers which tree a commit has, so a commit on it needs no read from GitHub."""
    sha = commit(repo, "장서진", kst(2022, 4, 10, 21), {"README.md": table()})
    recorded = repo._run("cat-file", "-p", sha).decode().splitlines()[0]
    assert recorded == f"tree {repo.tree_of(sha)}"
    assert repo.tree_of("HEAD") == repo.tree_of(sha)


# ---- Edge cases of replaying the README's history and reading its table as it stands now --------

PLAIN_CONFIG = CONFIG.replace(", emails: [eunbin@example.com]", "")
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


def plain_config() -> StudyConfig:
    return parse_config(PLAIN_CONFIG)


def test_a_row_appended_after_the_table_is_read_with_its_link() -> None:
    """A new week row added at the bottom of the table counts its links from that commit."""
    one = [*HEAD, row(1), *TAIL]
    two = [*HEAD, row(1), row(2, {"구미진": "https://a.example/2"}), *TAIL]
    evidence = replay(plain_config(), [("장서진", one), ("구미진", two)]).result()
    assert evidence.submissions[("구미진", 2)].at == START + dt.timedelta(days=1)


def test_a_deleted_row_drops_out_but_its_link_still_counts() -> None:
    """Deleting a week's row later does not take back a link that was handed in before."""
    links = {"구미진": "https://a.example/2"}
    full = [*HEAD, row(1), row(2, links), row(3), *TAIL]
    history = replay(plain_config(), [("구미진", full), ("장서진", [*HEAD, row(1), row(3), *TAIL])])
    assert sorted(history.rows) == [1, 3]
    assert history.result().submissions[("구미진", 2)].url == "https://a.example/2"


def test_removing_the_last_row_or_the_table_forgets_those_rows() -> None:
    """When the table's last row or the whole table is removed, the history stops holding those weeks."""
    full = [*HEAD, row(1), row(2), *TAIL]
    history = replay(plain_config(), [("장서진", full), ("장서진", [*HEAD, row(1), *TAIL]), ("장서진", ["# Study", *TAIL])])
    assert history.rows == {}
    assert history.header is None


def test_renaming_a_column_keeps_unchanged_rows_and_their_times() -> None:
    """Editing the header re-reads the table, but a link already there keeps its first time."""
    links = {"이은빈": "https://b.example/1"}
    first = [*HEAD, row(1, links), *TAIL]
    renamed = ["# Study", "", "|주차|과제 |팀블로그|", "|:---:|---|:---:|", row(1, links), *TAIL]
    evidence = replay(plain_config(), [("이은빈", first), ("장서진", renamed)]).result()
    assert evidence.submissions[("이은빈", 1)].at == START


def test_links_under_names_outside_the_roster_are_not_submissions() -> None:
    """A link written under a name that is not a member counts for nobody."""
    versions = [("장서진", [*HEAD, row(1, {"낯선이": "https://x.example/1"}), *TAIL])]
    assert replay(plain_config(), versions).result().submissions == {}


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
    problems = [(notice.problem, notice.week) for notice in current_table_notices(plain_config(), text, [1, 2, 3])]
    assert (Problem.UNKNOWN_WEEK, 0) not in problems
    assert (Problem.UNKNOWN_WEEK, 7) in problems
    assert (Problem.UNKNOWN_WEEK, None) in problems
    assert (Problem.DUPLICATE_WEEK, 1) in problems
    assert (Problem.UNKNOWN_NAME, 1) in problems
    assert (Problem.DUPLICATE_NAME, 1) in problems
    assert (Problem.BAD_LINK, 1) in problems


def test_a_readme_without_the_table_is_warned_about() -> None:
    """A README that lost its submission table gets one warning naming the columns it needs."""
    (notice,) = current_table_notices(plain_config(), "# Study\n\n끝\n", [1, 2, 3])
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
    evidence = folder_evidence(plain_config(), commits, lambda blobs: dict.fromkeys(blobs, b"work"), stamp, [1])
    assert list(evidence.submissions) == [("구미진", 1)]
# ---- merges: a merged side's links keep their own commits ----------------------------------------


def merge(repo: Repository, first: str, second: str, by: str, when, text: str) -> str:
    """``by``'s merge with ``first`` as first parent and ``second`` as second, holding ``text`` as the README."""
    repo._run("reset", "--quiet", "--hard", first)
    scratch = commit(repo, by, when, {"README.md": text})
    env = {"GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat(), "GIT_AUTHOR_NAME": by,
           "GIT_AUTHOR_EMAIL": EMAIL[by], "GIT_COMMITTER_NAME": by, "GIT_COMMITTER_EMAIL": EMAIL[by]}
    sha = repo._run("commit-tree", repo.tree_of(scratch), "-p", first, "-p", second, "-m", "merge", env=env).decode().strip()
    repo._run("reset", "--quiet", "--hard", sha)
    return sha


def branch(repo: Repository, at: str) -> None:
    repo._run("reset", "--quiet", "--hard", at)


def test_a_link_from_a_merged_side_counts_at_its_own_commit(repo, config):
    """이은빈's side commit (23:00) merged by 구미진 at 02:00 with her own: 이은빈 at 23:00, no cell taken from her."""
    base = commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    side = commit(repo, "이은빈", kst(2022, 4, 12, 23), {"README.md": table({(1, "이은빈"): "https://b.example/1"})})
    branch(repo, base)
    own = commit(repo, "구미진", kst(2022, 4, 13, 1), {"README.md": table({(1, "구미진"): "https://a.example/1"})})
    merge(repo, own, side, "구미진", kst(2022, 4, 13, 2),
          table({(1, "구미진"): "https://a.example/1", (1, "이은빈"): "https://b.example/1"}))
    evidence = evidence_of(repo, config)
    assert (evidence.submissions[("이은빈", 1)].at, evidence.submissions[("이은빈", 1)].ref) == (kst(2022, 4, 12, 23), side)
    assert evidence.submissions[("구미진", 1)].at == kst(2022, 4, 13, 1)
    assert not [n for n in evidence.warnings if n.problem is Problem.NOT_OWNER]


def test_a_merge_whose_tree_dropped_the_side_still_counts_the_sides_links(repo, config):
    """A merge keeping only its first parent's README (`-s ours`) does not hide a link its side put in."""
    base = commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    side = commit(repo, "이은빈", kst(2022, 4, 12, 23), {"README.md": table({(1, "이은빈"): "https://b.example/1"})})
    branch(repo, base)
    own = commit(repo, "구미진", kst(2022, 4, 12, 22), {"README.md": table(), "notes.md": "x"})
    merge(repo, own, side, "구미진", kst(2022, 4, 13, 2), table())
    assert evidence_of(repo, config).submissions[("이은빈", 1)].at == kst(2022, 4, 12, 23)


def test_a_dropping_merge_keeps_its_place_among_the_commits_after_it(repo, config):
    """The side's link counts at its own time when the chain goes on after the merge, and the
    link pushed after the merge counts at its own later time."""
    base = commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    side = commit(repo, "이은빈", kst(2022, 4, 12, 23), {"README.md": table({(1, "이은빈"): "https://b.example/1"})})
    branch(repo, base)
    own = commit(repo, "구미진", kst(2022, 4, 12, 22), {"README.md": table(), "notes.md": "x"})
    merge(repo, own, side, "구미진", kst(2022, 4, 13, 2), table())
    commit(repo, "구미진", kst(2022, 4, 13, 3), {"README.md": table({(1, "구미진"): "https://a.example/1"})})
    evidence = evidence_of(repo, config)
    assert evidence.submissions[("이은빈", 1)].at == kst(2022, 4, 12, 23)
    assert evidence.submissions[("구미진", 1)].at == kst(2022, 4, 13, 3)


def test_a_merged_sides_bad_link_and_foreign_cell_are_told_once_and_do_not_count(repo, config):
    """On the side, 구미진 fills 이은빈's cell and writes a bad link of hers: each warned once, with the side commit, neither counts."""
    base = commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    bad = table({(1, "구미진"): "javascript:alert(1)", (1, "이은빈"): "https://forged.example"})
    side = commit(repo, "구미진", kst(2022, 4, 12, 20), {"README.md": bad})
    branch(repo, base)
    own = commit(repo, "장서진", kst(2022, 4, 12, 21), {"README.md": table({(1, "장서진"): "https://lead.example"})})
    merge(repo, own, side, "장서진", kst(2022, 4, 12, 22), table({
        (1, "구미진"): "javascript:alert(1)", (1, "이은빈"): "https://forged.example", (1, "장서진"): "https://lead.example"}))
    evidence = evidence_of(repo, config)
    assert set(evidence.submissions) == {("장서진", 1)}
    told = sorted((n.problem.value, n.member, n.ref) for n in evidence.warnings
                  if n.ref and n.problem in (Problem.NOT_OWNER, Problem.BAD_LINK))  # the history's, not the table as it stands
    assert told == [("bad_link", "구미진", side), ("not_owner", "이은빈", side)]


def test_an_earlier_link_on_a_merged_side_wins_over_a_later_one_on_the_chain(repo, config):
    """이은빈's link on the side (4/12) and her other link on the chain (4/13 05:00): the side's earlier time counts; a later side edit keeps it."""
    base = commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    side = commit(repo, "이은빈", kst(2022, 4, 12, 20), {"README.md": table({(1, "이은빈"): "https://b.example/early"})})
    later = commit(repo, "이은빈", kst(2022, 4, 13, 6), {"README.md": table({(1, "이은빈"): "https://b.example/later"})})
    branch(repo, base)
    own = commit(repo, "이은빈", kst(2022, 4, 13, 5), {"README.md": table({(1, "이은빈"): "https://b.example/chain"})})
    merge(repo, own, later, "이은빈", kst(2022, 4, 13, 7), table({(1, "이은빈"): "https://b.example/chain"}))
    submission = evidence_of(repo, config).submissions[("이은빈", 1)]
    assert (submission.at, submission.ref) == (kst(2022, 4, 12, 20), side)


def test_a_side_that_made_the_readme_reads_its_parent_as_empty(repo, config):
    """A side branch started before the README existed: its links count at its commit, ignoring names the roster lacks."""
    root = commit(repo, "장서진", kst(2022, 4, 5), {"notes.md": "start"})
    text = table({(1, "이은빈"): "https://b.example/1"}).replace("[이은빈](", "[낯선이](https://z.example) &nbsp; [이은빈](")
    side = commit(repo, "이은빈", kst(2022, 4, 12, 20), {"README.md": text})
    branch(repo, root)
    own = commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    merge(repo, own, side, "장서진", kst(2022, 4, 13, 1), text)
    assert evidence_of(repo, config).submissions[("이은빈", 1)].at == kst(2022, 4, 12, 20)
# ---- week folders: what is read, and what is told instead -----------------------------------------


def patterned_config(pattern: str) -> StudyConfig:
    return parse_config(CONFIG.replace("folders: {enabled: true}",
                                       f"folders: {{enabled: true, pattern: {pattern}}}\n  readme: {{enabled: false}}"))


def sentences(notice) -> tuple[str, str]:
    from studybot.core.messages import messages_for

    return messages_for("ko").notice(notice), messages_for("en").notice(notice)


def test_a_folder_of_two_weeks_counts_for_both_at_its_first_upload(repo):
    config = patterned_config('"{week}주차*/{name}/"')
    commit(repo, "구미진", kst(2022, 4, 12, 20), {"1주차,2주차 RNN/구미진/a.md": "# RNN 정리와 LSTM 정리\n"})
    evidence = evidence_of(repo, config)
    assert {key: item.at for key, item in evidence.submissions.items()} == {
        ("구미진", 1): kst(2022, 4, 12, 20), ("구미진", 2): kst(2022, 4, 12, 20)}
    assert evidence.submissions[("구미진", 2)].url == "1주차,2주차 RNN/구미진/"


def test_files_outside_any_week_folder_are_told_with_the_week_of_the_commit_message(repo):
    """Notes kept flat in `<login>/`: no submission; one warning per week the messages name, in ko and en."""
    config = folder_config()
    repo.commit({"binable43/rnn.md": "RNN 정리\n"}, "[2주차/binable43] RNN", author="이은빈",
                email=EMAIL["이은빈"], when=kst(2022, 4, 19, 21))
    repo.commit({"binable43/rnn.md": "RNN 정리, 더\n"}, "[2주차/binable43] 보충", author="이은빈",
                email=EMAIL["이은빈"], when=kst(2022, 4, 19, 23))
    evidence = evidence_of(repo, config)
    assert evidence.submissions == {}
    (notice,) = evidence.warnings
    assert (notice.problem, notice.week, notice.member, notice.detail, notice.other, notice.at) == (
        Problem.FOLDER_OUTSIDE, 2, "이은빈", "binable43/", "이은빈", kst(2022, 4, 19, 21))
    korean, english = sentences(notice)
    assert korean.startswith("2주차 이은빈 님: `binable43/` 폴더의 파일은 주차 폴더 밖에 있어서") and "올림" in korean
    assert english.startswith("Week 2 이은빈: the files in `binable43/` are outside any week folder")


def test_a_week_folder_no_pattern_matches_is_told_by_week(repo):
    config = folder_config()
    commit(repo, "구미진", kst(2022, 4, 12, 20), {"week_1/구미진/a.md": "# 과제 풀이 내용\n"})
    (notice,) = evidence_of(repo, config).warnings
    assert (notice.problem, notice.week, notice.member, notice.detail) == (
        Problem.FOLDER_UNMATCHED, 1, "구미진", "week_1/구미진/")
    korean, english = sentences(notice)
    assert "`week_1/구미진/` 폴더는 주차가 적혀 있지만" in korean and "`pattern` 목록에 추가해 주세요" in korean
    assert "matches no pattern in `submissions.folders.pattern`" in english


def test_a_leaders_material_in_a_week_folder_is_not_told_but_a_members_file_there_is(repo):
    """`1주차/README.md` by the leader is the week's material; the same by a member is a misplaced hand-in."""
    config = folder_config()
    commit(repo, "장서진", kst(2022, 4, 6), {"1주차/README.md": "# 1주차 문제 목록\n"})
    commit(repo, "구미진", kst(2022, 4, 12), {"1주차/풀이.md": "# 1주차 풀이 정리\n"})
    commit(repo, "낯선이", kst(2022, 4, 12), {"1주차/x.md": "# 누군가의 파일\n"})
    (notice,) = evidence_of(repo, config).warnings
    assert (notice.problem, notice.member, notice.detail) == (Problem.FOLDER_UNMATCHED, "구미진", "1주차/")


def test_work_another_member_handed_in_first_does_not_count_for_the_next(repo):
    """Content first in 구미진's folder, then (with a zero-width space) in 이은빈's: 이은빈 gets no submission."""
    config = folder_config()
    work = "# RNN\n\n순환 신경망은 이전 상태를 다음 입력과 함께 씁니다.\n"
    commit(repo, "구미진", kst(2022, 4, 11), {"1주차/구미진/rnn.md": work})
    commit(repo, "이은빈", kst(2022, 4, 12), {"1주차/이은빈/rnn.md": work.replace("RNN", "R\u200bNN")})
    evidence = evidence_of(repo, config)
    assert set(evidence.submissions) == {("구미진", 1)}
    (notice,) = evidence.warnings
    assert (notice.problem, notice.member, notice.other, notice.detail) == (
        Problem.FOLDER_MOVED, "이은빈", "구미진", "1주차/이은빈/rnn.md")
    korean, english = sentences(notice)
    assert "구미진 님이 먼저 낸 파일과 내용이 같아서 이은빈 님의 제출로 보지 않았습니다" in korean
    assert "has the same content as a file 구미진 handed in earlier" in english


def test_a_leader_moving_a_misplaced_file_to_its_author_credits_the_author(repo):
    """구미진 uploads into 이은빈's folder by mistake (told); the leader moves it to 구미진's: it counts for her."""
    config = folder_config()
    work = "# 구미진의 RNN 정리\n\n순환 신경망의 기울기 소실을 정리했습니다.\n"
    commit(repo, "구미진", kst(2022, 4, 11), {"1주차/이은빈/rnn.md": work})
    commit(repo, "장서진", kst(2022, 4, 12), {"1주차/이은빈/rnn.md": None, "1주차/구미진/rnn.md": work})
    evidence = evidence_of(repo, config)
    assert set(evidence.submissions) == {("구미진", 1)}
    assert [notice.problem for notice in evidence.warnings] == [Problem.FOLDER_FOREIGN]


def test_an_invisible_edit_of_someone_elses_file_does_not_make_it_ones_own(repo):
    """이은빈 puts work in 구미진's folder; 구미진 adds only a no-break space: still not her hand-in."""
    config = folder_config()
    commit(repo, "이은빈", kst(2022, 4, 11), {"1주차/구미진/a.md": "대신 쓴 과제\n"})
    commit(repo, "구미진", kst(2022, 4, 12), {"1주차/구미진/a.md": "대신 쓴\u00a0과제\n"})
    assert evidence_of(repo, config).submissions == {}


def test_a_week_outside_the_term_is_neither_read_nor_told(repo):
    """`0주차/` (the orientation) holds no graded week: no submission and no warning."""
    config = folder_config()
    commit(repo, "구미진", kst(2022, 4, 1), {"0주차/구미진/소개.md": "# 자기소개와 스터디 목표\n"})
    evidence = evidence_of(repo, config)
    assert (evidence.submissions, evidence.warnings) == ({}, [])


def test_an_unknown_author_is_named_by_address_for_folders_too(repo):
    """A commit by an address no member has: not counted in 구미진's folder, and the address is told."""
    config = folder_config()
    commit(repo, "낯선이", kst(2022, 4, 11), {"1주차/구미진/a.md": "# 누군가 올린 풀이\n", "구미진/b.md": "# 메모 메모 메모\n"})
    evidence = evidence_of(repo, config)
    assert evidence.submissions == {}
    assert {(notice.problem, notice.detail, notice.other) for notice in evidence.warnings} == {
        (Problem.UNKNOWN_AUTHOR, "stranger@example.com", ""),
        (Problem.FOLDER_OUTSIDE, "구미진/", "<stranger@example.com>"),
    }


# ---- which of a commit's dates counts (submissions.timing) ---------------------------------------


def _rebased(repo: Repository, config: StudyConfig) -> None:
    """구미진 wrote her link on Tue 04-12; a rebase a week later moved only its committer date."""
    commit(repo, "장서진", kst(2022, 4, 6), {"README.md": table()})
    repo.commit({"README.md": table({(1, "구미진"): "https://a.example/1"})}, "1주차", author="구미진",
                email=EMAIL["구미진"], when=kst(2022, 4, 12, 20), committed=kst(2022, 4, 19, 10))


@pytest.mark.parametrize(
    ("timing", "at"),
    [("author-date", kst(2022, 4, 12, 20)), ("commit-date", kst(2022, 4, 19, 10)), ("authored", kst(2022, 4, 19, 10))],
)
def test_the_timing_picks_the_author_or_the_committer_date(repo, timing, at):
    """author-date keeps the moment she wrote it; commit-date (and authored, its old name) the rebase's."""
    config = parse_config(CONFIG.replace("submissions:\n", f"submissions:\n  timing: {timing}\n"))
    _rebased(repo, config)
    mijin = evidence_of(repo, config).submissions[("구미진", 1)]
    assert (mijin.at, mijin.trusted, mijin.actor) == (at, False, "구미진")


def test_author_date_times_folder_hand_ins_too(repo):
    """The folder's first real file counts at its author date under author-date."""
    config = parse_config(CONFIG.replace("submissions:\n", "submissions:\n  timing: author-date\n"))
    repo.commit({"1주차/구미진/notes.md": "# 노트"}, "notes", author="구미진", email=EMAIL["구미진"],
                when=kst(2022, 4, 12, 20), committed=kst(2022, 4, 19, 10))
    assert evidence_of(repo, config).submissions[("구미진", 1)].at == kst(2022, 4, 12, 20)


def test_a_commit_read_without_its_author_date_falls_back_to_the_commit_date():
    """A record that carries no author date (older readers) is timed by its committer date."""
    from studybot.core.history import commit_date_stamp
    from studybot.core.members import Roster
    from studybot.core.records import CommitInfo

    roster = Roster(parse_config(CONFIG))
    bare = CommitInfo("a" * 40, (), "구미진", EMAIL["구미진"], kst(2022, 4, 19))
    assert commit_date_stamp(roster, "author-date")(bare).at == kst(2022, 4, 19)
    dated = CommitInfo("a" * 40, (), "구미진", EMAIL["구미진"], kst(2022, 4, 19), kst(2022, 4, 12))
    assert commit_date_stamp(roster, "author-date")(dated).at == kst(2022, 4, 12)
    assert commit_date_stamp(roster)(dated).at == kst(2022, 4, 19)  # the study's default: landed → commit date
