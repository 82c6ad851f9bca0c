"""The reply cache: a wrapper that keeps a provider's replies in the store.

A model's reply costs tokens and time; asked the same again (a re-run, a resumed run), the
store answers instead. Any provider that says what shapes its replies (`cache_key`) can be
wrapped; the provider itself never sees the store.
"""

from __future__ import annotations

from angleforge.drafts import Completion, DraftReply, DraftRequest
from angleforge.providers.base import Answer, CacheableProvider, R
from angleforge.store import Store


class CachedProvider:
    """`provider`, with each draft reply kept in `store` under the provider's cache key."""

    def __init__(self, provider: CacheableProvider, store: Store) -> None:
        self._provider = provider
        self._store = store
        self.name = provider.name
        self.model = provider.model
        self.offline = provider.offline

    async def complete(self, request: DraftRequest) -> Completion:
        key = self._provider.cache_key(request)
        if (raw := self._store.cached_reply(key)) is not None:
            # a cached reply costs nothing: no tokens are spent again
            return Completion(reply=DraftReply.model_validate_json(raw), raw=raw, cached=True)
        completion = await self._provider.complete(request)
        usage = completion.usage
        self._store.cache_reply(key, self.model, completion.raw, usage.prompt_tokens, usage.completion_tokens)
        return completion

    async def ask(self, messages: list[dict[str, str]], reply_type: type[R], seed: int) -> Answer[R]:
        # answers to free messages (the judge's) are scores of the moment, not drafts to keep
        return await self._provider.ask(messages, reply_type, seed)

    async def aclose(self) -> None:
        await self._provider.aclose()
