"""Each athlete's secrets in the database, encrypted at rest with Fernet.

OAuth tokens and other per-athlete secrets go into ``athlete_secrets`` as Fernet tokens
(AES-128-CBC with an HMAC, from ``cryptography``), so any worker on any machine with the key
can sync any athlete, and a copy of the database alone reveals nothing. The key comes from
``LANTERNE_SECRET_KEY``: one key, or several separated by commas, newest first; the first
encrypts, any of them decrypts, and ``rotate`` re-encrypts every secret with the first, so a
key is replaced by putting the new one in front, rotating, then dropping the old one.

Without the key, storing or reading a secret is one ``ConfigError`` naming the variable and
how to make a key; a key that opens nothing is one too. ``cryptography`` is imported only
here, and only when a secret is used: the single-athlete run never loads it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.tables import athlete_secrets, athletes

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet
    from pydantic import SecretStr

    from lanterne_rouge.memory.state_store import StateStore

KEY_VARIABLE = "LANTERNE_SECRET_KEY"
NO_KEY = (
    f"{KEY_VARIABLE} is not set: athletes' tokens are stored encrypted with it; make one with "
    f"`lanterne-rouge athlete new-key` and set {KEY_VARIABLE} for every command and worker"
)


def new_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


class SecretBox:
    """Encrypts with the first key, decrypts with any (``cryptography``'s ``MultiFernet``)."""

    def __init__(self, keys: str) -> None:
        from cryptography.fernet import Fernet, MultiFernet

        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise ConfigError(NO_KEY)
        try:
            self._fernet: MultiFernet = MultiFernet([Fernet(k.encode()) for k in parts])
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                f"{KEY_VARIABLE} is not a Fernet key (32 url-safe base64-encoded bytes); "
                "make one with `lanterne-rouge athlete new-key`"
            ) from exc

    @classmethod
    def of(cls, key: SecretStr | None) -> SecretBox:
        if key is None or not key.get_secret_value().strip():
            raise ConfigError(NO_KEY)
        return cls(key.get_secret_value())

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode()).decode()

    def decrypt(self, token: str, what: str) -> str:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise ConfigError(
                f"{what}: cannot be decrypted with {KEY_VARIABLE}: it was stored with another "
                "key (keep the old key after the new one until `athlete rotate-key` has run)"
            ) from None

    def rotate(self, token: str) -> str:
        return self._fernet.rotate(token.encode()).decode()


class AthleteSecrets:
    """The athletes' encrypted secrets, in the state store's unit of work."""

    def __init__(self, store: StateStore, box: SecretBox) -> None:
        self.store = store
        self.box = box

    def put(self, athlete_id: str, name: str, value: str, *, now: datetime) -> None:
        """Store ``value`` encrypted, replacing the athlete's secret of that name."""
        sealed = self.box.encrypt(value)
        key = (athlete_secrets.c.athlete_id == athlete_id) & (athlete_secrets.c.name == name)
        with self.store.transaction(), self.store.connection() as conn:
            known = conn.execute(
                select(athletes.c.athlete_id).where(athletes.c.athlete_id == athlete_id)
            ).first()
            if known is None:
                raise ConfigError(
                    f"no athlete {athlete_id!r}: add them first with `lanterne-rouge athlete add`"
                )
            found = conn.execute(select(athlete_secrets.c.name).where(key)).first()
            if found is None:
                conn.execute(
                    insert(athlete_secrets).values(
                        athlete_id=athlete_id, name=name, ciphertext=sealed, updated_at=now
                    )
                )
            else:
                conn.execute(
                    update(athlete_secrets).where(key).values(ciphertext=sealed, updated_at=now)
                )

    def get(self, athlete_id: str, name: str) -> str | None:
        query = select(athlete_secrets.c.ciphertext).where(
            athlete_secrets.c.athlete_id == athlete_id, athlete_secrets.c.name == name
        )
        with self.store.connection() as conn:
            sealed = conn.execute(query).scalar()
        return None if sealed is None else self.box.decrypt(sealed, f"{athlete_id}'s {name}")

    def drop(self, athlete_id: str, name: str) -> bool:
        with self.store.transaction(), self.store.connection() as conn:
            done = conn.execute(
                delete(athlete_secrets).where(
                    athlete_secrets.c.athlete_id == athlete_id, athlete_secrets.c.name == name
                )
            )
        return bool(done.rowcount)

    def rotate(self, *, now: datetime) -> int:
        """Re-encrypt every secret with the first key; how many there were."""
        with self.store.transaction(), self.store.connection() as conn:
            rows = conn.execute(select(athlete_secrets)).all()
            for row in rows:
                self.box.decrypt(row.ciphertext, f"{row.athlete_id}'s {row.name}")
                conn.execute(
                    update(athlete_secrets)
                    .where(
                        athlete_secrets.c.athlete_id == row.athlete_id,
                        athlete_secrets.c.name == row.name,
                    )
                    .values(ciphertext=self.box.rotate(row.ciphertext), updated_at=now)
                )
        return len(rows)


def names_by_athlete(store: StateStore) -> dict[str, list[str]]:
    """Which secrets each athlete has (their names, never their values): needs no key."""
    query = select(athlete_secrets.c.athlete_id, athlete_secrets.c.name).order_by(
        athlete_secrets.c.athlete_id, athlete_secrets.c.name
    )
    found: dict[str, list[str]] = {}
    with store.connection() as conn:
        for athlete_id, name in conn.execute(query):
            found.setdefault(athlete_id, []).append(name)
    return found
