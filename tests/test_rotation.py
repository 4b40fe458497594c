"""The team-blog rotation: round-robin, leavers skipped, swaps, past weeks fixed."""

from __future__ import annotations

from studybot.core.config import Member
from studybot.core.rotation import assign_blog

ORDER = ["이은빈", "문수인", "한현경", "장서진", "구미진"]
MEMBERS = [Member(name=name) for name in ORDER]


def test_seed_rotation_matches_the_seed_readme():
    """The seed README's 팀블로그 column is exactly the round-robin of the configured order."""
    assigned = assign_blog(range(1, 13), ORDER, MEMBERS)
    seed_column = ["이은빈", "문수인", "한현경", "장서진", "구미진", "이은빈", "문수인", "한현경",
                   "장서진", "구미진", "이은빈", "문수인"]
    assert list(assigned.values()) == seed_column


def test_a_member_who_left_is_skipped_from_then_on():
    """After 한현경 leaves at week 6, the rotation passes over her."""
    members = [Member(name=name, left_week=6 if name == "한현경" else None) for name in ORDER]
    assigned = assign_blog(range(1, 11), ORDER, members)
    assert assigned[3] == "한현경"
    assert "한현경" not in [assigned[week] for week in range(6, 11)]
    assert [assigned[week] for week in range(6, 10)] == ["이은빈", "문수인", "장서진", "구미진"]


def test_a_swap_moves_one_week_only():
    """Overriding week 2 changes week 2 and leaves every other week as it was."""
    base = assign_blog(range(1, 8), ORDER, MEMBERS)
    swapped = assign_blog(range(1, 8), ORDER, MEMBERS, overrides={2: "장서진"})
    assert swapped[2] == "장서진"
    assert {week: name for week, name in swapped.items() if week != 2} == {
        week: name for week, name in base.items() if week != 2
    }


def test_past_weeks_stay_when_the_order_changes():
    """Weeks already decided keep their writer; the round-robin continues after the last one."""
    fixed = {1: "이은빈", 2: "문수인"}
    new_order = ["새멤버"] + ORDER
    members = MEMBERS + [Member(name="새멤버")]
    assigned = assign_blog(range(1, 5), new_order, members, fixed=fixed)
    assert assigned[1] == "이은빈" and assigned[2] == "문수인"
    assert assigned[3] == "한현경" and assigned[4] == "장서진"


def test_a_week_with_nobody_active_has_no_writer():
    """If everyone in the order has left, the week has no writer rather than an error."""
    members = [Member(name=name, left_week=2) for name in ORDER]
    assert assign_blog([1, 2], ORDER, members) == {1: "이은빈", 2: None}


def test_weeks_after_a_past_swap_keep_their_writers():
    """Once a swapped week is past, the following weeks still go to their planned writers."""
    swaps = {2: "한현경", 3: "문수인"}  # 한현경 takes week 2 and gives week 3 back to 문수인
    upcoming = assign_blog(range(1, 7), ORDER, MEMBERS, overrides=swaps)
    past = {1: "이은빈", 2: "문수인", 3: "한현경"}  # planned writers, as the ledger freezes them
    later = assign_blog(range(1, 7), ORDER, MEMBERS, overrides=swaps, fixed=past)
    assert later == upcoming
    assert [later[week] for week in range(1, 7)] == ["이은빈", "한현경", "문수인", "장서진", "구미진", "이은빈"]


# ---- Team-blog rotation edges: a fixed writer who is not in the order ---------------------------

THREE = ["이은빈", "문수인", "한현경"]
THREE_MEMBERS = [Member(name=name) for name in THREE]


def test_a_fixed_writer_outside_the_order_leaves_the_rotation_where_it_was():
    """Week 1 fixed to a guest writer keeps the guest, and week 2 starts the order from its head."""
    assigned = assign_blog(range(1, 4), THREE, THREE_MEMBERS, fixed={1: "게스트"})
    assert assigned == {1: "게스트", 2: "이은빈", 3: "문수인"}
