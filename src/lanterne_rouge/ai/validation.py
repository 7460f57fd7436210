"""Checks on a model's answer before the athlete sees it.

The answer must be non-empty, complete (not cut at the token cap) and within the length cap;
then what it claims is held against the facts (``ai/claims.py``): the action it recommends,
the states it asserts, the numbers it quotes and the safety of its advice. Any failure raises
``AnswerRejected`` with a one-word code that the usage ledger keeps as the reason.
"""

from __future__ import annotations

import re

from lanterne_rouge.ai.claims import check_claims, unsafe_advice
from lanterne_rouge.ai.facts import DayFacts
from lanterne_rouge.ai.failures import AnswerRejected


def clean(text: str) -> str:
    """One line, no surrounding quotes or whitespace."""
    return " ".join(text.split()).strip("\"'` ")


def _shape(text: str, max_chars: int, truncated: bool) -> str:
    answer = clean(text)
    if not answer:
        raise AnswerRejected("the model returned an empty answer", code="empty")
    if truncated:
        raise AnswerRejected("the answer was cut off at the completion cap", code="truncated")
    if len(answer) > max_chars:
        raise AnswerRejected(
            f"the answer has {len(answer)} characters (cap {max_chars})", code="too_long"
        )
    return answer


def check_answer(text: str, facts: DayFacts, *, max_chars: int, truncated: bool = False) -> str:
    """The cleaned answer, or ``AnswerRejected`` saying which check failed."""
    answer = _shape(text, max_chars, truncated)
    check_claims(answer, facts)
    return answer


_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\d])")


def check_week_answer(text: str, facts: str, max_chars: int, truncated: bool) -> str:
    """A week's summary: well formed, every number from its facts, nothing unsafe."""
    answer = _shape(text, max_chars, truncated)
    known = {float(n) for n in _NUMBER.findall(facts)}
    for raw in _NUMBER.findall(answer):
        decimals = len(raw.partition(".")[2])
        if not any(abs(float(raw) - k) <= 0.5 * 10**-decimals + 1e-9 for k in known):
            raise AnswerRejected(
                f"the answer quotes {raw}, which the facts do not give", code="number"
            )
    unsafe = unsafe_advice([answer.lower()], DayFacts(action="maintain", rule="", facts=()))
    if unsafe:
        raise AnswerRejected(f"the answer advises {unsafe!r}", code="unsafe")
    return answer
