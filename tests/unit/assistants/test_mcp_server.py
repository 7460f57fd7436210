"""`lanterne-rouge mcp` as a real process, driven by the MCP SDK's own stdio client.

The store holds the first twelve days of the Tour scenario (eight stages scored, a bonus, a
weekly reflection) and one LLM call; every tool's answer is checked against it. The server
is started with secrets in its environment and one echoed into a stored explanation.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from lanterne_rouge.memory.fitness_history import fitness_history
from lanterne_rouge.memory.records import LLMCallRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import (
    CoachReport,
    Decision,
    Envelope,
    Plan,
    Reflection,
    StageResult,
)
from lanterne_rouge.replay import replay_into
from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE, load_scenario

mcp = pytest.importorskip("mcp")

REPO = Path(__file__).resolve().parents[3]
TOUR = REPO / "tests" / "agent_scenarios" / "tour_de_france"
ECHOED_KEY = "sk-test-echoed0123456789abcdefXYZ"
SECRETS = {
    "OPENAI_API_KEY": ECHOED_KEY,
    "TELEGRAM_BOT_TOKEN": "123456789:AAH-fake-token-for-tests-only-000000000",
    "LANTERNE_SMTP_PASSWORD": "smtp-pass-Zq81x",
    "LANTERNE_DASHBOARD_PASSWORD": "dash-pass-Q7w3e",
}
TOOLS = {
    "athletes": {},
    "today": {},
    "decision": {"day": "2026-07-08"},
    "fitness": {"since": "2026-06-20", "until": "2026-07-11"},
    "plan": {},
    "reflection": {},
    "stage_standings": {},
    "usage": {},
}
T = TypeVar("T")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("mcp-home")
    scenario = load_scenario(TOUR)
    scenario = load_scenario(TOUR, expected=scenario.expected[:12])
    store = StateStore(f"sqlite:///{home / 'lanterne.db'}")
    replay_into(store, scenario)
    store.record_llm_call(_call())
    _echo_a_secret(store)
    store.close()
    return home


def _call() -> LLMCallRecord:
    return LLMCallRecord.model_validate(
        {
            "run_id": None,
            "athlete_id": SCENARIO_ATHLETE,
            "day": date(2026, 7, 12),
            "agent": "communication",
            "provider": "openai",
            "model_requested": "gpt-4o-mini",
            "prompt_id": "p",
            "prompt_version": 1,
            "prompt_sha256": "0" * 64,
            "input_tokens": 180,
            "output_tokens": 42,
            "cost_usd": 0.000052,
            "latency_ms": 640.0,
            "attempts": 1,
            "outcome": "ok",
            "created_at": datetime(2026, 7, 12, 5, 30, tzinfo=UTC),
        }
    )


def _echo_a_secret(store: StateStore) -> None:
    """As if a model had echoed the key into the day's explanation."""
    (last,) = store.messages(SCENARIO_ATHLETE, kinds=["coach_report"], newest_first=True, limit=1)
    assert isinstance(last.payload, CoachReport)
    echoed = last.payload.model_copy(update={"explanation": f"Your key is {ECHOED_KEY}."})
    store.append_message(
        Envelope(
            run_id=last.run_id,
            athlete_id=last.athlete_id,
            day=last.day,
            producer="communication_agent",
            payload=echoed,
        )
    )


def _session(home: Path, use: Callable[[Any], Awaitable[T]]) -> T:
    from mcp import ClientSession, StdioServerParameters, stdio_client

    env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERNE_")} | SECRETS
    env |= {
        "LANTERNE_HOME": str(home),
        "LANTERNE_MISSION_FILE": str(REPO / "config" / "missions" / "tour_de_france_sim.toml"),
    }
    server = StdioServerParameters(
        command=sys.executable,
        args=["-m", "lanterne_rouge", "mcp", "--athlete", SCENARIO_ATHLETE],
        env=env,
        cwd=str(home),
    )

    async def run() -> T:
        async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return await use(session)

    return asyncio.run(asyncio.wait_for(run(), timeout=60))


async def _call_every_tool(session: Any) -> tuple[list[Any], dict[str, Any]]:
    listed = (await session.list_tools()).tools
    answers = {name: await session.call_tool(name, args) for name, args in TOOLS.items()}
    return listed, answers


@pytest.fixture(scope="module")
def served(home: Path) -> tuple[list[Any], dict[str, Any]]:
    return _session(home, _call_every_tool)


def _stored(store: StateStore, kind: str, day: date | None = None) -> Any:
    found = store.messages(SCENARIO_ATHLETE, kinds=[kind], until=day, newest_first=True, limit=1)
    return found[0].payload


def test_every_tool_is_listed_and_annotated_read_only(
    served: tuple[list[Any], dict[str, Any]],
) -> None:
    listed, _ = served
    assert {t.name for t in listed} == set(TOOLS)
    for tool in listed:
        a = tool.annotations
        assert (a.read_only_hint, a.destructive_hint, a.idempotent_hint) == (True, False, True)
        assert a.open_world_hint is False and tool.description


