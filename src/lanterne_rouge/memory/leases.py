"""Leases: who is finishing a piece of work, until when, so a crash never blocks it for good.

An owner is ``host:pid``. A lease is free when it has no owner, has run out, or belongs to a
process of this machine that no longer exists (killed mid-run: the next run takes over at once
instead of waiting for the lease to run out).
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from functools import cache


@cache
def _host() -> str:
    return socket.gethostname()


def me() -> str:
    """This process, as a lease owner (the pid is read each time: a fork is another owner)."""
    return f"{_host()}:{os.getpid()}"


def is_free(owner: str | None, until: datetime | None, now: datetime) -> bool:
    if owner is None or owner == me():
        return True
    if until is not None and until < now:
        return True
    host, _, pid = owner.rpartition(":")
    return host == _host() and pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
