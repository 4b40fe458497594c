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
