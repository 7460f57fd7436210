"""Fixtures for the real PostgreSQL and Redis servers (see ``servers``).

``postgres_server``/``redis_server`` are one per test session: the ones ``.ci/run`` exported,
or started here. ``postgres_url`` gives each test its own empty database; ``redis_url`` its
own emptied Redis database; ``database_url`` runs a test twice, on a SQLite file and on an
empty PostgreSQL database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import servers


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL (SQLAlchemy form) of a PostgreSQL server on 127.0.0.1."""
    given = os.environ.get(servers.POSTGRES_VARIABLE)
    if given:
        yield servers.sqlalchemy_url(given)
        return
    try:
        cluster = servers.start_postgres()
    except servers.ServerUnavailable as exc:
        _unavailable(str(exc))
        return
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty database of its own for this test (SQLAlchemy URL, psycopg 3)."""
    with servers.fresh_database(postgres_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store's URL on each backend: a SQLite file of this test's, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    given = os.environ.get(servers.REDIS_VARIABLE)
    if given:
        yield given
        return
    try:
        server = servers.start_redis()
    except servers.ServerUnavailable as exc:
        _unavailable(str(exc))
        return
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """The session's Redis server, emptied before this test."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    yield redis_server
