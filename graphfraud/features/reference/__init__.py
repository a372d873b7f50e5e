"""Slow, independent references for every feature kernel (pandas, numpy, networkx).

Tests compare the kernels with these on small graphs; ``bench/kernels.py`` times both.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from graphfraud.features.numbers import number_prefixes, number_values
from graphfraud.features.reference.contacts import (
    calls_frame,
    ref_callback_counts,
    ref_first_contact_flags,
    ref_prefix_counts,
    ref_sequential_dial_counts,
    ref_windowed_fanout,
)
from graphfraud.features.reference.places import (
    ref_call_profiles,
    ref_colocated_high_fanout,
    ref_distinct_counts,
    ref_hourly_unit_vectors,
    ref_max_sims_per_imei,
    ref_peer_hour_synchrony,
)
from graphfraud.graph import CallGraph

__all__ = ["reference_number_features"]


def _share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def reference_number_features(
    graph: CallGraph, *, local_utc_offset_hours: float = 8.0, high_fanout_threshold: int = 10
) -> pa.Table:
    """Every column of ``compute_number_features(graph).to_arrow()``, the slow way."""
    n = graph.n_numbers
    df = calls_frame(graph)
    offset_s = round(local_utc_offset_hours * 3600)
    out_calls = np.bincount(graph.caller, minlength=n).astype(np.int32)
    in_calls = np.bincount(graph.callee, minlength=n).astype(np.int32)
    first = ref_first_contact_flags(df)
    distinct = np.bincount(graph.caller[first], minlength=n).astype(np.int32)
    fan_1h = ref_windowed_fanout(df, first, 3600, n)
    callbacks, quick, prior = ref_callback_counts(df, 86400, n)
    answered, median, short, off, entropy, hours, days = ref_call_profiles(
        df, offset_s, 10, (8, 20), n
    )
    seq = ref_sequential_dial_counts(df, number_values(graph.numbers), 10, n)
    first_start = df.groupby("caller")["start"].min().reindex(range(n)).to_numpy()
    age = np.where(
        (graph.activated_day >= 0) & (out_calls > 0),
        first_start / 86400 - graph.activated_day,
        np.nan,
    )
    is_high = (fan_1h >= high_fanout_threshold).astype(np.int32)
    unit = ref_hourly_unit_vectors(df, offset_s, n)
    cols = {
        "number": graph.numbers,
        "out_calls": out_calls,
        "in_calls": in_calls,
        "outgoing_share": _share(out_calls, out_calls + in_calls),
        "distinct_callees": distinct,
        "first_contact_fanout_1h": fan_1h,
        "first_contact_fanout_24h": ref_windowed_fanout(df, first, 86400, n),
        "first_contact_share": _share(distinct, out_calls),
        "repeat_contact_ratio": _share(out_calls, distinct),
        "stranger_share": 1.0 - _share(prior, distinct),
        "callback_rate": _share(callbacks, distinct),
        "callback_24h_rate": _share(quick, distinct),
        "answer_rate": _share(answered, out_calls),
        "median_answered_duration_s": median,
        "short_answer_share": _share(short, answered),
        "off_hours_share": _share(off, out_calls),
        "hour_entropy_bits": entropy,
        "active_hours": hours,
        "active_days": days,
        "distinct_cells": ref_distinct_counts(df, "cell", n),
        "callee_prefix_spread": _share(
            ref_prefix_counts(df, number_prefixes(graph.numbers), n), distinct
        ),
        "sequential_dial_share": _share(seq, out_calls - 1),
        "account_age_days": age,
        "distinct_imeis": ref_distinct_counts(df, "imei", n),
        "max_sims_per_imei": ref_max_sims_per_imei(df, n),
        "colocated_high_fanout_sims": ref_colocated_high_fanout(df, is_high, offset_s, n),
        "peer_hour_synchrony": ref_peer_hour_synchrony(df, unit, 50, n),
    }
    return pa.table({k: pa.array(v) for k, v in cols.items()})
