"""Louvain kernel: a partition, modularity at least igraph's (within 1%), LFR recovery, seeds."""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from networkx.generators.community import LFR_benchmark_graph
from sklearn.metrics import normalized_mutual_info_score

from graphfraud.kernels.louvain import louvain, modularity


def _csr(graph: nx.Graph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = graph.number_of_nodes()
    adj = nx.to_scipy_sparse_array(graph, nodelist=range(n), weight="weight", format="csr")
    return adj.indptr.astype(np.int64), adj.indices.astype(np.int32), adj.data.astype(np.float64)


def _lfr(n: int, mu: float, seed: int) -> tuple[nx.Graph, np.ndarray]:
    graph = LFR_benchmark_graph(
        n, 3, 1.5, mu, average_degree=5, min_community=20, max_community=100, seed=seed
    )
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    truth = np.zeros(n, np.int64)
    for i, members in enumerate(sorted({frozenset(graph.nodes[v]["community"]) for v in graph},
                                       key=min)):  # fmt: skip
        truth[list(members)] = i
    simple = nx.Graph()
    simple.add_nodes_from(range(n))
    simple.add_edges_from(graph.edges())
    return simple, truth


def _igraph_modularity(graph: nx.Graph) -> float:
    random.seed(0)
    g = ig.Graph(n=graph.number_of_nodes(), edges=list(graph.edges()))
    weights = [graph.edges[e].get("weight", 1.0) for e in graph.edges()]
    return g.community_multilevel(weights=weights).modularity


@pytest.fixture(scope="module")
def lfr_graphs() -> list[tuple[nx.Graph, np.ndarray, float]]:
    return [(*_lfr(1000, mu, seed), mu) for mu, seed in ((0.1, 42), (0.2, 7), (0.3, 42))]


def _is_partition(labels: np.ndarray, n: int) -> bool:
    k = labels.max() + 1
    return labels.shape == (n,) and labels.min() == 0 and set(np.unique(labels)) == set(range(k))


def test_karate_partition_and_modularity_matches_networkx():
    graph = nx.karate_club_graph()
    indptr, indices, data = _csr(graph)
    labels = louvain(indptr, indices, data, 0)
    assert _is_partition(labels, 34)
    q = modularity(indptr, indices, data, labels, 1.0)
    parts = [set(np.flatnonzero(labels == c)) for c in range(labels.max() + 1)]
    assert q == pytest.approx(nx.community.modularity(graph, parts, weight="weight"), abs=1e-12)


def test_golden_karate_seed_0():
    graph = nx.karate_club_graph()
    labels = louvain(*_csr(graph), 0)
    assert labels.max() + 1 == 4
    assert modularity(*_csr(graph), labels, 1.0) == pytest.approx(0.4449035812672, abs=1e-9)
    assert labels[:8].tolist() == [0, 0, 0, 0, 1, 1, 1, 0]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_modularity_within_1pct_of_igraph_on_karate(seed):
    graph = nx.karate_club_graph()
    q = modularity(*_csr(graph), louvain(*_csr(graph), seed), 1.0)
    assert q >= _igraph_modularity(graph) * 0.99


def test_lfr_modularity_and_nmi(lfr_graphs):
    for graph, truth, mu in lfr_graphs:
        csr = _csr(graph)
        for seed in (0, 1):
            labels = louvain(*csr, seed)
            assert _is_partition(labels, graph.number_of_nodes())
            q = modularity(*csr, labels, 1.0)
            assert q >= _igraph_modularity(graph) * 0.99
            nmi = normalized_mutual_info_score(truth, labels)
            # Average degree 5 makes mu = 0.3 hard for every method (igraph scores about 0.33).
            assert nmi >= {0.1: 0.9, 0.2: 0.7, 0.3: 0.25}[mu]


def test_same_seed_same_answer(lfr_graphs):
    csr = _csr(lfr_graphs[1][0])
    assert np.array_equal(louvain(*csr, 5), louvain(*csr, 5))


def test_modularity_does_not_fall_below_trivial_partitions():
    rng = np.random.default_rng(3)
    graph = nx.gnp_random_graph(80, 0.08, seed=3)
    for u, v in graph.edges():
        graph.edges[u, v]["weight"] = float(rng.uniform(0.1, 5.0))
    csr = _csr(graph)
    q = modularity(*csr, louvain(*csr, 0), 1.0)
    assert q >= modularity(*csr, np.arange(80), 1.0)
    assert q >= modularity(*csr, np.zeros(80, np.int64), 1.0)


def test_weighted_cliques_and_isolated_nodes():
    graph = nx.Graph()
    graph.add_nodes_from(range(10))
    for block in (range(4), range(4, 8)):
        for u in block:
            for v in block:
                if u < v:
                    graph.add_edge(u, v, weight=3.0)
    graph.add_edge(3, 4, weight=0.5)  # nodes 8 and 9 stay isolated
    labels = louvain(*_csr(graph), 0)
    assert len(set(labels[:4])) == 1 and len(set(labels[4:8])) == 1
    assert labels[0] != labels[4]
    assert len({labels[0], labels[4], labels[8], labels[9]}) == 4


def test_empty_graph():
    labels = louvain(np.zeros(4, np.int64), np.zeros(0, np.int32), np.zeros(0), 0)
    assert labels.tolist() == [0, 1, 2]
