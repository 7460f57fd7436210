"""Local Oura (v2) and Strava (v3) servers for tests, on 127.0.0.1 and an ephemeral port.

Each is a stdlib ``ThreadingHTTPServer`` in a thread, driven by the real clients through
``OURA_API_BASE_URL`` / ``STRAVA_API_BASE_URL``. They hold documents or activities, page them
the way the real APIs do (Oura: ``next_token``, ``end_date`` inclusive for ``daily_*`` and
exclusive for ``sleep``; Strava: ``after``, ``page``, ``per_page``, ascending), check the
bearer token (401 otherwise), rotate single-use refresh tokens at ``/oauth/token``, and can be
scripted to answer a status with headers before serving normally (``script``). Strava sends
``X-RateLimit-*`` and ``X-ReadRateLimit-*`` headers from its counters. Every request is
recorded. Payload builders shaped like the official examples are in ``api_payloads``.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Scripted:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]


class _Server:
    """The HTTP plumbing; subclasses answer ``handle(request) -> (status, headers, body)``."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.scripts: dict[str, deque[Scripted]] = {}
        self.lock = threading.Lock()
        self.access_tokens: set[str] = set()
        self.refresh_tokens: dict[str, tuple[str, str]] = {}
        self.issued = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer._serve(self, "GET")

            def do_POST(self) -> None:
                outer._serve(self, "POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def origin(self) -> str:
        port = self.httpd.server_address[1]
        return f"http://127.0.0.1:{port}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, path_contains: str, *replies: Scripted) -> None:
        """Answer the next requests whose path contains ``path_contains`` with ``replies``."""
        self.scripts.setdefault(path_contains, deque()).extend(replies)

    def grant(self, access: str, refresh: str | None = None, *, next_pair: tuple[str, str]) -> None:
        """Accept ``access``; ``refresh`` (single use) trades for ``next_pair``."""
        self.access_tokens.add(access)
        if refresh is not None:
            self.refresh_tokens[refresh] = next_pair

    def calls(self, path_contains: str) -> list[Request]:
        return [r for r in self.requests if path_contains in r.path]

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        request = Request(
            method=method,
            path=parts.path,
            query={k: v[-1] for k, v in parse_qs(parts.query).items()},
            headers={k.lower(): v for k, v in handler.headers.items()},
            form={k: v[-1] for k, v in parse_qs(body).items()},
        )
        with self.lock:
            self.requests.append(request)
            status, headers, payload = self._answer(request)
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, request: Request) -> tuple[int, dict[str, str], Any]:
        for fragment, queue in self.scripts.items():
            if fragment in request.path and queue:
                reply = queue.popleft()
                return reply.status, reply.headers, reply.body or {"message": "scripted"}
        if request.path.endswith("/oauth/token"):
            return self._token(request)
        auth = request.headers.get("authorization", "")
        if auth.removeprefix("Bearer ") not in self.access_tokens:
            return 401, {}, {"message": "Authorization Error", "errors": [{"code": "invalid"}]}
        return self.handle(request)

    def _token(self, request: Request) -> tuple[int, dict[str, str], Any]:
        form = request.form
        if form.get("grant_type") == "authorization_code" and form.get("code") == "good-code":
            pair = (f"access-from-code-{self.issued}", f"refresh-from-code-{self.issued}")
        elif form.get("grant_type") == "refresh_token" and form.get("refresh_token") in (
            self.refresh_tokens
        ):
            pair = self.refresh_tokens.pop(form["refresh_token"])  # single use
        else:
            return 400, {}, {"message": "Bad Request", "errors": [{"field": "refresh_token"}]}
        self.issued += 1
        self.access_tokens.add(pair[0])
        return 200, {}, self.token_body(*pair)

    def token_body(self, access: str, refresh: str) -> dict[str, Any]:
        raise NotImplementedError

    def handle(self, request: Request) -> tuple[int, dict[str, str], Any]:
        raise NotImplementedError


