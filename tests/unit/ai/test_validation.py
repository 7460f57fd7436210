"""Answer checks: consistent with the decided action, numbers only from the facts."""

from __future__ import annotations

import pytest

from lanterne_rouge.ai.failures import AnswerRejected
from lanterne_rouge.ai.validation import check_answer, recommended_other_action
from lanterne_rouge.messages import Action

FAITHFUL = [
    ("rest", "No need to push today; rest and let the body absorb the work."),
    ("rest", "Rather than pushing, take the day off."),
    ("rest", "After yesterday's hard session, rest today."),
    ("rest", "Take it easy today and keep your feet up."),
    ("rest", "Rest today and push hard tomorrow."),
    ("rest", "Don't even think about intervals: no training today."),
    ("recover", "A recovery spin keeps the legs moving; avoid any hard efforts."),
    ("ease", "Ease off today: shorter and lighter, nothing all out."),
    ("maintain", "Today is a steady day; there is no need to go hard."),
    ("maintain", "Keep it steady as planned, and save the attack for later in the week."),
    ("push", "Recovery looks good, so push the climbs today."),
    ("push", "You are well rested: go hard on the threshold intervals."),
    ("push", "Your recovery is complete and you haven't had to rest this week, so attack."),
]

CONTRADICTORY = [
    ("rest", "Push hard today.", "push"),
    ("rest", "Don't worry, push hard today.", "push"),
    ("rest", "Keep it steady for 75 minutes.", "maintain"),
    ("recover", "Ignore the fatigue and go all out.", "push"),
    ("ease", "Take the day off entirely.", "rest"),
    ("push", "Today is a rest day.", "rest"),
    ("push", "Skip the ride today.", "rest"),
    ("push", "Ease off and keep it short.", "ease"),
    ("maintain", "No training today.", "rest"),
    ("maintain", "Make it a recovery ride.", "recover"),
]


@pytest.mark.parametrize(("action", "text"), FAITHFUL, ids=[f"{a}: {t[:40]}" for a, t in FAITHFUL])
def test_a_faithful_answer_is_not_flagged(action: Action, text: str) -> None:
    assert recommended_other_action(text, action) is None


@pytest.mark.parametrize(
    ("action", "text", "other"), CONTRADICTORY, ids=[f"{a}: {t[:40]}" for a, t, _ in CONTRADICTORY]
)
def test_an_answer_recommending_another_action_is_flagged(
    action: Action, text: str, other: Action
) -> None:
    assert recommended_other_action(text, action) == other


FACTS = (
    '{"reason":"readiness 38 is below 40","fitness":68.4,"form":-11.9,'
    '"workout":"Ride, 75 min, 62 TSS"}'
)


@pytest.mark.parametrize(
    "text",
    [
        "Readiness 38 is below 40, so rest.",
        "Fitness is about 68 and form is -12: rest.",
        "Form sits 11.9 points below zero, so rest.",
        "Rest, and save the 75 min ride for later.",
        "Zone Z2 is for another day; rest.",
    ],
    ids=["exact", "rounded", "sign-dropped", "from-a-string-fact", "letters-then-digits"],
)
def test_numbers_from_the_facts_pass_with_rounding(text: str) -> None:
    assert check_answer(text, "rest", FACTS, max_chars=400)


@pytest.mark.parametrize(
    "text",
    ["Readiness is 35, so rest.", "Rest for 3 days.", "Fitness is 68.9 today; rest."],
    ids=["wrong-value", "invented-count", "wrong-decimal"],
)
def test_a_number_not_in_the_facts_is_rejected(text: str) -> None:
    with pytest.raises(AnswerRejected) as caught:
        check_answer(text, "rest", FACTS, max_chars=400)
    assert caught.value.code == "numbers"


@pytest.mark.parametrize(
    ("text", "code"),
    [("   ", "empty"), ("Rest. " * 100, "too_long"), ("Go all out today.", "contradicts")],
    ids=["empty", "too-long", "contradicts"],
)
def test_unusable_answers_are_rejected_with_a_code(text: str, code: str) -> None:
    with pytest.raises(AnswerRejected) as caught:
        check_answer(text, "rest", FACTS, max_chars=400)
    assert caught.value.code == code


def test_the_answer_is_cleaned_to_one_line_without_quotes() -> None:
    assert check_answer('"Rest today.\n\nTruly."', "rest", FACTS, max_chars=400) == (
        "Rest today. Truly."
    )
