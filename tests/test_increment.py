"""The kept history replay: reused only when a full replay would give the very same evidence."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from helpers import FOLDERS_AND_BLOG, SMALL_STUDY, kst

from studybot.core.config import StudyConfig, parse_config
from studybot.core.evidence import BlogPost, Evidence, Notice, Problem, Source, Submission
from studybot.core.history import commit_date_stamp
from studybot.core.increment import (
    HistoryEvidence,
    NeedsHistory,
    Timing,
    decode,
    encode,
    remember_replay,
    replay_history,
    replay_key,
    stamps_digest,
)
from studybot.core.landing import land_commits, landed_stamp
from studybot.core.members import Roster
from studybot.core.records import CommitInfo, Hunk, PatchCommit, SideCommit
from studybot.core.schedule import build_schedule
from studybot.core.state import Push, Replay, SyncState
from studybot.core.world import GitRecords
from studybot.shell.git import Repository
from studybot.shell.read import _git_records

CONFIG = SMALL_STUDY + FOLDERS_AND_BLOG

NAMES = ["장서진", "구미진", "이은빈"]
LOGINS = {"장서진": "SEOJIN-Lab", "구미진": "mijinkoo", "이은빈": "binable43", "낯선이": "stranger"}
EMAIL = {"장서진": "SEOJIN-Lab@users.noreply.github.com", "구미진": "123+mijinkoo@users.noreply.github.com",
         "이은빈": "eunbin@example.com", "낯선이": "stranger@example.com"}
WEEKS = [1, 2, 3]


def readme(cells: dict[tuple[int, str], str], blog: dict[int, str], notes: list[str], tail: list[str]) -> str:
    rows = ["# Study", *notes, "", "|주차|과제|팀블로그|", "|:---:|---|:---:|"]
    for week in WEEKS:
        entries = " &nbsp; ".join(f"[{name}]({cells.get((week, name), '')})" for name in NAMES)
        rows.append(f"|{week}주차|{entries}|{blog.get(week, '')}|")
    return "\n".join([*rows, "", *tail, "끝"]) + "\n"


@pytest.fixture()
def config() -> StudyConfig:
    return parse_config(CONFIG)


class History:
    """A random study history in a real repository: links, blog posts, notes above and below the
    table, week-folder files (some blank), and edits elsewhere; each commit pushed a minute later."""

    def __init__(self, path, seed: int):
        self.rng = random.Random(seed)
        self.repo = Repository.create(path)
        self.cells: dict[tuple[int, str], str] = {}
        self.blog: dict[int, str] = {}
        self.notes: list[str] = []
        self.tail: list[str] = []
        self.heads: list[str] = []
        self.pushes: list[Push] = []
        self.when = kst(2022, 4, 6, 9)
        self.commit("장서진", {"README.md": self.text()})

    def text(self) -> str:
        return readme(self.cells, self.blog, self.notes, self.tail)

    def commit(self, by: str, files: dict[str, str | None]) -> str:
        self.when += dt.timedelta(hours=self.rng.randint(1, 60))
        before = self.heads[-1] if self.heads else "0" * 40
        sha = self.repo.commit(files, f"change by {by}", author=by, email=EMAIL[by], when=self.when)
        self.heads.append(sha)
        self.pushes.append(Push(before=before, after=sha, at=self.when + dt.timedelta(minutes=1), actor=LOGINS[by]))
        return sha

    def step(self) -> None:
        rng = self.rng
        member = rng.choice([*NAMES, "낯선이"])
        owner = rng.choice(NAMES)
        week = rng.choice(WEEKS)
        kind = rng.choice(["link", "link", "blog", "note", "note", "tail", "folder", "blank", "other"])
        if kind == "link":
            self.cells[(week, owner)] = rng.choice(["https://a.example/", "https://b.example/", "javascript:x"]) + str(week)
        elif kind == "blog":
            self.blog[week] = f"https://blog.example/{week}/{rng.randint(1, 3)}"
        elif kind == "note":
            if self.notes and rng.random() < 0.4:
                self.notes.pop(rng.randrange(len(self.notes)))
            else:
                self.notes.insert(rng.randint(0, len(self.notes)), f"- 공지 {rng.randint(1, 99)}")
        elif kind == "tail":
            self.tail.append(f"메모 {rng.randint(1, 99)}")
        elif kind in {"folder", "blank"}:
            content = "풀이\n" if kind == "folder" else ""
            self.commit(member, {f"{week}주차/{owner}/note{rng.randint(1, 3)}.md": content})
            return
        else:
            self.commit(member, {"etc/notes.md": f"{rng.random()}\n"})
            return
        self.commit(member, {"README.md": self.text()})


def records(config: StudyConfig, repo: Repository, head: str, since: str | None = None) -> GitRecords:
    return _git_records(config, repo, head, None, online=True, since=since)


def timing(config: StudyConfig, git: GitRecords, pushes: list[Push], first_seen=None) -> Timing:
    landing = land_commits(git.parents, git.head or "", pushes)
    first_seen = first_seen or {}
    return Timing(landed_stamp(Roster(config), landing, first_seen), landing, first_seen)


def key(config: StudyConfig) -> str:
    return replay_key(config, True, True)


def full(config: StudyConfig, repo: Repository, head: str, pushes: list[Push]):
    git = records(config, repo, head)
    return replay_history(config, git, timing(config, git, pushes), WEEKS, None, key(config))


def test_a_kept_replay_gives_what_a_full_replay_gives(tmp_path, config):
    """Property: on random histories, whenever the kept replay is reused over the commits after
    it, the evidence and the replay kept for the next run are exactly a full replay's; and it is
    reused whenever nothing after it touched the table or a week folder."""
    reused = refused = 0
    for seed in range(3):
        history = History(tmp_path / f"s{seed}", seed)
        for _ in range(14):
            history.step()
        heads = history.heads
        kept = {}
        for index, head in enumerate(heads):
            pushes = history.pushes[: index + 1]
            kept[index] = full(config, history.repo, head, pushes)
        for index in range(1, len(heads)):
            for start in sorted({index - 1, history.rng.randrange(index)}):
                git = records(config, history.repo, heads[index], since=heads[start])
                pushes = history.pushes[: index + 1]
                readme, folders, replay, whole = kept[index]
                try:
                    got = replay_history(config, git, timing(config, git, pushes), WEEKS, kept[start][2], key(config))
                except NeedsHistory:
                    refused += 1
                    assert git.readme_patches or git.folder_changes
                    continue
                reused += 1
                assert got == (readme, folders, replay, False)
                assert whole is True
    assert reused > 10 and refused > 10  # both ways were taken


def test_a_quiet_run_reads_no_change_and_reuses(tmp_path, config):
    """With the head the replay ended at, nothing is replayed: the kept evidence is the evidence."""
    history = History(tmp_path / "s", 7)
    for _ in range(8):
        history.step()
    head = history.heads[-1]
    readme, folders, replay, _ = full(config, history.repo, head, history.pushes)
    git = records(config, history.repo, head, since=head)
    assert git.readme_patches == () and git.folder_changes == ()
    got = replay_history(config, git, timing(config, git, history.pushes), WEEKS, replay, key(config))
    assert got == (readme, folders, replay, False)


def test_an_edit_above_the_table_moves_it_and_keeps_the_evidence(tmp_path, config):
    """A notice added above the table shifts the kept table's lines; the links keep their times."""
    history = History(tmp_path / "s", 1)
    history.cells[(1, "구미진")] = "https://a.example/1"
    before = history.commit("구미진", {"README.md": history.text()})
    kept = full(config, history.repo, before, history.pushes)[2]
    assert kept is not None and kept.span is not None
    history.notes += ["- 공지 하나", "- 공지 둘"]
    head = history.commit("장서진", {"README.md": history.text()})
    git = records(config, history.repo, head, since=before)
    readme, _, replay, whole = replay_history(config, git, timing(config, git, history.pushes), WEEKS, kept, key(config))
    assert whole is False and replay is not None
    assert replay.span == [kept.span[0] + 2, kept.span[1] + 2]
    assert readme.submissions[("구미진", 1)].at == history.pushes[1].at


