"""The prompt templates: Jinja2 files in the workspace's prompts/ folder, edited by users.

Templates render in a sandbox with StrictUndefined, so a misspelt variable is an error, not
an empty string; every error names the template file and line.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from angleforge.errors import UsageError

TEMPLATES = ("system", "thread", "post", "question", "repair")


class PromptError(UsageError):
    """A template is missing, malformed, or fails to render."""

    stops_run = True  # every draft of a run renders the same templates


class Prompts:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(str(folder)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def check(self) -> None:
        """Load every template once, so a broken one stops a run before any call is made."""
        for name in TEMPLATES:
            self._template(name)

    def render(self, name: str, **context: Any) -> str:
        template = self._template(name)
        try:
            return template.render(**context).strip()
        except Exception as error:  # a template is the user's code: whatever it raises is its mistake
            raise PromptError(f"{self._where(name, error)}: {_what(error)}") from None

    def _template(self, name: str) -> jinja2.Template:
        path = self.folder / f"{name}.j2"
        try:
            return self._env.get_template(f"{name}.j2")
        except jinja2.TemplateNotFound:
            raise PromptError(f"{path}: template not found") from None
        except jinja2.TemplateSyntaxError as error:
            raise PromptError(f"{path}:{error.lineno}: {error.message}") from None
        except UnicodeDecodeError:
            raise PromptError(f"{path}: is not UTF-8 text") from None

    def _where(self, name: str, error: BaseException) -> str:
        """The template file and line a render error happened at."""
        path = self.folder / f"{name}.j2"
        line = None
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.endswith(".j2"):
                path, line = Path(frame.filename), frame.lineno
        return f"{path}:{line}" if line else str(path)


def _what(error: Exception) -> str:
    """A render error in a line: Jinja2's own say what went wrong; others are named by type
    ("ZeroDivisionError: division by zero")."""
    return str(error) if isinstance(error, jinja2.TemplateError) else f"{type(error).__name__}: {error}"
