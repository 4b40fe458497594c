"""Which comments are the bot's own: recorded ids, or a body this run is about to write."""

from __future__ import annotations

from studybot.core.claims import claim, restorations
from studybot.core.markers import Kind, digest, marker
from studybot.core.plan import CloseDuplicate, CloseQuestion, PostComment, Reply, RestoreComment
from studybot.core.state import BotComment, SyncState

REMINDER = marker(1, Kind.REMINDER)



def test_nothing_unclaimed_changes_nothing():
    """Without unclaimed comments the operations and the sync are as they were."""
    operations = [PostComment(1, Kind.REMINDER, "b")]
    assert claim(operations, SyncState()) == (operations, SyncState())


def test_a_post_already_made_with_the_same_body_is_claimed_not_repeated():
    """A stopped run's reminder, found unclaimed with this run's exact body, is taken as the bot's own."""
    sync = SyncState(unclaimed={REMINDER: BotComment(id=7, digest=digest("b"))})
    kept, after = claim([PostComment(1, Kind.REMINDER, "b")], sync)
    assert kept == [] and after.bot_comments[REMINDER] == BotComment(id=7, digest=digest("b"), text="b")
    assert after.unclaimed == {}


def test_a_marked_comment_with_another_body_is_not_the_bots():
    """A lookalike with the reminder's marker but other words leaves the reminder to be posted."""
    sync = SyncState(unclaimed={REMINDER: BotComment(id=7, digest=digest("가짜"))})
    kept, after = claim([PostComment(1, Kind.REMINDER, "b")], sync)
    assert kept == [PostComment(1, Kind.REMINDER, "b")] and after.bot_comments == {} and REMINDER in after.unclaimed


def test_replies_and_question_notes_already_posted_are_claimed():
    """A reply keeps only its reaction, a bare reply goes, and a question is closed without a second note."""
    replied, bare, note = marker(0, Kind.REPLY, 50), marker(0, Kind.REPLY, 51), marker(1, Kind.QUESTIONS, 7)
    twin = marker(1, Kind.DUPLICATE, 5)
    sync = SyncState(unclaimed={
        replied: BotComment(id=1, digest=digest("ok")), bare: BotComment(id=2, digest=digest("hi")),
        note: BotComment(id=3, digest=digest("closed")), twin: BotComment(id=4, digest=digest("dup")),
    })
    operations = [Reply(3, 50, "ok", "+1"), Reply(3, 51, "hi"), CloseQuestion(1, 7, note, "closed"),
                  CloseDuplicate(1, 5, twin, "dup"), Reply(3, 52, reaction="eyes")]
    kept, after = claim(operations, sync)
    assert kept == [Reply(3, 50, reaction="+1"), CloseQuestion(1, 7, note, None), CloseDuplicate(1, 5, twin, None),
                    Reply(3, 52, reaction="eyes")]
    assert {after.bot_comments[key].id for key in (replied, bare, note, twin)} == {1, 2, 3, 4}


def test_comments_written_once_are_put_back_when_their_body_changed():
    """A reminder whose seen body is not the one the bot wrote is restored; an unchanged one and results are not."""
    sync = SyncState(bot_comments={
        REMINDER: BotComment(id=7, digest=digest("고침"), text="원래"),
        marker(2, Kind.REMINDER): BotComment(id=8, digest=digest("그대로"), text="그대로"),
        marker(1, Kind.RESULTS): BotComment(id=9, digest=digest("고침")),
    })
    assert restorations(sync) == [RestoreComment(REMINDER, 7, "원래")]


def test_a_closing_note_whose_answer_was_lost_is_claimed_with_its_text():
    """The note is on GitHub exactly as the bot means to write it: its receipt and text are recorded."""
    from studybot.core.claims import reclaimed

    key = marker(7, Kind.CLOSING)
    body = key + "\n7주차 과제 제출을 마감했습니다."
    sync = SyncState(unclaimed={key: BotComment(id=70, digest=digest(body))})
    after = reclaimed(sync, {key: body}, {})
    assert after.bot_comments[key].id == 70 and after.bot_comments[key].text == body
    assert key not in after.unclaimed


def test_a_lookalike_note_or_an_unknown_issue_body_is_not_claimed():
    """Another body under the marker stays unclaimed; an issue body that differs keeps no digest."""
    from studybot.core.claims import reclaimed
    from studybot.core.state import WeekIssue

    key = marker(7, Kind.CLOSING)
    sync = SyncState(
        unclaimed={key: BotComment(id=70, digest=digest("someone else's words"))},
        issues={2: WeekIssue(number=5, digest=digest("edited body"))},
    )
    assert reclaimed(sync, {key: key + "\nthe bot's words"}, {2: "the bot's body"}) == sync


def test_an_issue_body_the_bot_wrote_gets_its_digest_back():
    """A week's issue seen with exactly the body the bot writes for it: the digest of what it wrote is recorded."""
    from studybot.core.claims import reclaimed
    from studybot.core.state import WeekIssue

    body = marker(2, Kind.ISSUE) + "\n## 2주차 Q&A"
    sync = SyncState(issues={2: WeekIssue(number=5, digest=digest(body)), 3: WeekIssue(number=6, digest="x", written="x")})
    after = reclaimed(sync, {}, {2: body, 3: "other"})
    assert after.issues[2].written == digest(body) and after.issues[3].written == "x"
