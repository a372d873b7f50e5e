"""Louvain community detection (Numba), seeded and deterministic.

The graph is a symmetric weighted adjacency matrix ``A`` in CSR (``indptr``, ``indices``,
``data``); a self-loop is the diagonal entry ``A[i, i]`` as stored. Modularity is

    Q = sum_c [ in_c / 2m - resolution * (tot_c / 2m) ** 2 ]

with ``2m`` the sum of all entries, ``in_c`` the sum of entries inside community ``c`` and
``tot_c`` the sum of its nodes' strengths. Nodes are visited in an order drawn from ``seed``, so the
same graph and seed give the same partition.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["louvain", "modularity"]


@njit(cache=True)
def modularity(indptr, indices, data, labels, resolution=1.0):
    """Modularity of a partition (no unit; -0.5 to 1).

    Parameters
    ----------
    indptr, indices, data : ndarray
        Symmetric CSR adjacency (int64, int32, float64).
    labels : ndarray of int, shape (n,)
        Community of each node, in ``[0, n)``.
    resolution : float
        Weight of the null-model term.
    """
    n = indptr.shape[0] - 1
    internal = np.zeros(n, dtype=np.float64)
    tot = np.zeros(n, dtype=np.float64)
    m2 = 0.0
    for i in range(n):
        for p in range(indptr[i], indptr[i + 1]):
            w = data[p]
            m2 += w
            tot[labels[i]] += w
            if labels[indices[p]] == labels[i]:
                internal[labels[i]] += w
    if m2 == 0.0:
        return 0.0
    q = 0.0
    for c in range(n):
        q += internal[c] / m2 - resolution * (tot[c] / m2) ** 2
    return q


@njit(cache=True)
def _move_nodes(indptr, indices, data, strength, m2, resolution, order, tol, init):
    """Local moving phase from partition ``init``: returns (community of each node, moves)."""
    n = indptr.shape[0] - 1
    comm = init.copy()
    tot = np.zeros(n, dtype=np.float64)
    for i in range(n):
        tot[comm[i]] += strength[i]
    neigh_w = np.zeros(n, dtype=np.float64)
    neigh_c = np.empty(n, dtype=np.int64)
    moves = 0
    while True:
        moved = 0
        for i in order:
            ci = comm[i]
            ki = strength[i]
            k = 0
            neigh_w[ci] = 0.0
            neigh_c[k] = ci
            k += 1
            for p in range(indptr[i], indptr[i + 1]):
                j = indices[p]
                if j == i:
                    continue
                cj = comm[j]
                if neigh_w[cj] == 0.0 and cj != ci:
                    neigh_c[k] = cj
                    k += 1
                neigh_w[cj] += data[p]
            tot[ci] -= ki
            best_c = ci
            best_gain = neigh_w[ci] - resolution * tot[ci] * ki / m2
            for t in range(1, k):
                c = neigh_c[t]
                gain = neigh_w[c] - resolution * tot[c] * ki / m2
                if gain > best_gain + tol:
                    best_gain = gain
                    best_c = c
            tot[best_c] += ki
            comm[i] = best_c
            for t in range(k):
                neigh_w[neigh_c[t]] = 0.0
            if best_c != ci:
                moved += 1
        moves += moved
        if moved == 0:
            break
    return comm, moves


@njit(cache=True)
def _renumber(comm):
    """Community labels renumbered 0..k-1 in order of first appearance; returns (labels, k)."""
    n = comm.shape[0]
    new = np.full(n, -1, dtype=np.int64)
    out = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(n):
        c = comm[i]
        if new[c] < 0:
            new[c] = k
            k += 1
        out[i] = new[c]
    return out, k


@njit(cache=True)
def _aggregate(indptr, indices, data, labels, k):
    """Graph of communities: entry (C, D) is the sum of A[i, j] over i in C, j in D."""
    n = indptr.shape[0] - 1
    # Nodes grouped by community (counting sort).
    cptr = np.zeros(k + 1, dtype=np.int64)
    for i in range(n):
        cptr[labels[i] + 1] += 1
    cptr = np.cumsum(cptr)
    members = np.empty(n, dtype=np.int64)
    fill = cptr[:-1].copy()
    for i in range(n):
        members[fill[labels[i]]] = i
        fill[labels[i]] += 1
    acc = np.zeros(k, dtype=np.float64)
    touched = np.zeros(k, dtype=np.bool_)
    touched_list = np.empty(k, dtype=np.int64)
    new_ptr = np.zeros(k + 1, dtype=np.int64)
    new_idx = np.empty(indices.shape[0], dtype=np.int32)
    new_data = np.empty(indices.shape[0], dtype=np.float64)
    nnz = 0
    for c in range(k):
        t = 0
        for q in range(cptr[c], cptr[c + 1]):
            i = members[q]
            for p in range(indptr[i], indptr[i + 1]):
                d = labels[indices[p]]
                if not touched[d]:
                    touched[d] = True
                    touched_list[t] = d
                    t += 1
                acc[d] += data[p]
        row = np.sort(touched_list[:t])
        for d in row:
            new_idx[nnz] = d
            new_data[nnz] = acc[d]
            nnz += 1
            acc[d] = 0.0
            touched[d] = False
        new_ptr[c + 1] = nnz
    return new_ptr, new_idx[:nnz].copy(), new_data[:nnz].copy()


@njit(cache=True)
def louvain(indptr, indices, data, seed=0, resolution=1.0, max_levels=50, tol=1e-10):
    """Communities by the Louvain method.

    Parameters
    ----------
    indptr : ndarray of int64, shape (n + 1,)
    indices : ndarray of int32, shape (nnz,)
    data : ndarray of float64, shape (nnz,)
        Symmetric, non-negative CSR adjacency; a self-loop is its diagonal entry.
    seed : int
        Seeds the node visiting order; same seed, same partition.
    resolution : float
        Larger gives smaller communities.
    max_levels : int
        Most aggregation levels per round, and most refinement rounds.
    tol : float
        Smallest gain (in units of edge weight) that moves a node.

    Returns
    -------
    labels : ndarray of int64, shape (n,)
        Community of each node, numbered 0..k-1 in order of first node.
    """
    np.random.seed(seed)
    n = indptr.shape[0] - 1
    labels = np.arange(n)
    if n == 0 or data.sum() <= 0.0:
        return labels
    # Round 1 is plain Louvain; later rounds move single nodes again from the partition found,
    # then re-aggregate. Every move raises modularity, so rounds stop when nothing moves.
    for _round in range(max_levels):
        labels, moves = _louvain_round(indptr, indices, data, labels, resolution, max_levels, tol)
        if moves == 0:
            break
    return labels


@njit(cache=True)
def _strength(ptr, dat):
    size = ptr.shape[0] - 1
    strength = np.zeros(size, dtype=np.float64)
    for i in range(size):
        for p in range(ptr[i], ptr[i + 1]):
            strength[i] += dat[p]
    return strength


@njit(cache=True)
def _louvain_round(indptr, indices, data, init, resolution, max_levels, tol):
    """Local moving from ``init`` on the nodes, then on ever coarser graphs: (labels, moves)."""
    n = indptr.shape[0] - 1
    m2 = data.sum()
    order = np.random.permutation(n)
    comm, total_moves = _move_nodes(
        indptr, indices, data, _strength(indptr, data), m2, resolution, order, tol, init
    )
    comm, k = _renumber(comm)
    labels = comm.copy()
    ptr, idx, dat = indptr, indices, data
    size = n
    for _level in range(max_levels):
        if k == size:
            break
        ptr, idx, dat = _aggregate(ptr, idx, dat, comm, k)
        size = k
        order = np.random.permutation(size)
        comm, moves = _move_nodes(
            ptr, idx, dat, _strength(ptr, dat), m2, resolution, order, tol, np.arange(size)
        )
        if moves == 0:
            break
        total_moves += moves
        comm, k = _renumber(comm)
        for i in range(n):
            labels[i] = comm[labels[i]]
    labels, _k = _renumber(labels)
    return labels, total_moves
