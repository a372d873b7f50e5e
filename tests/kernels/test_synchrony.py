"""Peer hour-of-day synchrony kernel vs a networkx bipartite reference."""

from __future__ import annotations

import numpy as np
import pytest

from graphfraud.features.reference.contacts import calls_frame
from graphfraud.features.reference.places import ref_peer_hour_synchrony
from graphfraud.features.synthetic import random_calls
from graphfraud.graph import build_call_graph
from graphfraud.kernels.devices import distinct_codes, invert_csr
from graphfraud.kernels.profiles import hourly_unit_vectors
from graphfraud.kernels.synchrony import peer_hour_synchrony


@pytest.fixture(params=[0, 1, 2])
def graph(request):
    return build_call_graph(
        random_calls(2000, 150, seed=request.param, n_cells=15, n_imeis=80, unknown_share=0.2)
    )


@pytest.mark.parametrize("max_group", [3, 50])
def test_peer_synchrony_matches_networkx(graph, max_group):
    n = graph.n_numbers
    imei_ptr, imei_vals = distinct_codes(graph.out_ptr, graph.imei.astype(np.int64))
    cell_ptr, cell_vals = distinct_codes(graph.out_ptr, graph.cell.astype(np.int64))
    n_imei = len(graph.imeis)
    sim_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.diff(imei_ptr) + np.diff(cell_ptr), out=sim_ptr[1:])
    sim_groups = np.concatenate(
        [
            np.concatenate(
                [
                    imei_vals[imei_ptr[v] : imei_ptr[v + 1]],
                    cell_vals[cell_ptr[v] : cell_ptr[v + 1]] + n_imei,
                ]
            )
            for v in range(n)
        ]
    ).astype(np.int64)
    group_ptr, group_sims, _ = invert_csr(sim_ptr, sim_groups, n_imei + len(graph.cells))
    unit = hourly_unit_vectors(graph.out_ptr, graph.start, 8 * 3600)
    got = peer_hour_synchrony(sim_ptr, sim_groups, group_ptr, group_sims, unit, max_group)
    want = ref_peer_hour_synchrony(calls_frame(graph), unit.astype(np.float64), max_group, n)
    np.testing.assert_allclose(got, want, atol=1e-5, equal_nan=True)
