"""The one-line reasons a finding gives, each written in one place.

`check`, `review show`, the repair prompt and the eval report all print these; their exact
text is part of the `check --json` contract.
"""

from __future__ import annotations

from collections.abc import Iterable

from angleforge.knowledge import Claim
from angleforge.quantities import Quantity


def _said(quantity: Quantity) -> str:
    return quantity.text.strip()


def backed_by(claim: Claim) -> str:
    return f"backed by '{claim.text}'"


def not_stated(quantity: Quantity, nearest: Quantity | None) -> str:
    hint = f"; the nearest claim says {_said(nearest)}" if nearest is not None else ""
    return f"no cited source states {_said(quantity)}{hint}"


def stated_without_source(claim: Claim) -> str:
    return f"stated only in '{claim.section}', which cites no source"


def contradicts(given: Quantity) -> str:
    return f"contradicts the knowledge base, which gives {_said(given)} for this"


def contradicts_here(given: Quantity) -> str:
    """Another figure of the same claim is the one the draft's words point to."""
    return f"contradicts the knowledge base, which gives {_said(given)} here"


def about_something_else(quantity: Quantity, claim: Claim) -> str:
    return f"the knowledge base states {_said(quantity)} about something else: '{claim.text}'"


def another_item(quantity: Quantity, claim: Claim, other: Claim) -> str:
    return f"the knowledge base gives {_said(quantity)} for '{claim.label}', not for '{other.label}'"


def reversed_meaning(turned: str) -> str:
    return f"reverses the knowledge base, which says {turned}"


def credited_elsewhere(credited: Iterable[str], claim: Claim) -> str:
    backers = ", ".join(claim.credit_names) or "no one"
    return f"credited to {', '.join(credited)}, but the claim is backed by {backers}"


def other_year(years: Iterable[int], year: int | str) -> str:
    expected = ", ".join(str(y) for y in years) or "no year"
    return f"the knowledge base gives {expected} for this, not {year}"


def other_edition(editions: Iterable[int], year: int) -> str:
    return f"the sources are the {', '.join(str(y) for y in editions)} edition, not {year}"


def year_contradicts(years: Iterable[int]) -> str:
    return f"contradicts the knowledge base, which gives {', '.join(str(y) for y in years)} for this"


def year_unknown(year: int) -> str:
    return f"no claim in the knowledge base mentions {year}"


def year_without_source(year: int) -> str:
    return f"{year} is stated only where no source is cited"


def year_only_in_headings(year: int) -> str:
    return f"no cited claim states {year} as a date; only headings and titles give it"


def year_of_other_subjects(year: int) -> str:
    return f"the sources give {year} only for other subjects"


def named_but_backs_nothing(name: str) -> str:
    return f"the draft names {name} as a source, but none of the claims its figures rely on cites it"


def answer_option() -> str:
    return "an answer the question offers, not a claim"


def counts_the_list(quantity: Quantity) -> str:
    return f"counts the {_said(quantity)} items of the post's own list, not a claim"


def complement_of(given: Quantity, claim: Claim) -> str:
    return f"the other side of {_said(given)}: backed by '{claim.text}'"
