"""Contact pairs and windowed first-contact fan-out, as Numba kernels over caller-CSR arrays.

A *contact pair* is a (caller, callee) couple with at least one call. Its *first contact* is the
first call of the pair in the data, in time order (ties broken by the stored call order).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["contact_pairs", "first_contact_flags", "windowed_first_contact_fanout"]


@njit(cache=True, parallel=True)
def contact_pairs(out_ptr, callee):
    """Group every caller's calls by callee.

    Parameters
    ----------
    out_ptr : int64[n + 1]
        CSR index of calls by caller; calls of one caller are in time order.
    callee : int32[m]
        Callee id of every call.

    Returns
    -------
    by_pair : int64[m]
        Call indices sorted by (caller, callee, start); caller ``v`` keeps the slots
        ``out_ptr[v]:out_ptr[v + 1]``.
    pair_ptr : int64[n + 1]
        CSR index of contact pairs by caller; ``pair_ptr[v + 1] - pair_ptr[v]`` distinct callees.
    pair_start : int64[p + 1]
        Position in ``by_pair`` where each pair's calls begin (last entry ``m``).
    pair_callee : int32[p]
        Callee of each pair, ascending within a caller.
    """
    n = out_ptr.size - 1
    m = callee.size
    by_pair = np.empty(m, np.int64)
    n_pairs = np.zeros(n, np.int64)
    for v in prange(n):
        s, e = out_ptr[v], out_ptr[v + 1]
        if e > s:
            # A stable sort keeps time order among calls to the same callee.
            order = np.argsort(callee[s:e], kind="mergesort")
            count = 0
            prev = -1
            for k in range(e - s):
                i = s + order[k]
                by_pair[s + k] = i
                if k == 0 or callee[i] != prev:
                    count += 1
                prev = callee[i]
            n_pairs[v] = count
    pair_ptr = np.zeros(n + 1, np.int64)
    pair_ptr[1:] = np.cumsum(n_pairs)
    p_total = pair_ptr[n]
    pair_start = np.empty(p_total + 1, np.int64)
    pair_start[p_total] = m
    pair_callee = np.empty(p_total, np.int32)
    for v in prange(n):
        p = pair_ptr[v]
        for k in range(out_ptr[v], out_ptr[v + 1]):
            c = callee[by_pair[k]]
            if k == out_ptr[v] or c != callee[by_pair[k - 1]]:
                pair_start[p] = k
                pair_callee[p] = c
                p += 1
    return by_pair, pair_ptr, pair_start, pair_callee


@njit(cache=True)
def first_contact_flags(by_pair, pair_start, m):
    """bool[m]: true for the first call of every contact pair."""
    flags = np.zeros(m, np.bool_)
    for p in range(pair_start.size - 1):
        flags[by_pair[pair_start[p]]] = True
    return flags


@njit(cache=True, parallel=True)
def windowed_first_contact_fanout(out_ptr, start, is_first, window_s):
    """Most first-contact calls a caller makes within any window of ``window_s`` seconds.

    A window is half-open, ``[t, t + window_s)``. Since each pair has one first contact, this is
    the most distinct *new* callees reached in any such window.

    Parameters
    ----------
    out_ptr : int64[n + 1]
        CSR index of calls by caller, each caller's calls in time order.
    start : int64[m]
        Call start, epoch seconds.
    is_first : bool[m]
        First-contact flag of every call (see :func:`first_contact_flags`).
    window_s : int
        Window length, seconds.

    Returns
    -------
    int32[n]
        Callees per window (0 for a number with no outgoing calls).
    """
    n = out_ptr.size - 1
    out = np.zeros(n, np.int32)
    for v in prange(n):
        s, e = out_ptr[v], out_ptr[v + 1]
        lo = s
        inside = 0
        best = 0
        for hi in range(s, e):
            if not is_first[hi]:
                continue
            inside += 1
            while start[hi] - start[lo] >= window_s:
                if is_first[lo]:
                    inside -= 1
                lo += 1
            if inside > best:
                best = inside
        out[v] = best
    return out
