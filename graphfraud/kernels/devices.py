"""Which devices and cells each SIM used, as per-SIM CSR lists of distinct codes."""

from __future__ import annotations

import numpy as np
from numba import get_num_threads, njit, prange

__all__ = [
    "cell_day_codes",
    "coarse_codes",
    "distinct_codes",
    "invert_csr",
    "max_over_members",
    "sort_count_distinct",
    "sort_small",
]


@njit(cache=True)
def sort_small(values, s, e):
    """Sort ``values[s:e]`` in place.

    Rows of at most 16 (most SIMs: a few calls, often on one handset) get an insertion sort, which
    beats the general sort at that size.
    """
    if e - s > 16:
        values[s:e].sort()
        return
    for t in range(s + 1, e):
        x = values[t]
        u = t - 1
        while u >= s and values[u] > x:
            values[u + 1] = values[u]
            u -= 1
        values[u + 1] = x


@njit(cache=True)
def sort_count_distinct(values, s, e):
    """Sort ``values[s:e]`` in place (:func:`sort_small`) and return how many distinct
    non-negative values it holds."""
    sort_small(values, s, e)
    count = 0
    for k in range(s, e):
        if values[k] >= 0 and (k == s or values[k] != values[k - 1]):
            count += 1
    return count


@njit(cache=True, parallel=True)
def distinct_codes(out_ptr, codes):
    """Distinct non-negative codes (IMEI, cell, cell-day ...) of every caller's calls.

    Parameters
    ----------
    out_ptr : int64[n + 1]
        CSR index of calls by caller.
    codes : int64[m]
        A code per call; negative = unknown, skipped.

    Returns
    -------
    ptr : int64[n + 1]
        CSR index by caller; ``ptr[v + 1] - ptr[v]`` distinct codes.
    values : int64[k]
        The distinct codes of every caller, ascending.
    """
    n = out_ptr.size - 1
    # Each caller's slice of one copy, compacted in place first: known codes only, and a run of
    # one code (consecutive calls from one handset or cell, the common case) as one entry. What
    # is left is short: sorted, it leaves its distinct codes at the slice's start. (10M calls:
    # 0.17-0.18 / 0.26-0.27 s for handsets / cell-days sorting every whole slice -> 0.05 / 0.08 s.)
    ordered = np.empty_like(codes)
    counts = np.zeros(n, np.int64)
    for v in prange(n):
        s, e = out_ptr[v], out_ptr[v + 1]
        k = s
        for i in range(s, e):
            c = codes[i]
            if c >= 0 and (k == s or c != ordered[k - 1]):
                ordered[k] = c
                k += 1
        if k - s > 1:
            sort_small(ordered, s, k)
            j = s + 1
            for i in range(s + 1, k):
                if ordered[i] != ordered[j - 1]:
                    ordered[j] = ordered[i]
                    j += 1
            k = j
        counts[v] = k - s
    ptr = np.zeros(n + 1, np.int64)
    ptr[1:] = np.cumsum(counts)
    values = np.empty(ptr[n], np.int64)
    for v in prange(n):
        s = out_ptr[v]
        values[ptr[v] : ptr[v + 1]] = ordered[s : s + counts[v]]
    return ptr, values


@njit(cache=True, parallel=True)
def max_over_members(ptr, values, weight):
    """float64[n]: the largest ``weight[values[k]]`` over each CSR row (0 for an empty row)."""
    n = ptr.size - 1
    out = np.zeros(n)
    for v in prange(n):
        best = 0.0
        for k in range(ptr[v], ptr[v + 1]):
            w = weight[values[k]]
            if w > best:
                best = w
        out[v] = best
    return out


def invert_csr(ptr, values, n_groups):
    """Turn rows → members into members → rows: ``(group_ptr int64[g + 1], group_rows int32[k],
    source int64[k])``, with ``source`` the position in ``values`` each entry came from.

    A stable counting sort by group: rows come out ascending within each group.
    """
    return _invert_csr(ptr, values, n_groups, get_num_threads())


