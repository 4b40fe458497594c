"""What members see under their comments on a week's issue: a reaction when a link counted,
one short reply when a member's link did not (and how to hand it in).

Each comment is answered once: its id joins the state's answered comments when the reaction
or reply is made. Only while the week can still change (before its cut-off) is a comment
answered; a member reading an old week has no use for a late reaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from studybot.core.comments import SUBMISSION_REACTION, CommentKind, classify_comment, parse_commands
from studybot.core.markers import Kind, marker, read_marker
from studybot.core.markup import mention
from studybot.core.members import Roster
from studybot.core.messages import Messages
from studybot.core.plan import Reply
from studybot.core.records import Comment
from studybot.core.schedule import Schedule
from studybot.core.state import State


def acknowledge(
    comments: Iterable[Comment], state: State, roster: Roster, schedule: Schedule, now: dt.datetime, messages: Messages
) -> list[Reply]:
    """A reaction for each member's counted submission, a reply for each uncounted link."""
    week_of = {issue.number: week for week, issue in state.sync.issues.items()}
    answered = set(state.sync.commands)
    replies: list[Reply] = []
    for comment in sorted(comments, key=lambda item: (item.created_at, item.id)):
        week = schedule.week(week_of.get(comment.issue_number, -1))
        member = roster.by_login(comment.author)
        if week is None or member is None or comment.id in answered or now >= week.late_until:
            continue
        if read_marker(comment.body) or parse_commands(comment.body):
            continue  # the bot's own, or a command (answered as one)
        verdict = classify_comment(comment.body)
        if verdict.kind is CommentKind.SUBMISSION:
            replies.append(Reply(comment.issue_number, comment.id, reaction=SUBMISSION_REACTION))
        elif verdict.reply_key is not None:
            text = messages.t(verdict.reply_key, member=mention(comment.author, member))
            replies.append(Reply(comment.issue_number, comment.id, body=f"{marker(0, Kind.REPLY, comment.id)}\n{text}"))
        answered.add(comment.id)
    return replies
