"""What the bot sees on GitHub, folded into the state, and the evidence the state then holds.

Runs read only what changed since the last cursor, so everything worth keeping (the week
issues, the bot's own comments, links members submitted in comments) is remembered in the
sync. The bot's own comments are the ones its receipts recorded; a comment with the bot's
marker that no receipt recorded is kept aside as unclaimed, because any workflow of the
repository can post as the bot's account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

from studybot.core.comments import blog_link, submission_links
from studybot.core.evidence import (
    BlogPost,
    Evidence,
    Notice,
    Problem,
    Source,
    Submission,
    link_problem,
    same_work,
)
from studybot.core.markers import Kind, digest, marker_week, read_marker, read_shown
from studybot.core.members import Roster, is_bot
from studybot.core.records import Comment, Issue, IssueState
from studybot.core.state import BotComment, Duplicate, SeenComment, SyncState, WeekIssue


def observe_issues(
    sync: SyncState, issues: Iterable[Issue], trusted: Collection[str] = (), declared: str | None = None
) -> SyncState:
    """Remember each week's Q&A issue the bot opened, with its current state."""
    known = dict(sync.issues)
    duplicates = dict(sync.duplicates)
    newest = sync.cursors.issues_since
    for issue in issues:
        newest = max(newest, issue.updated_at) if newest else issue.updated_at
        found = read_marker(issue.body)
        parsed = marker_week(found) if found else None
        if parsed is None or not is_bot(issue.author, sync.bot_login, trusted, declared):
            continue
        if parsed[1] is Kind.SETUP:
            if sync.setup is None or sync.setup.number == issue.number:
                state = "open" if issue.state is IssueState.OPEN else "closed"
                seen = {"number": issue.number, "state": state, "digest": digest(issue.body), "config": read_shown(issue.body)}
                setup = sync.setup.model_copy(update=seen) if sync.setup is not None else WeekIssue(**seen)
                sync = sync.model_copy(update={"setup": setup})
            continue
        if parsed[1] is not Kind.ISSUE:
            continue
        week = parsed[0]
        before = known.get(week)
        if before is not None and before.number != issue.number:
            # The first issue the bot opened for a week stays the week's issue; another one
            # (two runs at once) is closed, and what members left on it still counts.
            state = "open" if issue.state is IssueState.OPEN else "closed"
            if issue.number not in duplicates or state == "closed":
                duplicates[issue.number] = Duplicate(week=week, state=state)
            continue
        state = "open" if issue.state is IssueState.OPEN else "closed"
        known[week] = WeekIssue(
            number=issue.number,
            state=state,
            digest=digest(issue.body),
            written=before.written if before else "",
            week_closed=before.week_closed if before else False,
        )
    cursors = sync.cursors.model_copy(update={"issues_since": newest})
    return sync.model_copy(update={"issues": known, "duplicates": duplicates, "cursors": cursors})


def observe_comments(
    sync: SyncState, comments: Iterable[Comment], trusted: Collection[str] = (), declared: str | None = None
) -> SyncState:
    """Remember the bot's own comments and the links members submitted on week issues."""
    week_of = {number: duplicate.week for number, duplicate in sync.duplicates.items()}
    week_of.update({issue.number: week for week, issue in sync.issues.items()})
    bot_comments = dict(sync.bot_comments)
    unclaimed = dict(sync.unclaimed)
    seen = dict(sync.comments)
    newest = sync.cursors.comments_since
    for comment in comments:
        newest = max(newest, comment.updated_at) if newest else comment.updated_at
        found = read_marker(comment.body)
        if found is not None:
            known = bot_comments.get(found)
            if known is not None and known.id == comment.id:
                bot_comments[found] = known.model_copy(update={"digest": digest(comment.body)})
            elif known is None and is_bot(comment.author, sync.bot_login, trusted, declared):
                # Any workflow posts as the bot's account: a marker alone proves nothing.
                unclaimed[found] = BotComment(id=comment.id, digest=digest(comment.body))
            continue
        week = week_of.get(comment.issue_number)
        if week is None:
            continue
        # Never edited: it counts when written. Edited: when the bot first saw the link,
        # which for a link the bot meets already edited is the edit time.
        when = comment.created_at if comment.updated_at == comment.created_at else comment.updated_at
        before = seen.get(comment.id)
        links = dict(before.links) if before else {}
        for url in submission_links(comment.body):
            links.setdefault(url, when)
        blog = dict(before.blog) if before else {}
        posted = blog_link(comment.body)
        if posted:
            blog.setdefault(posted, when)
        if links or blog or before:
            seen[comment.id] = SeenComment(
                issue=comment.issue_number, week=week, author=comment.author,
                created_at=comment.created_at, links=links, blog=blog,
            )
    cursors = sync.cursors.model_copy(update={"comments_since": newest})
    return sync.model_copy(
        update={"bot_comments": bot_comments, "unclaimed": unclaimed, "comments": seen, "cursors": cursors}
    )


def comment_evidence(
    sync: SyncState,
    roster: Roster,
    writers: dict[int, str | None],
    deadlines: Mapping[int, dt.datetime] | None = None,
) -> Evidence:
    """Submissions and blog posts made in comments on the week issues.

    With ``deadlines`` (week -> deadline), a link added to a member's comment after the
    week's deadline, next to one written before it, is warned about: the first still counts.
    """
    evidence = Evidence()
    for comment_id, seen in sorted(sync.comments.items()):
        member = roster.logins.get(seen.author.lower())
        ref = f"comment:{comment_id}"
        deadline = (deadlines or {}).get(seen.week)
        if member is not None and deadline is not None:
            replaced = _replaced_in_comment(seen.links, deadline)
            if replaced is not None:
                first, first_at, now = replaced
                evidence.warn(
                    Notice(Problem.LINK_REPLACED, seen.week, member, now, ref, other=first, at=first_at)
                )
        for url, at in seen.links.items():
            if member is None:
                break  # guests may share links in the Q&A; only members submit
            problem = link_problem(url)
            if problem:
                evidence.warn(Notice(Problem.BAD_LINK, seen.week, member, problem, ref))
                continue
            evidence.add(Submission(member, seen.week, Source.ISSUE, url, at, True, seen.author, ref))
        for url, at in seen.blog.items():
            allowed = member is not None and (member == writers.get(seen.week) or member in roster.maintainers)
            if allowed and not link_problem(url) and seen.week not in evidence.blog:
                evidence.blog[seen.week] = BlogPost(seen.week, url, at)
    return evidence


def _replaced_in_comment(
    links: Mapping[str, dt.datetime], deadline: dt.datetime
) -> tuple[str, dt.datetime, str] | None:
    """(first link, its time, newest link) when a valid link was added after the deadline to a
    comment that already held a valid link; else None."""
    valid = sorted((at, url) for url, at in links.items() if not link_problem(url))
    if not valid:
        return None
    first_at, first = valid[0]
    added = [
        url for at, url in valid
        if at >= deadline and at > first_at and not any(same_work(url, old) for when, old in valid if when < at)
    ]
    return (first, first_at, added[-1]) if added else None