def test_a_changed_config_or_a_retimed_commit_needs_the_whole_history(tmp_path, config):
    """The kept replay judged by another config, or an old commit that now counts at another
    time (a first sighting read since), cannot stand for this run's replay."""
    history = History(tmp_path / "s", 2)
    history.cells[(1, "이은빈")] = "https://e.example/1"
    sha = history.commit("이은빈", {"README.md": history.text()})
    git = records(config, history.repo, sha, since=sha)
    kept = full(config, history.repo, sha, history.pushes)[2]
    other = parse_config(CONFIG.replace("late: 3000", "late: 2000"))
    with pytest.raises(NeedsHistory):
        replay_history(config, git, timing(config, git, history.pushes), WEEKS, kept, key(other))
    earlier = {sha: kst(2022, 4, 1)}
    with pytest.raises(NeedsHistory):
        replay_history(config, git, timing(config, git, history.pushes, earlier), WEEKS, kept, key(config))
    with pytest.raises(NeedsHistory):  # nothing kept, or kept at another head
        replay_history(config, git, timing(config, git, history.pushes), WEEKS, None, key(config))
    with pytest.raises(NeedsHistory):
        moved = kept.model_copy(update={"head": history.heads[0]}) if kept else None
        replay_history(config, git, timing(config, git, history.pushes), WEEKS, moved, key(config))


