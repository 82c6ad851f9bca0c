"""An optional judge: a model scores each draft's voice and persuasiveness against a rubric
(prompts/judge.j2). Its scores are reported beside the deterministic ones and never gate."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from angleforge.evaluation.results import Score
from angleforge.evaluation.scorers import ScoredDraft
from angleforge.prompts import Prompts
from angleforge.providers.base import Provider, ProviderError


class Judgement(BaseModel):
    """The judge's scores of one draft, as the model must return them."""

    model_config = ConfigDict(extra="forbid")

    voice: int = Field(ge=1, le=5)
    persuasiveness: int = Field(ge=1, le=5)
    reason: str


async def judge(drafts: list[ScoredDraft], provider: Provider, prompts: Prompts) -> list[Score]:
    """Mean voice and persuasiveness (1-5) over the drafts the judge could score."""
    judgements: list[Judgement] = []
    problems = 0
    for draft in drafts:
        if not draft.posts:
            continue
        rubric = prompts.render("judge", format=draft.format, posts=draft.posts)
        try:
            answer = await provider.ask([{"role": "user", "content": rubric}], Judgement, seed=0)
        except ProviderError as error:
            if error.stops_run:  # a refused key would be refused for every draft
                raise
            problems += 1
            continue
        judgements.append(answer.reply)
    detail = f"judged {len(judgements)} draft(s)" + (f", {problems} could not be judged" if problems else "")
    if not judgements:
        return [Score(name="judge_voice", value=0.0, detail=detail, informational=True)]
    return [
        Score(
            name="judge_voice",
            value=sum(j.voice for j in judgements) / len(judgements),
            detail=detail,
            informational=True,
        ),
        Score(
            name="judge_persuasiveness",
            value=sum(j.persuasiveness for j in judgements) / len(judgements),
            detail=detail,
            informational=True,
        ),
    ]