class FakeOura(_Server):
    """Oura API v2 ``usercollection`` endpoints over ``documents[collection]``."""

    def __init__(self, page_size: int = 50) -> None:
        super().__init__()
        self.page_size = page_size
        self.documents: dict[str, list[dict[str, Any]]] = {
            "daily_readiness": [],
            "daily_sleep": [],
            "sleep": [],
            "daily_activity": [],
        }

    @property
    def base_url(self) -> str:
        return self.origin

    def token_body(self, access: str, refresh: str) -> dict[str, Any]:
        return {
            "token_type": "bearer",
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": 86400,
        }

    def handle(self, request: Request) -> tuple[int, dict[str, str], Any]:
        prefix = "/v2/usercollection/"
        collection = request.path.removeprefix(prefix)
        if not request.path.startswith(prefix) or collection not in self.documents:
            return 404, {}, {"detail": "Not Found"}
        start = date.fromisoformat(request.query["start_date"])
        end = date.fromisoformat(request.query["end_date"])
        inclusive = collection != "sleep"  # sleep's end_date is exclusive
        chosen = [
            d
            for d in self.documents[collection]
            if _day(d) is None  # a malformed day is served, for the client to reject
            or (start <= _day(d) and (_day(d) <= end if inclusive else _day(d) < end))  # type: ignore[operator]
        ]
        offset = int(request.query.get("next_token") or 0)
        page = chosen[offset : offset + self.page_size]
        following = offset + self.page_size
        token = str(following) if following < len(chosen) else None
        return 200, {}, {"data": page, "next_token": token}


def _day(doc: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(doc.get("day")))
    except ValueError:
        return None


class FakeStrava(_Server):
    """Strava API v3 activities and streams, with rate-limit counters and headers."""

    def __init__(self) -> None:
        super().__init__()
        self.activities: list[dict[str, Any]] = []
        self.streams: dict[str, dict[str, Any]] = {}
        self.limits = {"overall": (200, 2000), "read": (100, 1000)}
        self.usage = {"overall": [0, 0], "read": [0, 0]}

    @property
    def base_url(self) -> str:
        return self.origin + "/api/v3"

    def token_body(self, access: str, refresh: str) -> dict[str, Any]:
        return {
            "token_type": "Bearer",
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": 4_102_444_800,  # 2100-01-01
            "expires_in": 21600,
        }

    def rate_headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "{},{}".format(*self.limits["overall"]),
            "X-RateLimit-Usage": "{},{}".format(*self.usage["overall"]),
            "X-ReadRateLimit-Limit": "{},{}".format(*self.limits["read"]),
            "X-ReadRateLimit-Usage": "{},{}".format(*self.usage["read"]),
        }

    def handle(self, request: Request) -> tuple[int, dict[str, str], Any]:
        for kind in ("overall", "read"):
            self.usage[kind][0] += 1
            self.usage[kind][1] += 1
        over = any(
            self.usage[k][0] > self.limits[k][0] or self.usage[k][1] > self.limits[k][1]
            for k in self.usage
        )
        headers = self.rate_headers()
        if over:
            return 429, headers, {"message": "Rate Limit Exceeded", "errors": []}
        if request.path == "/api/v3/athlete/activities":
            return 200, headers, self._activities(request.query)
        if request.path.startswith("/api/v3/activities/") and request.path.endswith("/streams"):
            ident = request.path.split("/")[4]
            if ident not in self.streams:
                return 404, headers, {"message": "Record Not Found", "errors": []}
            return 200, headers, self.streams[ident]
        return 404, headers, {"message": "Record Not Found", "errors": []}

    def _activities(self, query: dict[str, str]) -> list[dict[str, Any]]:
        after = int(query.get("after", 0))
        page, per_page = int(query.get("page", 1)), int(query.get("per_page", 30))
        chosen = sorted(
            (a for a in self.activities if _epoch(a["start_date"]) > after),
            key=lambda a: _epoch(a["start_date"]),
        )
        return chosen[(page - 1) * per_page : page * per_page]


def _epoch(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())
