"""On-disk response cache: identical requests are answered from disk, marked ``cached=True``.

Besides saving money on reruns this gives resume-after-crash for free: sections answered before
the crash are cache hits. The key covers everything that shapes the answer (endpoint, model,
messages with their prompt version, schema, method, temperature, max_tokens) and never the API
key, so rotating a key keeps the cache. Only finished answers are stored (not ``length``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from aidraft.errors import OutputError
from aidraft.files import write_text_atomic
from aidraft.llm.base import (
    ChatModel,
    ChatRequest,
    Completion,
    Message,
    StructuredMethod,
    WrappingChatModel,
    schema_name,
)

log = logging.getLogger(__name__)

#: Bump when the key recipe or the stored layout changes; old entries simply stop matching.
CACHE_FORMAT = 1


def cache_key(
    identity: dict[str, str],
    messages: list[Message],
    *,
    json_schema: type[BaseModel] | None = None,
    method: StructuredMethod | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
) -> str:
    """sha256 over a canonical JSON of the request; no secrets go in."""
    schema_part: dict[str, Any] | None = None
    if json_schema is not None:
        shape = json.dumps(json_schema.model_json_schema(), sort_keys=True, ensure_ascii=False)
        schema_part = {"name": schema_name(json_schema), "sha256": hashlib.sha256(shape.encode()).hexdigest()}
    material = {
        "format": CACHE_FORMAT,
        "base_url": identity.get("base_url", ""),
        "model": identity.get("model", ""),
        "messages": [m.model_dump(mode="json") for m in messages],
        "schema": schema_part,
        "method": method if json_schema is not None else None,
        "temperature": temperature,
        "max_tokens": max_tokens,
    }
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CachedChatModel(WrappingChatModel):
    """Wraps any ChatModel; concurrent identical misses may both call the model (harmless)."""

    def __init__(self, inner: ChatModel, cache_dir: Path) -> None:
        super().__init__(inner)
        self.cache_dir = Path(cache_dir) / "chat"
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CachedChatModel({self.inner!r}, cache_dir={str(self.cache_dir)!r})"

    def ask(self, request: ChatRequest) -> Completion:
        if request.json_schema is not None and request.method is None:
            request = request.model_copy(update={"method": self.structured_methods[0]})
        key = cache_key(
            self.identity,
            list(request.messages),
            json_schema=request.json_schema,
            method=request.method,
            temperature=self.temperature,
            max_tokens=request.max_tokens,
        )
        found = None if request.fresh else self._read(key)
        with self._lock:
            if found is not None:
                self.hits += 1
            else:
                self.misses += 1
        if found is not None:
            return found
        answer = self.inner.ask(request)
        if not answer.truncated:
            self._write(key, answer)
        return answer

    def path_for(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def _read(self, key: str) -> Completion | None:
        path = self.path_for(key)
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored.get("format") != CACHE_FORMAT:
                return None
            return Completion.model_validate(stored["completion"]).model_copy(update={"cached": True})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError) as exc:
            log.warning("ignoring unreadable cache entry %s: %s", path, exc)
            return None

    def _write(self, key: str, answer: Completion) -> None:
        record = {"format": CACHE_FORMAT, "completion": answer.model_dump(mode="json", exclude={"cached"})}
        try:
            # 0600: an answer holds the notes' personal data restored (masking sits inside the cache)
            write_text_atomic(self.path_for(key), json.dumps(record, ensure_ascii=False, indent=1), private=True)
        except OutputError as exc:  # the cache is an optimisation: never fail a run over it
            log.warning("cannot write cache entry: %s", exc.one_line())
