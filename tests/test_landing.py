"""Trusted time: each commit counts when the push or merge that brought it reached the branch."""

from __future__ import annotations

import datetime as dt

from helpers import kst

from studybot.core.config import parse_config
from studybot.core.landing import land_commits, landed_stamp, pushes_of
from studybot.core.members import Roster
from studybot.core.records import Activity, CommitInfo
from studybot.core.state import Push

#   a ← b ← c ← m (merge of side branch x ← y, forked at b) ← d
PARENTS = {
    "a": (), "b": ("a",), "c": ("b",), "x": ("b",), "y": ("x",), "m": ("c", "y"), "d": ("m",),
}


def push(before: str, after: str, at: dt.datetime, actor: str = "SEOJIN-Lab") -> Push:
    return Push(before=before, after=after, at=at, actor=actor)


def test_commits_land_with_the_push_that_brought_them():
    """Every commit of a push gets the push's server time; side-branch commits the merge's."""
    pushes = [
        push("0" * 40, "b", kst(2022, 4, 7)),
        push("b", "c", kst(2022, 4, 8), "mijinkoo"),
        push("c", "m", kst(2022, 4, 13, 9), "SEOJIN-Lab"),
        push("m", "d", kst(2022, 4, 14)),
    ]
    landed = land_commits(PARENTS, "d", pushes)
    assert landed["a"].at == landed["b"].at == kst(2022, 4, 7)
    assert landed["c"].at == kst(2022, 4, 8) and landed["c"].actor == "mijinkoo"
    assert landed["x"].at == landed["y"].at == landed["m"].at == kst(2022, 4, 13, 9)
    assert landed["d"].at == kst(2022, 4, 14)


def test_history_older_than_the_activity_log_is_unknown():
    """Commits before the oldest push the API still lists have no landing."""
    landed = land_commits(PARENTS, "d", [push("m", "d", kst(2022, 4, 14))])
    assert set(landed) == {"d"}


def test_a_later_push_of_the_same_tip_does_not_move_the_time():
    """If the same commit becomes the tip twice (a revert and re-push), the first push counts."""
    landed = land_commits(PARENTS, "c", [push("b", "c", kst(2022, 4, 8)), push("c", "c", kst(2022, 4, 20))])
    assert landed["c"].at == kst(2022, 4, 8)


def test_stamp_prefers_server_time_then_first_sight_then_commit_date():
    """A back-dated commit counts at its push; without a push, at first sight; else untrusted."""
    config = parse_config(
        "study: {name: T}\nschedule: {weeks: 1, first_deadline: 2022-04-13 00:00}\n"
        "fines: {late: 1, absent: 2}\nmembers: [{name: 구미진, github: mijinkoo}]\n"
    )
    roster = Roster(config)
    dated = kst(2022, 4, 10)
    commits = {sha: CommitInfo(sha, (), "mijinkoo", "mijinkoo@users.noreply.github.com", dated) for sha in "abc"}
    landed = land_commits({"a": (), "b": ("a",), "c": ("b",)}, "c", [push("b", "c", kst(2022, 4, 13, 9), "mijinkoo")])
    stamp = landed_stamp(roster, landed, {"b": kst(2022, 4, 12)})
    assert stamp(commits["c"]).at == kst(2022, 4, 13, 9) and stamp(commits["c"]).trusted
    assert stamp(commits["c"]).actor == "구미진"
    assert stamp(commits["b"]).at == kst(2022, 4, 12) and stamp(commits["b"]).trusted
    assert stamp(commits["a"]).at == dated and not stamp(commits["a"]).trusted


def test_only_ref_moves_become_pushes():
    """Branch deletions and zero SHAs from the activity log are not pushes."""
    items = [
        Activity(1, "push", "refs/heads/main", "a", "b", "x", kst(2022, 4, 1)),
        Activity(2, "branch_deletion", "refs/heads/main", "b", "0" * 40, "x", kst(2022, 4, 2)),
        Activity(3, "pr_merge", "refs/heads/main", "b", "c", "y", kst(2022, 4, 3)),
    ]
    assert [(p.before, p.after, p.actor) for p in pushes_of(items)] == [("a", "b", "x"), ("b", "c", "y")]


def test_a_commit_force_pushed_away_and_back_counts_at_its_return():
    """c pushed, then the branch forced back to b, then c brought back: c counts at the return."""
    pushes = [push("a", "b", kst(2022, 4, 7)), push("b", "c", kst(2022, 4, 12, 23, 50), "mijinkoo"),
              push("c", "b", kst(2022, 4, 12, 23, 51), "mijinkoo"), push("b", "c", kst(2022, 4, 13, 10), "mijinkoo")]
    landed = land_commits(PARENTS, "c", pushes)
    assert landed["c"].at == kst(2022, 4, 13, 10) and landed["b"].at == kst(2022, 4, 7)


def test_a_push_that_leaves_the_old_tip_off_the_chain_is_a_rewrite():
    """Moving the branch from c to y (a side line) takes c off the chain: one rewrite; fast-forwards are none."""
    from studybot.core.landing import replay

    pushes = [push("a", "b", kst(2022, 4, 7)), push("b", "c", kst(2022, 4, 8)), push("c", "y", kst(2022, 4, 9), "mijinkoo")]
    landed, rewritten = replay(PARENTS, pushes)
    assert rewritten == [pushes[2]] and "c" not in landed and landed["y"].actor == "mijinkoo"


