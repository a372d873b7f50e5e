"""The evidence graph: co-targeting, shared devices, shared cells, number batches and talk in one.

Each kind of evidence gives an undirected graph over number ids; they are summed into one CSR
whose value columns (:data:`EVIDENCE_KINDS` plus co-targeting detail) keep every kind apart, so a
reason can say *which* evidence ties two numbers. The clustering weight of an edge is

    w = weight_co_target * sum_victims exp(-|dt| / tau_s)
      + weight_device * shared IMEIs
      + weight_cell * shared (cell, day), counting only days a SIM rang >= cell_min_daily_fanout
                      distinct numbers
      + weight_batch * consecutive-number links
      + weight_talk * min(co-targeting, 1), only for two callers who have called each other
                      (both ways) and share at least talk_min_shared_callees callees

Victims handed from one caller to the next tie them; that they also ring each other (a ring
keeps in touch, and makes itself look social) makes the tie count twice, up to one unit more.
A slow hand-off (hours apart) leaves little decayed weight on its own. One shared callee is
not enough: friends who ring each other and the same shop are everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import get_num_threads

from graphfraud.graph.callgraph import CallGraph
from graphfraud.kernels.between import edges_in_contact
from graphfraud.kernels.cotarget import co_targeting_pairs
from graphfraud.kernels.devices import invert_csr
from graphfraud.kernels.encode import csr_entries, gather, unique_ints
from graphfraud.kernels.ring_evidence import (
    consecutive_runs,
    group_window_pairs,
    grouped_members,
    high_fanout_day_mask,
)
from graphfraud.kernels.ring_pairs import reduce_pairs_to_edges
from graphfraud.rings.config import RingConfig

__all__ = ["COLUMNS", "EVIDENCE_KINDS", "EvidenceGraph", "NumberEvidence", "build_evidence_graph"]

EVIDENCE_KINDS = ("co_target", "device", "cell", "batch", "talk")
#: Value columns of :attr:`EvidenceGraph.values`.
COLUMNS = (*EVIDENCE_KINDS, "shared_callees", "handoffs")
_SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class NumberEvidence:
    """Evidence counts per number id (arrays of length ``n``), for reasons and features."""

    co_target_partners: np.ndarray  # int32: callers sharing a first-contacted callee in handoff_s
    co_targeted_victims: np.ndarray  # int32: callees shared with another caller within handoff_s
    shared_device_sims: np.ndarray  # int32: most other SIMs seen on one of its IMEIs
    consecutive_batch_size: np.ndarray  # int32: size of its consecutive-number run (1 = alone)
    shared_cell_high_fanout: np.ndarray  # int32: most other high fan-out SIMs in a cell-day
    first_contacts: np.ndarray  # int32: distinct callees


@dataclass(frozen=True)
class EvidenceGraph:
    """Symmetric CSR over number ids; ``values[:, k]`` is column ``COLUMNS[k]``.

    The values are kept once per linked pair (``pair_values``); ``edge`` gives the pair of each
    CSR entry, and :meth:`values_at` the columns on chosen entries.
    """

    indptr: np.ndarray  # int64[n + 1]
    indices: np.ndarray  # int32[nnz]
    edge: np.ndarray  # int32[nnz], the pair of each entry (a row of pair_values)
    pair_values: np.ndarray  # float64[pairs, len(COLUMNS)]
    weight: np.ndarray  # float64[nnz], the clustering weight
    numbers: NumberEvidence

    @property
    def values(self) -> np.ndarray:
        """float64[nnz, len(COLUMNS)]: every column on every entry."""
        return self.pair_values[self.edge]

    def entries_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The entries of the rows where ``rows`` (bool[n]) holds, in CSR order: ``(row, at)``,
        each one's row and its position among all entries (int64).

        Ring members are a small part of the numbers: what is asked only of their entries is
        computed on those, not masked out of all of them.
        """
        return csr_entries(self.indptr, np.flatnonzero(rows))

    def values_at(self, at: np.ndarray) -> dict[str, np.ndarray]:
        """Every column (by name, float64) on the entries at positions ``at``: their pairs' rows
        are taken once, whole."""
        rows = np.take(self.pair_values, self.edge[at], axis=0)
        return {name: rows[:, c] for c, name in enumerate(COLUMNS)}


