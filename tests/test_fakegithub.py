"""The in-memory FakeGitHub behaves like the real gateway where flow tests rely on it."""

from __future__ import annotations

import datetime as dt

import pytest
from fakegithub import FakeGitHub

from studybot.core.records import FileChange, IssueState, Permission
from studybot.shell.remote import Gateway, GatewayError, RefMoved

UTC = dt.UTC
T0 = dt.datetime(2022, 4, 12, 3, 0, tzinfo=UTC)


@pytest.fixture
def fake() -> FakeGitHub:
    return FakeGitHub({"README.md": "# study\n"}, now=T0, permissions={"SEOJIN-Lab": Permission.ADMIN})


def test_fake_satisfies_the_gateway_protocol(fake):
    """Flow tests can hand the fake to code that expects a Gateway."""
    gateway: Gateway = fake
    assert gateway.default_branch() == "main"
    assert gateway.read_file("README.md", gateway.branch_head("main")) == "# study\n"
    assert gateway.read_file("missing.md", "main") is None


def test_commit_moves_the_branch_and_refuses_a_stale_parent(fake):
    """A bot commit on the head lands; one on an old head raises RefMoved and changes nothing."""
    head = fake.head()
    sha = fake.commit_files("main", head, [FileChange("README.md", "# fines\n"), FileChange("x.md", None)], "tables")

    assert fake.files["main"] == {"README.md": "# fines\n"}
    assert [c.sha for c in fake.commits] == [sha] and fake.commits[0].parent == head
    with pytest.raises(RefMoved):
        fake.commit_files("main", head, [FileChange("README.md", "again")], "stale")
    assert fake.head() == sha and len(fake.writes_of("commit_files")) == 1
    assert fake.request_count()["POST git/blobs"] == 1 and fake.request_count()["GET git/ref"] == 2


def test_push_simulates_another_writer_and_its_activity(fake):
    """A member's push moves the head, makes a commit the bot's parent stale, and shows in activity."""
    parent = fake.head()
    readme = "# study\n[구미진](https://b.example)\n"
    pushed = fake.push({"README.md": readme}, "mijinkoo", T0 + dt.timedelta(hours=1))

    with pytest.raises(RefMoved):
        fake.commit_files("main", parent, [FileChange("README.md", "bot")], "m")
    page = fake.list_activity("main")
    assert [(a.actor, a.before, a.after, a.timestamp) for a in page.items] == [
        ("mijinkoo", parent, pushed, T0 + dt.timedelta(hours=1))
    ]
    assert fake.writes == []


def test_activity_cursor_returns_only_newer_items_and_counts_pages_like_the_gateway(fake):
    """Each run reads only what is new, at the real gateway's page cost."""
    for n in range(150):
        fake.push({f"f{n}": "x"}, "mijinkoo")
    first = fake.list_activity("main")
    assert len(first.items) == 150 and fake.request_count() == {"GET activity": 2}

    fake.push({"g": "y"}, "SEOJIN-Lab")
    second = fake.list_activity("main", after=first.cursor)
    assert [a.actor for a in second.items] == ["SEOJIN-Lab"]

    quiet = fake.list_activity("main", after=second.cursor)
    assert quiet.items == () and fake.request_count() == {"GET activity": 4}


def test_comments_since_filter_on_updated_at_and_edits_bump_it(fake):
    """A comment edited after the cursor comes back; untouched older ones do not."""
    issue = fake.add_issue("[1주차] Q&A", labels=("Q&A",))
    old = fake.add_comment(issue.number, "제출 https://a.example", "mijinkoo")
    fake.advance(hours=1)
    new = fake.add_comment(issue.number, "질문", "eunbin")
    cursor = fake.now

    assert [c.id for c in fake.list_comments(since=cursor)] == [new.id]
    fake.advance(minutes=5)
    fake.edit_comment(old.id, "제출 https://b.example")
    assert [c.id for c in fake.list_comments(since=cursor)] == [new.id, old.id]
    assert fake.comments[old.id].created_at == T0 and fake.comments[old.id].updated_at == fake.now


def test_writes_are_recorded_with_the_fake_clock(fake):
    """Issues and comments the bot writes carry the test's clock and show up in ``writes``."""
    issue = fake.create_issue("[3주차] Q&A", "<!-- studybot:week=3:kind=qna -->", ("Q&A",))
    fake.advance(days=7)
    comment = fake.create_comment(issue.number, "마감")
    fake.update_issue(issue.number, state=IssueState.CLOSED, state_reason="completed")
    fake.add_reaction(comment.id, "+1")
    fake.add_reaction(comment.id, "+1")

    assert fake.issues[issue.number].state is IssueState.CLOSED
    assert fake.issues[issue.number].closed_at == T0 + dt.timedelta(days=7)
    assert fake.state_reasons[issue.number] == "completed"
    assert fake.reactions[comment.id] == ["+1"]
    assert [op for op, _ in fake.writes] == [
        "create_issue",
        "create_comment",
        "update_issue",
        "add_reaction",
        "add_reaction",
    ]
    assert fake.list_issues(since=T0 + dt.timedelta(days=7), labels=("Q&A",))[0].number == issue.number


def test_issue_listing_leaves_out_pull_requests_and_filters_labels(fake):
    """Only issues carrying every asked label come back, never pull requests."""
    fake.add_issue("qna", labels=("Q&A",))
    fake.add_issue("question", labels=("question",))
    fake.add_issue("pr", labels=("Q&A",), pull_request=True)

    assert [i.title for i in fake.list_issues(labels=("Q&A",))] == ["qna"]
    assert [i.title for i in fake.list_issues()] == ["qna", "question"]


def test_permission_table_defaults_to_none(fake):
    """Logins outside the permission table are not collaborators."""
    assert fake.permission("SEOJIN-Lab") is Permission.ADMIN
    assert fake.permission("stranger") is Permission.NONE


def test_fail_next_raises_once_before_or_after_applying(fake):
    """A fault hits only the next call; an after-apply fault leaves the write in place."""
    issue = fake.add_issue("[1주차] Q&A")
    fake.fail_next("create_comment", GatewayError("error.github.unconfirmed", None, what="posting a comment", repo="the fake", reason="lost"), after_apply=True)
    fake.fail_next("update_comment", TimeoutError("lost"))

    with pytest.raises(GatewayError):
        fake.create_comment(issue.number, "<!-- studybot:week=1:kind=results -->")
    assert len(fake.writes_of("create_comment")) == 1  # applied although the caller saw an error

    (posted,) = fake.comments.values()
    with pytest.raises(TimeoutError):
        fake.update_comment(posted.id, "changed")
    assert fake.comments[posted.id].body == "<!-- studybot:week=1:kind=results -->"
    fake.update_comment(posted.id, "changed")
    assert fake.comments[posted.id].body == "changed"

    with pytest.raises(ValueError):
        fake.fail_next("no_such_op", RuntimeError())


def test_unknown_issue_is_a_404_gateway_error(fake):
    """Writing to an issue that does not exist fails like GitHub's 404."""
    with pytest.raises(GatewayError) as caught:
        fake.update_issue(99, state=IssueState.CLOSED)
    assert caught.value.status == 404
