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
    # The call times in pair order (each pair's calls together, in time order), and every
    # pair's first and last side by side: the merge below reads those of reverse pairs, which
    # lie anywhere, so each costs one cache line (and a search stays within a few).
    n_pairs = pair_callee.shape[0]
    times = np.empty(by_pair.shape[0], np.int64)
    span = np.empty(2 * n_pairs, np.int64)  # first at 2p, last at 2p + 1
    for v in prange(n):
        for k in range(pair_start[pair_ptr[v]], pair_start[pair_ptr[v + 1]]):
            times[k] = start[by_pair[k]]  # within v's own calls
        for p in range(pair_ptr[v], pair_ptr[v + 1]):
            span[2 * p] = times[pair_start[p]]
            span[2 * p + 1] = times[pair_start[p + 1] - 1]
    for v in prange(n):
        # Merge v's callees with v's callers (both ascending): a match u is a pair v -> u (p)
        # whose reverse u -> v (q) exists.
        p, p_end = pair_ptr[v], pair_ptr[v + 1]
        j, j_end = in_ptr[v], in_ptr[v + 1]
        n_back = 0
        n_quick = 0
        n_prior = 0
        while p < p_end and j < j_end:
            a, b = pair_callee[p], in_caller[j]
            if a != b:
                p += a < b
                j += a > b
                continue
            # Ask ahead for what later matches read: the reverse pair's span and the start of
            # its times (two steps: its position first, then what it points at).
            if j + 16 < j_end:
                prefetch(pair_start, in_pair[j + 16])
            if j + 8 < j_end:
                ahead = in_pair[j + 8]
                prefetch(span, 2 * ahead)
                prefetch(times, pair_start[ahead])
            q = in_pair[j]
            n_back += 1
            t0 = span[2 * p]
            if span[2 * q] < t0:
                n_prior += 1
                if span[2 * q + 1] >= t0:
                    # Back-calls before and after t0: find the first one at or after t0.
                    lo, hi = pair_start[q], pair_start[q + 1]
                    while lo < hi:
                        mid = (lo + hi) // 2
                        if times[mid] < t0:
                            lo = mid + 1
                        else:
                            hi = mid
                    if times[lo] <= t0 + window_s:
                        n_quick += 1
            elif span[2 * q] <= t0 + window_s:
                n_quick += 1
            p += 1
            j += 1
        callbacks[v] = n_back
        quick[v] = n_quick
        prior[v] = n_prior
    return callbacks, quick, prior
