"""The fleet's task names and queue, in one place for the modules that send and take them.

An athlete's day is ``run_day`` (phase 1: decide), then ``narrate`` (phases 2 and 3), then
``deliver`` (the effects owed); ``sync`` first for an athlete with an API source.
"""

from __future__ import annotations

DISPATCH = "lanterne.dispatch"
RUN_DAY = "lanterne.run_day"
NARRATE = "lanterne.narrate"
DELIVER = "lanterne.deliver"
SYNC = "lanterne.sync"

QUEUE = "lanterne"
# Redis keeps a list per priority step (kombu's [0, 3, 6, 9]; 0 is taken first). A new day
# starts at the lowest, so a worker takes the next steps of days already started (narrate,
# deliver) before deciding more: the days' CPU work then overlaps the model's answers, and
# days finish in the order they started instead of all deciding, then all waiting.
NEW_DAY_PRIORITY = 9
PRIORITY_STEPS = (0, 3, 6, 9)


def queue_keys() -> list[str]:
    """The Redis lists holding the queue's waiting messages, highest priority first."""
    return [QUEUE if p == 0 else f"{QUEUE}\x06\x16{p}" for p in PRIORITY_STEPS]
