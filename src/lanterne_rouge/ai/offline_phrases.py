"""The offline explainer's wording: several ways to say each thing, picked by the day."""

from __future__ import annotations

OPENINGS: dict[str, tuple[str, ...]] = {
    "push": (
        "Today is for quality work.",
        "Go and make today count.",
        "This is a day to lean on the pedals.",
        "Green light for the hard stuff.",
        "Time to put in a real effort.",
        "You can ride hard today.",
        "Make today a quality day.",
        "Let the legs do some proper work.",
    ),
    "maintain": (
        "Keep the routine going.",
        "A normal training day.",
        "Carry on with the usual work.",
        "Nothing fancy today.",
        "Stay on the plan today.",
        "Bread-and-butter riding today.",
        "Just the regular session.",
        "Hold the course today.",
        "One more brick in the wall today.",
    ),
    "ease": (
        "Dial it back today.",
        "Go lighter than usual.",
        "Take some pressure off today.",
        "Ride, but gently.",
        "A lighter touch today.",
        "Keep the effort modest today.",
        "Back off a notch today.",
        "Soft pedalling is the job today.",
    ),
    "recover": (
        "Recovery comes first today.",
        "Just spin today.",
        "Let the body catch up.",
        "An easy spin is all today needs.",
        "Give the body room to recover.",
        "Keep it very light today.",
        "Only gentle riding today.",
    ),
    "rest": (
        "Stay off the bike today.",
        "Today is a day off.",
        "Put your feet up today.",
        "No riding today.",
        "Take the whole day off.",
        "Rest is the session today.",
        "Leave the bike alone today.",
    ),
}

FEEL: dict[str, tuple[str, ...]] = {
    "push": (
        "The efforts should feel hard but controlled, finishing with a little left.",
        "Expect the work blocks to bite; keep the form smooth when it does.",
        "The hard parts should hurt in a good way, never ragged.",
    ),
    "stage_day": (
        "Ride it at your own pace: steady early, and only spend on the climbs what you can afford.",
        "Settle in, fuel early, and save the real effort for the part of the stage that suits you.",
        "Treat it as a long, even effort rather than a fight for every kilometre.",
    ),
    "event_day": (
        "Start easier than you want to, eat and drink early, and let the race come to you.",
        "Pace the first hour below what feels right; the day is won late.",
    ),
    "maintain": (
        "It should feel comfortable and steady, like work you could repeat tomorrow.",
        "Aim for an even effort you could talk through, with the harder blocks firm but calm.",
        "Nothing should feel heroic; finish feeling you did your job.",
    ),
    "taper": (
        "Keep it short and sharp: a few quick efforts to stay snappy, then home.",
        "Less volume, a little speed: the openers should feel crisp, not tiring.",
        "Short and lively: wake the legs up without emptying them.",
    ),
    "ramp_limit": (
        "Fitness has climbed quickly, so hold today at a steady level instead of adding more.",
        "Let the recent gains settle: steady work, no extra load.",
    ),
    "low_compliance": (
        "The aim is simply a ride you can finish, to get the rhythm back.",
        "Keep it doable: consistency matters more than one big day now.",
    ),
    "ease": (
        "It should feel easy enough to chat the whole way.",
        "Keep the pace conversational and stop before it feels like work.",
        "Stay in the easy zones and let the legs come round.",
    ),
    "recover": (
        "Spin at a pace that feels almost too easy; it is about blood flow, not fitness.",
        "Think light gears, high cadence and no efforts at all.",
        "Ride so gently that it never feels like training.",
    ),
    "illness_signs": (
        "Keep it very easy and stop at once if you feel unwell.",
        "If anything feels off, skip even the spin: an early cold passes faster with rest.",
    ),
    "rest": (
        "Sleep, eat well and walk if you like; the training sinks in on days like this.",
        "Nothing to do but recharge: the work you have done needs a quiet day to land.",
        "A quiet day now protects the days that matter.",
    ),
}

WHY_GOAL: dict[str, tuple[str, ...]] = {
    "stage": (
        "Stage {n} of {name} is one of many: what you save today you can spend later.",
        "In a stage race the legs you keep matter as much as the ones you use; stage {n} is "
        "no exception.",
        "Get through stage {n} of {name} with something left for the days after.",
    ),
    "rest_day": (
        "It is the rest day of {name}: the stages still to come are ridden on what you "
        "recover now.",
        "The race rest day is for recovery; {name} is not finished yet.",
    ),
    "taper": (
        "With {days} to {name}, the taper lets form rise so you arrive fresh.",
        "{days} to {name}: less work now is what makes you sharp on the day.",
        "The taper is on for {name} ({days} to go); trust it.",
    ),
    "event": (
        "{name} is under way: each day is about riding well and recovering for the next.",
        "During {name} recovery between days is part of the race.",
    ),
    "event_day": (
        "Today is {name}: the whole build was for this, so enjoy it.",
        "{name} is today; the work is done, now ride it.",
    ),
    "after": (
        "{name} is done; the body needs time to absorb it before new goals.",
        "After {name}, patience now sets up the next block.",
    ),
    "build": (
        "With {days} to {name}, days like this build the fitness you will need.",
        "{days} to {name}: consistent work like this is what moves fitness.",
        "Every steady week now counts toward {name}, {days} away.",
    ),
    "build_hold": (
        "With {days} to {name}, one lighter day costs nothing and keeps the build on track.",
        "{days} to {name}: absorbing the work matters as much as doing it.",
        "{name} is {days} away; backing off now keeps you training next week.",
    ),
}
