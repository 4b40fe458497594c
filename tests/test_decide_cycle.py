"""The weekly cycle as World -> Plan: decide on a study built in memory, no git and no fake server.

Each test builds the seed study's README history as patch records (with the pushes that
brought them), the week's issue and its comments as records, and a state; it runs ``decide``
once at a chosen instant and reads the plan: its operations and their bodies, the state it
leads to and the report.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable

import pytest
from github_view import assert_safe, mentions, rendered
from helpers import decide_on, kst, started

from studybot.core.config import StudyConfig
from studybot.core.decide import Plan
from studybot.core.markers import Kind
from studybot.core.plan import CloseIssue, CommitFiles, CreateIssue, PostComment, Reply
from studybot.core.records import (
    Activity,
    ActivityPage,
    Comment,
    CommitInfo,
    Hunk,
    Issue,
    PatchCommit,
    Permission,
)
from studybot.core.regions import read_region
from studybot.core.schedule import Schedule
from studybot.core.state import State, WeekIssue
from studybot.core.verdicts import Verdict
from studybot.core.world import GitHubRecords, GitRecords, World
from studybot.shell.demo import example_file, put_blog, put_link

LOGINS = {"장서진": "SEOJIN-Lab", "구미진": "mijinkoo", "이은빈": "binable43", "한현경": "shining-arrow", "문수인": "m0oon0"}
OPENED = kst(2022, 4, 6, 10)
REMINDER = kst(2022, 4, 12, 18, 5)
CLOSING = kst(2022, 4, 13, 0, 5)
RESULTS = kst(2022, 4, 13, 12, 5)
ISSUE = 1  # the number of week 1's Q&A issue in these worlds


def hunks(old: str, new: str) -> tuple[Hunk, ...]:
    """The ``-U0`` hunks that turn ``old`` into ``new``, as git reports them."""
    a, b = old.splitlines(), new.splitlines()
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            found.append(Hunk(i1 + (i2 > i1), i2 - i1, j1 + (j2 > j1), j2 - j1, tuple(a[i1:i2]), tuple(b[j1:j2])))
    return tuple(found)


class Term:
    """The seed study's repository as records: README commits, the pushes that brought them, comments."""

    def __init__(self) -> None:
        self.readme = example_file("README.md")
        first = CommitInfo("c0", (), "장서진", "SEOJIN-Lab@users.noreply.github.com", kst(2022, 3, 1))
        self.patches = [PatchCommit(first, hunks("", self.readme))]
        self.parents: dict[str, tuple[str, ...]] = {"c0": ()}
        self.head = "c0"
        self.activity: list[Activity] = []
        self.comments: list[Comment] = []

    def edit(self, member: str, at: dt.datetime, change: Callable[[str], str], authored: dt.datetime | None = None):
        """``member`` pushes, at server time ``at``, a README changed by ``change`` (a commit dated ``authored``)."""
        login = LOGINS[member]
        text = change(self.readme)
        sha = f"c{len(self.patches)}"
        info = CommitInfo(sha, (self.head,), member, f"{login}@users.noreply.github.com", authored or at)
        self.patches.append(PatchCommit(info, hunks(self.readme, text)))
        self.activity.append(Activity(len(self.activity) + 1, "push", "refs/heads/main", self.head, sha, login, at))
        self.parents[sha], self.head, self.readme = (self.head,), sha, text
        return self

    def link(self, week: int, member: str, url: str, at: dt.datetime, authored: dt.datetime | None = None):
        """``member`` puts ``url`` into their cell of ``week`` and pushes it at ``at``."""
        return self.edit(member, at, lambda text: put_link(text, week, member, url), authored)

    def comment(self, body: str, member: str, at: dt.datetime, edited: dt.datetime | None = None, issue: int = ISSUE):
        """A comment by ``member`` on the week's issue, written at ``at`` (and last edited at ``edited``)."""
        self.comments.append(Comment(100 + len(self.comments), issue, LOGINS.get(member, member), body, at, edited or at))
        return self.comments[-1]

    def world(self, *, permissions: dict[str, Permission] | None = None, questions: tuple[Issue, ...] = ()) -> World:
        records = GitRecords(head=self.head, parents=dict(self.parents), readme_patches=tuple(self.patches))
        github = GitHubRecords(
            branch="main", comments=tuple(self.comments), activity=ActivityPage(tuple(self.activity), None),
            permissions=permissions or {}, questions=questions, rules_read=True,
        )
        return World({"README.md": self.readme}, None, records, github)


