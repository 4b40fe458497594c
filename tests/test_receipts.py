"""What each write looks like in the dry-run list, and what GitHub's answer records in the ledger."""

from __future__ import annotations

import pytest

from studybot.core.config import NotifyEvent
from studybot.core.markers import Kind, digest, marker
from studybot.core.messages import messages_for
from studybot.core.notices import Notice
from studybot.core.plan import (
    CloseIssue,
    CloseQuestion,
    CommitFiles,
    CreateIssue,
    EditIssue,
    Notify,
    PostComment,
    Reply,
    SetupIssue,
)
from studybot.core.receipts import Receipt, issue_of, record
from studybot.core.state import BotComment, State, SyncState, WeekIssue

NOTICE = Notice(NotifyEvent.OPENED, 1, "1주차 시작", "본문")
OPERATIONS = [
    CreateIssue(1, "[1주차] Q&A", "body", ("Q&A",)),
    EditIssue(1, 3, "body"),
    CloseIssue(1, 3),
    PostComment(1, Kind.REMINDER, "body"),
    PostComment(1, Kind.REMINDER, "body", existing=11),
    CloseQuestion(1, 7, "note", "body"),
    Reply(3, 50, "body"),
    Reply(3, 50, reaction="+1"),
    SetupIssue("setup", "body"),
    SetupIssue("setup", "body", 2),
    Notify(1, "discord", "k", NOTICE, {}, "ko"),
    CommitFiles("README.md", None, ".studybot/ledger.json", "msg", (("feed.ics", "x"),)),
]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_write_is_described_in_the_dry_run(language):
    """Each kind of write has its own line in both languages, naming what it touches."""
    messages = messages_for(language)
    lines = [operation.describe(messages) for operation in OPERATIONS]
    assert len(set(lines)) == len(lines) and all(lines)
    assert "feed.ics" in lines[-1] and "README.md" not in lines[-1] and "Discord" in lines[-2]


def opened() -> State:
    return State(sync=SyncState(issues={1: WeekIssue(number=3)}))


def test_a_new_issue_and_its_edits_and_close_are_recorded():
    """Opening records the issue number and body digest; editing updates the digest; closing the state."""
    state = record(State(), CreateIssue(1, "t", "v1", ()), Receipt(number=3, author="bot[bot]"))
    assert state.sync.issues[1].number == 3 and state.sync.bot_login == "bot[bot]"
    state = record(state, EditIssue(1, 3, "v2"), Receipt())
    assert state.sync.issues[1].digest == digest("v2") and issue_of(state, CloseIssue(1, 3)) == 3
    assert record(state, CloseIssue(1, 3), Receipt()).sync.issues[1].state == "closed"


def test_comments_keep_their_ids():
    """A new comment records GitHub's id; an edited one keeps the id it had."""
    new = record(opened(), PostComment(1, Kind.REMINDER, "b"), Receipt(comment=20))
    assert new.sync.bot_comments[marker(1, Kind.REMINDER)] == BotComment(id=20, digest=digest("b"), text="b")
    edited = record(opened(), PostComment(1, Kind.REMINDER, "b2", existing=20), Receipt())
    assert edited.sync.bot_comments[marker(1, Kind.REMINDER)].id == 20


def test_a_question_closed_with_or_without_a_note():
    """Closing a question with a note records the note; closing one already noted records nothing."""
    noted = record(opened(), CloseQuestion(1, 7, "m", "note"), Receipt(comment=30))
    assert noted.sync.bot_comments["m"].id == 30
    assert record(opened(), CloseQuestion(1, 7, "m", None), Receipt()) == opened()


def test_a_command_is_answered_once():
    """A reply comment is remembered by its id; a reaction alone still marks the command as applied."""
    replied = record(opened(), Reply(3, 50, "ok"), Receipt(comment=31))
    assert replied.sync.bot_comments[marker(0, Kind.REPLY, 50)].id == 31 and replied.sync.commands == [50]
    reacted = record(opened(), Reply(3, 51, reaction="+1"), Receipt())
    assert reacted.sync.commands == [51] and reacted.sync.bot_comments == {}


def test_the_setup_issue_is_recorded_when_opened_or_edited():
    """The setup issue keeps the number GitHub gave it, or the one it was edited under."""
    assert record(State(), SetupIssue("t", "b"), Receipt(number=2)).sync.setup == WeekIssue(number=2, digest=digest("b"))
    assert record(State(), SetupIssue("t", "b", 4), Receipt()).sync.setup.number == 4  # type: ignore[union-attr]


def test_a_notice_is_recorded_only_when_sent():
    """A notice the webhook refused is not recorded, so the next run sends it again."""
    notify = Notify(1, "slack", "opened:1", NOTICE, {}, "ko")
    assert record(State(), notify, Receipt()).sync.sent == []
    assert record(State(), notify, Receipt(sent=True)).sync.sent == ["opened:1"]


def test_the_commit_records_nothing_more():
    """The commit itself adds nothing to the ledger it carries."""
    assert record(opened(), OPERATIONS[-1], Receipt()) == opened()  # type: ignore[arg-type]


def test_a_duplicate_closed_with_or_without_a_note():
    """Closing a duplicate records it closed, and the note with its text when one was posted."""
    from studybot.core.plan import CloseDuplicate

    noted = record(opened(), CloseDuplicate(1, 5, "d", "note"), Receipt(comment=40))
    assert noted.sync.duplicates[5].state == "closed" and noted.sync.bot_comments["d"].text == "note"
    bare = record(opened(), CloseDuplicate(1, 5, "d", None), Receipt())
    assert bare.sync.duplicates[5].state == "closed" and "d" not in bare.sync.bot_comments
