"""The answer check against the labelled corpus: good answers pass, wrong ones are caught
for the reason they are wrong, and that reason reaches the usage ledger."""

from __future__ import annotations

from collections import Counter

import pytest

from lanterne_rouge.ai.failures import AnswerRejected
from lanterne_rouge.ai.validation import check_answer
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import ACTIONS
from support.openai_server import OpenAICompatibleServer, answer

from .conftest import narrator_for
from .corpus import Answer, answers, facts, requests

REASONS = ("action", "state", "number", "unsafe")


def verdict(item: Answer) -> str | None:
    """None when the answer is accepted, else the rejection's code."""
    try:
        check_answer(item.text, facts(item.day), max_chars=400)
    except AnswerRejected as exc:
        return exc.code
    return None


def test_the_corpus_has_150_answers_for_every_action_in_many_voices_half_wrong() -> None:
    items = answers()
    labels = Counter(a.label for a in items)
    assert len(items) >= 150
    assert min(labels.values()) >= 0.4 * len(items)
    assert {requests()[a.day].decision.action for a in items} == set(ACTIONS)
    assert {a.voice for a in items} >= {"plain", "warm", "terse", "embellished", "coaching"}
    assert {a.why for a in items if a.label == "wrong"} == set(REASONS)


def test_at_least_95_percent_of_good_answers_are_accepted() -> None:
    good = [a for a in answers() if a.label == "good"]
    refused = [(a.file, a.line, verdict(a)) for a in good if verdict(a) is not None]
    assert len(refused) <= 0.05 * len(good), refused


def test_at_least_95_percent_of_wrong_answers_are_rejected_for_their_reason() -> None:
    wrong = [a for a in answers() if a.label == "wrong"]
    missed = [(a.file, a.line, a.why, verdict(a)) for a in wrong if verdict(a) != a.why]
    assert len(missed) <= 0.05 * len(wrong), missed


@pytest.mark.parametrize("why", REASONS)
def test_a_rejection_names_its_reason_in_the_ledger(
    why: str, llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    item = next(a for a in answers() if a.why == why)
    llm_server.enqueue(answer(item.text))
    request = requests()[item.day]

    narration = narrator_for("openai", llm_server).explain(request)

    assert narration.explanation.provider == "offline"
    assert narration.usage is not None and narration.usage.outcome == "fallback"
    assert narration.usage.reason and narration.usage.reason.startswith(f"{why}: ")
    store.record_llm_call(narration.usage)
    assert store.llm_calls()[0].reason == narration.usage.reason
