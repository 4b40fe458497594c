"""apply: carry out a plan's operations on GitHub, one by one, recording each receipt.

A thin interpreter: every decision was made by ``decide``. The only thing this adds is what
GitHub answers (a new issue's number, a comment's id), which ``record`` writes into the state
that the plan's commit then saves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import assert_never

from pydantic import SecretStr

from studybot.core.messages import messages_for
from studybot.core.notices import payload
from studybot.core.plan import (
    Alert,
    CloseDuplicate,
    CloseIssue,
    CloseQuestion,
    CloseSetupIssue,
    CommitFiles,
    CreateIssue,
    EditIssue,
    Notify,
    Operation,
    PostComment,
    Reply,
    RestoreComment,
    SetupIssue,
)
from studybot.core.receipts import Receipt, issue_of, record
from studybot.core.records import FileChange, IssueState
from studybot.core.state import State, dump_state
from studybot.shell.remote import Gateway, RefMoved
from studybot.shell.webhook import send


@dataclass(frozen=True)
class Applied:
    """The state after the writes, the commit made, whether the branch moved under it, and the
    sentences for the leader about notices that could not be sent (they go out next run)."""

    state: State
    commit: str | None = None
    moved: bool = False
    warnings: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # from a plan decided again on a moved branch (e.g. a broken README)


def apply_plan(
    operations: tuple[Operation, ...],
    state: State,
    gateway: Gateway,
    *,
    branch: str,
    parent: str,
    done: Callable[[Operation], None] = lambda operation: None,
    webhooks: Mapping[str, SecretStr] | None = None,
    base_tree: str | None = None,
) -> Applied:
    """Carry out ``operations`` in order; the commit, when planned, comes last.

    ``base_tree`` is the tree SHA of ``parent`` when the checkout knows it (saves a request).
    """
    warnings: list[str] = []
    for operation in operations:
        if isinstance(operation, CommitFiles):
            try:
                sha = gateway.commit_files(
                    branch, parent, commit_changes(operation, state), operation.message, base_tree=base_tree
                )
            except RefMoved:
                return Applied(state, moved=True, warnings=tuple(warnings))
            done(operation)
            return Applied(state, sha, warnings=tuple(warnings))
        if isinstance(operation, Notify):
            receipt = notify(operation, state, webhooks or {}, warnings)
        else:
            receipt = carry_out(operation, gateway, state)
        state = record(state, operation, receipt)
        done(operation)
    return Applied(state, warnings=tuple(warnings))


def notify(operation: Notify, state: State, webhooks: Mapping[str, SecretStr], warnings: list[str]) -> Receipt:
    """Send a notice; a failure is a warning for the leader and never stops the GitHub steps."""
    url = webhooks.get(operation.platform)
    if url is None:
        return Receipt()
    messages = messages_for(operation.language)
    notice = operation.notice
    if operation.repository_url and operation.week in state.sync.issues:
        notice = dataclasses.replace(notice, url=f"{operation.repository_url}/issues/{state.sync.issues[operation.week].number}")
    delivery = send(url, payload(operation.platform, notice, messages, operation.user_ids), platform=operation.platform)
    if not delivery.sent:
        warnings.append(delivery.sentence(messages))
    return Receipt(sent=delivery.sent)


def commit_changes(operation: CommitFiles, state: State) -> list[FileChange]:
    """The files of the commit: the README when it changed, and the ledger as the state is now."""
    changes = [FileChange(operation.readme_path, operation.readme)] if operation.readme is not None else []
    changes += [FileChange(path, content) for path, content in operation.files]
    return [*changes, FileChange(operation.ledger_path, dump_state(state))]


def carry_out(operation: Operation, gateway: Gateway, state: State) -> Receipt:
    """One write on GitHub, and what GitHub answered."""
    match operation:
        case CreateIssue():
            created = gateway.create_issue(operation.title, operation.body, operation.labels)
            return Receipt(number=created.number, author=created.author)
        case EditIssue():
            gateway.update_issue(operation.issue, body=operation.body)
            return Receipt()
        case CloseIssue():
            gateway.update_issue(operation.issue, state=IssueState.CLOSED, state_reason="completed")
            return Receipt()
        case PostComment():
            if operation.existing is not None:
                gateway.update_comment(operation.existing, operation.body)
                return Receipt()
            posted = gateway.create_comment(issue_of(state, operation), operation.body)
            return Receipt(comment=posted.id, author=posted.author)
        case CloseQuestion() | CloseDuplicate():
            # A question is answered ("completed"); a duplicate was never meant to be ("not_planned").
            receipt = Receipt()
            if operation.body is not None:
                posted = gateway.create_comment(operation.issue, operation.body)
                receipt = Receipt(comment=posted.id, author=posted.author)
            reason = "completed" if isinstance(operation, CloseQuestion) else "not_planned"
            gateway.update_issue(operation.issue, state=IssueState.CLOSED, state_reason=reason)
            return receipt
        case RestoreComment():
            gateway.update_comment(operation.comment, operation.body)
            return Receipt()
        case CloseSetupIssue():
            gateway.update_issue(operation.issue, state=IssueState.CLOSED, state_reason="completed")
            return Receipt()
        case Alert():
            posted = gateway.create_comment(operation.issue, operation.body)
            return Receipt(comment=posted.id, author=posted.author)
        case SetupIssue():
            if operation.issue is None:
                created = gateway.create_issue(operation.title, operation.body, ())
                return Receipt(number=created.number, author=created.author)
            gateway.update_issue(operation.issue, body=operation.body)
            return Receipt()
        case Reply():
            if operation.reaction:
                gateway.add_reaction(operation.comment, operation.reaction)
            if operation.body:
                posted = gateway.create_comment(operation.issue, operation.body)
                return Receipt(comment=posted.id, author=posted.author)
            return Receipt()
        case Notify() | CommitFiles():
            raise TypeError(f"{type(operation).__name__} is carried out by apply_plan, not here")
        case _:
            assert_never(operation)
