"""The folder pattern language: which paths are whose week folder, and which look like one but are not."""

from __future__ import annotations

import pytest

from studybot.core.config import Member
from studybot.core.folders import (
    FolderMatch,
    FolderRules,
    Listed,
    Stray,
    StrayKind,
    folder_listing,
    pattern_problem,
    stated_weeks,
    visible,
)

MEMBERS = [
    Member(name="장서진", github="SEOJIN-Lab", maintainer=True),
    Member(name="구미진", github="mijinkoo"),
    Member(name="Sophia Kim", github="sophia-k"),
    Member(name="한현경"),  # no GitHub login: read by name only
]


def rules(*patterns: str) -> FolderRules:
    return FolderRules(patterns, MEMBERS)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        # the seed's form, unchanged
        ("{week}주차/{name}/", "3주차/장서진/a.md", ("장서진", (3,), "3주차/장서진/")),
        # a topic after the week
        ("{week}주차*/{name}/", "1주차 분할정복-거듭제곱/장서진/pow.py", ("장서진", (1,), "1주차 분할정복-거듭제곱/장서진/")),
        ("{week}주차*/{name}/", "6주차/장서진/a.py", ("장서진", (6,), "6주차/장서진/")),
        # zero padding
        ("{week}주차/{name}/", "01주차/구미진/a.md", ("구미진", (1,), "01주차/구미진/")),
        ("week{week}/{name}/", "week03/구미진/a.md", ("구미진", (3,), "week03/구미진/")),
        # week{N}, week_{N}, Week {N}; literal text without case
        ("week{week}/{name}/", "Week1/구미진/a.md", ("구미진", (1,), "Week1/구미진/")),
        ("week_{week}/{name}/", "week_11/구미진/a.md", ("구미진", (11,), "week_11/구미진/")),
        ("Week {week}/{name}/", "week 2/구미진/a.md", ("구미진", (2,), "week 2/구미진/")),
        # a login or a name, without case; {login} and {github} are the same field
        ("{week}주차/{name}/", "2주차/seojin-lab/a.md", ("장서진", (2,), "2주차/seojin-lab/")),
        ("{week}주차/{login}/", "2주차/MIJINKOO/a.md", ("구미진", (2,), "2주차/MIJINKOO/")),
        ("{week}주차/{github}/", "2주차/sophia kim/a.md", ("Sophia Kim", (2,), "2주차/sophia kim/")),
        # the member first
        ("{name}/{week}주차/", "mijinkoo/4주차/notes.md", ("구미진", (4,), "mijinkoo/4주차/")),
        # one folder for two weeks: the level repeated with a comma, or a range
        ("{week}주차/{name}/", "3주차,4주차/구미진/a.md", ("구미진", (3, 4), "3주차,4주차/구미진/")),
        ("{week}주차/{name}/", "3-4주차/구미진/a.md", ("구미진", (3, 4), "3-4주차/구미진/")),
        ("{week}주차*/{name}/", "3주차 트리, 4주차 그래프/구미진/a.md", ("구미진", (3, 4), "3주차 트리, 4주차 그래프/구미진/")),
        # deeper files count for the folder they are in
        ("{week}주차/{name}/", "2주차/구미진/src/main.py", ("구미진", (2,), "2주차/구미진/")),
        # the member inside a level with other text
        ("{week}주차/{name}_과제/", "2주차/구미진_과제/a.md", ("구미진", (2,), "2주차/구미진_과제/")),
        # a comma in a topic is no second week
        ("{week}주차*/{name}/", "3주차 BFS, DFS/한현경/a.md", ("한현경", (3,), "3주차 BFS, DFS/한현경/")),
    ],
)
def test_each_pattern_form_reads_its_folders(pattern, path, expected):
    assert rules(pattern).match(path) == FolderMatch(*expected)


def test_names_are_read_in_nfc_and_without_format_characters():
    """A name typed on macOS (NFD) or with a zero-width space in it is the same member."""
    import unicodedata

    assert rules("{week}주차/{name}/").match(unicodedata.normalize("NFD", "1주차/구미진/a.md")).member == "구미진"
    assert rules("{week}주차/{name}/").match("1주차/구미\u200b진/a.md").member == "구미진"


@pytest.mark.parametrize(
    "path",
    [
        "1주차/구미진",  # a file named like the folder, not inside it
        "1주차/모르는사람/a.md",  # no member
        "README.md",
        "1주차 분할정복/구미진/a.md",  # a topic the pattern has no * for
        "0-99주차/구미진/a.md",  # a range wider than a term is no range
        "4-3주차/구미진/a.md",  # nor one going backwards
        "3주차,4주차/구미진,장서진/a.md",  # two members in one folder
    ],
)
def test_paths_the_pattern_does_not_read(path):
    assert rules("{week}주차/{name}/").match(path) is None


