"""Genre knowledge as data: YAML files beside this module, validated by pydantic on load.

Fixed phrases, counters, section-title keywords, the typo lexicon, the phrase bank and the
GB/T 9704 layout live in files so that an office can extend them without touching code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from aidraft.errors import DataError
from aidraft.genre import parsed
from aidraft.yamldata import read_yaml, validate

M = TypeVar("M", bound=BaseModel)
#: This package's folder; importlib.resources (a few imports more) only for a package in a zip.
_FOLDER = Path(__file__).parent


@cache
def raw(name: str) -> object:
    """The plain data of the bundled genre file ``name``: parsed once per process, and kept parsed
    between processes beside the bytecode (``genre/parsed.py``)."""
    source = _FOLDER / name if _FOLDER.is_dir() else resources.files(__package__).joinpath(name)
    try:
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise DataError(f"bundled genre file {name} is missing", hint="reinstall aidraft") from exc

    def parse(text: str) -> object:
        # bundled, so trusted: libyaml's fast parser
        return read_yaml(text, f"bundled genre file {name}", error=DataError, trusted=True)

    if not isinstance(source, Path):  # a package inside a zip: no folder to keep parsed files in
        return parse(data.decode("utf-8"))
    return parsed.load(source, data, parse)


_models: dict[tuple[str, type[BaseModel]], BaseModel] = {}


def load(name: str, model: type[M]) -> M:
    """Load ``name`` (e.g. 'figures.yaml') from this package and validate it as ``model``; cached."""
    key = (name, model)
    if key not in _models:
        _models[key] = validate(model, raw(name), f"bundled genre file {name}", error=DataError)
    return _models[key]  # type: ignore[return-value]
