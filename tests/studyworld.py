"""A study repository for flow tests: the fake GitHub's default branch is a real git repository.

Every commit the fake makes (members' pushes and the bot's own) is a real commit in the
local checkout, so SHAs in the activity log are the SHAs ``git`` reads, as on GitHub after
``actions/checkout``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from fakegithub import FakeCommit, FakeGitHub

from studybot.core.config import StudyConfig, parse_config
from studybot.shell.git import Repository
from studybot.shell.runner import Job, Outcome, run_cycle


class GitBackedGitHub(FakeGitHub):
    """FakeGitHub whose commits are real commits of a local repository."""

    def __init__(
        self,
        path: Path,
        files: Mapping[str, str],
        *,
        now: dt.datetime,
        owner: str,
        identities: Mapping[str, tuple[str, str]] | None = None,
        **kwargs,
    ):
        """``identities``: login -> (author name, address) for commits; GitHub's noreply otherwise."""
        self.repository = Repository.create(path)
        self.identities = dict(identities or {})
        self._trees: dict[str, dict[str, str]] = {}
        self._authored: dt.datetime | None = None
        self.base_trees: list[str] = []  # tree SHAs the runner passed to commit_files
        super().__init__(files, now=now, owner=owner, **kwargs)

    def push_dated(self, files: Mapping[str, str | None], actor: str, at: dt.datetime, authored: dt.datetime) -> str:
        """A push at server time ``at`` of a commit whose own date says ``authored``."""
        self._authored = authored
        try:
            return self.push(files, actor, at)
        finally:
            self._authored = None

    def push_merge(self, first: str, second: str, actor: str, at: dt.datetime, *, branch: str = "main") -> str:
        """``actor`` pushes a merge whose first parent is ``first`` and second ``second``, with ``first``'s files."""
        repository = self.repository
        stamp = at.isoformat()
        name, email = self.identities.get(actor, (actor, f"{actor}@users.noreply.github.com"))
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": name,
               "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
        tree = repository.tree_of(first)
        sha = repository._run("commit-tree", tree, "-p", first, "-p", second, "-m", "merge", env=env).decode().strip()
        repository._run("reset", "--quiet", "--hard", sha)
        files = dict(self._objects[first].files)
        self._trees[sha] = files
        before = self._heads[branch]
        self._objects[sha] = FakeCommit(sha, before, files, "merge", actor, at, branch)
        self._move(branch, before, sha, actor, at, "push")
        return sha

    def force_push_to(self, sha: str, actor: str, at: dt.datetime, *, branch: str = "main") -> None:
        """``actor`` force-pushes the branch back to commit ``sha``."""
        self.repository._run("reset", "--quiet", "--hard", sha)
        self._move(branch, self._heads[branch], sha, actor, at, "force_push")

    def commit_files(self, branch, parent, changes, message, *, base_tree=None) -> str:
        """As the fake's, and a tree the caller names must be the parent's tree in git."""
        if base_tree is not None:
            assert base_tree == self.repository.tree_of(parent), "base_tree is not the parent's tree"
            self.base_trees.append(base_tree)
        return super().commit_files(branch, parent, changes, message, base_tree=base_tree)

    def _new_commit(self, parent, files, message, actor, branch, at=None) -> FakeCommit:
        previous = self._trees.get(parent, {}) if parent else {}
        changes: dict[str, str | None] = {path: None for path in previous if path not in files}
        changes.update({path: text for path, text in files.items() if previous.get(path) != text})
        when = at or self.now
        name, email = self.identities.get(actor, (actor, f"{actor}@users.noreply.github.com"))
        sha = self.repository.commit(
            changes, message, author=name, email=email,
            when=self._authored or when, committed=self._authored or when,
        )
        self._trees[sha] = dict(files)
        commit = FakeCommit(sha, parent, dict(files), message, actor, when, branch)
        self._objects[sha] = commit
        return commit


class Study:
    """The seed study on a fake GitHub, run by studybot at chosen instants."""

    def __init__(
        self, tmp: Path, config: StudyConfig, readme: str, config_text: str, start: dt.datetime, *, started: bool = True
    ):
        """``started``: the leader has already answered /studybot start (the setup issue is its own test)."""
        self.config = config
        files = {"README.md": readme, "config/study.yml": config_text}
        if started:
            from helpers import started as started_state

            from studybot.core.state import dump_state

            files[config.output.ledger] = dump_state(started_state(study=config.study.name))
        self.config_text = config_text
        self.github = GitBackedGitHub(tmp / "study", files, now=start, owner="SEOJIN-Lab")
        self.logins = {member.name: member.github for member in config.members}

    @property
    def workspace(self) -> Path:
        return self.github.repository.path

    def readme(self) -> str:
        return self.github.files["main"]["README.md"]

    def ledger(self) -> str | None:
        return self.github.files["main"].get(".studybot/ledger.json")

    def edit(self, member: str, at: dt.datetime, change, authored: dt.datetime | None = None) -> str:
        """``member`` pushes a README changed by ``change(text)`` at server time ``at``."""
        self.github.now = at
        text = change(self.readme())
        login = self.logins[member] or member
        if authored is None:
            return self.github.push({"README.md": text}, login, at)
        return self.github.push_dated({"README.md": text}, login, at, authored)

    def head_config(self) -> StudyConfig:
        """The config as the checkout's head has it, as the Action reads it (the one given, while unchanged)."""
        text = self.github.files["main"].get("config/study.yml")
        if text is None or text == self.config_text:
            return self.config
        return parse_config(text)

    def run(self, at: dt.datetime, log=lambda line: None, **kwargs) -> Outcome:
        self.github.now = at
        kwargs.setdefault("config_path", "config/study.yml")
        return run_cycle(self.head_config(), self.github, self.workspace, at, job(**kwargs), log=log)

    def writes(self) -> int:
        return len(self.github.writes)


def job(*, only_week=None, webhooks=None, repository_url=None, bot_login=None, branch="main", **rest) -> Job:
    """The Job a run is asked for, from the keywords the tests give (as the Action's settings would)."""
    from studybot.core.settle import RunSettings

    settings = RunSettings(
        only_week=only_week, webhooks=frozenset(webhooks or {}), repository_url=repository_url, bot_login=bot_login
    )
    return Job(settings, branch=branch, webhooks=webhooks or {}, **rest)
