"""The ledger row is stored in the day's phase 3, with the report: labelled with the run, gone
with it."""

from __future__ import annotations

import pytest

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo
from support.openai_server import OpenAICompatibleServer, answer

from .conftest import DAY, narrator_for

NEUTRAL = "Today's session follows from your recent signals and the mission ahead."


def test_the_row_carries_the_run_and_day_and_the_report_the_prompt_version(
    llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    llm_server.enqueue(answer(NEUTRAL))
    coach = build_orchestrator(
        store, seed_demo(store, DAY), narrator=narrator_for("openai", llm_server)
    )
    result = coach.run_day(DEMO_ATHLETE, DAY, data_label="demo")

    [row] = store.llm_calls()
    assert (row.run_id, row.day, row.athlete_id) == (result.run.run_id, DAY, DEMO_ATHLETE)
    report = result.report
    assert (report.prompt_id, report.prompt_version) == (row.prompt_id, row.prompt_version)
    assert report.model == row.model_reported and report.explanation == NEUTRAL


class Boom(Exception):
    pass


def test_a_day_that_fails_after_the_call_leaves_no_ledger_row(
    llm_server: OpenAICompatibleServer, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm_server.enqueue(answer(NEUTRAL))
    coach = build_orchestrator(
        store, seed_demo(store, DAY), narrator=narrator_for("openai", llm_server)
    )

    def fail(*_: object, **__: object) -> None:
        raise Boom

    monkeypatch.setattr(store.day_runs, "finish", fail)  # phase 3 falls over
    with pytest.raises(Boom):
        coach.run_day(DEMO_ATHLETE, DAY, data_label="demo")

    assert len(llm_server.requests) == 1
    assert store.llm_calls() == []  # the row is stored in phase 3, with the report
    assert [r.status for r in store.day_runs.of(DEMO_ATHLETE)] == ["decided"]
