"""The process entry point (the ``aidraft`` console script and ``python -m aidraft``): what a whole
process does around the command, which a library import or a test's ``main([...])`` must not do.

- Loading the command line and the command it names allocates tens of thousands of objects
  (modules, classes, pydantic schemas) and no garbage, so the cyclic collector stays off while they
  load, and what loaded is frozen (never scanned again) before the collector is turned back on.
- After the command, exit handlers run and the output is flushed; then the process ends without
  tearing down every module one by one, as mypy does: tearing down was a twentieth of a small
  job's time, and nothing of aidraft's is left to close by then (outputs are written and
  renamed inside the command). A process with a thread still running exits the ordinary way,
  except after Ctrl-C (status 130): a worker thread may still be waiting minutes on a model's answer
  that nobody wants, and the ordinary exit would wait for it.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from typing import NoReturn


def run() -> NoReturn:
    gc.disable()
    try:
        from aidraft.cli.app import main, preload

        preload(sys.argv[1:])  # the command's own modules, with the collector still off
    finally:
        gc.freeze()
        gc.enable()
    try:
        main()
    except SystemExit as exc:
        _exit(exc.code)
    _exit(0)


def exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` gives: None is 0, an int itself, anything else is printed to
    stderr and gives 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    with contextlib.suppress(Exception):
        print(code, file=sys.stderr)
    return 1


INTERRUPTED = 130


def _exit(code: object) -> NoReturn:
    status = exit_status(code)
    if threading.active_count() > 1 and status != INTERRUPTED:
        sys.exit(code)
    atexit._run_exitfuncs()  # what interpreter shutdown would run first
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (aidraft … | head) is no error of ours
            stream.flush()
    os._exit(status)
