"""Settlement (꼴찌 제외 1/n): the fine pot split among everyone but the last place."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Share:
    fines: int
    payout: int
    paid: int = 0

    @property
    def net(self) -> int:
        return self.payout - self.fines


@dataclass(frozen=True)
class Settlement:
    pot: int
    excluded: tuple[str, ...]
    payout_each: int
    remainder: int
    members: dict[str, Share]
    departed: tuple[str, ...] = ()


def settle(
    fines: dict[str, int], exclude_last_place: bool = True, departed: Collection[str] = ()
) -> Settlement:
    """Split the pot equally (floor) among members not tied for the most fines.

    Everyone tied means nobody is last, so nobody is excluded. Members who left the study
    pay their fines into the pot but take no share, and last place is decided among those
    who stayed. The remainder that does not split evenly is reported, not paid.
    """
    pot = sum(fines.values())
    staying = {name: amount for name, amount in fines.items() if name not in departed}
    excluded: tuple[str, ...] = ()
    if exclude_last_place and staying:
        most = max(staying.values())
        tied = tuple(name for name, amount in staying.items() if amount == most)
        if len(tied) < len(staying):
            excluded = tied
    receivers = [name for name in staying if name not in excluded]
    payout_each = pot // len(receivers) if receivers else 0
    remainder = pot - payout_each * len(receivers)
    members = {
        name: Share(fines=amount, payout=payout_each if name in receivers else 0)
        for name, amount in fines.items()
    }
    return Settlement(pot, excluded, payout_each, remainder, members, tuple(name for name in fines if name in departed))
