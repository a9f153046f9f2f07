"""Scripted answers for FakeChatModel that behave like real models do, well and badly.

Each is a callable of the request (queue it with ``FakeChatModel().enqueue(*[echo_prompt] * 20)``).
They read only what any request carries: labelled material lines (``N3：…``) between the fence
markers, and ``（一）…`` heading lines. Tests of the draft chain use them to show that whatever a
model does, the shipped report holds no prompt text, keeps every note, and says who wrote what.
"""

from __future__ import annotations

from typing import Any

from aidraft import regexes
from aidraft.llm.base import ChatRequest, Completion

FENCE = ("【工作笔记开始】", "【工作笔记结束】")
_LABELLED = regexes.compile(r"^\s*(N\d+)：(.+)$")
_HEADING = regexes.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)]")
_NUMBER = regexes.compile(r"\d+(?:\.\d+)?%?")


def material(request: ChatRequest) -> list[list[tuple[str, str]]]:
    """The labelled lines of the first user message, grouped by heading: [[(label, text), …], …]."""
    first = next((m.content for m in request.messages if m.role == "user"), "")
    fenced = first.split(FENCE[0], 1)[-1].split(FENCE[1], 1)[0]
    groups: list[list[tuple[str, str]]] = [[]]
    for line in fenced.splitlines():
        if _HEADING.match(line) and groups[-1]:
            groups.append([])
        elif found := _LABELLED.match(line):
            groups[-1].append((found.group(1), found.group(2).strip()))
    return [group for group in groups if group]


def _answer(groups: list[list[tuple[str, str, list[str]]]]) -> dict[str, Any]:
    return {"paragraphs": [{"sentences": [{"text": text, "notes": notes} for _, text, notes in group]}
                           for group in groups]}


def faithful(request: ChatRequest) -> dict[str, Any]:
    """A careful model: each note as a sentence, citing its label, one paragraph per heading."""
    return _answer([[(label, f"{text}。", [label]) for label, text in group] for group in material(request)])


def echo_prompt(request: ChatRequest) -> str:
    """The whole prompt back as plain text (what Gemma 3 270M did)."""
    return request.text


def echo_prompt_json(request: ChatRequest) -> dict[str, Any]:
    """Valid JSON whose sentences are the prompt's own lines, each citing every note."""
    labels = [label for group in material(request) for label, _ in group]
    lines = [line.strip() for line in request.text.splitlines() if line.strip()]
    return {"paragraphs": [{"sentences": [{"text": line, "notes": labels} for line in lines]}]}


def retry_notice(request: ChatRequest) -> dict[str, Any]:
    """The re-ask's own complaint as the section text, citing every note (the issue's 注意：… case)."""
    labels = [label for group in material(request) for label, _ in group]
    return {"paragraphs": [{"sentences": [{"text": request.user_text.replace("\n", ""), "notes": labels}]}]}


def looping(request: ChatRequest) -> Completion:
    """One sentence over and over until the length limit cuts it off."""
    unit = '{"text": "持续推进信访工作法治化建设。", "notes": []}, '
    return Completion(text='{"paragraphs": [{"sentences": [' + unit * 200, finish_reason="length")


def repeating(request: ChatRequest) -> dict[str, Any]:
    """Valid JSON, every note cited once, then the same sentence many times."""
    answer = faithful(request)
    answer["paragraphs"][0]["sentences"] += [{"text": "持续推进信访工作法治化建设。", "notes": []}] * 6
    return answer


def empty(request: ChatRequest) -> str:
    return ""


def empty_json(request: ChatRequest) -> dict[str, Any]:
    return {"paragraphs": [{"sentences": [{"text": "", "notes": []}]}]}


def english(request: ChatRequest) -> dict[str, Any]:
    """Right citations, English prose (figures kept as digits)."""
    groups = material(request)
    return _answer([[(label, "The office reported " + " and ".join(_NUMBER.findall(text) or ["progress"])
                      + " this year.", [label]) for label, text in group] for group in groups])


def _without_figures(text: str) -> str:
    """``text`` with every figure the checker sees cut out (the figure model decides, no local regex)."""
    from aidraft.figures.extract import extract_figures

    for fig in reversed(extract_figures(text)):
        text = text[: fig.start] + text[fig.end :]
    return text


def drop_figures(request: ChatRequest) -> dict[str, Any]:
    """Right citations, but every figure left out of the prose."""
    groups = material(request)
    return _answer([[(label, _without_figures(text) + "。", [label]) for label, text in group] for group in groups])


def bogus_ids(request: ChatRequest) -> dict[str, Any]:
    """Faithful prose citing note ids that do not exist (N900 …) instead of the real ones."""
    groups = material(request)
    return _answer([[(label, f"{text}。", [f"N{900 + n}"]) for n, (label, text) in enumerate(group)]
                    for group in groups])


def invented_figure(request: ChatRequest) -> dict[str, Any]:
    """Faithful, plus one sentence with a figure no note gives, cited to the first note."""
    answer = faithful(request)
    if not answer["paragraphs"]:
        return answer
    first = answer["paragraphs"][0]["sentences"][0]["notes"]
    answer["paragraphs"][0]["sentences"].append({"text": "新建调解室9个，实现乡镇全覆盖。", "notes": first})
    return answer


def prompt_labels(request: ChatRequest) -> dict[str, Any]:
    """Faithful, but the prompt's own first line (本部分标题：…) leads the first paragraph."""
    answer = faithful(request)
    first = next((m.content for m in request.messages if m.role == "user"), "").split("\n")[0]
    if answer["paragraphs"]:
        answer["paragraphs"][0]["sentences"].insert(0, {"text": first + "。", "notes": []})
    return answer


def heading_echo(request: ChatRequest) -> dict[str, Any]:
    """Faithful, with each sub-heading of the prompt written again as a sentence of its own."""
    first = next((m.content for m in request.messages if m.role == "user"), "")
    headings = [line.strip() for line in first.split(FENCE[0], 1)[-1].splitlines() if _HEADING.match(line)]
    answer = faithful(request)
    for paragraph, heading in zip(answer["paragraphs"], headings):
        paragraph["sentences"].insert(0, {"text": heading, "notes": []})
    return answer


MISBEHAVING = {
    "echo_prompt": echo_prompt, "echo_prompt_json": echo_prompt_json, "retry_notice": retry_notice,
    "looping": looping, "repeating": repeating, "empty": empty, "empty_json": empty_json, "english": english,
    "drop_figures": drop_figures, "bogus_ids": bogus_ids, "invented_figure": invented_figure,
    "prompt_labels": prompt_labels,
}
