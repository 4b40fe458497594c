"""Commands and members' tricks as World -> Plan: the seed study in memory, no git, no fake server.

``Desk`` keeps a study's README history (as PatchCommit/Hunk records with their pushes),
comments and state; each ``run`` builds a ``World``, calls ``decide`` and records the plan's
writes with made-up receipts, as apply would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from helpers import ROOT, decide_on, kst, started

from studybot.core.config import StudyConfig, parse_config
from studybot.core.decide import Plan
from studybot.core.evidence import Problem
from studybot.core.markers import Kind, marker
from studybot.core.plan import CommitFiles, PostComment, Reply
from studybot.core.receipts import Receipt, record
from studybot.core.records import Activity, ActivityPage, Comment, CommitInfo, Hunk, PatchCommit, Permission
from studybot.core.regions import read_region
from studybot.core.schedule import build_schedule
from studybot.core.state import Push, State, WeekIssue, dump_state
from studybot.core.verdicts import Verdict
from studybot.core.world import GitHubRecords, GitRecords, ReadRequest, World
from studybot.shell.demo import put_link

EXAMPLE = ROOT / "studybot" / "example"
LEADER = "SEOJIN-Lab"
BOT = "github-actions[bot]"
LOGINS = {"장서진": LEADER, "구미진": "mijinkoo", "이은빈": "binable43", "한현경": "shining-arrow", "문수인": "m0oon0"}
ISSUE = 9  # week 1's Q&A issue
RESULTS_AT = kst(2022, 4, 13, 12, 5)  # week 1 is final (deadline 04-13 00:00, late until 12:00)


class Desk:
    """A study in memory: README commits with their pushes, comments, and the state between runs."""

    def __init__(self, config_text: str | None = None) -> None:
        self.config_text = config_text or (EXAMPLE / "study.yml").read_text()
        self.config: StudyConfig = parse_config(self.config_text)
        self.readme = (EXAMPLE / "README.md").read_text()
        first = CommitInfo("c0", (), LEADER, f"{LEADER}@users.noreply.github.com", kst(2022, 4, 1))
        self.patches = [PatchCommit(first, (Hunk(0, 0, 1, 1, (), tuple(self.readme.splitlines())),))]
        self.parents: dict[str, tuple[str, ...]] = {"c0": ()}
        self.comments: dict[int, Comment] = {}
        self.permissions = {login: Permission.WRITE for login in LOGINS.values()} | {LEADER: Permission.ADMIN}
        self.permissions["stranger"] = Permission.NONE
        self.state: State = started(issues={1: WeekIssue(number=ISSUE)})
        self.ids = 1000
        self.activity: tuple[Activity, ...] = ()  # the activity page this run reads (none by default)

    def edit(self, login: str, pushed: dt.datetime, change: Callable[[str], str], authored: dt.datetime | None = None):
        """``login`` commits ``change`` to the README (dated ``authored``) and pushes it at ``pushed``."""
        old, new = self.readme.splitlines(), change(self.readme).splitlines()
        (line,) = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        parent, sha = f"c{len(self.patches) - 1}", f"c{len(self.patches)}"
        info = CommitInfo(sha, (parent,), login, f"{login}@users.noreply.github.com", authored or pushed)
        self.patches.append(PatchCommit(info, (Hunk(line + 1, 1, line + 1, 1, (old[line],), (new[line],)),)))
        self.parents[sha] = (parent,)
        self.readme = "\n".join(new) + "\n"
        push = Push(before=parent, after=sha, at=pushed, actor=login)
        self.state = self.state.with_sync(pushes=[*self.state.sync.pushes, push])

    def say(self, body: str, author: str, at: dt.datetime, *, edited: dt.datetime | None = None) -> int:
        """A comment on week 1's issue; returns its id."""
        self.ids += 1
        self.comments[self.ids] = Comment(self.ids, ISSUE, author, body, at, edited or at)
        return self.ids

    def reword(self, comment_id: int, body: str, at: dt.datetime) -> None:
        self.comments[comment_id] = dataclasses.replace(self.comments[comment_id], body=body, updated_at=at)

    def world(self, **request: object) -> World:
        git = GitRecords(head=f"c{len(self.patches) - 1}", parents=dict(self.parents), readme_patches=tuple(self.patches))
        github = GitHubRecords(
            branch="main", comments=tuple(self.comments.values()), activity=ActivityPage(self.activity, None),
            permissions=self.permissions, questions=(), rules_read=True,  # rules unreadable: CODEOWNERS decides
        )
        files = {"README.md": self.readme, ".github/CODEOWNERS": f"* @{LEADER}\n"}
        return World(files, dump_state(self.state), git, github, ReadRequest(**request))  # type: ignore[arg-type]

    def run(self, now: dt.datetime, **request: object) -> Plan:
        """decide once, then record every write as if GitHub had answered it."""
        plan = decide_on(self.config, build_schedule(self.config), self.world(**request), self.state, now)
        assert plan.reread is None, plan.reread
        state = plan.state
        for operation in plan.operations:
            self.ids += 1
            state = record(state, operation, Receipt(number=self.ids, comment=self.ids, author=BOT, sent=True))
        self.state = state
        return plan


