"""The team-blog rotation: one member a graded week, round-robin over those still active."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from studybot.core.config import Member


def plan_blog(
    weeks: Iterable[int],
    order: list[str],
    members: list[Member],
    fixed: Mapping[int, str] | None = None,
) -> dict[int, str | None]:
    """The round-robin writer of each week, before any swap.

    ``fixed`` holds the planned writers of weeks already past (from the ledger): they stay as
    they were and the round-robin continues after them, so a change of ``order`` or of the
    members never rewrites the past. A week where nobody in ``order`` is active has no writer.
    """
    fixed = fixed or {}
    by_name = {member.name: member for member in members}
    planned: dict[int, str | None] = {}
    cursor = 0
    for week in weeks:
        if week in fixed:
            planned[week] = fixed[week]
            if fixed[week] in order:
                cursor = order.index(fixed[week]) + 1
            continue
        planned[week] = None
        for offset in range(len(order)):
            candidate = order[(cursor + offset) % len(order)]
            member = by_name.get(candidate)
            if member is not None and member.active_in(week):
                planned[week] = candidate
                cursor = (cursor + offset + 1) % len(order)
                break
    return planned


def assign_blog(
    weeks: Iterable[int],
    order: list[str],
    members: list[Member],
    overrides: Mapping[int, str] | None = None,
    fixed: Mapping[int, str] | None = None,
) -> dict[int, str | None]:
    """Each week's writer: the round-robin plan with swaps applied on top.

    Swaps move single weeks and never the cursor, so the weeks after a swap keep their
    writers whether the swapped week is still ahead or already past.
    """
    return swap(plan_blog(weeks, order, members, fixed), overrides or {})


def swap(planned: Mapping[int, str | None], overrides: Mapping[int, str]) -> dict[int, str | None]:
    """The planned writers with swapped weeks replaced; no other week moves."""
    return {week: overrides.get(week, writer) for week, writer in planned.items()}
