"""One exception tree: the CLI turns each into a single line and an exit code."""

from __future__ import annotations


class AngleforgeError(Exception):
    """Base of every error angleforge raises on purpose."""

    exit_code = 1
    # whether every draft of a run would meet this error alike (a template mistake, a refused
    # key): then it stops the run at once, where another error fails only the draft it met
    stops_run = False


class UsageError(AngleforgeError):
    """The user asked for something that cannot be done as asked (exit 2)."""

    exit_code = 2


class InputError(UsageError):
    """A file given to angleforge is missing, unreadable or malformed."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


class WorkspaceError(UsageError):
    """No workspace could be found or the one named is incomplete."""


class KnowledgeError(InputError):
    """The knowledge folder is empty, unreadable or cites no sources."""


class RunStopped(AngleforgeError):
    """A run ended before every draft was written, by an interruption or by an error every
    draft would meet; what it wrote is stored and `generate --resume` finishes it. It exits as
    what stopped it would."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code
