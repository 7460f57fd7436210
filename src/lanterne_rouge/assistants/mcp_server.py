"""``lanterne-rouge mcp``: the coach's answers served to AI assistants over the Model Context
Protocol (stdio), with the official ``mcp`` Python SDK (the ``[mcp]`` extra, imported only here).

Every tool is annotated read-only, non-destructive, idempotent and closed-world. The store is
opened read-only as well (SQLite's ``query_only``), so even a bug could not write. Tool errors
(an athlete not served, a day never run) come back as one-line tool errors, not tracebacks.
stdout carries the protocol: nothing else may print there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from lanterne_rouge.assistants.answers import Answers
from lanterne_rouge.errors import ConfigError, LanterneError
from lanterne_rouge.memory.state_store import StateStore

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

INSTALL_HINT = "pip install 'lanterne-rouge[mcp]'"
INSTRUCTIONS = (
    "Lanterne Rouge is an endurance coach that decides each morning whether the athlete should "
    "push, maintain, ease, recover or rest, by explicit rules with evidence. These tools read "
    "its stored decisions, fitness (CTL/ATL/TSB in TSS per day), plans, weekly reflections, "
    "stage race standings and LLM usage. They never change anything. Dates are YYYY-MM-DD, "
    "the athlete's local days."
)

Day = Annotated[date | None, Field(description="a day, YYYY-MM-DD (default: the newest)")]
Athlete = Annotated[str | None, Field(description="athlete id (default: the first served)")]


def _sdk() -> Any:
    try:
        import mcp.server.mcpserver as sdk
    except ImportError as exc:
        raise ConfigError(f"serving AI assistants needs the MCP SDK: {INSTALL_HINT}") from exc
    return sdk


def read_only(store: StateStore) -> StateStore:
    """Make every later connection of ``store`` refuse writes (SQLite); returns it."""
    if store.engine.dialect.name == "sqlite":
        from sqlalchemy import event

        def query_only(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA query_only = ON")

        event.listen(store.engine, "connect", query_only)
        store.engine.dispose()  # connections opened before this point are dropped
    return store


def build_server(answers: Answers) -> MCPServer:
    sdk = _sdk()
    from mcp.types import ToolAnnotations

    server: MCPServer = sdk.MCPServer(
        "lanterne-rouge",
        title="Lanterne Rouge coach",
        instructions=INSTRUCTIONS,
        log_level="WARNING",
    )

    def add(fn: Callable[..., dict[str, Any]], title: str) -> None:
        annotations = ToolAnnotations(
            title=title,
            read_only_hint=True,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=False,
        )
        server.add_tool(fn, title=title, annotations=annotations, structured_output=True)

    def answer(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return call()
        except LanterneError as exc:
            raise sdk.exceptions.ToolError(str(exc)) from exc

    def athletes() -> dict[str, Any]:
        """The athletes this server answers about, and the newest day each was coached."""
        return answer(answers.list_athletes)

    def today(athlete: Athlete = None) -> dict[str, Any]:
        """The newest day's decision: action, the rule that fired, its evidence with values,
        units and thresholds, the two-sentence explanation, the workout and the fitness."""
        return answer(lambda: answers.decision(None, athlete))

    def decision(
        day: Annotated[date, Field(description="YYYY-MM-DD")], athlete: Athlete = None
    ) -> dict[str, Any]:
        """The decision of one day, with its rule, evidence, explanation and workout."""
        return answer(lambda: answers.decision(day, athlete))

    def fitness(
        since: Annotated[
            date | None, Field(description="first day (default: 42 days back)")
        ] = None,
        until: Annotated[
            date | None, Field(description="last day (default: the newest load)")
        ] = None,
        athlete: Athlete = None,
    ) -> dict[str, Any]:
        """Daily load, fitness (CTL), fatigue (ATL), form (TSB) and ramp rate, day by day."""
        return answer(lambda: answers.fitness(since, until, athlete))

    def plan(day: Day = None, athlete: Athlete = None) -> dict[str, Any]:
        """The plan made on a day: the workouts ahead with projected CTL/ATL/TSB, the target
        fitness and the projected fitness and form on the event's start day."""
        return answer(lambda: answers.plan(day, athlete))

    def reflection(
        week: Annotated[
            date | None, Field(description="any day of the week (default: the newest)")
        ] = None,
        athlete: Athlete = None,
    ) -> dict[str, Any]:
        """The weekly reflection: planned vs done load, compliance, recovery after hard days."""
        return answer(lambda: answers.reflection(week, athlete))

    def stage_standings(day: Day = None, athlete: Athlete = None) -> dict[str, Any]:
        """The stage race so far: each stage's ride mode and points, bonuses and the total."""
        return answer(lambda: answers.stage_standings(day, athlete))

    def usage(
        since: Annotated[date | None, Field(description="first UTC day (default: all)")] = None,
    ) -> dict[str, Any]:
        """LLM calls that wrote explanations: per UTC day and model, tokens and cost in USD."""
        return answer(lambda: answers.usage(since))

    add(athletes, "Athletes served")
    add(today, "Today's decision")
    add(decision, "A day's decision")
    add(fitness, "Fitness series")
    add(plan, "The plan")
    add(reflection, "Weekly reflection")
    add(stage_standings, "Stage race standings")
    add(usage, "LLM usage and cost")
    return server


def serve(answers: Answers) -> None:
    """Serve over stdio until the client closes the connection."""
    build_server(answers).run("stdio")
