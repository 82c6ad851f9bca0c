"""The reply cache around any provider that names what shapes its replies."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest

from angleforge.angles import Angle
from angleforge.config import Settings
from angleforge.drafts import Completion, DraftReply, DraftRequest, Usage, strict_schema
from angleforge.evaluation.judge import Judgement
from angleforge.providers.base import Answer, ProviderError, R
from angleforge.providers.cache import CachedProvider
from angleforge.providers.openai import OpenAIProvider, make_client
from angleforge.store import Store

ANGLE = Angle(name="latency", format="post", title="Latency")


def request(seed: int, text: str = "Write a post.") -> DraftRequest:
    return DraftRequest(angle=ANGLE, format="post", facts=[], messages=[{"role": "user", "content": text}], seed=seed)


class Counting:
    """A provider that answers by seed and counts what it was asked; seed 0 fails."""

    name, model, offline = "counting", "count-1", False

    def __init__(self) -> None:
        self.asked: list[int] = []

    def cache_key(self, request: DraftRequest) -> str:
        return f"counting:{request.seed}"

    async def complete(self, request: DraftRequest) -> Completion:
        self.asked.append(request.seed)
        if request.seed == 0:
            raise ProviderError("no draft for seed 0")
        reply = DraftReply(posts=[f"Post {request.seed}."])
        return Completion(reply=reply, raw=reply.model_dump_json(), usage=Usage(10, 5), cost=0.01)

    async def ask(self, messages: list[dict[str, str]], reply_type: type[R], seed: int) -> Answer[R]:
        self.asked.append(-1)
        reply = reply_type.model_validate({"voice": 4, "persuasiveness": 3, "reason": "fine"})
        return Answer(reply=reply, raw="", usage=Usage(), seconds=0.0, tries=1)

    async def aclose(self) -> None:
        pass


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "cache.db")
    yield opened
    opened.close()


def test_a_request_asked_again_is_answered_from_the_store_at_no_cost(store):
    inner = Counting()
    cached = CachedProvider(inner, store)
    first = asyncio.run(cached.complete(request(7)))
    again = asyncio.run(cached.complete(request(7)))
    assert inner.asked == [7]
    assert (first.cached, first.cost) == (False, 0.01)
    assert (again.cached, again.cost, again.usage) == (True, 0.0, Usage())
    assert again.reply == first.reply and again.raw == first.raw
    assert store.cached_reply("counting:7") == first.raw
    assert asyncio.run(CachedProvider(Counting(), store).complete(request(7))).cached  # kept across providers


def test_another_key_asks_the_provider_and_a_failure_is_not_kept(store):
    inner = Counting()
    cached = CachedProvider(inner, store)
    asyncio.run(cached.complete(request(7)))
    asyncio.run(cached.complete(request(8)))
    for _ in range(2):
        with pytest.raises(ProviderError):
            asyncio.run(cached.complete(request(0)))
    assert inner.asked == [7, 8, 0, 0]
    assert store.cached_reply("counting:0") is None


def test_structured_answers_pass_through_uncached(store):
    inner = Counting()
    cached = CachedProvider(inner, store)
    for _ in range(2):
        answer = asyncio.run(cached.ask([{"role": "user", "content": "Judge."}], Judgement, seed=0))
        assert answer.reply.voice == 4
    assert inner.asked == [-1, -1]
    assert (cached.name, cached.model, cached.offline) == ("counting", "count-1", False)


def test_the_openai_key_is_the_hash_of_everything_that_shapes_a_reply():
    """Stores written before the cache became a wrapper keep answering: the key is unchanged."""
    settings = Settings()
    client = make_client(api_key="sk-x", base_url="http://127.0.0.1:9/v1", timeout=1.0)
    provider = OpenAIProvider(model="gpt-x", settings=settings, client=client)
    shape = {
        "endpoint": "http://127.0.0.1:9/v1/",
        "model": "gpt-x",
        "messages": request(3).messages,
        "schema": strict_schema(DraftReply),
        "temperature": settings.generate.temperature,
        "seed": 3,
    }
    expected = hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()
    assert provider.cache_key(request(3)) == expected
    assert provider.cache_key(request(4)) != expected
    asyncio.run(provider.aclose())
