"""Real local servers standing in for a mail server and the Telegram Bot API, on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER, SMTP_PASSWORD = "coach", "smtp-pass-Zq81x"
BOT_TOKEN = "123456789:AAH-fake-token-for-tests-only-000000000"


def free_port() -> int:
    """A port nothing listens on (connecting to it is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps what it receives; accepts one login."""

    port: int
    messages: list[Any] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        expected = (SMTP_USER.encode(), SMTP_PASSWORD.encode())
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == expected
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(**kwargs: Any) -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(
        box, hostname="127.0.0.1", port=box.port, authenticator=box.authenticate, **kwargs
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


@dataclass
class BotApi:
    """Stands in for api.telegram.org: records each request, answers from a script."""

    url: str
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    script: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def answer(self) -> tuple[int, dict[str, Any]]:
        return self.script.pop(0) if self.script else (200, {"ok": True, "result": {}})

    @property
    def texts(self) -> list[str]:
        return [str(body["text"]) for _, body in self.requests]


@contextmanager
def bot_api_server() -> Iterator[BotApi]:
    api: BotApi

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            api.raw.append(body)
            api.requests.append((self.path, json.loads(body)))
            status, answer = api.answer()
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api = BotApi(f"http://127.0.0.1:{server.server_address[1]}")
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, in its own process, in the test's private home."""
    return subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", *args],
        capture_output=True,
        text=True,
        env=os.environ | (env or {}),
        timeout=60,
    )


def email_env(port: int, **extra: str) -> dict[str, str]:
    return {
        "LANTERNE_SMTP_HOST": "127.0.0.1",
        "LANTERNE_SMTP_PORT": str(port),
        "LANTERNE_SMTP_SECURITY": "none",
        "LANTERNE_SMTP_USER": SMTP_USER,
        "LANTERNE_SMTP_PASSWORD": SMTP_PASSWORD,
        "LANTERNE_SMTP_FROM": "coach@example.org",
        "LANTERNE_SMTP_TO": "rider@example.org",
        "LANTERNE_NOTIFY_BACKOFF_S": "0.01",
        "LANTERNE_NOTIFY_TIMEOUT_S": "5",
        **extra,
    }


def telegram_env(api: BotApi) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "LANTERNE_TELEGRAM_CHAT_ID": "4242",
        "TELEGRAM_API_BASE_URL": api.url,
        "LANTERNE_NOTIFY_BACKOFF_S": "0.01",
    }
