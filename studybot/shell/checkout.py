"""Evidence from a local git checkout: the README's history and the week folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studybot.core.config import StudyConfig
from studybot.core.evidence import Evidence
from studybot.core.history import (
    Roster,
    StampFn,
    commit_date_stamp,
    current_table_notices,
    folder_evidence,
    readme_evidence,
)
from studybot.core.schedule import Schedule
from studybot.shell.git import GitError, Repository

MAX_README_BYTES = 5 * 1024 * 1024


class CheckoutError(Exception):
    """The checkout cannot answer; the message says how to fix it."""


@dataclass(frozen=True)
class Checkout:
    """What was read from the checkout: evidence, and the ledger at HEAD."""

    evidence: Evidence
    ledger: str | None = None


def open_checkout(path: str | Path) -> Repository:
    """The repository at ``path``, checked to hold the whole history."""
    repository = Repository(path)
    if not repository.is_repository():
        raise CheckoutError(
            f"{path} is not a git checkout; pass --repo-path DIR of a cloned study repository "
            "(in a workflow, add an actions/checkout step before studybot)"
        )
    if repository.is_shallow():
        raise CheckoutError(
            "the checkout is shallow, so the history of the README is missing; "
            "set 'fetch-depth: 0' on actions/checkout (or run 'git fetch --unshallow')"
        )
    return repository


def read_evidence(
    config: StudyConfig, schedule: Schedule, repository: Repository, stamp: StampFn, rev: str = "HEAD"
) -> Evidence:
    """Submissions from every enabled repository source, timed by ``stamp``."""
    weeks = [week.number for week in schedule.weeks]
    evidence = Evidence()
    try:
        source = config.submissions.readme
        if source.enabled:
            text = repository.show(rev, source.path)
            if text is not None and len(text.encode("utf-8", "surrogateescape")) > MAX_README_BYTES:
                raise CheckoutError(
                    f"{source.path} is larger than {MAX_README_BYTES // (1024 * 1024)} MiB; studybot reads "
                    "READMEs up to that size (move old weeks to another file)"
                )
            evidence.merge(readme_evidence(config, repository.readme_patches(source.path, rev), stamp))
            if text is not None:
                for notice in current_table_notices(config, text, weeks):
                    evidence.warn(notice)
        if config.submissions.folders.enabled:
            evidence.merge(folder_evidence(config, repository.folder_changes(rev), repository.blobs, stamp, weeks))
    except GitError as error:
        raise CheckoutError(str(error)) from None
    return evidence


def read_checkout(config: StudyConfig, schedule: Schedule, path: str | Path) -> Checkout:
    """Everything ``studybot report`` reads offline: commit dates, marked untrusted."""
    repository = open_checkout(path)
    head = repository.head()
    if head is None:
        return Checkout(Evidence())
    evidence = read_evidence(config, schedule, repository, commit_date_stamp(Roster(config)), head)
    return Checkout(evidence, repository.show(head, config.output.ledger))
