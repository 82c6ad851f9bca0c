"""Draft text made safe for a terminal: control characters shown, never obeyed.

A draft comes from a model or a person and may hold an escape sequence that would recolour,
retitle or clear the reviewer's terminal, or a bidirectional override that shows one text and
means another. Each such character becomes one visible stand-in (the Unicode control pictures,
or U+FFFD), so the text keeps its length and a finding's offsets still point into it.
"""

from __future__ import annotations

from typing import Any

_REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
_KEPT = {"\n", "\t"}

_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in _KEPT}
_TABLE[0x7F] = "\N{SYMBOL FOR DELETE}"
_TABLE.update({code: _REPLACEMENT for code in range(0x80, 0xA0)})  # C1 controls, CSI among them
# bidirectional embeddings, overrides and isolates (the "Trojan Source" characters)
_TABLE.update({code: _REPLACEMENT for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def printable(text: str) -> str:
    """`text` with every control character but newline and tab replaced by a visible one."""
    return text.translate(_TABLE)


def printable_data(data: Any) -> Any:
    """Every string inside JSON-like data (stored findings) made printable."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, list):
        return [printable_data(item) for item in data]
    if isinstance(data, dict):
        return {key: printable_data(value) for key, value in data.items()}
    return data
