"""The generated workflow's schedule edges: no reminder, and a cut-off at the deadline."""

from __future__ import annotations

from helpers import SEED_CONFIG

from studybot.core.config import parse_config
from studybot.core.workflowfile import Purpose, schedules


def test_no_reminder_and_no_late_window_leave_the_deadline_and_daily_runs():
    """Without a reminder and with a zero late window, the workflow runs at the deadline and daily only."""
    raw = SEED_CONFIG.read_text(encoding="utf-8")
    raw = raw.replace("reminder_before: 6h", "reminder_before: null").replace("late_window: 12h", "late_window: 0h")
    assert "reminder_before: null" in raw and "late_window: 0h" in raw
    purposes = [item.purpose for item in schedules(parse_config(raw))]
    assert purposes == [Purpose.DEADLINE, Purpose.DAILY]