def run(config: StudyConfig, schedule: Schedule, term: Term, state: State, now: dt.datetime, **world) -> Plan:
    """decide at ``now``; a plan that asks for a second read must not happen in these worlds."""
    plan = decide_on(config, schedule, term.world(**world), state, now)
    assert plan.reread is None, plan.reread
    return plan


def week1_open(**fields) -> State:
    """The state after week 1's issue (number 1) was opened."""
    return started(issues={1: WeekIssue(number=ISSUE)}, **fields)


def posts(plan: Plan, kind: Kind, week: int = 1) -> list[str]:
    return [op.body for op in plan.operations if isinstance(op, PostComment) and op.kind is kind and op.week == week]


def committed(plan: Plan) -> str:
    commit = plan.operations[-1]
    assert isinstance(commit, CommitFiles) and commit.readme is not None
    return commit.readme


def verdicts(plan: Plan, week: int = 1) -> dict[str, Verdict]:
    return {name: judged.verdict for name, judged in plan.report.weeks[week - 1].members.items()}


# ---- the week's issue, reminder, closing and results ---------------------------------------------


def test_the_weeks_issue_opens_with_the_deadline_in_local_time_and_the_blog_writer(seed, seed_schedule):
    """A week before the deadline the plan opens week 1's Q&A issue, due 4월 12일(화) 23:59, naming the blog writer."""
    plan = run(seed, seed_schedule, Term(), started(), OPENED)
    (issue,) = [op for op in plan.operations if isinstance(op, CreateIssue)]
    assert issue.title == "[1주차] Q&A" and issue.labels == ("Q&A",)
    assert "4월 12일(화) 23:59까지" in issue.body and "UTC" not in issue.body  # as members say it, local time only
    assert "이은빈 (@binable43)" in issue.body
    assert isinstance(plan.operations[-1], CommitFiles)


def test_the_reminder_names_only_who_is_still_pending(seed, seed_schedule):
    """Six hours before the deadline one reminder pings the members without a submission, not those in."""
    term = Term().link(1, "장서진", "https://notion.example/1", kst(2022, 4, 10, 21))
    plan = run(seed, seed_schedule, term, week1_open(), REMINDER)
    (reminder,) = posts(plan, Kind.REMINDER)
    assert mentions(reminder) == {"mijinkoo", "binable43", "shining-arrow", "m0oon0"}
    assert "SEOJIN-Lab" not in reminder


def test_no_reminder_when_everyone_is_in(seed, seed_schedule):
    """When every member has handed in, the reminder is skipped."""
    term = Term()
    for name in LOGINS:
        term.link(1, name, f"https://{LOGINS[name].lower()}.example/1", kst(2022, 4, 11))
    plan = run(seed, seed_schedule, term, week1_open(), REMINDER)
    assert posts(plan, Kind.REMINDER) == []


def test_the_deadline_closes_the_issue_with_a_closing_comment_and_no_results(seed, seed_schedule):
    """Five minutes after the deadline the plan posts the closing comment and closes the issue; results wait for noon."""
    term = Term().link(1, "구미진", "https://mijin.example/1", kst(2022, 4, 12, 23, 59))
    plan = run(seed, seed_schedule, term, week1_open(), CLOSING, questions=())
    assert len(posts(plan, Kind.CLOSING)) == 1 and posts(plan, Kind.RESULTS) == []
    assert [op.issue for op in plan.operations if isinstance(op, CloseIssue)] == [ISSUE]
    assert plan.state.sync.issues[1].week_closed
    assert 1 not in plan.state.decisions.weeks  # nothing final before the late window ends


