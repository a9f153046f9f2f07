"""YAML into pydantic, the one way: genre files, presets, prompts, eval cases and config, notes
front matter. One loader and one error format, so every bad file reads the same:
``WHERE: not valid YAML at line N: …``, ``WHERE: must be a YAML mapping``, or
``WHERE: field 'a.b': message``.

Users hand us YAML (notes front matter, eval cases, prompt folders), so hostile YAML is a
one-line error, never a traceback or a hang: only the safe tags load (no python/* objects),
nesting deeper than MAX_DEPTH is refused while composing (before any recursion limit), and a
document whose aliases expand past MAX_NODES nodes (a "billion laughs" bomb) is refused before
anything walks it.
"""

from __future__ import annotations

from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from aidraft.errors import AidraftError, InputError

M = TypeVar("M", bound=BaseModel)

MAX_DEPTH = 64  # no real case, config or front matter nests more than a handful of levels
MAX_NODES = 200_000  # nodes after expanding aliases: far above the largest real file


class _Hostile(yaml.YAMLError):
    """A document refused before use; ``problem_mark`` (when known) places it like a syntax error."""

    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.problem_mark = mark


class _GuardedLoader(yaml.SafeLoader):
    """The safe loader with a depth cap while composing and an expansion cap after it."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _Hostile(f"nested deeper than {MAX_DEPTH} levels at line {mark.line + 1}", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node


def _check_expansion(root: yaml.Node) -> None:
    """Count nodes as a consumer will see them (an aliased node once per reference), memoised
    per node, so the count itself costs time linear in the document."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a recursive alias (&a [*a]) counts once instead of looping
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        if total > MAX_NODES:
            raise _Hostile(f"its aliases expand to more than {MAX_NODES} nodes")
        sizes[key] = total
        return total

    size(root)


def _syntax_error(exc: yaml.YAMLError) -> str:
    """A YAML error as one line: its problem and line, without PyYAML's source excerpt."""
    if isinstance(exc, _Hostile):
        return str(exc)
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"not valid YAML{f' at line {mark.line + 1}' if mark is not None else ''}: {problem}"


#: libyaml's parser when PyYAML was built with it: the same safe schema, ~10x faster than pure
#: Python, for the files aidraft ships (every command reads several genre files at start-up).
FAST_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str, where: str, *, error: type[AidraftError] = InputError, line_offset: int = 0,
              trusted: bool = False) -> object:
    """The YAML document in ``text`` as plain data; ``where`` names it in the error.

    ``line_offset`` is added to reported lines (front matter starts below its ``---``).
    ``trusted``: a file aidraft ships, read with the fast loader; anything a user gives goes
    through the guarded one (depth and alias-expansion caps)."""
    loader = FAST_SAFE_LOADER if trusted else _GuardedLoader
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe loaders
    except yaml.YAMLError as exc:
        message = _syntax_error(exc)
        if line_offset:
            mark = getattr(exc, "problem_mark", None)
            if mark is not None:
                message = message.replace(f"at line {mark.line + 1}", f"at line {mark.line + 1 + line_offset}")
        raise error(f"{where}: {message}") from None
    except RecursionError:
        raise error(f"{where}: not valid YAML: nested too deeply") from None


def field_error(exc: ValidationError) -> str:
    """The first problem of a validation error, the one way: ``field 'a.b': message``."""
    first = exc.errors()[0]
    loc = ".".join(str(part) for part in first["loc"]) or "(root)"
    more = len(exc.errors()) - 1
    return f"field '{loc}': {first['msg']}" + (f" (and {more} more)" if more else "")


def validate(model: type[M], data: object, where: str, *, error: type[AidraftError] = InputError,
             hint: str | None = None) -> M:
    """``data`` as ``model``; a ValidationError becomes one ``error`` line naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(f"{where}: {field_error(exc)}", hint=hint) from None
    except RecursionError:
        raise error(f"{where}: nested too deeply", hint=hint) from None


def mapping(data: object, where: str, *, error: type[AidraftError] = InputError, hint: str | None = None,
            empty_ok: bool = False) -> dict[str, Any]:
    """``data`` when it is a mapping (``None`` too, as ``{}``, when ``empty_ok``), else one error line."""
    if data is None and empty_ok:
        return {}
    if not isinstance(data, dict):
        raise error(f"{where}: must be a YAML mapping", hint=hint)
    return data


def load_yaml(text: str, model: type[M], where: str, *, error: type[AidraftError] = InputError,
              hint: str | None = None, empty_ok: bool = False, line_offset: int = 0) -> M:
    """Parse ``text`` as one YAML mapping and validate it as ``model``: the whole loader."""
    data = mapping(read_yaml(text, where, error=error, line_offset=line_offset), where, error=error, hint=hint,
                   empty_ok=empty_ok)
    return validate(model, data, where, error=error, hint=hint)
