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


# ---- What the bot reads back from GitHub: its setup issue, stray markers, quiet comments --------

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
# Comments as members write them: the week a comment names, links that did not count, floods.

TWO_WEEKS = SyncState(issues={1: WeekIssue(number=7), 2: WeekIssue(number=8)})
DEADLINES = {1: kst(2022, 4, 13), 2: kst(2022, 4, 20)}  # week 2's issue opens 04-13 00:00
CUTOFFS = {1: kst(2022, 4, 13, 12), 2: kst(2022, 4, 20, 12)}


def evidence_of(*comments: Comment, sync: SyncState = TWO_WEEKS):
    seen = observe_comments(sync, comments)
    return comment_evidence(seen, Roster(CONFIG), {1: None, 2: None}, deadlines=DEADLINES, late_until=CUTOFFS)


def test_a_comment_naming_another_open_week_counts_for_that_week():
    """'2주차 과제 제출합니다' on week 1's issue once week 2 is open: week 2's submission, week 1 untouched."""
    evidence = evidence_of(comment(1, "2주차 과제 제출합니다 https://a.example/2", "mijinkoo", created=kst(2022, 4, 14)))
    assert set(evidence.submissions) == {("구미진", 2)} and evidence.warnings == []


def test_a_comment_naming_a_week_before_it_opens_counts_for_no_week_and_is_told():
    evidence = evidence_of(comment(1, "2주차 과제 제출합니다 https://a.example/2", "mijinkoo", created=kst(2022, 4, 12)))
    assert evidence.submissions == {}
    (notice,) = evidence.warnings
    assert (notice.problem.value, notice.week, notice.member, notice.detail) == ("week_not_open", 2, "구미진", "https://a.example/2")
    assert (notice.ref, notice.other, notice.at) == ("7", "1", kst(2022, 4, 12))  # on issue #7, week 1's


def test_a_comment_naming_a_week_past_its_cut_off_counts_for_no_week_and_is_told():
    """'1주차 과제' on week 2's issue after week 1's cut-off is week 1's homework, too late: not week 2's either."""
    evidence = evidence_of(comment(1, "1주차 과제 제출합니다 https://a.example/1", "mijinkoo", created=kst(2022, 4, 14),
                                   issue_number=8))
    assert evidence.submissions == {}
    assert [(n.problem.value, n.week, n.other) for n in evidence.warnings] == [("week_closed", 1, "2")]


def test_a_week_outside_the_schedule_is_taken_for_a_typo_and_the_issues_week_counts():
    evidence = evidence_of(comment(1, "9주차 과제 제출합니다 https://a.example/1", "mijinkoo", created=kst(2022, 4, 12)))
    assert set(evidence.submissions) == {("구미진", 1)} and evidence.warnings == []


def test_links_that_look_handed_in_but_did_not_count_are_told_with_why():
    """No word of handing in, a question about handing in, and a second link: one line each for the leader."""
    evidence = evidence_of(
        comment(1, "다 했어요 https://a.example/1", "mijinkoo"),
        comment(2, "과제 이렇게 하면 되나요? https://a.example/q", "binable43"),
        comment(3, "제출 https://a.example/3 https://a.example/extra", "SEOJIN-Lab"),
        comment(4, "이 에러 왜 날까요? https://stackoverflow.example/1", "mijinkoo"),  # a plain question: nothing
    )
    told = {(n.problem.value, n.member, n.detail) for n in evidence.warnings}
    assert told == {
        ("uncounted_no_word", "구미진", "https://a.example/1"),
        ("uncounted_question", "이은빈", "https://a.example/q"),
        ("uncounted_extra", "장서진", "https://a.example/extra"),
    }


