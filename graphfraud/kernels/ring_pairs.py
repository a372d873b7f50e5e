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
    keys = np.empty(p, dtype=np.int64)
    for i in range(p):
        lo, hi = a[i], b[i]
        if lo > hi:
            lo, hi = hi, lo
        keys[i] = np.int64(lo) * n + hi if lo != hi else -1
    order = np.argsort(keys, kind="mergesort")
    # Distinct keys and their summed values.
    n_unique = 0
    prev = np.int64(-1)
    for i in range(p):
        key = keys[order[i]]
        if key >= 0 and key != prev:
            n_unique += 1
            prev = key
    ua = np.empty(n_unique, dtype=np.int32)
    ub = np.empty(n_unique, dtype=np.int32)
    uv = np.zeros((n_unique, k), dtype=np.float64)
    j = -1
    prev = np.int64(-1)
    for i in range(p):
        src = order[i]
        key = keys[src]
        if key < 0:
            continue
        if key != prev:
            j += 1
            ua[j] = key // n
            ub[j] = key % n
            prev = key
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
