"""Ring selection helpers."""

import numpy as np

from graphfraud.scoring.ringsel import group_medians


def test_group_medians_are_numpys() -> None:
    rng = np.random.default_rng(16)
    values = rng.random(3000).round(2)  # ties
    group = rng.integers(0, 60, 3000)
    group[group == 7] = 8  # an empty group
    med = group_medians(values, group, 61, empty=1.0)
    want = [np.median(values[group == g]) if (group == g).any() else 1.0 for g in range(61)]
    assert med.tolist() == want