def answer(plan: Plan, comment_id: int) -> Reply:
    (reply,) = [op for op in plan.operations if isinstance(op, Reply) and op.comment == comment_id]
    return reply


def replies(plan: Plan, comment_id: int) -> list[Reply]:
    return [op for op in plan.operations if isinstance(op, Reply) and op.comment == comment_id]


def verdict(plan: Plan, member: str, week: int = 1) -> tuple[str, int]:
    judgement = next(w for w in plan.report.weeks if w.week.number == week).members[member]
    return judgement.verdict.value, judgement.fine


def frozen(desk: Desk, member: str, week: int = 1) -> tuple[str, int]:
    item = desk.state.decisions.weeks[week].members[member]
    return item.verdict.value, item.fine


def results(plan: Plan, week: int = 1) -> list[PostComment]:
    return [op for op in plan.operations if isinstance(op, PostComment) and op.kind is Kind.RESULTS and op.week == week]


def committed_readme(plan: Plan) -> str:
    (commit,) = [op for op in plan.operations if isinstance(op, CommitFiles)]
    assert commit.readme is not None
    return commit.readme


def fines_row(readme: str, member: str) -> str:
    return next(line for line in read_region(readme, "fines").splitlines() if line.startswith(f"| {member} |"))


def link(week: int, member: str, url: str) -> Callable[[str], str]:
    return lambda text: put_link(text, week, member, url)


@pytest.fixture()
def desk() -> Desk:
    return Desk()


# ---- who may command ---------------------------------------------------------------------------


def test_excusing_a_final_week_removes_the_fine_and_records_who_why_when(desk):
    """/studybot excuse on a final week makes it excused, records maintainer, reason and time, and redoes the results."""
    desk.run(RESULTS_AT)
    assert frozen(desk, "구미진") == ("absent", 4000)
    command = desk.say("/studybot excuse @mijinkoo 1 병결", LEADER, kst(2022, 4, 14, 9))
    plan = desk.run(kst(2022, 4, 14, 10))
    assert frozen(desk, "구미진") == ("excused", 0) and desk.state.decisions.weeks[1].members["구미진"].note == "병결"
    (override,) = plan.state.decisions.overrides
    assert (override.kind, override.by, override.reason, override.comment, override.at) == (
        "excuse", LEADER, "병결", command, kst(2022, 4, 14, 9))
    assert plan.report.tallies["구미진"].fines == 0 and "구미진" not in plan.report.settlement.excluded
    assert "면제했습니다" in (answer(plan, command).body or "")
    (posted,) = results(plan)
    assert posted.existing is not None and "| 구미진 | 🙏 면제 |" in posted.body


def test_a_command_is_applied_once_even_when_repeated_or_edited(desk):
    """Running again, or editing the command comment afterwards, neither applies it twice nor answers twice."""
    command = desk.say("/studybot paid @mijinkoo 3000", LEADER, kst(2022, 4, 7))
    assert len(replies(desk.run(kst(2022, 4, 7, 1)), command)) == 1
    assert replies(desk.run(kst(2022, 4, 7, 2)), command) == []
    desk.reword(command, "/studybot paid @mijinkoo 9000", kst(2022, 4, 7, 3))
    plan = desk.run(kst(2022, 4, 7, 4))
    assert replies(plan, command) == []
    assert [o.amount for o in plan.state.decisions.overrides if o.kind == "paid"] == [3000]


