"""Providers write drafts: `openai` through any OpenAI-compatible endpoint, `library` offline
from the knowledge base alone."""

from angleforge.providers.base import Provider, ProviderError

__all__ = ["Provider", "ProviderError"]
