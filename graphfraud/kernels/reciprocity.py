"""Who calls back: per-caller counts over contact pairs (see :mod:`graphfraud.kernels.fanout`)."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from graphfraud.kernels.devices import invert_csr
from graphfraud.kernels.prefetch import prefetch

__all__ = ["callback_counts"]


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
    # The pairs grouped by callee, callers ascending, each with its index in the pair list.
    in_ptr, in_caller, in_pair = invert_csr(pair_ptr, pair_callee, pair_ptr.size - 1)
    return _callback_counts(pair_ptr, pair_start, pair_callee, by_pair, start, window_s,
                            in_ptr, in_caller, in_pair)  # fmt: skip


@njit(cache=True, parallel=True)
def _callback_counts(pair_ptr, pair_start, pair_callee, by_pair, start, window_s, in_ptr,
                     in_caller, in_pair):  # fmt: skip
    n = pair_ptr.size - 1
    callbacks = np.zeros(n, np.int32)
    quick = np.zeros(n, np.int32)
    prior = np.zeros(n, np.int32)
    # First and last call time of every pair: read where the caller's calls lie together, so the
    # merge below touches one value per reverse pair instead of searching its calls.
    # Both side by side (one cache line for the random reads of reverse pairs below).
    n_pairs = pair_callee.shape[0]
    span = np.empty(2 * n_pairs, np.int64)  # first at 2p, last at 2p + 1
    for v in prange(n):
        for p in range(pair_ptr[v], pair_ptr[v + 1]):
            span[2 * p] = start[by_pair[pair_start[p]]]
            span[2 * p + 1] = start[by_pair[pair_start[p + 1] - 1]]
    for v in prange(n):
        # Merge v's callees with v's callers (both ascending): a match u is a pair v -> u (p)
        # whose reverse u -> v (q) exists.
        p, p_end = pair_ptr[v], pair_ptr[v + 1]
        j, j_end = in_ptr[v], in_ptr[v + 1]
        while p < p_end and j < j_end:
            if j + 8 < j_end:  # reverse pairs lie anywhere: ask for their times ahead
                prefetch(span, 2 * in_pair[j + 8])
            if pair_callee[p] < in_caller[j]:
                p += 1
                continue
            if pair_callee[p] > in_caller[j]:
                j += 1
                continue
            q = in_pair[j]
            callbacks[v] += 1
            t0 = span[2 * p]
            if span[2 * q] < t0:
                prior[v] += 1
                if span[2 * q + 1] >= t0:
                    # Back-calls before and after t0: the pair's calls are in time order, find
                    # the first one at or after t0.
                    lo, hi = pair_start[q], pair_start[q + 1]
                    while lo < hi:
                        mid = (lo + hi) // 2
                        if start[by_pair[mid]] < t0:
                            lo = mid + 1
                        else:
                            hi = mid
                    if start[by_pair[lo]] <= t0 + window_s:
                        quick[v] += 1
            elif span[2 * q] <= t0 + window_s:
                quick[v] += 1
            p += 1
            j += 1
    return callbacks, quick, prior
