"""PyYAML behind one function: the safe loaders, the hostile-input guards and the one-line
syntax error. Imported only when some YAML is actually read (``yamldata.read_yaml``): PyYAML's
import and its object construction were a tenth of a small job's time, and a ``check`` whose
genre files come kept parsed (``genre/parsed.py``) and whose notes have no front matter reads none.
"""

from __future__ import annotations

from typing import Any

import yaml

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


class SyntaxProblem(ValueError):
    """Why a document is not valid YAML, as one line, and the line it names (when it names one)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def parse(text: str, *, trusted: bool) -> object:
    """The YAML document in ``text``; :class:`SyntaxProblem` with one line when it is not.

    ``trusted``: a file aidraft ships, read with the fast loader; anything a user gives goes
    through the guarded one (depth and alias-expansion caps)."""
    loader = FAST_SAFE_LOADER if trusted else _GuardedLoader
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe loaders
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SyntaxProblem(_syntax_error(exc), None if mark is None else mark.line + 1) from None
