"""One stop signal for every model request of the process. Ctrl-C sets it; each request, retry and
backoff wait checks it first, so an interrupted run sends nothing more and its worker threads end at
their next step instead of retrying for minutes while the interpreter waits on them."""

from __future__ import annotations

import threading

from aidraft.errors import AidraftError
from aidraft.messages import msg

STOP = threading.Event()


class Stopped(AidraftError):
    """A request was not sent because the run was interrupted (never a model failure: not retried,
    never a reason to write a section offline)."""

    exit_code = 130


def check_stop() -> None:
    """Raise :class:`Stopped` once the run has been interrupted."""
    if STOP.is_set():
        raise Stopped(msg("llm.stopped"))


def pause(seconds: float) -> None:
    """A backoff wait that ends at once when the run is interrupted."""
    STOP.wait(seconds)
