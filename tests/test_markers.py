"""Hidden markers: bad region names are refused, unknown kinds are ignored."""

from __future__ import annotations

import pytest

from studybot.core.markers import Kind, marker, marker_week, region_markers


def test_a_marker_of_a_kind_the_bot_does_not_know_names_no_week():
    """A marker whose kind no bot version wrote is not taken as the bot's."""
    assert marker_week(marker(3, Kind.RESULTS)) == (3, Kind.RESULTS)
    assert marker_week("<!-- studybot:week=3:kind=bogus -->") is None


def test_a_region_name_that_is_not_lower_case_is_refused():
    """README region names are lower-case letters, digits, - or _; anything else is a mistake."""
    assert region_markers("fines") == ("<!-- studybot:fines:start -->", "<!-- studybot:fines:end -->")
    with pytest.raises(ValueError, match="Fines"):
        region_markers("Fines")