def test_results_at_the_cut_off_list_verdicts_and_fines_and_freeze_them(seed, seed_schedule):
    """At noon after the deadline the results comment lists each member's verdict and fine, and the week is final."""
    term = (Term().link(1, "장서진", "https://notion.example/1", kst(2022, 4, 10, 21))
            .link(1, "구미진", "https://mijin.example/1", kst(2022, 4, 12, 23, 59))
            .link(1, "이은빈", "https://eunbin.example/1", kst(2022, 4, 13, 0, 30)))
    opened = week1_open().with_sync(issues={1: WeekIssue(number=ISSUE, state="closed", week_closed=True)})
    plan = run(seed, seed_schedule, term, opened, RESULTS)
    (results,) = posts(plan, Kind.RESULTS)
    assert "| 장서진 | ✅ 제출 |" in results and "| 구미진 | ✅ 제출 |" in results
    assert "| 이은빈 | ⏰ 지각 | 3,000원 |" in results
    assert "| 한현경 | ❌ 결석 | 4,000원 |" in results
    frozen = plan.state.decisions.weeks[1].members["이은빈"]
    assert frozen.verdict is Verdict.LATE and frozen.trusted
    readme = committed(plan)
    assert "| 이은빈 | ⏰ |" in read_region(readme, "fines") and read_region(readme, "rotation")


def test_a_run_three_hours_late_decides_the_same(seed, seed_schedule):
    """Cron delayed by three hours closes, judges and writes exactly what an on-time run does."""
    term = (Term().link(1, "한현경", "https://h.example/1", kst(2022, 4, 12, 20))
            .link(1, "문수인", "https://s.example/1", kst(2022, 4, 13, 1)))
    delay = dt.timedelta(hours=3)
    closed = week1_open().with_sync(issues={1: WeekIssue(number=ISSUE, state="closed", week_closed=True)})
    for state, at in ((week1_open(), CLOSING), (closed, RESULTS)):
        on_time, late = (run(seed, seed_schedule, term, state, at + shift, questions=()) for shift in (dt.timedelta(0), delay))
        if at == CLOSING:  # the comment and the close; the tables still show the late window running
            assert late.operations[:-1] == on_time.operations[:-1]
    assert late.operations == on_time.operations
    assert late.state.decisions.weeks[1].members == on_time.state.decisions.weeks[1].members
    assert verdicts(late) == {"장서진": Verdict.ABSENT, "구미진": Verdict.ABSENT, "이은빈": Verdict.ABSENT,
                              "한현경": Verdict.ON_TIME, "문수인": Verdict.LATE}


def test_the_settlement_follows_the_last_weeks_results(seed, seed_schedule):
    """After week 12's late window the plan posts week 12's results, the settlement statement, and a final README."""
    last = seed_schedule.weeks[-1]
    issues = {week.number: WeekIssue(number=week.number, state="closed", week_closed=True) for week in seed_schedule.weeks}
    term = Term().link(1, "한현경", "https://h.example/1", kst(2022, 4, 12, 20))
    plan = run(seed, seed_schedule, term, started(issues=issues), last.late_until + dt.timedelta(minutes=5))
    assert len(posts(plan, Kind.RESULTS, 12)) == 1
    (settlement,) = posts(plan, Kind.SETTLEMENT, 12)
    assert plan.operations[-2].kind is Kind.SETTLEMENT  # type: ignore[union-attr]
    assert "꼴찌 제외: 장서진, 구미진, 이은빈, 문수인" in settlement  # all tied last: 한현경 alone shares
    assert "| 한현경 | 44,000원 | 236,000원 | +192,000원 |" in settlement
    assert "| 장서진 | 48,000원 | 0원 | −48,000원 |" in settlement
    assert sorted(plan.state.decisions.weeks) == list(range(1, 13))
    assert "— 최종" in committed(plan)


