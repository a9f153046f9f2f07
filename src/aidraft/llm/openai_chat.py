"""ChatModel over any OpenAI-compatible endpoint, via langchain-openai's ``ChatOpenAI``.

We retry ourselves (``max_retries=0`` on the client) so one policy covers every provider:
exponential backoff with jitter, Retry-After honoured, never a retry for 400/401 since the same
request would fail the same way. Provider errors become one-line aidraft errors.
"""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import openai
from langchain_core.messages import AIMessage
from langchain_openai import ChatOpenAI
from langsmith.run_helpers import tracing_context
from pydantic import BaseModel
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, stop_when_event_set

from aidraft import regexes
from aidraft.errors import AidraftError, ConfigError
from aidraft.llm.base import (
    ChatModel,
    ChatRequest,
    Completion,
    ContentFilterError,
    ContextTooLongError,
    ModelConnectionError,
    ModelServerError,
    ModelTimeoutError,
    RateLimitedError,
    RequestRejectedError,
    StructuredMethod,
    StructuredOutputUnsupported,
    schema_name,
)
from aidraft.llm.endpoint import Endpoint, endpoint_identity
from aidraft.llm.stop import STOP, check_stop, pause
from aidraft.messages import msg

# How providers say "content inspection refused this" (DashScope, GLM 1301, DeepSeek, OpenAI/Azure).
_FILTER_CODES = {"data_inspection_failed", "datainspectionfailed", "1301", "content_filter"}
_FILTER_PHRASES = ("inappropriate content", "content exists risk", "敏感内容", "不安全", "content management policy")
_FILTER_FINISH = {"content_filter", "sensitive"}  # "sensitive" is GLM's finish_reason
_CONTEXT_PHRASES = ("context_length", "context length", "context window", "range of input length", "too long")
_FILTER_HINT = msg("llm.filtered.hint")


