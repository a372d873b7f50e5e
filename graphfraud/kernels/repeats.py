"""Repeated call records: the same caller, callee and start more than once.

Switches repeat records (a merged export, a re-sent batch). The database keeps one record per
call id ``caller>callee@start`` (:mod:`graphfraud.store.loader`), so the call graph does too.
:func:`repeat_rows` finds, in calls grouped by number (a CSR) and sorted by time with ties in
input order, every record that repeats an earlier one, so the file's first record of a call is
the one kept, as ``MERGE ... ON CREATE`` keeps it; :func:`drop_rows` then closes the gaps in
place. A file without repeats pays for one read of the times and values.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["drop_rows", "repeat_rows"]

_SMALL = 16  # a run of equal times up to this long is checked pair by pair, longer ones sorted


@njit(cache=True, nogil=True)
def _run_repeats(value, lo, hi, out, n):
    """Rows of ``value[lo:hi]`` equal to an earlier one there, written to ``out[n:]`` while it has
    room; returns ``n`` plus how many."""
    if hi - lo <= _SMALL:
        for i in range(lo + 1, hi):
            for j in range(lo, i):
                if value[j] == value[i]:
                    if n < out.shape[0]:
                        out[n] = i
                    n += 1
                    break
        return n
    order = np.argsort(value[lo:hi], kind="mergesort")  # stable: equal values keep their order
    for k in range(1, hi - lo):
        if value[lo + order[k]] == value[lo + order[k - 1]]:
            if n < out.shape[0]:
                out[n] = lo + order[k]
            n += 1
    return n


@njit(cache=True, nogil=True)
def _repeats(ptr, time, value, out):
    n = 0
    for v in range(ptr.shape[0] - 1):
        lo = ptr[v]
        for i in range(ptr[v] + 1, ptr[v + 1] + 1):
            if i == ptr[v + 1] or time[i] != time[lo]:
                if i - lo > 1:
                    n = _run_repeats(value, lo, i, out, n)
                lo = i
    return n


def repeat_rows(ptr: np.ndarray, time: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Rows (ascending int64) of the entries that repeat an earlier entry of the same group with
    the same ``time`` and ``value``.

    ``ptr`` is a CSR over the entries by group (a number's calls), each group sorted by ``time``
    with ties in input order. Units: ``time`` epoch seconds, ``value`` number ids. A run of equal
    times is compared pair by pair while short and sorted when long (a farm dialling many numbers
    within one second), so it stays ``O(m log m)`` at worst.
    """
    count = _repeats(ptr, time, value, np.empty(0, np.int64))
    rows = np.empty(count, np.int64)
    if count:
        _repeats(ptr, time, value, rows)
        rows.sort()
    return rows


@njit(cache=True, nogil=True)
def drop_rows(a, rows):
    """Remove ``rows`` (ascending, distinct) from ``a`` in place, keeping the order of the rest;
    returns the new length (``a[:length]`` is the result)."""
    if rows.shape[0] == 0:
        return a.shape[0]
    w = rows[0]
    for k in range(rows.shape[0]):
        hi = rows[k + 1] if k + 1 < rows.shape[0] else a.shape[0]
        for i in range(rows[k] + 1, hi):
            a[w] = a[i]
            w += 1
    return w
