"""Contact-pair and windowed fan-out kernels vs the pandas references."""

from __future__ import annotations

import numpy as np
import pytest

from graphfraud.features.reference.contacts import (
    calls_frame,
    ref_first_contact_flags,
    ref_windowed_fanout,
)
from graphfraud.features.synthetic import calls_table, random_calls
from graphfraud.graph import build_call_graph
from graphfraud.kernels.fanout import (
    contact_pairs,
    first_contact_flags,
    windowed_first_contact_fanout,
)

T0 = 1_704_067_200


def _graph(seed: int):
    return build_call_graph(random_calls(2000, 120, seed=seed, days=2))


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("numbers", [120, 25])  # ~17 calls a caller (insertion sorts), ~80 (merge)
def test_contact_pairs_group_calls_by_callee_in_time_order(seed, numbers):
    g = build_call_graph(random_calls(2000, numbers, seed=seed, days=2))
    by_pair, pair_ptr, pair_start, pair_callee = contact_pairs(g.out_ptr, g.callee)
    assert sorted(by_pair.tolist()) == list(range(g.n_calls))
    for v in range(g.n_numbers):
        calls = by_pair[g.out_ptr[v] : g.out_ptr[v + 1]]
        want = sorted(calls.tolist(), key=lambda i: (g.callee[i], g.start[i], i))
        assert calls.tolist() == want
        assert pair_callee[pair_ptr[v] : pair_ptr[v + 1]].tolist() == sorted(
            set(g.callee[calls].tolist())
        )
    assert pair_start[-1] == g.n_calls and np.all(np.diff(pair_start) > 0)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("window_s", [60, 3600, 86400])
def test_fanout_matches_reference(seed, window_s):
    g = _graph(seed)
    df = calls_frame(g)
    by_pair, _, pair_start, _ = contact_pairs(g.out_ptr, g.callee)
    first = first_contact_flags(by_pair, pair_start, g.n_calls)
    np.testing.assert_array_equal(first, ref_first_contact_flags(df))
    got = windowed_first_contact_fanout(g.out_ptr, g.start, first, window_s)
    np.testing.assert_array_equal(got, ref_windowed_fanout(df, first, window_s, g.n_numbers))


def test_fanout_edge_cases():
    rows = [("a", "b", T0, 1), ("a", "b", T0 + 10, 1), ("a", "c", T0 + 10, 1)]
    rows += [("a", "d", T0 + 3600 + 10, 1)]
    g = build_call_graph(calls_table(rows))
    by_pair, _, pair_start, _ = contact_pairs(g.out_ptr, g.callee)
    first = first_contact_flags(by_pair, pair_start, g.n_calls)
    fan = windowed_first_contact_fanout(g.out_ptr, g.start, first, 3600)
    a, b = (int(x) for x in g.ids_of(["a", "b"]))
    assert fan[a] == 2  # the repeat call to b does not count; d is 1 h after c
    assert fan[b] == 0  # no outgoing calls
