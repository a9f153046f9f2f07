"""The benchmark's model server (the fake server with the Timed responder) in a child process, and the client side of
its ``/bench`` endpoints: counters and timing changes between measures."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from typing import Any

from aidraft.bench.timed import ServerConfig, ServerStats


class ServerProcess:
    """``python -m aidraft.bench.timed`` in a child process, for the duration of a ``with``."""

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self.base_url = ""
        self._proc: subprocess.Popen[str] | None = None
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy

    def __enter__(self) -> ServerProcess:  # noqa: PYI034 (never subclassed)
        cmd = [sys.executable, "-m", "aidraft.bench.timed", "--config", self.config.model_dump_json()]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        line = self._proc.stdout.readline() if self._proc.stdout else ""
        if not line.startswith("listening on "):
            self.__exit__()
            raise RuntimeError(f"the benchmark's model server did not start: {line!r}")
        self.base_url = line.split("listening on ", 1)[1].strip()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def stats(self) -> ServerStats:
        with self._opener.open(self.base_url.removesuffix("/v1") + "/bench/stats", timeout=10) as response:
            return ServerStats.model_validate_json(response.read())

    def reset(self, **config: Any) -> ServerStats:
        """Zero the counters (returning them) and apply any timing changes (ServerConfig fields)."""
        if config:
            self.config = ServerConfig(**{**self.config.model_dump(), **config})
        data = json.dumps(config).encode("utf-8")
        request = urllib.request.Request(self.base_url.removesuffix("/v1") + "/bench/reset", data=data,
                                         headers={"Content-Type": "application/json"}, method="POST")
        with self._opener.open(request, timeout=10) as response:
            return ServerStats.model_validate_json(response.read())
