"""Messenger notices through the whole run: a local webhook on 127.0.0.1 records what arrives."""

from __future__ import annotations

import pytest
from helpers import kst
from pydantic import SecretStr
from studyworld import Study
from webhookserver import Answer

from studybot.core.config import parse_config
from studybot.core.markers import Kind, marker
from studybot.shell.demo import example_file

REPOSITORY = "https://github.com/SEOJIN-Lab/Study-MLOps"
NOTIFY = "notify:\n  discord: {events: [opened, reminder, closed, results]}\n"


@pytest.fixture()
def study(tmp_path) -> Study:
    example = example_file("study.yml")
    text = example[: example.index("\nnotify:") + 1] + NOTIFY  # only the events these tests follow
    return Study(tmp_path, parse_config(text), example_file("README.md"), text, kst(2022, 4, 6, 9))


def run(study: Study, at, hook):
    return study.run(at, webhooks={"discord": SecretStr(hook.url)}, repository_url=REPOSITORY)


def titles(hook) -> list[str]:
    return [request["json"]["embeds"][0]["title"] for request in hook.requests]


def test_the_week_opening_reaches_discord_once_with_a_link_to_the_issue(study, hook):
    """Opening week 1 posts one Discord notice linking the new issue; a doubled run sends nothing."""
    run(study, kst(2022, 4, 6, 10), hook)
    (request,) = hook.requests
    embed = request["json"]["embeds"][0]
    assert embed["title"] == "Study-MLOps · 1주차 Q&A 이슈를 열었습니다"
    assert embed["url"] == f"{REPOSITORY}/issues/1"
    assert "4월 12일(화) 23:59까지" in embed["description"] and "<!--" not in embed["description"]
    assert request["json"]["allowed_mentions"] == {"parse": []}  # nobody is pinged without a chat id
    run(study, kst(2022, 4, 6, 11), hook)
    assert len(hook.requests) == 1


def test_a_webhook_failure_leaves_the_github_steps_done_and_is_sent_next_run(study, hook):
    """A 500 from Discord: the reminder is on GitHub, the leader is told, and the next run sends it."""
    run(study, kst(2022, 4, 6, 10), hook)
    hook.answer(Answer(status=500))
    outcome = run(study, kst(2022, 4, 12, 18, 5), hook)
    reminders = [c for c in study.github.comments.values() if marker(1, Kind.REMINDER) in c.body]
    assert len(reminders) == 1  # GitHub got its reminder although Discord failed
    assert any("Discord" in note for note in outcome.notes)
    assert titles(hook)[-1] == "Study-MLOps · 1주차 마감 리마인더"
    run(study, kst(2022, 4, 12, 19), hook)
    assert titles(hook).count("Study-MLOps · 1주차 마감 리마인더") == 2  # the failed one, then the retry
    run(study, kst(2022, 4, 12, 20), hook)
    assert titles(hook).count("Study-MLOps · 1주차 마감 리마인더") == 2  # sent: never again


def test_closing_and_results_follow_the_deadline(study, hook):
    """At the deadline the closing notice goes out; at noon the results, each once."""
    run(study, kst(2022, 4, 6, 10), hook)
    run(study, kst(2022, 4, 13, 0, 5), hook)
    run(study, kst(2022, 4, 13, 12, 5), hook)
    run(study, kst(2022, 4, 13, 13), hook)
    assert titles(hook) == [
        "Study-MLOps · 1주차 Q&A 이슈를 열었습니다",
        "Study-MLOps · 1주차 마감",
        "Study-MLOps · 1주차 결과",
    ]
