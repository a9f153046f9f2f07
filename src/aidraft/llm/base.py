"""The one seam between aidraft and a language model.

Pipelines call :meth:`ChatModel.complete` and nothing else, so the offline drafter, the fake
used in tests, the on-disk cache and any OpenAI-compatible endpoint are interchangeable.
The seam is synchronous on purpose: the pipeline runs calls in a bounded thread pool.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aidraft.errors import ModelError, Msg
from aidraft.llm.stop import check_stop
from aidraft.strict import Strict

Role = Literal["system", "user", "assistant"]
StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]
STRUCTURED_METHODS: tuple[StructuredMethod, ...] = ("json_schema", "function_calling", "json_mode")

#: What we send after a truncated answer so the model picks up where it stopped.
CONTINUE_PROMPT = "继续"


class Message(BaseModel):
    """One chat message. ``prompt`` records which template produced it (``name@version``).

    ``prompt`` never goes over the wire, but it is part of the cache key, so bumping a
    template's version invalidates cached answers even when the rendered text is unchanged.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    content: str
    prompt: str | None = None

    @classmethod
    def system(cls, content: str) -> Message:
        return cls(role="system", content=content)

    @classmethod
    def user(cls, content: str) -> Message:
        return cls(role="user", content=content)

    @classmethod
    def assistant(cls, content: str) -> Message:
        return cls(role="assistant", content=content)


class Completion(Strict):
    """A model's answer. For structured calls ``text`` holds the JSON (tool arguments included)."""

    text: str
    finish_reason: str | None = "stop"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str = ""
    cached: bool = False

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


class ChatRequest(BaseModel):
    """One request on the seam: what to send and how to answer. Every wrapper (cache, masking,
    metering, recording) passes this one value on instead of retyping four keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    messages: tuple[Message, ...]
    json_schema: type[BaseModel] | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    method: StructuredMethod | None = None
    #: ask the endpoint even where an answer is cached (the new answer replaces it): a cached answer
    #: the caller rejected would otherwise be replayed by every rerun
    fresh: bool = False

    def with_messages(self, messages: list[Message] | tuple[Message, ...]) -> ChatRequest:
        return self.model_copy(update={"messages": tuple(messages)})

    @property
    def system_text(self) -> str:
        return "\n".join(m.content for m in self.messages if m.role == "system")

    @property
    def user_text(self) -> str:
        """The last user message: usually what a test or a scripted answer looks at."""
        return next((m.content for m in reversed(self.messages) if m.role == "user"), "")

    @property
    def text(self) -> str:
        """Every message's content, joined."""
        return "\n".join(m.content for m in self.messages)


# --- errors every implementation raises (ModelError subclasses, one-line messages) ---------


class ContentFilterError(ModelError):
    """The provider's content inspection refused the input or the output (never retried)."""


class RateLimitedError(ModelError):
    """HTTP 429 persisted through every retry."""


class ModelTimeoutError(ModelError):
    """The endpoint did not answer within the timeout, on every attempt."""


class ModelConnectionError(ModelError):
    """The endpoint could not be reached at all."""


class ModelServerError(ModelError):
    """HTTP 5xx persisted through every retry."""


class ContextTooLongError(ModelError):
    """The prompt exceeds the model's context window: shrink it (see llm.budget)."""


class RequestRejectedError(ModelError):
    """HTTP 400 for a reason we do not recognise; retrying the same request cannot help."""


class StructuredOutputUnsupported(RequestRejectedError):
    """The endpoint rejected a structured-output method; structured.py falls back to the next."""


class ModelOutputError(ModelError):
    """The model kept answering with text that is not valid JSON for the requested schema.

    Carries the last answer and how many attempts were made, so a caller (and the run log) can
    say what the model actually said instead of only that it failed."""

    def __init__(self, message: str | Msg, *, hint: str | Msg | None = None, last_answer: str = "", attempts: int = 0,
                 problem: str = "") -> None:
        super().__init__(message, hint=hint)
        self.last_answer = last_answer
        self.attempts = attempts
        #: what was wrong with the last answer (structured.describe_error: field paths and messages,
        #: never the answer itself), for a caller that re-asks on its own
        self.problem = problem


