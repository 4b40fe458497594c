"""What members see under their comments on a week's issue: a reaction when a link counted,
one short reply when a member's link did not (and how to hand it in), or when it counted
otherwise than the member may think (for the week it names, or only its first link).

Each comment is answered once: its id joins the state's answered comments when the reaction
or reply is made. Only while the week can still change (before its cut-off) is a comment
answered; a member reading an old week has no use for a late reaction. A member's comments
get at most ``ANSWERS_PER_DAY`` answers in 24 hours: 200 comments cost three writes, not 200
(the leader is told by ``observe.comment_evidence``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from studybot.core.comments import SUBMISSION_REACTION, CommentKind, CommentVerdict, classify_comment, parse_commands
from studybot.core.evidence import link_problem
from studybot.core.markers import Kind, marker, read_marker
from studybot.core.markup import code, mention
from studybot.core.members import Roster
from studybot.core.messages import Messages
from studybot.core.observe import ANSWERS_PER_DAY, DAY, bot_comment_ids, comment_week, opens
from studybot.core.plan import Reply
from studybot.core.records import Comment
from studybot.core.schedule import Schedule, Week
from studybot.core.state import State


def acknowledge(
    comments: Iterable[Comment], state: State, roster: Roster, schedule: Schedule, now: dt.datetime, messages: Messages
) -> list[Reply]:
    """A reaction for each member's counted submission, a reply for each uncounted link."""
    week_of = {issue.number: week for week, issue in state.sync.issues.items()}
    answered = set(state.sync.commands)
    own = bot_comment_ids(state.sync)
    given: dict[str, list[dt.datetime]] = {}  # login -> when the comments the bot answered were written
    for comment_id, seen in state.sync.comments.items():
        if comment_id in answered:
            given.setdefault(seen.author.lower(), []).append(seen.created_at)
    replies: list[Reply] = []
    for comment in sorted(comments, key=lambda item: (item.created_at, item.id)):
        week = schedule.week(week_of.get(comment.issue_number, -1))
        member = roster.by_login(comment.author)
        if week is None or member is None or comment.id in answered or comment.id in own:
            continue
        if read_marker(comment.body) or parse_commands(comment.body):
            # A command is answered as one. A member's comment carrying a studybot marker still
            # counts (observe), but gets no answer: the leader is told instead.
            continue
        verdict = classify_comment(comment.body)
        target = schedule.week(comment_week(verdict, week.number)) or week
        if now >= week.late_until and now >= target.late_until:
            continue
        reply = _answer(verdict, comment, week, target, schedule, messages, mention(comment.author, member))
        if reply is None:
            continue
        earlier = given.setdefault(comment.author.lower(), [])
        if sum(1 for at in earlier if abs(comment.created_at - at) < DAY) >= ANSWERS_PER_DAY:
            continue  # one member's flood of comments costs a few writes, not one each
        earlier.append(comment.created_at)
        replies.append(reply)
        answered.add(comment.id)
    return replies


def _answer(
    verdict: CommentVerdict, comment: Comment, week: Week, target: Week, schedule: Schedule, messages: Messages, who: str
) -> Reply | None:
    """The reaction or reply one member's comment gets, or None when it gets none."""
    texts: list[str] = []
    if verdict.kind is CommentKind.SUBMISSION and link_problem(verdict.links[0]):
        # `제출 myblog.com/post`: handed in, but no address a verdict can rest on. No 🚀 for it.
        return _reply(comment, messages.t("comment.uncounted.bad_link", member=who, link=code(verdict.links[0][:200])))
    if verdict.kind is CommentKind.SUBMISSION:
        if target.number != week.number:
            when = comment.created_at if comment.updated_at == comment.created_at else comment.updated_at
            fields = {"member": who, "week": target.number}
            if when < opens(target.deadline):
                local = messages.when_spoken(schedule.local(opens(target.deadline)))
                return _reply(comment, messages.t("comment.uncounted.week_not_open", opens=local, **fields))
            if when >= target.late_until:
                cutoff = messages.when_spoken(schedule.local(target.late_until))
                return _reply(comment, messages.t("comment.uncounted.week_closed", late_until=cutoff, **fields))
            texts.append(messages.t("comment.counted.other_week", issue_week=week.number, **fields))
        if verdict.extra:
            texts.append(messages.t("comment.counted.extra", member=who, week=target.number, count=len(verdict.extra)))
        if not texts:
            return Reply(comment.issue_number, comment.id, reaction=SUBMISSION_REACTION)
        return Reply(comment.issue_number, comment.id, body=_body(comment, "\n\n".join(texts)), reaction=SUBMISSION_REACTION)
    if verdict.reply_key is not None:
        return _reply(comment, messages.t(verdict.reply_key, member=who))
    return None


def _body(comment: Comment, text: str) -> str:
    return f"{marker(0, Kind.REPLY, comment.id)}\n{text}"


def _reply(comment: Comment, text: str) -> Reply:
    return Reply(comment.issue_number, comment.id, body=_body(comment, text))
