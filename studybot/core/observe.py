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

from studybot.core.comments import CommentKind, CommentVerdict, Uncounted, classify_comment
from studybot.core.cycle import WEEK_OPENS_BEFORE
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
from studybot.core.markers import Kind, digest, marker_week, read_hidden, read_marker
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
                seen = {"number": issue.number, "state": state, "digest": digest(issue.body), "config": read_hidden(issue.body, "config")}
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


def bot_comment_ids(sync: SyncState) -> set[int]:
    """The ids of the comments that are the bot's own: the ones a receipt recorded, and marker
    comments by the bot's account kept aside until claimed. Nothing else is skipped as the bot's,
    whatever hidden marker it carries: anyone with write access can edit one into a comment."""
    return {item.id for item in sync.bot_comments.values()} | {item.id for item in sync.unclaimed.values()}


def comment_week(verdict: CommentVerdict, issue_week: int) -> int:
    """The week a comment hands in for: the one it names (`2주차 과제 제출합니다`), else its issue's."""
    return verdict.week if verdict.week is not None and verdict.week > 0 else issue_week


def _uncounted(verdict: CommentVerdict) -> dict[str, str]:
    """The links of a comment that look handed in but do not count, each with why."""
    if verdict.kind is CommentKind.SUBMISSION:
        return dict.fromkeys(verdict.extra, Uncounted.EXTRA.value)
    if verdict.needs_reply:
        why = Uncounted.QUESTION if verdict.kind is CommentKind.QUESTION_WITH_LINK else Uncounted.NO_WORD
        return dict.fromkeys(verdict.uncounted, why.value)
    return {}


def observe_comments(
    sync: SyncState, comments: Iterable[Comment], trusted: Collection[str] = (), declared: str | None = None
) -> SyncState:
    """Remember the bot's own comments and the links members submitted on week issues.

    A comment is the bot's when a receipt recorded its id (or, with the bot's marker and the
    bot's account, until it is claimed). A member's comment that carries a marker is still the
    member's: it is read like any other, and the leader is told someone put the marker there.
    """
    week_of = {number: duplicate.week for number, duplicate in sync.duplicates.items()}
    week_of.update({issue.number: week for week, issue in sync.issues.items()})
    bot_comments = dict(sync.bot_comments)
    unclaimed = dict(sync.unclaimed)
    seen = dict(sync.comments)
    newest = sync.cursors.comments_since
    receipts = {item.id: key for key, item in bot_comments.items()}
    for comment in comments:
        newest = max(newest, comment.updated_at) if newest else comment.updated_at
        found = read_marker(comment.body)
        if comment.id in receipts:
            key = receipts[comment.id]
            bot_comments[key] = bot_comments[key].model_copy(update={"digest": digest(comment.body)})
            continue
        if found is not None and is_bot(comment.author, sync.bot_login, trusted, declared):
            if found not in bot_comments:
                # Any workflow posts as the bot's account: a marker alone proves nothing.
                unclaimed[found] = BotComment(id=comment.id, digest=digest(comment.body))
            continue
        issue_week = week_of.get(comment.issue_number)
        if issue_week is None:
            continue
        # Never edited: it counts when written. Edited: when the bot first saw the link,
        # which for a link the bot meets already edited is the edit time.
        when = comment.created_at if comment.updated_at == comment.created_at else comment.updated_at
        before = seen.get(comment.id)
        verdict = classify_comment(comment.body)
        links = dict(before.links) if before else {}
        for url in verdict.links:
            links.setdefault(url, when)
        noted = _uncounted(verdict)
        if before is not None and before.links:
            # A link an edit added beside one that counted: kept with its time, so a link
            # changed after the deadline is told as one (the earliest still counts).
            for url in verdict.extra:
                if url not in before.uncounted:
                    links.setdefault(url, when)
                    noted.pop(url)
        blog = dict(before.blog) if before else {}
        if verdict.blog:
            blog.setdefault(verdict.blog, when)
        uncounted = {**noted, **(before.uncounted if before else {})}
        marked = found is not None or (before is not None and before.marked)
        if links or blog or uncounted or before:
            seen[comment.id] = SeenComment(
                issue=comment.issue_number, week=comment_week(verdict, issue_week) if not before else before.week,
                author=comment.author, created_at=comment.created_at, links=links, blog=blog,
                uncounted=uncounted, marked=marked,
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
    late_until: Mapping[int, dt.datetime] | None = None,
) -> Evidence:
    """Submissions and blog posts made in comments on the week issues, and what the leader is told.

    With ``deadlines`` (week -> deadline), a link added to a member's comment after the
    week's deadline, next to one written before it, is warned about: the first still counts.
    A comment that names another week than its issue's counts for the named week from when
    that week's issue opens (and, with ``late_until``, until its cut-off); else it is warned
    about and counts for no week. Links that look handed in but did not count, a marker
    someone put in a member's comment, and more link comments a day than the bot answers
    are warned about too.
    """
    evidence = Evidence()
    week_of = {number: duplicate.week for number, duplicate in sync.duplicates.items()}
    week_of.update({issue.number: week for week, issue in sync.issues.items()})
    times: dict[tuple[str, int], list[dt.datetime]] = {}
    for comment_id, seen in sorted(sync.comments.items()):
        member = roster.logins.get(seen.author.lower())
        ref = f"comment:{comment_id}"
        issue_week = week_of.get(seen.issue, seen.week)
        week = seen.week if deadlines is None or seen.week in deadlines else issue_week
        if member is not None:
            _uncounted_notices(evidence, seen, member, week, issue_week)
            times.setdefault((member, issue_week), []).append(seen.created_at)
        deadline = (deadlines or {}).get(week)
        if member is not None and deadline is not None:
            replaced = _replaced_in_comment(seen.links, deadline)
            if replaced is not None:
                first, first_at, now = replaced
                evidence.warn(Notice(Problem.LINK_REPLACED, week, member, now, ref, other=first, at=first_at))
        for url, at in seen.links.items():
            if member is None:
                break  # guests may share links in the Q&A; only members submit
            problem = link_problem(url)
            if problem:
                evidence.warn(Notice(Problem.BAD_LINK, week, member, problem, ref))
                continue
            refused = _outside_week(week, issue_week, at, deadline, (late_until or {}).get(week))
            if refused is not None:
                evidence.warn(Notice(refused, week, member, url, str(seen.issue), other=str(issue_week), at=at))
                continue
            evidence.add(Submission(member, week, Source.ISSUE, url, at, True, seen.author, ref))
        for url, at in seen.blog.items():
            allowed = member is not None and (member == writers.get(issue_week) or member in roster.maintainers)
            if allowed and not link_problem(url) and issue_week not in evidence.blog:
                evidence.blog[issue_week] = BlogPost(issue_week, url, at)
    for (member, week), written in sorted(times.items()):
        most, since = _busiest_day(sorted(written))
        if most > ANSWERS_PER_DAY:
            evidence.warn(Notice(Problem.MANY_COMMENTS, week, member, str(most), other=str(ANSWERS_PER_DAY), at=since))
    return evidence


