"""Prompt templates as reviewable YAML files (``prompts/<name>.yaml``), rendered with Jinja2.

Prompts live in files rather than code so that wording changes show up as diffs a drafter can
review, and every file carries a ``version`` the run log records (it also feeds the response
cache key through ``Message.prompt``). Rendering is strict: a missing variable is a DataError
naming the template and the variable, never a silently empty hole in a government report.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator

from aidraft import regexes
from aidraft.errors import DataError
from aidraft.llm.base import Message
from aidraft.settings import Settings
from aidraft.yamldata import load_yaml

_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_UNDEFINED_NAME = regexes.compile(r"'([^']+)' is undefined")
_NAME = regexes.compile(r"[A-Za-z0-9_\-]+")


class PromptTemplate(BaseModel):
    """One prompt file. ``variables``, when given, must list every variable the text uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    description: str = ""
    system: str = ""
    user: str
    variables: list[str] | None = None

    _compiled: dict[str, jinja2.Template] = PrivateAttr(default_factory=dict)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) else value

    def model_post_init(self, context: Any, /) -> None:
        used: set[str] = set()
        for part in ("system", "user"):
            source = getattr(self, part)
            try:
                used |= meta.find_undeclared_variables(_ENV.parse(source))
                self._compiled[part] = _ENV.from_string(source)
            except jinja2.TemplateSyntaxError as exc:
                raise DataError(f"prompt {self.name}: Jinja syntax error in {part} line {exc.lineno}: {exc.message}")
        if self.variables is not None and (undeclared := sorted(used - set(self.variables))):
            raise DataError(f"prompt {self.name} uses undeclared variables: {', '.join(undeclared)}")

    @property
    def prompt_id(self) -> str:
        """``name@version``: what run logs and cache keys record."""
        return f"{self.name}@{self.version}"

    def render(self, **variables: Any) -> list[Message]:
        """System (if any) and user messages; a missing variable raises DataError."""
        messages: list[Message] = []
        for role in ("system", "user"):
            if role == "system" and not self.system.strip():
                continue
            try:
                text = self._compiled[role].render(**variables).strip()
            except jinja2.UndefinedError as exc:
                found = _UNDEFINED_NAME.search(str(exc))
                missing = found.group(1) if found else str(exc)
                raise DataError(
                    f"prompt {self.name} needs variable {missing!r}",
                    hint=f"pass {missing}=... to render()",
                ) from None
            messages.append(Message(role=role, content=text, prompt=self.prompt_id))
        return messages


def prompts_dir(settings: Settings | None = None) -> Path:
    """Settings.prompts_dir, else the installed package's copy, else the repo's ``prompts/``."""
    if settings is not None and settings.prompts_dir is not None:
        return Path(settings.prompts_dir)
    packaged = resources.files("aidraft").joinpath("prompts")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "prompts"


def load_prompt(name: str, *, settings: Settings | None = None) -> PromptTemplate:
    """Read ``<prompts_dir>/<name>.yaml``; every problem is a DataError naming the file."""
    if not _NAME.fullmatch(name):
        raise DataError(f"invalid prompt name {name!r}")
    path = prompts_dir(settings) / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"prompt file not found: {path}", hint="check the name or AIDRAFT_PROMPTS_DIR") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read prompt file {path}: {exc}") from exc
    template = load_yaml(text, PromptTemplate, f"prompt file {path}", error=DataError)
    if template.name != name:
        raise DataError(f"prompt file {path} says name {template.name!r}; it must match the file name")
    return template


def list_prompts(settings: Settings | None = None) -> list[str]:
    folder = prompts_dir(settings)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
