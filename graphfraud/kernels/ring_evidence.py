"""Pairs from shared groups (devices, cell-days) and runs of consecutive numbers (Numba)."""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["consecutive_runs", "group_window_pairs"]


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
