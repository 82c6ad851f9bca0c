"""Workspace settings, from `angleforge.toml` at the workspace root (all optional)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from angleforge.errors import InputError
from angleforge.limits import MAX_CONCURRENCY, MAX_REPAIRS

CONFIG_FILE = "angleforge.toml"


class Price(BaseModel):
    """US dollars per million tokens."""

    model_config = ConfigDict(extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)


class GenerateSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = "gpt-4o-mini"
    temperature: float = Field(default=0.7, ge=0, le=2)
    timeout: float = Field(default=60.0, gt=0, description="seconds per request")
    concurrency: int = Field(default=8, ge=1, le=MAX_CONCURRENCY)
    max_repairs: int = Field(default=2, ge=0, le=MAX_REPAIRS)
    attempts: int = Field(default=4, ge=1, le=20, description="tries per request, the first included")
    max_wait: float = Field(default=30.0, gt=0, description="longest wait between tries, seconds")
    facts: int = Field(default=12, ge=1, le=40, description="facts a prompt carries")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generate: GenerateSettings = GenerateSettings()
    prices: dict[str, Price] = Field(default_factory=dict)

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int) -> float:
        price = self.prices.get(model)
        if price is None:
            return 0.0
        return (prompt_tokens * price.input + completion_tokens * price.output) / 1_000_000


def load_settings(root: Path) -> Settings:
    path = root / CONFIG_FILE
    if not path.is_file():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(path, f"not valid TOML: {error}") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(path, f"{where}: {first['msg']}") from None