# ---- late windows, history and comments -----------------------------------------------------------


def test_a_back_dated_commit_pushed_late_is_late(seed, seed_schedule):
    """A commit dated Tuesday but pushed Wednesday 09:00 counts at the push: late."""
    term = Term().link(1, "한현경", "https://h.example/1", kst(2022, 4, 13, 9), authored=kst(2022, 4, 12, 20))
    judged = run(seed, seed_schedule, term, week1_open(), RESULTS).report.weeks[0].members["한현경"]
    assert judged.verdict is Verdict.LATE
    assert judged.submission.at == kst(2022, 4, 13, 9) and judged.submission.trusted


def test_final_verdicts_do_not_move_when_history_is_rewritten(seed, seed_schedule):
    """Deleting a link after the week is final keeps the frozen verdict."""
    term = Term().link(1, "한현경", "https://h.example/1", kst(2022, 4, 12, 20))
    final = run(seed, seed_schedule, term, week1_open(), RESULTS).state
    term.edit("한현경", kst(2022, 4, 20), lambda text: text.replace("https://h.example/1", ""))
    plan = run(seed, seed_schedule, term, final, kst(2022, 4, 20, 1))
    assert verdicts(plan)["한현경"] is Verdict.ON_TIME


def test_a_link_only_comment_on_the_weeks_issue_is_a_submission(seed, seed_schedule):
    """A link-only comment on the week's issue by a member is that member's submission, on time."""
    term = Term()
    term.comment("https://soo.example/1", "문수인", kst(2022, 4, 12, 22))
    plan = run(seed, seed_schedule, term, week1_open(), RESULTS)
    judged = plan.report.weeks[0].members["문수인"]
    assert judged.verdict is Verdict.ON_TIME and judged.submission.source.value == "issue"


def test_a_comment_edited_after_the_deadline_to_add_the_link_is_late(seed, seed_schedule):
    """A comment written on time but edited after the deadline to add the link counts at the edit."""
    term = Term()
    term.comment("곧 올릴게요", "문수인", kst(2022, 4, 12, 22))
    seen = run(seed, seed_schedule, term, week1_open(), kst(2022, 4, 12, 22, 30)).state
    term.comments[0] = Comment(100, ISSUE, "m0oon0", "제출 https://soo.example/1", kst(2022, 4, 12, 22), kst(2022, 4, 13, 1))
    judged = run(seed, seed_schedule, term, seen, RESULTS).report.weeks[0].members["문수인"]
    assert judged.verdict is Verdict.LATE and judged.submission.source.value == "issue"
    assert judged.submission.at == kst(2022, 4, 13, 1)


def test_editing_a_link_keeps_the_time_of_the_first_one(seed, seed_schedule):
    """A member who replaces an on-time link after the deadline stays on time: the first link's time counts."""
    term = (Term().link(1, "구미진", "https://mijin.example/draft", kst(2022, 4, 12, 20))
            .edit("구미진", kst(2022, 4, 13, 2), lambda text: text.replace("/draft", "/final")))
    judged = run(seed, seed_schedule, term, week1_open(), RESULTS).report.weeks[0].members["구미진"]
    assert judged.verdict is Verdict.ON_TIME and judged.submission.at == kst(2022, 4, 12, 20)


# ---- the team blog ----------------------------------------------------------------------------------


def test_the_blog_link_marks_the_rotation_done(seed, seed_schedule):
    """The writer's link in the 팀블로그 cell shows as done in the rotation table the plan commits."""
    term = Term().edit("이은빈", kst(2022, 4, 14), lambda text: put_blog(text, 1, "https://blog.example/1"))
    plan = run(seed, seed_schedule, term, week1_open(), kst(2022, 4, 14, 1))
    assert "| 1주차 | 04-13 (수) | 이은빈 | [✅](https://blog.example/1) |" in read_region(committed(plan), "rotation")
    assert plan.report.weeks[0].blog is not None and plan.report.weeks[0].blog.url == "https://blog.example/1"


