"""The offline explainer over every day of the twelve recorded scenarios: varied, grammatical,
never restating the printout, consistent with its own facts, and right for each kind of day."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import msgspec
import pytest

from lanterne_rouge.ai.ai_clients import ExplainRequest, OfflineNarrator
from lanterne_rouge.ai.claims import check_claims
from lanterne_rouge.ai.facts import day_facts
from lanterne_rouge.ai.failures import AnswerRejected
from lanterne_rouge.ai.offline import plural, signed
from lanterne_rouge.replay import ReplayedDay, replay
from lanterne_rouge.sources.scenarios import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "agent_scenarios"
NAMES = sorted(p.name for p in SCENARIOS.iterdir() if (p / "history.csv").is_file())


@cache
def days() -> tuple[tuple[str, ReplayedDay], ...]:
    return tuple((name, day) for name in NAMES for day in replay(load_scenario(SCENARIOS / name)))


def text(day: ReplayedDay) -> str:
    return day.result.report.explanation


def test_there_are_twelve_scenarios_and_every_day_is_explained_offline() -> None:
    assert len(NAMES) >= 12
    assert all(d.result.report.provider == "offline" for _, d in days())


def test_no_opening_is_shared_by_more_than_a_tenth_of_the_days() -> None:
    openings = Counter(" ".join(text(d).split()[:3]) for _, d in days())
    opening, count = openings.most_common(1)[0]
    assert count <= 0.10 * len(days()), (opening, count, len(days()))


def test_no_two_consecutive_days_of_a_scenario_read_the_same() -> None:
    for (name, a), (other, b) in zip(days(), days()[1:], strict=False):
        if name == other:
            assert text(a) != text(b), (name, b.result.run.day)


def test_the_grammar_holds_one_day_and_no_signed_zero() -> None:
    for name, d in days():
        assert not re.search(r"\b1 days\b|[-+]0\b(?![.,]\d)", text(d)), (name, text(d))
    assert (plural(1, "day"), plural(2, "day"), plural(0, "day")) == ("1 day", "2 days", "0 days")
    assert (signed(-0.3), signed(0.4), signed(-21.3), signed(6.6)) == ("0", "0", "-21", "+7")


def test_it_never_restates_the_rule_the_reason_or_the_workout_line() -> None:
    for name, d in days():
        r = d.result
        workout = r.plan.workout
        said = text(d)
        if "_" in r.decision.rule:  # an id such as ready_to_push, not a word like taper
            assert r.decision.rule not in said, (name, said)
        assert r.decision.reason not in said, (name, said)
        assert not re.search(rf"\b{workout.minutes} min", said.split("tomorrow")[0]), (name, said)


def test_every_explanation_passes_the_answer_check_against_its_own_facts() -> None:
    for _, d in days():
        r = d.result
        request = ExplainRequest(
            athlete_id="x",
            decision=r.decision,
            plan=r.plan,
            status=r.status,
            observation=r.observation,
            day=r.run.day,
        )
        check_claims(text(d), day_facts(request))  # raises AnswerRejected, naming why


def test_the_same_day_always_reads_the_same() -> None:
    _, d = days()[40]
    r = d.result
    request = ExplainRequest("x", r.decision, r.plan, r.status, r.observation, day=r.run.day)
    assert OfflineNarrator().explain(request).explanation.text == text(d)


Kind = Callable[[ReplayedDay], bool]
KINDS: dict[str, tuple[Kind, str]] = {
    "push": (lambda d: d.result.decision.rule == "ready_to_push", r"hard|effort|quality|work"),
    "maintain": (
        lambda d: d.result.decision.rule == "steady",
        r"steady|routine|usual|regular|plan|course|comfortable|brick|job|fancy|normal",
    ),
    "ease": (
        lambda d: d.result.decision.action == "ease",
        r"easy|light|gentl|modest|back|dial|soft|conversational",
    ),
    "recover": (lambda d: d.result.decision.action == "recover", r"spin|light|easy|recover|gentl"),
    "rest": (
        lambda d: d.result.decision.action == "rest",
        r"off the bike|day off|no riding|feet up|leave the bike|rest is the session",
    ),
    "stage day": (
        lambda d: d.result.decision.ride_mode is not None,  # a stage, ridden in some mode
        r"(?=.*stage \d+)(?=.*(?:save|left|keep|spend))",
    ),
    "taper": (
        lambda d: d.result.decision.rule == "taper",
        r"(?=.*(?:taper|sharp))(?=.*\d+ days? to)",
    ),
    "event day": (lambda d: d.result.decision.rule == "event_day", r"the whole build|work is done"),
    "missing data": (
        lambda d: d.result.observation.readiness_score is None,
        r"no recovery data (?:for \d+ days?|to go on)",
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_day_reads_right(kind: str) -> None:
    is_kind, expected = KINDS[kind]
    found = [d for _, d in days() if is_kind(d)]
    assert found, f"no {kind} day in the scenarios"
    for d in found:
        assert re.search(expected, text(d), re.IGNORECASE), (kind, d.result.run.day, text(d))


def _request(r: object) -> ExplainRequest:
    from lanterne_rouge.orchestrator import DayResult

    assert isinstance(r, DayResult)
    return ExplainRequest(
        athlete_id="x",
        decision=r.decision,
        plan=r.plan,
        status=r.status,
        observation=r.observation,
        day=r.run.day,
    )


def test_hrv_is_told_as_the_rules_judged_it_the_7_day_level_not_one_night() -> None:
    judged = 0
    for name, d in days():
        obs = d.result.observation
        if obs.hrv_7day is None or obs.hrv_status not in ("low", "normal", "high"):
            continue
        judged += 1
        facts = day_facts(_request(d.result))
        assert (facts.value("HRV") or "").startswith("7-day level"), (name, d.result.run.day)
        assert (facts.tones["hrv"] == "poor") == (obs.hrv_status == "low"), (name, obs)
        told_low = "HRV's 7-day level is" in text(d)
        assert told_low == (obs.hrv_status == "low"), (name, d.result.run.day, text(d))
    assert judged > 100


def test_a_bad_night_inside_a_normal_7_day_band_is_not_called_suppressed() -> None:
    name, d = next((n, x) for n, x in days() if x.result.observation.hrv_status == "normal")
    r = d.result
    assert r.observation.hrv_baseline is not None
    bad_night = r.observation.model_copy(update={"hrv_rmssd": r.observation.hrv_baseline * 0.7})
    request = msgspec.structs.replace(_request(r), observation=bad_night)
    facts = day_facts(request)
    assert facts.tones["hrv"] == "good", (name, facts.text)
    with pytest.raises(AnswerRejected) as rejected:
        check_claims(f"HRV is suppressed, so {r.decision.action} today.", facts)
    assert rejected.value.code == "state"


def test_every_offline_text_fits_the_answer_cap_so_a_model_echoing_it_is_not_refused() -> None:
    from lanterne_rouge.ai.narration import Limits

    cap = Limits().max_answer_chars
    lengths = sorted(len(text(d)) for _, d in days())
    assert lengths[-1] <= cap, lengths[-5:]
    # the cap trims only the longest days: most keep tomorrow's line
    assert sum("omorrow" in text(d) for _, d in days()) > 0.5 * len(lengths)
