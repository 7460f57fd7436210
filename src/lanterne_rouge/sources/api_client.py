"""The HTTP seam shared by the Oura and Strava clients (httpx, injectable transport and clock).

Errors are translated here, at the boundary, into the ``LanterneError`` tree::

    SourceError                 the API could not be used (network, auth, server error)
    ├── SourceUnavailable       not reached, or only server errors: worth trying again soon
    ├── RateLimited             the provider's rate limit is used up and waiting for it to
    │                           reset would take longer than allowed; ``retry_at`` says when
    └── HttpStatusError         another client error (403, 404 ...); ``status`` says which

An expired or rejected access token (401) is refreshed once with the stored refresh token
(the new pair is persisted before use, see ``tokens``) and the request retried; a second 401
is an error that says how to authorize again. A 429 is waited out when the wait is within
``max_wait`` seconds (``Retry-After``, or exponential back-off), otherwise ``RateLimited``.
Server errors (5xx) are retried with a short back-off, then reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from lanterne_rouge.errors import SourceError
from lanterne_rouge.sources.tokens import OAuthToken, TokenKeeper

REFRESH_MARGIN_SECONDS = 300.0
"""Refresh an access token this long before it expires."""

Sleep = Callable[[float], None]
Clock = Callable[[], float]


class RateLimited(SourceError):
    """The rate limit is used up; the request can be made again at ``retry_at`` (Unix s)."""

    def __init__(self, message: str, retry_at: float | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class SourceUnavailable(SourceError):
    """The API could not be reached or kept answering server errors (5xx): transient."""


class HttpStatusError(SourceError):
    """The API answered a client error other than 401/429 (e.g. 404 for a deleted record)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Credentials(Protocol):
    def access_token(self) -> str: ...

    def how_to_connect(self, provider: str) -> str:
        """The command that gives the client a new token, for error messages."""
        ...

    def refresh(self) -> bool:
        """Get a new access token; False when this kind of credential cannot be refreshed."""
        ...


