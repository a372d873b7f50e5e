"""Ring detection on a hand-made tiny world: the ring is found, the courier and others are not."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from ring_world import COURIER, RING, T0

from graphfraud.cdr.schema import CALLS_SCHEMA
from graphfraud.errors import ConfigError, NotFound
from graphfraud.graph.callgraph import build_call_graph
from graphfraud.rings import COLUMNS, RingConfig, build_evidence_graph, detect_rings


def test_finds_the_ring_and_nobody_else(tiny_world):
    rings = detect_rings(tiny_world, seed=0)
    ring_ids = tiny_world.ids_of(RING)
    assert rings.n_rings == 1
    assert set(rings.ring_of[ring_ids].tolist()) == {0}
    assert (rings.ring_of >= 0).sum() == 3
    assert rings.ring_id_of(int(tiny_world.ids_of([COURIER])[0])) is None
    assert rings.members("R0001") == sorted(RING)


def test_ring_table_features_and_score(tiny_world):
    row = detect_rings(tiny_world, seed=0).table.to_pylist()[0]
    assert row["ring_id"] == "R0001" and row["size"] == 3
    assert row["co_targeted_victims"] == 13  # 12 victims + the hotline both ring members call
    assert row["handoffs"] == 36  # 12 victims x 3 member pairs, all within an hour
    assert row["batch_share"] == 1.0 and row["device_share"] == 0.0
    assert row["density"] == 1.0
    # Activated 5 days before T0 (local date); age is taken at the last call, 2 days later.
    assert 5 <= row["mean_activation_age_days"] <= 8
    assert 0.5 < row["score"] <= 1.0


def test_per_number_evidence_counts(tiny_world):
    ev = build_evidence_graph(tiny_world).numbers
    ids = tiny_world.ids_of(RING)
    assert ev.co_target_partners[ids].tolist() == [2, 2, 2]
    assert ev.co_targeted_victims[ids].tolist() == [12, 12, 12]
    assert ev.consecutive_batch_size[ids].tolist() == [3, 3, 3]
    courier = tiny_world.ids_of([COURIER])
    assert ev.co_target_partners[courier].tolist() == [0]
    assert ev.first_contacts[courier].tolist() == [25]


def test_evidence_graph_is_symmetric(tiny_world):
    ev = build_evidence_graph(tiny_world)
    assert ev.values.shape == (ev.indices.size, len(COLUMNS))
    n = tiny_world.n_numbers
    row = np.repeat(np.arange(n), np.diff(ev.indptr))
    forward = {(int(u), int(v)): w for u, v, w in zip(row, ev.indices, ev.weight, strict=True)}
    assert all(forward[(v, u)] == w for (u, v), w in forward.items())


def test_same_seed_same_rings(tiny_world):
    a, b = detect_rings(tiny_world, seed=7), detect_rings(tiny_world, seed=7)
    assert np.array_equal(a.ring_of, b.ring_of) and a.table.equals(b.table)


def test_sim_box_shares_one_device():
    sims = [f"1700000{7 * i:04d}" for i in range(6)]  # not consecutive
    rows = [
        (sim, f"1880{i:03d}{j:04d}", T0 + 3600 * j + 60 * i, 20, "C5", "IMEI-BOX")
        for i, sim in enumerate(sims)
        for j in range(8)
    ]
    rows += [("13600000000", "13600000001", T0, 60, "C1", "IMEI-A")]
    cols = list(zip(*rows, strict=True))
    calls = pa.Table.from_arrays(
        [pa.array(c, f.type) for c, f in zip(cols, CALLS_SCHEMA, strict=True)],
        schema=CALLS_SCHEMA,
    )
    graph = build_call_graph(calls)
    rings = detect_rings(graph, seed=0)
    assert rings.n_rings == 1 and rings.members("R0001") == sorted(sims)
    row = rings.table.to_pylist()[0]
    assert row["device_share"] == 1.0 and row["co_targeted_victims"] == 0
    ev = rings.evidence.numbers
    assert ev.shared_device_sims[graph.ids_of(sims)].tolist() == [5] * 6
    assert np.isnan(row["mean_activation_age_days"])


def test_unknown_ring_and_bad_config(tiny_world):
    with pytest.raises(NotFound):
        detect_rings(tiny_world).members("R9999")
    with pytest.raises(ConfigError):
        RingConfig(max_callers_per_callee=1)
    with pytest.raises(ConfigError):
        RingConfig(tau_s=0)


def test_a_world_without_rings_gives_an_empty_ring_table() -> None:
    """Three friends calling each other: no candidate ring, and no crash."""
    import pyarrow as pa

    from graphfraud.cdr.schema import CALLS_SCHEMA
    from graphfraud.graph import build_call_graph
    from graphfraud.rings import detect_rings
    from graphfraud.scoring import score_calls

    calls = pa.table(
        {
            "caller": ["13800000001", "13800000002", "13800000003"],
            "callee": ["13800000002", "13800000003", "13800000001"],
            "start": [1793578503, 1793578603, 1793578703],
            "duration_s": pa.array([30, 40, 50], pa.int32()),
            "cell_id": pa.array([None] * 3, pa.string()),
            "imei": pa.array([None] * 3, pa.string()),
        },
        schema=CALLS_SCHEMA,
    )
    rings = detect_rings(build_call_graph(calls), seed=0)
    assert rings.table.num_rows == 0
    assert (rings.ring_of == -1).all()
    result = score_calls(calls, None)
    assert result.numbers.num_rows == 3
    assert result.rings.num_rows == 0
    assert set(result.numbers["tier"].to_pylist()) == {"normal"}


@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_entries_of_some_rows_are_those_rows_entries_in_csr_order(tiny_world, share):
    ev = build_evidence_graph(tiny_world)
    n = tiny_world.n_numbers
    rows = np.random.default_rng(int(share * 10)).random(n) < share
    all_rows = np.repeat(np.arange(n), np.diff(ev.indptr))
    want = np.flatnonzero(rows[all_rows])
    row, at = ev.entries_of(rows)
    np.testing.assert_array_equal(at, want)
    np.testing.assert_array_equal(row, all_rows[want])
    values = ev.values_at(at)
    for c, name in enumerate(COLUMNS):
        np.testing.assert_array_equal(values[name], ev.values[want, c])
