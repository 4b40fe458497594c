"""What the bot reads back from GitHub: its setup issue, stray markers, quiet comments."""

from __future__ import annotations

from helpers import kst
from test_observe import BOT, CONFIG, WEEK1, comment, issue

from studybot.core.markers import Kind, marker
from studybot.core.members import Roster
from studybot.core.observe import comment_evidence, observe_comments, observe_issues
from studybot.core.records import IssueState
from studybot.core.state import SyncState, WeekIssue


def test_the_setup_issue_is_remembered_once():
    """The bot's setup issue is remembered with its state; a second setup issue is not adopted."""
    closed = observe_issues(SyncState(), [issue(4, marker(0, Kind.SETUP), state=IssueState.CLOSED)])
    assert closed.setup is not None and (closed.setup.number, closed.setup.state) == (4, "closed")
    reopened = observe_issues(closed, [issue(4, marker(0, Kind.SETUP))])
    assert reopened.setup is not None and reopened.setup.state == "open"
    other = observe_issues(closed, [issue(5, marker(0, Kind.SETUP))])
    assert other.setup is not None and other.setup.number == 4


def test_an_issue_with_a_comment_marker_is_not_a_week_issue():
    """An issue carrying a reminder's marker is not taken for the week's Q&A issue."""
    assert observe_issues(SyncState(), [issue(6, marker(1, Kind.REMINDER))]).issues == {}


def test_a_marked_comment_no_receipt_recorded_is_only_unclaimed():
    """A marked comment by the bot's account is kept aside as unclaimed; the same marker from a member is ignored."""
    mark = marker(1, Kind.REMINDER)
    seen = observe_comments(WEEK1, [comment(1, mark, BOT), comment(2, mark + " 가짜", "mijinkoo")])
    assert seen.bot_comments == {} and seen.unclaimed[mark].id == 1 and seen.comments == {}


def test_a_recorded_comment_is_followed_by_its_id_and_a_lookalike_is_ignored():
    """The comment a receipt recorded has its digest updated; another one with its marker changes nothing."""
    from studybot.core.markers import digest
    from studybot.core.state import BotComment

    mark = marker(1, Kind.REMINDER)
    known = WEEK1.model_copy(update={"bot_comments": {mark: BotComment(id=1, digest=digest(mark), text=mark)}})
    seen = observe_comments(known, [comment(1, mark + " 수정됨", "mijinkoo"), comment(2, mark, BOT)])
    assert seen.bot_comments[mark] == BotComment(id=1, digest=digest(mark + " 수정됨"), text=mark)
    assert seen.unclaimed == {}


def test_a_comment_without_links_submits_nothing():
    """A plain question on the week's issue is not recorded as a submission."""
    assert observe_comments(WEEK1, [comment(1, "질문 있어요", "mijinkoo")]).comments == {}


def test_only_bad_links_in_a_comment_warn_but_never_count_as_replaced():
    """A comment whose links are all invalid warns about each and reports no replaced link."""
    sync = observe_comments(SyncState(issues={1: WeekIssue(number=7)}), [
        comment(1, "javascript:alert(1)", "mijinkoo", created=kst(2022, 4, 12)),
    ])
    evidence = comment_evidence(sync, Roster(CONFIG), {1: None}, deadlines={1: kst(2022, 4, 13)})
    assert [n.problem.value for n in evidence.warnings] == ["bad_link"] and not evidence.submissions


def test_a_link_added_after_the_deadline_beside_an_earlier_one_is_warned():
    """A member who adds a second link to their comment after the deadline keeps the first, with a warning."""
    first = observe_comments(WEEK1, [comment(1, "제출 https://a.example/1", "mijinkoo", created=kst(2022, 4, 12))])
    edited = comment(1, "제출 https://a.example/1 https://b.example/2", "mijinkoo",
                     created=kst(2022, 4, 12), updated=kst(2022, 4, 14))
    sync = observe_comments(first, [edited])
    evidence = comment_evidence(sync, Roster(CONFIG), {1: None}, deadlines={1: kst(2022, 4, 13)})
    (notice,) = evidence.warnings
    assert notice.problem.value == "link_replaced" and notice.other == "https://a.example/1"


def test_a_second_issue_the_bot_opened_for_a_week_is_a_duplicate_whose_comments_count():
    """Another bot issue for a known week is recorded as its duplicate, and a link left on it is the week's."""
    from studybot.core.state import Duplicate

    twin = issue(6, marker(1, Kind.ISSUE))
    seen = observe_issues(WEEK1, [twin])
    assert seen.issues[1].number != 6 and seen.duplicates == {6: Duplicate(week=1)}
    closed = observe_issues(seen, [issue(6, marker(1, Kind.ISSUE), state=IssueState.CLOSED)])
    assert closed.duplicates == {6: Duplicate(week=1, state="closed")}
    assert observe_issues(closed, [twin]).duplicates == {6: Duplicate(week=1, state="closed")}  # not reopened by a stale read
    linked = observe_comments(seen, [comment(1, "제출 https://mj.example/1", "mijinkoo", issue_number=6)])
    assert linked.comments[1].week == 1
