"""Structured output: the answer as JSON naming the action explained and the facts cited.

Asked for with ``response_format`` (a JSON schema) where the provider honours it. The action
must be the decision's and every cited fact must be one given, with the value given, exactly;
the explanation inside is then checked like any other answer.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lanterne_rouge.ai.facts import DayFacts
from lanterne_rouge.ai.failures import AnswerRejected
from lanterne_rouge.messages import Action


class CitedFact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    value: str


class StructuredAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Action
    facts_cited: list[CitedFact] = Field(max_length=8)
    explanation: str


RESPONSE_FORMAT: dict[str, Any] = {
    "type": "json_schema",
    "json_schema": {
        "name": "explanation",
        "strict": True,
        "schema": {
            "type": "object",
            "additionalProperties": False,
            "required": ["action", "facts_cited", "explanation"],
            "properties": {
                "action": {
                    "type": "string",
                    "enum": ["push", "maintain", "ease", "recover", "rest"],
                },
                "facts_cited": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["name", "value"],
                        "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
                    },
                },
                "explanation": {"type": "string"},
            },
        },
    },
}


def read_structured(text: str, facts: DayFacts) -> str:
    """The explanation inside a structured answer whose action and citations are exact."""
    try:
        answer = StructuredAnswer.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise AnswerRejected(
            "the structured answer is not the JSON asked for", code="malformed"
        ) from exc
    if answer.action != facts.action:
        raise AnswerRejected(
            f"the answer explains {answer.action} but the decision is {facts.action}", code="action"
        )
    for cited in answer.facts_cited:
        given = facts.value(cited.name)
        if given is None:
            raise AnswerRejected(f"the answer cites {cited.name!r}, not a fact given", code="cited")
        if cited.value.strip() != given:
            raise AnswerRejected(
                f"the answer cites {cited.name} {cited.value!r} but the fact is {given!r}",
                code="cited",
            )
    return answer.explanation
