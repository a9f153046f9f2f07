"""YAML into pydantic, the one way: genre files, presets, prompts, eval cases and config, notes
front matter. One loader and one error format, so every bad file reads the same:
``WHERE: not valid YAML at line N: …``, ``WHERE: must be a YAML mapping``, or
``WHERE: field 'a.b': message``.

Users hand us YAML (notes front matter, eval cases, prompt folders), so hostile YAML is a
one-line error, never a traceback or a hang: only the safe tags load (no python/* objects),
nesting too deep is refused while composing (before any recursion limit), and a document whose
aliases expand too far (a "billion laughs" bomb) is refused before anything walks it. The PyYAML
side lives in ``yamlparse.py``, imported only when some YAML is read.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from aidraft.errors import AidraftError, InputError

M = TypeVar("M", bound=BaseModel)


def read_yaml(text: str, where: str, *, error: type[AidraftError] = InputError, line_offset: int = 0,
              trusted: bool = False) -> object:
    """The YAML document in ``text`` as plain data; ``where`` names it in the error.

    ``line_offset`` is added to reported lines (front matter starts below its ``---``).
    ``trusted``: a file aidraft ships, read with the fast loader; anything a user gives goes
    through the guarded one (depth and alias-expansion caps)."""
    from aidraft.yamlparse import SyntaxProblem, parse  # PyYAML: imported when YAML is read

    try:
        return parse(text, trusted=trusted)
    except SyntaxProblem as exc:
        message = str(exc)
        if line_offset and exc.line is not None:
            message = message.replace(f"at line {exc.line}", f"at line {exc.line + line_offset}")
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