class OpenAIChatModel(ChatModel):
    """One endpoint + model. Thread-safe: the underlying HTTP client is shared across threads."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        timeout_s: float = 120.0,
        max_retries: int = 3,
        temperature: float | None = None,
        max_continuations: int = 2,
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 30.0,
        retry_after_cap_s: float = 60.0,
    ) -> None:
        self.endpoint = endpoint
        self.structured_methods = endpoint.structured_methods
        self.temperature = temperature
        self.max_continuations = max_continuations
        self.max_retries = max_retries
        self._backoff_initial_s = backoff_initial_s
        self._backoff_max_s = backoff_max_s
        self._retry_after_cap_s = retry_after_cap_s
        self._llm = ChatOpenAI(
            base_url=endpoint.base_url,
            api_key=endpoint.api_key,
            model=endpoint.model,
            timeout=timeout_s,
            max_retries=0,
            temperature=temperature,
            use_responses_api=False,
        )

    def __repr__(self) -> str:
        return f"OpenAIChatModel(base_url={self.endpoint.base_url!r}, model={self.endpoint.model!r})"

    @property
    def identity(self) -> dict[str, str]:
        return endpoint_identity(self.endpoint)

    def _complete_once(self, request: ChatRequest) -> Completion:
        json_schema, max_tokens, method = request.json_schema, request.max_tokens, request.method
        wire = [{"role": m.role, "content": m.content} for m in request.messages]
        kwargs = self._request_kwargs(json_schema, max_tokens, method)
        retrying = Retrying(
            stop=stop_after_attempt(self.max_retries + 1) | stop_when_event_set(STOP),
            wait=self._wait,
            sleep=pause,  # Ctrl-C ends a backoff wait at once
            retry=retry_if_exception(is_transient),
            reraise=True,
        )
        try:
            # Notes can hold personal data: never let a LANGSMITH_TRACING variable ship them out.
            with tracing_context(enabled=False):
                for attempt in retrying:
                    with attempt:
                        check_stop()
                        reply = self._llm.invoke(wire, **kwargs)
        except openai.LengthFinishReasonError as exc:  # raised by the client's parse() path
            return _from_openai_completion(exc.completion, self.endpoint.model)
        except Exception as exc:
            mapped = self._translate(exc, method)
            if mapped is exc:
                raise
            raise mapped from exc
        completion = _from_ai_message(reply, method, self.endpoint.model)
        if completion.finish_reason in _FILTER_FINISH:
            raise ContentFilterError(msg("llm.filtered", label=self.endpoint.label), hint=_FILTER_HINT)
        return completion

    def _request_kwargs(
        self, schema: type[BaseModel] | None, max_tokens: int | None, method: StructuredMethod | None
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if max_tokens is not None:
            # Sent raw: ChatOpenAI would rename max_tokens, which most compatible servers ignore.
            kwargs["extra_body"] = {self.endpoint.token_param: max_tokens}
        if schema is None or method is None:
            return kwargs
        name = schema_name(schema)
        if method == "json_schema":
            spec = {"name": name, "schema": schema.model_json_schema(), "strict": False}
            kwargs["response_format"] = {"type": "json_schema", "json_schema": spec}
        elif method == "json_mode":
            kwargs["response_format"] = {"type": "json_object"}
        else:
            function = {"name": name, "description": _doc(schema), "parameters": schema.model_json_schema()}
            kwargs["tools"] = [{"type": "function", "function": function}]
            named = {"type": "function", "function": {"name": name}}
            kwargs["tool_choice"] = named if self.endpoint.tool_choice == "named" else "auto"
        return kwargs

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = retry_after_seconds(exc) if exc is not None else None
        if hinted is not None:
            return min(hinted, self._retry_after_cap_s)
        # Exponential backoff with jitter proportional to the first step (tests use tiny steps).
        step = self._backoff_initial_s * 2 ** (state.attempt_number - 1)
        return min(step + random.uniform(0, self._backoff_initial_s), self._backoff_max_s)

    def _translate(self, exc: Exception, method: StructuredMethod | None) -> Exception:
        """Provider exception → one-line aidraft error; anything unknown is returned unchanged."""
        ep, label = self.endpoint, self.endpoint.label
        if isinstance(exc, openai.ContentFilterFinishReasonError):
            return ContentFilterError(msg("llm.filtered", label=label), hint=_FILTER_HINT)
        if isinstance(exc, openai.APITimeoutError):
            return ModelTimeoutError(msg("llm.timeout", label=label), hint=msg("llm.timeout.hint"))
        if isinstance(exc, openai.APIConnectionError):
            if _dropped(exc):  # it answered the connection, then closed it: it is running
                return ModelConnectionError(msg("llm.dropped", label=label), hint=msg("llm.dropped.hint"))
            fix = msg("llm.unreachable.local_hint" if ep.is_local else "llm.unreachable.hint")
            return ModelConnectionError(msg("llm.unreachable", url=ep.base_url), hint=fix)
        if isinstance(exc, MALFORMED):
            return ModelServerError(msg("llm.malformed", label=label, kind=type(exc).__name__),
                                    hint=msg("llm.malformed.hint"))
        if not isinstance(exc, openai.APIStatusError):
            return exc
        status, text = exc.status_code, _error_text(exc, ep.api_key.get_secret_value())
        if status == 400 and _is_content_filter(exc, text):
            return ContentFilterError(msg("llm.refused_content", label=label, text=text), hint=_FILTER_HINT)
        known: dict[int, AidraftError] = {
            401: ConfigError(msg("llm.unauthorized", label=label), hint=msg("llm.unauthorized.hint", env=ep.key_env)),
            403: ConfigError(msg("llm.forbidden", label=label, text=text),
                             hint=msg("llm.forbidden.hint", env=ep.key_env, model=ep.model)),
            404: ConfigError(msg("llm.no_model", label=label, model=ep.model), hint=msg("llm.no_model.hint")),
            429: RateLimitedError(msg("llm.rate_limited", label=label, retries=self.max_retries),
                                  hint=msg("llm.rate_limited.hint")),
        }
        if status in known:
            return known[status]
        if method is not None and _rejects_format(text):  # llama.cpp's server answers 500 for this
            return StructuredOutputUnsupported(msg("llm.format_rejected", label=label, method=method, text=text))
        if status >= 500:
            return ModelServerError(msg("llm.server_error", label=label, status=status, text=text),
                                    hint=msg("llm.server_error.hint"))
        if any(p in text.lower() for p in _CONTEXT_PHRASES):
            return ContextTooLongError(msg("llm.context_too_long", model=ep.model, text=text),
                                       hint=msg("llm.context_too_long.hint"))
        if method is not None and status in (400, 422):
            return StructuredOutputUnsupported(msg("llm.format_rejected", label=label, method=method, text=text))
        return RequestRejectedError(msg("llm.rejected", label=label, status=status, text=text))


_FORMAT_WORDS = ("response_format", "json_schema", "tool_choice", "'tools'", '"tools"')


def _rejects_format(text: str) -> bool:
    """The server refused how we asked for JSON (not what we asked): try the next method."""
    return any(word in text for word in _FORMAT_WORDS)


#: What the client raises reading a 200 answer that is no chat completion (an empty ``choices``,
#: a cut-off body, a proxy's HTML page, an error object sent with 200): the server's fault, as a 5xx.
MALFORMED = (IndexError, KeyError, TypeError, AttributeError, ValueError)


#: The HTTP client's names for a connection the server accepted and then closed (httpx and its forks).
DROPPED = frozenset({"RemoteProtocolError", "ReadError", "WriteError"})


def _dropped(exc: BaseException) -> bool:
    """Was the connection made and then dropped (not refused, not unresolvable)?"""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ in DROPPED:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def is_transient(exc: BaseException) -> bool:
    """Worth another try: 429, 408, 5xx, timeouts, dropped connections, a malformed answer. Never
    400/401, nor a 5xx that is really a refusal of the structured-output format (it would fail the
    same way)."""
    if isinstance(exc, MALFORMED) and not isinstance(exc, openai.OpenAIError):
        return True
    if isinstance(exc, openai.InternalServerError):
        return not _rejects_format(str(exc))
    if isinstance(exc, (openai.RateLimitError, openai.APIConnectionError)):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code == 408


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's Retry-After (``retry-after-ms``, seconds or an HTTP date), if it sent one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if ms := headers.get("retry-after-ms"):
        try:
            return max(float(ms) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


def _error_text(exc: openai.APIStatusError, secret: str = "") -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    text = str(body.get("message") or exc.message or "")
    return " ".join(redact_secret(text, secret).split())[:200]


_BEARER = regexes.compile(r"(Bearer\s+)\S+", re.IGNORECASE)


def redact_secret(text: str, secret: str) -> str:
    """Providers and proxies sometimes echo the key they were sent; it must never reach our messages."""
    if secret and len(secret) >= 4:
        text = text.replace(secret, "***")
    return _BEARER.sub(r"\1***", text)


def _is_content_filter(exc: openai.APIStatusError, text: str) -> bool:
    code = str(getattr(exc, "code", "") or "").lower()
    kind = str(getattr(exc, "type", "") or "").lower()
    return code in _FILTER_CODES or kind in _FILTER_CODES or any(p in text.lower() for p in _FILTER_PHRASES)


def _doc(schema: type[BaseModel]) -> str:
    return " ".join((schema.__doc__ or schema_name(schema)).split())[:1000]


def _from_ai_message(reply: AIMessage, method: StructuredMethod | None, fallback_model: str) -> Completion:
    meta = reply.response_metadata or {}
    usage = reply.usage_metadata or {}
    text = reply.content if isinstance(reply.content, str) else str(reply.text)
    if method == "function_calling":
        # Prefer the tool arguments; a model that answered in prose still gets parsed leniently.
        if reply.tool_calls:
            text = json.dumps(reply.tool_calls[0]["args"], ensure_ascii=False)
        elif reply.invalid_tool_calls:
            text = reply.invalid_tool_calls[0].get("args") or text
    return Completion(
        text=text or "",
        finish_reason=meta.get("finish_reason"),
        prompt_tokens=int(usage.get("input_tokens") or 0),
        completion_tokens=int(usage.get("output_tokens") or 0),
        model=meta.get("model_name") or fallback_model,
    )


def _from_openai_completion(completion: Any, fallback_model: str) -> Completion:
    choice = completion.choices[0]
    usage = completion.usage
    return Completion(
        text=choice.message.content or "",
        finish_reason=choice.finish_reason,
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        model=completion.model or fallback_model,
    )