def info(sha: str) -> CommitInfo:
    return CommitInfo(sha, (), "x", "x@example.com", kst(2022, 4, 6))


def patch(*hunks: tuple[int, int, int], merged: tuple[SideCommit, ...] = ()) -> PatchCommit:
    """Hunks as (old_start, old_count, new_count)."""
    return PatchCommit(info("p"), tuple(Hunk(start, old, start, new, ("x",) * old, ("y",) * new) for start, old, new in hunks), merged)


def no_folders() -> StudyConfig:
    return parse_config(CONFIG.replace("  folders: {enabled: true}", "  folders: {enabled: false}"))


def kept_at(config: StudyConfig, head: str, span: list[int] | None) -> Replay:
    return Replay(head=head, key=key(config), stamps="authored", span=span, evidence=encode(Evidence(), Evidence()))


@pytest.mark.parametrize(
    ("hunks", "span"),
    [
        ([(1, 1, 3)], [12, 17]),  # above the table, two lines longer: it moves down
        ([(30, 2, 0)], [10, 15]),  # below the line after the table: it stays
        ([(1, 2, 0), (40, 0, 1)], [8, 13]),  # both
        ([(10, 1, 1)], None),  # the line just before the header (the table is lines 11 to 15, 1-based)
        ([(12, 1, 1)], None),  # a row
        ([(15, 0, 1)], None),  # right after the last row
        ([(16, 1, 1)], None),  # the line after the table
    ],
)
def test_only_hunks_clear_of_the_table_are_carried_over(config, hunks, span):
    """The table at lines [10, 15): a hunk touching it, or a line next to it, is replayed."""
    git = GitRecords("h", {"h": ("s",), "s": ()}, readme_patches=(patch(*hunks),), since="s")
    stamp = commit_date_stamp(Roster(config))
    run = Timing(stamp, None, {})
    config = no_folders()
    kept = kept_at(config, "s", [10, 15])
    if span is None:
        with pytest.raises(NeedsHistory):
            replay_history(config, git, run, WEEKS, kept, key(config))
        return
    _, _, replay, whole = replay_history(config, git, run, WEEKS, kept, key(config))
    assert whole is False and replay is not None and replay.span == span and replay.head == "h"


