"""A small OpenAI-compatible chat server for tests, on 127.0.0.1 and an ephemeral port.

Each request to ``.../chat/completions`` takes the next scripted reply from a queue: an
answer with usage, a structured (JSON) answer, a status code with headers (e.g. Retry-After),
a hang, a slow drip (the body a few bytes at a time, as an overloaded server streams it), a
malformed body or an empty answer. With the queue empty it answers 500 so a test notices.
Every request is recorded (path, headers, JSON body). Both the ``openai`` SDK and
``huggingface_hub``'s ``InferenceClient`` speak to it.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    drip_bytes: int = 0  # > 0: send the body this many bytes at a time...
    drip_every_s: float = 0.0  # ...with this pause between them


def answer(
    text: str,
    *,
    model: str = "gpt-4o-mini-2024-07-18",
    prompt_tokens: int = 140,
    completion_tokens: int = 40,
    cached_tokens: int = 0,
    finish_reason: str = "stop",
) -> Reply:
    """A chat completion with usage (``finish_reason="length"``: cut at the token cap)."""
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached_tokens},
        },
    }
    return Reply(body=json.dumps(body).encode())


def status(code: int, message: str = "scripted error", **headers: str) -> Reply:
    """An error status with an OpenAI-shaped error body; headers as ``retry_after="1"``."""
    body = json.dumps({"error": {"message": message, "type": "test", "code": None}})
    named = {k.replace("_", "-"): v for k, v in headers.items()}
    return Reply(status=code, body=body.encode(), headers=named)


def hang(seconds: float) -> Reply:
    """Say nothing for ``seconds``, then answer (a client past its timeout has gone)."""
    return Reply(delay_s=seconds, body=answer("Too late.").body)


def structured(action: str, cited: dict[str, str], explanation: str, **usage: Any) -> Reply:
    """An answer whose content is the JSON the structured prompt asks for."""
    content = {
        "action": action,
        "facts_cited": [{"name": k, "value": v} for k, v in cited.items()],
        "explanation": explanation,
    }
    return answer(json.dumps(content), **usage)


def drip(text: str, *, bytes_each: int = 4, every_s: float = 0.25) -> Reply:
    """A good answer sent a few bytes at a time: each read is quick, the whole is slow."""
    body = answer(text).body
    return Reply(body=body, drip_bytes=bytes_each, drip_every_s=every_s)


def malformed() -> Reply:
    """A 200 whose body is not JSON."""
    return Reply(body=b'{"id": "chatcmpl-test", "choices": [ this is not json')


def empty() -> Reply:
    """A well-formed answer with empty content."""
    return answer("", completion_tokens=0)


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class OpenAICompatibleServer:
    """Start with ``with OpenAICompatibleServer() as server:``; ``server.url`` ends in /v1."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def __enter__(self) -> OpenAICompatibleServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopping.set()  # wakes hanging handlers
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next(self, recorded: Recorded) -> Reply:
        with self._lock:
            self.requests.append(recorded)
            if self.replies:
                return self.replies.popleft()
        return status(500, "no scripted reply left")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                recorded = Recorded(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                if not self.path.rstrip("/").endswith("chat/completions"):
                    return self._send(status(404, f"no route {self.path}"))
                reply = server._next(recorded)
                if reply.delay_s and server._stopping.wait(reply.delay_s):
                    return None
                return self._send(reply)

            def _send(self, reply: Reply) -> None:
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(reply.body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.drip_bytes:
                        return self._drip(reply)
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): nothing to tell it

            def _drip(self, reply: Reply) -> None:
                body, size = reply.body, reply.drip_bytes
                for start in range(0, len(body), size):
                    self.wfile.write(body[start : start + size])
                    self.wfile.flush()
                    if server._stopping.wait(reply.drip_every_s):
                        return

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet tests

        return Handler
