"""Genre knowledge as data: YAML files beside this module, validated by pydantic on load.

Fixed phrases, counters, section-title keywords, the typo lexicon, the phrase bank and the
GB/T 9704 layout live in files so that an office can extend them without touching code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from aidraft.errors import DataError

M = TypeVar("M", bound=BaseModel)
#: libyaml's parser when PyYAML was built with it: same safe schema, ~10x faster than pure Python,
#: which matters because every command reads several genre files at start-up.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _raw(name: str) -> object:
    try:
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"bundled genre file {name} is missing", hint="reinstall aidraft") from exc
    try:
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise DataError(f"bundled genre file {name} is not valid YAML: {exc}") from exc


_models: dict[tuple[str, type[BaseModel]], BaseModel] = {}


def load(name: str, model: type[M]) -> M:
    """Load ``name`` (e.g. 'figures.yaml') from this package and validate it as ``model``; cached."""
    key = (name, model)
    if key not in _models:
        try:
            _models[key] = model.model_validate(_raw(name))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise DataError(f"bundled genre file {name} is malformed at {where}: {first['msg']}") from exc
    return _models[key]  # type: ignore[return-value]
