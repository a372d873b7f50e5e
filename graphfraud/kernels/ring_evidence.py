"""Pairs from shared groups (devices, cell-days) and runs of consecutive numbers (Numba)."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = [
    "consecutive_runs",
    "group_window_pairs",
    "grouped_members",
    "high_fanout_day_mask",
]


@njit(cache=True)
def group_window_pairs(group_ptr, members, window):
    """Link members of the same group, each to the next ``window`` members.

    A group of at most ``window + 1`` members becomes a clique; a larger one (a SIM-box with
    hundreds of SIMs) becomes a band of width ``window``, which keeps it one dense cluster with
    ``size * window`` pairs instead of ``size ** 2 / 2``.

    Parameters
    ----------
    group_ptr : ndarray of int64, shape (g + 1,)
        CSR index over ``members`` by group.
    members : ndarray of int32, shape (s,)
        Distinct member ids of each group, in any fixed order.
    window : int
        How many following members each member is linked to.

    Returns
    -------
    a, b : ndarray of int32, shape (p,)
        Linked pairs.
    group_size : ndarray of int64, shape (g,)
        Members per group.
    """
    g = group_ptr.shape[0] - 1
    group_size = np.diff(group_ptr)
    total = 0
    for q in range(g):
        s = group_size[q]
        for i in range(s):
            total += min(window, s - 1 - i)
    a = np.empty(total, dtype=np.int32)
    b = np.empty(total, dtype=np.int32)
    p = 0
    for q in range(g):
        lo = group_ptr[q]
        hi = group_ptr[q + 1]
        for i in range(lo, hi):
            for j in range(i + 1, min(hi, i + 1 + window)):
                a[p] = members[i]
                b[p] = members[j]
                p += 1
    return a, b, group_size


@njit(cache=True)
def consecutive_runs(values, day, max_gap, max_days):
    """Split sorted numbers into runs of near-consecutive, similarly activated numbers.

    Parameters
    ----------
    values : ndarray of int64, shape (s,)
        Numbers as integers, sorted ascending.
    day : ndarray of int32, shape (s,)
        Activation day of each number (days since epoch), -1 unknown.
    max_gap : int
        Neighbours differing by at most this much stay in one run.
    max_days : int
        Neighbours whose known activation days differ by more than this start a new run.

    Returns
    -------
    run : ndarray of int64, shape (s,)
        Run id of each position, 0..r-1 in order.
    """
    s = values.shape[0]
    run = np.zeros(s, dtype=np.int64)
    r = 0
    for i in range(1, s):
        near = values[i] - values[i - 1] <= max_gap
        if near and day[i] >= 0 and day[i - 1] >= 0 and abs(day[i] - day[i - 1]) > max_days:
            near = False
        if not near:
            r += 1
        run[i] = r
    return run


@njit(cache=True)
def _mark_high_fanout_days(out_ptr, callee, start, day_s, min_fanout, lo_v, hi_v, seen, mask):
    """Mark in ``mask`` the calls of callers ``lo_v:hi_v`` made on a day (``start // day_s``) on
    which the caller rang at least ``min_fanout`` distinct callees. Each caller's calls are in
    time order, so its days only grow. ``seen`` is scratch (n)."""
    for u in range(lo_v, hi_v):
        lo = out_ptr[u]
        hi = out_ptr[u + 1]
        while lo < hi:
            first_day = start[lo] // day_s
            end = lo
            d = 0
            while end < hi and start[end] // day_s == first_day:
                v = callee[end]
                if seen[v] != lo:  # stamp by the run's first call: unique per (caller, day)
                    seen[v] = lo
                    d += 1
                end += 1
            if d >= min_fanout:
                mask[lo:end] = True
            lo = end


@njit(cache=True, parallel=True)
def high_fanout_day_mask(out_ptr, callee, start, day_s, min_fanout, n_blocks):
    """Mask of calls made on a (caller, day) with at least ``min_fanout`` distinct callees.

    Parameters
    ----------
    out_ptr : ndarray of int64, shape (n + 1,)
        CSR index over calls by caller; each caller's calls in time order.
    callee : ndarray of int32, shape (m,)
    start : ndarray of int64, shape (m,)
        Call start; the day of a call is ``start // day_s``.
    min_fanout : int
        Distinct callees needed on one day.
    n_blocks : int
        Blocks of callers run in parallel, each with its own scratch marks.
    """
    n = out_ptr.shape[0] - 1
    mask = np.zeros(callee.shape[0], dtype=np.bool_)
    block = (n + n_blocks - 1) // n_blocks
    for b in prange(n_blocks):
        seen = np.full(n, -1, np.int64)
        _mark_high_fanout_days(out_ptr, callee, start, day_s, min_fanout, b * block,
                               min(n, (b + 1) * block), seen, mask)  # fmt: skip
    return mask


@njit(cache=True)
def grouped_members(keys, members, n_keys):
    """Distinct (key, member) pairs as a CSR by key, members ascending within each key.

    Equals ``np.unique(np.stack([keys, members], 1), axis=0)`` split by key, empty keys dropped.

    Parameters
    ----------
    keys : ndarray of int64, shape (s,)
        Group of each entry, in ``[0, n_keys)``.
    members : ndarray of int32, shape (s,)
        Member ids, ``>= 0``.
    n_keys : int

    Returns
    -------
    group_ptr : ndarray of int64, shape (g + 1,)
        CSR index over ``out`` by the ``g`` keys that occur, ascending.
    out : ndarray of int32
        Distinct members of each group, ascending.
    """
    s = keys.shape[0]
    # An entry equal to the one before it adds nothing; calls of one SIM arrive together and
    # mostly on one handset / cell, so this drops most entries before the scatter.
    fresh = np.ones(s, dtype=np.bool_)
    counts = np.zeros(n_keys + 1, dtype=np.int64)
    for i in range(s):
        if i > 0 and keys[i] == keys[i - 1] and members[i] == members[i - 1]:
            fresh[i] = False
        else:
            counts[keys[i] + 1] += 1
    for k in range(n_keys):
        counts[k + 1] += counts[k]
    fill = counts[:-1].copy()
    buf = np.empty(counts[n_keys], dtype=np.int32)
    for i in range(s):
        if fresh[i]:
            k = keys[i]
            buf[fill[k]] = members[i]
            fill[k] += 1
    out = np.empty(buf.shape[0], dtype=np.int32)
    group_ptr = np.zeros(n_keys + 1, dtype=np.int64)
    q = 0
    g = 0
    for k in range(n_keys):
        lo = counts[k]
        hi = counts[k + 1]
        if lo == hi:
            continue
        buf[lo:hi].sort()  # in place: no allocation per group
        start = q
        for t in range(lo, hi):
            if q == start or out[q - 1] != buf[t]:
                out[q] = buf[t]
                q += 1
        g += 1
        group_ptr[g] = q
    return group_ptr[: g + 1].copy(), out[:q].copy()
