"""What an answer claims, held against the day's facts (``ai/facts.py``).

Four checks, each naming its reason when it fails:

- ``action``: the action the answer recommends for today. Idioms are set aside first (``ease
  into the first interval``, ``the rest of the week``, ``push back``); a cue then does not count
  when a negation or a past marker stands just before it (``no need to push``, ``after
  yesterday's hard ride``), when it is deferred (``rest up tonight``, ``push hard tomorrow``) or
  when it is about part of the session (``an easy spin to warm up``, ``recover between
  intervals``). Neighbouring actions may be mentioned; distant ones may not.
- ``state``: every state asserted about the athlete (fresh, fatigued, well recovered, slept
  badly, HRV down...) must match the tone of that signal's band, and a signal with no data
  cannot be described at all. A negation flips the claim; a purpose (``to stay fresh``) or a
  future (``you will feel fresh``) is no assertion.
- ``number``: every number quoted must be a fact (rounding allowed; ``around`` allows 10 %);
  a percentage must follow from the facts (a step's % of FTP, the range of a zone the workout
  names, the HRV drop, compliance); zone labels, clock times and a night's sleep advice
  (7 to 9 hours) are not quantities to check.
- ``unsafe``: training through signs of illness, or a harder or longer session than planned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec

from lanterne_rouge.ai.bands import Tone
from lanterne_rouge.ai.facts import DayFacts
from lanterne_rouge.ai.failures import AnswerRejected
from lanterne_rouge.ai.lexicon import (
    ACTION_CUES,
    CONTEXT,
    FUTURE,
    IDIOMS,
    NEGATORS,
    PAST,
    PROSPECTIVE,
    STATE_CUES,
    UNSAFE_ANY_DAY,
    UNSAFE_WHEN_ILL,
    StateCue,
)
from lanterne_rouge.messages import Action

WINDOW = 3
_CLAUSE = re.compile(r"[.;:!?,()\u2014]|\s-\s|\b(?:but|so that|then|however|while|whereas)\b")
_FULL_STOP = re.compile(r"[.!?]\s|[.!?]$")
_SENTENCE = re.compile(r"[.;!?]\s|[.;!?]$|:\s")
_NUMBER = re.compile(
    r"(?<![\w.])(?P<around>(?:around|about|roughly|approximately|nearly|almost|close to|"
    r"some|~|≈)\s*)?(?P<sign>[-+\u2212])?(?P<num>\d+(?:\.\d+)?)(?![\d])"
    r"(?:\s*(?:-|–|to)\s*(?P<num2>\d+(?:\.\d+)?))?\s*(?P<unit>%|percent|per cent)?"
)
_NOT_QUANTITY = re.compile(
    r"^\s*(?:am|pm|a\.m\.|p\.m\.|o'clock|hours? of sleep|hours? sleep|hours' sleep|"
    r"(?:st|nd|rd|th)\b)"
)
_CEILING = re.compile(r"\b(?:below|under|less than|up to|at most|no more than|no higher than)\s*$")
_ZONE_BEFORE = re.compile(r"(?:\bzones?|\bz)\s*(?:\d\s*(?:and|or|to|-|–|/)\s*)?$")


def check_claims(answer: str, facts: DayFacts) -> None:
    """Raise ``AnswerRejected`` (code ``action``, ``state``, ``number`` or ``unsafe``)."""
    text = normalise(answer)
    clauses = [c.strip() for c in _CLAUSE.split(text) if c.strip()]
    unsafe = unsafe_advice(clauses, facts)
    if unsafe:
        raise AnswerRejected(f"the answer advises {unsafe!r}", code="unsafe")
    today = [
        c
        for sentence in _FULL_STOP.split(text)
        if not _about_later(sentence)
        for c in _CLAUSE.split(sentence)
        if c.strip()
    ]
    other = recommended_other_action([c.strip() for c in today], facts.action)
    if other is not None:
        cue, action = other
        raise AnswerRejected(
            f"the answer recommends {action} ({cue!r}) but the decision is {facts.action}",
            code="action",
        )
    wrong = wrong_state([c for c in _SENTENCE.split(text) if c.strip()], facts)
    if wrong is not None:
        raise AnswerRejected(wrong, code="state")
    stray = unsupported_number(text, facts)
    if stray is not None:
        raise AnswerRejected(
            f"the answer quotes {stray}, which the facts do not give", code="number"
        )


def _about_later(sentence: str) -> bool:
    """A sentence that opens on a later time (``tomorrow's plan: ...``) and never says today."""
    opening = " ".join(sentence.split()[:3])
    return bool(FUTURE.search(opening)) and "today" not in sentence


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u2212", "-")
    for idiom in IDIOMS:
        text = idiom.sub(" · ", text)
    return " ".join(text.split())


class _Hit(msgspec.Struct, frozen=True):
    words_before: list[str]
    words_after: list[str]
    clause: str
    phrase: str


def _hits(pattern: re.Pattern[str], clause: str) -> Iterator[_Hit]:
    for match in pattern.finditer(clause):
        before = re.findall(r"[\w'·]+", clause[: match.start()])[-WINDOW:]
        after = re.findall(r"[\w'·]+", clause[match.end() :])[: WINDOW + 1]
        yield _Hit(before, after, clause, match.group())


def _negated(before: list[str]) -> bool:
    return any(w in NEGATORS or w.endswith("n't") for w in before)


def recommended_other_action(clauses: list[str], action: Action) -> tuple[str, str] | None:
    """The first (cue, action) recommended for today that does not fit ``action``."""
    for clause in clauses:
        if CONTEXT.search(clause):
            continue
        for cue in ACTION_CUES:
            if cue.action == action:
                refused = _refused(cue.pattern, clause)
                if refused:
                    return f"not {refused}", f"not {action}"
            if cue.fits(action):
                continue
            for hit in _hits(cue.pattern, clause):
                if cue.negatable and _negated(hit.words_before):
                    continue
                if any(w in PAST for w in hit.words_before):
                    continue
                if FUTURE.search(" ".join(hit.words_after)) or FUTURE.search(
                    " ".join(hit.words_before)
                ):
                    continue
                return hit.phrase, cue.action
    return None


_PACING = frozenset({"too", "early", "first", "start", "until", "before", "yet", "straight"})


def _refused(pattern: re.Pattern[str], clause: str) -> str | None:
    """The decided action's own cue, negated: ``save the hard efforts``, ``no need to rest``;
    pacing advice (``don't go all out on the first climb``) is not a refusal."""
    for hit in _hits(pattern, clause):
        if any(w in _PACING for w in hit.words_after):
            continue
        if _negated(hit.words_before[-2:]) and not any(w in PAST for w in hit.words_before):
            return hit.phrase
    return None


def wrong_state(clauses: list[str], facts: DayFacts) -> str | None:
    """Why the first state the answer asserts is not true of the day, or None."""
    for clause in clauses:
        for cue in STATE_CUES:
            for hit in _hits(cue.pattern, clause):
                if any(w in PROSPECTIVE for w in hit.words_before[-2:]):
                    continue
                claimed = cue.tone
                if _negated(hit.words_before):
                    claimed = "poor" if claimed == "good" else "good"
                problem = _against(cue, claimed, facts)
                if problem:
                    return f"the answer says {hit.phrase!r} but {problem}"
    return None


def _against(cue: StateCue, claimed: Tone, facts: DayFacts) -> str | None:
    """A good claim needs a good band; a poor one a band that is not good. Fatigue may show in
    any signal, so a claim of tiredness fits when form or another signal is not good."""
    tones = facts.tones
    if cue.signal == "illness":
        sick = facts.illness
        if (claimed == "poor") != sick:
            return "no sign of illness is in the facts" if not sick else "illness signs are"
        return None
    tone = tones.get(cue.signal)
    if tone is None:
        return f"there is no {cue.signal_name} data today"
    if cue.signal == "form" and claimed == "poor":
        others = [tones.get(k) for k in ("ready", "hrv", "rhr", "sleep")]
        if tone != "good" and (tone == "poor" or "poor" in others or "neutral" in others):
            return None
        return f"form is {facts.value('form')} and no signal shows fatigue"
    if (claimed == "good") != (tone == "good"):
        return f"{cue.signal_name} is {facts.value(cue.fact) or tone} ({_tone_word(tone)})"
    return None


def _tone_word(tone: Tone | None) -> str:
    return {"good": "good", "neutral": "middling", "poor": "poor"}.get(tone or "", "unknown")


def unsafe_advice(clauses: list[str], facts: DayFacts) -> str | None:
    patterns = UNSAFE_ANY_DAY + (UNSAFE_WHEN_ILL if facts.illness else ())
    for clause in clauses:
        for pattern in patterns:
            for hit in _hits(pattern, clause):
                if not _negated(hit.words_before):
                    return hit.phrase
    return None


def unsupported_number(text: str, facts: DayFacts) -> str | None:
    """The first number quoted that does not follow from the facts, unit for unit."""
    known = fact_numbers(facts)
    for match in _NUMBER.finditer(text):
        after = text[match.end() :]
        if _ZONE_BEFORE.search(text[: match.start()]) or _NOT_QUANTITY.match(after):
            continue
        around = bool(match.group("around"))
        unit = _unit(match.group("unit") or "", after)
        values = [match.group("num"), *([match.group("num2")] if match.group("num2") else [])]
        for raw in values:
            if unit == "minutes" and _close(raw, [float(m) for m in facts.step_minutes], around):
                continue
            if unit == "%" and _intensity(float(raw), around, text[: match.start()], after, facts):
                continue
            if not (_close(raw, known[unit], around) or _sleep_advice(text, match)):
                return match.group().strip()
    return None


_UNIT_AFTER = re.compile(
    r"^\s*-?\s*(?:easy |hard |steady |full |short |more )?"
    r"(?P<u>min\b|mins\b|minutes?\b|'|h\b|hrs?\b|hours?\b|tss\b|bpm\b|beats\b|days?\b)"
)
_UNITS = {
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "'": "minutes",
    "tss": "tss",
    "bpm": "bpm",
    "beats": "bpm",
    "day": "days",
    "days": "days",
}


def _unit(percent: str, after: str) -> str:
    if percent:
        return "%"
    found = _UNIT_AFTER.match(after)
    return _UNITS[found.group("u")] if found else "plain"


def fact_numbers(facts: DayFacts) -> dict[str, list[float]]:
    """The facts' numbers by unit; a plain number in the answer may be any but a % or a time."""
    text = re.sub(r"\bz\d\b", " ", facts.text.lower())
    by_unit: dict[str, list[float]] = {
        u: [] for u in ("%", "minutes", "hours", "tss", "bpm", "days", "plain")
    }
    for match in re.finditer(r"(?<![\w.])[-+]?(\d+(?:\.\d+)?)(?![\d])(\s*%)?", text):
        value = float(match.group(1))
        by_unit[_unit(match.group(2) or "", text[match.end() :])].append(value)
    by_unit["%"] += list(facts.percents)
    by_unit["minutes"] += [60 * h for h in by_unit["hours"]]
    by_unit["hours"] += [m / 60 for m in by_unit["minutes"]]
    for unit in ("tss", "bpm", "days"):
        by_unit[unit] += by_unit["plain"]
    by_unit["plain"] += by_unit["tss"] + by_unit["bpm"] + by_unit["days"]
    return by_unit


def _close(raw: str, known: list[float], around: bool) -> bool:
    value = abs(float(raw))
    decimals = len(raw.partition(".")[2])
    tolerance = 0.5 * 10**-decimals + 1e-9
    return any(
        abs(value - abs(k)) <= max(tolerance, 0.1 * abs(k) if around else 0.0) for k in known
    )


def _intensity(value: float, around: bool, before: str, after: str, facts: DayFacts) -> bool:
    """A % of FTP inside the workout: a step, a zone it names up to its hardest step, or a
    ceiling just above that hardest step (``below 55% of FTP``)."""
    if not re.match(r"^\s*(?:of (?:your |the )?)?(?:ftp|threshold)", after):
        return False
    slack = 5.0 if around else 0.5
    top = max((hi for _, hi in facts.intensities), default=None)
    if top is not None and _CEILING.search(before) and top <= value <= top + 10:
        return True
    return any(lo - slack <= value <= hi + slack for lo, hi in facts.intensities)


def _sleep_advice(text: str, match: re.Match[str]) -> bool:
    after = text[match.end() : match.end() + 30]
    return bool(re.match(r"\s*(?:-\s*\d+\s*)?hours?\b.*sleep", after)) and (
        7 <= float(match.group("num")) <= 9
    )
