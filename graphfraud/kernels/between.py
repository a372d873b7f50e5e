"""Calls between numbers: between two sets, in one parallel pass over the calls; and whether
the two numbers of each edge of a graph called each other, both ways."""

from __future__ import annotations

import numpy as np
from numba import get_num_threads, njit, prange

__all__ = ["calls_between", "edges_in_contact"]


def calls_between(caller: np.ndarray, callee: np.ndarray, from_set: np.ndarray,
                  to_set: np.ndarray) -> np.ndarray:  # fmt: skip
    """int64 indices (ascending) of the calls with ``from_set[caller]`` and ``to_set[callee]``.

    The NumPy spelling ``np.flatnonzero(from_set[caller] & to_set[callee])`` builds three arrays
    as long as the calls; ring selection asks this of a few hundred numbers on 10M calls several
    times, and gets back a few thousand calls.
    """
    return _calls_between(caller, callee, from_set, to_set, 4 * get_num_threads())


@njit(cache=True, parallel=True)
def _calls_between(caller, callee, from_set, to_set, n_blocks):
    m = caller.shape[0]
    rows = (m + n_blocks - 1) // n_blocks
    counts = np.zeros(n_blocks, np.int64)
    for b in prange(n_blocks):
        c = 0
        for i in range(b * rows, min(m, (b + 1) * rows)):
            if from_set[caller[i]] and to_set[callee[i]]:
                c += 1
        counts[b] = c
    at = np.zeros(n_blocks + 1, np.int64)
    at[1:] = np.cumsum(counts)
    out = np.empty(at[n_blocks], np.int64)
    for b in prange(n_blocks):
        j = at[b]
        for i in range(b * rows, min(m, (b + 1) * rows)):
            if from_set[caller[i]] and to_set[callee[i]]:
                out[j] = i
                j += 1
    return out


def edges_in_contact(contact_ptr: np.ndarray, contact_callee: np.ndarray, indptr: np.ndarray,
                     indices: np.ndarray, edge: np.ndarray, asked: np.ndarray) -> np.ndarray:  # fmt: skip
    """bool[pairs]: for each pair of a symmetric CSR (``indptr``/``indices``, ``edge[e]`` the pair
    of entry ``e``) where ``asked[pair]``, whether each of the two numbers ever called the other.

    ``contact_ptr``/``contact_callee`` is the contact CSR by caller with callees ascending within
    a caller (:func:`graphfraud.kernels.fanout.contact_pairs`): two binary searches a pair.
    """
    return _edges_in_contact(contact_ptr, contact_callee, indptr, indices, edge, asked)


@njit(cache=True)
def _called(contact_ptr, contact_callee, u, v):
    lo, hi = contact_ptr[u], contact_ptr[u + 1]
    while lo < hi:
        mid = (lo + hi) >> 1
        if contact_callee[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo < contact_ptr[u + 1] and contact_callee[lo] == v


@njit(cache=True, parallel=True)
def _edges_in_contact(contact_ptr, contact_callee, indptr, indices, edge, asked):
    out = np.zeros(asked.shape[0], np.bool_)
    for r in prange(indptr.shape[0] - 1):
        for at in range(indptr[r], indptr[r + 1]):
            c = indices[at]
            e = edge[at]
            # Each pair once, from its lower row: no two rows write the same pair.
            if c > r and asked[e]:
                out[e] = _called(contact_ptr, contact_callee, r, c) and _called(
                    contact_ptr, contact_callee, c, r)
    return out
