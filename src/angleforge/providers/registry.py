"""Which provider a run uses, and how it is built.

A registry maps each provider's name to the factory that builds it; an unknown name is an
error, never a fallback. The endpoint a model provider talks to (key, base URL, model) is
resolved once from the environment and the options (`Endpoint.from_env`), and without a
`--provider` the same environment chooses one (`choose`).

This module imports no provider: the command-line parser reads `NAMES` from it, and
`angleforge check` must not pay for the model client.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from angleforge.errors import UsageError

if TYPE_CHECKING:
    import httpx

    from angleforge.config import Settings
    from angleforge.knowledge import KnowledgeBase
    from angleforge.providers.base import Provider
    from angleforge.store import Store

KEY_VARIABLE = "OPENAI_API_KEY"
URL_VARIABLE = "OPENAI_BASE_URL"


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """An OpenAI-compatible endpoint. The key is left out of the repr: it must not reach a
    log, an error or a report."""

    api_key: str | None = field(repr=False)
    base_url: str | None  # None: the SDK's default, api.openai.com
    model: str

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str],
        *,
        base_url: str | None = None,
        model: str | None = None,
        settings: Settings,
    ) -> Endpoint:
        """The key from $OPENAI_API_KEY; `base_url` (--base-url), else $OPENAI_BASE_URL;
        `model` (--model), else the settings' model. An empty variable counts as unset."""
        return cls(
            api_key=environ.get(KEY_VARIABLE) or None,
            base_url=base_url or environ.get(URL_VARIABLE) or None,
            model=model or settings.generate.model,
        )

    @property
    def configured(self) -> bool:
        """Whether there is an endpoint to call: a key for the default one, or a URL (a local
        server needs no key)."""
        return self.api_key is not None or self.base_url is not None


class Choice(NamedTuple):
    name: str
    reason: str  # one line telling the user why this provider


def choose(requested: str | None, environ: Mapping[str, str] = os.environ) -> Choice:
    """The provider asked for, else `openai` where the environment names an endpoint, else
    the offline `library`."""
    if requested is not None:
        return Choice(requested, f"--provider {requested}")
    for variable in (KEY_VARIABLE, URL_VARIABLE):
        if environ.get(variable):
            return Choice("openai", f"{variable} is set")
    return Choice(
        "library",
        f"neither {KEY_VARIABLE} nor {URL_VARIABLE} is set; composing offline from the knowledge base",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderInputs:
    """What a factory may build its provider from."""

    kb: KnowledgeBase
    settings: Settings
    endpoint: Endpoint
    cache: Store | None = None  # where replies are kept; None asks the provider every time
    http_client: httpx.AsyncClient | None = None  # a transport swapped in: recorded replies, test mocks


Factory = Callable[[ProviderInputs], "Provider"]


def _library(inputs: ProviderInputs) -> Provider:
    from angleforge.providers.library import LibraryProvider

    # its drafts cost nothing and follow from the request's facts, not its messages: no cache
    return LibraryProvider(inputs.kb)


def _openai(inputs: ProviderInputs) -> Provider:
    endpoint = inputs.endpoint
    if not endpoint.configured:
        raise UsageError(f"--provider openai needs {KEY_VARIABLE} (or {URL_VARIABLE} / --base-url for a local server)")
    from angleforge.providers.cache import CachedProvider
    from angleforge.providers.openai import OpenAIProvider, make_client

    timeout = inputs.settings.generate.timeout
    client = make_client(
        api_key=endpoint.api_key, base_url=endpoint.base_url, timeout=timeout, http_client=inputs.http_client
    )
    provider = OpenAIProvider(model=endpoint.model, settings=inputs.settings, client=client)
    return provider if inputs.cache is None else CachedProvider(provider, inputs.cache)


FACTORIES: Mapping[str, Factory] = {"library": _library, "openai": _openai}
NAMES: tuple[str, ...] = tuple(FACTORIES)


def build(
    name: str,
    *,
    kb: KnowledgeBase,
    settings: Settings,
    endpoint: Endpoint,
    cache: Store | None = None,
    http_client: httpx.AsyncClient | None = None,
) -> Provider:
    """The provider registered as `name`, built for this knowledge base and endpoint."""
    factory = FACTORIES.get(name)
    if factory is None:
        raise UsageError(f"unknown provider '{name}' (providers: {', '.join(NAMES)})")
    inputs = ProviderInputs(kb=kb, settings=settings, endpoint=endpoint, cache=cache, http_client=http_client)
    return factory(inputs)
