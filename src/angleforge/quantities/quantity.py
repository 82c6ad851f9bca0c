"""A statistic found in a text, normalised, and when one states what another states."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Kind = Literal["percent", "ratio", "money", "duration", "measure", "multiplier", "count", "year"]
Comparator = Literal["<", "<=", ">", ">=", "~"]

# which comparator a draft may give a figure (first) where its claim gives the same figure another
# (second): a plain figure for an inclusive bound or a lower bound ("300ms" for "within 300ms", "40%"
# for "40%+"), a bound at a plain figure only where it includes it ("up to 70%", not "more than
# 35%"), and any upper bound for an upper bound, any lower bound for a lower bound; a hedged figure
# for a plain one. A plain "1%" for "<1%" claims more than the claim does.
_QUOTES: dict[Comparator | None, frozenset[Comparator | None]] = {
    None: frozenset({None, "~", "<=", ">="}),
    "~": frozenset({None, "~"}),
    "<=": frozenset({None, "~", "<=", "<"}),
    "<": frozenset({"<", "<="}),
    ">": frozenset({None, "~", ">", ">="}),
    ">=": frozenset({None, "~", ">=", ">"}),
}
_UPPER = frozenset({"<", "<="})
_LOWER = frozenset({">", ">="})
_BOUNDS = _UPPER | _LOWER


@dataclass(slots=True, kw_only=True, unsafe_hash=True)
class Quantity:
    """One statistic found in a text, with its normalised value.

    A value: nothing assigns to one once it is made (`dataclasses.replace` makes another), and
    it hashes by its fields. It is not declared frozen because a frozen dataclass sets each field
    through `object.__setattr__`, which made building the statistics of a check 2% of its cost.
    """

    text: str
    start: int
    end: int
    kind: Kind
    unit: str  # base unit: "%", "USD", "s", "x", "year", "" for a bare count, ...
    low: float
    high: float
    comparator: Comparator | None = None
    is_range: bool = False  # written as a range ("100-300ms"), even if both ends are equal

    def states_same(self, claim: Quantity) -> bool:
        """Whether this quantity, written in a draft, says what `claim` says.

        Units and spelling are normalised away; a single value may cite either end of a
        claimed range, and a bound its own end ("up to 800ms" for "200-800ms"); comparators
        agree as `_QUOTES` says. Nothing else is rounded.
        """
        if self.unit != claim.unit or (self.kind == "year") != (claim.kind == "year"):
            return False
        if claim.is_range and not self.is_range and claim.comparator is None and self.comparator in _BOUNDS:
            # "up to 800ms" for "200-800ms", "at least 200ms" for it: a bound at the range's own end
            end = claim.high if self.comparator in _UPPER else claim.low
            return self.low == end or _close(self.low, end)
        if self.comparator != claim.comparator and self.comparator not in _QUOTES[claim.comparator]:
            return False
        # most values that agree are equal; `_close` settles the rest
        low = self.low
        if self.is_range:
            high = self.high
            return (low == claim.low or _close(low, claim.low)) and (high == claim.high or _close(high, claim.high))
        return low == claim.low or low == claim.high or _close(low, claim.low) or _close(low, claim.high)

    def describe(self) -> str:
        """The normalised form, for reasons and listings: '>= 40 %', '0.3 s'."""
        value = _fmt(self.low) if not self.is_range else f"{_fmt(self.low)}-{_fmt(self.high)}"
        prefix = f"{self.comparator} " if self.comparator else ""
        return f"{prefix}{value} {self.unit}".rstrip()


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
