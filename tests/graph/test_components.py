"""Connected components of an edge list, against networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graphfraud.graph.components import component_labels


@pytest.mark.parametrize("seed", range(5))
def test_components_match_networkx(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 300, int(rng.integers(0, 400))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    labels = component_labels(n, a, b)
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    for comp in nx.connected_components(g):
        members = sorted(comp)
        assert set(labels[members].tolist()) == {members[0]}  # one label, the smallest id
