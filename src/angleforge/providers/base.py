"""The boundary every provider keeps: one request in, one validated draft out."""

from __future__ import annotations

from typing import Protocol

from angleforge.drafts import Completion, DraftRequest, Usage
from angleforge.errors import AngleforgeError


class ProviderError(AngleforgeError):
    """A draft could not be had: retries ran out, or the model refused.

    Carries what the failed tries cost, so the store can account for them."""

    def __init__(
        self,
        message: str,
        *,
        attempts: int = 1,
        raw: str = "",
        usage: Usage | None = None,
        cost: float = 0.0,
        seconds: float = 0.0,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.raw = raw
        self.usage = usage or Usage()
        self.cost = cost
        self.seconds = seconds


class Provider(Protocol):
    name: str
    model: str
    offline: bool  # writes without a model

    async def complete(self, request: DraftRequest) -> Completion: ...

    async def aclose(self) -> None: ...
