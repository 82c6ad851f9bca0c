"""angleforge: X drafts from a research brief, with every statistic checked against its sources."""

__version__ = "0.1.0"