def test_a_blog_command_by_the_writer_records_the_post(seed, seed_schedule):
    """'/blog <link>' on the week's issue by the week's writer counts as the team blog post."""
    term = Term()
    term.comment("/blog [1주차 글](https://blog.example/b1)", "이은빈", kst(2022, 4, 12, 10))
    plan = run(seed, seed_schedule, term, week1_open(), RESULTS)
    blog = plan.report.weeks[0].blog
    assert blog is not None and blog.url == "https://blog.example/b1"
    assert "https://blog.example/b1" in read_region(committed(plan), "rotation")


# ---- member text in what the bot writes ------------------------------------------------------------

SAFE_LOGINS = set(LOGINS.values())
URLS = {
    "구미진": "https://m.example/a|b",  # a pipe, bare in a comment
    "이은빈": "https://e.example/my homework",  # a space, in <…> as CommonMark allows
    "한현경": "https://h.example/<script>alert(1)</script>",  # angle brackets and parentheses
    "장서진": "https://ko.wikipedia.org/wiki/MLOps_(software)",  # parentheses, in the README
}
BLOG = "https://blog.example/a_(b)|c<i>d</i>"
UNKNOWN_NAME = "<b>boss</b> | @torvalds"  # written escaped in the table so the row stays whole


@pytest.fixture()
def hostile(seed, seed_schedule) -> Plan:
    """Week 1's results plan over submissions whose URLs and names carry Markdown, HTML and mentions."""
    term = Term()
    term.comment(f"제출 {URLS['구미진']}", "구미진", kst(2022, 4, 12, 9))
    term.comment(f"제출 [과제](<{URLS['이은빈']}>)", "이은빈", kst(2022, 4, 12, 9))
    term.comment(f"제출 [과제]({URLS['한현경']})", "한현경", kst(2022, 4, 12, 9))
    term.comment(f"/blog [1주차 글]({BLOG})", "이은빈", kst(2022, 4, 12, 10))
    term.link(1, "장서진", URLS["장서진"], kst(2022, 4, 12, 11))
    written = r"\<b\>boss\</b\> \| @torvalds"
    term.edit("문수인", kst(2022, 4, 12, 12),
              lambda text: text.replace("[문수인]()|이은빈|", f"[문수인]() &nbsp; [{written}](https://b.example)|이은빈|"))
    closed = week1_open().with_sync(issues={1: WeekIssue(number=ISSUE, state="closed", week_closed=True)})
    return run(seed, seed_schedule, term, closed, RESULTS)


def test_member_urls_and_names_are_escaped_in_comments_readme_and_summary(hostile, seed_schedule):
    """Pipes, spaces, brackets and tags in members' links and names show as text; links still lead where they did."""
    from urllib.parse import unquote

    from studybot.core.messages import messages_for
    from studybot.shell.runner import Outcome, job_summary

    week = hostile.report.weeks[0]
    assert {name: week.members[name].submission.url for name in URLS} == URLS  # each counted as handed in
    assert week.blog is not None and week.blog.url == BLOG
    assert any(w.detail == UNKNOWN_NAME for w in hostile.report.warnings)

    readme = committed(hostile)
    summary = job_summary(Outcome(hostile.report, list(hostile.operations)), seed_schedule, messages_for("ko"), False)
    writings = {
        "README fines": read_region(readme, "fines"),
        "README rotation": read_region(readme, "rotation"),
        "job summary": summary,
        **{f"comment {op.kind}": op.body for op in hostile.operations if isinstance(op, PostComment)},
    }
    for where, markdown in writings.items():
        assert_safe(markdown, SAFE_LOGINS, where)
    assert unquote(next(h for h in rendered(writings["README rotation"])["hrefs"])) == BLOG
    (results,) = posts(hostile, Kind.RESULTS)
    assert [unquote(h) for h in rendered(results)["hrefs"]] == [BLOG]
    assert set(URLS.values()) <= {unquote(h) for h in rendered(summary)["hrefs"]}
    shown = "".join(rendered(summary)["text"]).replace("\u200b", "")
    assert UNKNOWN_NAME in shown and "torvalds" not in mentions(summary)