def _grouped(keys: np.ndarray, members: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (key, member) pairs as a CSR by key: (group_ptr, members); keys in [0, n_keys)."""
    if keys.size == 0:
        return np.zeros(1, np.int64), np.zeros(0, np.int32)
    # Cell-days span tens of millions of possible keys for a few hundred thousand entries: the
    # kernel's per-key counts would cost more than the grouping, so it gets only the keys that
    # occur, renumbered in ascending order (the groups come out in the same order).
    present = unique_ints(keys)
    if 4 * len(present) < n_keys:
        keys, n_keys = np.searchsorted(present, keys), len(present)
    return grouped_members(keys.astype(np.int64), members.astype(np.int32), int(n_keys))


def _group_evidence(ptr, mem, window, n) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs linking members of each group (CSR ``ptr``/``mem``, members ascending), and per
    member the most others in one of its groups."""
    a, b, size = group_window_pairs(ptr, mem, window)
    most = np.zeros(n, np.int32)
    np.maximum.at(most, mem, np.repeat(size - 1, size).astype(np.int32))
    return a, b, most


def build_evidence_graph(graph: CallGraph, config: RingConfig | None = None) -> EvidenceGraph:
    """Sum the four kinds of evidence of ``graph`` into one :class:`EvidenceGraph`."""
    cfg = config or RingConfig()
    n = graph.n_numbers
    # Distinct (caller, callee) contacts; per caller their count is its first contacts.
    _, pair_ptr, _, pair_callee = graph.contact_pairs
    contacts = pair_ptr, pair_callee
    first_contacts = np.diff(pair_ptr).astype(np.int32)
    active = first_contacts >= cfg.min_first_contacts
    if not cfg.skip_reciprocated:  # nobody's contacts are skipped
        pair_ptr, pair_callee = np.zeros(n + 1, np.int64), pair_callee[:0]
    a_ct, b_ct, v_ct, victims = co_targeting_pairs(
        graph.in_ptr, graph.in_caller, graph.in_start, pair_ptr, pair_callee,
        cfg.max_callers_per_callee, float(cfg.tau_s), float(cfg.handoff_s),
    )  # fmt: skip
    handoff_pairs = v_ct[:, 2] > 0
    partners = np.zeros(n, np.int32)
    if handoff_pairs.any():
        a_h, b_h = a_ct[handoff_pairs].astype(np.int64), b_ct[handoff_pairs].astype(np.int64)
        hp = unique_ints(np.minimum(a_h, b_h) * n + np.maximum(a_h, b_h))
        partners += np.bincount(np.concatenate([hp // n, hp % n]), minlength=n).astype(np.int32)

    imei_ptr, imei_vals = graph.caller_imeis  # SIMs per handset: the same pairs, turned over
    dev_ptr, dev_sims, _ = invert_csr(imei_ptr, imei_vals, len(graph.imeis))
    a_dev, b_dev, device_sims = _group_evidence(dev_ptr, dev_sims, cfg.device_window, n)

    high_days = _high_fanout_days(graph, cfg.cell_min_daily_fanout)
    on_cell = np.flatnonzero((graph.cell >= 0) & high_days)
    n_cells = max(len(graph.cells), 1)
    day0 = int(graph.start.min()) // _SECONDS_PER_DAY if graph.n_calls else 0
    cell_day = (graph.start[on_cell] // _SECONDS_PER_DAY - day0) * n_cells + graph.cell[on_cell]
    n_days = int(graph.start.max()) // _SECONDS_PER_DAY - day0 + 1 if graph.n_calls else 1
    a_cell, b_cell, cell_sims = _group_evidence(
        *_grouped(cell_day, graph.caller[on_cell], n_days * n_cells), cfg.cell_window, n
    )

    a_bat, b_bat, batch_size = _batch_evidence(graph, active, cfg, high_days)

    # All pairs in one set of arrays, filled in place: co-targeting (weight, shared callees,
    # hand-offs), then one column of 1s for each of handsets, cells and batches; talk is
    # filled in once the pairs are summed.
    others = [(a_dev, b_dev), (a_cell, b_cell), (a_bat, b_bat)]
    total = a_ct.size + sum(a.size for a, _ in others)
    a_all, b_all = np.empty(total, np.int32), np.empty(total, np.int32)
    v_all = np.zeros((total, len(COLUMNS)))
    at = a_ct.size
    a_all[:at], b_all[:at] = a_ct, b_ct
    v_all[:at, 0] = v_ct[:, 0]
    v_all[:at, COLUMNS.index("shared_callees") :] = v_ct[:, 1:3]
    for col, (a, b) in enumerate(others, start=1):
        a_all[at : at + a.size], b_all[at : at + a.size] = a, b
        v_all[at : at + a.size, col] = 1.0
        at += a.size
    indptr, indices, edge, pair_values = reduce_pairs_to_edges(n, a_all, b_all, v_all)
    co, talk = pair_values[:, 0], COLUMNS.index("talk")
    if cfg.weight_talk > 0:
        asked = (co > 0) & (pair_values[:, COLUMNS.index("shared_callees")]
                            >= cfg.talk_min_shared_callees)  # fmt: skip
        said = edges_in_contact(*contacts, indptr, indices, edge, asked)
        pair_values[said, talk] = np.minimum(co[said], 1.0)
    unit = np.array([cfg.weight_co_target, cfg.weight_device, cfg.weight_cell, cfg.weight_batch,
                     cfg.weight_talk])  # fmt: skip
    weight = gather(pair_values[:, : len(EVIDENCE_KINDS)] @ unit, edge)
    numbers = NumberEvidence(
        co_target_partners=partners,
        co_targeted_victims=victims,
        shared_device_sims=device_sims,
        consecutive_batch_size=batch_size,
        shared_cell_high_fanout=cell_sims,
        first_contacts=first_contacts,
    )
    return EvidenceGraph(indptr, indices, edge, pair_values, weight, numbers)


def _high_fanout_days(graph: CallGraph, min_fanout: int) -> np.ndarray:
    """bool[m]: the calls made on a day on which their caller rang ``min_fanout`` distinct callees."""
    return high_fanout_day_mask(
        graph.out_ptr, graph.callee, graph.start, _SECONDS_PER_DAY, min_fanout, 4 * get_num_threads()
    )


def _batch_evidence(graph: CallGraph, active: np.ndarray, cfg: RingConfig, cell_high_days: np.ndarray):
    """Links between active callers whose numbers are near-consecutive and activated together.

    A number whose activation day is unknown counts only if it is a mass caller (a day of
    ``batch_min_daily_fanout`` callees): in a densely allocated range every number has neighbours.
    ``cell_high_days`` is :func:`_high_fanout_days` at the cells' threshold, reused when equal.
    """
    n = graph.n_numbers
    dated = graph.activated_day >= 0
    if not dated[active].all():
        high_days = (cell_high_days if cfg.batch_min_daily_fanout == cfg.cell_min_daily_fanout
                     else _high_fanout_days(graph, cfg.batch_min_daily_fanout))  # fmt: skip
        mass = np.zeros(n, bool)
        mass[graph.caller[high_days]] = True
        active = active & (dated | mass)
    value = graph.number_keys[0]
    ids = np.flatnonzero(active & (value >= 0))
    ids = ids[np.argsort(value[ids], kind="stable")]
    runs = consecutive_runs(
        value[ids], graph.activated_day[ids].astype(np.int32), cfg.batch_max_gap, cfg.batch_max_days
    )
    a, b, _ = group_window_pairs(
        np.searchsorted(runs, np.arange(runs.max(initial=-1) + 2)).astype(np.int64),
        ids.astype(np.int32),
        cfg.batch_window,
    )
    size = np.ones(n, np.int32)
    if ids.size:
        size[ids] = np.bincount(runs)[runs]
    return a, b, size
