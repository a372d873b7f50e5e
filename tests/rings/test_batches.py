"""Consecutive-number batches: one farm on several handsets is one ring, and without activation
dates only mass callers form a batch (in a dense numbering range every number has neighbours)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from ring_world import T0

from graphfraud.cdr.schema import SUBSCRIBERS_SCHEMA
from graphfraud.features.synthetic import calls_table
from graphfraud.graph.callgraph import build_call_graph
from graphfraud.rings import RingConfig, build_evidence_graph, detect_rings

FARM = [f"170000{i:05d}" for i in range(100, 130)]  # 30 consecutive SIMs
HANDSETS = 3


def _farm_rows() -> list[tuple]:
    """Each SIM, on handset ``i % 3`` at one cell, rings 12 numbers nobody else rings, in one day."""
    return [
        (sim, f"1890{i:03d}{j:04d}", T0 + 300 * j + 7 * i, 15, "C7", f"BOX-{i % HANDSETS}")
        for i, sim in enumerate(FARM)
        for j in range(12)
    ]


def _subscribers(numbers: list[str], day: dt.date) -> pa.Table:
    return pa.table({"number": numbers, "activated_on": [day] * len(numbers)}, schema=SUBSCRIBERS_SCHEMA)


@pytest.mark.parametrize("dated", [True, False])
def test_a_farm_on_several_handsets_is_one_ring(dated):
    subs = _subscribers(FARM, dt.date(2023, 12, 20)) if dated else None
    graph = build_call_graph(calls_table(_farm_rows()), subs)
    split = detect_rings(graph, seed=0, config=RingConfig(merge_min_batch_links=10**9))
    # Modularity alone keeps each handset apart (the thing merging mends) ...
    assert split.n_rings == HANDSETS
    assert sorted(len(m) for m in split.table["members"].to_pylist()) == [10] * HANDSETS
    # ... and the batch's links put the farm back together.
    rings = detect_rings(graph, seed=0)
    assert rings.n_rings == 1 and rings.members("R0001") == FARM


def test_undated_consecutive_numbers_are_a_batch_only_when_they_mass_call():
    neighbours = [f"1380000{i:04d}" for i in range(10, 16)]  # 6 consecutive numbers
    # Each calls 6 people over 3 days (2 a day): active, but no mass-calling day.
    quiet = [(u, f"1590{k:03d}{j:04d}", T0 + 86_400 * (j % 3) + 600 * j, 60, "C1", f"PHONE-{k}")
             for k, u in enumerate(neighbours) for j in range(6)]  # fmt: skip
    # The same numbers each ringing 12 people in one hour.
    busy = [(u, f"1590{k:03d}{j:04d}", T0 + 60 * j + k, 20, "C1", f"PHONE-{k}")
            for k, u in enumerate(neighbours) for j in range(12)]  # fmt: skip
    ids = build_call_graph(calls_table(quiet)).ids_of(neighbours)

    def batch_sizes(rows, subs=None, config=None) -> list[int]:
        graph = build_call_graph(calls_table(rows), subs)
        return build_evidence_graph(graph, config).numbers.consecutive_batch_size[ids].tolist()

    assert batch_sizes(quiet) == [1] * 6  # undated, not mass callers: neighbours by chance
    assert batch_sizes(quiet, config=RingConfig(batch_min_daily_fanout=0)) == [6] * 6  # the old rule
    assert batch_sizes(busy) == [6] * 6  # undated mass callers side by side: a batch
    # Activated the same day, even quiet neighbours are one batch (the dated rule is unchanged).
    assert batch_sizes(quiet, _subscribers(neighbours, dt.date(2023, 12, 30))) == [6] * 6
    assert batch_sizes(busy, config=RingConfig(batch_min_daily_fanout=13)) == [1] * 6  # 12 a day


def _evidence(n: int, links: list[tuple[int, int, float]]):
    """An evidence graph over ``n`` numbers with the given (a, b, batch links) pairs only."""
    from graphfraud.rings.evidence import COLUMNS, EvidenceGraph, NumberEvidence

    entries = sorted([(a, b, i) for i, (a, b, _) in enumerate(links)]
                     + [(b, a, i) for i, (a, b, _) in enumerate(links)])  # fmt: skip
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount([e[0] for e in entries], minlength=n), out=indptr[1:])
    values = np.zeros((len(links), len(COLUMNS)))
    values[:, COLUMNS.index("batch")] = [v for *_, v in links]
    size = np.ones(n, np.int32)
    size[[x for a, b, _ in links for x in (a, b)]] = 2
    zero = np.zeros(n, np.int32)
    numbers = NumberEvidence(zero, zero, zero, size, zero, zero)
    return EvidenceGraph(indptr, np.array([e[1] for e in entries], np.int32),
                         np.array([e[2] for e in entries], np.int32), values,
                         np.ones(len(entries)), numbers)  # fmt: skip


def test_communities_merge_from_the_third_batch_link_and_only_coarsen() -> None:
    from graphfraud.rings.detect import merge_batches

    labels = np.array([0, 0, 1, 1, 2, 2, 3, 3])  # four communities of two numbers
    # Communities 0 and 1 share three links, 1 and 2 two (too few), 2 and 3 none.
    links = [(0, 2, 1.0), (1, 3, 1.0), (0, 3, 1.0), (3, 4, 1.0), (2, 5, 1.0)]
    merged = merge_batches(_evidence(8, links), np.arange(8), labels, 3)
    assert merged.tolist() == [0, 0, 0, 0, 1, 1, 2, 2]
    assert merge_batches(_evidence(8, links), np.arange(8), labels, 4).tolist() == labels.tolist()
    assert merge_batches(_evidence(8, []), np.arange(0), np.arange(0), 3).size == 0  # no candidates
