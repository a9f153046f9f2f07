"""The message catalogue: every sentence a person reads, in Chinese and English, from data files.

Text lives in ``genre/messages_zh.yaml`` and ``genre/messages_en.yaml`` as ``key: template``
with ``{name}`` parameters. Code names a message by key (``text("check.contradicted", other=…)``)
or carries it unrendered as a :class:`Msg` (errors raised deep in the pipeline), so the language
is chosen where the text is shown: the web page and documents in Chinese, the CLI by
``AIDRAFT_LANG`` or the locale (see ``Settings.ui_lang``).
"""

# no `from __future__ import annotations`: see aidraft.strict

import string
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, RootModel

from aidraft import genre
from aidraft.errors import AidraftError

Lang = Literal["zh", "en"]
#: The language of documents, check notes and the web page, whatever the CLI speaks.
DOC_LANG: Lang = "zh"
_current: list[Lang] = []  # the process's CLI language once the command line has chosen it


class Catalogue(RootModel[dict[str, str]]):
    """One language's templates by key."""


class Both(BaseModel):
    """A sentence rendered in both languages when it is made. For what outlives the run that made
    it and is shown in either: a skipped file's reason is Chinese on the web page and in the
    digest record, and in the CLI's language on screen."""

    # built when first made (it and Msg): a run without an error or a skipped file makes none
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    zh: str
    en: str

    def render(self, lang: Lang | None = None) -> str:
        return self.zh if (lang or language()) == "zh" else self.en

    def __str__(self) -> str:
        return self.render()


class Msg(BaseModel):
    """A message not yet rendered: a key and its parameters (kept as text, so errors pickle)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    key: str
    params: dict[str, str | Both] = {}

    def render(self, lang: Lang | None = None) -> str:
        return text(self.key, lang, **{k: v.render(lang) if isinstance(v, Both) else v for k, v in self.params.items()})

    def in_chinese(self, lang: Lang | None = None) -> bool:
        """Whether it renders in Chinese: ``lang``, else the process language."""
        return (lang or language()) == "zh"

    def __str__(self) -> str:
        return self.render()


def catalogue(lang: Lang) -> dict[str, str]:
    return genre.load(f"messages_{lang}.yaml", Catalogue).root


def set_language(lang: Lang) -> None:
    """The CLI's choice for this process (``aidraft`` sets it from Settings at start)."""
    _current[:] = [lang]


def language_from_env(env: Mapping[str, str]) -> Lang:
    """The CLI's language: AIDRAFT_LANG, else Chinese where the locale (LC_ALL, LC_MESSAGES,
    LANG, first one set) is zh, else English. Settings.ui_lang applies the same rule."""
    chosen = env.get("AIDRAFT_LANG", "").strip().lower()
    if chosen in ("zh", "en"):
        return chosen  # type: ignore[return-value]
    locale = next((v for n in ("LC_ALL", "LC_MESSAGES", "LANG") if (v := env.get(n, ""))), "")
    return "zh" if locale.lower().startswith("zh") else "en"


def language() -> Lang:
    return _current[0] if _current else DOC_LANG


def text(key: str, lang: Lang | None = None, /, **params: object) -> str:
    """The message ``key`` in ``lang`` (default: the process language) with ``params`` filled in.

    A key missing from one language falls back to the other, then to the key itself, so a gap
    in a catalogue shows up as an odd word on screen rather than a crash mid-report.
    """
    return template(key, lang).format_map({k: str(v) for k, v in params.items()})


def template(key: str, lang: Lang | None = None) -> str:
    """The unfilled template of ``key``, with the fallbacks of :func:`text`."""
    chosen = lang or language()
    return catalogue(chosen).get(key) or catalogue("en" if chosen == "zh" else "zh").get(key) or key


def msg(key: str, /, **params: object) -> Msg:
    return Msg(key=key, params={k: v if isinstance(v, Both) else str(v) for k, v in params.items()})


def both(key: str, /, **params: object) -> Both:
    """The message ``key`` in both languages (a :class:`Both` parameter in its own language)."""
    return Both(zh=msg(key, **params).render("zh"), en=msg(key, **params).render("en"))


def of_error(exc: AidraftError) -> Both:
    """An error's one line in both languages (a skipped file's reason)."""
    return Both(zh=exc.one_line("zh"), en=exc.one_line("en"))


def joined(parts: Iterable[Both]) -> Both:
    """Several sentences as one, each language with its own separator."""
    listed = list(parts)
    return Both(zh="；".join(p.zh for p in listed), en="; ".join(p.en for p in listed))


def placeholders(template: str) -> set[str]:
    """The ``{name}`` parameters a template uses (the catalogue test compares languages by them)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


__all__ = ["DOC_LANG", "Both", "Lang", "Msg", "both", "catalogue", "joined", "language", "language_from_env", "msg", "of_error", "placeholders", "set_language", "template", "text"]
