"""The grouping kernels of the evidence graph against plain NumPy references."""

import numpy as np

from graphfraud.kernels.encode import csr_pointers
from graphfraud.kernels.ring_evidence import grouped_members, high_fanout_day_mask
from graphfraud.kernels.ring_pairs import _sum_sorted, reduce_pairs, reduce_pairs_to_edges


def _calls(rng, n=40, m=600):
    caller = np.sort(rng.integers(0, n, m)).astype(np.int32)
    callee = rng.integers(0, n, m).astype(np.int32)
    day = np.concatenate([np.sort(rng.integers(0, 4, np.sum(caller == u))) for u in range(n)])
    return n, caller, callee, day.astype(np.int64), csr_pointers(caller, n)


def test_high_fanout_day_mask_matches_reference() -> None:
    rng = np.random.default_rng(6)
    for min_fanout in (1, 3, 5, 8):
        _n, caller, callee, day, ptr = _calls(rng)
        caller_day = caller.astype(np.int64) * 4 + day
        triples = np.unique(np.stack([caller_day, callee.astype(np.int64)], 1), axis=0)
        keys, fanout = np.unique(triples[:, 0], return_counts=True)
        ref = np.isin(caller_day, keys[fanout >= min_fanout])
        # As seconds from a first day that is not 0, callers split over 1 to 8 blocks.
        start = (day + 19_000) * 86_400 + rng.integers(0, 86_400, day.size)
        for n_blocks in (1, 3, 8):
            assert np.array_equal(high_fanout_day_mask(ptr, callee, start, 86_400, min_fanout, n_blocks), ref)


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


def _reduce_pairs_reference(n, a, b, values):
    """Global stable sort of ``lo * n + hi``; duplicates summed in input order (plain Python)."""
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    keep = np.flatnonzero(lo != hi)
    keep = keep[np.argsort((lo * n + hi)[keep], kind="stable")]
    sums: dict[tuple[int, int], np.ndarray] = {}
    for i in keep.tolist():
        key = (int(lo[i]), int(hi[i]))
        sums[key] = sums[key] + values[i] if key in sums else values[i].copy()
    rows: list[list[tuple[int, np.ndarray]]] = [[] for _ in range(n)]
    for (u, v), val in sums.items():
        rows[u].append((v, val))
        rows[v].append((u, val))
    indptr = np.concatenate([[0], np.cumsum([len(r) for r in rows])])
    cells = [cell for r in rows for cell in sorted(r, key=lambda c: c[0])]
    indices = np.array([c[0] for c in cells], np.int32)
    data = np.array([c[1] for c in cells]).reshape(len(cells), values.shape[1])
    return indptr, indices, data


def test_sum_sorted_is_the_same_for_any_number_of_blocks() -> None:
    """Blocks never split a run of equal keys, so the sums do not depend on how many there are."""
    rng = np.random.default_rng(3)
    keys = np.sort(rng.integers(0, 40, 500)).astype(np.int64)  # long runs: cuts fall inside them
    keys[:200] = 5  # one run longer than a block
    src = rng.permutation(500).astype(np.int64)
    values = rng.random((500, 2)) * 10.0 ** rng.integers(-8, 8, (500, 1))
    one = _sum_sorted(keys, src, values, 7, 1)
    assert one[0].size == np.unique(keys).size
    for n_blocks in (2, 3, 16, 499, 700):
        got = _sum_sorted(keys, src, values, 7, n_blocks)
        for g, r in zip(got, one, strict=True):
            assert np.array_equal(g, r)
    empty = _sum_sorted(keys[:0], src[:0], values[:0], 7, 4)
    assert [e.size for e in empty] == [0, 0, 0]


def test_reduce_pairs_matches_reference_bit_for_bit() -> None:
    rng = np.random.default_rng(8)
    for n in (1, 7, 60):
        a = rng.integers(0, n, 900).astype(np.int32)
        b = rng.integers(0, n, 900).astype(np.int32)
        values = rng.random((900, 3)) * 10.0 ** rng.integers(-8, 8, (900, 1))
        got = reduce_pairs(n, a, b, values)
        ref = _reduce_pairs_reference(n, a, b, values)
        for g, r in zip(got, ref, strict=True):
            assert np.array_equal(g, r)


def test_reduce_pairs_to_edges_keeps_each_pair_once() -> None:
    rng = np.random.default_rng(11)
    n = 50
    a = rng.integers(0, n, 2000).astype(np.int32)
    b = rng.integers(0, n, 2000).astype(np.int32)
    values = rng.random((2000, 4))
    indptr, indices, edge, pair_values = reduce_pairs_to_edges(n, a, b, values)
    ref_indptr, ref_indices, ref_data = _reduce_pairs_reference(n, a, b, values)
    assert np.array_equal(indptr, ref_indptr) and np.array_equal(indices, ref_indices)
    assert np.array_equal(pair_values[edge], ref_data)
    # Each distinct pair once, both of its entries pointing at it.
    assert len(pair_values) == indices.size // 2
    assert (np.bincount(edge, minlength=len(pair_values)) == 2).all()
    row = np.repeat(np.arange(n), np.diff(indptr))
    lo, hi = np.minimum(row, indices), np.maximum(row, indices)
    key = lo * n + hi
    assert (np.diff(key[np.argsort(edge, kind="stable")].reshape(-1, 2), axis=1) == 0).all()


def test_grouped_members_with_runs_of_repeats() -> None:
    rng = np.random.default_rng(9)
    keys = np.repeat(rng.integers(0, 10, 60), rng.integers(1, 6, 60)).astype(np.int64)
    members = (keys * 7 % 5).astype(np.int32)
    pairs = np.unique(np.stack([keys, members.astype(np.int64)], 1), axis=0)
    ptr, got = grouped_members(keys, members, 10)
    assert np.array_equal(got, pairs[:, 1])
    assert ptr[-1] == len(pairs)
