"""Device/cell kernels vs pandas references."""

from __future__ import annotations

import numpy as np
import pytest

from graphfraud.features.reference.contacts import calls_frame
from graphfraud.features.reference.places import (
    ref_distinct_counts,
    ref_max_sims_per_imei,
)
from graphfraud.features.synthetic import random_calls
from graphfraud.graph import build_call_graph
from graphfraud.kernels.devices import (
    cell_day_codes,
    coarse_codes,
    distinct_codes,
    invert_csr,
    max_over_members,
)


@pytest.fixture(params=[0, 1, 2])
def graph(request):
    return build_call_graph(
        random_calls(2000, 150, seed=request.param, n_cells=15, n_imeis=80, unknown_share=0.2)
    )


@pytest.mark.parametrize("column", ["cell", "imei"])
def test_distinct_codes_match_reference(graph, column):
    codes = getattr(graph, column).astype(np.int64)
    ptr, values = distinct_codes(graph.out_ptr, codes)
    want = ref_distinct_counts(calls_frame(graph), column, graph.n_numbers)
    np.testing.assert_array_equal(np.diff(ptr), want)
    for v in range(graph.n_numbers):
        calls = codes[graph.out_ptr[v] : graph.out_ptr[v + 1]]
        assert values[ptr[v] : ptr[v + 1]].tolist() == sorted(set(calls[calls >= 0].tolist()))


def test_max_sims_per_imei_matches_reference(graph):
    ptr, values = distinct_codes(graph.out_ptr, graph.imei.astype(np.int64))
    sims = np.bincount(values, minlength=len(graph.imeis)).astype(np.float64)
    got = max_over_members(ptr, values, sims)
    np.testing.assert_array_equal(got, ref_max_sims_per_imei(calls_frame(graph), graph.n_numbers))


def test_invert_csr_round_trips():
    ptr = np.array([0, 2, 2, 5], np.int64)
    values = np.array([1, 3, 0, 1, 3], np.int64)
    group_ptr, rows, source = invert_csr(ptr, values, 4)
    assert group_ptr.tolist() == [0, 1, 3, 3, 5]
    assert rows.tolist() == [2, 0, 2, 0, 2]
    assert source.tolist() == [2, 0, 3, 1, 4]  # where each entry sat in ``values``


def test_invert_csr_is_a_stable_sort_by_group():
    rng = np.random.default_rng(12)
    counts = rng.integers(0, 9, 400)
    ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    values = rng.integers(0, 37, ptr[-1]).astype(np.int64)  # 37 groups: the threads' ranges split unevenly
    group_ptr, rows, source = invert_csr(ptr, values, 37)
    order = np.argsort(values, kind="stable")
    assert (source == order).all()
    assert (rows == np.repeat(np.arange(400), counts)[order]).all()
    assert (np.diff(group_ptr) == np.bincount(values, minlength=37)).all()


def test_coarse_codes_are_the_distinct_codes_of_the_quotients(graph):
    n_days = 3
    day = np.arange(graph.n_calls) % n_days
    fine = np.where(graph.cell >= 0, graph.cell.astype(np.int64) * n_days + day, -1)
    fine_ptr, fine_codes = distinct_codes(graph.out_ptr, fine)
    ptr, values = coarse_codes(fine_ptr, fine_codes, n_days)
    want_ptr, want = distinct_codes(graph.out_ptr, graph.cell.astype(np.int64))
    assert (ptr == want_ptr).all() and (values == want).all()


def test_cell_day_codes_match_numpy():
    rng = np.random.default_rng(13)
    cell = rng.integers(-1, 9, 3000).astype(np.int32)
    start = rng.integers(1_700_000_000, 1_700_600_000, 3000).astype(np.int64)
    for offset in (0, 8 * 3600, -5 * 3600):
        codes, n_days = cell_day_codes(cell, start, offset, 86_400)
        day = (start + offset) // 86_400
        assert n_days == day.max() - day.min() + 1
        want = np.where(cell >= 0, cell.astype(np.int64) * n_days + day - day.min(), -1)
        assert (codes == want).all()
