"""Jobs: one upload's work, run in a background thread, with steps the page polls.

A draft with a model can take minutes, so the request that starts it returns at once and the
browser polls ``/jobs/{id}/status``. Each job owns a Workspace (its temporary folder), which is
deleted when the job is evicted (too many jobs, or older than the TTL) and when the server stops.
Job ids are long random strings: on a shared machine one person cannot guess another's job.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from aidraft.errors import AidraftError
from aidraft.messages import msg, text
from aidraft.redact import redact
from aidraft.web.config import WebConfig
from aidraft.web.uploads import Workspace

log = logging.getLogger(__name__)

#: A job whose uploads are still being taken is dropped if it is not submitted within this time.
INTAKE_GRACE_S = 600.0
JobState = Literal["queued", "running", "done", "failed"]
StepState = Literal["pending", "running", "done", "failed"]


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    label: str
    state: StepState = "pending"


class Download(BaseModel):
    """A file the job wrote into its own folder, offered under a fixed key."""

    model_config = ConfigDict(extra="forbid")

    path: Path
    filename: str
    media_type: str


class Job:
    """State shared between the worker thread and the request handlers; guarded by one lock."""

    def __init__(self, kind: str, workspace: Workspace) -> None:
        self.id = secrets.token_urlsafe(16)
        self.kind = kind
        self.workspace = workspace
        self.created = time.monotonic()
        self.state: JobState = "queued"
        self.error: str | None = None
        self.result: Any = None
        self.downloads: dict[str, Download] = {}
        self.submitted = False
        self.kept: str | None = None  # the submitted form as JSON, for "submit again" after a failure
        self._steps: OrderedDict[str, Step] = OrderedDict()
        self._lock = threading.Lock()

    def step(self, key: str, label: str | None = None, state: StepState = "running", *,
             exclusive: bool = True) -> None:
        """Add or update a step; an exclusive step that starts running finishes the one before it
        (sections written concurrently by a model run side by side: not exclusive)."""
        with self._lock:
            if state == "running" and exclusive:
                for other in self._steps.values():
                    if other.state == "running" and other.key != key:
                        other.state = "done"
            current = self._steps.get(key)
            if current is None:
                self._steps[key] = Step(key=key, label=label or key, state=state)
            else:
                current.state = state
                if label:
                    current.label = label

    def finish(self, result: Any) -> None:
        with self._lock:
            for s in self._steps.values():
                if s.state in ("running", "pending"):
                    s.state = "done"
            self.result = result
            self.state = "done"

    def fail(self, message: str) -> None:
        with self._lock:
            for s in self._steps.values():
                if s.state == "running":
                    s.state = "failed"
            self.error = message
            self.state = "failed"

    def snapshot(self) -> dict[str, Any]:
        """The JSON the progress page polls (no result: that is rendered as a page)."""
        with self._lock:
            return {"id": self.id, "kind": self.kind, "state": self.state, "error": self.error,
                    "steps": [s.model_dump() for s in self._steps.values()]}

    @property
    def steps(self) -> list[Step]:
        with self._lock:
            return [s.model_copy() for s in self._steps.values()]


class Busy(AidraftError):
    """Every job slot holds a job still running."""


class JobStore:
    """Jobs by id, a small worker pool, and the clean-up of their folders."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="aidraft-job")

    @contextmanager
    def intake(self, kind: str) -> Iterator[Job]:
        """A new job for one submitted form: any failure while its uploads are taken (a refused
        file, a damaged zip, an internal error) discards it with its folder, so a refused upload
        never leaves a job that holds a slot forever."""
        job = self.create(kind)
        try:
            yield job
        except BaseException:
            self.discard(job)
            raise

    def create(self, kind: str) -> Job:
        """A new job with its own folder; old and surplus finished jobs are removed first."""
        self.expire()
        with self._lock:
            finished = [j for j in self._jobs.values() if j.state in ("done", "failed")]
            while len(self._jobs) >= self.config.max_jobs and finished:
                self._drop(finished.pop(0))
            if len(self._jobs) >= self.config.max_jobs:
                raise Busy(msg("web.busy"), hint=msg("web.busy.hint"))
            job = Job(kind, Workspace(self.config.work_dir))
            self._jobs[job.id] = job
        return job

    def submit(self, job: Job, work: Callable[[Job], Any]) -> None:
        """Run ``work(job)`` in the pool; its return value is the job's result. The job counts as
        live (holds a slot) only from here on: see :meth:`expire`."""
        job.submitted = True
        try:
            self._pool.submit(self._run, job, work)
        except RuntimeError:  # the pool is shut down: the server is stopping
            self.discard(job)
            raise Busy(msg("web.stopping"), hint=msg("web.stopping.hint")) from None

    @staticmethod
    def _run(job: Job, work: Callable[[Job], Any]) -> None:
        """Run the work; a failure keeps only the one-line reason (for the failure page): the job's
        files are deleted at once and it no longer holds a worker or anything on disk."""
        job.state = "running"
        try:
            job.finish(work(job))
            return
        except AidraftError as exc:
            reason = exc.one_line("zh")
        except Exception as exc:  # shown to the user as one line; the traceback goes to the log
            log.error("job %s failed: %s", job.id, redact(f"{type(exc).__name__}: {exc}"))
            reason = redact(" ".join(text("web.internal", "zh", error=f"{type(exc).__name__}: {exc}").split()))
        job.downloads = {}
        job.workspace.cleanup()  # before the state says failed: a poller never sees stale files
        job.fail(reason)

    def get(self, job_id: str) -> Job | None:
        self.expire()
        with self._lock:
            return self._jobs.get(job_id)

    def expire(self) -> None:
        """Remove finished jobs older than the TTL, and jobs never submitted to the pool that are
        older than the intake grace (a request that died while taking its uploads), with their folders."""
        now = time.monotonic()
        limit = now - self.config.job_ttl_s
        stranded = now - INTAKE_GRACE_S
        with self._lock:
            for job in list(self._jobs.values()):
                finished = job.state in ("done", "failed")
                if (finished and job.created < limit) or (not job.submitted and job.created < stranded):
                    self._drop(job)

    def _drop(self, job: Job) -> None:
        self._jobs.pop(job.id, None)
        job.workspace.cleanup()

    def discard(self, job: Job) -> None:
        """Forget a job whose upload was refused before it ran."""
        with self._lock:
            self._drop(job)

    def close(self) -> None:
        """Server shutdown: wait for running jobs, then delete every job folder."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            for job in list(self._jobs.values()):
                self._drop(job)