@njit(cache=True, parallel=True)
def _invert_csr(ptr, values, n_groups, n_threads):
    counts = np.zeros(n_groups + 1, np.int64)
    for k in range(values.size):
        counts[values[k] + 1] += 1
    group_ptr = np.cumsum(counts)
    rows = np.empty(values.size, np.int32)
    source = np.empty(values.size, np.int64)
    # Every thread reads all the pairs and writes those of its own range of groups: the writes
    # land in random places, and two threads halve their wait (results as a serial pass).
    span = (n_groups + n_threads - 1) // n_threads
    for t in prange(n_threads):
        lo, hi = t * span, min(n_groups, (t + 1) * span)
        fill = group_ptr[lo:hi].copy()
        for v in range(ptr.size - 1):
            for k in range(ptr[v], ptr[v + 1]):
                g = values[k]
                if lo <= g < hi:
                    at = fill[g - lo]
                    rows[at] = v
                    source[at] = k
                    fill[g - lo] = at + 1
    return group_ptr, rows, source


@njit(cache=True, parallel=True)
def cell_day_codes(cell, start, offset_s, day_s):
    """Per call, its (cell, local day) code ``cell * n_days + day - day0`` (-1 where the cell is
    unknown), with local day ``(start + offset_s) // day_s``; returns ``(codes, n_days)``."""
    m = cell.shape[0]
    codes = np.empty(m, np.int64)
    if m == 0:
        return codes, 1
    day0 = (start.min() + offset_s) // day_s
    n_days = (start.max() + offset_s) // day_s - day0 + 1
    for i in prange(m):
        c = cell[i]
        codes[i] = np.int64(c) * n_days + (start[i] + offset_s) // day_s - day0 if c >= 0 else -1
    return codes, n_days


@njit(cache=True, parallel=True)
def coarse_codes(ptr, codes, divisor):
    """Distinct ``codes // divisor`` of every CSR row whose codes are distinct and ascending.

    From each SIM's distinct (cell, day) codes ``cell * n_days + day``, its distinct cells:
    ascending codes give ascending quotients, so equal ones are neighbours. Returns ``(ptr,
    values)`` as :func:`distinct_codes` would for the coarse codes.
    """
    n = ptr.size - 1
    counts = np.zeros(n, np.int64)
    for v in prange(n):
        c = 0
        for k in range(ptr[v], ptr[v + 1]):
            if k == ptr[v] or codes[k] // divisor != codes[k - 1] // divisor:
                c += 1
        counts[v] = c
    out_ptr = np.zeros(n + 1, np.int64)
    out_ptr[1:] = np.cumsum(counts)
    values = np.empty(out_ptr[n], codes.dtype)
    for v in prange(n):
        j = out_ptr[v]
        for k in range(ptr[v], ptr[v + 1]):
            if k == ptr[v] or codes[k] // divisor != codes[k - 1] // divisor:
                values[j] = codes[k] // divisor
                j += 1
    return out_ptr, values


@njit(cache=True, parallel=True)
def concat_rows(ptr_a, values_a, ptr_b, values_b, shift_b):
    """Row-wise concatenation of two CSRs over the same rows; ``values_b`` shifted by ``shift_b``.

    Returns ``(ptr int64[n + 1], values int64[k])``; used to give each SIM one list of groups
    (its handsets, then its cells).
    """
    n = ptr_a.size - 1
    ptr = np.zeros(n + 1, np.int64)
    for v in range(n):
        ptr[v + 1] = ptr[v] + (ptr_a[v + 1] - ptr_a[v]) + (ptr_b[v + 1] - ptr_b[v])
    values = np.empty(ptr[n], np.int64)
    for v in prange(n):
        j = ptr[v]
        for k in range(ptr_a[v], ptr_a[v + 1]):
            values[j] = values_a[k]
            j += 1
        for k in range(ptr_b[v], ptr_b[v + 1]):
            values[j] = values_b[k] + shift_b
            j += 1
    return ptr, values