def test_a_merge_or_a_missing_table_is_replayed(config):
    """A merged side brings its own commits' links, and a README with no table may grow one."""
    config = no_folders()
    run = Timing(commit_date_stamp(Roster(config)), None, {})
    side = SideCommit(info("side"), "text", ("before",))
    merged = GitRecords("h", {"h": ("s",), "s": ()}, readme_patches=(patch((30, 1, 1), merged=(side,)),), since="s")
    with pytest.raises(NeedsHistory):
        replay_history(config, merged, run, WEEKS, kept_at(config, "s", [10, 15]), key(config))
    plain = GitRecords("h", {"h": ("s",), "s": ()}, readme_patches=(patch((30, 1, 1)),), since="s")
    with pytest.raises(NeedsHistory):
        replay_history(config, plain, run, WEEKS, kept_at(config, "s", None), key(config))


def test_with_the_readme_off_only_the_folders_count(tmp_path):
    """A study handing in by folders alone: README edits never force a replay, a folder file does."""
    config = parse_config(CONFIG.replace("  folders: {enabled: true}", "  folders: {enabled: true}\n  readme: {enabled: false}"))
    history = History(tmp_path / "s", 3)
    first = history.heads[-1]
    readme, folders, kept, _ = full(config, history.repo, first, history.pushes)
    assert kept is not None and kept.span is None and readme == Evidence()
    history.notes.append("- 공지")
    second = history.commit("장서진", {"README.md": history.text()})
    git = records(config, history.repo, second, since=first)
    got = replay_history(config, git, timing(config, git, history.pushes), WEEKS, kept, key(config))
    assert got[0] == readme and got[1] == folders and got[3] is False
    third = history.commit("구미진", {"1주차/구미진/풀이.md": "답\n"})
    git = records(config, history.repo, third, since=first)
    with pytest.raises(NeedsHistory):
        replay_history(config, git, timing(config, git, history.pushes), WEEKS, kept, key(config))


def test_no_head_or_an_offline_run_keeps_nothing(tmp_path, config):
    """An empty checkout has nothing to replay and nothing to keep; an offline run (``report``)
    saves no ledger, so it makes no replay to keep, and judges the same."""
    run = Timing(commit_date_stamp(Roster(config)), None, {})
    readme, folders, replay, whole = replay_history(config, GitRecords(None), run, WEEKS, None, key(config))
    assert (readme, folders, replay, whole) == (Evidence(), Evidence(), None, True)
    history = History(tmp_path / "s", 4)
    for _ in range(5):
        history.step()
    git = records(config, history.repo, history.heads[-1])
    online = replay_history(config, git, timing(config, git, history.pushes), WEEKS, None, key(config))
    offline = replay_history(config, git, timing(config, git, history.pushes), WEEKS, None, key(config), keep=False)
    assert online[2] is not None and offline == (online[0], online[1], None, True)


