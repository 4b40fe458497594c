"""Settlement (꼴찌 제외 1/n): the fine pot split among everyone but the last place."""

from __future__ import annotations

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


def settle(fines: dict[str, int], exclude_last_place: bool = True) -> Settlement:
    """Split the pot equally (floor) among members not tied for the most fines.

    Everyone tied means nobody is last, so nobody is excluded. The remainder that does not
    split evenly is reported, not paid.
    """
    pot = sum(fines.values())
    excluded: tuple[str, ...] = ()
    if exclude_last_place and fines:
        most = max(fines.values())
        tied = tuple(name for name, amount in fines.items() if amount == most)
        if len(tied) < len(fines):
            excluded = tied
    receivers = [name for name in fines if name not in excluded]
    payout_each = pot // len(receivers) if receivers else 0
    remainder = pot - payout_each * len(receivers)
    members = {
        name: Share(fines=amount, payout=0 if name in excluded else payout_each)
        for name, amount in fines.items()
    }
    return Settlement(pot, excluded, payout_each, remainder, members)
