"""Prompt text in a model's answer: our own markers, note labels (笔记3, N3), code fences, or a long
run of characters copied from the instructions we sent.

A small model that echoes its prompt produces text that passes every figure check (the figures
are the notes' own), so leaks are found by comparing the answer with what we sent, not by looking
for figures. What we sent as material (notes, headings, the office name, example paragraphs) may
be repeated; only the instruction text around it may not.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from aidraft import regexes
from aidraft.llm.base import Message

#: Our own delimiters and the labels we give notes in prompts: never report text.
MARKERS = ("【工作笔记开始】", "【工作笔记结束】", "【笔记", "<<<", ">>>", "```", "【范例", "【待写")
LABEL = regexes.compile(r"笔记\s*[NＮ]?\s*\d+|(?<![A-Za-z0-9])[NＮ]\d{1,4}(?![0-9A-Za-z])")
JSON_DEBRIS = regexes.compile(r'[{\[]\s*["“]|["”]\s*:\s*[\[{"“]|"(?:text|notes|paragraphs|sentences)"')
#: Characters compared when looking for copied instruction text (whitespace and punctuation apart).
WINDOW = 10
LINE_LABEL = regexes.compile(r"(?m)^[ \t]*([\u4e00-\u9fff]{2,10})[：:]")
_IGNORED = regexes.compile(r"[\s，。；：、！？,.;:!?“”\"'‘’（）()《》【】\[\]{}<>—\-…·*#]+")


class Leak(BaseModel):
    """One piece of prompt text found in an answer: what kind and the text itself (shortened)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str  # marker, label, fence, json, instruction
    text: str

    def zh(self) -> str:
        names = {"marker": "提示词中的标记", "label": "笔记编号", "json": "JSON 片段", "instruction": "写作要求原文"}
        return f"{names.get(self.kind, self.kind)}“{self.text}”"


class Instructions:
    """The instruction text of a request: every message we sent with the material cut out.
    Built once per request; :meth:`leaks` then checks any number of answers against it."""

    def __init__(self, messages: Iterable[Message], material: Iterable[str]) -> None:
        text = "\n".join(m.content for m in messages if m.role in ("system", "user"))
        for piece in sorted({m for m in material if m and len(m) >= 2}, key=len, reverse=True):
            text = text.replace(piece, "\n")
        self.windows = _windows(text)
        #: the field labels our prompts put at the start of a line (本部分标题：, 写法：, 注意：…):
        #: short, so no window catches them, and never report text
        self.labels = {m.group(1) for m in LINE_LABEL.finditer(text)}

    def label(self, answer: str) -> str | None:
        """The first of our line labels that the answer uses as a label (本部分标题：…)."""
        return next((f"{label}：" for label in sorted(self.labels) if f"{label}：" in answer or f"{label}:" in answer), None)

    def copied(self, answer: str) -> str | None:
        """The first run of WINDOW characters of ``answer`` that is also in the instructions."""
        flat = _IGNORED.sub("", answer)
        for start in range(len(flat) - WINDOW + 1):
            if flat[start : start + WINDOW] in self.windows:
                return flat[start : start + WINDOW]
        return None


def leaks(answer: str, instructions: Instructions | None = None) -> list[Leak]:
    """Every kind of prompt text in ``answer`` (at most one finding per kind)."""
    found: list[Leak] = []
    marker = next((m for m in MARKERS if m in answer), None)
    if marker is not None:
        found.append(Leak(kind="marker", text=marker))
    if label := LABEL.search(answer):
        found.append(Leak(kind="label", text=label.group(0)))
    if debris := JSON_DEBRIS.search(answer):
        found.append(Leak(kind="json", text=debris.group(0)))
    if instructions is not None and (copied := instructions.copied(answer) or instructions.label(answer)):
        found.append(Leak(kind="instruction", text=copied))
    return found


def _windows(text: str) -> set[str]:
    windows: set[str] = set()
    for part in text.split("\n"):
        flat = _IGNORED.sub("", part)
        windows.update(flat[i : i + WINDOW] for i in range(len(flat) - WINDOW + 1))
    return windows
