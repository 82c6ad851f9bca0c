"""Find the statistics in a text and normalise them.

A statistic is a number that claims something about the world: a percentage, an amount of
money, a duration, a measure, a multiplier, a ratio ("four in ten"), a count written in
digits, or a year. Numbers that only organise a text are not statistics: thread markers
("1/5"), list enumerators, numbers inside links, handles and hashtags, dates, and names such
as P95, GPT-4 or H100.

Each statistic is normalised to a value range in a base unit (300ms and 0.3 seconds are both
0.3 s; $10.07B is 1.007e10 USD; "four in ten" is 40 %) and a comparator ("<1%", "40%+").
The extractor is a hand-written scanner rather than a quantity library: it has to cost a
fraction of a millisecond per draft and to know the rules of social posts (thread markers,
handles) that general-purpose extractors do not.

Inside: `quantity` (the value and when two agree), `units` (the one table of unit names and
symbols), `words` (spelled numbers), `structure` (numbers that organise a text),
`comparators`, `reading` (one number and its suffixes) and `scan` (the phases of a statistic).
"""

from angleforge.quantities.quantity import Comparator, Kind, Quantity
from angleforge.quantities.scan import extract

__all__ = ["Comparator", "Kind", "Quantity", "extract"]
