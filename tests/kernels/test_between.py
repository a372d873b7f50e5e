import numpy as np

from graphfraud.kernels.between import calls_between, edges_in_contact


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


def test_edges_in_contact_is_two_way_contact_on_the_asked_pairs() -> None:
    from graphfraud.kernels.fanout import contact_pairs
    from graphfraud.kernels.ring_pairs import reduce_pairs_to_edges

    rng = np.random.default_rng(15)
    n, m = 60, 900
    caller = rng.integers(0, n, m).astype(np.int32)
    order = np.argsort(caller, kind="stable")
    caller, callee = caller[order], rng.integers(0, n, m).astype(np.int32)
    out_ptr = np.searchsorted(caller, np.arange(n + 1)).astype(np.int64)
    _, ptr, _, callees = contact_pairs(out_ptr, callee)
    a, b = rng.integers(0, n, 400).astype(np.int32), rng.integers(0, n, 400).astype(np.int32)
    indptr, indices, edge, pair_values = reduce_pairs_to_edges(n, a, b, np.ones((400, 1)))
    asked = rng.random(pair_values.shape[0]) < 0.7
    got = edges_in_contact(ptr, callees, indptr, indices, edge, asked)
    called = set(zip(caller.tolist(), callee.tolist(), strict=True))
    row = np.repeat(np.arange(n), np.diff(indptr))
    seen = 0
    for r, c, e in zip(row.tolist(), indices.tolist(), edge.tolist(), strict=True):
        want = bool(asked[e]) and (r, c) in called and (c, r) in called
        assert got[e] == want, (r, c)
        seen += want
    assert seen > 0 and not got[~asked].any()  # some pairs do talk; unasked ones are never tested
