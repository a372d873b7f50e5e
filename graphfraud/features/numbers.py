"""Per-number features: validate a :class:`CallGraph`, run the kernels, return arrays or Arrow."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphfraud.errors import GraphFraudError
from graphfraud.graph import CallGraph
from graphfraud.kernels.devices import (
    cell_day_codes,
    coarse_codes,
    concat_rows,
    distinct_codes,
    invert_csr,
    max_over_members,
)
from graphfraud.kernels.fanout import (
    first_contact_flags,
    windowed_first_contact_fanout,
)
from graphfraud.kernels.profiles import (
    call_profiles,
    distinct_per_caller,
    hourly_unit_vectors,
    sequential_dial_counts,
)
from graphfraud.kernels.reciprocity import callback_counts
from graphfraud.kernels.synchrony import peer_hour_synchrony

__all__ = ["NumberFeatures", "compute_number_features", "number_prefixes", "number_values"]

_HOUR_S = 3600
_DAY_S = 86400


@dataclass(frozen=True)
class NumberFeatures:
    """Feature arrays indexed by number id; see ``FEATURE_COLUMNS`` for units."""

    numbers: pa.Array
    out_calls: np.ndarray
    in_calls: np.ndarray
    outgoing_share: np.ndarray
    distinct_callees: np.ndarray
    first_contact_fanout_1h: np.ndarray
    first_contact_fanout_24h: np.ndarray
    first_contact_share: np.ndarray
    repeat_contact_ratio: np.ndarray
    stranger_share: np.ndarray
    callback_rate: np.ndarray
    callback_24h_rate: np.ndarray
    answer_rate: np.ndarray
    median_answered_duration_s: np.ndarray
    short_answer_share: np.ndarray
    off_hours_share: np.ndarray
    hour_entropy_bits: np.ndarray
    active_hours: np.ndarray
    active_days: np.ndarray
    distinct_cells: np.ndarray
    callee_prefix_spread: np.ndarray
    sequential_dial_share: np.ndarray
    account_age_days: np.ndarray
    distinct_imeis: np.ndarray
    max_sims_per_imei: np.ndarray
    colocated_high_fanout_sims: np.ndarray
    peer_hour_synchrony: np.ndarray

    def to_arrow(self) -> pa.Table:
        """One row per number id: ``number`` then one column per feature."""
        cols = {"number": self.numbers}
        for f in fields(self):
            if f.name != "numbers":
                cols[f.name] = pa.array(getattr(self, f.name))
        return pa.table(cols)


def _share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den as float64, NaN where den is 0."""
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def number_values(numbers: pa.Array) -> np.ndarray:
    """int64 value of each digit-string number (-1 when not 1–18 digits)."""
    ok = pc.fill_null(pc.match_substring_regex(numbers, r"^[0-9]{1,18}$"), False)
    digits = pc.if_else(ok, numbers, pa.scalar("-1"))
    return pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)


def number_prefixes(numbers: pa.Array, digits: int = 7) -> np.ndarray:
    """int64 id of each number's first ``digits`` characters (shorter numbers: the whole).

    -1 for values that are not digit strings (pseudonym tokens have no meaningful prefix).
    """
    prefix = pc.utf8_slice_codeunits(numbers, 0, digits)
    codes = pc.dictionary_encode(prefix).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    digits_only = pc.fill_null(pc.match_substring_regex(numbers, r"^[0-9]+$"), False)
    return np.where(digits_only.to_numpy(zero_copy_only=False), codes, -1)


def _check(graph: CallGraph) -> None:
    n, m = graph.n_numbers, graph.n_calls
    if graph.out_ptr.shape != (n + 1,) or graph.in_ptr.shape != (n + 1,):
        raise GraphFraudError("call graph: CSR index lengths do not match the number count")
    if int(graph.out_ptr[-1]) != m or int(graph.in_ptr[-1]) != m:
        raise GraphFraudError("call graph: CSR index does not cover every call")
    for name in ("callee", "start", "duration", "cell", "imei"):
        if getattr(graph, name).shape != (m,):
            raise GraphFraudError(f"call graph: {name} has the wrong length")


