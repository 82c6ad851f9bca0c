"""benchmarks/RESULTS.md is shared by the benchmark scripts: each owns one `## ` section."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
TITLE = "# Benchmark results\n"


def write_section(heading: str, body: str) -> None:
    """Put `## heading` + body in RESULTS.md in place of that section, or at the end."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else TITLE
    section = f"## {heading}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\s*$.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    text = pattern.sub(lambda _: section, text, count=1) if pattern.search(text) else text.rstrip() + "\n\n" + section
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")
