"""Reading the user's text files, with one clear error per problem."""

from __future__ import annotations

import sys
from pathlib import Path

from angleforge.errors import InputError


def read_text(path: Path, error: type[InputError] = InputError) -> str:
    """A file's text, or an `error` naming it: missing, a folder, binary, not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(path, "file not found") from None
    except IsADirectoryError:
        raise error(path, "is a folder, not a file") from None
    except OSError as problem:
        raise error(path, f"cannot read it: {problem.strerror or problem}") from None
    return decode(data, path, error)


def read_stdin() -> str:
    return decode(sys.stdin.buffer.read(), "-", InputError)


def decode(data: bytes, name: object, error: type[InputError] = InputError) -> str:
    if b"\x00" in data:
        raise error(name, "is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise error(name, f"is not UTF-8 text (invalid byte at offset {problem.start})") from None