def compute_number_features(
    graph: CallGraph,
    *,
    local_utc_offset_hours: float = 8.0,
    high_fanout_threshold: int = 10,
    callback_window_s: int = _DAY_S,
    short_call_s: int = 10,
    working_hours: tuple[int, int] = (8, 20),
    sequential_gap: int = 10,
    max_peer_group: int = 50,
) -> NumberFeatures:
    """Compute every per-number feature (see ``FEATURE_COLUMNS``) from a call graph.

    Parameters
    ----------
    graph : CallGraph
        The encoded calls.
    local_utc_offset_hours : float
        Subscribers' local time minus UTC, hours (hour-of-day and day features).
    high_fanout_threshold : int
        A SIM with ``first_contact_fanout_1h`` at or above this many callees counts as high
        fan-out for ``colocated_high_fanout_sims``.
    callback_window_s : int
        Window of ``callback_24h_rate``, seconds.
    short_call_s : int
        Answered calls shorter than this many seconds are short.
    working_hours : (int, int)
        Local working hours ``[start, end)``.
    sequential_gap : int
        Largest numeric gap between callee numbers that counts as sequential dialling.
    max_peer_group : int
        Handsets or cells with more SIMs than this are not compared in ``peer_hour_synchrony``.

    Returns
    -------
    NumberFeatures
        Arrays indexed by number id; ``.to_arrow()`` gives the table.

    Examples
    --------
    >>> from graphfraud.features.synthetic import calls_table
    >>> from graphfraud.graph import build_call_graph
    >>> rows = [("1", "2", 1_704_067_200, 30), ("1", "3", 1_704_067_260, 0)]
    >>> f = compute_number_features(build_call_graph(calls_table(rows)))
    >>> f.first_contact_fanout_1h.tolist(), f.answer_rate.tolist()[0]
    ([2, 0, 0], 0.5)
    """
    _check(graph)
    n, m = graph.n_numbers, graph.n_calls
    offset_s = round(local_utc_offset_hours * _HOUR_S)
    out_ptr, start = graph.out_ptr, graph.start

    out_calls = np.diff(out_ptr).astype(np.int32)
    in_calls = np.diff(graph.in_ptr).astype(np.int32)

    by_pair, pair_ptr, pair_start, pair_callee = graph.contact_pairs
    distinct_callees = np.diff(pair_ptr).astype(np.int32)
    is_first = first_contact_flags(by_pair, pair_start, m)
    fanout_1h = windowed_first_contact_fanout(out_ptr, start, is_first, _HOUR_S)
    fanout_24h = windowed_first_contact_fanout(out_ptr, start, is_first, _DAY_S)
    callbacks, quick, prior = callback_counts(
        pair_ptr, pair_start, pair_callee, by_pair, start, callback_window_s
    )

    answered, median_s, short, off_hours, entropy, active_hours, active_days = call_profiles(
        out_ptr, start, graph.duration, offset_s, short_call_s, *working_hours
    )
    values, prefixes = graph.number_keys
    seq = sequential_dial_counts(out_ptr, graph.callee, values, sequential_gap)
    prefix_spread = distinct_per_caller(pair_ptr, pair_callee, prefixes)

    first_start = np.zeros(n, np.int64)
    has_out = out_calls > 0
    first_start[has_out] = start[out_ptr[:-1][has_out]]
    known = (graph.activated_day >= 0) & (out_calls > 0)
    age = np.full(n, np.nan)
    age[known] = first_start[known] / _DAY_S - graph.activated_day[known]

    imei_ptr, imei_vals = graph.caller_imeis
    sims_per_imei = np.bincount(imei_vals, minlength=len(graph.imeis)).astype(np.float64)
    max_sims = max_over_members(imei_ptr, imei_vals, sims_per_imei).astype(np.int32)

    # Co-location: (cell, local day) groups; count the high fan-out SIMs in each.
    is_high = (fanout_1h >= high_fanout_threshold).astype(np.int32)
    cellday, n_days = cell_day_codes(graph.cell, start, offset_s, _DAY_S)
    cd_ptr, cd_codes = distinct_codes(out_ptr, cellday)
    cell_ptr, cell_vals = coarse_codes(cd_ptr, cd_codes, n_days)  # one sort for cells and cell-days
    if len(graph.cells) * n_days <= 4 * max(m, 1):
        cd_dense, n_cd = cd_codes, len(graph.cells) * n_days  # already small and dense
    else:
        cd_groups, cd_dense = np.unique(cd_codes, return_inverse=True)
        cd_dense, n_cd = cd_dense.astype(np.int64), len(cd_groups)
    owners = np.repeat(np.arange(n, dtype=np.int64), np.diff(cd_ptr))
    high_in_group = np.bincount(cd_dense, weights=is_high[owners], minlength=n_cd)
    colocated = max_over_members(cd_ptr, cd_dense, high_in_group) - is_high
    colocated = np.maximum(colocated, 0).astype(np.int32)

    # Synchrony peers: SIMs sharing a handset (IMEI) or a cell.
    n_imei = len(graph.imeis)
    sim_ptr, sim_groups = concat_rows(imei_ptr, imei_vals, cell_ptr, cell_vals, n_imei)
    group_ptr, group_sims, _ = invert_csr(sim_ptr, sim_groups, n_imei + len(graph.cells))
    unit_hours = hourly_unit_vectors(out_ptr, start, offset_s)
    synchrony = peer_hour_synchrony(sim_ptr, sim_groups, group_ptr, group_sims, unit_hours, max_peer_group)

    return NumberFeatures(
        numbers=graph.numbers,
        out_calls=out_calls,
        in_calls=in_calls,
        outgoing_share=_share(out_calls, out_calls + in_calls),
        distinct_callees=distinct_callees,
        first_contact_fanout_1h=fanout_1h,
        first_contact_fanout_24h=fanout_24h,
        first_contact_share=_share(distinct_callees, out_calls),
        repeat_contact_ratio=_share(out_calls, distinct_callees),
        stranger_share=1.0 - _share(prior, distinct_callees),
        callback_rate=_share(callbacks, distinct_callees),
        callback_24h_rate=_share(quick, distinct_callees),
        answer_rate=_share(answered, out_calls),
        median_answered_duration_s=median_s,
        short_answer_share=_share(short, answered),
        off_hours_share=_share(off_hours, out_calls),
        hour_entropy_bits=entropy,
        active_hours=active_hours,
        active_days=active_days,
        distinct_cells=np.diff(cell_ptr).astype(np.int32),
        callee_prefix_spread=_share(prefix_spread, distinct_callees),
        sequential_dial_share=_share(seq, out_calls - 1),
        account_age_days=age,
        distinct_imeis=np.diff(imei_ptr).astype(np.int32),
        max_sims_per_imei=max_sims,
        colocated_high_fanout_sims=colocated,
        peer_hour_synchrony=synchrony,
    )
