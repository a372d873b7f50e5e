"""compute_number_features: every column equals the slow reference; hand-checked small cases."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from graphfraud.features import FEATURE_COLUMNS, NumberFeatures, compute_number_features
from graphfraud.features.reference import reference_number_features
from graphfraud.features.synthetic import calls_table, random_calls, random_subscribers
from graphfraud.graph import build_call_graph

T0 = 1_704_067_200  # 2024-01-01 00:00 UTC = 08:00 at UTC+8


def _assert_tables_equal(got, want) -> None:
    assert got.column_names == want.column_names
    for name in got.column_names[1:]:
        a = np.asarray(got[name].to_numpy(zero_copy_only=False), dtype=np.float64)
        b = np.asarray(want[name].to_numpy(zero_copy_only=False), dtype=np.float64)
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6, equal_nan=True, err_msg=name)


def test_columns_match_the_documented_list():
    from dataclasses import fields

    assert [f.name for f in fields(NumberFeatures)][1:] == list(FEATURE_COLUMNS)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_graph_matches_reference(seed):
    n = 150 + 50 * seed
    graph = build_call_graph(
        random_calls(1500, n, seed=seed, days=3, n_cells=12, n_imeis=60),
        random_subscribers(n, seed=seed),
    )
    got = compute_number_features(graph, high_fanout_threshold=3).to_arrow()
    want = reference_number_features(graph, high_fanout_threshold=3)
    _assert_tables_equal(got, want)


def test_other_offset_and_dense_bursts_match_reference():
    # Many calls within minutes, so windows overlap and ties in start time occur.
    calls = random_calls(800, 40, seed=7, days=1, n_cells=3, n_imeis=10)
    starts = T0 + (np.arange(800) % 90) * 30
    calls = calls.set_column(2, "start", pa.array(starts))
    graph = build_call_graph(calls)
    got = compute_number_features(graph, local_utc_offset_hours=-5.5, high_fanout_threshold=5)
    want = reference_number_features(graph, local_utc_offset_hours=-5.5, high_fanout_threshold=5)
    _assert_tables_equal(got.to_arrow(), want)


def test_hand_made_caller():
    # "1" dials 100..104 (adjacent numbers) within 40 min, then 100 again next day; 100 calls back.
    rows = [("1", str(100 + k), T0 + 600 * k, 30 if k % 2 == 0 else 0, "c1", "i1") for k in range(5)]
    rows += [("1", "100", T0 + 86400 + 60, 5, "c2", "i1"), ("100", "1", T0 + 3000, 12, "c1", "i2")]
    graph = build_call_graph(calls_table(rows))
    f = compute_number_features(graph, high_fanout_threshold=5)
    v = int(graph.ids_of(["1"])[0])
    assert f.out_calls[v] == 6 and f.in_calls[v] == 1
    assert f.distinct_callees[v] == 5
    assert f.first_contact_fanout_1h[v] == 5 and f.first_contact_fanout_24h[v] == 5
    assert f.repeat_contact_ratio[v] == pytest.approx(6 / 5)
    assert f.callback_rate[v] == pytest.approx(1 / 5)
    assert f.callback_24h_rate[v] == pytest.approx(1 / 5)
    assert f.stranger_share[v] == 1.0
    assert f.answer_rate[v] == pytest.approx(4 / 6)
    assert f.median_answered_duration_s[v] == pytest.approx(30.0)
    assert f.short_answer_share[v] == pytest.approx(1 / 4)
    assert f.off_hours_share[v] == 0.0  # 08:00-08:40 and 08:01 next day, local time
    assert f.active_hours[v] == 1 and f.active_days[v] == 2
    assert f.sequential_dial_share[v] == 1.0  # 104 -> 100 is a gap of 4, adjacent too
    assert f.distinct_cells[v] == 2 and f.distinct_imeis[v] == 1
    assert f.max_sims_per_imei[v] == 1
    assert f.peer_hour_synchrony[v] == pytest.approx(1.0)  # "100" on cell c1, same hour
    u = int(graph.ids_of(["100"])[0])
    assert f.stranger_share[u] == 0.0  # "1" had called "100" before "100" called back
    assert f.colocated_high_fanout_sims[u] == 1 and f.colocated_high_fanout_sims[v] == 0


def test_number_without_outgoing_calls_and_single_call():
    graph = build_call_graph(calls_table([("5", "6", T0, 0)]))
    f = compute_number_features(graph)
    caller, callee = (int(x) for x in graph.ids_of(["5", "6"]))
    assert f.out_calls[callee] == 0 and f.first_contact_fanout_1h[callee] == 0
    assert math.isnan(f.answer_rate[callee]) and math.isnan(f.callback_rate[callee])
    assert f.outgoing_share[callee] == 0.0 and f.outgoing_share[caller] == 1.0
    assert f.first_contact_fanout_1h[caller] == 1 and f.answer_rate[caller] == 0.0
    assert math.isnan(f.median_answered_duration_s[caller])
    assert math.isnan(f.sequential_dial_share[caller])  # one call, no step
    assert math.isnan(f.account_age_days[caller])
    assert f.distinct_imeis[caller] == 0 and math.isnan(f.peer_hour_synchrony[caller])


def test_ties_in_time_count_every_callee_once():
    # four callees in one second, then the first again a second later (the same second would be
    # a repeated record of one call, counted once: see test_callgraph)
    rows = [("1", str(200 + k), T0, 1) for k in range(4)] + [("1", "200", T0 + 1, 1)]
    f = compute_number_features(build_call_graph(calls_table(rows)))
    assert f.first_contact_fanout_1h.max() == 4
    assert f.repeat_contact_ratio[0] == pytest.approx(5 / 4)


def test_window_is_half_open():
    rows = [("1", "2", T0, 1), ("1", "3", T0 + 3599, 1), ("1", "4", T0 + 3600, 1)]
    f = compute_number_features(build_call_graph(calls_table(rows)))
    assert f.first_contact_fanout_1h[0] == 2 and f.first_contact_fanout_24h[0] == 3


def test_account_age_from_subscribers():
    graph = build_call_graph(
        calls_table([("13800000001", "2", T0 + 43200, 1)]), random_subscribers(2, known_share=1)
    )
    f = compute_number_features(graph)
    day = graph.activated_day[0]
    assert f.account_age_days[0] == pytest.approx(T0 / 86400 + 0.5 - day)


def test_empty_graph():
    f = compute_number_features(build_call_graph(calls_table([])))
    assert f.to_arrow().num_rows == 0


def test_subscribers_without_calls():
    graph = build_call_graph(calls_table([]), random_subscribers(3, known_share=1))
    f = compute_number_features(graph)
    assert f.out_calls.tolist() == [0, 0, 0]
    assert np.isnan(f.account_age_days).all() and np.isnan(f.outgoing_share).all()


def test_settings_declare_the_local_offset():
    from graphfraud.settings import Settings

    assert Settings().local_utc_offset_hours == 8.0


def test_pseudonym_tokens_have_no_number_prefix() -> None:
    import pyarrow as pa

    from graphfraud.features.numbers import number_prefixes

    codes = number_prefixes(pa.array(["13800138000", "x0123456789abcdef01234567", "13800139999"]))
    assert codes[1] == -1
    assert codes[0] == codes[2] >= 0  # same first 7 digits
