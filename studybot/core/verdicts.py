"""The verdict of one member's week: a name every part of the package shares, with no rules attached."""

from __future__ import annotations

import enum


class Verdict(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    ABSENT = "absent"
    PENDING = "pending"
    EXCUSED = "excused"
    NOT_MEMBER = "not_member"
