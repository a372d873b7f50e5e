"""repeat_rows against pandas' duplicated (the reference); drop_rows against numpy's delete."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphfraud.kernels.repeats import drop_rows, repeat_rows


@pytest.mark.parametrize("seed", range(8))
def test_repeat_rows_match_pandas_duplicated(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, groups = 3000, 20
    key = rng.integers(0, groups, m).astype(np.int32)
    time = rng.integers(0, 4 if seed % 2 else 60, m).astype(np.int64)  # odd seeds: long runs (sorted)
    value = rng.integers(0, 12, m).astype(np.int32)
    order = np.lexsort((time, key))  # stable: ties stay in input order
    key, time, value = key[order], time[order], value[order]
    ptr = np.concatenate([[0], np.cumsum(np.bincount(key, minlength=groups))]).astype(np.int64)
    rows = repeat_rows(ptr, time, value)
    want = np.flatnonzero(pd.DataFrame({"k": key, "t": time, "v": value}).duplicated(keep="first"))
    assert np.array_equal(rows, want) and len(rows) > 0


def test_equal_times_in_different_groups_are_no_repeats() -> None:
    ptr = np.array([0, 2, 3, 3], np.int64)
    assert len(repeat_rows(ptr, np.array([1, 2, 2], np.int64), np.array([5, 5, 5], np.int32))) == 0
    assert len(repeat_rows(ptr[:1], np.zeros(0, np.int64), np.zeros(0, np.int32))) == 0


@pytest.mark.parametrize("rows", [[], [0], [9], [0, 1, 2], [3, 5, 6, 9], list(range(10))])
def test_drop_rows_keeps_the_rest_in_order(rows: list[int]) -> None:
    a = np.arange(10, dtype=np.int64) * 7
    n = drop_rows(a, np.array(rows, np.int64))
    assert np.array_equal(a[:n], np.delete(np.arange(10) * 7, rows))
