"""Checks on a model's answer before the athlete sees it.

The answer must be non-empty, complete (not cut at the token cap), within the length cap,
must not recommend a different action than the decision, and every number it quotes must be
among the facts it was given (rounding allowed). Any failure raises ``AnswerRejected`` with a
one-word code; the narrator then falls back to the offline explanation.

The action check looks for cue phrases of each action (``push hard``, ``take the day off``,
``keep it steady``...) clause by clause. A cue does not count when, within three words before
it, a negation (``no need to push``, ``rather than pushing``) or a past marker (``after
yesterday's hard session``) stands, or when it is deferred (``push hard tomorrow``).
Neighbouring actions may be mentioned (``take it easy`` on a rest day); distant ones may not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lanterne_rouge.ai.failures import AnswerRejected
from lanterne_rouge.messages import Action


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    action: Action
    negatable: bool = True


def _cues(action: Action, *patterns: str, negatable: bool = True) -> list[Cue]:
    return [Cue(re.compile(rf"\b(?:{p})\b"), action, negatable) for p in patterns]


CUES: tuple[Cue, ...] = (
    *_cues(
        "push",
        r"push(?:es|ing)?(?! back)",
        r"go(?:ing)? (?:hard|all out|deep|full gas)",
        r"all out|full gas|flat out|dig deep",
        r"max(?:imal|imum)? efforts?|high intensity",
        r"hard (?:efforts?|sessions?|workouts?|intervals?|training|day|ride|riding)",
        r"attack(?:s|ing)?",
    ),
    *_cues(
        "maintain",
        r"maintain(?:s|ing)?",
        r"steady",
        r"as planned|business as usual|stay the course|normal training",
    ),
    *_cues(
        "ease",
        r"eas(?:e|es|ing)",
        r"easier|lighter",
        r"(?:take|keep) it easy|go easy|easy day",
        r"back off|dial (?:it )?back|hold back",
    ),
    *_cues(
        "recover",
        r"recover(?:s|ing)?",
        r"recovery (?:ride|spin|day|session|week|workout)|active recovery",
        r"recuperat\w*|easy spin",
    ),
    *_cues(
        "rest",
        r"rest(?:ing)?(?! of)",
        r"day off|time off|off the bike|feet up",
        r"take (?:the day|today|it) off",
    ),
    *_cues("rest", r"no (?:training|riding|workout|ride)", negatable=False),
    *_cues("rest", r"skip (?:today'?s? |the )?(?:training|ride|workout|session)", negatable=False),
)

# Which decisions each cue's action may appear beside: neighbours are fine, distant ones not.
COMPATIBLE: dict[Action, frozenset[Action]] = {
    "push": frozenset({"push", "maintain"}),
    "maintain": frozenset({"maintain", "push", "ease", "recover"}),
    "ease": frozenset({"ease", "recover", "rest", "maintain"}),
    "recover": frozenset({"recover", "rest", "ease"}),
    "rest": frozenset({"rest", "recover"}),
}

NEGATORS = frozenset(
    {
        *("no", "not", "never", "dont", "don't", "avoid", "avoiding", "without", "skip"),
        *("skipping", "instead", "rather", "nothing", "none", "nor", "neither", "resist"),
        *("cannot", "save", "hold"),
    }
)
PAST = frozenset(
    {
        *("yesterday", "yesterday's", "last", "after", "since", "earlier", "recent"),
        *("recently", "was", "were", "had", "been"),
    }
)
FUTURE = frozenset({"tomorrow", "tomorrow's", "later"})
WINDOW = 3

_CLAUSE = re.compile(r"[.;:!?,]|\b(?:but|so|then|however|while|instead)\b")
_WORD = re.compile(r"[a-z][a-z']*|\d+(?:\.\d+)?")
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?![\d])")


def clean(text: str) -> str:
    """One line, no surrounding quotes or whitespace."""
    return " ".join(text.split()).strip("\"'` ")


def check_answer(
    text: str, action: Action, facts: str, *, max_chars: int, truncated: bool = False
) -> str:
    """The cleaned answer, or ``AnswerRejected`` saying which check failed."""
    answer = clean(text)
    if not answer:
        raise AnswerRejected("the model returned an empty answer", code="empty")
    if truncated:
        raise AnswerRejected("the answer was cut off at the completion cap", code="truncated")
    if len(answer) > max_chars:
        raise AnswerRejected(
            f"the answer has {len(answer)} characters (cap {max_chars})", code="too_long"
        )
    other = recommended_other_action(answer, action)
    if other is not None:
        raise AnswerRejected(
            f"the answer recommends {other} but the decision is {action}", code="contradicts"
        )
    stray = unsupported_number(answer, allowed_numbers(facts))
    if stray is not None:
        raise AnswerRejected(
            f"the answer quotes {stray}, which is not in the facts", code="numbers"
        )
    return answer


def recommended_other_action(text: str, action: Action) -> Action | None:
    """The first action the text recommends that does not fit ``action``, if any."""
    for clause in _CLAUSE.split(text.lower().replace("\u2019", "'")):
        words = _WORD.findall(clause)
        joined = " ".join(words)
        for cue in CUES:
            if action in COMPATIBLE[cue.action]:
                continue
            for match in cue.pattern.finditer(joined):
                start = joined[: match.start()].count(" ")
                end = start + match.group().count(" ")
                if _counts(words, start, end, cue.negatable):
                    return cue.action
    return None


def _counts(words: list[str], start: int, end: int, negatable: bool) -> bool:
    """A cue counts unless negated or in the past (just before it) or deferred (just after)."""
    before = words[max(0, start - WINDOW) : start]
    after = words[end + 1 : end + 1 + WINDOW + 1]
    if negatable and any(w in NEGATORS or w.endswith("n't") for w in before):
        return False
    if any(w in PAST for w in before):
        return False
    return not any(w in FUTURE for w in after)


def allowed_numbers(facts: str) -> list[float]:
    """Every number in the facts given to the model (its JSON text, strings included)."""
    found = [float(n) for n in _NUMBER.findall(facts)]
    try:
        data = json.loads(facts)
    except ValueError:
        return found
    return found + [float(v) for v in _json_numbers(data)]


def _json_numbers(value: object) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _json_numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _json_numbers(v)]
    return []


def unsupported_number(text: str, allowed: list[float]) -> str | None:
    """The first number in ``text`` that no allowed value rounds to (sign ignored)."""
    raw: str
    for raw in _NUMBER.findall(text):
        decimals = len(raw.partition(".")[2])
        tolerance = 0.5 * 10**-decimals + 1e-9
        value = abs(float(raw))
        if not any(abs(value - abs(a)) <= tolerance for a in allowed):
            return raw
    return None
