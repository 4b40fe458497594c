"""The git reader (``shell/git.py``): what it hands the history replay."""

from __future__ import annotations

from helpers import kst

from studybot.shell.git import Repository


def test_a_row_line_changed_twice_is_held_once(tmp_path):
    """Each README change lists the row line it replaced and the one it wrote; the line a
    commit wrote and the next commit replaced is the same text, kept once (a long history of
    a 200-link row would otherwise hold every row twice)."""
    repo = Repository.create(tmp_path / "study")
    rows = ["| 1주차 | |", "| 1주차 | [구미진](https://a.example/1) |", "| 1주차 | [구미진](https://a.example/1) [장서진](https://b.example/1) |"]
    for day, row in enumerate(rows, 1):
        repo.commit({"README.md": f"| 주차 | 과제 |\n|---|---|\n{row}\n"}, "change", author="a", email="a@example.com", when=kst(2022, 4, day))
    _, second, third = repo.readme_patches("README.md")
    assert second.hunks[0].removed == (rows[0],) and second.hunks[0].added == (rows[1],)
    assert third.hunks[0].removed == (rows[1],) and third.hunks[0].added == (rows[2],)
    assert third.hunks[0].removed[0] is second.hunks[0].added[0]
