"""Athletes' tokens in the database, encrypted with LANTERNE_SECRET_KEY: `athlete connect`,
the one-line errors without a key or with the wrong one, key rotation."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.secrets import KEY_VARIABLE, AthleteSecrets, SecretBox, new_key
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.tokens import StoredTokens

MISSION = Path(__file__).resolve().parents[3] / "config" / "missions" / "gran_fondo.toml"
TOKENS = {"access_token": "acc-9f8e7d6c5b", "refresh_token": "ref-1a2b3c4d5e", "expires_at": 4e9}

runner = CliRunner()


def _cli(*args: str, stdin: str | None = None) -> tuple[int, str, BaseException | None]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output, result.exception


@pytest.fixture
def anna(lanterne_env: Path) -> Path:
    code, out, _ = _cli(
        "athlete", "add", "anna", "--timezone", "Europe/Paris", "--mission", str(MISSION)
    )
    assert code == 0, out
    return lanterne_env / "home" / "lanterne.db"


def test_without_a_key_storing_a_token_is_one_line_naming_the_variable(anna: Path) -> None:
    code, _, error = _cli("athlete", "connect", "strava", "--athlete", "anna", stdin="{}")
    assert code != 0 and isinstance(error, ConfigError)
    assert str(error).startswith(f"{KEY_VARIABLE} is not set")
    assert "`lanterne-rouge athlete new-key`" in str(error) and "\n" not in str(error)


def test_without_a_key_reading_a_stored_token_is_the_same_line(anna: Path) -> None:
    store = StateStore(f"sqlite:///{anna}")
    with pytest.raises(ConfigError, match=f"^{KEY_VARIABLE} is not set"):
        SecretBox.of(None)
    code, out, _ = _cli("athlete", "new-key")
    key = out.strip()
    AthleteSecrets(store, SecretBox(key)).put("anna", "strava", "x", now=_now())
    code, out, error = _cli("athlete", "rotate-key")
    assert code != 0 and str(error).startswith(f"{KEY_VARIABLE} is not set")


def test_connect_stores_the_tokens_encrypted_and_they_read_back(
    anna: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key = new_key()
    monkeypatch.setenv(KEY_VARIABLE, key)
    code, out, _ = _cli(
        "athlete", "connect", "strava", "--athlete", "anna", stdin=json.dumps(TOKENS)
    )
    assert code == 0, out
    assert out.startswith("Athlete anna: strava connected (stored encrypted, access token valid")
    raw = b"".join(f.read_bytes() for f in anna.parent.glob("lanterne.db*"))
    for secret in ("acc-9f8e7d6c5b", "ref-1a2b3c4d5e"):
        assert secret.encode() not in raw
    with sqlite3.connect(anna) as conn:
        (sealed,) = conn.execute("SELECT ciphertext FROM athlete_secrets").fetchone()
    assert sealed.startswith("gAAAAA")  # a Fernet token
    store = StateStore(f"sqlite:///{anna}")
    token = StoredTokens(AthleteSecrets(store, SecretBox(key)), "anna", "strava").load()
    assert token is not None and token.refresh_token is not None
    assert token.refresh_token.get_secret_value() == "ref-1a2b3c4d5e"
    listed = _cli("athlete", "list")[1]
    assert listed.splitlines()[1].split()[-1] == "strava"  # connected, and nothing else shown
    assert "acc-9f8e7d6c5b" not in listed


@pytest.mark.parametrize(
    ("stdin", "message"),
    [("not json", "standard input: not a token"), ('{"refresh_token": "r"}', "not a token")],
    ids=["not-json", "no-access-token"],
)
def test_a_bad_token_input_is_one_line(
    anna: Path, monkeypatch: pytest.MonkeyPatch, stdin: str, message: str
) -> None:
    monkeypatch.setenv(KEY_VARIABLE, new_key())
    code, _, error = _cli("athlete", "connect", "oura", "--athlete", "anna", stdin=stdin)
    assert code != 0 and isinstance(error, ConfigError) and message in str(error)


def test_an_unknown_athlete_cannot_be_connected(
    anna: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_VARIABLE, new_key())
    code, _, error = _cli(
        "athlete", "connect", "strava", "--athlete", "zoe", stdin=json.dumps(TOKENS)
    )
    assert code != 0 and str(error).startswith("no athlete 'zoe': add them first")


def test_a_rotated_key_replaces_the_old_one(anna: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = new_key(), new_key()
    monkeypatch.setenv(KEY_VARIABLE, old)
    assert (
        _cli("athlete", "connect", "strava", "--athlete", "anna", stdin=json.dumps(TOKENS))[0] == 0
    )
    store = StateStore(f"sqlite:///{anna}")
    with pytest.raises(ConfigError, match="anna's strava: cannot be decrypted with LANTERNE_SEC"):
        AthleteSecrets(store, SecretBox(new)).get("anna", "strava")
    monkeypatch.setenv(KEY_VARIABLE, f"{new},{old}")
    code, out, _ = _cli("athlete", "rotate-key")
    assert code == 0 and out.startswith("Re-encrypted 1 secrets with the first key")
    found = AthleteSecrets(store, SecretBox(new)).get("anna", "strava")
    assert found is not None and json.loads(found)["access_token"] == "acc-9f8e7d6c5b"
    with pytest.raises(ConfigError, match="cannot be decrypted"):
        AthleteSecrets(store, SecretBox(old)).get("anna", "strava")


def test_a_key_that_is_not_a_fernet_key_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, "hunter2")
    code, _, error = _cli("athlete", "rotate-key")
    assert code != 0 and str(error).startswith(f"{KEY_VARIABLE} is not a Fernet key")


def _now() -> datetime:
    return datetime.now(UTC)