def test_the_kept_evidence_reads_back_exactly():
    """Submissions, blog posts and warnings (with and without times) survive the ledger's one line."""
    at = dt.datetime(2022, 4, 12, 23, 50, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    readme = Evidence()
    readme.add(Submission("구미진", 1, Source.README, "https://a.example/1", at, True, "구미진", "abc"))
    readme.add(Submission("이은빈", 2, Source.README, "https://b.example/2", at, False, None, ""))
    readme.blog[1] = BlogPost(1, "https://blog.example/1", at)
    readme.blog[2] = BlogPost(2, "https://blog.example/2", None)
    readme.warn(Notice(Problem.LINK_REPLACED, 1, "구미진", "https://a.example/2", "def", other="https://a.example/1", at=at))
    readme.warn(Notice(Problem.NO_TABLE, detail="주차 | 과제"))
    folders = Evidence()
    folders.add(Submission("장서진", 3, Source.FOLDER, "3주차/장서진/", at, True, "장서진", "fff"))
    back = decode(encode(readme, folders))
    assert back == (readme, folders)
    assert [notice.at for notice in back[0].warnings] == [at, None]
    assert back[0].submissions[("구미진", 1)].at.utcoffset() == dt.timedelta(hours=9)


def test_the_replay_is_kept_only_when_it_changed(config):
    """Bookkeeping: the sync state takes the run's replay, and stays the same object when nothing changed."""
    kept = kept_at(config, "h", [1, 2])
    sync = SyncState()
    assert remember_replay(sync, Evidence()) is sync
    taken = remember_replay(sync, HistoryEvidence(kept=kept))
    assert taken.replay == kept
    assert remember_replay(taken, HistoryEvidence(kept=kept)) is taken


def test_stamps_follow_landings_and_sightings(config):
    """The digest changes when an old commit would count at another time or as another pusher."""
    parents = {"b": ("a",), "a": ()}
    schedule = build_schedule(config)
    assert schedule.weeks  # the config is the one the study runs by
    pushes = [Push(before="0" * 40, after="a", at=kst(2022, 4, 6), actor="mijinkoo")]
    landing = land_commits(parents, "b", pushes)
    plain = stamps_digest(parents, "a", landing, {})
    assert stamps_digest(parents, "a", landing, {"a": kst(2022, 4, 7)}) != plain
    other = land_commits(parents, "b", [pushes[0].model_copy(update={"actor": "binable43"})])
    assert stamps_digest(parents, "a", other, {}) != plain
    assert stamps_digest(parents, "a", landing, {"b": kst(2022, 4, 7)}) == plain  # b is not up to a
    assert stamps_digest(parents, "a", None, {}) == "authored"


def test_the_replay_finds_what_the_readme_history_finds(tmp_path, config):
    """The replay a run keeps takes the README's evidence exactly as ``readme_evidence`` replays it."""
    from studybot.core.history import readme_evidence

    history = History(tmp_path / "s", 5)
    for _ in range(10):
        history.step()
    history.cells[(2, "이은빈")] = "https://e.example/2"
    history.commit("이은빈", {"README.md": history.text()})
    git = records(config, history.repo, history.heads[-1])
    run = timing(config, git, history.pushes)
    readme, _, _, _ = replay_history(config, git, run, WEEKS, None, key(config))
    assert readme == readme_evidence(config, git.readme_patches, run.stamp)
    assert readme.submissions[("이은빈", 2)].url == "https://e.example/2"


def test_the_table_notices_are_kept_while_the_readme_as_members_wrote_it_stands():
    """The notices of the current table are reused when only the bot's regions changed, and read again otherwise."""
    from studybot.core.evidence import Notice, Problem
    from studybot.core.increment import kept_notices, rendered_into, with_notices
    from studybot.core.regions import replace_region

    readme = "# Study\n\n|주차|과제|\n|---|---|\n|1주차|[장서진]()|\n"
    notice = Notice(Problem.UNKNOWN_NAME, 1, detail="낯선이")
    replay = Replay(head="c1", key="k", stamps="s", evidence=encode(Evidence(), Evidence()))
    assert kept_notices(None, "k", readme) is None and kept_notices(replay, "k", readme) is None  # nothing kept yet
    kept = with_notices(replay, readme, [notice])
    assert kept_notices(kept, "k", readme) == [notice]
    assert kept_notices(kept, "other config", readme) is None
    assert kept_notices(kept, "k", readme.replace("장서진", "구미진")) is None
    committed = replace_region(readme, "fines", "| 이름 | 벌금 |")  # the bot's commit adds its regions
    assert kept_notices(kept, "k", committed) is None
    assert kept_notices(rendered_into(kept, committed), "k", replace_region(committed, "fines", "| 이름 | 벌금 |\n| 장서진 | 0원 |")) == [notice]
    assert rendered_into(None, committed) is None and rendered_into(replay, committed) == replay
