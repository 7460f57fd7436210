"""Sport names: every source's activity types mapped to ours, and how each counts for load.

Our sports are the keys of ``training.load``'s tables: ``ride``, ``virtualride``, ``run``,
``virtualrun``, ``swim``, ``rowing``, ``walk``, ``hike``, ``strength``, ``workout``, ``yoga``
and ``other``. Strava's ``sport_type``/``type`` (``Ride``, ``VirtualRide``, ``GravelRide``,
``WeightTraining`` ...), the Strava export's spelled-out types (``Virtual Ride``,
``Weight Training``), intervals.icu's types (the same as Strava's), FIT sports and
sub-sports (``cycling``/``indoor_cycling``, ``training``/``strength_training``) and TCX/GPX
types (``Biking``, ``running``) all map here.

Strength, generic workouts and yoga count for fatigue (ATL) only, not for fitness (CTL): the
way intervals.icu counted them in the real export we test against (its ``ctlLoad`` leaves out
``Workout`` and ``WeightTraining`` loads that its ``atlLoad`` includes).
"""

from __future__ import annotations

import re

from lanterne_rouge.training.load_models import LoadSettings, SportWeight

_ALIASES: dict[str, str] = {
    # rides
    "ride": "ride",
    "gravelride": "ride",
    "mountainbikeride": "ride",
    "ebikeride": "ride",
    "emountainbikeride": "ride",
    "velomobile": "ride",
    "handcycle": "ride",
    "cycling": "ride",
    "biking": "ride",
    "road": "ride",
    "mountain": "ride",
    "gravelcycling": "ride",
    "virtualride": "virtualride",
    "indoorcycling": "virtualride",
    "indoorride": "virtualride",
    # runs
    "run": "run",
    "trailrun": "run",
    "running": "run",
    "trail": "run",
    "treadmill": "virtualrun",
    "virtualrun": "virtualrun",
    # others
    "swim": "swim",
    "swimming": "swim",
    "lapswimming": "swim",
    "openwater": "swim",
    "rowing": "rowing",
    "virtualrow": "rowing",
    "indoorrowing": "rowing",
    "canoeing": "rowing",
    "kayaking": "rowing",
    "walk": "walk",
    "walking": "walk",
    "hike": "hike",
    "hiking": "hike",
    "weighttraining": "strength",
    "strengthtraining": "strength",
    "crossfit": "strength",
    "strength": "strength",
    "workout": "workout",
    "training": "workout",
    "hiit": "workout",
    "elliptical": "workout",
    "stairstepper": "workout",
    "cardiotraining": "workout",
    "fitnessequipment": "workout",
    "yoga": "yoga",
    "pilates": "yoga",
}

FATIGUE_ONLY = ("strength", "workout", "yoga")

LOAD_SETTINGS = LoadSettings(
    sport_weights={name: SportWeight(ctl=0.0, atl=1.0) for name in FATIGUE_ONLY}
)
"""The load settings every import and sync uses (see the module docstring)."""


def our_sport(*names: str | None) -> str:
    """Our sport for a source's type names, most specific first (e.g. sub-sport, sport)."""
    for name in names:
        if not name:
            continue
        key = re.sub(r"[^a-z]", "", name.casefold())
        if key in _ALIASES:
            return _ALIASES[key]
    return "other"