def test_the_decisions_answer_from_the_store(
    served: tuple[list[Any], dict[str, Any]], home: Path
) -> None:
    _, answers = served
    store = StateStore(f"sqlite:///{home / 'lanterne.db'}")
    today, day = answers["today"].structured_content, answers["decision"].structured_content
    stored = _stored(store, "decision")
    assert isinstance(stored, Decision)
    assert (today["day"], today["action"], today["rule"]) == (
        "2026-07-12",
        stored.action,
        stored.rule,
    )
    assert today["evidence"] == [
        {"name": e.name, "value": e.value, "unit": e.unit, "threshold": e.threshold}
        for e in stored.evidence
    ]
    assert today["explanation"]["text"] == "Your key is [redacted]."
    on_0708 = _stored(store, "decision", date(2026, 7, 8))
    assert (day["day"], day["action"], day["rule"]) == ("2026-07-08", on_0708.action, on_0708.rule)
    plan = _stored(store, "plan")
    assert isinstance(plan, Plan)
    assert today["workout"]["workout"] == plan.workout.name
    assert answers["athletes"].structured_content == {
        "athletes": [{"athlete": SCENARIO_ATHLETE, "newest_day": "2026-07-12"}]
    }
    store.close()


def test_fitness_plan_and_reflection_answer_from_the_store_with_units(
    served: tuple[list[Any], dict[str, Any]], home: Path
) -> None:
    _, answers = served
    store = StateStore(f"sqlite:///{home / 'lanterne.db'}")
    fitness = answers["fitness"].structured_content
    history = fitness_history(store, SCENARIO_ATHLETE, date(2026, 7, 11), since=date(2026, 6, 20))
    assert [(d["day"], d["ctl"], d["atl"], d["tsb"]) for d in fitness["days"]] == [
        (p.day.isoformat(), round(p.ctl, 2), round(p.atl, 2), round(p.tsb, 2))
        for p in history.points
    ]
    assert len(fitness["days"]) == 22 and "TSS" in fitness["units"]["ctl"]
    plan, stored_plan = answers["plan"].structured_content, _stored(store, "plan")
    assert [(d["day"], d["workout"], d["projected_ctl"]) for d in plan["days"]] == [
        (p.day.isoformat(), p.workout.name, p.projected_ctl) for p in stored_plan.days
    ]
    assert plan["target_ctl"] == 75 and plan["event_start"] == "2026-07-04"
    reflection, stored_reflection = (
        answers["reflection"].structured_content,
        _stored(store, "reflection"),
    )
    assert isinstance(stored_reflection, Reflection)
    assert reflection["week_start"] == stored_reflection.week_start.isoformat()
    assert reflection["actual_load"] == stored_reflection.actual_load
    store.close()


def test_standings_and_usage_answer_from_the_store(
    served: tuple[list[Any], dict[str, Any]], home: Path
) -> None:
    _, answers = served
    store = StateStore(f"sqlite:///{home / 'lanterne.db'}")
    standings = answers["stage_standings"].structured_content
    results = [e.payload for e in store.messages(SCENARIO_ATHLETE, kinds=["stage_result"])]
    assert all(isinstance(r, StageResult) for r in results)
    assert [(s["stage"], s["ride_mode"], s["points"]) for s in standings["stages"]] == [
        (r.stage.number, r.mode, r.points) for r in results
    ]
    assert (standings["points"], standings["bonuses"]) == (
        83,
        [{"name": "Breakaway hat-trick", "points": 15}],
    )
    usage = answers["usage"].structured_content["days"]
    assert usage == [
        {
            "day": "2026-07-12",
            "model": "gpt-4o-mini",
            "calls": 1,
            "fallbacks": 0,
            "skipped": 0,
            "input_tokens": 180,
            "output_tokens": 42,
            "cost_usd": 0.000052,
            "calls_of_unknown_cost": 0,
        }
    ]
    store.close()


def test_no_secret_appears_in_any_answer(served: tuple[list[Any], dict[str, Any]]) -> None:
    _, answers = served
    assert all(not a.is_error for a in answers.values())
    text = " ".join(str(a.content) + str(a.structured_content) for a in answers.values())
    for secret in SECRETS.values():
        assert secret not in text


def test_nothing_is_written_and_the_store_refuses_writes(home: Path) -> None:
    database = home / "lanterne.db"
    before = list(sqlite3.connect(database).iterdump())

    async def call_all_and_a_foreign_athlete(session: Any) -> Any:
        await _call_every_tool(session)
        return await session.call_tool("today", {"athlete": "someone-else"})

    refused = _session(home, call_all_and_a_foreign_athlete)
    assert list(sqlite3.connect(database).iterdump()) == before
    assert refused.is_error
    assert "athlete 'someone-else' is not served here" in refused.content[0].text


def test_the_servers_store_cannot_write(home: Path, tmp_path: Path) -> None:
    from lanterne_rouge.assistants.mcp_server import read_only
    from lanterne_rouge.memory.records import DailyLoad

    copy = tmp_path / "copy.db"
    sqlite3.connect(home / "lanterne.db").backup(sqlite3.connect(copy))
    store = read_only(StateStore(f"sqlite:///{copy}"))
    with pytest.raises(Exception, match=r"readonly|read-only|query_only"):
        store.upsert_loads("x", [DailyLoad(day=date(2026, 1, 1), load=10.0)])
    store.close()


def test_a_missing_sdk_is_one_line_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from lanterne_rouge.assistants import mcp_server
    from lanterne_rouge.errors import ConfigError

    monkeypatch.setitem(sys.modules, "mcp.server.mcpserver", None)
    with pytest.raises(ConfigError) as missing:
        mcp_server._sdk()
    assert str(missing.value) == (
        "serving AI assistants needs the MCP SDK: pip install 'lanterne-rouge[mcp]'"
    )


def test_no_database_is_one_line_before_serving(cli: Any) -> None:
    done = cli("mcp")
    assert done.returncode != 0 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("lanterne-rouge: error: no database at ") and "run` first" in line
