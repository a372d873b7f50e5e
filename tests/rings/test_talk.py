"""Talk evidence: co-targeting counts twice between callers who also call each other."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from graphfraud.cdr.schema import CALLS_SCHEMA
from graphfraud.graph.callgraph import build_call_graph
from graphfraud.rings import COLUMNS, RingConfig, build_evidence_graph

T0 = 1_704_096_000  # 2024-01-01 08:00 UTC
H = 3600


def _graph(calls):
    caller, callee, start = zip(*calls, strict=True)
    m = len(calls)
    return build_call_graph(pa.table({
        "caller": list(caller), "callee": list(callee), "start": np.asarray(start, np.int64),
        "duration_s": np.full(m, 60, np.int32),
        "cell_id": pa.nulls(m, pa.string()), "imei": pa.nulls(m, pa.string()),
    }, schema=CALLS_SCHEMA))  # fmt: skip


def _pair(g, x: str, y: str, config: RingConfig | None = None) -> tuple[dict[str, float], float]:
    """Columns and clustering weight of the evidence between ``x`` and ``y``."""
    ev = build_evidence_graph(g, config)
    ids = {s: i for i, s in enumerate(g.numbers.to_pylist())}
    row, col = ids[x], ids[y]
    at = ev.indptr[row] + np.flatnonzero(ev.indices[ev.indptr[row] : ev.indptr[row + 1]] == col)[0]
    return dict(zip(COLUMNS, ev.values[at].tolist(), strict=True)), float(ev.weight[at])


TALK = [("a", "b", T0 + 9 * H), ("b", "a", T0 + 10 * H)]  # a rings b, b rings a back


def _slow_handoffs(victims: int) -> list[tuple[str, str, int]]:
    """a rings each victim, b the same victim five hours later (little decayed weight)."""
    calls = []
    for k in range(victims):
        calls += [("a", f"v{k}", T0 + k * 600), ("b", f"v{k}", T0 + k * 600 + 5 * H)]
    return calls


@pytest.mark.parametrize("both_ways", [True, False])
def test_callers_who_share_victims_and_call_each_other_count_twice(both_ways) -> None:
    v, w = _pair(_graph(_slow_handoffs(3) + (TALK if both_ways else TALK[:1])), "a", "b")
    co = 3 * np.exp(-5 / 3)  # three victims, each handed on five hours later (tau 3 h)
    assert v["co_target"] == pytest.approx(co) and v["shared_callees"] == 3
    assert v["talk"] == (pytest.approx(co) if both_ways else 0.0)  # one call is no talk
    assert w == pytest.approx(2 * co if both_ways else co)


def test_talk_adds_at_most_one_unit() -> None:
    calls = [(x, f"v{k}", T0 + k * 60 + 120 * (x == "b")) for x in "ab" for k in range(4)]
    v, w = _pair(_graph(calls + TALK), "a", "b")
    assert v["co_target"] > 3.5 and v["talk"] == 1.0 and w == pytest.approx(v["co_target"] + 1)


def test_friends_who_ring_one_shop_are_no_talk() -> None:
    """One shared callee is not enough: friends who call each other and the same shop."""
    g = _graph(_slow_handoffs(1) + TALK)
    v, _ = _pair(g, "a", "b")
    assert v["shared_callees"] == 1 and v["talk"] == 0.0
    assert _pair(g, "a", "b", RingConfig(talk_min_shared_callees=1))[0]["talk"] > 0  # the threshold's


def test_no_talk_weight_leaves_co_targeting_alone() -> None:
    v, w = _pair(_graph(_slow_handoffs(3) + TALK), "a", "b", RingConfig(weight_talk=0.0))
    assert v["talk"] == 0.0 and w == pytest.approx(v["co_target"])
