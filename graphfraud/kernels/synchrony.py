"""Co-location and activity synchrony among SIMs that share a device or a place."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["peer_hour_synchrony"]


@njit(cache=True, parallel=True)
def peer_hour_synchrony(sim_ptr, sim_groups, group_ptr, group_sims, unit_hours, max_group):
    """Most aligned hour-of-day profile among each SIM's peers.

    Peers of a SIM are the other members of its groups (e.g. SIMs seen in the same handset, or on
    the same cell); groups with more than ``max_group`` members are skipped, because a busy cell
    says nothing about coordination and would cost ``O(size**2)``.

    Parameters
    ----------
    sim_ptr : int64[n + 1]
        CSR index of each SIM's groups.
    sim_groups : int64[k]
        Group ids.
    group_ptr : int64[g + 1]
        CSR index of each group's SIMs.
    group_sims : int32[k]
        SIM ids.
    unit_hours : float32[n, 24]
        Calls per local hour of day, scaled to unit length (zero rows allowed).
    max_group : int
        Largest group compared, SIMs.

    Returns
    -------
    float64[n]
        Maximum cosine similarity (0–1) with a peer; NaN for a SIM without peers.
    """
    n = sim_ptr.size - 1
    out = np.full(n, np.nan)
    for v in prange(n):
        best = -1.0
        for k in range(sim_ptr[v], sim_ptr[v + 1]):
            g = sim_groups[k]
            gs, ge = group_ptr[g], group_ptr[g + 1]
            if ge - gs > max_group:
                continue
            for j in range(gs, ge):
                u = group_sims[j]
                if u == v:
                    continue
                dot = 0.0
                for h in range(24):
                    dot += unit_hours[v, h] * unit_hours[u, h]
                if dot > best:
                    best = dot
        if best >= 0.0:
            out[v] = min(best, 1.0)
    return out
