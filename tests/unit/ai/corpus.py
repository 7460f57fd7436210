"""The labelled narrator corpus (``narrator_corpus/``): its days as requests, its answers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from lanterne_rouge.ai.ai_clients import ExplainRequest
from lanterne_rouge.ai.facts import DayFacts, day_facts
from lanterne_rouge.messages import Decision, MissionStatus, Observation, Plan

HERE = Path(__file__).resolve().parent / "narrator_corpus"
FILES = ("answers.jsonl", "heldout.jsonl")


@dataclass(frozen=True)
class Answer:
    file: str
    line: int
    day: str
    voice: str
    label: Literal["good", "wrong"]
    text: str
    why: str | None = None  # for a wrong answer: action, state, number or unsafe


@cache
def requests() -> dict[str, ExplainRequest]:
    days = json.loads((HERE / "days.json").read_text(encoding="utf-8"))
    return {
        name: ExplainRequest(
            athlete_id="corpus",
            decision=Decision.model_validate(d["decision"]),
            plan=Plan.model_validate(d["plan"]),
            status=MissionStatus.model_validate(d["status"]),
            observation=Observation.model_validate(d["observation"]),
        )
        for name, d in days.items()
    }


@cache
def facts(day: str) -> DayFacts:
    return day_facts(requests()[day])


@cache
def answers() -> tuple[Answer, ...]:
    found = []
    for name in FILES:
        lines = (HERE / name).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            found.append(Answer(file=name, line=number, **json.loads(line)))
    return tuple(found)