@pytest.mark.parametrize("login", ["mijinkoo", "stranger"], ids=["member-with-write-access", "outsider"])
def test_a_non_maintainer_cannot_excuse_themselves(desk, login):
    """/studybot excuse from anyone but a maintainer gets one polite reply, and the absence, fine and tables stay."""
    before = committed_readme(desk.run(RESULTS_AT))
    command = desk.say("/studybot excuse @mijinkoo 1 아파서", login, kst(2022, 4, 14))
    plan = desk.run(kst(2022, 4, 14, 1))
    assert verdict(plan, "구미진") == frozen(desk, "구미진") == ("absent", 4000)
    assert plan.state.decisions.overrides == [] and plan.report.tallies["구미진"].fines == 4000
    refusal = answer(plan, command)
    assert "스터디장(장서진)만" in (refusal.body or "") and refusal.reaction is None  # one write: the reply
    commit = [op for op in plan.operations if isinstance(op, CommitFiles)]
    assert not commit or commit[0].readme is None or read_region(commit[0].readme, "fines") == read_region(before, "fines")


def test_a_second_refusal_the_same_day_is_only_a_reaction(desk):
    """A member refused once today who tries again gets a confused reaction, not a second reply."""
    desk.say("/studybot excuse @mijinkoo 1 아파서", "mijinkoo", kst(2022, 4, 14))
    desk.run(kst(2022, 4, 14, 1))
    again = desk.say("/studybot excuse @mijinkoo 1 제발", "mijinkoo", kst(2022, 4, 14, 2))
    reply = answer(desk.run(kst(2022, 4, 14, 3)), again)
    assert reply.body is None and reply.reaction == "confused"


def test_a_configured_maintainer_without_write_access_cannot_command(desk):
    """maintainer: true is not enough when the account has only read access to the repository."""
    desk.permissions[LEADER] = Permission.READ
    command = desk.say("/studybot paid @mijinkoo 3000", LEADER, kst(2022, 4, 7))
    plan = desk.run(kst(2022, 4, 7, 1))
    assert plan.state.decisions.overrides == [] and "만 쓸 수 있어서" in (answer(plan, command).body or "")


def test_any_member_can_ask_for_their_status_once_a_day(desk):
    """/studybot 현황 gets a member their weeks and fines; the same day again an eyes reaction; a stranger, confused."""
    desk.run(RESULTS_AT)
    asked = desk.say("/studybot 현황", "mijinkoo", kst(2022, 4, 14))
    body = answer(desk.run(kst(2022, 4, 14, 1)), asked).body or ""
    assert "구미진" in body and "4,000원" in body
    again = desk.say("/studybot 내벌금", "mijinkoo", kst(2022, 4, 14, 2))
    stranger = desk.say("/studybot status", "stranger", kst(2022, 4, 14, 2))
    plan = desk.run(kst(2022, 4, 14, 3))
    assert (answer(plan, again).body, answer(plan, again).reaction) == (None, "eyes")
    assert (answer(plan, stranger).body, answer(plan, stranger).reaction) == (None, "confused")
    assert plan.state.decisions.overrides == []


def test_a_member_editing_the_leaders_comment_into_a_command_changes_nothing(desk):
    """The leader's old comment edited into '/studybot excuse' is declined with a request for a new comment."""
    desk.run(RESULTS_AT)
    thanks = desk.say("다들 수고하셨습니다!", LEADER, kst(2022, 4, 13, 13))
    desk.run(kst(2022, 4, 13, 14))  # seen: no command in it
    desk.reword(thanks, "/studybot excuse @mijinkoo 1 병결", kst(2022, 4, 14))
    plan = desk.run(kst(2022, 4, 14, 1))
    assert verdict(plan, "구미진") == frozen(desk, "구미진") == ("absent", 4000)
    assert plan.state.decisions.overrides == [] and "새 댓글로" in (answer(plan, thanks).body or "")


