"""A draft checked whole: every statistic by the guardrail, and the rules of its X format.

One function, so that `generate`, a reviewer's edit and a re-check judge a draft alike: a
draft that breaks its format is flagged with the rule as its finding, as a statistic the
sources do not back is.
"""

from __future__ import annotations

from angleforge.findings import CheckResult
from angleforge.formats import POST_SEPARATOR, findings, known_format
from angleforge.guardrail import Guardrail


def check_draft(guardrail: Guardrail, format: str, posts: list[str], path: str = "-") -> CheckResult:
    """The statistics' findings, then the format's, of the posts joined as one draft text (a
    format this version does not know has only its statistics checked)."""
    statistics = guardrail.check(POST_SEPARATOR.join(posts), path=path).statistics
    rules = findings(format, posts) if known_format(format) else []
    return CheckResult.of([*statistics, *rules], path)
