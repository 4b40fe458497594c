"""A webhook endpoint on 127.0.0.1 for tests: it records every request and answers as told."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOKEN_PATH = "/api/webhooks/123456789012345678/s3cr3t-T0KEN-only-the-channel-knows"


@dataclass
class Answer:
    status: int = 204
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Hook:
    """A webhook endpoint on 127.0.0.1 that records requests and answers as told."""

    base: str
    requests: list[dict] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.base + TOKEN_PATH

    def answer(self, *answers: Answer) -> None:
        self.answers.extend(answers)


@pytest.fixture
def hook() -> Iterator[Hook]:
    state = Hook("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            state.requests.append(
                {"path": self.path, "content_type": self.headers.get("Content-Type", ""), "json": json.loads(raw)}
            )
            answer = state.answers.pop(0) if state.answers else Answer()
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response(answer.status)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
