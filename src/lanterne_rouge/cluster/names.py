"""The fleet's task names, in one place for the modules that send and register them.

An athlete's day is ``run_day`` (phase 1: decide), then ``narrate`` (phases 2 and 3), then
``deliver`` (the effects owed); ``sync`` first for an athlete with an API source.
"""

from __future__ import annotations

DISPATCH = "lanterne.dispatch"
RUN_DAY = "lanterne.run_day"
NARRATE = "lanterne.narrate"
DELIVER = "lanterne.deliver"
SYNC = "lanterne.sync"