class StaticToken:
    """A token that cannot be refreshed (an Oura personal access token)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def access_token(self) -> str:
        return self._token

    def how_to_connect(self, provider: str) -> str:
        return f"`lanterne-rouge auth {provider}`"

    def refresh(self) -> bool:
        return False


class OAuthCredentials:
    """OAuth2 tokens, refreshed before expiry or after a 401; rotated pairs saved first."""

    def __init__(
        self,
        *,
        provider: str,
        token_file: TokenKeeper,
        token_url: str,
        client_id: str | None,
        client_secret: str | None,
        http: httpx.Client,
        clock: Clock = time.time,
        initial: OAuthToken | None = None,
    ) -> None:
        self.provider = provider
        self.token_file = token_file
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.http = http
        self.clock = clock
        token = token_file.load() or initial
        if token is None:
            raise SourceError(f"{provider}: no token; run {token_file.how_to_connect(provider)}")
        self.token = token

    def how_to_connect(self, provider: str) -> str:
        return self.token_file.how_to_connect(provider)

    def access_token(self) -> str:
        if self.token.expires_within(REFRESH_MARGIN_SECONDS, self.clock()):
            self.refresh()
        return self.token.access_token.get_secret_value()

    def refresh(self) -> bool:
        if self.token.refresh_token is None:
            return False
        if not self.client_id or not self.client_secret:
            raise SourceError(
                f"{self.provider}: the access token needs refreshing but the client id or "
                f"secret is not set ({self.provider.upper()}_CLIENT_ID, "
                f"{self.provider.upper()}_CLIENT_SECRET)"
            )
        data = {
            "grant_type": "refresh_token",
            "refresh_token": self.token.refresh_token.get_secret_value(),
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        new = exchange_token(
            self.http,
            self.provider,
            self.token_url,
            data,
            self.clock(),
            how_to_connect=self.token_file.how_to_connect(self.provider),
        )
        if new.refresh_token is None:
            new = new.model_copy(update={"refresh_token": self.token.refresh_token})
        self.token_file.save(new)  # a rotated refresh token is single-use: persist it first
        self.token = new
        return True


def exchange_token(
    http: httpx.Client,
    provider: str,
    url: str,
    data: Mapping[str, str],
    now: float,
    *,
    how_to_connect: str | None = None,
) -> OAuthToken:
    """POST to an OAuth token endpoint; the answer as an ``OAuthToken``. ``how_to_connect``:
    the command a refusal tells the user to run (by default the token file's)."""
    try:
        response = http.post(url, data=dict(data))
    except httpx.HTTPError as exc:
        raise SourceUnavailable(
            f"{provider}: cannot reach the token endpoint: {_why(exc)}"
        ) from exc
    if response.status_code in (400, 401, 403):
        raise SourceError(
            f"{provider} refused the token request (HTTP {response.status_code}); "
            f"authorize again with {how_to_connect or f'`lanterne-rouge auth {provider}`'}"
        )
    if response.status_code != 200:
        raise SourceError(f"{provider}: token endpoint answered HTTP {response.status_code}")
    try:
        body = response.json()
        expires_at = body.get("expires_at")
        if expires_at is None and body.get("expires_in") is not None:
            expires_at = int(now + float(body["expires_in"]))
        return OAuthToken.model_validate({**body, "expires_at": expires_at})
    except (ValueError, TypeError, AttributeError) as exc:
        raise SourceError(f"{provider}: the token endpoint answered something unreadable") from exc


class ApiClient:
    """GET JSON from one provider with auth, retries and rate limits handled."""

    provider = "api"

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Credentials | None = None,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
        max_wait: float = 60.0,
        max_retries: int = 3,
        timeout: float = 30.0,
    ) -> None:
        self.http = http or httpx.Client(
            base_url=base_url,
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": "lanterne-rouge"},
        )
        self.credentials = credentials
        self.sleep = sleep
        self.clock = clock
        self.max_wait = max_wait
        self.max_retries = max_retries
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        refreshed = False
        attempt = 0
        while True:
            self.before_request()
            response = self._send(path, params)
            self.after_response(response)
            status = response.status_code
            if status == 401 and not refreshed and self.credentials is not None:
                refreshed = self.credentials.refresh()
                if refreshed:
                    continue
            if status == 401:
                raise SourceError(self.unauthorized_message())
            if status == 429 or status >= 500:
                wait = self.retry_wait(response, attempt)
                if attempt < self.max_retries and wait <= self.max_wait:
                    self.sleep(wait)
                    attempt += 1
                    continue
                if status == 429:
                    raise self.rate_limited(response, wait)
                raise SourceUnavailable(
                    f"{self.provider}: {path} failed: HTTP {status} (server error)"
                )
            if status >= 400:
                raise HttpStatusError(
                    f"{self.provider}: {path} failed: HTTP {status} {_brief(response)}", status
                )
            try:
                return response.json()
            except ValueError as exc:
                raise SourceError(f"{self.provider}: {path} did not answer JSON") from exc

    def _send(self, path: str, params: Mapping[str, Any] | None) -> httpx.Response:
        headers = {}
        if self.credentials is not None:
            headers["Authorization"] = f"Bearer {self.credentials.access_token()}"
        try:
            self.requests += 1
            return self.http.get(path, params=dict(params or {}), headers=headers)
        except httpx.HTTPError as exc:
            raise SourceUnavailable(
                f"{self.provider}: cannot reach {self.http.base_url.host}: {_why(exc)}"
            ) from exc

    # -- hooks for one provider's habits -------------------------------------------------

    def before_request(self) -> None:
        """Called before each request (e.g. to wait for a rate-limit window)."""

    def after_response(self, response: httpx.Response) -> None:
        """Called with each response (e.g. to read rate-limit headers)."""

    def retry_wait(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait before retrying a 429 or 5xx."""
        after = response.headers.get("Retry-After")
        if after is not None:
            try:
                return max(0.0, float(after))
            except ValueError:
                try:
                    when = datetime.strptime(after, "%a, %d %b %Y %H:%M:%S GMT")
                    return max(0.0, when.replace(tzinfo=UTC).timestamp() - self.clock())
                except ValueError:
                    pass
        return float(2**attempt)

    def rate_limited(self, response: httpx.Response, wait: float) -> RateLimited:
        return RateLimited(
            f"{self.provider}: rate limit reached; try again in {wait:.0f} s",
            retry_at=self.clock() + wait,
        )

    def how_to_connect(self) -> str:
        """The command that stores a new token where this client's tokens are kept."""
        if self.credentials is not None:
            return self.credentials.how_to_connect(self.provider)
        return f"`lanterne-rouge auth {self.provider}`"

    def unauthorized_message(self) -> str:
        return (
            f"{self.provider} rejected the access token (HTTP 401); "
            f"authorize again with {self.how_to_connect()}"
        )


def _why(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _brief(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:200]