def test_a_link_handed_in_by_a_later_edit_is_no_longer_told_as_uncounted():
    first = observe_comments(TWO_WEEKS, [comment(1, "다 했어요 https://a.example/1", "mijinkoo")])
    edited = observe_comments(first, [comment(1, "과제 제출합니다 https://a.example/1", "mijinkoo", updated=kst(2022, 4, 11))])
    evidence = comment_evidence(edited, Roster(CONFIG), {}, deadlines=DEADLINES)
    assert evidence.submissions[("구미진", 1)].at == kst(2022, 4, 11) and evidence.warnings == []


def test_more_link_comments_in_24_hours_than_the_bot_answers_are_told_once():
    """Four link comments within a day: one line saying how many; four spread over two days: none."""
    crowded = evidence_of(*(comment(n, f"제출 https://a.example/{n}", "mijinkoo", created=kst(2022, 4, 10, n))
                            for n in range(1, 5)))
    (notice,) = [n for n in crowded.warnings if n.problem.value == "many_comments"]
    assert (notice.member, notice.detail, notice.other, notice.at) == ("구미진", "4", "3", kst(2022, 4, 10, 1))
    spread = evidence_of(*(comment(n, f"제출 https://a.example/{n}", "mijinkoo", created=kst(2022, 4, 9 + n // 3, n))
                           for n in range(1, 5)))
    assert not [n for n in spread.warnings if n.problem.value == "many_comments"]


def test_a_marked_member_comment_is_told_to_the_leader():
    evidence = evidence_of(comment(1, marker(1, Kind.RESULTS) + "\n제출 https://a.example/1", "mijinkoo"))
    assert set(evidence.submissions) == {("구미진", 1)}
    assert [(n.problem.value, n.member, n.ref) for n in evidence.warnings] == [("marked_comment", "구미진", "7")]


def test_the_bots_own_comment_is_known_by_its_receipt_even_without_its_marker():
    """A member who strips the marker from the bot's comment does not turn it into a member's comment."""
    from studybot.core.state import BotComment

    sync = WEEK1.model_copy(update={"bot_comments": {marker(1, Kind.RESULTS): BotComment(id=5, digest="x")}})
    seen = observe_comments(sync, [comment(5, "제출 https://a.example/1", BOT)])
    assert seen.comments == {} and seen.bot_comments[marker(1, Kind.RESULTS)].digest != "x"


def test_the_leader_reads_each_uncounted_link_with_who_when_where_and_the_week_in_both_languages():
    from studybot.core.markup import escape
    from studybot.core.messages import messages_for

    evidence = evidence_of(comment(1, "2주차 과제 제출합니다 https://a.example/2", "mijinkoo", created=kst(2022, 4, 12)),
                           comment(2, "다 했어요 https://a.example/1", "binable43"))
    week_not_open, no_word = sorted(evidence.warnings, key=lambda n: n.problem.value, reverse=True)
    ko, en = messages_for("ko"), messages_for("en")
    assert ko.notice(week_not_open, escape) == (
        "구미진 님이 4월 12일(화) 00:00에 1주차 이슈 #7에 단 댓글은 2주차 과제라고 적혀 있지만, 그때 2주차가 열리기 전이라 "
        "어느 주차 제출로도 보지 않았습니다: https://a.example/2. 2주차 이슈가 열리면 다시 올려 달라고 알려 주세요. "
        "댓글 시각의 제출로 보려면 `/studybot 인정 구미진 2`(또는 1주차 과제였다면 `/studybot 인정 구미진 1`)를 써 주세요."
    )
    assert en.notice(week_not_open, escape).startswith(
        "구미진's comment on week 1's issue #7 (Tue 12 Apr 00:00) says week 2, but week 2 had not opened yet"
    )
    assert ko.notice(no_word, escape).startswith("1주차 이은빈 님이 4월 10일(일) 00:00에 이슈 #7에 단 댓글의 링크를 제출로 보지 않았습니다")
    assert en.notice(no_word, escape).startswith("Week 1: the link in 이은빈's comment on issue #7 (Sun 10 Apr 00:00) did not count")
