"""Who calls back: per-caller counts over contact pairs (see :mod:`graphfraud.kernels.fanout`)."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["callback_counts"]


@njit(cache=True)
def _find_pair(pair_ptr, pair_callee, caller, callee):
    """Index of pair (caller, callee), or -1; binary search over the caller's sorted callees."""
    lo, hi = pair_ptr[caller], pair_ptr[caller + 1]
    end = hi
    while lo < hi:
        mid = (lo + hi) // 2
        if pair_callee[mid] < callee:
            lo = mid + 1
        else:
            hi = mid
    if lo < end and pair_callee[lo] == callee:
        return lo
    return -1


@njit(cache=True, parallel=True)
def callback_counts(pair_ptr, pair_start, pair_callee, by_pair, start, window_s):
    """Count, per caller, the callees who call it back.

    For caller ``v`` and each distinct callee ``u`` first called at ``t0``:

    - *callback*: ``u`` calls ``v`` at least once, at any time in the data;
    - *quick callback*: ``u`` calls ``v`` at some ``t`` with ``t0 <= t <= t0 + window_s``;
    - *prior contact*: ``u`` called ``v`` strictly before ``t0`` (``u`` was no stranger).

    Parameters
    ----------
    pair_ptr, pair_start, pair_callee, by_pair
        Contact pairs from :func:`graphfraud.kernels.fanout.contact_pairs`.
    start : int64[m]
        Call start, epoch seconds.
    window_s : int
        Quick-callback window, seconds.

    Returns
    -------
    callbacks, quick_callbacks, prior_contacts : int32[n]
        Numbers of distinct callees, each.
    """
    n = pair_ptr.size - 1
    callbacks = np.zeros(n, np.int32)
    quick = np.zeros(n, np.int32)
    prior = np.zeros(n, np.int32)
    for v in prange(n):
        for p in range(pair_ptr[v], pair_ptr[v + 1]):
            u = pair_callee[p]
            q = _find_pair(pair_ptr, pair_callee, u, v)
            if q < 0:
                continue
            callbacks[v] += 1
            t0 = start[by_pair[pair_start[p]]]
            qs, qe = pair_start[q], pair_start[q + 1]
            if start[by_pair[qs]] < t0:
                prior[v] += 1
            # The pair's calls are in time order: find the first back-call at or after t0.
            lo, hi = qs, qe
            while lo < hi:
                mid = (lo + hi) // 2
                if start[by_pair[mid]] < t0:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < qe and start[by_pair[lo]] <= t0 + window_s:
                quick[v] += 1
    return callbacks, quick, prior
