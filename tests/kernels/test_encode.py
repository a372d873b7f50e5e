import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from graphfraud.graph.callgraph import encode_column
from graphfraud.kernels.encode import (
    csr_pointers,
    hash_encode,
    hash_encode_parts,
    number_time_orders,
    permute_calls,
    radix_sort,
    unique_ints,
)


def test_hash_encode_matches_pandas_factorize() -> None:
    rng = np.random.default_rng(3)
    for _ in range(5):
        keys = rng.integers(-2, 50, 1000).astype(np.int64)
        codes, first = hash_encode(keys)
        ref_codes, ref_uniques = pd.factorize(np.where(keys < 0, np.nan, keys), use_na_sentinel=True)
        assert (codes == ref_codes).all()
        assert (keys[first] == ref_uniques.astype(np.int64)).all()


def test_hash_encode_parts_is_hash_encode_of_the_concatenation() -> None:
    rng = np.random.default_rng(5)
    # Enough distinct keys to grow the table a few times (rehash with codes already given).
    parts = tuple(rng.integers(-1, 300_000, size).astype(np.int64) for size in (200_000, 0, 150_000))
    codes, first, distinct = hash_encode_parts(parts)
    whole = np.concatenate(parts)
    ref_codes, ref_first = hash_encode(whole)
    ref, uniques = pd.factorize(np.where(whole < 0, np.nan, whole), use_na_sentinel=True)
    assert (codes == ref).all() and (ref_codes == ref).all()
    assert (first == ref_first).all() and (distinct == uniques.astype(np.int64)).all()
    assert (whole[first] == distinct).all()


def test_csr_pointers_count_each_key() -> None:
    keys = np.sort(np.random.default_rng(4).integers(0, 20, 500))
    ptr = csr_pointers(keys, 20)
    assert ptr[0] == 0 and (np.diff(ptr) == np.bincount(keys, minlength=20)).all()


def test_encode_column_keeps_leading_zeros_and_tokens() -> None:
    codes, dictionary = encode_column(pa.array(["010", "10", None, "010", "0010"]))
    assert codes.tolist() == [0, 1, -1, 0, 2]
    assert dictionary.to_pylist() == ["010", "10", "0010"]
    codes, dictionary = encode_column(pa.array(["xab", "C1", "xab"]))  # not digits: Arrow hashing
    assert codes.tolist() == [0, 1, 0]
    assert dictionary.to_pylist() == ["xab", "C1"]


def test_radix_sort_is_a_stable_argsort() -> None:
    rng = np.random.default_rng(6)
    for high, m in ((3, 500), (2**20, 3000), (2**40, 3000), (1, 10), (5, 0)):
        keys = rng.integers(0, high, m).astype(np.int64)
        ref = np.argsort(keys, kind="stable")
        order, ordered = radix_sort(keys, int(high - 1).bit_length())
        assert (order == ref).all() and (ordered == keys[ref]).all()


def test_radix_sort_skips_constant_digits_and_stays_stable() -> None:
    keys = np.array([5 << 30, 3 << 30, 5 << 30, 3 << 30, 4 << 30], np.int64)  # low 30 bits all 0
    order, ordered = radix_sort(keys, 33)
    assert order.tolist() == [1, 3, 4, 0, 2] and (ordered == np.sort(keys)).all()


@pytest.mark.parametrize("span", [0, 50, 10**6, 2**40])  # 2**40 s: past int32, a merge sort
def test_number_time_orders_are_lexsorts(span: int) -> None:
    rng = np.random.default_rng(8)
    m, n = 5000, 3000  # ids of 12 bits: two number passes
    caller = rng.integers(0, n, m).astype(np.int32)
    callee = rng.integers(0, n, m).astype(np.int32)
    start = 1_700_000_000 + (rng.integers(0, 60, m) * (span // 60)).astype(np.int64)
    rows = np.arange(m)
    order, in_rows, sorted_caller = number_time_orders(caller, callee, start, n)
    assert (order == np.lexsort((rows, start, caller))).all()
    assert (in_rows == np.lexsort((rows, start, callee))).all()
    assert (sorted_caller == caller[order]).all()


def test_number_time_orders_of_no_calls() -> None:
    empty = np.zeros(0, np.int32)
    order, in_rows, sorted_caller = number_time_orders(empty, empty, np.zeros(0, np.int64), 0)
    assert order.size == in_rows.size == sorted_caller.size == 0


def test_permute_calls_matches_numpy_takes() -> None:
    rng = np.random.default_rng(7)
    m = 1000
    # caller, callee, start, duration, cell, imei
    types = (np.int32, np.int32, np.int64, np.int32, np.int32, np.int32)
    # Packed two to an int64 inside: the whole 32-bit range, signs included, must come back.
    cols = [rng.integers(np.iinfo(t).min, np.iinfo(t).max, m, dtype=t, endpoint=True) for t in types]
    for c in cols:
        c[:3] = [-1, np.iinfo(c.dtype).min, np.iinfo(c.dtype).max]
    order = rng.permutation(m).astype(np.int32)
    in_rows = rng.permutation(m).astype(np.int32)
    got = permute_calls(order, in_rows, *cols)
    for g, c in zip(got[:5], cols[1:], strict=True):
        assert g.dtype == c.dtype and (g == c[order]).all()
    assert (got[5] == cols[0][in_rows]).all() and (got[6] == cols[2][in_rows]).all()


def test_unique_ints_matches_numpy_unique() -> None:
    rng = np.random.default_rng(10)
    for high, m in ((5, 100), (2**50, 5000), (10, 0), (2**62, 1)):
        values = rng.integers(0, high, m).astype(np.int64)
        assert np.array_equal(unique_ints(values), np.unique(values))
