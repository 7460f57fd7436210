"""OAuth tokens on disk: one JSON file per provider, readable by the user only.

``LANTERNE_HOME/tokens/<provider>.json`` holds the access token, the refresh token and when
the access token expires (``expires_at``, Unix seconds). Providers rotate refresh tokens (a
refresh token works once), so a refreshed pair is written *before* it is used: if the
process dies after a refresh, the new pair is on disk.

Writes are atomic: a temporary file in the same folder, created with mode 0600 (and
``chmod``-ed again before any secret is written, whatever the umask), flushed and fsynced,
then ``os.replace``-d over the old file. The folder is made mode 0700.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from lanterne_rouge.errors import ConfigError, SourceError
from lanterne_rouge.utils.logger import register_secret

if TYPE_CHECKING:
    from lanterne_rouge.memory.secrets import AthleteSecrets

FILE_MODE = 0o600
DIR_MODE = 0o700


class OAuthToken(BaseModel):
    """An access token, the refresh token that renews it and its expiry (Unix seconds)."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    expires_at: int | None = None
    token_type: str = "Bearer"

    def expires_within(self, seconds: float, now: float) -> bool:
        return self.expires_at is not None and self.expires_at - now <= seconds

    def secrets(self) -> list[str]:
        values = [self.access_token.get_secret_value()]
        if self.refresh_token is not None:
            values.append(self.refresh_token.get_secret_value())
        return values


class TokenKeeper(Protocol):
    """Where a provider's tokens are kept: a file of the user's, or the database, encrypted."""

    def load(self) -> OAuthToken | None: ...

    def save(self, token: OAuthToken) -> None: ...

    def how_to_connect(self, provider: str) -> str:
        """The command that stores a new token here, for error messages."""
        ...


def token_path(home: Path, provider: str) -> Path:
    return home / "tokens" / f"{provider}.json"


class TokenFile:
    """One provider's token file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.is_file()

    def how_to_connect(self, provider: str) -> str:
        return f"`lanterne-rouge auth {provider}`"

    def load(self) -> OAuthToken | None:
        """The stored token, or None when there is no file yet."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot read the token file: {exc}") from exc
        try:
            token = OAuthToken.model_validate(json.loads(text))
        except (ValueError, ValidationError) as exc:
            raise ConfigError(
                f"{self.path}: not a valid token file ({type(exc).__name__}); "
                "delete it and authorize again"
            ) from None
        for secret in token.secrets():
            register_secret(secret, token=True)
        return token

    def save(self, token: OAuthToken) -> None:
        """Write the token atomically, mode 0600."""
        try:
            self._write(token_json(token))
        except OSError as exc:
            raise SourceError(f"{self.path}: cannot save the new token: {exc}") from exc

    def _write(self, text: str) -> None:
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, DIR_MODE)
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        try:
            os.fchmod(fd, FILE_MODE)  # before any secret is written
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _fsync_dir(folder)


def token_json(token: OAuthToken) -> str:
    """The token as the JSON kept in a token file or, encrypted, in the database."""
    for secret in token.secrets():
        register_secret(secret, token=True)
    payload = {
        "access_token": token.access_token.get_secret_value(),
        "refresh_token": token.refresh_token.get_secret_value() if token.refresh_token else None,
        "expires_at": token.expires_at,
        "token_type": token.token_type,
    }
    return json.dumps(payload, indent=2) + "\n"


def parse_token(text: str, where: str) -> OAuthToken:
    """A token from its JSON (a token file, ``athlete connect``'s input, the database)."""
    try:
        token = OAuthToken.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise ConfigError(
            f"{where}: not a token (JSON with access_token, refresh_token, expires_at): "
            f"{type(exc).__name__}"
        ) from None
    for secret in token.secrets():
        register_secret(secret, token=True)
    return token


class StoredTokens:
    """One athlete's tokens for one provider, in the database, encrypted (fleet athletes)."""

    def __init__(self, secrets: AthleteSecrets, athlete_id: str, provider: str) -> None:
        self.secrets = secrets
        self.athlete_id = athlete_id
        self.provider = provider

    def load(self) -> OAuthToken | None:
        text = self.secrets.get(self.athlete_id, self.provider)
        return None if text is None else parse_token(text, f"{self.athlete_id}'s {self.provider}")

    def how_to_connect(self, provider: str) -> str:
        return f"`lanterne-rouge athlete connect {provider} --athlete {self.athlete_id}`"

    def save(self, token: OAuthToken) -> None:
        """Store the token encrypted, in its own transaction (before the new one is used)."""
        now = datetime.now(UTC)
        self.secrets.put(self.athlete_id, self.provider, token_json(token), now=now)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; not every platform lets a folder be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
