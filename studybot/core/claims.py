"""Which comments are the bot's own, and putting back what it wrote.

Any workflow of the repository posts as the bot's account, so a hidden marker proves
nothing. A comment is the bot's when a receipt recorded its id. A marker comment no receipt
recorded (``SyncState.unclaimed``) is claimed only when its body is exactly what this run
is about to write: that is the bot's own post from a run that stopped before saving its
ledger, and claiming it keeps the post from being doubled. Anything else with the marker is
left alone, and the bot writes its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from studybot.core.markers import Kind, digest, marker, marker_week
from studybot.core.plan import CloseDuplicate, CloseQuestion, Operation, PostComment, Reply, RestoreComment
from studybot.core.receipts import WRITTEN_ONCE, written
from studybot.core.state import SyncState


def claim(operations: Sequence[Operation], sync: SyncState) -> tuple[list[Operation], SyncState]:
    """The operations without the posts an unclaimed comment already made, and the sync that records them."""
    if not sync.unclaimed:
        return list(operations), sync
    kept: list[Operation] = []
    claimed = dict(sync.bot_comments)
    for operation in operations:
        found = _posted(operation, sync)
        if found is None:
            kept.append(operation)
            continue
        key, body, kind = found
        claimed[key] = written(sync.unclaimed[key].id, body, kind in WRITTEN_ONCE)
        if isinstance(operation, Reply) and operation.reaction:
            kept.append(Reply(operation.issue, operation.comment, reaction=operation.reaction))
        elif isinstance(operation, CloseQuestion):
            kept.append(CloseQuestion(operation.week, operation.issue, operation.note, None))  # closing is still due
        elif isinstance(operation, CloseDuplicate):
            kept.append(CloseDuplicate(operation.week, operation.issue, operation.note, None))
    unclaimed = {key: item for key, item in sync.unclaimed.items() if key not in claimed}
    return kept, sync.model_copy(update={"bot_comments": claimed, "unclaimed": unclaimed})


def _posted(operation: Operation, sync: SyncState) -> tuple[str, str, Kind] | None:
    """(marker, body, kind) when ``operation`` would post what an unclaimed comment already says."""
    if isinstance(operation, PostComment) and operation.existing is None:
        key, body, kind = marker(operation.week, operation.kind), operation.body, operation.kind
    elif isinstance(operation, Reply) and operation.body is not None:
        key, body, kind = marker(0, Kind.REPLY, operation.comment), operation.body, Kind.REPLY
    elif isinstance(operation, CloseQuestion) and operation.body is not None:
        key, body, kind = operation.note, operation.body, Kind.QUESTIONS
    elif isinstance(operation, CloseDuplicate) and operation.body is not None:
        key, body, kind = operation.note, operation.body, Kind.DUPLICATE
    else:
        return None
    found = sync.unclaimed.get(key)
    return (key, body, kind) if found is not None and found.digest == digest(body) else None


def restorations(sync: SyncState) -> list[RestoreComment]:
    """Each comment the bot wrote once whose body someone changed, put back as the bot wrote it."""
    return [
        RestoreComment(key, item.id, item.text)
        for key, item in sorted(sync.bot_comments.items())
        if item.text is not None and item.digest != digest(item.text)
    ]


def reclaimed(sync: SyncState, comments: Mapping[str, str], issues: Mapping[int, str]) -> SyncState:
    """Receipts whose answers were lost, recorded from what GitHub shows.

    A run can write and then die before it saves its ledger (or GitHub can apply a write and lose
    the answer). A marked comment no receipt recorded whose body is exactly what the bot means to
    write for that marker (``comments``), and a week's issue whose body is exactly the one the bot
    writes for it (``issues``), are the bot's own: their receipt, and the text of a comment written
    once, are recorded, so a later edit of either is put back.
    """
    claimed = dict(sync.bot_comments)
    for key, body in comments.items():
        found = sync.unclaimed.get(key)
        parsed = marker_week(key)
        if found is not None and parsed is not None and found.digest == digest(body):
            claimed[key] = written(found.id, body, parsed[1] in WRITTEN_ONCE)
    weeks = {
        week: issue.model_copy(update={"written": digest(issues[week])})
        for week, issue in sync.issues.items()
        if week in issues and not issue.written and issue.digest == digest(issues[week])
    }
    if claimed == sync.bot_comments and not weeks:
        return sync
    unclaimed = {key: item for key, item in sync.unclaimed.items() if key not in claimed}
    return sync.model_copy(update={"bot_comments": claimed, "unclaimed": unclaimed, "issues": {**sync.issues, **weeks}})
