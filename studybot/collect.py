"""Evidence from a local git checkout: the README's history and the week folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studybot.config import StudyConfig
from studybot.evidence import Evidence
from studybot.git import GitError, Repository
from studybot.history import (
    Roster,
    StampFn,
    commit_date_stamp,
    current_table_notices,
    folder_evidence,
    readme_evidence,
)
from studybot.schedule import Schedule


class CheckoutError(Exception):
    """The checkout cannot answer; the message says how to fix it."""


@dataclass(frozen=True)
class Checkout:
    """What was read from the checkout: evidence, and the README text at HEAD."""

    evidence: Evidence
    readme: str | None
    head: str | None


def read_checkout(
    config: StudyConfig,
    schedule: Schedule,
    path: str | Path,
    stamp: StampFn | None = None,
) -> Checkout:
    """Read every enabled repository source; ``stamp`` defaults to commit dates (untrusted)."""
    repository = Repository(path)
    if not repository.is_repository():
        raise CheckoutError(f"{path} is not a git checkout; pass --repo-path DIR of a cloned study repository")
    if repository.is_shallow():
        raise CheckoutError(
            "the checkout is shallow, so the history of the README is missing; "
            "set 'fetch-depth: 0' on actions/checkout (or run 'git fetch --unshallow')"
        )
    stamp = stamp or commit_date_stamp(Roster(config))
    head = repository.head()
    evidence = Evidence()
    readme_text: str | None = None
    if head is None:
        return Checkout(evidence, None, None)
    weeks = [week.number for week in schedule.weeks]
    try:
        source = config.submissions.readme
        if source.enabled:
            evidence.merge(readme_evidence(config, repository.readme_patches(source.path), stamp))
            readme_text = repository.show("HEAD", source.path)
            if readme_text is not None:
                for notice in current_table_notices(config, readme_text, weeks):
                    evidence.warn(notice)
        if config.submissions.folders.enabled:
            evidence.merge(
                folder_evidence(config, repository.folder_changes(), repository.blobs, stamp, weeks)
            )
    except GitError as error:
        raise CheckoutError(str(error)) from None
    if readme_text is None and config.output.readme != config.submissions.readme.path:
        readme_text = repository.show("HEAD", config.output.readme)
    return Checkout(evidence, readme_text, head)
