"""꼴찌 제외 1/n: the pot split among all but the last place."""

from __future__ import annotations

from studybot.core.settlement import settle


def test_last_place_is_excluded_and_the_rest_share_equally():
    """The member with the most fines gets nothing; the others split the pot."""
    result = settle({"A": 0, "B": 3000, "C": 8000, "D": 4000})
    assert result.pot == 15000
    assert result.excluded == ("C",)
    assert result.payout_each == 5000 and result.remainder == 0
    assert {name: share.net for name, share in result.members.items()} == {
        "A": 5000, "B": 2000, "C": -8000, "D": 1000,
    }


def test_everyone_tied_for_last_place_share_the_pot():
    """If all members tie, nobody is last, so nobody is excluded."""
    result = settle({"A": 4000, "B": 4000, "C": 4000})
    assert result.excluded == ()
    assert result.payout_each == 4000


def test_all_members_tied_for_last_place_are_excluded():
    """Two members sharing the most fines are both excluded."""
    result = settle({"A": 8000, "B": 8000, "C": 0, "D": 3000})
    assert result.excluded == ("A", "B")
    assert result.payout_each == 9500


def test_remainder_is_shown_not_paid():
    """A pot that does not split evenly pays the floor and reports what is left."""
    result = settle({"A": 4000, "B": 3000, "C": 3000, "D": 3000, "E": 0})
    assert result.pot == 13000
    assert result.excluded == ("A",)
    assert (result.payout_each, result.remainder) == (3250, 0)
    odd = settle({"A": 7000, "B": 3000, "C": 0, "D": 0})
    assert (odd.payout_each, odd.remainder) == (3333, 1)
    assert sum(share.payout for share in odd.members.values()) + odd.remainder == odd.pot


def test_exclusion_can_be_turned_off():
    """settlement.exclude: none shares the pot among everyone."""
    result = settle({"A": 8000, "B": 0}, exclude_last_place=False)
    assert result.excluded == () and result.payout_each == 4000


def test_no_fines_means_nobody_is_excluded():
    """At the start, with an empty pot, nobody is last."""
    result = settle({"A": 0, "B": 0})
    assert result.excluded == () and result.pot == 0


def test_members_who_left_pay_in_but_take_no_share():
    """A member who left pays their fines into the pot, gets nothing, and is not counted for last place."""
    result = settle({"A": 0, "B": 4000, "C": 8000, "Left": 12000}, departed={"Left"})
    assert result.pot == 24000
    assert result.excluded == ("C",)
    assert result.payout_each == 12000
    assert result.members["Left"].payout == 0 and result.members["Left"].net == -12000