class ChatModel(ABC):
    """Abstract chat model. Subclasses implement :meth:`_complete_once`.

    ``complete`` adds the one behaviour every backend shares: a plain-text answer cut off by
    ``max_tokens`` (finish_reason ``length``) is continued up to ``max_continuations`` times by
    sending the partial answer back plus "继续" and concatenating. Structured calls are never
    continued (a second JSON object glued to the first is not JSON); structured.py re-asks.
    """

    #: Preferred structured-output methods, best first (the endpoint's preset decides).
    structured_methods: tuple[StructuredMethod, ...] = STRUCTURED_METHODS
    max_continuations: int = 2
    temperature: float | None = None
    #: Upper bound on tokens per answer (Settings.max_output_tokens): keeps a looping small model
    #: from running to the context limit. None leaves each caller's max_tokens as it is.
    max_output_tokens: int | None = None

    #: The structured-output method this endpoint last accepted (llm/structured.py): memory per
    #: model instance, so two endpoints (or two tests) never share it.
    accepted_method: StructuredMethod | None = None

    @property
    @abstractmethod
    def identity(self) -> dict[str, str]:
        """Which endpoint and model answer (base_url, model): part of cache keys, never secrets."""

    @property
    def endpoint_id(self) -> str:
        ident = self.identity
        return f"{ident.get('base_url', '')}#{ident.get('model', '')}"

    def remember_method(self, method: StructuredMethod | None) -> None:
        """Record (or with None forget) the structured-output method this endpoint accepts."""
        self.accepted_method = method

    def remembered_method(self) -> StructuredMethod | None:
        return self.accepted_method

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: type[BaseModel] | None = None,
        max_tokens: int | None = None,
        method: StructuredMethod | None = None,
        fresh: bool = False,
    ) -> Completion:
        """Answer ``messages``; with ``json_schema`` ask for JSON using ``method`` (see :meth:`ask`)."""
        return self.ask(ChatRequest(messages=tuple(messages), json_schema=json_schema, max_tokens=max_tokens,
                                    method=method, fresh=fresh))

    def ask(self, request: ChatRequest) -> Completion:
        """Answer one request: structured calls get the preferred method, answers are capped at
        ``max_output_tokens``, and a truncated plain-text answer is continued."""
        check_stop()
        if request.json_schema is not None and request.method is None:
            request = request.model_copy(update={"method": self.structured_methods[0]})
        if self.max_output_tokens is not None:
            capped = min(request.max_tokens or self.max_output_tokens, self.max_output_tokens)
            request = request.model_copy(update={"max_tokens": capped})
        first = self._complete_once(request)
        if request.json_schema is not None or not first.truncated:
            return first
        return self._continue(request, first)

    def _continue(self, request: ChatRequest, first: Completion) -> Completion:
        text, last = first.text, first
        prompt_tokens, completion_tokens = first.prompt_tokens, first.completion_tokens
        for _ in range(self.max_continuations):
            if not last.truncated:
                break
            check_stop()
            follow_up = [*request.messages, Message.assistant(text), Message.user(CONTINUE_PROMPT)]
            last = self._complete_once(request.with_messages(follow_up))
            text += last.text
            prompt_tokens += last.prompt_tokens
            completion_tokens += last.completion_tokens
            if not last.text.strip():
                # Nothing more came: the answer is still cut off, so say so rather than "stop".
                last = last.model_copy(update={"finish_reason": "length"})
                break
        return Completion(
            text=text,
            finish_reason=last.finish_reason,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            model=last.model or first.model,
        )

    @abstractmethod
    def _complete_once(self, request: ChatRequest) -> Completion:
        """One request/response round trip (retries for transient errors included)."""


class WrappingChatModel(ChatModel):
    """A ChatModel around another one (cache, masking, metering, recording): it answers as the
    same endpoint with the same structured-output methods and the same method memory, and leaves
    continuation of truncated answers to the inner model. Subclasses override :meth:`ask`."""

    def __init__(self, inner: ChatModel) -> None:
        self.inner = inner
        self.structured_methods = inner.structured_methods
        self.temperature = inner.temperature
        self.max_continuations = inner.max_continuations

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.inner!r})"

    @property
    def identity(self) -> dict[str, str]:
        return self.inner.identity

    def remember_method(self, method: StructuredMethod | None) -> None:
        self.inner.remember_method(method)

    def remembered_method(self) -> StructuredMethod | None:
        return self.inner.remembered_method()

    def ask(self, request: ChatRequest) -> Completion:
        return self.inner.ask(request)

    def _complete_once(self, request: ChatRequest) -> Completion:
        return self.ask(request)


def schema_name(schema: type[BaseModel]) -> str:
    """The name a schema goes by on the wire (tool name, json_schema name)."""
    return schema.__name__


__all__ = [
    "CONTINUE_PROMPT",
    "STRUCTURED_METHODS",
    "ChatModel",
    "ChatRequest",
    "Completion",
    "ContentFilterError",
    "ContextTooLongError",
    "Message",
    "ModelConnectionError",
    "ModelOutputError",
    "ModelServerError",
    "ModelTimeoutError",
    "RateLimitedError",
    "RequestRejectedError",
    "Role",
    "StructuredMethod",
    "StructuredOutputUnsupported",
    "WrappingChatModel",
    "schema_name",
]
