"""Sparse group keys are renumbered before the kernel; the groups must not change."""

import numpy as np

from graphfraud.kernels.ring_evidence import grouped_members
from graphfraud.rings.evidence import _grouped


def test_sparse_keys_give_the_kernels_groups() -> None:
    rng = np.random.default_rng(3)
    keys = rng.choice(rng.integers(0, 10**7, 40), 5000).astype(np.int64)
    members = rng.integers(0, 300, 5000).astype(np.int32)
    want = grouped_members(keys, members, 10**7)
    got = _grouped(keys, members, 10**7)
    for w, g in zip(want, got, strict=True):
        np.testing.assert_array_equal(w, g)
