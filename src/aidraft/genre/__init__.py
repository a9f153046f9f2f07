"""Genre knowledge as data: YAML files beside this module, validated by pydantic on load.

Fixed phrases, counters, section-title keywords, the typo lexicon, the phrase bank and the
GB/T 9704 layout live in files so that an office can extend them without touching code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel

from aidraft.errors import DataError
from aidraft.yamldata import read_yaml, validate

M = TypeVar("M", bound=BaseModel)


@cache
def raw(name: str) -> object:
    """The plain data of the bundled genre file ``name``, parsed once."""
    try:
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"bundled genre file {name} is missing", hint="reinstall aidraft") from exc
    # bundled, so trusted: libyaml's fast parser (every command reads several genre files at start-up)
    return read_yaml(text, f"bundled genre file {name}", error=DataError, trusted=True)


_models: dict[tuple[str, type[BaseModel]], BaseModel] = {}


def load(name: str, model: type[M]) -> M:
    """Load ``name`` (e.g. 'figures.yaml') from this package and validate it as ``model``; cached."""
    key = (name, model)
    if key not in _models:
        _models[key] = validate(model, raw(name), f"bundled genre file {name}", error=DataError)
    return _models[key]  # type: ignore[return-value]
