"""What the bot takes from GitHub: its own issues and comments by marker, members' links by the rules."""

from __future__ import annotations

from helpers import kst

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.core.members import Roster
from studybot.core.observe import comment_evidence, observe_comments, observe_issues
from studybot.core.records import Comment, Issue, IssueState
from studybot.core.state import SyncState, WeekIssue

BOT = "github-actions[bot]"
CONFIG = parse_config(
    "study: {name: T}\nschedule: {weeks: 2, first_deadline: 2022-04-13 00:00}\nfines: {late: 1, absent: 2}\n"
    "members:\n  - {name: 장서진, github: SEOJIN-Lab, maintainer: true}\n  - {name: 구미진, github: mijinkoo}\n"
    "  - {name: 이은빈, github: binable43}\n"
)


def issue(number: int, body: str, author: str = BOT, state=IssueState.OPEN) -> Issue:
    return Issue(number, f"#{number}", body, state, ("Q&A",), author, kst(2022, 4, 6), kst(2022, 4, 6))


def comment(cid: int, body: str, author: str, created=kst(2022, 4, 10), updated=None, issue_number: int = 7) -> Comment:
    return Comment(cid, issue_number, author, body, created, updated or created)


WEEK1 = SyncState(issues={1: WeekIssue(number=7)})


def test_week_issues_are_the_bots_by_marker_and_author():
    """A member's issue carrying a copied marker is not taken for the week's issue."""
    ledger = observe_issues(SyncState(), [
        issue(3, "forged " + marker(1, Kind.ISSUE), author="mijinkoo"),
        issue(7, marker(1, Kind.ISSUE) + "\nbody"),
        issue(9, marker(1, Kind.ISSUE) + "\nsecond"),
    ])
    assert ledger.issues[1].number == 7
    assert ledger.cursors.issues_since == kst(2022, 4, 6)


def test_closed_state_is_remembered():
    """When the week's issue is closed (by anyone) the ledger knows it."""
    ledger = observe_issues(WEEK1, [issue(7, marker(1, Kind.ISSUE), state=IssueState.CLOSED)])
    assert ledger.issues[1].state == "closed"


def test_a_member_comment_with_the_bots_marker_is_still_the_members():
    """A member's comment with the bot's results marker (edited in by anyone with write access) is
    not the bot's: no receipt recorded it. Its link counts, and it is remembered as marked."""
    ledger = observe_comments(WEEK1, [comment(1, marker(1, Kind.RESULTS) + " https://x.example", "mijinkoo")])
    assert ledger.bot_comments == {} and ledger.unclaimed == {}
    assert ledger.comments[1].links == {"https://x.example": kst(2022, 4, 10)} and ledger.comments[1].marked


def test_edit_rule_first_link_time_then_edit_time():
    """An unedited link counts when written; a link added by an edit counts at the edit."""
    first = observe_comments(WEEK1, [comment(1, "https://a.example", "mijinkoo")])
    edited = observe_comments(first, [comment(1, "https://a.example\n제출 https://b.example", "mijinkoo",
                                              updated=kst(2022, 4, 13, 2))])
    assert edited.comments[1].links == {"https://a.example": kst(2022, 4, 10),
                                        "https://b.example": kst(2022, 4, 13, 2)}


def test_a_link_first_seen_already_edited_counts_at_the_edit():
    """If the bot first meets a comment after it was edited, its links count at the edit time."""
    ledger = observe_comments(WEEK1, [comment(1, "https://a.example", "mijinkoo", updated=kst(2022, 4, 13, 2))])
    assert ledger.comments[1].links == {"https://a.example": kst(2022, 4, 13, 2)}


def test_comments_elsewhere_do_not_submit():
    """A link on an issue that is not a week's Q&A issue is no submission."""
    assert observe_comments(WEEK1, [comment(1, "https://a.example", "mijinkoo", issue_number=99)]).comments == {}


def test_comment_evidence_members_only_and_bad_links_warned():
    """Guests' links are ignored; a member's javascript: link is a warning, not a submission."""
    ledger = observe_comments(WEEK1, [
        comment(1, "https://guest.example", "someone-else"),
        comment(2, "javascript:alert(1)", "mijinkoo"),
        comment(3, "제출 https://ok.example", "binable43"),
    ])
    evidence = comment_evidence(ledger, Roster(CONFIG), {1: "이은빈"})
    assert set(evidence.submissions) == {("이은빈", 1)}
    assert evidence.submissions[("이은빈", 1)].trusted and evidence.submissions[("이은빈", 1)].source.value == "issue"
    assert [(n.problem.value, n.member) for n in evidence.warnings] == [("bad_link", "구미진")]


def test_blog_by_the_writer_or_a_maintainer_counts():
    """/blog from the week's writer or a maintainer marks the post done; from anyone else it does not."""
    other = observe_comments(WEEK1, [comment(1, "/blog https://blog.example/x", "mijinkoo")])
    assert comment_evidence(other, Roster(CONFIG), {1: "이은빈"}).blog == {}
    writer = observe_comments(WEEK1, [comment(2, "/blog https://blog.example/1", "binable43")])
    assert comment_evidence(writer, Roster(CONFIG), {1: "이은빈"}).blog[1].url == "https://blog.example/1"
    leader = observe_comments(WEEK1, [comment(3, "/blog https://blog.example/2", "SEOJIN-Lab")])
    assert comment_evidence(leader, Roster(CONFIG), {1: "이은빈"}).blog[1].url == "https://blog.example/2"


def test_the_bot_is_recognised_under_a_personal_or_app_token():
    """Markers by an App's [bot] account or by a maintainer (a personal token) are the bot's."""
    app = observe_issues(SyncState(), [issue(7, marker(1, Kind.ISSUE), author="studybot-app[bot]")])
    assert app.issues[1].number == 7
    personal = observe_issues(SyncState(), [issue(8, marker(1, Kind.ISSUE), author="SEOJIN-Lab")], ("seojin-lab",))
    assert personal.issues[1].number == 8
    member = observe_issues(SyncState(), [issue(9, marker(1, Kind.ISSUE), author="mijinkoo")], ("seojin-lab",))
    assert member.issues == {}
