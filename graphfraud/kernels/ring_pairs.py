"""Sum a list of node pairs into a symmetric CSR graph (Numba).

Several evidence kernels emit one ``(a, b)`` pair per piece of evidence; this module folds the
duplicates together and writes both directions, so the result is an undirected graph in CSR form
with one row of value columns per stored entry.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["reduce_pairs"]


@njit(cache=True)
def reduce_pairs(n, a, b, values):
    """Sum duplicate pairs and symmetrise them into CSR.

    Parameters
    ----------
    n : int
        Number of nodes; every id in ``a`` and ``b`` is in ``[0, n)``.
    a, b : ndarray of int32, shape (p,)
        Pair endpoints. Order inside a pair does not matter; pairs with ``a == b`` are dropped.
    values : ndarray of float64, shape (p, k)
        Values carried by each pair, summed over duplicates column by column.

    Returns
    -------
    indptr : ndarray of int64, shape (n + 1,)
    indices : ndarray of int32, shape (nnz,)
        Neighbours, sorted within each row; ``nnz`` is twice the number of distinct pairs.
    data : ndarray of float64, shape (nnz, k)
        Summed values, the same on ``(u, v)`` and ``(v, u)``.
    """
    p = a.shape[0]
    k = values.shape[1]
    # Stable order by (lo, hi) without one global sort: a counting sort by lo, then a stable sort
    # of hi inside each lo bucket. Duplicates stay in input order, so their values are summed in
    # the same order (same floating-point result) as with a global stable sort of the keys.
    lo_of = np.empty(p, dtype=np.int32)
    hi_of = np.empty(p, dtype=np.int32)
    bucket = np.zeros(n + 1, dtype=np.int64)
    for i in range(p):
        lo, hi = a[i], b[i]
        if lo > hi:
            lo, hi = hi, lo
        lo_of[i] = lo
        hi_of[i] = hi
        if lo != hi:
            bucket[lo + 1] += 1
    for r in range(n):
        bucket[r + 1] += bucket[r]
    fill = bucket[:-1].copy()
    order = np.empty(bucket[n], dtype=np.int64)
    for i in range(p):
        if lo_of[i] != hi_of[i]:
            order[fill[lo_of[i]]] = i
            fill[lo_of[i]] += 1
    for r in range(n):
        s, e = bucket[r], bucket[r + 1]
        if e - s > 32:
            sub = order[s:e].copy()
            order[s:e] = sub[np.argsort(hi_of[sub], kind="mergesort")]
        else:  # short rows: stable insertion sort in place
            for t in range(s + 1, e):
                x = order[t]
                h = hi_of[x]
                u = t - 1
                while u >= s and hi_of[order[u]] > h:
                    order[u + 1] = order[u]
                    u -= 1
                order[u + 1] = x
    # Distinct pairs and their summed values.
    q = order.shape[0]
    n_unique = 0
    for t in range(q):
        i = order[t]
        if t == 0 or lo_of[i] != lo_of[order[t - 1]] or hi_of[i] != hi_of[order[t - 1]]:
            n_unique += 1
    ua = np.empty(n_unique, dtype=np.int32)
    ub = np.empty(n_unique, dtype=np.int32)
    uv = np.zeros((n_unique, k), dtype=np.float64)
    j = -1
    for t in range(q):
        src = order[t]
        if t == 0 or lo_of[src] != lo_of[order[t - 1]] or hi_of[src] != hi_of[order[t - 1]]:
            j += 1
            ua[j] = lo_of[src]
            ub[j] = hi_of[src]
        for c in range(k):
            uv[j, c] += values[src, c]
    # Both directions. Pairs are sorted by (a, b) with a < b, so filling in that order leaves
    # every row sorted: entries (a < r, r) arrive before entries (r, b > r).
    counts = np.zeros(n + 1, dtype=np.int64)
    for j in range(n_unique):
        counts[ua[j] + 1] += 1
        counts[ub[j] + 1] += 1
    indptr = np.cumsum(counts)
    fill = indptr[:-1].copy()
    indices = np.empty(2 * n_unique, dtype=np.int32)
    data = np.empty((2 * n_unique, k), dtype=np.float64)
    for j in range(n_unique):
        for u, v in ((ua[j], ub[j]), (ub[j], ua[j])):
            pos = fill[u]
            indices[pos] = v
            for c in range(k):
                data[pos, c] = uv[j, c]
            fill[u] = pos + 1
    return indptr, indices, data
