"""Co-targeting kernel against a plain-Python reference; pair reduction and group/run kernels."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

from graphfraud.kernels.cotarget import co_targeting_graph
from graphfraud.kernels.ring_evidence import consecutive_runs, group_window_pairs
from graphfraud.kernels.ring_pairs import reduce_pairs

EMPTY = np.zeros(0, np.int32)


def _by_callee(n, caller, callee, start):
    """in_ptr / in_caller / in_start as CallGraph builds them."""
    by_time = np.argsort(start, kind="stable")
    in_order = by_time[np.argsort(callee[by_time], kind="stable")]
    in_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(callee, minlength=n), out=in_ptr[1:])
    return in_ptr, caller[in_order], start[in_order]


def _reference(caller, callee, start, max_callers, tau_s, handoff_s, skip_reciprocated):
    first: dict[int, dict[int, int]] = defaultdict(dict)
    for u, c, t in zip(caller.tolist(), callee.tolist(), start.tolist(), strict=True):
        first[c][u] = min(t, first[c].get(u, t))
    contacts = set(zip(caller.tolist(), callee.tolist(), strict=True))
    edges: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c, times in first.items():
        callers = {u: t for u, t in times.items() if not (skip_reciprocated and (c, u) in contacts)}
        if not 2 <= len(callers) <= max_callers:
            continue
        items = sorted(callers.items())
        for i, (u, tu) in enumerate(items):
            for v, tv in items[i + 1 :]:
                e = edges[(u, v)]
                e[0] += math.exp(-abs(tu - tv) / tau_s)
                e[1] += 1
                e[2] += abs(tu - tv) <= handoff_s
    return edges


def _as_dict(indptr, indices, data):
    out = {}
    for u in range(indptr.size - 1):
        for p in range(indptr[u], indptr[u + 1]):
            v = int(indices[p])
            assert (v, u) not in out or np.allclose(out[(v, u)], data[p])  # symmetric
            out[(u, v)] = data[p].tolist()
    return {k: v for k, v in out.items() if k[0] < k[1]}


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("skip_reciprocated", [False, True])
def test_matches_reference_on_random_calls(seed, skip_reciprocated):
    rng = np.random.default_rng(seed)
    n, m = 40, 400
    caller = rng.integers(0, n, m).astype(np.int32)
    callee = rng.integers(0, n, m).astype(np.int32)
    start = rng.integers(0, 3 * 86_400, m).astype(np.int64)
    by_callee = _by_callee(n, caller, callee, start)
    keys = np.unique(caller.astype(np.int64) * n + callee) if skip_reciprocated else EMPTY
    contact_ptr = np.zeros(n + 1, np.int64)  # CSR of who called whom (all empty: skip nobody)
    np.cumsum(np.bincount(keys // n, minlength=n), out=contact_ptr[1:])
    contact_callee = (keys % n).astype(np.int32)
    max_callers, tau, handoff = 6, 3 * 3600.0, 7200.0
    indptr, indices, data, _victims = co_targeting_graph(
        *by_callee, contact_ptr, contact_callee, max_callers, tau, handoff
    )
    got = _as_dict(indptr, indices, data)
    want = _reference(caller, callee, start, max_callers, tau, handoff, skip_reciprocated)
    assert got.keys() == want.keys()
    for key, values in want.items():
        assert got[key] == pytest.approx(values)
    for u in range(n):  # rows sorted
        assert np.all(np.diff(indices[indptr[u] : indptr[u + 1]]) > 0)


def test_hand_off_within_hours_and_cap():
    # Callers 0, 1 reach victim 5 ten minutes apart; callers 0..3 reach popular 6 (cap 3).
    caller = np.array([0, 1, 0, 1, 2, 3], np.int32)
    callee = np.array([5, 5, 6, 6, 6, 6], np.int32)
    start = np.array([0, 600, 0, 10, 20, 30], np.int64)
    by_callee = _by_callee(7, caller, callee, start)
    indptr, indices, data, victims = co_targeting_graph(
        *by_callee, np.zeros(8, np.int64), EMPTY, 3, 3600.0, 3600.0
    )
    assert indices[indptr[0] : indptr[1]].tolist() == [1]
    assert data[indptr[0]].tolist() == pytest.approx([math.exp(-600 / 3600), 1, 1])
    assert victims.tolist() == [1, 1, 0, 0, 0, 0, 0]


def test_reduce_pairs_sums_and_drops_self_pairs():
    a = np.array([2, 0, 1, 0, 3], np.int32)
    b = np.array([0, 2, 1, 1, 3], np.int32)
    values = np.array([[1.0], [2.0], [5.0], [1.0], [7.0]])
    indptr, indices, data = reduce_pairs(4, a, b, values)
    assert indptr.tolist() == [0, 2, 3, 4, 4]
    assert indices.tolist() == [1, 2, 0, 0]
    assert data[:, 0].tolist() == [1.0, 3.0, 1.0, 3.0]


def test_group_window_pairs_clique_then_band():
    ptr = np.array([0, 3, 8], np.int64)
    members = np.arange(8, dtype=np.int32)
    a, b, size = group_window_pairs(ptr, members, 2)
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    assert {(0, 1), (0, 2), (1, 2)} <= pairs  # small group: clique
    assert (3, 5) in pairs and (3, 6) not in pairs  # big group: band of width 2
    assert len(pairs) == 3 + (2 + 2 + 2 + 1) and size.tolist() == [3, 5]


def test_consecutive_runs_split_on_gap_and_activation():
    values = np.array([100, 101, 103, 107, 108, 109], np.int64)
    day = np.array([10, 11, -1, 10, 10, 40], np.int32)
    runs = consecutive_runs(values, day, 2, 7)
    assert runs.tolist() == [0, 0, 0, 1, 1, 2]
