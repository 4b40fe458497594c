"""Sending notices to a webhook: a local HTTP server stands in for Discord and Slack."""

from __future__ import annotations

import socket

import pytest
from webhookserver import TOKEN_PATH, Answer

from studybot.core.config import NotifyEvent
from studybot.core.messages import messages_for
from studybot.core.notices import Notice, payload
from studybot.shell.webhook import Outcome, send

KO = messages_for("ko")
EN = messages_for("en")
ISSUE = "https://github.com/SEOJIN-Lab/Study-MLOps/issues/7"


def results_notice() -> Notice:
    body = "<!-- studybot:week=3:kind=results -->\n## 3주차 결과\n\n| 이름 | 결과 |\n| :--- | :---: |\n| 장서진 | ✅ 제출 |"
    return Notice(NotifyEvent.RESULTS, 3, "Study-MLOps · 3주차 결과", body, ISSUE)


def test_discord_receives_the_embed_as_json(hook):
    """Discord's 204 means sent, and the server got the embed, linked to the issue, pinging nobody."""
    delivery = send(hook.url, payload("discord", results_notice(), KO))
    assert delivery.outcome is Outcome.SENT and delivery.sentence(KO) == "Discord 알림을 보냈습니다."
    (request,) = hook.requests
    assert request["path"] == TOKEN_PATH
    assert request["content_type"].startswith("application/json")
    embed = request["json"]["embeds"][0]
    assert embed["title"] == "Study-MLOps · 3주차 결과" and embed["url"] == ISSUE
    assert "장서진" in embed["description"] and "<!--" not in embed["description"]
    assert request["json"]["allowed_mentions"] == {"parse": []}


def test_slack_receives_mrkdwn_blocks(hook):
    """Slack's 200 'ok' means sent, and the server got mrkdwn text and blocks."""
    hook.answer(Answer(200, b"ok"))
    delivery = send(hook.url, payload("slack", results_notice(), KO), platform="slack")
    assert delivery.outcome is Outcome.SENT and delivery.sentence(KO) == "Slack 알림을 보냈습니다."
    message = hook.requests[0]["json"]
    assert message["blocks"][0]["text"] == {"type": "mrkdwn", "text": f"*<{ISSUE}|Study-MLOps · 3주차 결과>*"}
    assert message["blocks"][1]["text"]["text"].startswith("*3주차 결과*")


def test_server_error_is_retried_next_run(hook):
    """A 500 is not the leader's problem: the notice waits for the next run."""
    hook.answer(Answer(500))
    delivery = send(hook.url, {"content": "x"})
    assert delivery.outcome is Outcome.RETRY_LATER
    assert delivery.sentence(KO) == "Discord 서버 오류(HTTP 500)로 알림을 보내지 못했습니다. 다음 실행에서 다시 보냅니다."
    assert len(hook.requests) == 1


@pytest.mark.parametrize("status", [401, 403, 404])
def test_missing_webhook_names_the_secret_to_update_without_the_url(hook, status):
    """A deleted or wrong webhook says which input's secret to replace and never shows the URL."""
    hook.answer(Answer(status, b'{"message": "Unknown Webhook", "code": 10015}'))
    delivery = send(hook.url, {"content": "x"})
    assert delivery.outcome is Outcome.BROKEN
    for messages in (KO, EN):
        sentence = delivery.sentence(messages)
        assert "discord-webhook" in sentence and f"HTTP {status}" in sentence
        assert "s3cr3t" not in sentence and "127.0.0.1" not in sentence
    assert "s3cr3t" not in repr(delivery)


def test_slack_broken_webhook_names_the_slack_input(hook):
    """A Slack webhook that is gone points the leader at the slack-webhook input."""
    hook.answer(Answer(404, b"no_service"))
    sentence = send(hook.url, {"text": "x"}, platform="slack").sentence(EN)
    assert "`slack-webhook`" in sentence and "Slack" in sentence


def test_a_short_rate_limit_is_waited_out_once(hook):
    """A 429 asking to wait a moment is retried once, and the second answer counts."""
    hook.answer(Answer(429, b'{"message": "You are being rate limited.", "retry_after": 0.05, "global": false}',
                       {"Content-Type": "application/json"}))
    delivery = send(hook.url, {"content": "x"})
    assert delivery.outcome is Outcome.SENT
    assert len(hook.requests) == 2 and hook.requests[0]["json"] == hook.requests[1]["json"]


def test_a_long_rate_limit_is_left_to_the_next_run(hook):
    """A 429 asking for more than a few seconds is not waited for inside the run."""
    hook.answer(Answer(429, b"", {"Retry-After": "30"}))
    delivery = send(hook.url, {"text": "x"}, platform="slack")
    assert delivery.outcome is Outcome.RETRY_LATER and delivery.fields["seconds"] == 30
    assert len(hook.requests) == 1


def test_a_second_rate_limit_is_not_waited_again(hook):
    """After one wait, another 429 leaves the notice for the next run."""
    limited = Answer(429, b"", {"Retry-After": "0"})
    hook.answer(limited, limited)
    assert send(hook.url, {"content": "x"}).outcome is Outcome.RETRY_LATER
    assert len(hook.requests) == 2


def test_a_slow_server_is_retried_next_run(hook):
    """A webhook that does not answer in time leaves the notice for the next run."""
    hook.answer(Answer(204, delay=1.0))
    delivery = send(hook.url, {"content": "x"}, timeout=0.2)
    assert delivery.outcome is Outcome.RETRY_LATER
    assert "s3cr3t" not in delivery.sentence(KO)


def test_an_unreachable_host_is_retried_next_run():
    """A connection refused is a sentence and a later retry, not an exception with the URL in it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    delivery = send(f"http://127.0.0.1:{port}{TOKEN_PATH}", {"content": "x"}, timeout=2)
    assert delivery.outcome is Outcome.RETRY_LATER
    assert delivery.sentence(EN).startswith("Could not reach Discord")


def test_a_refused_payload_is_broken_not_retried(hook):
    """A 400 means the message itself was refused; sending it again would fail the same way."""
    hook.answer(Answer(400, b'{"embeds": ["0"]}'))
    delivery = send(hook.url, {"content": "x"})
    assert delivery.outcome is Outcome.BROKEN and delivery.key == "webhook.refused"
