"""Suite files: YAML a person writes, validated, with every error naming its file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from angleforge.errors import InputError
from angleforge.evaluation.results import Threshold
from angleforge.limits import MAX_REPAIRS


def load_yaml(path: Path, model: type[BaseModel]) -> Any:
    """Parse `path` into `model`; a problem is an InputError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise InputError(path, f"cannot read it: {error.strerror or error}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f"line {mark.line + 1}: " if mark else ""
        raise InputError(path, f"{line}{error.problem or error}") from None
    except yaml.YAMLError as error:
        raise InputError(path, f"not a YAML file ({error})") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as error:
        # PyYAML builds some values by hand and lets their errors out: "!!timestamp 2020-13-45"
        raise InputError(path, f"not a usable YAML value ({type(error).__name__}: {error})") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        at = _line(node, first["loc"])
        raise InputError(path, f"{f'line {at}: ' if at else ''}{where}: {first['msg']}") from None


def _line(node: yaml.Node | None, location: tuple[int | str, ...]) -> int | None:
    """The line of the YAML node at a pydantic error location (as deep as it goes)."""
    found = node
    for key in location:
        if isinstance(found, yaml.MappingNode):
            found = next((value for k, value in found.value if k.value == key), found)
        elif isinstance(found, yaml.SequenceNode) and isinstance(key, int) and key < len(found.value):
            found = found.value[key]
        else:
            break
    return found.start_mark.line + 1 if found is not None else None


class GenerationCase(BaseModel):
    """Drafts to write: on one angle, on a free topic, or (naming neither) on every angle."""

    model_config = ConfigDict(extra="forbid")

    id: str
    angle: str | None = None
    topic: str | None = None
    format: Literal["thread", "post", "question"] | None = None
    count: int = Field(default=3, ge=1, le=50)
    provider: Literal["library", "openai"] | None = None
    model: str | None = None
    seed: int = 1
    max_repairs: int | None = Field(default=None, ge=0, le=MAX_REPAIRS)

    @model_validator(mode="after")
    def _one_subject(self) -> GenerationCase:
        if self.angle is not None and self.topic is not None:
            raise ValueError("a case names an angle or a topic, not both")
        return self


class FalseAlarm(BaseModel):
    """A flag the guardrail raises on a figure the brief's sources do back, as a person
    labelled it: the statistic, a piece of the sentence it stands in, and why it is backed."""

    model_config = ConfigDict(extra="forbid")

    statistic: str
    sentence: str
    why: str


class KeyFacts(BaseModel):
    """The facts each angle's prompt must carry, as a person chose them: a piece of each
    fact's text, by angle name, and by topic for free topics."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    angles: dict[str, list[str]] = Field(default_factory=dict)
    topics: dict[str, list[str]] = Field(default_factory=dict)

    def of(self, angle: str, topic: str | None) -> list[str]:
        return self.topics.get(topic, []) if topic is not None else self.angles.get(angle, [])


class GenerationSuite(BaseModel):
    """A generation suite: cases to write, and the thresholds their scores must hold."""

    model_config = ConfigDict(extra="forbid")

    suite: str
    description: str = ""
    thresholds: dict[str, Threshold] = Field(default_factory=dict)  # every case, and the suite as a whole
    # the suite as a whole only: a rate over a case's few drafts moves by a draft at a time
    overall: dict[str, Threshold] = Field(default_factory=dict)
    banned_words: list[str] = Field(default_factory=list)
    max_hashtags: int = Field(default=2, ge=0)
    max_copied_share: float = Field(default=0.8, gt=0, le=1)
    key_facts: Path | None = None  # a KeyFacts file, relative to the suite file
    false_alarms: list[FalseAlarm] = Field(default_factory=list)
    cases: list[GenerationCase] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> GenerationSuite:
        ids = [case.id for case in self.cases]
        if len(ids) != len(set(ids)):
            raise ValueError("case ids must be unique")
        return self


def suite_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(folder, "suite folder not found")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise InputError(folder, "no suite files (*.yaml)")
    return files
