"""The team-blog rotation: one member a graded week, round-robin over those still active."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from studybot.config import Member


def assign_blog(
    weeks: Iterable[int],
    order: list[str],
    members: list[Member],
    overrides: Mapping[int, str] | None = None,
    fixed: Mapping[int, str] | None = None,
) -> dict[int, str | None]:
    """Assign each week a writer.

    ``fixed`` holds weeks already decided (past weeks from the ledger): they are kept as they
    are and the round-robin continues after the last fixed writer. ``overrides`` (swaps) move
    single weeks without shifting the others. A week where nobody in ``order`` is active has
    no writer.
    """
    overrides = overrides or {}
    fixed = fixed or {}
    by_name = {member.name: member for member in members}
    assignments: dict[int, str | None] = {}
    cursor = 0
    for week in weeks:
        if week in fixed:
            assignments[week] = fixed[week]
            if fixed[week] in order:
                cursor = order.index(fixed[week]) + 1
            continue
        writer = None
        for offset in range(len(order)):
            candidate = order[(cursor + offset) % len(order)]
            member = by_name.get(candidate)
            if member is not None and member.active_in(week):
                writer = candidate
                cursor = (cursor + offset + 1) % len(order)
                break
        assignments[week] = overrides.get(week, writer)
    return assignments
