import numpy as np
import pandas as pd
import pyarrow as pa

from graphfraud.graph.callgraph import encode_column
from graphfraud.kernels.encode import counting_order, csr_pointers, hash_encode, permute_calls, radix_order


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


def test_radix_order_is_a_stable_argsort() -> None:
    rng = np.random.default_rng(6)
    for high, m in ((3, 500), (2**20, 3000), (2**40, 3000), (1, 10), (5, 0)):
        keys = rng.integers(0, high, m).astype(np.int64)
        assert (radix_order(keys, int(high - 1).bit_length()) == np.argsort(keys, kind="stable")).all()


def test_permute_calls_matches_numpy_takes() -> None:
    rng = np.random.default_rng(7)
    m = 1000
    cols = [
        rng.integers(-1, 50, m).astype(t)
        for t in (np.int32, np.int32, np.int64, np.int32, np.int32, np.int32)
    ]
    order = rng.permutation(m).astype(np.int64)
    in_rows = rng.permutation(m).astype(np.int64)
    got = permute_calls(order, in_rows, *cols)
    new_pos = np.empty(m, np.int64)
    new_pos[order] = np.arange(m)
    for g, c in zip(got[:6], cols, strict=True):
        assert g.dtype == c.dtype and (g == c[order]).all()
    assert (got[6] == new_pos[in_rows]).all()
