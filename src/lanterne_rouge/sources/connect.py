"""Which API sources are configured, their clients, and the OAuth authorize/exchange steps.

A source is configured when it has credentials: Oura with a token file from
``lanterne-rouge auth oura`` or ``OURA_PERSONAL_ACCESS_TOKEN``; Strava with a token file from
``lanterne-rouge auth strava`` or ``STRAVA_CLIENT_ID``, ``STRAVA_CLIENT_SECRET`` and
``STRAVA_REFRESH_TOKEN``. Checking this reads no network and imports nothing heavy.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.sources.tokens import OAuthToken, TokenFile, TokenKeeper, token_path

if TYPE_CHECKING:
    import httpx

    from lanterne_rouge.sources.oura import OuraClient
    from lanterne_rouge.sources.strava import StravaClient
    from lanterne_rouge.utils.config_loader import Settings

PROVIDERS = ("oura", "strava")


def token_file(settings: Settings, provider: str) -> TokenFile:
    return TokenFile(token_path(settings.home, provider))


def configured_sources(settings: Settings) -> list[str]:
    found = []
    if token_file(settings, "oura").exists() or settings.oura_personal_access_token:
        found.append("oura")
    strava_env = (
        settings.strava_client_id
        and settings.strava_client_secret
        and settings.strava_refresh_token
    )
    if token_file(settings, "strava").exists() or strava_env:
        found.append("strava")
    return found


def _secret(value: Any) -> str | None:
    return None if value is None else str(value.get_secret_value())


def _http(base_url: str, transport: httpx.BaseTransport | None, timeout: float) -> httpx.Client:
    import httpx

    return httpx.Client(
        base_url=base_url,
        transport=transport,
        timeout=timeout,
        headers={"User-Agent": "lanterne-rouge"},
    )


def open_oura(
    settings: Settings, *, tokens: TokenKeeper | None = None, **options: Any
) -> OuraClient:
    """The Oura client with the configured credentials (``ConfigError`` if there are none);
    ``tokens``: an athlete's own, kept in the database, instead of the token file."""
    from lanterne_rouge.sources.api_client import OAuthCredentials, StaticToken
    from lanterne_rouge.sources.oura import OuraClient

    base = settings.oura_api_base_url.rstrip("/")
    http = _http(base, options.pop("transport", None), options.pop("timeout", 30.0))
    own = tokens is not None
    tokens = tokens or token_file(settings, "oura")
    credentials: OAuthCredentials | StaticToken
    if own and tokens.load() is None:
        raise ConfigError(
            "Oura is not connected for this athlete: run `lanterne-rouge athlete connect oura`"
        )
    if own or (isinstance(tokens, TokenFile) and tokens.exists()):
        credentials = OAuthCredentials(
            provider="oura",
            token_file=tokens,
            token_url=f"{base}/oauth/token",
            client_id=settings.oura_client_id,
            client_secret=_secret(settings.oura_client_secret),
            http=http,
            clock=options.get("clock", time.time),
        )
    elif settings.oura_personal_access_token is not None:
        credentials = StaticToken(settings.oura_personal_access_token.get_secret_value())
    else:
        raise ConfigError(
            "Oura is not configured: set OURA_PERSONAL_ACCESS_TOKEN, or OURA_CLIENT_ID and "
            "OURA_CLIENT_SECRET and run `lanterne-rouge auth oura`"
        )
    return OuraClient(base_url=base, http=http, credentials=credentials, **options)


def open_strava(
    settings: Settings, *, tokens: TokenKeeper | None = None, **options: Any
) -> StravaClient:
    """The Strava client with the configured credentials (``ConfigError`` if there are none);
    ``tokens``: an athlete's own, kept in the database, instead of the token file."""
    from lanterne_rouge.sources.api_client import OAuthCredentials
    from lanterne_rouge.sources.strava import StravaClient, token_url

    base = settings.strava_api_base_url.rstrip("/")
    http = _http(base, options.pop("transport", None), options.pop("timeout", 30.0))
    initial = None
    if tokens is not None:
        if tokens.load() is None:
            raise ConfigError(
                "Strava is not connected for this athlete: run "
                "`lanterne-rouge athlete connect strava`"
            )
    elif settings.strava_refresh_token is not None:
        # Only the refresh token is known: expired at once, so the first request refreshes.
        initial = OAuthToken(
            access_token="", refresh_token=settings.strava_refresh_token, expires_at=0
        )
    if tokens is None and not token_file(settings, "strava").exists() and initial is None:
        raise ConfigError(
            "Strava is not configured: set STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET and run "
            "`lanterne-rouge auth strava` (or set STRAVA_REFRESH_TOKEN)"
        )
    credentials = OAuthCredentials(
        provider="strava",
        token_file=tokens or token_file(settings, "strava"),
        token_url=token_url(base),
        client_id=settings.strava_client_id,
        client_secret=_secret(settings.strava_client_secret),
        http=http,
        clock=options.get("clock", time.time),
        initial=initial,
    )
    return StravaClient(base_url=base, http=http, credentials=credentials, **options)


def authorize_url(settings: Settings, provider: str, state: str) -> str:
    client_id = _client(settings, provider)[0]
    if provider == "oura":
        from lanterne_rouge.sources import oura

        return oura.authorize_url(client_id, settings.oauth_redirect_uri, state)
    from lanterne_rouge.sources import strava

    return strava.authorize_url(
        settings.strava_api_base_url, client_id, settings.oauth_redirect_uri, state
    )


def exchange_code(
    settings: Settings, provider: str, code: str, transport: httpx.BaseTransport | None = None
) -> OAuthToken:
    """Trade an authorization code for tokens and save them (mode 0600)."""
    from lanterne_rouge.sources.api_client import exchange_token
    from lanterne_rouge.sources.strava import token_url

    client_id, client_secret = _client(settings, provider)
    if provider == "oura":
        base = settings.oura_api_base_url.rstrip("/")
        url = f"{base}/oauth/token"
    else:
        base = settings.strava_api_base_url.rstrip("/")
        url = token_url(base)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": settings.oauth_redirect_uri,
    }
    with _http(base, transport, 30.0) as http:
        token = exchange_token(http, provider, url, data, time.time())
    token_file(settings, provider).save(token)
    return token


def _client(settings: Settings, provider: str) -> tuple[str, str]:
    if provider == "oura":
        client_id, secret = settings.oura_client_id, _secret(settings.oura_client_secret)
    elif provider == "strava":
        client_id, secret = settings.strava_client_id, _secret(settings.strava_client_secret)
    else:
        raise ConfigError(f"unknown provider {provider!r}; one of {', '.join(PROVIDERS)}")
    if not client_id or not secret:
        name = provider.upper()
        raise ConfigError(
            f"set {name}_CLIENT_ID and {name}_CLIENT_SECRET (from the {provider} developer "
            "settings) before authorizing"
        )
    return client_id, secret
