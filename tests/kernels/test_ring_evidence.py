"""The grouping kernels of the evidence graph against plain NumPy references."""

import numpy as np

from graphfraud.kernels.encode import csr_pointers
from graphfraud.kernels.ring_evidence import distinct_contacts, grouped_members, high_fanout_day_mask


def _calls(rng, n=40, m=600):
    caller = np.sort(rng.integers(0, n, m)).astype(np.int32)
    callee = rng.integers(0, n, m).astype(np.int32)
    day = np.concatenate([np.sort(rng.integers(0, 4, np.sum(caller == u))) for u in range(n)])
    return n, caller, callee, day.astype(np.int64), csr_pointers(caller, n)


def test_distinct_contacts_matches_unique() -> None:
    rng = np.random.default_rng(5)
    for _ in range(5):
        n, caller, callee, _, ptr = _calls(rng)
        ref = np.unique(caller.astype(np.int64) * n + callee)
        assert np.array_equal(distinct_contacts(ptr, callee), ref)


def test_high_fanout_day_mask_matches_reference() -> None:
    rng = np.random.default_rng(6)
    for min_fanout in (1, 3, 5, 8):
        _n, caller, callee, day, ptr = _calls(rng)
        caller_day = caller.astype(np.int64) * 4 + day
        triples = np.unique(np.stack([caller_day, callee.astype(np.int64)], 1), axis=0)
        keys, fanout = np.unique(triples[:, 0], return_counts=True)
        ref = np.isin(caller_day, keys[fanout >= min_fanout])
        assert np.array_equal(high_fanout_day_mask(ptr, callee, day, min_fanout), ref)


def test_grouped_members_matches_unique_rows() -> None:
    rng = np.random.default_rng(7)
    for _ in range(5):
        keys = rng.integers(0, 30, 400).astype(np.int64)
        members = rng.integers(0, 25, 400).astype(np.int32)
        pairs = np.unique(np.stack([keys, members.astype(np.int64)], 1), axis=0)
        _, counts = np.unique(pairs[:, 0], return_counts=True)
        ptr, got = grouped_members(keys, members, 30)
        assert np.array_equal(ptr, np.concatenate([[0], np.cumsum(counts)]))
        assert np.array_equal(got, pairs[:, 1])
    ptr, got = grouped_members(np.zeros(0, np.int64), np.zeros(0, np.int32), 3)
    assert ptr.tolist() == [0] and got.size == 0
