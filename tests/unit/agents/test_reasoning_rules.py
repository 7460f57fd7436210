"""Each decision rule fires on its evidence, in order, with thresholds from the mission."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lanterne_rouge.agents.reasoning_agent import decide
from lanterne_rouge.messages import MissionStatus, Observation, Reflection, StageInfo
from lanterne_rouge.mission_config import Thresholds

LIMITS = Thresholds()


def _obs(**changes: Any) -> Observation:
    base: dict[str, Any] = dict(
        data_label="test",
        readiness_score=82,
        hrv_rmssd=60.0,
        hrv_baseline=60.0,
        hrv_7day=60.0,
        hrv_band_low=57.0,
        hrv_band_high=63.0,
        hrv_status="normal",
        resting_hr=48.0,
        resting_hr_baseline=48.0,
        ctl=60.0,
        atl=62.0,
        tsb=-2.0,
        ramp_rate=3.0,
        days_without_recovery=0,
    )
    return Observation(**{**base, **changes})


def _status(**changes: Any) -> MissionStatus:
    base: dict[str, Any] = dict(
        mission_id="m",
        mission_name="Tour",
        phase="build",
        days_to_go=60,
        current_ctl=60,
        target_ctl=75,
        ramp_needed=1.8,
        ramp_safe=True,
        max_weekly_ramp=6,
    )
    return MissionStatus(**{**base, **changes})


STAGE = _status(
    phase="event",
    days_to_go=-2,
    stage=StageInfo(number=3, type="mountain"),
    stage_points={"breakaway": 20, "gc": 12, "domestique": 4},
    finisher_bonus=25,
)

CASES = [
    ("rest-day-of-event", _obs(), _status(phase="event", rest_day=True), "rest", "event_rest_day"),
    ("readiness-44", _obs(readiness_score=44), _status(), "rest", "readiness_very_low"),
    ("form-minus-36", _obs(tsb=-36.0), _status(), "rest", "form_very_low"),
    (
        "hrv-down-rhr-up-good-score",
        _obs(readiness_score=88, hrv_7day=52.0, hrv_status="low", resting_hr=54.0),
        _status(),
        "recover",
        "illness_signs",
    ),
    ("readiness-55", _obs(readiness_score=55), _status(), "recover", "readiness_low"),
    ("form-minus-26", _obs(tsb=-26.0), _status(), "recover", "form_low"),
    (
        "after-the-event",
        _obs(),
        _status(phase="recovery", days_to_go=-25),
        "recover",
        "post_event_recovery",
    ),
    (
        "no-recovery-2-days",
        _obs(readiness_score=None, hrv_rmssd=None, days_without_recovery=2),
        _status(),
        "ease",
        "recovery_data_missing",
    ),
    (
        "never-any-recovery",
        _obs(readiness_score=None, hrv_rmssd=None, days_without_recovery=None),
        _status(),
        "ease",
        "recovery_data_missing",
    ),
    (
        "hrv-7-day-under-band",
        _obs(hrv_7day=55.0, hrv_status="low"),
        _status(),
        "ease",
        "hrv_suppressed",
    ),
    ("one-bad-night-only", _obs(hrv_rmssd=40.0), _status(), "push", "ready_to_push"),
    (
        "hrv-band-not-built-yet",
        _obs(hrv_7day=None, hrv_status="insufficient_baseline"),
        _status(),
        "push",
        "ready_to_push",
    ),
    ("rhr-up-only", _obs(resting_hr=54.0), _status(), "ease", "resting_hr_elevated"),
    ("readiness-65", _obs(readiness_score=65), _status(), "ease", "readiness_fair"),
    ("form-minus-16", _obs(tsb=-16.0), _status(), "ease", "form_fatigued"),
    ("stage-fresh", _obs(), STAGE, "push", "stage_attack"),
    ("stage-not-fresh", _obs(readiness_score=75), STAGE, "maintain", "stage_steady"),
    ("stage-form-minus-30-is-race-fatigue", _obs(tsb=-30.0), STAGE, "push", "stage_attack"),
    ("stage-form-minus-36", _obs(tsb=-36.0), STAGE, "ease", "stage_survive"),
    ("stage-form-minus-60", _obs(tsb=-60.0), STAGE, "ease", "stage_survive"),
    ("stage-readiness-55", _obs(readiness_score=55), STAGE, "ease", "stage_survive"),
    ("stage-hrv-low", _obs(hrv_7day=55.0, hrv_status="low"), STAGE, "ease", "stage_survive"),
    ("stage-readiness-44", _obs(readiness_score=44), STAGE, "rest", "stage_rest"),
    (
        "stage-illness",
        _obs(hrv_7day=52.0, hrv_status="low", resting_hr=54.0),
        STAGE,
        "rest",
        "stage_rest",
    ),
    (
        "single-event-day",
        _obs(),
        _status(phase="event", days_to_go=0, mission_kind="single_event"),
        "push",
        "event_day",
    ),
    (
        "event-day-but-wrecked",
        _obs(tsb=-30.0),
        _status(phase="event", days_to_go=0, mission_kind="single_event"),
        "recover",
        "form_low",
    ),
    (
        "stage-race-day-without-a-stage",  # a transfer day: no event-day ride
        _obs(readiness_score=90),
        _status(phase="event", days_to_go=-3),
        "maintain",
        "steady",
    ),
    ("taper", _obs(readiness_score=90), _status(phase="taper", days_to_go=5), "maintain", "taper"),
    ("ramp-too-fast", _obs(ramp_rate=8.0), _status(), "maintain", "ramp_limit"),
    ("fresh-and-ready", _obs(), _status(), "push", "ready_to_push"),
    (
        "readiness-missing-today-only",
        _obs(readiness_score=None, days_without_recovery=1),
        _status(),
        "maintain",
        "steady",
    ),
    ("good-but-not-ready", _obs(readiness_score=75), _status(), "maintain", "steady"),
]


@pytest.mark.parametrize(
    ("obs", "status", "action", "rule"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule_fires(obs: Observation, status: MissionStatus, action: str, rule: str) -> None:
    decision = decide(obs, status, LIMITS)
    assert (decision.action, decision.rule) == (action, rule)
    assert decision.reason
    assert decision.evidence, "every decision cites evidence"


def test_thresholds_come_from_the_mission() -> None:
    strict = Thresholds(readiness_push=90)
    assert decide(_obs(readiness_score=85), _status(), LIMITS).action == "push"
    assert decide(_obs(readiness_score=85), _status(), strict).action == "maintain"


def test_evidence_carries_value_and_threshold() -> None:
    decision = decide(_obs(readiness_score=55), _status(), LIMITS)
    (evidence,) = decision.evidence
    assert (evidence.name, evidence.value, evidence.threshold) == ("readiness", 55, 60)


def test_unsafe_ramp_to_target_is_a_soft_flag_not_a_rule() -> None:
    decision = decide(_obs(), _status(ramp_needed=9.0, ramp_safe=False), LIMITS)
    assert decision.action == "push"
    assert any("needs 9.0/week" in f for f in decision.flags)


def _reflection(compliance: float | None) -> Reflection:
    return Reflection(
        week_start=date(2026, 3, 30),
        week_end=date(2026, 4, 5),
        planned_load=400.0,
        actual_load=400.0 * (compliance or 0),
        compliance=compliance,
        actions={},
        rules={},
    )


@pytest.mark.parametrize(
    ("compliance", "phase", "rule"),
    [
        (0.5, "build", "low_compliance"),
        (0.69, "base", "low_compliance"),
        (0.7, "build", "ready_to_push"),  # at the threshold: not poor
        (None, "build", "ready_to_push"),  # nothing planned: no judgement
        (0.5, "taper", "taper"),  # outside the push phases the rule has nothing to hold
    ],
)
def test_last_weeks_poor_compliance_holds_a_push(
    compliance: float | None, phase: str, rule: str
) -> None:
    decision = decide(_obs(), _status(phase=phase), LIMITS, _reflection(compliance))
    assert decision.rule == rule
    if rule == "low_compliance":
        assert decision.action == "maintain"
        (evidence,) = decision.evidence
        assert (evidence.value, evidence.threshold) == (compliance, LIMITS.compliance_low)


def test_recovery_rules_still_come_before_compliance() -> None:
    decision = decide(_obs(readiness_score=50), _status(), LIMITS, _reflection(0.3))
    assert decision.rule == "readiness_low"


@pytest.mark.parametrize(
    ("obs", "mode"),
    [(_obs(), "breakaway"), (_obs(readiness_score=75), "gc"), (_obs(tsb=-40.0), "domestique")],
    ids=["fresh", "not-fresh", "tired"],
)
def test_a_stage_day_says_how_to_ride_it(obs: Observation, mode: str) -> None:
    decision = decide(obs, STAGE, LIMITS)
    assert decision.ride_mode == mode
    assert mode in decision.reason and "points" in decision.reason


def test_resting_a_stage_states_its_cost_in_points() -> None:
    decision = decide(_obs(readiness_score=40), STAGE, LIMITS)
    assert decision.action == "rest" and decision.ride_mode is None
    assert "costs up to 20 points and the finisher bonus (25 points)" in decision.reason
    stake = {e.name: e.value for e in decision.evidence}
    assert stake["points at stake"] == 20


def test_an_unscored_stage_race_uses_plain_ride_modes() -> None:
    plain = STAGE.model_copy(update={"stage_points": {}, "finisher_bonus": None})
    assert decide(_obs(), plain, LIMITS).ride_mode == "race"
    assert decide(_obs(tsb=-40.0), plain, LIMITS).ride_mode == "survive"