def test_a_command_carrying_the_bots_hidden_mark_is_answered_not_dropped(desk):
    """The leader's command pasted with the bot's hidden mark (or with one put in) is not carried
    out, and the leader is told why on the comment instead of hearing nothing."""
    desk.run(RESULTS_AT)
    pasted = desk.say(f"{marker(1, Kind.RESULTS)}\n/studybot excuse @mijinkoo 1 병결", LEADER, kst(2022, 4, 14))
    plan = desk.run(kst(2022, 4, 14, 1))
    assert plan.state.decisions.overrides == [] and verdict(plan, "구미진") == ("absent", 4000)
    assert "숨은 표시" in (answer(plan, pasted).body or "") and answer(plan, pasted).reaction is None
    assert pasted in plan.state.sync.commands  # answered once
    assert replies(desk.run(kst(2022, 4, 14, 2)), pasted) == []


# ---- what commands change ------------------------------------------------------------------------


def test_payments_show_as_paid_and_owed(desk):
    """After /studybot 납부 the README's fines table shows what was paid and what is still owed."""
    desk.run(RESULTS_AT)
    desk.say("/studybot 납부 @mijinkoo 3,000원", LEADER, kst(2022, 4, 14))
    fines = read_region(committed_readme(desk.run(kst(2022, 4, 14, 1))), "fines")
    assert "| 이름 | 1주차 | 벌금 | 납부 | 미납 |" in fines
    assert "| 구미진 | ❌ | 4,000원 | 3,000원 | 1,000원 |" in fines


def test_swap_blog_moves_the_week_and_gives_the_next_turn_back(desk):
    """swap-blog 2 @문수인 @장서진: 장서진 writes week 2 and 문수인 takes 장서진's next week (4)."""
    command = desk.say("/studybot swap-blog 2 @m0oon0 @SEOJIN-Lab", LEADER, kst(2022, 4, 7))
    plan = desk.run(kst(2022, 4, 7, 1))
    assert (plan.report.writers[2], plan.report.writers[3], plan.report.writers[4]) == ("장서진", "한현경", "문수인")
    assert "🔁 2주차 팀 블로그 담당: 문수인 → 장서진. 대신 4주차는 문수인 님이 씁니다." in (answer(plan, command).body or "")


def test_swap_blog_checks_who_writes_that_week(desk):
    """Swapping from someone who is not the week's writer is explained with a confused reaction and changes nothing."""
    command = desk.say("/studybot swap-blog 2 @mijinkoo @SEOJIN-Lab", LEADER, kst(2022, 4, 7))
    plan = desk.run(kst(2022, 4, 7, 1))
    assert plan.report.writers[2] == "문수인" and plan.state.decisions.overrides == []
    reply = answer(plan, command)
    assert "담당은 구미진 님이 아니라 문수인 님입니다" in (reply.body or "") and reply.reaction == "confused"


def test_two_swaps_in_one_run_see_each_other(desk):
    """A second swap in the same run is checked against the writers the first swap left."""
    desk.say("/studybot swap-blog 2 @m0oon0 @SEOJIN-Lab", LEADER, kst(2022, 4, 7))
    second = desk.say("/studybot swap-blog 2 @SEOJIN-Lab @binable43", LEADER, kst(2022, 4, 7, 0, 1))
    plan = desk.run(kst(2022, 4, 7, 1))
    assert plan.report.writers[2] == "이은빈" and "🔁" in (answer(plan, second).body or "")


def test_help_lists_the_commands_and_recheck_reads_again_then_says_thumbs_up(desk):
    """help answers with the command list; recheck asks for a read from the start, then gets a thumbs-up."""
    asked = desk.say("/studybot help", LEADER, kst(2022, 4, 7))
    recheck = desk.say("/studybot recheck", LEADER, kst(2022, 4, 7))
    first = decide_on(desk.config, build_schedule(desk.config), desk.world(), desk.state, kst(2022, 4, 7, 1))
    assert first.reread is not None and first.reread.from_start and not first.operations
    plan = desk.run(kst(2022, 4, 7, 1), from_start=True)
    assert "/studybot excuse @아이디" in (answer(plan, asked).body or "")
    assert (answer(plan, recheck).body, answer(plan, recheck).reaction) == (None, "+1")