def test_a_two_week_level_naming_two_members_reads_neither():
    """`3주차_구미진,4주차_이은빈` is no member's folder for both weeks."""
    assert rules("{week}주차_{name}/").match("3주차_구미진,4주차_장서진/a.md") is None
    assert rules("{week}주차_{name}/").match("3주차_구미진,4주차_구미진/a.md") == FolderMatch(
        "구미진", (3, 4), "3주차_구미진,4주차_구미진/")


def test_several_patterns_read_either_form_and_the_first_match_wins():
    """A naming switch mid-term: week1/ … week10/, then week_11/."""
    both = rules("week{week}/{name}/", "week_{week}/{name}/")
    assert both.match("week10/구미진/a.md") == FolderMatch("구미진", (10,), "week10/구미진/")
    assert both.match("week_11/구미진/a.md") == FolderMatch("구미진", (11,), "week_11/구미진/")
    assert rules("week{week}/{name}/").match("week_11/구미진/a.md") is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # a member's own folder, outside any week folder
        ("sophia-k/notes.md", Stray(StrayKind.OUTSIDE, "sophia-k/", "Sophia Kim", ())),
        ("notes/구미진/a.md", Stray(StrayKind.OUTSIDE, "notes/구미진/", "구미진", ())),
        # a folder naming a week that the pattern does not read
        ("week_11/구미진/a.md", Stray(StrayKind.UNMATCHED, "week_11/구미진/", "구미진", (11,))),
        ("1주차 분할정복/구미진/a.md", Stray(StrayKind.UNMATCHED, "1주차 분할정복/구미진/", "구미진", (1,))),
        ("1주차 분할정복/README.md", Stray(StrayKind.UNMATCHED, "1주차 분할정복/", None, (1,))),
        ("3주차,4주차/구미진/a.md", Stray(StrayKind.UNMATCHED, "3주차,4주차/구미진/", "구미진", (3, 4))),
        # nothing like a hand-in
        ("README.md", None),
        ("docs/guide.md", None),
        (".github/workflows/studybot.yml", None),
        (".studybot/구미진/x", None),
    ],
)
def test_what_a_path_the_patterns_miss_looks_like(path, expected):
    assert rules("week{week}/{name}/").stray(path) == expected


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("[4주차/sophia-k]", (4,)),
        ("2주차 민수 (지각)", (2,)),
        ("week_11 upload", (11,)),
        ("Week 3 and week4", (3, 4)),
        ("3-4주차 정리", (3, 4)),
        ("3주차,4주차", (3, 4)),
        ("sagemaker 정리", ()),
        ("weekly notes", ()),
    ],
)
def test_the_week_a_folder_name_or_commit_message_states(text, weeks):
    assert stated_weeks(text) == weeks


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{week}주차/{name}/", None),
        ("{week}주차*/{login}/", None),
        ("{name}/{week}주차/", None),
        ("{week}주차/{name}", "config.folder_slash"),
        ("{week}주차//{name}/", "config.folder_level"),
        ("/{week}주차/{name}/", "config.folder_level"),
        ("../{week}주차/{name}/", "config.folder_level"),
        ("과제/{name}/", "config.folder_week"),
        ("{week}주차/", "config.folder_member"),
        ("{week}주차/{week}/{name}/", "config.folder_twice"),
        ("{week}주차/{name}/{login}/", "config.folder_twice"),
    ],
)
def test_pattern_problems(pattern, problem):
    found = pattern_problem(pattern)
    assert (found[0] if found else None) == problem


def test_visible_drops_unicode_whitespace_format_characters_and_hangul_fillers():
    assert visible("\u3000\u00a0\u200b\ufeff\u3164 \t\n") == ""
    assert visible("과\u200b제") == "과제"


def test_the_folder_listing_says_which_folders_are_read_and_which_are_not():
    """check --repo-path: each folder once, read (member, weeks), outside a graded week, or not read."""
    paths = [
        "README.md",
        "week1/구미진/a.md",
        "week1/구미진/b.md",
        "week0/구미진/intro.md",
        "week_11/구미진/a.md",
        "sophia-k/notes.md",
    ]
    assert folder_listing(rules("week{week}/{name}/"), paths, range(1, 12)) == [
        Listed("sophia-k/", "Sophia Kim", (), "outside"),
        Listed("week0/구미진/", "구미진", (0,), "ungraded"),
        Listed("week1/구미진/", "구미진", (1,), "read"),
        Listed("week_11/구미진/", "구미진", (11,), "unmatched"),
    ]


def test_the_bot_points_members_to_the_first_pattern_without_its_topic():
    assert rules("{week}주차*/{name}/", "week_{week}/{name}/").folder_of(3, "구미진", "mijinkoo") == "3주차/구미진/"
    assert rules("week{week}/{login}/").folder_of(3, "구미진", "mijinkoo") == "week3/mijinkoo/"
