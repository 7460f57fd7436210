"""A club on a real database and Redis with a local Strava-shaped server, whose sync tasks run
in worker-like processes: for the sync and secrets tests."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import redis

from lanterne_rouge.cluster.names import queue_keys
from lanterne_rouge.memory.athlete_cards import AthleteCard
from lanterne_rouge.memory.secrets import AthleteSecrets, SecretBox, new_key
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.tokens import OAuthToken, token_json
from support.api_payloads import strava_activity
from support.fake_apis import FakeStrava

REPO = Path(__file__).resolve().parents[2]
MISSION = REPO / "config" / "missions" / "gran_fondo.toml"
DAY = datetime.now(UTC).date()
FAR = 4_102_444_800  # 2100: an access token that needs no refresh

PROBE = """
import json, sys
from lanterne_rouge.cluster.app import make_app
from lanterne_rouge.cluster.settings import load_cluster_settings
from lanterne_rouge.cluster.sync import SYNC
app = make_app(load_cluster_settings())
kwargs = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
print("RESULT " + json.dumps(app.tasks[SYNC].apply(args=sys.argv[1:3], kwargs=kwargs).get()))
"""


@dataclass
class Club:
    url: str
    key: str
    store: StateStore
    strava: FakeStrava
    env: dict[str, str]
    logs: list[str]

    def secrets(self) -> AthleteSecrets:
        return AthleteSecrets(self.store, SecretBox(self.key))

    def add(self, athlete_id: str, token: OAuthToken | None, sources: str = "strava") -> None:
        card = AthleteCard(
            athlete_id=athlete_id,
            timezone="Europe/Paris",
            morning=time(0, 0),
            mission=MISSION,
            sources=sources,  # type: ignore[arg-type]  # parsed by the model
        )
        self.store.cards.put(card, now=datetime.now(UTC))
        if token is not None:
            self.secrets().put(athlete_id, "strava", token_json(token), now=datetime.now(UTC))

    def sync(self, athlete_id: str, **kwargs: Any) -> str:
        """Run the sync task of ``athlete_id`` in a process of its own, as a worker does."""
        done = subprocess.run(
            [sys.executable, "-c", PROBE, athlete_id, DAY.isoformat(), json.dumps(kwargs)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.logs.append(done.stdout + done.stderr)
        assert done.returncode == 0, done.stderr[-3000:]
        return str(json.loads(done.stdout.split("RESULT ", 1)[1]))


@contextmanager
def make_club(database_url: str, redis_url: str, tmp_path: Path) -> Iterator[Club]:
    key = new_key()
    with FakeStrava() as strava:
        strava.activities = [
            strava_activity(
                i, datetime.combine(DAY - timedelta(days=i), time(7), UTC), device_watts=False
            )
            for i in range(1, 4)
        ]
        env = os.environ.copy()
        env.update(
            LANTERNE_DATABASE_URL=database_url,
            LANTERNE_BROKER_URL=redis_url,
            LANTERNE_SECRET_KEY=key,
            LANTERNE_HOME=str(tmp_path / "home"),
            LANTERNE_LOG_LEVEL="DEBUG",
            STRAVA_API_BASE_URL=strava.base_url,
            STRAVA_CLIENT_ID="4242",
            STRAVA_CLIENT_SECRET="client-secret-abcdef",
        )
        store = StateStore(database_url)
        yield Club(database_url, key, store, strava, env, [])
        store.close()


def queued(redis_url: str) -> list[tuple[str, list[Any], dict[str, Any], str | None]]:
    """(task, args, kwargs, eta) of each message waiting in the queue."""
    found = []
    client = redis.Redis.from_url(redis_url)
    for raw in (m for key in queue_keys() for m in client.lrange(key, 0, -1)):
        message = json.loads(raw)
        args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
        headers = message["headers"]
        found.append((headers["task"], args, kwargs, headers.get("eta")))
    return sorted(found, key=repr)
