"""Which provider a run uses, and why: a flag, else the environment, else the offline default."""

from __future__ import annotations

import os
from collections.abc import Mapping

from angleforge.config import Settings
from angleforge.errors import UsageError
from angleforge.knowledge import KnowledgeBase
from angleforge.providers.base import Provider
from angleforge.store import Store

KEY_VARIABLE = "OPENAI_API_KEY"
URL_VARIABLE = "OPENAI_BASE_URL"


def choose(requested: str | None, environ: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """The provider's name and one line saying why it was chosen."""
    if requested is not None:
        return requested, f"--provider {requested}"
    for variable in (KEY_VARIABLE, URL_VARIABLE):
        if environ.get(variable):
            return "openai", f"{variable} is set"
    return (
        "library",
        f"neither {KEY_VARIABLE} nor {URL_VARIABLE} is set; composing offline from the knowledge base",
    )


def build(
    name: str,
    *,
    kb: KnowledgeBase,
    settings: Settings,
    store: Store,
    model: str | None = None,
    base_url: str | None = None,
    use_cache: bool = True,
    environ: Mapping[str, str] = os.environ,
) -> Provider:
    if name == "library":
        from angleforge.providers.library import LibraryProvider

        return LibraryProvider(kb)
    from angleforge.providers.openai import OpenAIProvider, make_client

    key = environ.get(KEY_VARIABLE) or None
    url = base_url or environ.get(URL_VARIABLE) or None
    if key is None and url is None:
        raise UsageError(f"--provider openai needs {KEY_VARIABLE} (or {URL_VARIABLE} / --base-url for a local server)")
    client = make_client(api_key=key, base_url=url, timeout=settings.generate.timeout)
    return OpenAIProvider(
        model=model or settings.generate.model,
        settings=settings,
        client=client,
        store=store,
        use_cache=use_cache,
    )
