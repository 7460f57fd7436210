"""Replaying each recorded scenario reproduces its expected decisions, deterministically."""

from __future__ import annotations

from pathlib import Path

import pytest

from lanterne_rouge.replay import replay
from lanterne_rouge.sources.scenarios import load_scenario

HERE = Path(__file__).resolve().parent
SCENARIOS = sorted(p.name for p in HERE.iterdir() if (p / "history.csv").is_file())


def test_there_are_at_least_four_scenarios() -> None:
    assert {"steady_build", "overreaching", "missing_recovery", "taper"} <= set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_replay_matches_expected_action_and_rule(name: str) -> None:
    scenario = load_scenario(HERE / name)
    days = replay(scenario)
    got = [(d.expected.day, d.result.decision.action, d.result.decision.rule) for d in days]
    want = [(e.day, e.action, e.rule) for e in scenario.expected]
    assert got == want


@pytest.mark.parametrize("name", SCENARIOS)
def test_replay_is_deterministic(name: str) -> None:
    scenario = load_scenario(HERE / name)
    first = [d.result.decision for d in replay(scenario)]
    second = [d.result.decision for d in replay(scenario)]
    assert first == second
    plans = [d.result.plan for d in replay(scenario)]
    assert plans == [d.result.plan for d in replay(scenario)]
