"""The boundary every provider keeps: one request in, one validated draft out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from angleforge.drafts import Completion, DraftRequest, Usage
from angleforge.errors import AngleforgeError

R = TypeVar("R", bound=BaseModel)


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


class EndpointRefused(ProviderError):
    """The endpoint refused the request outright (HTTP 401 or 403): a key it does not take, or
    a model it does not let this key use. Every other request of the run would be refused
    alike, so the run stops here, and the user has the configuration to fix."""

    exit_code = 2
    stops_run = True


@dataclass(frozen=True, slots=True)
class Answer(Generic[R]):
    """A structured answer to free messages, validated as its reply type."""

    reply: R
    raw: str
    usage: Usage
    seconds: float
    tries: int


class Provider(Protocol):
    name: str
    model: str
    offline: bool  # writes without a model

    async def complete(self, request: DraftRequest) -> Completion: ...

    async def ask(self, messages: list[dict[str, str]], reply_type: type[R], seed: int) -> Answer[R]:
        """An answer of `reply_type` to messages that ask for something other than a draft
        (the eval judge's rubric); a provider that cannot answer them raises ProviderError."""
        ...

    async def aclose(self) -> None: ...


class CacheableProvider(Provider, Protocol):
    """A provider whose reply to a request is fixed by what `cache_key` hashes, so a reply
    may be kept and given again (`providers.cache`)."""

    def cache_key(self, request: DraftRequest) -> str: ...
