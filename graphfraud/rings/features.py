"""Ring-level features and the ring score.

The score is a weighted mean of six parts, each in [0, 1], so it is in [0, 1] too:

=====================  ======  ===============================================================
part                   weight  value
=====================  ======  ===============================================================
co-targeted victims     0.30   ``1 - exp(-victims / 20)``; callees reached by >= 2 members
hand-offs               0.20   ``1 - exp(-handoffs / 20)``; shared first contacts within hours
shared devices          0.15   share of members sharing an IMEI with another member
number batch            0.10   share of members in a consecutive-number run with another member
density                 0.15   internal evidence edges / possible member pairs
youth                   0.10   ``exp(-mean activation age / 90 days)``; 0 when ages are unknown
=====================  ======  ===============================================================
"""

from __future__ import annotations

import numpy as np

from graphfraud.graph.callgraph import CallGraph
from graphfraud.kernels.between import calls_between
from graphfraud.kernels.encode import unique_ints
from graphfraud.rings.evidence import EvidenceGraph

__all__ = ["AGE_SCALE_DAYS", "HANDOFF_SCALE", "SCORE_WEIGHTS", "VICTIM_SCALE", "ring_features"]

SCORE_WEIGHTS = {
    "victims": 0.30,
    "handoffs": 0.20,
    "device": 0.15,
    "batch": 0.10,
    "density": 0.15,
    "youth": 0.10,
}
VICTIM_SCALE = 20.0  # victims
HANDOFF_SCALE = 20.0  # hand-offs
AGE_SCALE_DAYS = 90.0  # days
_SECONDS_PER_DAY = 86_400


def ring_features(
    graph: CallGraph, evidence: EvidenceGraph, ring_of: np.ndarray, k: int
) -> dict[str, np.ndarray]:
    """Features of rings ``0..k-1`` (one array of length ``k`` per feature) and their score.

    Parameters
    ----------
    graph : CallGraph
    evidence : EvidenceGraph
    ring_of : ndarray of int, shape (n,)
        Ring of each number, -1 none.
    k : int
        Number of rings.
    """
    n = graph.n_numbers
    member = ring_of >= 0
    size = np.bincount(ring_of[member], minlength=k).astype(np.int64)

    # Internal evidence edges, each counted once (row < col).
    row, at = evidence.entries_of(member)
    col = evidence.indices[at]
    inside = (row < col) & (ring_of[row] == ring_of[col])
    row, col, at = row[inside], col[inside], at[inside]
    values = evidence.values_at(at)
    ring_e = ring_of[row]
    n_internal = np.bincount(ring_e, minlength=k)
    weight_sum = np.bincount(ring_e, evidence.weight[at], minlength=k)
    handoffs = np.bincount(ring_e, values["handoffs"], minlength=k)

    def share_with_internal(kind: str) -> np.ndarray:
        has = np.zeros(n, bool)
        sel = values[kind] > 0
        has[row[sel]] = True
        has[col[sel]] = True
        return np.bincount(ring_of[has & member], minlength=k) / np.maximum(size, 1)

    # Callees reached by at least two members of the same ring.
    calls_in = calls_between(graph.caller, graph.callee, member, np.ones(n, np.bool_))
    callers = graph.caller[calls_in]
    ring_callee, counts = _distinct_callers_per_ring_callee(
        ring_of[callers], graph.callee[calls_in], callers, n, k
    )
    victims = np.bincount(ring_callee[counts >= 2] // n, minlength=k)
    per_member = np.bincount(
        ring_of[member], evidence.numbers.co_targeted_victims[member], minlength=k
    ) / np.maximum(size, 1)

    # Activation age at the end of the data, in days.
    last_day = int(graph.start.max()) // _SECONDS_PER_DAY if graph.n_calls else 0
    known = member & (graph.activated_day >= 0)
    age_sum = np.bincount(ring_of[known], last_day - graph.activated_day[known], minlength=k)
    age_n = np.bincount(ring_of[known], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        age = np.where(age_n > 0, age_sum / np.maximum(age_n, 1), np.nan)
    pairs = size * (size - 1) / 2
    f = {
        "size": size,
        "co_targeted_victims": victims.astype(np.int64),
        "mean_victims_per_member": per_member,
        "handoffs": handoffs.astype(np.int64),
        "device_share": share_with_internal("device"),
        "batch_share": share_with_internal("batch"),
        "mean_internal_weight": weight_sum / np.maximum(n_internal, 1),
        "density": n_internal / np.maximum(pairs, 1),
        "mean_activation_age_days": age,
    }
    f["score"] = ring_score(f)
    return f


def _distinct_callers_per_ring_callee(ring, callee, caller, n: int, k: int):
    """Distinct ``ring * n + callee`` keys and how many distinct callers each has."""
    ring, callee, caller = (x.astype(np.int64) for x in (ring, callee, caller))
    if k * n < 2**62 // max(n, 1):  # one int64 key per (ring, callee, caller): a 1-D sort
        triples = unique_ints((ring * n + callee) * n + caller)
        return np.unique(triples // n, return_counts=True)
    keys = np.unique(np.stack([ring, callee, caller]), axis=1)
    return np.unique(keys[0] * n + keys[1], return_counts=True)


def ring_score(f: dict[str, np.ndarray]) -> np.ndarray:
    """Score in [0, 1] from the features; see the module docstring for the formula."""
    age = f["mean_activation_age_days"]
    youth = np.exp(-np.maximum(np.nan_to_num(age), 0) / AGE_SCALE_DAYS)
    parts = {
        "victims": 1 - np.exp(-f["co_targeted_victims"] / VICTIM_SCALE),
        "handoffs": 1 - np.exp(-f["handoffs"] / HANDOFF_SCALE),
        "device": f["device_share"],
        "batch": f["batch_share"],
        "density": np.minimum(f["density"], 1.0),
        "youth": np.where(np.isnan(age), 0.0, youth),
    }
    return np.clip(sum(SCORE_WEIGHTS[name] * value for name, value in parts.items()), 0.0, 1.0)
