"""Fraud rings: an evidence graph of co-targeting, shared devices, cells and number batches,
clustered by a seeded Louvain, with ring features and a transparent score."""

from graphfraud.rings.config import RingConfig
from graphfraud.rings.detect import Rings, candidate_subgraph, detect_rings
from graphfraud.rings.evidence import (
    COLUMNS,
    EVIDENCE_KINDS,
    EvidenceGraph,
    NumberEvidence,
    build_evidence_graph,
)
from graphfraud.rings.features import SCORE_WEIGHTS, ring_features, ring_score

__all__ = [
    "COLUMNS",
    "EVIDENCE_KINDS",
    "SCORE_WEIGHTS",
    "EvidenceGraph",
    "NumberEvidence",
    "RingConfig",
    "Rings",
    "build_evidence_graph",
    "candidate_subgraph",
    "detect_rings",
    "ring_features",
    "ring_score",
]
