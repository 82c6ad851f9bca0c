"""An optional judge: a model scores each draft's voice and persuasiveness against a rubric
(prompts/judge.j2). Its scores are reported beside the deterministic ones and never gate."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from angleforge.evaluation.results import Score
from angleforge.evaluation.scorers import ScoredDraft
from angleforge.prompts import Prompts
from angleforge.providers.base import ProviderError
from angleforge.providers.openai import OpenAIProvider


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    voice: int = Field(ge=1, le=5)
    persuasiveness: int = Field(ge=1, le=5)
    reason: str


async def judge(drafts: list[ScoredDraft], provider: OpenAIProvider, prompts: Prompts) -> list[Score]:
    """Mean voice and persuasiveness (1-5) over the drafts the judge could score."""
    verdicts: list[Verdict] = []
    problems = 0
    for draft in drafts:
        if not draft.posts:
            continue
        rubric = prompts.render("judge", format=draft.format, posts=draft.posts)
        try:
            answer = await provider.ask([{"role": "user", "content": rubric}], Verdict, seed=0)
        except ProviderError:
            problems += 1
            continue
        verdicts.append(answer.reply)
    detail = f"judged {len(verdicts)} draft(s)" + (f", {problems} could not be judged" if problems else "")
    if not verdicts:
        return [Score(name="judge_voice", value=0.0, detail=detail, informational=True)]
    return [
        Score(
            name="judge_voice", value=sum(v.voice for v in verdicts) / len(verdicts), detail=detail, informational=True
        ),
        Score(
            name="judge_persuasiveness",
            value=sum(v.persuasiveness for v in verdicts) / len(verdicts),
            detail=detail,
            informational=True,
        ),
    ]
