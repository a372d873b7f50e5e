"""Ring selection helpers: medians, callback rates outside the ring, associates."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from graphfraud.cdr.schema import CALLS_SCHEMA
from graphfraud.features import compute_number_features
from graphfraud.features.synthetic import random_calls
from graphfraud.graph import build_call_graph
from graphfraud.scoring import Policy
from graphfraud.scoring.ringsel import _associates, group_medians, outside_callback_rate

T0 = 1_704_067_200  # 2024-01-01 00:00 UTC, 08:00 in UTC+8


def test_group_medians_are_numpys() -> None:
    rng = np.random.default_rng(16)
    values = rng.random(3000).round(2)  # ties
    group = rng.integers(0, 60, 3000)
    group[group == 7] = 8  # an empty group
    med = group_medians(values, group, 61, empty=1.0)
    want = [np.median(values[group == g]) if (group == g).any() else 1.0 for g in range(61)]
    assert med.tolist() == want


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_outside_callback_rate_leaves_out_co_members(seed) -> None:
    g = build_call_graph(random_calls(3000, 150, seed=seed, days=2))
    f = compute_number_features(g)
    rng = np.random.default_rng(seed)
    ring_of = np.where(rng.random(g.n_numbers) < 0.5, rng.integers(0, 4, g.n_numbers), -1)
    got = outside_callback_rate(g, ring_of, f.callback_rate, f.distinct_callees)
    pairs = set(zip(g.caller.tolist(), g.callee.tolist(), strict=True))
    for v in range(g.n_numbers):
        if ring_of[v] < 0:
            want = 1.0 if np.isnan(f.callback_rate[v]) else f.callback_rate[v]  # no callees
        else:
            judged = {u for (a, u) in pairs if a == v and ring_of[u] != ring_of[v]}
            want = sum((u, v) in pairs for u in judged) / len(judged) if judged else 1.0
        assert got[v] == pytest.approx(want, abs=1e-12), v
    # Co-members who call back raised the plain rate of some ring numbers; not this one.
    assert (got[ring_of >= 0] < f.callback_rate[ring_of >= 0] - 1e-9).any()


def _graph(calls: list[tuple[str, str, int]]):
    caller, callee, start = zip(*calls, strict=True)
    m = len(calls)
    return build_call_graph(pa.table({
        "caller": list(caller), "callee": list(callee), "start": np.asarray(start, np.int64),
        "duration_s": np.full(m, 60, np.int32), "cell_id": pa.nulls(m, pa.string()),
        "imei": pa.nulls(m, pa.string()),
    }, schema=CALLS_SCHEMA))  # fmt: skip


def test_outside_callback_rate_of_a_number_that_calls_only_co_members_is_one() -> None:
    g = _graph([("a", "b", T0), ("b", "a", T0 + 60), ("a", "c", T0 + 120), ("c", "x", T0 + 180)])
    f = compute_number_features(g)
    ids = {s: i for i, s in enumerate(g.numbers.to_pylist())}
    ring_of = np.full(g.n_numbers, -1, np.int64)
    ring_of[[ids["a"], ids["b"]]] = 0
    got = outside_callback_rate(g, ring_of, f.callback_rate, f.distinct_callees)
    assert got[ids["b"]] == 1.0  # its one callee is a co-member
    assert got[ids["a"]] == 0.0  # c, outside the ring, never calls back; b does not count
    assert f.callback_rate[ids["a"]] == 0.5
    assert got[ids["x"]] == 1.0  # calls nobody


@pytest.mark.parametrize("rung_again", [False, True])
def test_an_associate_is_rung_again_a_victim_once_by_each(rung_again) -> None:
    """Three members hand x on over a night, and x calls two of them back: a victim. Had one
    of them rung x a second time, x would be an accomplice (a mule)."""
    calls = []
    for k, member in enumerate(("m1", "m2", "m3")):
        t = T0 + 3600 * (10 + 7 * k)  # 18:00, 01:00 and 08:00 local time: the chain spans days
        calls.append((member, "x", t))
        if k < 2:
            calls.append(("x", member, t + 600))
    if rung_again:
        calls.append(("m1", "x", T0 + 3600 * 12))
    g = _graph(calls)
    ids = {s: i for i, s in enumerate(g.numbers.to_pylist())}
    member_of = np.full(g.n_numbers, -1, np.int64)
    member_of[[ids["m1"], ids["m2"], ids["m3"]]] = 0
    out = _associates(g, member_of, member_of >= 0, 1, Policy())
    assert out[ids["x"]] == (0 if rung_again else -1)
    assert (out[member_of >= 0] == -1).all()
    # Every condition counts: with one member fewer in touch, x is no associate.
    fewer = member_of.copy()
    fewer[ids["m3"]] = -1
    assert _associates(g, fewer, fewer >= 0, 1, Policy())[ids["x"]] == -1
