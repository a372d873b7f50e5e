import numpy as np

from graphfraud.kernels.between import calls_between


def test_calls_between_matches_numpy_masks() -> None:
    rng = np.random.default_rng(14)
    caller = rng.integers(0, 100, 5000).astype(np.int32)
    callee = rng.integers(0, 100, 5000).astype(np.int32)
    for share in (0.0, 0.1, 0.5, 1.0):
        a, b = rng.random(100) < share, rng.random(100) < share
        got = calls_between(caller, callee, a, b)
        assert got.dtype == np.int64
        assert np.array_equal(got, np.flatnonzero(a[caller] & b[callee]))
    assert calls_between(caller[:0], callee[:0], a, b).size == 0
