"""Team-blog rotation edges: a fixed writer who is not in the order."""

from __future__ import annotations

from studybot.core.config import Member
from studybot.core.rotation import assign_blog

ORDER = ["이은빈", "문수인", "한현경"]
MEMBERS = [Member(name=name) for name in ORDER]


def test_a_fixed_writer_outside_the_order_leaves_the_rotation_where_it_was():
    """Week 1 fixed to a guest writer keeps the guest, and week 2 starts the order from its head."""
    assigned = assign_blog(range(1, 4), ORDER, MEMBERS, fixed={1: "게스트"})
    assert assigned == {1: "게스트", 2: "이은빈", 3: "문수인"}
