"""What members handed in: submissions, blog posts and the warnings found on the way."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000


class Source(enum.StrEnum):
    README = "readme"
    ISSUE = "issue"
    FOLDER = "folder"


@dataclass(frozen=True)
class Submission:
    """Member ``member``'s homework for ``week``: first handed in ``at``; ``url`` is the latest link."""

    member: str
    week: int
    source: Source
    url: str
    at: dt.datetime
    trusted: bool
    actor: str | None = None
    ref: str = ""


@dataclass(frozen=True)
class BlogPost:
    week: int
    url: str
    at: dt.datetime | None = None


class Problem(enum.StrEnum):
    """Kinds of warning; messages modules turn them into sentences."""

    BAD_LINK = "bad_link"
    UNKNOWN_NAME = "unknown_name"
    DUPLICATE_NAME = "duplicate_name"
    DUPLICATE_WEEK = "duplicate_week"
    UNKNOWN_WEEK = "unknown_week"
    NOT_OWNER = "not_owner"
    UNKNOWN_AUTHOR = "unknown_author"
    NO_TABLE = "no_table"
    MANGLED_ROW = "mangled_row"


@dataclass(frozen=True, order=True)
class Notice:
    """Something in the evidence a leader should look at; never fatal."""

    problem: Problem
    week: int | None = None
    member: str | None = None
    detail: str = ""
    ref: str = ""


@dataclass
class Evidence:
    """Everything read from the sources, reduced to one submission per (member, week)."""

    submissions: dict[tuple[str, int], Submission] = field(default_factory=dict)
    blog: dict[int, BlogPost] = field(default_factory=dict)
    warnings: list[Notice] = field(default_factory=list)
    _warned: set[Notice] = field(default_factory=set, repr=False, compare=False)

    def add(self, submission: Submission) -> None:
        """Keep the earliest submission for its (member, week)."""
        key = (submission.member, submission.week)
        known = self.submissions.get(key)
        if known is None or submission.at < known.at:
            self.submissions[key] = submission

    def __post_init__(self) -> None:
        self._warned = set(self.warnings)

    def warn(self, warning: Notice) -> None:
        """Add a warning once (a set keeps this cheap for histories with thousands of them)."""
        if warning not in self._warned:
            self._warned.add(warning)
            self.warnings.append(warning)

    def merge(self, other: Evidence) -> None:
        for submission in other.submissions.values():
            self.add(submission)
        for week, post in other.blog.items():
            self.blog.setdefault(week, post)
        for warning in other.warnings:
            self.warn(warning)


def link_problem(url: str) -> str | None:
    """Why ``url`` is no valid submission link, or None when it is one (empty is 'not yet')."""
    if len(url) > MAX_URL_LENGTH:
        return f"longer than {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "not a URL"
    if parts.scheme.lower() not in {"http", "https"}:
        return f"{parts.scheme}:" if parts.scheme else "not an http(s) link"
    if not parts.hostname:
        return "no host"
    return None
