"""Find fraud rings: communities of the evidence graph among candidate numbers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from graphfraud.errors import NotFound
from graphfraud.graph.callgraph import CallGraph
from graphfraud.graph.components import component_labels
from graphfraud.kernels.louvain import louvain
from graphfraud.rings.config import RingConfig
from graphfraud.rings.evidence import COLUMNS, EvidenceGraph, build_evidence_graph
from graphfraud.rings.features import ring_features

__all__ = ["Rings", "candidate_subgraph", "detect_rings", "merge_batches"]


@dataclass(frozen=True)
class Rings:
    """Result of :func:`detect_rings`.

    ``ring_of[v]`` is the row of number ``v``'s ring in ``table`` (-1: in no ring). Rows are ranked
    by score (highest first) and ``table["ring_id"]`` is ``"R"`` + the zero-padded rank, so ids are
    stable for a given input, config and seed.
    """

    ring_of: np.ndarray  # int32[n]
    table: pa.Table  # one row per ring: ring_id, members, features, score
    evidence: EvidenceGraph
    config: RingConfig
    seed: int

    @property
    def n_rings(self) -> int:
        return self.table.num_rows

    def ring_id_of(self, number_id: int) -> str | None:
        """Ring id of a number id, ``None`` if it is in no ring."""
        row = int(self.ring_of[number_id])
        return None if row < 0 else self.table["ring_id"][row].as_py()

    def row_of(self, ring_id: str) -> int:
        """Row of ``ring_id`` in ``table``; raises :class:`NotFound`."""
        ids = self.table["ring_id"].to_pylist()
        if ring_id not in ids:
            raise NotFound(f"no ring {ring_id!r}")
        return ids.index(ring_id)

    def members(self, ring_id: str) -> list[str]:
        """Phone numbers of a ring's members, sorted."""
        return self.table["members"][self.row_of(ring_id)].as_py()


def candidate_subgraph(
    evidence: EvidenceGraph, config: RingConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Evidence edges of at least ``min_edge_weight`` among numbers of ``min_node_strength``.

    Returns ``(candidates, indptr, indices, data)``: candidate number ids (ascending) and the
    symmetric CSR over their positions in ``candidates``.
    """
    n = evidence.indptr.size - 1
    row = np.repeat(np.arange(n), np.diff(evidence.indptr))
    strong = evidence.weight >= config.min_edge_weight
    strength = np.bincount(row[strong], evidence.weight[strong], minlength=n)
    is_cand = strength >= max(config.min_node_strength, 1e-12)
    keep = strong & is_cand[row] & is_cand[evidence.indices]
    candidates = np.flatnonzero(is_cand)
    local = np.full(n, -1, np.int64)
    local[candidates] = np.arange(candidates.size)
    indptr = np.zeros(candidates.size + 1, np.int64)
    np.cumsum(np.bincount(local[row[keep]], minlength=candidates.size), out=indptr[1:])
    indices = local[evidence.indices[keep]].astype(np.int32)
    return candidates, indptr, indices, evidence.weight[keep].astype(np.float64)


def merge_batches(
    evidence: EvidenceGraph, candidates: np.ndarray, labels: np.ndarray, min_links: int
) -> np.ndarray:
    """Communities of ``candidates`` (``labels``) joined by ``min_links`` or more consecutive-number
    links, merged (transitively); returns the new labels, ``0..k-1`` in order of first member.

    A batch of numbers bought together is one operation: a SIM-box farm puts it on several
    handsets, each handset a dense group of its own that modularity keeps apart.
    """
    n = evidence.indptr.size - 1
    is_cand = np.zeros(n, bool)
    is_cand[candidates] = True
    row, at = evidence.entries_of(is_cand & (evidence.numbers.consecutive_batch_size > 1))
    other = evidence.indices[at]
    batch = evidence.pair_values[evidence.edge[at], COLUMNS.index("batch")]
    linked = (batch > 0) & is_cand[other] & (row < other)
    local = np.full(n, -1, np.int64)
    local[candidates] = np.arange(candidates.size)
    a, b = labels[local[row[linked]]], labels[local[other[linked]]]
    a, b = np.minimum(a, b), np.maximum(a, b)
    pairs, links = np.unique(np.stack([a, b], axis=1)[a != b], axis=0, return_counts=True)
    joined = pairs[links >= min_links]
    root = component_labels(int(labels.max(initial=-1)) + 1, joined[:, 0], joined[:, 1])
    merged = root[labels]
    _, first, inverse = np.unique(merged, return_index=True, return_inverse=True)
    rank = np.empty(first.size, np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)  # by first member, as louvain
    return rank[inverse]


def _members_by_ring(numbers: pa.Array, ring_of: np.ndarray, k: int) -> list[list[str]]:
    """Sorted phone numbers of each ring ``0..k-1``, grouped in one pass (not one scan per ring)."""
    ids = np.flatnonzero(ring_of >= 0)
    ids = ids[np.argsort(ring_of[ids], kind="stable")]
    ends = np.cumsum(np.bincount(ring_of[ids], minlength=k)).tolist()
    names = numbers.take(pa.array(ids)).to_pylist()
    return [sorted(names[lo:hi]) for lo, hi in zip([0, *ends[:-1]], ends[:k], strict=False)]


def detect_rings(graph: CallGraph, *, seed: int = 0, config: RingConfig | None = None) -> Rings:
    """Detect fraud rings in a call graph.

    Parameters
    ----------
    graph : CallGraph
    seed : int
        Seed of the Louvain node order; same input and seed, same rings.
    config : RingConfig, optional
        Thresholds and evidence weights (defaults: :class:`RingConfig`).

    Returns
    -------
    Rings
        Per-number ring, ring table with features and score in [0, 1], and the evidence graph.
    """
    cfg = config or RingConfig()
    evidence = build_evidence_graph(graph, cfg)
    n = graph.n_numbers
    candidates, indptr, indices, data = candidate_subgraph(evidence, cfg)
    labels = louvain(indptr, indices, data, int(seed), float(cfg.resolution))
    labels = merge_batches(evidence, candidates, labels, cfg.merge_min_batch_links)
    sizes = np.bincount(labels, minlength=1)
    big = np.flatnonzero(sizes >= cfg.min_ring_size)
    remap = np.full(sizes.size, -1, np.int64)
    remap[big] = np.arange(big.size)
    ring_of = np.full(n, -1, np.int64)
    ring_of[candidates] = remap[labels]
    k = big.size

    feats = ring_features(graph, evidence, ring_of, k)
    members = _members_by_ring(graph.numbers, ring_of, k)
    # Rank: score descending, then smallest member number (a stable, input-only tie-break).
    rank = sorted(range(k), key=lambda r: (-round(float(feats["score"][r]), 12), members[r][0]))
    new_of_old = np.empty(k, np.int64)
    new_of_old[rank] = np.arange(k)
    width = max(4, len(str(k)))
    columns: dict[str, pa.Array | list] = {
        "ring_id": pa.array([f"R{i + 1:0{width}d}" for i in range(k)], pa.string()),
        "members": pa.array([members[r] for r in rank], pa.list_(pa.string())),
    }
    for name, values in feats.items():
        columns[name] = pa.array(np.asarray(values)[rank]) if k else pa.array([], pa.float64())
    table = pa.table(columns)
    if k:
        ring_of = np.where(ring_of >= 0, new_of_old[np.maximum(ring_of, 0)], -1).astype(np.int32)
    else:  # no ring at all: nothing to renumber
        ring_of = np.full(n, -1, np.int32)
    return Rings(ring_of=ring_of, table=table, evidence=evidence, config=cfg, seed=int(seed))
