"""Edge cases of the evidence a report is built from: odd links and repeated warnings."""

from __future__ import annotations

import datetime as dt

from studybot.core.evidence import (
    MAX_URL_LENGTH,
    BlogPost,
    Evidence,
    Notice,
    Problem,
    Source,
    Submission,
    link_problem,
    normalize_url,
    same_url_notices,
    same_work,
)

AT = dt.datetime(2026, 5, 31, 14, 59, tzinfo=dt.UTC)
BROKEN = "http://[::1"  # an unclosed IPv6 host: not even a URL


def handed_in(member: str, url: str, week: int = 3, at: dt.datetime = AT) -> Submission:
    """A README submission by ``member`` for ``week``."""
    return Submission(member, week, Source.README, url, at, trusted=True)


def test_a_warning_seen_twice_is_shown_once() -> None:
    """The same warning found by two sources appears once in the report."""
    warning = Notice(Problem.UNKNOWN_NAME, 3, "mina", "mina")
    evidence = Evidence(warnings=[warning])
    evidence.warn(Notice(Problem.UNKNOWN_NAME, 3, "mina", "mina"))
    assert evidence.warnings == [warning]


def test_a_link_that_is_no_url_is_compared_as_written() -> None:
    """A link that cannot be parsed is kept as written, so members' copies still match."""
    assert normalize_url(f"  {BROKEN} ") == BROKEN
    assert same_work(BROKEN, f" {BROKEN}")
    assert not same_work(BROKEN, "https://velog.io/@mina/w3")


def test_a_link_that_is_no_url_or_has_no_host_is_refused() -> None:
    """An unparsable link or one without a host is no valid submission, with the reason given."""
    assert link_problem(BROKEN) == "not a URL"
    assert link_problem("https:///velog.io/post") == "no host"
    assert link_problem("https://velog.io/@mina/w3") is None


def test_one_member_posting_a_link_in_two_weeks_is_no_shared_link() -> None:
    """Only a link two members hand in for the same week is flagged as shared work."""
    evidence = Evidence()
    evidence.add(handed_in("mina", "https://velog.io/@mina/notes", week=3))
    evidence.add(handed_in("mina", "https://velog.io/@mina/notes", week=4))
    evidence.add(handed_in("jun", "https://velog.io/@jun/w3", week=3))
    assert same_url_notices(evidence) == []


def test_shared_links_are_flagged_but_folders_and_bad_links_are_not() -> None:
    """Two members with one link are flagged; same folder names and equal broken links are not."""
    evidence = Evidence()
    evidence.add(handed_in("mina", "https://velog.io/@mina/w3"))
    evidence.add(handed_in("jun", "HTTPS://VELOG.IO/@mina/w3/", at=AT + dt.timedelta(hours=1)))
    for member in ("seo", "dan"):
        evidence.add(Submission(member, 3, Source.FOLDER, "week3", AT, trusted=True))
        evidence.add(handed_in(member, "ftp://files.example/w3", week=4))
    assert same_url_notices(evidence) == [
        Notice(Problem.SAME_URL, 3, "jun", "https://velog.io/@mina/w3", other="mina")
    ]


def test_merged_evidence_keeps_the_earliest_hand_in_and_the_first_blog_post() -> None:
    """Merging two sources keeps each member's earliest submission, the first blog post and every warning once."""
    first = Evidence(blog={3: BlogPost(3, "https://velog.io/@mina/blog")})
    first.add(handed_in("mina", "https://velog.io/@mina/w3", at=AT))
    first.add(handed_in("mina", "https://velog.io/@mina/w3-late", at=AT + dt.timedelta(days=1)))
    second = Evidence(blog={3: BlogPost(3, "https://velog.io/@jun/blog"), 4: BlogPost(4, "https://velog.io/@jun/b4")})
    second.add(handed_in("mina", "https://velog.io/@mina/w3-early", at=AT - dt.timedelta(days=1)))
    second.warn(Notice(Problem.NO_TABLE))
    first.merge(second)
    first.merge(second)
    assert first.submissions[("mina", 3)].url == "https://velog.io/@mina/w3-early"
    assert [post.url for post in first.blog.values()] == ["https://velog.io/@mina/blog", "https://velog.io/@jun/b4"]
    assert first.warnings == [Notice(Problem.NO_TABLE)]


def test_same_work_ignores_scheme_slash_and_added_tracking_parameters() -> None:
    """A link re-posted with another scheme, a trailing slash or an added ``?pvs=4`` is the same work."""
    assert same_work("https://notion.so/page", "http://NOTION.so/page/?pvs=4")
    assert not same_work("https://notion.so/page?a=1", "https://notion.so/page?b=2")
    assert not same_work("https://notion.so/page", "https://notion.so/other")


def test_an_overlong_link_is_refused() -> None:
    """A link longer than the limit is no valid submission."""
    assert link_problem("https://velog.io/" + "a" * MAX_URL_LENGTH) == f"longer than {MAX_URL_LENGTH} characters"
    assert link_problem("mailto:mina@example.com") == "mailto:"
    assert link_problem("velog.io/@mina/w3") == "not an http(s) link"
