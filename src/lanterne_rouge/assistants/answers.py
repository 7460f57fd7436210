"""Read-only answers about an athlete's coaching, as plain JSON-ready data with units and dates.

Each public method of :class:`Answers` is one tool an AI assistant can call. They only read
the store (through the same day view as the report and the dashboard, and the one fitness
history), never write, never call a model, and every text in an answer goes through the log
redactor, so a secret that slipped into a stored message never leaves. An athlete outside the
allowed ones, or a day never run, is a ``LanterneError`` with one line saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import msgspec

from lanterne_rouge.day_view import DayView, NothingToShow, load_day_view
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.fitness_history import fitness_history
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Evidence, Reflection
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.report.series import fitness_chart, stage_table
from lanterne_rouge.training.fitness import TsbConvention
from lanterne_rouge.usage import by_day_and_model
from lanterne_rouge.utils.logger import redact_text

FITNESS_UNITS = {
    "load": "TSS (training stress score points) that day",
    "ctl": "fitness: 42-day exponentially weighted load, TSS per day",
    "atl": "fatigue: 7-day exponentially weighted load, TSS per day",
    "tsb": "form: CTL - ATL going into the day, TSS per day",
    "ramp_rate": "CTL change over the last 7 days, TSS per day",
}
DEFAULT_FITNESS_DAYS = 42

MissionFor = Callable[[str, date], Mission | None]


class Answers(msgspec.Struct, frozen=True):
    store: StateStore
    athletes: tuple[str, ...]  # the athletes answered for; the first is the default
    mission_for: MissionFor
    tsb_convention: TsbConvention = "previous_day"

    def athlete(self, given: str | None) -> str:
        if given is None:
            return self.athletes[0]
        if given not in self.athletes:
            raise ConfigError(
                f"athlete '{given}' is not served here; ask about {', '.join(self.athletes)}"
            )
        return given

    def _view(self, athlete: str | None, day: date | None) -> DayView:
        who = self.athlete(athlete)
        found = self.store.messages(who, kinds=["decision"], until=day, newest_first=True, limit=1)
        the_day = found[0].day if found and (day is None or found[0].day == day) else day
        mission = self.mission_for(who, the_day) if the_day else None
        return load_day_view(
            self.store, who, day, tsb_convention=self.tsb_convention, mission=mission
        )

    def list_athletes(self) -> dict[str, Any]:
        """The athletes served, and the newest day each was coached."""
        rows = []
        for who in self.athletes:
            found = self.store.messages(who, kinds=["decision"], newest_first=True, limit=1)
            rows.append({"athlete": who, "newest_day": found[0].day if found else None})
        return _answer({"athletes": rows})

    def decision(self, day: date | None = None, athlete: str | None = None) -> dict[str, Any]:
        """A day's decision (default: the newest day run), its rule, evidence and explanation."""
        view = self._view(athlete, day)
        d, r, w, obs = view.decision, view.report, view.plan.workout, view.observation
        return _answer(
            {
                "athlete": view.athlete_id,
                "day": view.day,
                "attempt": view.attempt,
                "data": obs.data_label,
                "action": d.action,
                "rule": d.rule,
                "reason": d.reason,
                "evidence": [_evidence(e) for e in d.evidence],
                "flags": list(d.flags),
                "missing_data": [{"signal": g.signal, "reason": g.reason} for g in obs.gaps],
                "explanation": {
                    "headline": r.headline,
                    "text": r.explanation,
                    "written_by": "offline explainer" if r.fallback_reason else r.provider,
                    "model": r.model,
                    "fallback_reason": r.fallback_reason,
                },
                "workout": _workout(w),
                "fitness": {
                    "ctl": round(obs.ctl, 2),
                    "atl": round(obs.atl, 2),
                    "tsb": round(obs.tsb, 2),
                    "ramp_rate": None if obs.ramp_rate is None else round(obs.ramp_rate, 2),
                    "units": "TSS per day (ctl, atl at the end of yesterday; tsb going into "
                    "the day; ramp_rate: CTL change over 7 days)",
                },
            }
        )

    def fitness(
        self, since: date | None = None, until: date | None = None, athlete: str | None = None
    ) -> dict[str, Any]:
        """Daily load, CTL, ATL, TSB and ramp rate from ``since`` to ``until``."""
        who = self.athlete(athlete)
        if until is None:
            loads = self.store.loads(who)
            if not loads:
                raise NothingToShow(f"no training load stored for athlete '{who}'")
            until = loads[-1].day
        since = since or until - timedelta(days=DEFAULT_FITNESS_DAYS - 1)
        history = fitness_history(
            self.store, who, until, since=since, convention=self.tsb_convention
        )
        return _answer(
            {
                "athlete": who,
                "since": since,
                "until": until,
                "units": FITNESS_UNITS,
                "days": [
                    {
                        "day": p.day,
                        "load": round(p.load, 1),
                        "ctl": round(p.ctl, 2),
                        "atl": round(p.atl, 2),
                        "tsb": round(p.tsb, 2),
                        "ramp_rate": None if p.ramp_rate is None else round(p.ramp_rate, 2),
                    }
                    for p in history.points
                ],
            }
        )

    def plan(self, day: date | None = None, athlete: str | None = None) -> dict[str, Any]:
        """The plan made on a day: its days ahead with projections, and where it leads."""
        view = self._view(athlete, day)
        chart, s = fitness_chart(view), view.status
        ahead = chart.ahead
        return _answer(
            {
                "athlete": view.athlete_id,
                "day": view.day,
                "mission": s.mission_name,
                "phase": s.phase,
                "event_start": chart.event_day,
                "target_ctl": s.target_ctl,
                "ramp_limit": view.plan.ramp_limit,
                "adjustments": list(view.plan.adjustments),
                "units": "minutes; tss in TSS; projected ctl/atl/tsb in TSS per day",
                "days": [
                    {
                        "day": p.day,
                        **_workout(p.workout),
                        "projected_ctl": p.projected_ctl,
                        "projected_atl": p.projected_atl,
                        "projected_tsb": p.projected_tsb,
                    }
                    for p in view.plan.days
                ],
                "projected_at_event_start": None
                if not ahead or ahead[-1].day != chart.event_day
                else {"ctl": ahead[-1].ctl, "atl": ahead[-1].atl, "tsb": ahead[-1].tsb},
            }
        )

    def reflection(self, week: date | None = None, athlete: str | None = None) -> dict[str, Any]:
        """The weekly reflection of the week holding ``week`` (default: the newest one)."""
        who = self.athlete(athlete)
        found = [
            e.payload
            for e in self.store.messages(who, kinds=["reflection"], newest_first=True)
            if isinstance(e.payload, Reflection)
            and (week is None or e.payload.week_start <= week <= e.payload.week_end)
        ]
        if not found:
            which = f" for the week of {week}" if week else ""
            raise NothingToShow(f"no weekly reflection stored for athlete '{who}'{which}")
        r = found[0]
        return _answer(
            {
                "athlete": who,
                **r.model_dump(mode="json", exclude={"kind", "schema_version"}),
                "units": "loads in TSS; compliance = actual / planned load (0-1); readiness "
                "0-100; hrv_rmssd in ms; form in TSS per day",
            }
        )

    def stage_standings(
        self, day: date | None = None, athlete: str | None = None
    ) -> dict[str, Any]:
        """The stage race so far: each stage's result, the bonuses and the points."""
        view = self._view(athlete, day)
        table = stage_table(view)
        if table is None:
            raise NothingToShow(f"'{view.status.mission_name}' is not a scored stage race")
        return _answer(
            {
                "athlete": view.athlete_id,
                "day": view.day,
                "mission": view.status.mission_name,
                "points": table.points,
                "stage_points": table.stage_points,
                "bonuses": [{"name": n, "points": p} for n, p in table.bonuses],
                "stages": [
                    {
                        "stage": r.stage.number,
                        "day": r.stage_day,
                        "type": r.stage.type,
                        "ride_mode": r.mode,
                        "points": r.points,
                        "intensity_factor": r.intensity_factor,
                        "tss": r.tss,
                        "how": r.reason,
                    }
                    for r in table.results
                ],
            }
        )

    def usage(self, since: date | None = None) -> dict[str, Any]:
        """LLM calls for the athletes served, per UTC day and model: tokens and cost in USD."""
        rows = [
            r
            for r in self.store.llm_calls(since=None)
            if r.athlete_id in self.athletes and (since is None or r.created_at.date() >= since)
        ]
        per_day = by_day_and_model(rows)
        return _answer(
            {
                "units": "tokens are counts; cost_usd in US dollars (known costs only); "
                "days are UTC",
                "days": [
                    {
                        "day": day,
                        "model": model,
                        "calls": u.calls,
                        "fallbacks": u.fallback,
                        "skipped": u.skipped,
                        "input_tokens": u.input_tokens,
                        "output_tokens": u.output_tokens,
                        "cost_usd": round(u.cost_usd, 6),
                        "calls_of_unknown_cost": u.unknown_cost,
                    }
                    for (day, model), u in per_day.items()
                ],
            }
        )


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"name": e.name, "value": e.value, "unit": e.unit, "threshold": e.threshold}


def _workout(w: Any) -> dict[str, Any]:
    return {
        "workout": w.name,
        "type": w.type,
        "minutes": w.minutes,
        "tss": round(w.tss_target, 1),
        "zones": list(w.zones),
        "description": w.description,
    }


def _answer(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: _clean(value) for key, value in fields.items()}


def _clean(value: Any) -> Any:
    """Dates as ISO text and every text redacted: what an assistant may see."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return redact_text(value)
    return value


__all__ = ["Answers", "MissionFor"]