def test_bad_arguments_are_explained(desk):
    """A command naming a week the schedule does not have is answered with what to fix."""
    command = desk.say("/studybot excuse @mijinkoo 99 병결", LEADER, kst(2022, 4, 7))
    plan = desk.run(kst(2022, 4, 7, 1))
    assert "99주차는 일정에 없는 주차" in (answer(plan, command).body or "") and plan.state.decisions.overrides == []


def test_a_config_excuse_reaches_a_final_week_and_unexcuse_takes_it_back(desk):
    """An excuse added to the config after the week is final applies; /studybot unexcuse removes it again."""
    desk.run(RESULTS_AT)
    assert frozen(desk, "구미진") == ("absent", 4000)
    desk.config = parse_config(desk.config_text.replace(
        "excuses: []", "excuses:\n  - {week: 1, member: 구미진, reason: 병결}"))
    desk.run(kst(2022, 4, 14))
    assert frozen(desk, "구미진")[0] == "excused"
    desk.say("/studybot unexcuse @mijinkoo 1", LEADER, kst(2022, 4, 15))
    plan = desk.run(kst(2022, 4, 15, 1))
    assert frozen(desk, "구미진")[0] == "absent" and plan.report.tallies["구미진"].fines == 4000


def test_a_config_swap_lets_the_new_writer_post_by_comment():
    """With a swap in the config, the new writer's /blog comment marks the week's post done."""
    desk = Desk((EXAMPLE / "study.yml").read_text().replace(
        "readme_column: 팀블로그}", "readme_column: 팀블로그, swaps: [{week: 1, member: 구미진}]}"))
    desk.say("/blog https://blog.example/1", "mijinkoo", kst(2022, 4, 12))
    plan = desk.run(kst(2022, 4, 12, 1))
    assert plan.report.weeks[0].blog_member == "구미진"
    assert plan.report.weeks[0].blog.url == "https://blog.example/1"


def test_the_final_settlement_is_planned_once_after_the_last_week():
    """After the last week is final the settlement statement is planned once, and the README says final."""
    desk = Desk((EXAMPLE / "study.yml").read_text().replace("weeks: 12", "weeks: 2"))
    desk.edit(LEADER, kst(2022, 4, 10), link(1, "장서진", "https://s.example/1"))
    statements, readmes = [], []
    for at in (kst(2022, 4, 13, 12, 5), kst(2022, 4, 27, 1), kst(2022, 5, 4, 12, 5), kst(2022, 5, 4, 13), kst(2022, 5, 5)):
        plan = desk.run(at)
        statements += [op for op in plan.operations if isinstance(op, PostComment) and op.kind is Kind.SETTLEMENT]
        readmes += [op.readme for op in plan.operations if isinstance(op, CommitFiles) and op.readme]
    (statement,) = statements
    assert marker(2, Kind.SETTLEMENT) in statement.body and "최종 정산" in statement.body and "총 벌금" in statement.body
    assert statement.body.count("정산 (꼴찌 제외 1/n)") == 1 and plan.report.finished
    assert "— 최종" in readmes[-1]


# ---- time tricks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pushed", "expected"),
    [(kst(2022, 4, 13, 9), ("late", 3000)), (kst(2022, 4, 13, 13), ("absent", 4000))],
    ids=["pushed-in-the-late-window", "pushed-after-the-cut-off"],
)
def test_a_back_dated_commit_counts_when_it_was_pushed(desk, pushed, expected):
    """A commit dated Tuesday evening but pushed on Wednesday is judged at the push, not at its date."""
    desk.edit("shining-arrow", pushed, link(1, "한현경", "https://h.example/1"), authored=kst(2022, 4, 12, 20))
    plan = desk.run(kst(2022, 4, 13, 14))  # the noon run was dropped; the bot comes late
    assert verdict(plan, "한현경") == frozen(desk, "한현경") == expected
    submission = plan.report.weeks[0].members["한현경"].submission
    if expected[0] == "late":
        assert submission.at == pushed and submission.trusted  # the server's push time, not the commit date