def test_the_json_report_keeps_member_text_exact_and_valid(hostile, seed_schedule, tmp_path):
    """The JSON report a workflow reads holds members' URLs and names byte for byte, in valid JSON."""
    import json

    from studybot.core.messages import messages_for
    from studybot.core.report import report_json
    from studybot.shell.runner import write_report

    path = tmp_path / "studybot-report.json"
    write_report(path, report_json(hostile.report, seed_schedule, messages_for("ko")))
    data = json.loads(path.read_text(encoding="utf-8"))
    week = data["weeks"][0]
    assert {name: week["members"][name]["url"] for name in URLS} == URLS
    assert week["blog"]["url"] == BLOG
    assert any(UNKNOWN_NAME in warning for warning in data["warnings"])
    assert all(line.isprintable() for line in path.read_text(encoding="utf-8").splitlines())


def test_reminders_mention_only_configured_logins(seed_schedule):
    """The reminder pings each waiting member's configured login; '@someone', who has no login, is not pinged."""
    from studybot.core.config import parse_config

    last = "  - {name: 문수인, github: m0oon0}\n"
    config = parse_config(example_file("study.yml").replace(last, last + '  - {name: "@someone", github: null}\n'))
    term = Term().link(1, "장서진", "https://s.example/1", kst(2022, 4, 10))
    term.comment("@torvalds 이거 보셨어요? https://x.example", "구미진", kst(2022, 4, 11))
    plan = run(config, seed_schedule, term, week1_open(), REMINDER)
    (reminder,) = posts(plan, Kind.REMINDER)
    assert mentions(reminder) == {"mijinkoo", "binable43", "shining-arrow", "m0oon0"}
    assert "@\u200bsomeone" in "".join(rendered(reminder)["text"])
    bodies = [op.body for op in plan.operations if isinstance(op, PostComment | CreateIssue)]
    assert all(mentions(body) <= SAFE_LOGINS for body in bodies)


def leader_commands(seed, seed_schedule, *lines: str) -> tuple[list[Comment], Plan]:
    """The study leader's command comments on week 1's issue, answered a day later."""
    term = Term()
    commands = [term.comment(line, "장서진", kst(2022, 4, 7)) for line in lines]
    plan = run(seed, seed_schedule, term, week1_open(), kst(2022, 4, 7, 1), permissions={"SEOJIN-Lab": Permission.ADMIN})
    return commands, plan


def reply_to(plan: Plan, command: Comment) -> str:
    (body,) = [op.body for op in plan.operations if isinstance(op, Reply) and op.comment == command.id]
    assert body is not None
    return body


def test_a_command_naming_an_unknown_login_mentions_nobody(seed, seed_schedule):
    """A leader's typo '/studybot paid @torvalds 3000' gets an answer that does not ping @torvalds again."""
    (command,), plan = leader_commands(seed, seed_schedule, "/studybot paid @torvalds 3000")
    reply = reply_to(plan, command)
    assert "torvalds" in reply and mentions(reply) <= SAFE_LOGINS
    assert plan.state.decisions.overrides == []


def test_a_command_the_bot_cannot_read_is_quoted_back_as_typed(seed, seed_schedule):
    """The answer to a command the bot cannot read quotes the line exactly as typed, tags and backticks included."""
    lines = ["/studybot paid @mijinkoo 3_000", "/studybot frobnicate <b>x</b> `y` @torvalds"]
    commands, plan = leader_commands(seed, seed_schedule, *lines)
    for line, command in zip(lines, commands, strict=True):
        reply = reply_to(plan, command)
        assert_safe(reply, SAFE_LOGINS, "reply")
        assert rendered(reply)["code"][0] == line
