"""The one percentile every latency is reported by."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from angleforge.percentile import percentile


def test_percentiles_interpolate_between_the_nearest_ranks():
    assert percentile([], 0.95) == 0.0
    assert percentile([2.0], 0.95) == 2.0
    assert percentile([3.0, 1.0], 0.5) == 2.0
    assert percentile([1.0, 3.0], 0.95) == pytest.approx(2.9)
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.0) == 1.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 1.0) == 5.0


@given(st.lists(st.floats(0, 1000), min_size=2, max_size=50), st.integers(1, 99))
def test_percentiles_agree_with_the_standard_librarys_inclusive_quantiles(values, hundredths):
    expected = statistics.quantiles(values, n=100, method="inclusive")[hundredths - 1]
    assert percentile(values, hundredths / 100) == pytest.approx(expected, abs=1e-9)