def test_a_comment_edited_after_the_deadline_to_add_a_link_is_late(desk):
    """A comment written on Tuesday and edited on Wednesday to hold the link counts at the edit: late."""
    desk.say("제출 https://soo.example/1", "m0oon0", kst(2022, 4, 12, 22), edited=kst(2022, 4, 13, 1))
    plan = desk.run(RESULTS_AT)  # the bot never saw the comment before the edit
    assert verdict(plan, "문수인") == ("late", 3000)
    assert "| 문수인 | ⏰ 지각 | 3,000원 |" in results(plan)[0].body


def test_a_comment_edited_after_the_cut_off_leaves_the_week_absent(desk):
    """Adding a link to an old comment after the week is final changes nothing: still absent, results not rewritten."""
    question = desk.say("질문 있어요", "m0oon0", kst(2022, 4, 12, 22))
    assert results(desk.run(RESULTS_AT))
    desk.reword(question, "https://soo.example/1", kst(2022, 4, 13, 15))
    plan = desk.run(kst(2022, 4, 13, 16))
    assert verdict(plan, "문수인") == frozen(desk, "문수인") == ("absent", 4000)
    assert results(plan) == []


@pytest.mark.parametrize("seen_before_removal", [False, True], ids=["never-seen", "seen-by-a-run"])
def test_removing_a_late_link_afterwards_is_still_late(desk, seen_before_removal):
    """Taking a late link out of the README before noon does not turn late into on time or absent."""
    desk.edit("mijinkoo", kst(2022, 4, 13, 9), link(1, "구미진", "https://m.example/1"))
    if seen_before_removal:
        desk.run(kst(2022, 4, 13, 10))
    desk.edit("mijinkoo", kst(2022, 4, 13, 11), link(1, "구미진", ""))
    plan = desk.run(RESULTS_AT)
    assert verdict(plan, "구미진") == frozen(desk, "구미진") == ("late", 3000)
    assert fines_row(committed_readme(plan), "구미진").startswith("| 구미진 | ⏰ |")


def test_removing_a_link_after_the_week_is_final_keeps_the_verdict(desk):
    """Deleting one's link once the week is final changes neither the frozen verdict nor the fines table."""
    desk.edit("mijinkoo", kst(2022, 4, 12, 9), link(1, "구미진", "https://m.example/1"))
    row = fines_row(committed_readme(desk.run(RESULTS_AT)), "구미진")
    desk.edit("mijinkoo", kst(2022, 4, 14), link(1, "구미진", ""))
    plan = desk.run(kst(2022, 4, 14, 1))
    assert verdict(plan, "구미진") == frozen(desk, "구미진") == ("on_time", 0)
    commit = [op for op in plan.operations if isinstance(op, CommitFiles)]
    assert not commit or commit[0].readme is None or fines_row(commit[0].readme, "구미진") == row


# ---- other people's entries ---------------------------------------------------------------------


def test_a_member_filling_another_members_cell_is_ignored_and_warned(desk):
    """구미진 putting a link into 한현경's cell does not hand in for 한현경, and the leader is told who did it."""
    desk.edit("mijinkoo", kst(2022, 4, 12, 10), link(1, "한현경", "https://fake.example/1"))
    plan = desk.run(RESULTS_AT)
    assert verdict(plan, "한현경") == ("absent", 4000)
    warnings = [w for w in plan.report.warnings if w.problem is Problem.NOT_OWNER]
    assert [(w.week, w.member, w.detail) for w in warnings] == [(1, "한현경", "구미진")]


def test_the_leader_may_fill_in_a_members_cell(desk):
    """A maintainer entering a link for a member (who sent it by chat) counts for that member."""
    desk.edit(LEADER, kst(2022, 4, 12, 10), link(1, "한현경", "https://h.example/1"))
    plan = desk.run(RESULTS_AT)
    assert verdict(plan, "한현경") == ("on_time", 0)
    assert not [w for w in plan.report.warnings if w.problem is Problem.NOT_OWNER]


def test_a_member_quoting_another_members_submission_does_not_submit(desk):
    """Quoting 구미진's link (a quote reply, or inside a code block) hands in nothing for 문수인."""
    desk.say("https://m.example/1", "mijinkoo", kst(2022, 4, 12, 9))
    desk.say("> https://m.example/1\n\n좋은 자료네요!", "m0oon0", kst(2022, 4, 12, 10))
    desk.say("> 제출 https://m.example/1", "m0oon0", kst(2022, 4, 12, 11))
    desk.say("```\n제출 https://m.example/1\n```", "m0oon0", kst(2022, 4, 12, 12))
    plan = desk.run(RESULTS_AT)
    assert verdict(plan, "구미진") == ("on_time", 0) and verdict(plan, "문수인") == ("absent", 4000)


