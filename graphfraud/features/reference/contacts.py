"""pandas/numpy references for the contact kernels (fan-out, callbacks, dialling order).

Deliberately different algorithms from the kernels: group-bys, merges and sorted-key searches
instead of per-caller loops. Slow on big graphs; used by tests and ``bench/kernels.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphfraud.graph import CallGraph

__all__ = [
    "calls_frame",
    "ref_callback_counts",
    "ref_first_contact_flags",
    "ref_prefix_counts",
    "ref_sequential_dial_counts",
    "ref_windowed_fanout",
]


def calls_frame(graph: CallGraph) -> pd.DataFrame:
    """The calls as a DataFrame, in stored (caller, start) order."""
    return pd.DataFrame(
        {
            "caller": graph.caller.astype(np.int64),
            "callee": graph.callee.astype(np.int64),
            "start": graph.start,
            "duration": graph.duration,
            "cell": graph.cell,
            "imei": graph.imei,
        }
    )


def _per_number(series: pd.Series, n: int, fill: float = 0) -> np.ndarray:
    out = np.full(n, fill, dtype=np.float64)
    out[series.index.to_numpy(dtype=np.int64)] = series.to_numpy(dtype=np.float64)
    return out


def ref_first_contact_flags(df: pd.DataFrame) -> np.ndarray:
    """bool[m]: first call of each (caller, callee) pair (rows are already in time order)."""
    return ~df.duplicated(["caller", "callee"]).to_numpy()


def ref_windowed_fanout(df: pd.DataFrame, first: np.ndarray, window_s: int, n: int) -> np.ndarray:
    """Most first contacts within any ``[t, t + window_s)``, via sorted-key search."""
    fc = df.loc[first, ["caller", "start"]]
    key = fc["caller"].to_numpy() * (1 << 40) + fc["start"].to_numpy()
    ends = np.searchsorted(key, key + window_s, side="left")
    counts = pd.Series(ends - np.arange(key.size)).groupby(fc["caller"].to_numpy()).max()
    return _per_number(counts, n).astype(np.int32)


def ref_callback_counts(df: pd.DataFrame, window_s: int, n: int) -> tuple[np.ndarray, ...]:
    """(callbacks, quick callbacks, prior contacts) per caller: pairs merged with back-calls."""
    pairs = df.groupby(["caller", "callee"], as_index=False)["start"].min()
    back = df[["caller", "callee", "start"]].rename(
        columns={"caller": "callee", "callee": "caller", "start": "back"}
    )
    joined = pairs.merge(back, on=["caller", "callee"], how="inner")
    joined["prior"] = joined["back"] < joined["start"]
    joined["quick"] = (joined["back"] >= joined["start"]) & (
        joined["back"] <= joined["start"] + window_s
    )
    per_pair = joined.groupby(["caller", "callee"])[["prior", "quick"]].any().reset_index()
    by_caller = per_pair.groupby("caller")
    return (
        _per_number(by_caller.size(), n).astype(np.int32),
        _per_number(by_caller["quick"].sum(), n).astype(np.int32),
        _per_number(by_caller["prior"].sum(), n).astype(np.int32),
    )


def ref_sequential_dial_counts(
    df: pd.DataFrame, callee_value: np.ndarray, max_gap: int, n: int
) -> np.ndarray:
    """Steps between consecutive calls of a caller to numerically adjacent numbers."""
    value = pd.Series(callee_value[df["callee"].to_numpy()])
    prev = value.groupby(df["caller"].to_numpy()).shift(1)
    gap = (value - prev).abs()
    hit = (prev >= 0) & (value >= 0) & (gap > 0) & (gap <= max_gap)
    return _per_number(hit.groupby(df["caller"].to_numpy()).sum(), n).astype(np.int32)


def ref_prefix_counts(df: pd.DataFrame, prefix_id: np.ndarray, n: int) -> np.ndarray:
    """Distinct callee prefixes per caller."""
    prefix = pd.Series(prefix_id[df["callee"].to_numpy()])
    return _per_number(prefix.groupby(df["caller"].to_numpy()).nunique(), n).astype(np.int32)
