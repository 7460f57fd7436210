"""The words the answer check reads: action cues, idioms, state claims, unsafe advice.

Patterns run on lower-cased text with curly quotes straightened (``ai/claims.py``).
"""

from __future__ import annotations

import re

import msgspec

from lanterne_rouge.ai.bands import Tone
from lanterne_rouge.messages import Action


def _re(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


class ActionCue(msgspec.Struct, frozen=True):
    pattern: re.Pattern[str]
    action: Action  # what the cue recommends
    fits_on: frozenset[Action]  # the decisions it may appear beside (neighbours are fine)
    negatable: bool = True

    def fits(self, decided: Action) -> bool:
        return decided in self.fits_on


def _cues(action: Action, fits_on: str, *patterns: str, negatable: bool = True) -> list[ActionCue]:
    fits = frozenset(fits_on.split())
    return [ActionCue(_re(p), action, fits, negatable) for p in patterns]  # type: ignore[arg-type]


ACTION_CUES: tuple[ActionCue, ...] = (
    *_cues(
        "push",
        "push",
        r"push(?:es|ing)?(?! back)(?! through)",
        r"go(?:ing)? (?:hard|all out|deep|full gas|big)",
        r"all[- ]out|full gas|flat out|dig deep|empty the tank|give it everything",
        r"max(?:imal|imum)? efforts?|high[- ]intensity",
        r"hard (?:efforts?|sessions?|workouts?|intervals?|training|day|ride|riding)",
        r"attack(?:s|ing)?|race it|ride it hard|open the taps",
        r"(?:threshold|vo2 ?(?:max)?) (?:intervals?|efforts?|work|session|reps)",
    ),
    *_cues(
        "maintain",
        "maintain push",
        r"maintain(?:s|ing)?",
        r"steady (?:endurance|ride|riding|session|day|work|training|miles)",
        r"keep (?:it|today|things) steady|usual (?:tempo|session|work|training|ride)",
        r"business as usual|stay the course|normal training|keep the rhythm",
        r"(?:training|train|ride|riding) as (?:normal|usual)",
        r"tempo (?:blocks?|efforts?|work|intervals?|ride|session)",
    ),
    # Any ride at all: never on a rest day.
    *_cues(
        "maintain",
        "maintain push ease recover",
        r"(?:steady|endurance|long|tempo) (?:[\w-]+ ){0,2}(?:ride|session)",
    ),
    *_cues(
        "ease",
        "ease recover rest",
        r"ease (?:off|back|up)|easing (?:off|back)",
        r"(?:take|keep) (?:it|things|today) (?:easy|light)|go easy|easy day",
        r"easier|lighter (?:day|session|ride|load|week)",
        r"back off|dial (?:it |things )?back|hold back",
    ),
    *_cues("ease", "ease", r"easy (?:endurance|ride|riding|session|hour)"),
    *_cues(
        "recover",
        "recover ease",
        r"recovery (?:ride|spin|session|workout)|active recovery",
        r"easy spin|spin (?:the|your) legs|flush (?:the|your) legs",
    ),
    *_cues("recover", "recover rest ease", r"recovery day|recuperat\w*"),
    *_cues(
        "rest",
        "rest recover",
        r"rest (?:day|today|up)|full rest|complete rest|total rest|rest completely",
        r"day off|time off|off the bike|feet up",
        r"take (?:the day|today|it) off|stay off the bike",
    ),
    *_cues(
        "rest",
        "rest recover",
        r"no (?:training|riding|workout|ride|bike)",
        r"skip (?:today'?s? |the )?(?:training|ride|workout|session)",
        negatable=False,
    ),
)

# Said of part of the session, not of the day.
CONTEXT = _re(
    r"warm[- ]?(?:ing )?up",
    r"cool[- ]?(?:ing )?down",
    r"between (?:the )?(?:intervals|efforts|reps|sets|blocks|openers)",
    r"recoveries|in the valleys",
)

IDIOMS: tuple[re.Pattern[str], ...] = (
    _re(r"eas(?:e|es|ing) (?:yourself |your way )?into"),
    _re(r"eas(?:e|es|ing) in\b(?! the)"),
    _re(r"rest of (?:the|your|this)", r"rest assured", r"rest easy", r"at ease"),
    _re(r"push(?:es|ed|ing)? back", r"push the pedals"),
    _re(r"easy to", r"easy does it", r"nice and easy"),
    _re(r"(?:get|grab|bank) (?:some |plenty of |good |a good |enough )?(?:rest|sleep|recovery)"),
    _re(r"rest and recovery", r"rest well tonight"),
)

NEGATORS = frozenset(
    {
        *("no", "not", "never", "dont", "don't", "avoid", "avoiding", "without", "skip"),
        *("skipping", "instead", "rather", "nothing", "none", "nor", "neither", "resist"),
        *("cannot", "save", "saving", "than", "zero", "little", "off"),
    }
)
PAST = frozenset(
    {
        *("yesterday", "yesterday's", "last", "after", "since", "earlier", "recent"),
        *("recently", "was", "were", "had", "been", "did", "week's"),
    }
)
FUTURE = _re(
    r"tomorrow'?s?",
    r"tonight",
    r"later",
    r"this (?:evening|weekend)",
    r"next",
    r"for (?:the |your )?(?:race|event|stage|weekend|big day|start)",
    r"on race day",
    r"when (?:you|your)",
    r"once",
)

# Just before a state word these make it a hope or a purpose, not a claim about today.
PROSPECTIVE = frozenset(
    {
        *("to", "stay", "staying", "keep", "keeps", "keeping", "arrive", "become", "will"),
        *("would", "you'll", "could", "might", "may", "for", "prevent", "manage", "limit"),
        *("any", "before", "build", "get", "feel", "feeling", "be", "start", "less", "more"),
        *("lead", "leave", "leaves", "too", "becoming", "getting", "risk", "of", "from"),
        *("let", "lets", "adding", "add", "extra", "avoid", "until", "hold", "while"),
    }
)


class StateCue(msgspec.Struct, frozen=True):
    pattern: re.Pattern[str]
    signal: str  # key in DayFacts.tones, or "form" / "illness"
    tone: Tone  # what the phrase says: good or poor
    signal_name: str
    fact: str  # the fact line naming the signal's value


def _state(signal: str, tone: Tone, name: str, fact: str, *patterns: str) -> StateCue:
    return StateCue(_re(*patterns), signal, tone, name, fact)


_HR = r"(?:resting (?:hr|heart[- ]rate)|rhr|morning pulse|resting pulse|pulse)"
_OF = r"(?: score)?(?: (?:of|at) [-+]?\d+(?:\.\d+)?)?(?: \d+(?:\.\d+)?)?"  # "readiness of 74 is"
STATE_CUES: tuple[StateCue, ...] = (
    _state(
        "form",
        "good",
        "form",
        "form",
        r"fresh(?:ness)?",
        r"well[- ]rested",
        r"rested legs",
        r"(?:form|legs)" + _OF + r" (?:is|are|look|looks|feel|feels) (?:good|great|excellent|"
        r"strong|sharp|positive)",
        r"form (?:is )?at its (?:best|peak)",
        r"in (?:good|great|excellent|top|fine|peak|super|great) (?:form|shape)",
        r"good legs",
    ),
    _state(
        "form",
        "poor",
        "form",
        "form",
        r"fatigued?",
        r"tired(?:ness)?",
        r"heavy legs",
        r"worn (?:down|out)",
        r"run[- ]down",
        r"cooked",
        r"overreach\w*",
        r"overtrain\w*",
        r"drained",
        r"exhausted",
        r"carrying (?:some |a lot of |real |a bit of )?(?:fatigue|load)",
        r"(?:form|legs)" + _OF + r" (?:is|are|look|looks|feel|feels) (?:poor|heavy|flat|tired|"
        r"weak|low)",
    ),
    _state(
        "ready",
        "good",
        "recovery",
        "readiness",
        r"(?:well|fully|properly|nicely) recovered",
        r"recovered (?:well|fully|nicely)",
        r"recovery (?:is|looks) (?:good|strong|solid|great|excellent|fine)",
        r"readiness" + _OF + r" (?:is |looks )?(?:high|good|strong|excellent|great|solid|fine)",
        r"(?:high|good|strong|excellent|great|solid) readiness",
        r"green light",
        r"body is ready",
    ),
    _state(
        "ready",
        "poor",
        "recovery",
        "readiness",
        r"(?:poorly|under|badly)[- ]recovered",
        r"recovery (?:is|looks) (?:low|poor|lagging|incomplete|weak|down)",
        r"readiness" + _OF + r" (?:is |looks )?(?:low|poor|down|weak|lower)",
        r"(?:low|poor|weak) readiness",
    ),
    _state(
        "sleep",
        "good",
        "sleep",
        "sleep",
        r"slept (?:well|soundly|long)",
        r"slept [\d.]+ hours?,? (?:which is )?(?:plenty|enough|"
        r"good|great|solid)",
        r"(?:plenty of|enough) sleep",
        r"(?:good|solid|great|decent|long|full|restful) "
        r"(?:night'?s? )?(?:sleep|night)",
        r"well[- ]slept",
    ),
    _state(
        "sleep",
        "poor",
        "sleep",
        "sleep",
        r"(?:poor|bad|short|broken|rough|restless|light) (?:night'?s? )?(?:sleep|night)",
        r"slept (?:poorly|badly|little)",
        r"lack of sleep",
        r"poorly slept",
        r"sleep debt",
        r"sleep (?:was|is|has been) (?:short|poor|bad|broken|light|restless|lacking)",
        r"short on sleep",
    ),
    _state(
        "hrv",
        "poor",
        "HRV",
        "HRV",
        r"hrv" + _OF + r" (?:is |has |has been )?(?:down|low|lower|suppressed|dropped|depressed"
        r"|below)",
        r"(?:low|suppressed|depressed|lower) hrv",
        r"hrv (?:drop|dip)",
    ),
    _state(
        "hrv",
        "good",
        "HRV",
        "HRV",
        r"hrv" + _OF + r" (?:is |looks )?(?:normal|stable|good|high|up|strong|healthy|solid"
        r"|steady)",
        r"(?:normal|stable|healthy|strong|high) hrv",
    ),
    _state(
        "rhr",
        "poor",
        "resting HR",
        "resting HR",
        _HR + r" (?:is |has |has been )?(?:up|elevated|high|higher|raised|climbed)",
        r"(?:elevated|high|raised) " + _HR,
    ),
    _state(
        "rhr",
        "good",
        "resting HR",
        "resting HR",
        _HR + r" (?:is |looks )?(?:normal|low|steady|stable|down)",
        r"(?:normal|low|steady) " + _HR,
    ),
    _state(
        "illness",
        "poor",
        "illness",
        "readiness",
        r"(?:you are|you're|you might be|you may be|coming down with|getting) (?:sick|ill)",
        r"illness",
        r"sickness",
        r"a cold\b",
        r"infection",
        r"a bug\b",
        r"under the weather",
    ),
)

UNSAFE_WHEN_ILL: tuple[re.Pattern[str], ...] = (
    _re(r"(?:train|ride|push|work|power|battle) through", r"sweat it out"),
    _re(r"ignore (?:the |your |those |these )?(?:signs?|symptoms?|hrv|body|numbers|data|it)"),
)
UNSAFE_ANY_DAY: tuple[re.Pattern[str], ...] = (
    _re(
        r"(?:an? |some |a few |two |three )?extra (?:intervals?|efforts?|sprints?|reps?|sets?"
        r"|hours?|miles|km|kilometres|blocks?|climbs?|minutes)",
        r"(?:add|adding|throw in|tack on) (?:in )?(?:a |an |another |some |a few |a couple of "
        r"|two |three |more )?(?:more |short |quick |hard |extra )*(?:intervals?|efforts?"
        r"|sprints?|reps?|sets?|hours?|blocks?|climbs?|tempo|kilometres|km|miles)",
    ),
    _re(
        r"(?:go|ride|stay out) longer",
        r"(?:longer|harder|more) than (?:planned|prescribed|"
        r"the plan|scheduled)",
        r"double (?:up|the session|the workout|it)",
        r"another hour",
        r"extend (?:the|your|it|today)",
        r"beyond the (?:plan|target)",
        r"bonus (?:intervals?|"
        r"efforts?|sprints?)",
        r"exceed the (?:target|plan)",
    ),
)
