"""Structured output: get a validated pydantic object out of any chat endpoint.

Endpoints differ in what they accept (OpenAI: json_schema; DeepSeek: json_object; GLM: tools
with tool_choice=auto …), so we try the endpoint's methods in order and remember, on the model
itself (ChatModel.remember_method), the first one it accepted. Whatever the method, we parse and validate the text ourselves and,
like instructor, send validation errors back to the model for another try.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from aidraft import regexes
from aidraft.llm.base import (
    STRUCTURED_METHODS,
    ChatModel,
    Completion,
    Message,
    ModelOutputError,
    StructuredMethod,
    StructuredOutputUnsupported,
    schema_name,
)
from aidraft.messages import msg

T = TypeVar("T", bound=BaseModel)

PROBLEM_LINE_MAX = 160  # characters of one validation problem: field path and message, never the answer
_THINK = regexes.compile(r"<think>.*?</think>", re.DOTALL)
_FENCE = regexes.compile(r"```[ \t]*(?:json|JSON|json5)?[ \t]*\n?(.*?)```", re.DOTALL)


def complete_structured(
    model: ChatModel,
    messages: list[Message],
    schema: type[T],
    *,
    methods: Sequence[str] | None = None,
    max_attempts: int = 3,
    max_tokens: int | None = None,
    fresh: bool = False,
    answers: list[Completion] | None = None,
) -> T:
    """Ask ``model`` for a ``schema`` instance; raise ModelOutputError after ``max_attempts``.
    ``fresh`` asks past the cache; ``answers`` collects every completion received (whether one came
    from the cache tells a caller that rejects it to ask again fresh)."""
    order = _order(model, methods if methods is not None else model.structured_methods)
    rejected: StructuredOutputUnsupported | None = None
    for method in order:
        try:
            return _ask(model, messages, schema, method, max_attempts, max_tokens, fresh, answers)
        except StructuredOutputUnsupported as exc:
            rejected = exc
            if model.remembered_method() == method:
                model.remember_method(None)
    assert rejected is not None
    raise StructuredOutputUnsupported(
        msg("llm.no_method", methods=", ".join(order), schema=schema_name(schema)),
        hint=rejected.one_line(),
    )


def remembered_method(model: ChatModel) -> StructuredMethod | None:
    return model.remembered_method()


def _order(model: ChatModel, methods: Sequence[str]) -> list[StructuredMethod]:
    unknown = [m for m in methods if m not in STRUCTURED_METHODS]
    if unknown or not methods:
        raise ValueError(f"structured methods must be among {STRUCTURED_METHODS}, got {list(methods)}")
    order: list[StructuredMethod] = list(dict.fromkeys(methods))  # type: ignore[arg-type]
    known = remembered_method(model)
    if known in order:
        order.remove(known)
        order.insert(0, known)
    return order


def _ask(
    model: ChatModel,
    messages: list[Message],
    schema: type[T],
    method: StructuredMethod,
    max_attempts: int,
    max_tokens: int | None,
    fresh: bool = False,
    answers: list[Completion] | None = None,
) -> T:
    convo = _with_instructions(messages, schema, method)
    problem, last = "", ""
    for _ in range(max_attempts):
        completion = model.complete(convo, json_schema=schema, max_tokens=max_tokens, method=method, fresh=fresh)
        if answers is not None:
            answers.append(completion)
        model.remember_method(method)  # the endpoint accepted the request shape
        last = completion.text
        try:
            return parse_json_as(completion.text, schema)
        except (ValidationError, json.JSONDecodeError) as exc:
            problem = describe_error(exc, truncated=completion.truncated)
        convo = [*convo, Message.assistant(completion.text or "（空）"), Message.user(_reask(problem, schema))]
    raise ModelOutputError(
        msg("llm.invalid_json", attempts=max_attempts, schema=schema_name(schema)),
        hint=msg("llm.invalid_json.hint", problem=problem.splitlines()[0].lstrip("- ") if problem else "?"),
        last_answer=last, attempts=max_attempts, problem=problem,
    )


def extract_json(text: str) -> Any:
    """The first JSON object/array in ``text``: bare, in a code fence, or inside prose."""
    text = _THINK.sub("", text).strip()
    candidates = [m.group(1).strip() for m in _FENCE.finditer(text)] + [text]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            pass
        for start in (i for i, ch in enumerate(candidate) if ch in "{["):
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except json.JSONDecodeError:
                continue
            if isinstance(value, (dict, list)):
                return value
    if text[:1] in ("{", "["):
        json.loads(text)  # broken JSON (often truncated): raise the decoder's precise message
    raise json.JSONDecodeError("no JSON object found in the answer", text, 0)


def parse_json_as(text: str, schema: type[T]) -> T:
    return schema.model_validate(extract_json(text))


def describe_error(exc: Exception, *, truncated: bool = False) -> str:
    """The validation problem in words the model can act on (one line per problem)."""
    lines = ["- 回答在 JSON 结束前被截断（达到长度上限），请写得更简洁"] if truncated else []
    if isinstance(exc, json.JSONDecodeError):
        lines.append(f"- 不是合法的 JSON：{exc.msg}（第 {exc.lineno} 行第 {exc.colno} 列）")
    elif isinstance(exc, ValidationError):
        for err in exc.errors(include_url=False)[:10]:
            where = ".".join(str(part) for part in err["loc"]) or "(根)"
            lines.append(f"- {where}: {err['msg']}"[:PROBLEM_LINE_MAX])
    else:
        lines.append(f"- {exc}")
    return "\n".join(lines)


def _with_instructions(messages: list[Message], schema: type[BaseModel], method: StructuredMethod) -> list[Message]:
    """Tell the model how to answer; json_mode needs the schema (and the word JSON) in the prompt."""
    name = schema_name(schema)
    if method == "json_schema":
        return list(messages)
    if method == "function_calling":
        note = f"请调用工具 {name} 给出答案，参数必须是符合其定义的 JSON。"
    else:
        shape = json.dumps(schema.model_json_schema(), ensure_ascii=False)
        note = f"请只输出一个 JSON 对象，不要输出任何其他文字。它必须符合下面的 JSON Schema（{name}）：\n{shape}"
    for index, message in enumerate(messages):
        if message.role == "system":
            merged = message.model_copy(update={"content": f"{message.content.rstrip()}\n\n{note}"})
            return [*messages[:index], merged, *messages[index + 1 :]]
    return [Message.system(note), *messages]


def _reask(problem: str, schema: type[BaseModel]) -> str:
    return (
        f"上面的回答没有通过校验：\n{problem}\n"
        f"请修正后重新回答：只输出一个符合 {schema_name(schema)} 结构的 JSON 对象，不要输出其他文字。"
    )
