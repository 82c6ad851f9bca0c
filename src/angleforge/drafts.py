"""What a provider is asked for and what it gives back.

`DraftReply` is the JSON the model must return; its JSON schema is sent as the
`response_format`, and every reply is validated against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from angleforge.angles import Angle, Format
from angleforge.guardrail import Finding
from angleforge.retrieval import Fact


class DraftReply(BaseModel):
    """A draft as the model writes it: its posts, in order.

    The guardrail judges every figure against the knowledge base itself, so the model is not
    asked which facts it used: an answer no check relied on would only cost tokens."""

    model_config = ConfigDict(extra="forbid")

    # how many posts a format takes is a rule of the format (`formats`), checked and repaired there
    posts: list[str] = Field(min_length=1, description="the posts, in order")


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema for a strict `response_format`: every property required, nothing
    extra, no length bounds (strict mode refuses them; pydantic checks them on the reply)."""
    schema = model.model_json_schema()
    schema["required"] = list(schema["properties"])
    for prop in schema["properties"].values():
        for bound in ("minItems", "maxItems", "minimum", "maximum"):
            prop.pop(bound, None)
    return schema


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftRequest:
    """Everything a provider may use to write one draft (or to repair one)."""

    angle: Angle
    format: Format
    facts: list[Fact]
    messages: list[dict[str, str]]  # the rendered system and user prompts
    seed: int
    variant: int = 0  # which of the run's drafts on this angle and format it is, from 0
    rejected: list[Finding] = field(default_factory=list)  # for a repair: what the guardrail refused
    previous: list[str] = field(default_factory=list)  # for a repair: the posts refused


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    """A provider's answer: the validated draft and what it cost."""

    reply: DraftReply
    raw: str
    usage: Usage = Usage()
    cost: float = 0.0
    latency: float = 0.0  # seconds spent waiting for the provider
    cached: bool = False
    retries: int = 0
