"""pandas/networkx references for the profile, device and co-location kernels."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from graphfraud.features.reference.contacts import _per_number

__all__ = [
    "ref_call_profiles",
    "ref_colocated_high_fanout",
    "ref_distinct_counts",
    "ref_hourly_unit_vectors",
    "ref_max_sims_per_imei",
    "ref_peer_hour_synchrony",
]

_DAY_S = 86400


def ref_call_profiles(
    df: pd.DataFrame, offset_s: int, short_s: int, work: tuple[int, int], n: int
) -> tuple[np.ndarray, ...]:
    """Same outputs as :func:`graphfraud.kernels.profiles.call_profiles`, with group-bys."""
    local = df["start"] + offset_s
    d = pd.DataFrame(
        {
            "caller": df["caller"],
            "hour": (local % _DAY_S) // 3600,
            "day": local // _DAY_S,
            "duration": df["duration"],
        }
    )
    d["answered"] = d["duration"] > 0
    d["short"] = d["answered"] & (d["duration"] < short_s)
    d["off"] = (d["hour"] < work[0]) | (d["hour"] >= work[1])
    g = d.groupby("caller")
    median = d[d["answered"]].groupby("caller")["duration"].median()
    p = d.groupby(["caller", "hour"]).size() / g.size()
    entropy = (-(p * np.log2(p))).groupby(level="caller").sum()
    return (
        _per_number(g["answered"].sum(), n).astype(np.int32),
        _per_number(median, n, np.nan),
        _per_number(g["short"].sum(), n).astype(np.int32),
        _per_number(g["off"].sum(), n).astype(np.int32),
        _per_number(entropy, n, np.nan),
        _per_number(g["hour"].nunique(), n).astype(np.int32),
        _per_number(g["day"].nunique(), n).astype(np.int32),
    )


def ref_hourly_unit_vectors(df: pd.DataFrame, offset_s: int, n: int) -> np.ndarray:
    """Calls per local hour of day, each row scaled to unit length."""
    vec = np.zeros((n, 24))
    hour = ((df["start"] + offset_s) % _DAY_S) // 3600
    np.add.at(vec, (df["caller"].to_numpy(), hour.to_numpy()), 1.0)
    norm = np.linalg.norm(vec, axis=1, keepdims=True)
    return np.divide(vec, norm, out=np.zeros_like(vec), where=norm > 0)


def ref_distinct_counts(df: pd.DataFrame, column: str, n: int) -> np.ndarray:
    """Distinct known (>= 0) values of ``column`` per caller."""
    known = df[df[column] >= 0]
    return _per_number(known.groupby("caller")[column].nunique(), n).astype(np.int32)


def ref_max_sims_per_imei(df: pd.DataFrame, n: int) -> np.ndarray:
    """Most SIMs in any of the SIM's handsets."""
    pairs = df.loc[df["imei"] >= 0, ["caller", "imei"]].drop_duplicates()
    pairs["sims"] = pairs.groupby("imei")["caller"].transform("size")
    return _per_number(pairs.groupby("caller")["sims"].max(), n).astype(np.int32)


def ref_colocated_high_fanout(
    df: pd.DataFrame, is_high: np.ndarray, offset_s: int, n: int
) -> np.ndarray:
    """Most other high-fan-out SIMs on one (cell, local day) with the SIM."""
    d = df.loc[df["cell"] >= 0, ["caller", "cell"]].copy()
    d["day"] = (df.loc[d.index, "start"] + offset_s) // _DAY_S
    d = d.drop_duplicates()
    d["high"] = is_high[d["caller"].to_numpy()]
    d["group_high"] = d.groupby(["cell", "day"])["high"].transform("sum")
    best = d.groupby("caller")["group_high"].max()
    out = _per_number(best, n) - is_high
    return np.maximum(out, 0).astype(np.int32)


def ref_peer_hour_synchrony(
    df: pd.DataFrame, unit_hours: np.ndarray, max_group: int, n: int
) -> np.ndarray:
    """Max cosine with a peer, on a networkx SIM–handset/cell bipartite graph."""
    g = nx.Graph()
    for col in ("imei", "cell"):
        known = df.loc[df[col] >= 0, ["caller", col]].drop_duplicates()
        g.add_edges_from((("sim", int(s)), (col, int(x))) for s, x in known.itertuples(index=False))
    out = np.full(n, np.nan)
    for v in range(n):
        if ("sim", v) not in g:
            continue
        best = -1.0
        for group in g[("sim", v)]:
            if g.degree(group) > max_group:
                continue
            for _, u in g[group]:
                if u != v:
                    best = max(best, float(unit_hours[v] @ unit_hours[u]))
        if best >= 0:
            out[v] = min(best, 1.0)
    return out
