"""What members handed in: submissions, blog posts and the warnings found on the way."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit, urlunsplit

MAX_URL_LENGTH = 2000


class Source(enum.StrEnum):
    README = "readme"
    ISSUE = "issue"
    FOLDER = "folder"
    CREDIT = "credit"  # unread work a maintainer credited with `/studybot 인정`


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
    LINK_REPLACED = "link_replaced"  # a link changed after the deadline; the first one still counts
    SAME_URL = "same_url"  # members handed in one URL for one week
    FORCE_PUSH = "force_push"  # the default branch was rewritten
    DROPPED_PUSH = "dropped_push"  # a rewrite took a member's push off the branch
    # Week folders: files that look like a hand-in but were not read as one.
    FOLDER_OUTSIDE = "folder_outside"  # in a member's own folder, outside any week folder
    FOLDER_UNMATCHED = "folder_unmatched"  # a folder naming a week that matches no pattern
    FOLDER_FOREIGN = "folder_foreign"  # put in another member's folder
    FOLDER_MOVED = "folder_moved"  # work another member handed in first
    # Comments as members write them: a link that looked handed in but did not count, and why.
    UNCOUNTED_NO_WORD = "uncounted_no_word"  # shared with no word of handing in
    UNCOUNTED_QUESTION = "uncounted_question"  # on a line that asks
    UNCOUNTED_EXTRA = "uncounted_extra"  # a second link in one comment: the first counted
    WEEK_NOT_OPEN = "week_not_open"  # names a week whose issue had not opened yet
    WEEK_CLOSED = "week_closed"  # names a week past its cut-off
    MARKED_COMMENT = "marked_comment"  # a studybot marker the bot did not write, in a member's comment
    MANY_COMMENTS = "many_comments"  # more link comments in 24 hours than the bot answers
    NO_SECTIONS = "no_sections"  # layout: sections, and no week section in the README
    TICKED_WITHOUT_LINK = "ticked_without_link"  # a week section's "- [x] 이름" without a link


@dataclass(frozen=True, order=True)
class Notice:
    """Something in the evidence a leader should look at; never fatal."""

    problem: Problem
    week: int | None = None
    member: str | None = None
    detail: str = ""
    ref: str = ""
    other: str = ""  # a second thing members wrote: the first link, the other members
    at: dt.datetime | None = field(default=None, compare=False)  # when the first thing happened


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


def normalize_url(url: str) -> str:
    """A link as compared between members: scheme and host lower-case, no fragment, no trailing slash."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def same_work(first: str, second: str) -> bool:
    """Whether two links name the same page: host and path equal (any scheme, trailing slash or
    fragment), and one's query parameters all kept by the other (``?pvs=4`` added is no new work)."""
    try:
        one, two = urlsplit(first.strip()), urlsplit(second.strip())
        ones, twos = set(parse_qsl(one.query, keep_blank_values=True)), set(parse_qsl(two.query, keep_blank_values=True))
    except ValueError:
        return first.strip() == second.strip()
    if (one.netloc.lower(), one.path.rstrip("/")) != (two.netloc.lower(), two.path.rstrip("/")):
        return False
    return ones <= twos or twos <= ones


def same_url_notices(evidence: Evidence) -> list[Notice]:
    """One warning per week and link that two or more members handed in (compared normalised).

    Folder submissions name each member's own folder and are never compared.
    """
    groups: dict[tuple[int, str], list[Submission]] = {}
    for submission in evidence.submissions.values():
        if submission.source is Source.FOLDER or link_problem(submission.url):
            continue
        groups.setdefault((submission.week, normalize_url(submission.url)), []).append(submission)
    notices: list[Notice] = []
    for (week, _), found in sorted(groups.items()):
        members = sorted({submission.member for submission in found})
        if len(members) < 2:
            continue
        first = min(found, key=lambda submission: (submission.at, submission.member))
        notices.append(
            Notice(Problem.SAME_URL, week, members[0], first.url, other=", ".join(members[1:]))
        )
    return notices


@functools.lru_cache(maxsize=1 << 16)
def link_problem(url: str) -> str | None:
    """Why ``url`` is no valid submission link, or None when it is one (empty is 'not yet').

    Pure, and asked for every link of every comment each run: the answers are kept (as
    ``provenance.parsed`` keeps config versions), which halves a quiet run's comment reading.
    """
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
