"""Message helpers: deadlines in any kind of time zone, and unknown languages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from studybot.core.messages import messages_for


def test_a_deadline_in_a_zoneinfo_zone_reads_as_the_last_minute_that_counts():
    """"Before Wednesday 00:00" in a standard-library zone reads as Tuesday 23:59."""
    text = messages_for("ko").deadline_spoken(dt.datetime(2022, 6, 1, tzinfo=ZoneInfo("Asia/Seoul")))
    assert "5월 31일(화) 23:59" in text


def test_an_unknown_language_is_refused():
    """Asking for a language studybot does not speak names the language."""
    with pytest.raises(ValueError, match="'fr'"):
        messages_for("fr")
