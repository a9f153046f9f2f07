"""Optional LLM rubric judge: register, coherence and faithfulness, 1–5 each, with reasons.

The deterministic metrics measure what can be counted; the judge reads the way a reviewer does.
Its calls go through the response cache (CachedChatModel from Settings.chat_model), so rerunning a
suite costs nothing for outputs that did not change.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from aidraft.evals.results import JudgeResult, JudgeScore
from aidraft.llm.base import ChatModel, ChatRequest, Completion, WrappingChatModel
from aidraft.llm.structured import complete_structured
from aidraft.prompts import load_prompt
from aidraft.settings import Settings
from aidraft.strict import Strict

CRITERIA = ("register", "coherence", "faithfulness")
MAX_SOURCE_CHARS = 12000  # keeps a digest's sources inside an ordinary context window
KIND_LABELS = {"draft": "法治政府建设情况报告初稿", "digest": "多份报告的汇总稿"}


class Criterion(Strict):
    score: int = Field(ge=1, le=5)
    reason: str


class JudgeVerdict(BaseModel):
    """The judge's answer; ``register`` is spelt with an alias (BaseModel's ABC has a register())."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    register_: Criterion = Field(alias="register")
    coherence: Criterion
    faithfulness: Criterion

    def criterion(self, name: str) -> Criterion:
        return self.register_ if name == "register" else getattr(self, name)


class _Recording(WrappingChatModel):
    """Passes calls through and remembers each answer, for token counts and cache hits."""

    def __init__(self, inner: ChatModel) -> None:
        super().__init__(inner)
        self.answers: list[Completion] = []

    def ask(self, request: ChatRequest) -> Completion:
        answer = self.inner.ask(request)
        self.answers.append(answer)
        return answer


class Judge:
    """Scores outputs with one chat model and the eval_judge prompt."""

    def __init__(self, model: ChatModel, settings: Settings | None = None) -> None:
        self.model = model
        self.prompt = load_prompt("eval_judge", settings=settings)

    @property
    def name(self) -> str:
        return self.model.identity.get("model", "") or self.model.endpoint_id

    def score(self, kind: str, sources: list[str], output: str) -> JudgeResult:
        joined = "\n\n".join(sources)
        if len(joined) > MAX_SOURCE_CHARS:
            joined = joined[:MAX_SOURCE_CHARS] + "\n（以下从略）"
        messages = self.prompt.render(kind_label=KIND_LABELS.get(kind, kind), sources=joined, output=output)
        recorder = _Recording(self.model)
        verdict = complete_structured(recorder, messages, JudgeVerdict)
        return JudgeResult(
            model=self.name,
            prompt=self.prompt.prompt_id,
            scores=[
                JudgeScore(criterion=c, score=verdict.criterion(c).score, reason=verdict.criterion(c).reason)
                for c in CRITERIA
            ],
            cached=bool(recorder.answers) and all(a.cached for a in recorder.answers),
            prompt_tokens=sum(a.prompt_tokens for a in recorder.answers if not a.cached),
            completion_tokens=sum(a.completion_tokens for a in recorder.answers if not a.cached),
        )


def make_judge(settings: Settings) -> Judge:
    """A judge over the configured endpoint (cached unless --no-cache); ConfigError when incomplete."""
    model = settings.chat_model()
    if model is None:
        from aidraft.errors import ConfigError

        raise ConfigError("the judge needs a model endpoint", hint="set judge.preset or judge.base_url")
    return Judge(model, settings)
