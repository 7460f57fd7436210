"""The fleet's task names, in one place for the modules that send and register them."""

from __future__ import annotations

DISPATCH = "lanterne.dispatch"
RUN_DAY = "lanterne.run_day"
DELIVER = "lanterne.deliver"
SYNC = "lanterne.sync"