def test_a_guests_link_on_the_issue_submits_for_nobody(desk):
    """Someone outside the study sharing a link in the Q&A is no submission and changes no verdict."""
    desk.say("제출 https://guest.example/1", "stranger", kst(2022, 4, 12, 9))
    plan = desk.run(RESULTS_AT)
    assert all(judgement.verdict.value == "absent" for judgement in plan.report.weeks[0].members.values())


# ---- the ledger and the bot's own comments -------------------------------------------------------


def pushed_ledger(desk: Desk, actor: str, change: Callable[[State], State]) -> tuple[World, State]:
    """The bot's last ledger is at the head; then ``actor`` pushes an edited one on 04-14 as commit L1."""
    base = desk.world()
    head = base.git.head
    assert head is not None
    edited = change(desk.state)
    log = (
        Activity(1, "push", "refs/heads/main", "c0", head, BOT, kst(2022, 4, 13, 12, 6)),
        Activity(2, "push", "refs/heads/main", head, "L1", actor, kst(2022, 4, 14)),
    )
    git = dataclasses.replace(
        base.git, head="L1", parents={**base.git.parents, "L1": (head,)}, ledger_changes=("L1", head),
        ledger_blobs={head: "bot", "L1": "edited"},
    )
    assert base.github is not None
    github = dataclasses.replace(base.github, activity=ActivityPage(log, None))
    return dataclasses.replace(base, ledger=dump_state(edited), git=git, github=github), edited


def on_time(state: State) -> State:
    weeks = dict(state.decisions.weeks)
    week = weeks[1]
    member = week.members["구미진"].model_copy(update={"verdict": Verdict.ON_TIME, "fine": 0})
    weeks[1] = week.model_copy(update={"members": {**week.members, "구미진": member}})
    return state.with_decisions(weeks=weeks)


def test_a_member_pushing_an_edited_ledger_does_not_change_a_final_verdict(desk):
    """A member's push of a ledger that clears their absence is set aside: the bot's last ledger is read instead."""
    desk.run(RESULTS_AT)
    bots = desk.state
    tampered, state = pushed_ledger(desk, "mijinkoo", on_time)
    schedule = build_schedule(desk.config)
    asked = decide_on(desk.config, schedule, tampered, state, kst(2022, 4, 14, 1))
    assert asked.reread is not None and asked.reread.restored == ("L1", "mijinkoo") and not asked.operations
    restored = dataclasses.replace(tampered, ledger=dump_state(bots), request=asked.reread)
    plan = decide_on(desk.config, schedule, restored, bots.with_sync(pushes=state.sync.pushes), kst(2022, 4, 14, 1))
    assert plan.reread is None and verdict(plan, "구미진") == ("absent", 4000)
    assert plan.state.decisions.weeks[1].members["구미진"].verdict.value == "absent"
    assert fines_row(committed_readme(plan), "구미진").startswith("| 구미진 | ❌ | 4,000원")
    assert any("mijinkoo" in note and "되돌립니다" in note for note in plan.notes)


def test_a_maintainer_may_edit_the_ledger_by_hand(desk):
    """The leader's own push of an edited ledger is respected (it is their record to repair), without a note."""
    desk.run(RESULTS_AT)

    def excused(state: State) -> State:
        weeks = dict(state.decisions.weeks)
        member = weeks[1].members["구미진"].model_copy(update={"verdict": Verdict.EXCUSED, "fine": 0})
        weeks[1] = weeks[1].model_copy(update={"members": {**weeks[1].members, "구미진": member}})
        return state.with_decisions(weeks=weeks)

    world, state = pushed_ledger(desk, LEADER, excused)
    plan = decide_on(desk.config, build_schedule(desk.config), world, state, kst(2022, 4, 14, 1))
    assert plan.reread is None and verdict(plan, "구미진") == ("excused", 0) and plan.notes == ()


