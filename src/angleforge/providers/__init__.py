"""Providers write drafts: `openai` through any OpenAI-compatible endpoint, `library` offline
from the knowledge base alone. `registry` builds them by name; `base` is the protocol they keep.

This package imports nothing itself, so the command-line parser can list the registry's names
without loading a provider.
"""
