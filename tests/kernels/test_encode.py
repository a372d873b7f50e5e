import numpy as np
import pandas as pd
import pyarrow as pa

from graphfraud.graph.callgraph import encode_column
from graphfraud.kernels.encode import (
    counting_order,
    csr_pointers,
    hash_encode,
    permute_calls,
    radix_sort,
    split_keys,
    time_keys,
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


def test_counting_order_is_a_stable_sort() -> None:
    rng = np.random.default_rng(4)
    keys = rng.integers(0, 20, 500)
    within = rng.permutation(500).astype(np.int64)
    got = counting_order(keys, 20, within)
    ref = within[np.argsort(keys[within], kind="stable")]
    assert (got == ref).all()
    ptr = csr_pointers(keys[got], 20)
    assert (np.diff(ptr) == np.bincount(keys, minlength=20)).all()


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


def test_time_keys_round_trip_through_split_keys() -> None:
    rng = np.random.default_rng(8)
    ids = rng.integers(0, 1000, 200).astype(np.int32)
    start = rng.integers(1_700_000_000, 1_700_400_000, 200).astype(np.int64)
    t0 = int(start.min())
    t_bits = (int(start.max()) - t0).bit_length()
    keys = time_keys(ids, start, t_bits, t0)
    assert (np.argsort(keys, kind="stable") == np.lexsort((start, ids))).all()
    back_ids, back_start = split_keys(keys, t_bits, t0)
    assert (back_ids == ids).all() and (back_start == start).all()


def test_permute_calls_matches_numpy_takes() -> None:
    rng = np.random.default_rng(7)
    m = 1000
    cols = [rng.integers(-1, 50, m).astype(t) for t in (np.int32, np.int32, np.int32, np.int32)]
    order = rng.permutation(m).astype(np.int64)
    in_rows = rng.permutation(m).astype(np.int64)
    got = permute_calls(order, in_rows, *cols)
    new_pos = np.empty(m, np.int64)
    new_pos[order] = np.arange(m)
    for g, c in zip(got[:4], cols, strict=True):
        assert g.dtype == c.dtype and (g == c[order]).all()
    assert (got[4] == new_pos[in_rows]).all()


def test_unique_ints_matches_numpy_unique() -> None:
    rng = np.random.default_rng(10)
    for high, m in ((5, 100), (2**50, 5000), (10, 0), (2**62, 1)):
        values = rng.integers(0, high, m).astype(np.int64)
        assert np.array_equal(unique_ints(values), np.unique(values))
