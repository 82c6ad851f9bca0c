"""Providers by name: the registry, the endpoint resolved once, the choice and its reason."""

from __future__ import annotations

import asyncio

import pytest

from angleforge.config import GenerateSettings, Settings
from angleforge.errors import UsageError
from angleforge.evaluation.judge import Judgement
from angleforge.knowledge import KnowledgeBase
from angleforge.providers.base import ProviderError
from angleforge.providers.cache import CachedProvider
from angleforge.providers.library import LibraryProvider
from angleforge.providers.openai import OpenAIProvider
from angleforge.providers.registry import NAMES, Endpoint, build, choose
from angleforge.store import Store

SETTINGS = Settings(generate=GenerateSettings(model="from-settings"))
KEY = "sk-registry-SECRET-1"


def endpoint(**given: str | None) -> Endpoint:
    return Endpoint(**{"api_key": None, "base_url": None, "model": "m", **given})  # type: ignore[arg-type]


def test_an_unknown_provider_is_an_error_naming_the_known_ones(seed_kb: KnowledgeBase):
    with pytest.raises(UsageError, match=r"unknown provider 'openia' \(providers: library, openai\)"):
        build("openia", kb=seed_kb, settings=SETTINGS, endpoint=endpoint(api_key=KEY))
    assert NAMES == ("library", "openai")


def test_the_library_provider_needs_no_endpoint(seed_kb: KnowledgeBase):
    provider = build("library", kb=seed_kb, settings=SETTINGS, endpoint=endpoint())
    assert isinstance(provider, LibraryProvider) and provider.offline


def test_openai_without_a_key_or_url_is_a_usage_error(seed_kb: KnowledgeBase):
    with pytest.raises(UsageError, match="--provider openai needs OPENAI_API_KEY"):
        build("openai", kb=seed_kb, settings=SETTINGS, endpoint=endpoint())


def test_openai_is_behind_the_reply_cache_only_when_given_a_store(seed_kb: KnowledgeBase, tmp_path):
    local = endpoint(base_url="http://127.0.0.1:9/v1", model="local-model")
    plain = build("openai", kb=seed_kb, settings=SETTINGS, endpoint=local)
    store = Store.open(tmp_path / "s.db")
    cached = build("openai", kb=seed_kb, settings=SETTINGS, endpoint=local, cache=store)
    assert isinstance(plain, OpenAIProvider) and plain.model == "local-model"
    assert isinstance(cached, CachedProvider) and (cached.name, cached.model) == ("openai", "local-model")
    asyncio.run(plain.aclose())
    asyncio.run(cached.aclose())
    store.close()


def test_the_endpoint_takes_the_options_over_the_environment_over_the_settings():
    environ = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://env/v1"}
    assert Endpoint.from_env(environ, settings=SETTINGS) == Endpoint(
        api_key=KEY, base_url="http://env/v1", model="from-settings"
    )
    given = Endpoint.from_env(environ, base_url="http://flag/v1", model="from-flag", settings=SETTINGS)
    assert (given.base_url, given.model) == ("http://flag/v1", "from-flag")
    empty = Endpoint.from_env({"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}, settings=SETTINGS)
    assert (empty.api_key, empty.base_url, empty.configured) == (None, None, False)


def test_the_endpoint_never_shows_its_key():
    assert KEY not in repr(endpoint(api_key=KEY)) and KEY not in str(endpoint(api_key=KEY))


def test_provider_choice_follows_the_environment():
    assert choose(None, {}) == (
        "library",
        "neither OPENAI_API_KEY nor OPENAI_BASE_URL is set; composing offline from the knowledge base",
    )
    assert choose(None, {"OPENAI_API_KEY": "sk-x"}) == ("openai", "OPENAI_API_KEY is set")
    assert choose(None, {"OPENAI_BASE_URL": "http://127.0.0.1:8000/v1"}) == ("openai", "OPENAI_BASE_URL is set")
    assert choose("library", {"OPENAI_API_KEY": "sk-x"}) == ("library", "--provider library")


def test_the_library_provider_refuses_a_structured_question(seed_kb: KnowledgeBase):
    provider = LibraryProvider(seed_kb)
    with pytest.raises(ProviderError, match="a Judgement answer needs a model provider"):
        asyncio.run(provider.ask([{"role": "user", "content": "Score this draft."}], Judgement, seed=0))