# ---- merges and squashes: reachability, not the first-parent chain ---------------------------

#   b ← g (구미진's local commit) ← m (her `git pull` merge: first parent g, second s)
#   b ← s (문수인's push at 23:59:59)
PULL = {"a": (), "b": ("a",), "g": ("b",), "s": ("b",), "m": ("g", "s")}


def test_a_pull_merge_keeps_the_push_of_the_tip_it_merged():
    """s pushed at 23:59:59 stays 문수인's and on time when 구미진's merge (first parent g) goes up at 00:00:30."""
    from studybot.core.landing import replay

    pushes = [push("a", "b", kst(2022, 4, 7)), push("b", "s", kst(2022, 4, 12, 23, 59, 59), "m0oon0"),
              push("s", "m", kst(2022, 4, 13, 0, 0, 30), "mijinkoo")]
    landed, rewritten = replay(PULL, pushes)
    assert (landed["s"].at, landed["s"].actor) == (kst(2022, 4, 12, 23, 59, 59), "m0oon0")
    assert (landed["g"].at, landed["g"].actor) == (kst(2022, 4, 13, 0, 0, 30), "mijinkoo") == (landed["m"].at, landed["m"].actor)
    assert rewritten == [] and land_commits(PULL, "m", pushes) == landed


def test_a_push_from_a_tip_the_checkout_lacks_is_a_rewrite():
    """The branch moved off a commit no longer in the checkout (a squash): a rewrite, whatever the log calls it."""
    from studybot.core.landing import replay

    pushes = [push("a", "b", kst(2022, 4, 7)), push("b", "h", kst(2022, 4, 13, 0, 20), "shining-arrow"),
              push("h", "g", kst(2022, 4, 13, 9), "mijinkoo")]
    landed, rewritten = replay(PULL, pushes)
    assert rewritten == [pushes[2]] and landed["g"].actor == "mijinkoo"


def test_a_gap_in_the_log_is_judged_by_walking_the_new_tip():
    """A push whose before is not the last tip read: a rewrite only if its after no longer reaches its before."""
    from studybot.core.landing import replay

    pushes = [push("a", "b", kst(2022, 4, 7)), push("g", "m", kst(2022, 4, 13)), push("s", "g", kst(2022, 4, 14))]
    _, rewritten = replay(PULL, pushes)
    assert rewritten == [pushes[2]]  # g does not reach s; m reaches g


def test_the_first_push_from_an_unknown_commit_starts_the_replay_blind():
    """Nothing is known before a first push from outside the checkout; it alone is told as a rewrite."""
    from studybot.core.landing import replay

    landed, rewritten = replay(PULL, [push("z", "b", kst(2022, 4, 7)), push("b", "s", kst(2022, 4, 8))])
    assert set(landed) == {"a", "b", "s"} and landed["a"].at == kst(2022, 4, 7)
    assert [(p.before, p.after) for p in rewritten] == [("z", "b")]


def test_a_squash_that_took_a_members_push_off_names_her_and_the_squasher():
    """한현경's push h is gone from the checkout after 구미진's force-push of g: one warning naming both, with h's time."""
    from studybot.core.evidence import Problem
    from studybot.core.landing import dropped_pushes, rewrites

    items = [
        Activity(1, "push", "refs/heads/main", "a", "b", "SEOJIN-Lab", kst(2022, 4, 7)),
        Activity(2, "push", "refs/heads/main", "b", "h", "shining-arrow", kst(2022, 4, 13, 0, 20)),
        Activity(3, "push", "refs/heads/main", "h", "k", "mijinkoo", kst(2022, 4, 13, 0, 30)),
        Activity(4, "push", "refs/heads/main", "k", "x", "github-actions[bot]", kst(2022, 4, 13, 0, 40)),
        Activity(5, "force_push", "refs/heads/main", "x", "g", "mijinkoo", kst(2022, 4, 13, 9)),
    ]
    (notice,) = dropped_pushes(PULL, items)  # her own k and the bot's x are not listed
    assert (notice.problem, notice.detail, notice.other, notice.ref, notice.at) == (
        Problem.DROPPED_PUSH, "mijinkoo", "shining-arrow", "h", kst(2022, 4, 13, 0, 20))
    assert notice in rewrites(PULL, items)
    assert dropped_pushes(PULL, items[:3]) == []  # not taken off yet: nobody to name


def test_merged_sides_are_the_commits_each_merge_brought_parents_first():
    """For each merge on the chain, the side commits no earlier chain commit reached, each after its parents."""
    from studybot.core.landing import merged_sides

    parents = {**PARENTS, "z": ("d",), "w": ("x",), "n": ("z", "w")}
    assert merged_sides(parents, "n", {"m", "n"}) == {"m": ["x", "y"], "n": ["w"]}
    assert merged_sides(parents, "n", {"n"}) == {"n": ["w"]}
