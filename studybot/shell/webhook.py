"""Posting a notice to a Discord or Slack incoming webhook.

A webhook URL is a password: whoever has it can post to the channel. It never appears in a
returned sentence, and no exception from here carries it: every HTTP problem becomes a
:class:`Delivery` that says what to do. Which URLs are acceptable is checked in settings, so
tests can point this at a local server.
"""

from __future__ import annotations

import enum
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from pydantic import SecretStr

from studybot.core.messages import Messages

# A wait the run can afford inside one step; longer ones are left to the next run.
MAX_RETRY_WAIT = 5.0

_INPUTS = {"discord": "discord-webhook", "slack": "slack-webhook"}
_NAMES = {"discord": "Discord", "slack": "Slack"}


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY_LATER = "retry_later"  # nothing wrong with the notice or the URL; send it next run
    BROKEN = "broken"  # sending again will not help until the leader fixes something


@dataclass(frozen=True)
class Delivery:
    """How one send went, with the sentence (a messages key and its fields) to show the leader."""

    outcome: Outcome
    key: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    status: int | None = None

    @property
    def sent(self) -> bool:
        return self.outcome is Outcome.SENT

    def sentence(self, messages: Messages) -> str:
        return messages.t(self.key, **self.fields)


def platform_of(url: str) -> str:
    """``discord`` or ``slack`` from the webhook's host; Discord when it says neither (a test server)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return "discord"
    return "slack" if host == "slack.com" or host.endswith(".slack.com") else "discord"


def send(
    url: SecretStr | str,
    payload: Mapping[str, Any],
    *,
    timeout: float = 10,
    platform: str | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST ``payload`` as JSON to the webhook; never raises for HTTP or network problems.

    A 429 asking to wait at most :data:`MAX_RETRY_WAIT` seconds is retried once after that wait.
    """
    raw = url.get_secret_value() if isinstance(url, SecretStr) else url
    platform = platform or platform_of(raw)
    fields = {"platform": _NAMES.get(platform, platform), "input": _INPUTS.get(platform, "")}
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    poster = session or requests
    for attempt in range(2):
        try:
            response = poster.post(
                raw,
                data=body,
                headers={"Content-Type": "application/json; charset=utf-8"},
                timeout=timeout,
                allow_redirects=False,
            )
        except (requests.Timeout, requests.ConnectionError):
            return Delivery(Outcome.RETRY_LATER, "webhook.unreachable", fields)
        except requests.RequestException:
            # An unusable URL (no scheme, bad characters); the exception text would show it.
            return Delivery(Outcome.BROKEN, "webhook.broken", {**fields, "status": "—"})
        status = response.status_code
        if 200 <= status < 300:
            return Delivery(Outcome.SENT, "webhook.sent", fields, status)
        if status == 429:
            wait = _retry_after(response)
            if attempt == 0 and wait is not None and wait <= MAX_RETRY_WAIT:
                sleep(wait)
                continue
            seconds = max(1, round(wait)) if wait is not None else 60
            return Delivery(Outcome.RETRY_LATER, "webhook.rate_limited", {**fields, "seconds": seconds}, status)
        if status >= 500 or status == 408:
            return Delivery(Outcome.RETRY_LATER, "webhook.server_error", {**fields, "status": status}, status)
        if status in (401, 403, 404, 410):
            # 410: Slack's answer once the channel behind the webhook is archived or deleted.
            return Delivery(Outcome.BROKEN, "webhook.broken", {**fields, "status": status}, status)
        return Delivery(Outcome.BROKEN, "webhook.refused", {**fields, "status": status}, status)
    raise AssertionError("unreachable: the second attempt always returns")


def _retry_after(response: requests.Response) -> float | None:
    """Seconds to wait: Discord's JSON ``retry_after`` or the ``Retry-After`` header."""
    candidates: list[Any] = []
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        candidates.append(data.get("retry_after"))
    candidates.append(response.headers.get("Retry-After"))
    for value in candidates:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None