# The bot answers (a reaction or a reply) at most this many of a member's comments in 24 hours;
# 200 comments from one member cost 3 writes, not 200, and the leader is told.
ANSWERS_PER_DAY = 3
DAY = dt.timedelta(days=1)


def _busiest_day(written: list[dt.datetime]) -> tuple[int, dt.datetime | None]:
    """(the most comments within any 24 hours, when that stretch began) of sorted times."""
    most, since, start = 0, None, 0
    for end, at in enumerate(written):
        while at - written[start] >= DAY:
            start += 1
        if end - start + 1 > most:
            most, since = end - start + 1, written[start]
    return most, since


_WHY = {
    Uncounted.NO_WORD.value: Problem.UNCOUNTED_NO_WORD,
    Uncounted.QUESTION.value: Problem.UNCOUNTED_QUESTION,
    Uncounted.EXTRA.value: Problem.UNCOUNTED_EXTRA,
}


def _uncounted_notices(evidence: Evidence, seen: SeenComment, member: str, week: int, issue_week: int) -> None:
    """The leader's lines for a member's comment: links that did not count, a marker put in it."""
    for url, why in seen.uncounted.items():
        if url not in seen.links:  # an edit may have handed it in since
            evidence.warn(Notice(_WHY.get(why, Problem.UNCOUNTED_NO_WORD), week, member, url, str(seen.issue), at=seen.created_at))
    if seen.marked:
        evidence.warn(Notice(Problem.MARKED_COMMENT, issue_week, member, "", str(seen.issue), at=seen.created_at))


def opens(deadline: dt.datetime) -> dt.datetime:
    """When a week's issue opens, and a comment on another issue may hand that week in."""
    return deadline - WEEK_OPENS_BEFORE


def _outside_week(
    week: int, issue_week: int, at: dt.datetime, deadline: dt.datetime | None, cutoff: dt.datetime | None
) -> Problem | None:
    """Why a link that names another week than its issue's counts for no week, or None when it counts."""
    if week == issue_week or deadline is None:
        return None
    if at < opens(deadline):
        return Problem.WEEK_NOT_OPEN
    if cutoff is not None and at >= cutoff:
        return Problem.WEEK_CLOSED
    return None


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
