"""Answer checks on single answers: the action, numbers with their units, shape and codes."""

from __future__ import annotations

import pytest

from lanterne_rouge.ai.failures import AnswerRejected
from lanterne_rouge.ai.validation import check_answer

from .corpus import facts

# The corpus days these examples are held against.
DAY = {
    "rest": "rest_very_low",
    "recover": "recover_low",
    "ease": "ease_fatigued",
    "maintain": "maintain_steady",
    "push": "push_fresh",
}

FAITHFUL = [
    ("rest", "No need to push today; rest and let the body absorb the work."),
    ("rest", "Rather than pushing, take the day off."),
    ("rest", "After yesterday's hard session, rest today."),
    ("rest", "Take it easy today and keep your feet up."),
    ("rest", "Rest today and push hard tomorrow."),
    ("rest", "Don't even think about intervals: no training today."),
    ("rest", "Get some rest tonight and let the rest of the week look after itself."),
    ("recover", "A recovery spin keeps the legs moving; avoid any hard efforts."),
    ("ease", "Ease off today: shorter and lighter, nothing all out."),
    ("maintain", "Keep it steady as planned, and save the attack for later in the week."),
    ("push", "Recovery looks good, so push the climbs today."),
    ("push", "Ease into the first interval, then push the rest of them."),
    ("push", "Your recovery is complete and you haven't had to rest this week, so attack."),
    ("push", "Spin easy to warm up, then go hard on the threshold intervals."),
    ("push", "Push today, but don't go all out on the first interval."),
    ("push", "Don't push too hard early; build into the threshold work."),
]

CONTRADICTORY = [
    ("rest", "Push hard today."),
    ("rest", "Don't worry, push hard today."),
    ("rest", "Make it an easy endurance ride today."),
    ("recover", "Ignore the fatigue and go all out."),
    ("ease", "Take the day off entirely."),
    ("push", "Today is a rest day."),
    ("push", "Skip the ride today."),
    ("push", "Take it easy today."),
    ("push", "Keep it steady and save the hard efforts for another day."),
    ("maintain", "No training today."),
    ("maintain", "Make it a recovery ride."),
    ("maintain", "Go hard today with max efforts."),
]


@pytest.mark.parametrize(("action", "text"), FAITHFUL, ids=[f"{a}: {t[:40]}" for a, t in FAITHFUL])
def test_a_faithful_answer_passes_idioms_negations_and_time_included(
    action: str, text: str
) -> None:
    assert check_answer(text, facts(DAY[action]), max_chars=400)


@pytest.mark.parametrize(
    ("action", "text"), CONTRADICTORY, ids=[f"{a}: {t[:40]}" for a, t in CONTRADICTORY]
)
def test_an_answer_recommending_another_action_is_rejected(action: str, text: str) -> None:
    with pytest.raises(AnswerRejected) as caught:
        check_answer(text, facts(DAY[action]), max_chars=400)
    assert caught.value.code == "action"


@pytest.mark.parametrize(
    "text",
    [
        "Readiness 38 is below 45, so rest.",
        "Fitness is about 66 and form is -27.5: rest.",
        "Form sits 27.5 points below zero, so rest.",
        "HRV is 15% under its baseline; rest.",
        "Rest today and aim for 8 hours of sleep tonight.",
    ],
    ids=["exact", "around", "sign-dropped", "a-percentage-in-the-facts", "sleep-advice"],
)
def test_numbers_from_the_facts_pass_with_rounding(text: str) -> None:
    assert check_answer(text, facts("rest_very_low"), max_chars=400)


@pytest.mark.parametrize(
    "text",
    [
        "Readiness is 35, so rest.",
        "Rest for 3 days.",
        "Fitness is 66.9 today; rest.",
        "HRV is 25% under its baseline; rest.",
        "Readiness is 120 minutes from good; rest.",
    ],
    ids=["wrong-value", "invented-count", "wrong-decimal", "wrong-percentage", "wrong-unit"],
)
def test_a_number_not_in_the_facts_is_rejected(text: str) -> None:
    with pytest.raises(AnswerRejected) as caught:
        check_answer(text, facts("rest_very_low"), max_chars=400)
    assert caught.value.code == "number"


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Hold the work blocks at 95% of FTP.", True),
        ("Keep the recoveries in Zone 2, around 65% of FTP.", True),
        ("Hold the work blocks at 110% of FTP.", False),
        ("Keep it at 65%.", False),
    ],
    ids=["a-step", "inside-a-named-zone", "above-the-hardest-step", "a-percentage-of-nothing"],
)
def test_a_percentage_of_ftp_must_lie_inside_the_workout(text: str, ok: bool) -> None:
    if ok:
        assert check_answer(text, facts("push_fresh"), max_chars=400)
    else:
        with pytest.raises(AnswerRejected, match="quotes"):
            check_answer(text, facts("push_fresh"), max_chars=400)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("   ", "empty"),
        ("Rest. " * 100, "too_long"),
        ("Go all out today.", "action"),
        ("You slept well, so rest.", "state"),
        ("Rest, then add an extra hour tomorrow.", "unsafe"),
    ],
    ids=["empty", "too-long", "action", "state", "unsafe"],
)
def test_unusable_answers_are_rejected_with_a_code(text: str, code: str) -> None:
    with pytest.raises(AnswerRejected) as caught:
        check_answer(text, facts("rest_very_low"), max_chars=400)
    assert caught.value.code == code


def test_the_answer_is_cleaned_to_one_line_without_quotes() -> None:
    assert check_answer('"Rest today.\n\nTruly."', facts("rest_very_low"), max_chars=400) == (
        "Rest today. Truly."
    )
