"""The read stage on a real checkout: the files a run needs, and who changed them."""

from __future__ import annotations

from helpers import kst

from studybot.core.config import parse_config
from studybot.core.landing import file_pushes
from studybot.core.state import Push
from studybot.shell.demo import example_file
from studybot.shell.git import Repository
from studybot.shell.read import open_checkout, read_world


def test_the_world_holds_the_config_and_the_commits_that_changed_it(tmp_path):
    """The config's text and each change of README and config are read, and map to their pushes."""
    text = example_file("study.yml")
    config = parse_config(text)
    repository = Repository.create(tmp_path)
    first = repository.commit({"README.md": "# Study\n", "config/study.yml": text}, "start", "SEOJIN-Lab",
                              "SEOJIN-Lab@users.noreply.github.com", kst(2022, 4, 1))
    edited = repository.commit({"config/study.yml": text.replace("late: 3000", "late: 0")}, "fines", "mijinkoo",
                               "mijinkoo@users.noreply.github.com", kst(2022, 4, 2))
    world = read_world(config, open_checkout(tmp_path), config_path="config/study.yml")
    assert "late: 0" in (world.text("config/study.yml") or "")
    assert world.git.changes["config/study.yml"] == (edited, first)
    assert world.git.changes["README.md"] == (first,)
    pushes = [Push(before="0" * 40, after=first, at=kst(2022, 4, 1, 9), actor="SEOJIN-Lab"),
              Push(before=first, after=edited, at=kst(2022, 4, 2, 9), actor="mijinkoo")]
    landed = file_pushes(world.git.changes["config/study.yml"], world.git.parents, edited, pushes)
    assert [(landing.actor, landing.at) for landing in landed if landing] == [
        ("mijinkoo", kst(2022, 4, 2, 9)), ("SEOJIN-Lab", kst(2022, 4, 1, 9)),
    ]


def test_several_files_are_read_at_once_as_show_reads_them_one_by_one(tmp_path):
    """Present, missing, folder and non-UTF-8 paths read in one batch give what reading each alone gives."""
    repository = Repository.create(tmp_path)
    head = repository.commit(
        {"README.md": "# 스터디\n", "a b/notes.md": "spaces in the path\n", "bin.txt": b"\xff\xfe ok\n"},
        "files", "SEOJIN-Lab", "SEOJIN-Lab@users.noreply.github.com", kst(2022, 4, 1),
    )
    paths = ["README.md", "a b/notes.md", "bin.txt", "missing.md", "a b", "CODEOWNERS"]
    batch = repository.show_many(head, paths)
    assert batch == {path: repository.show(head, path) for path in paths if path != "a b"} | {"a b": None}
    assert batch["README.md"] == "# 스터디\n" and batch["missing.md"] is None


def test_only_the_commits_after_the_kept_replay_are_read_when_it_can_stand(tmp_path):
    """On GitHub, from the cursors, with the ledger at the head: the README and folder changes
    after the kept replay's head. A rewrite that took that head away, a merge after it, a
    recheck, a restored ledger or a run asking for the whole history read it all."""
    from studybot.core.state import Replay, State
    from studybot.core.world import ReadRequest
    from studybot.shell.read import _replayed_at

    def who(when):
        return {"author": "SEOJIN-Lab", "email": "SEOJIN-Lab@users.noreply.github.com", "when": when}

    repository = Repository.create(tmp_path)
    first = repository.commit({"README.md": "# a\n"}, "one", **who(kst(2022, 4, 1)))
    second = repository.commit({"README.md": "# b\n"}, "two", **who(kst(2022, 4, 2)))
    state = State().with_sync(replay=Replay(head=first, key="k", stamps="s", evidence=""))
    assert _replayed_at(repository.parents(second), state, ReadRequest(), online=True) == first
    assert _replayed_at(repository.parents(second), state, ReadRequest(), online=False) is None
    assert _replayed_at(repository.parents(second), State(), ReadRequest(), online=True) is None
    for request in (ReadRequest(from_start=True), ReadRequest(full_history=True), ReadRequest(ledger_at="abc")):
        assert _replayed_at(repository.parents(second), state, request, online=True) is None
    gone = state.with_sync(replay=Replay(head="f" * 40, key="k", stamps="s", evidence=""))
    assert _replayed_at(repository.parents(second), gone, ReadRequest(), online=True) is None
    side = repository._run("commit-tree", repository.tree_of(first), "-p", first, "-m", "side").decode().strip()
    merge = repository._run("commit-tree", repository.tree_of(second), "-p", second, "-p", side, "-m", "merge").decode().strip()
    assert _replayed_at(repository.parents(merge), state, ReadRequest(), online=True) is None


def test_the_readme_patches_arrive_while_the_run_reads_them_and_every_reader_gets_them_all(tmp_path):
    """git writes the README's patches while the history is replayed: a reader who stops early,
    a second reader and a count all see the same patches, in order."""
    config = parse_config(example_file("study.yml"))
    repository = Repository.create(tmp_path)
    shas = [
        repository.commit({"README.md": f"# Study\n\n{index}\n"}, f"c{index}", "SEOJIN-Lab",
                          "SEOJIN-Lab@users.noreply.github.com", kst(2022, 4, 1 + index))
        for index in range(4)
    ]
    patches = read_world(config, open_checkout(tmp_path)).git.readme_patches
    assert next(iter(patches)).commit.sha == shas[0]
    assert patches[1].commit.sha == shas[1] and bool(patches)
    assert [patch.commit.sha for patch in patches] == shas
    assert len(patches) == 4 and patches[-1].commit.sha == shas[-1]
    assert [patch.commit.sha for patch in patches[1:3]] == shas[1:3]
    assert patches == tuple(repository.readme_patches("README.md"))


def test_a_failure_while_streaming_is_raised_to_every_later_reader_not_read_as_a_short_history():
    """A reader after a failed one must not take the patches read so far for the whole history."""
    import pytest

    from studybot.shell.read import Streamed

    def failing():
        yield 1
        yield 2
        raise OSError("the pipe broke")

    items = Streamed(failing())
    assert items[0] == 1
    with pytest.raises(OSError):
        list(items)
    with pytest.raises(OSError):
        len(items)
    assert Streamed(iter(())) == () and not Streamed(iter(())) and Streamed(iter([1])) != "1"