def test_a_member_rewriting_the_bots_results_comment_is_put_right(desk):
    """A member who edits the bot's results comment to clear their fine sees it restored by the next run."""
    (posted,) = results(desk.run(RESULTS_AT))
    found = desk.state.sync.bot_comments[marker(1, Kind.RESULTS)]
    forged = posted.body.replace("| 구미진 | ❌ 결석 | 4,000원 |", "| 구미진 | ✅ 제출 | |")
    assert forged != posted.body
    desk.comments[found.id] = Comment(found.id, ISSUE, BOT, forged, RESULTS_AT, kst(2022, 4, 13, 13))
    (again,) = results(desk.run(kst(2022, 4, 13, 14)))
    assert again.existing == found.id and again.body == posted.body


def test_status_asked_beside_another_command_is_answered_with_that_command(desk):
    """A maintainer's comment with `/studybot status` and `/studybot help` gets the help, and the status line adds nothing."""
    asked = desk.say("/studybot status\n/studybot help", LEADER, kst(2022, 4, 7))
    plan = desk.run(kst(2022, 4, 7, 1))
    body = answer(plan, asked).body or ""
    assert "/studybot excuse @아이디" in body and answer(plan, asked).reaction == "+1"


# ---- credit: unread work counted at its own time --------------------------------------------------


def test_a_push_a_rewrite_dropped_is_credited_in_a_later_run_at_its_push_time(desk):
    """구미진's push was taken off the branch by 이은빈's rewrite; days later the leader credits it, and
    the week, frozen absent, becomes on time with the credit named in the results."""
    lost = Push(before="c0", after="gone", at=kst(2022, 4, 12, 22), actor="mijinkoo")
    desk.state = desk.state.with_sync(pushes=[*desk.state.sync.pushes, lost])
    desk.edit("binable43", kst(2022, 4, 12, 23), link(1, "이은빈", "https://velog.io/@binable/1"))
    plan = desk.run(RESULTS_AT)
    assert frozen(desk, "구미진") == ("absent", 4000)
    (dropped,) = [w for w in plan.report.warnings if w.problem is Problem.DROPPED_PUSH]
    assert (dropped.other, dropped.ref, dropped.detail) == ("mijinkoo", "gone", "binable43")
    command = desk.say("/studybot 인정 @mijinkoo 1 squash로 빠짐", LEADER, kst(2022, 4, 14, 9))
    plan = desk.run(kst(2022, 4, 14, 10))  # this run's activity no longer holds the rewrite: the ledger does
    assert frozen(desk, "구미진") == ("on_time", 0) and desk.state.decisions.weeks[1].members["구미진"].source == "credit"
    assert "인정했습니다" in (answer(plan, command).body or "")
    (posted,) = results(plan)
    assert "| 구미진 | ✅ 제출 · 인정: 스터디장 장서진, 사유: squash로 빠짐 |" in posted.body


def test_a_credited_dropped_push_is_not_told_again_by_a_run_that_reads_the_rewrite_again(desk):
    """The activity page that holds the rewrite is read again after the credit (the cursor
    re-reads its last page): the push the leader credited is not told as lost again."""
    lost = Push(before="c0", after="gone", at=kst(2022, 4, 12, 22), actor="mijinkoo")
    desk.state = desk.state.with_sync(pushes=[*desk.state.sync.pushes, lost])
    desk.edit("binable43", kst(2022, 4, 12, 23), link(1, "이은빈", "https://velog.io/@binable/1"))
    desk.run(RESULTS_AT)
    desk.say("/studybot 인정 @mijinkoo 1 squash로 빠짐", LEADER, kst(2022, 4, 14, 9))
    desk.run(kst(2022, 4, 14, 10))
    pushes = sorted(desk.state.sync.pushes, key=lambda push: push.at)
    desk.activity = tuple(Activity(index, "push", "", p.before, p.after, p.actor, p.at) for index, p in enumerate(pushes))
    plan = desk.run(kst(2022, 4, 14, 11))
    assert not [w for w in plan.report.warnings if w.problem is Problem.DROPPED_PUSH]
    assert frozen(desk, "구미진") == ("on_time", 0)
