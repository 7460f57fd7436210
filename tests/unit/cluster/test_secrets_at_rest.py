"""No athlete's token is ever readable in the clear: not in the database (SQLite file bytes, a
PostgreSQL dump and every text column), the workers' logs, the task messages in Redis, nor
the CSV rows and reports of the day they synced for."""

from __future__ import annotations

import glob
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import String, Text, column, create_engine, inspect, select, table

from lanterne_rouge.cluster.context import WorkerContext
from lanterne_rouge.cluster.day import do_effects, run_athlete_day
from lanterne_rouge.cluster.settings import ClusterSettings
from lanterne_rouge.sources.tokens import OAuthToken, StoredTokens
from lanterne_rouge.utils.config_loader import Settings
from support.club import DAY, Club, make_club

# Every value that must never be seen in the clear, the refreshed pair included.
TOKENS = ("anna-acc-1f2e3d", "anna-ref-4c5b6a", "anna-acc-7a8b9c", "anna-ref-0d1e2f")
CLIENT_SECRET = "client-secret-abcdef"


@pytest.fixture(params=["sqlite", "postgresql"])
def club(request: pytest.FixtureRequest, redis_url: str, tmp_path: Path) -> Iterator[Club]:
    url = (
        f"sqlite:///{tmp_path / 'club.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    with make_club(url, redis_url, tmp_path) as found:
        yield found


def _database_text(club: Club, tmp_path: Path) -> bytes:
    """The database as it lies at rest: the SQLite files, or a PostgreSQL dump plus every text
    column read back."""
    if club.url.startswith("sqlite"):
        club.store.close()
        return b"".join(Path(f).read_bytes() for f in glob.glob(f"{tmp_path / 'club.db'}*"))
    dump = b""
    pg_dump = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump")) or [shutil.which("pg_dump")]
    if pg_dump[-1]:
        libpq = club.url.replace("postgresql+psycopg://", "postgresql://")
        dump = subprocess.run([pg_dump[-1], libpq], capture_output=True, check=True).stdout
        assert b"athlete_secrets" in dump
    engine = create_engine(club.url)
    columns = []
    with engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            for found in inspect(conn).get_columns(name):
                if isinstance(found["type"], String | Text):
                    columns.append((name, found["name"]))
        for name, field in columns:
            values = conn.execute(select(table(name, column(field)).c[field])).scalars()
            dump += "\n".join(str(v) for v in values).encode()
    engine.dispose()
    assert ("athlete_secrets", "ciphertext") in columns
    return dump


def _redis_text(redis_url: str) -> bytes:
    client = redis.Redis.from_url(redis_url)
    found = b""
    for key in client.keys("*"):
        kind = client.type(key)
        if kind == b"list":
            found += b"".join(client.lrange(key, 0, -1))
        elif kind == b"hash":
            found += b"".join(k + v for k, v in client.hgetall(key).items())
        elif kind == b"string":
            found += client.get(key) or b""
        elif kind in (b"set", b"zset"):
            found += b"".join(
                client.zrange(key, 0, -1) if kind == b"zset" else client.smembers(key)
            )
    return found


def test_no_token_is_in_the_clear_anywhere_a_synced_day_leaves_a_trace(
    club: Club, redis_url: str, tmp_path: Path
) -> None:
    club.add("anna", OAuthToken(access_token=TOKENS[0], refresh_token=TOKENS[1], expires_at=0))
    club.strava.grant(TOKENS[0], TOKENS[1], next_pair=(TOKENS[2], TOKENS[3]))
    assert club.sync("anna") == "synced"  # refreshed: the new pair is written back encrypted
    stored = StoredTokens(club.secrets(), "anna", "strava").load()
    assert stored is not None and stored.access_token.get_secret_value() == TOKENS[2]

    output = tmp_path / "output"
    settings = Settings(database_url=club.url, output_dir=output)
    ctx = WorkerContext(settings, ClusterSettings(broker_url=redis_url))
    assert run_athlete_day(ctx, "anna", DAY).ran
    do_effects(ctx, "anna", DAY)
    written = [f for f in output.rglob("*") if f.is_file()]
    assert {f.suffix for f in written} >= {".csv", ".html"}

    places = {
        "database": _database_text(club, tmp_path),
        "logs": "".join(club.logs).encode(),
        "redis (task messages, budgets)": _redis_text(redis_url),
        "CSV rows and reports": b"".join(f.read_bytes() for f in written),
    }
    assert (
        b"sync" in places["logs"]
        and b"lanterne.run_day" in places["redis (task messages, budgets)"]
    )
    for where, text in places.items():
        for secret in (*TOKENS, CLIENT_SECRET, club.key):
            assert secret.encode() not in text, f"{secret} in the {where}"
