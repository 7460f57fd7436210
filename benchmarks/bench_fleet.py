"""The fleet on this machine: PostgreSQL + Redis + Celery workers + a model answering in 1 s.

Goal: 10,000 athletes (120 days of history each), every day done exactly once, in under
10 minutes. Prints total wall time, athlete-days/s, model calls in flight (most at once),
peak memory per worker, database size, and the same for one plain process running the days
one after another (the baseline, timed on ``--baseline`` athletes and scaled up).

    .venv/bin/python benchmarks/bench_fleet.py [--athletes 10000] [--workers 2]
        [--concurrency 24] [--latency 1.0] [--baseline 30]

PostgreSQL and Redis are the ones in ``LANTERNE_TEST_POSTGRES_URL`` and
``LANTERNE_TEST_REDIS_URL``, or throwaway ones started here (Debian's packages).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from redis import Redis  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from lanterne_rouge.cluster.app import make_app  # noqa: E402
from lanterne_rouge.cluster.context import WorkerContext  # noqa: E402
from lanterne_rouge.cluster.day import decide_day, deliver_day, narrate_day  # noqa: E402
from lanterne_rouge.cluster.fleet import due_days  # noqa: E402
from lanterne_rouge.cluster.names import queue_keys  # noqa: E402
from lanterne_rouge.cluster.settings import ClusterSettings  # noqa: E402
from lanterne_rouge.cluster.tasks import enqueue_due  # noqa: E402
from lanterne_rouge.memory.state_store import StateStore  # noqa: E402
from lanterne_rouge.memory.tables import messages, runs  # noqa: E402
from lanterne_rouge.utils.config_loader import Settings  # noqa: E402
from support import servers  # noqa: E402
from support.fleet import (  # noqa: E402
    NOW,
    SteadyModelServer,
    enrol,
    make_fleet,
    seed_histories,
)

KEY = "sk-bench-0000000000"


def _servers(stack: ExitStack) -> tuple[str, str]:
    pg = os.environ.get(servers.POSTGRES_VARIABLE)
    if pg:
        admin = servers.sqlalchemy_url(pg)
    else:
        cluster = servers.start_postgres()
        stack.callback(cluster.stop)
        admin = cluster.url
    broker = os.environ.get(servers.REDIS_VARIABLE)
    if not broker:
        redis_server = servers.start_redis()
        stack.callback(redis_server.stop)
        broker = redis_server.url
    return stack.enter_context(servers.fresh_database(admin)), broker


def _settings(database: str, output: Path, model: SteadyModelServer) -> Settings:
    return Settings(
        database_url=database,
        output_dir=output,
        llm_provider="openai",
        openai_api_key=KEY,  # type: ignore[arg-type]
        openai_base_url=model.url,
        llm_model="fleet-model",
        llm_allow_unpriced=True,
    )


def _done(store: StateStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(runs.c.status == "done")).scalar_one())


def _in_flight(arrivals: list[float], latency: float) -> int:
    """Most requests the model server held at once (each is held ``latency`` seconds)."""
    times, most, start = sorted(arrivals), 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - latency:
            start += 1
        most = max(most, end - start + 1)
    return most


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for w in workers:
        w.terminate()
    for w in workers:
        w.wait(60)


def _idle(client: Redis) -> bool:
    """Nothing queued and nothing taken but not yet acknowledged."""
    return all(client.llen(k) == 0 for k in queue_keys()) and client.hlen("unacked") == 0


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_of(name: str) -> float:
    """CPU seconds used so far by every process called ``name`` (PostgreSQL's server and its
    backends, Redis), with what their ended children used."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        if text[text.index("(") + 1 : text.rindex(")")] != name:
            continue
        fields = text.rsplit(")", 1)[1].split()
        total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def baseline(ctx: WorkerContext, athletes: list[str], days: dict[str, object]) -> float:
    """Seconds per athlete-day for one plain process, days one after another."""
    start = time.perf_counter()
    for athlete in athletes:
        for step in (decide_day, narrate_day, deliver_day):
            step(ctx, athlete, days[athlete])  # type: ignore[arg-type]
    return (time.perf_counter() - start) / len(athletes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--baseline", type=int, default=30)
    args = parser.parse_args()

    with ExitStack() as stack:
        database, broker = _servers(stack)
        Redis.from_url(broker).flushdb()  # no queued or delivered marks of an earlier run
        model = stack.enter_context(SteadyModelServer(delay_s=args.latency))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-fleet-")))
        total = args.athletes + args.baseline
        fleet = make_fleet(folder / "fleet", total)
        store = StateStore(database)
        started = time.perf_counter()
        enrol(store, fleet)
        seed_histories(store, fleet, days=120)
        print(f"seeded {total} athletes x 120 days in {time.perf_counter() - started:.0f} s")

        settings = _settings(database, folder / "output", model)
        cluster = ClusterSettings(broker_url=broker)
        ctx = WorkerContext(settings, cluster)
        days = fleet.days()
        ids = [a.id for a in fleet.athletes]
        per_day = baseline(ctx, ids[: args.baseline], days)
        print(
            f"baseline, one plain process: {per_day:.3f} s per athlete-day "
            f"({1 / per_day:.2f} athlete-days/s); {args.athletes} days would take "
            f"{per_day * args.athletes / 60:.0f} min"
        )
        model.arrivals.clear()

        env = os.environ.copy()
        env.update(
            LANTERNE_DATABASE_URL=database,
            LANTERNE_BROKER_URL=broker,
            LANTERNE_HOME=str(folder / "home"),
            LANTERNE_OUTPUT_DIR=str(folder / "output"),
            LANTERNE_LLM_PROVIDER="openai",
            OPENAI_API_KEY=KEY,
            OPENAI_BASE_URL=model.url,
            LANTERNE_LLM_MODEL="fleet-model",
            LANTERNE_LLM_ALLOW_UNPRICED="true",
        )
        log = (folder / "workers.log").open("ab")
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "lanterne_rouge", "worker", "-c", str(args.concurrency)],
                env=env,
                cwd=folder,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for _ in range(args.workers)
        ]
        stack.callback(_stop, workers)
        time.sleep(3)  # the workers connect
        servers_cpu = {name: _cpu_of(name) for name in ("postgres", "redis-server")}
        own_cpu = time.process_time()
        started = time.perf_counter()
        sent = enqueue_due(ctx, make_app(cluster), now_days=due_days(ctx, NOW))
        dispatched = time.perf_counter() - started
        target = args.athletes + args.baseline
        queue = Redis.from_url(broker)
        while _done(store) < target or not _idle(queue):
            time.sleep(0.5)
        ran = time.perf_counter() - started
        peaks = [_peak_rss_mib(w.pid) for w in workers]
        worker_cpu = sum(_cpu_s(w.pid) for w in workers)
        own_cpu = time.process_time() - own_cpu
        servers_cpu = {name: _cpu_of(name) - cpu for name, cpu in servers_cpu.items()}
        with store.engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            decisions = conn.execute(
                select(func.count()).where(messages.c.kind == "decision")
            ).scalar_one()
        print(f"dispatched {sent} days in {dispatched:.1f} s")
        print(
            f"fleet: {args.workers} workers x {args.concurrency} threads: {args.athletes} days in "
            f"{ran:.0f} s = {args.athletes / ran:.1f} athlete-days/s "
            f"(goal: under 600 s); decisions stored: {decisions - args.baseline}"
        )
        print(
            f"model calls: {len(model.arrivals)}, "
            f"most in flight: {_in_flight(model.arrivals, args.latency)}"
        )
        print("peak memory per worker: " + ", ".join(f"{p:.0f} MiB" for p in peaks))
        print(
            f"worker CPU: {worker_cpu:.0f} s, {worker_cpu / args.athletes * 1000:.0f} ms per "
            f"athlete-day; load average at the end: {os.getloadavg()[0]:.1f}"
        )
        per_day = {
            "workers": worker_cpu,
            "PostgreSQL": servers_cpu["postgres"],
            "Redis": servers_cpu["redis-server"],
            "model server and this process": own_cpu,
        }
        print(
            "CPU per athlete-day: "
            + ", ".join(f"{k} {v / args.athletes * 1000:.0f} ms" for k, v in per_day.items())
            + f" (this machine has {os.cpu_count()} cores)"
        )
        print(f"database size: {size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
