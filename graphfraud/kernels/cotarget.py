"""Co-targeting graph (Numba): callers linked by the callees they both reach, close in time.

For every callee with at most ``max_callers`` distinct callers, each pair of those callers gets
``exp(-|t_a - t_b| / tau_s)`` added to its weight, where ``t`` is each caller's first call to that
callee. A victim passed from one caller to the next within minutes adds almost 1; two strangers
who happen to ring the same shop a week apart add almost 0. Callees above the cap (hotlines,
popular numbers) are skipped so they cannot glue everyone together, which also bounds the work
per callee to ``max_callers ** 2 / 2`` pairs.

A caller whom the callee has itself called (``contact_keys``) is a relationship, not a victim
contact, and is left out: friends who share friends must not look like a ring.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from graphfraud.kernels.ring_pairs import reduce_pairs

__all__ = ["CO_TARGET_COLUMNS", "co_targeting_graph", "co_targeting_pairs"]

#: Value columns of :func:`co_targeting_graph`'s ``data``.
CO_TARGET_COLUMNS = ("weight", "shared_callees", "handoffs")


@njit(cache=True)
def _first_contact_lists(in_ptr, in_order, caller, start, contact_keys, max_callers):
    """Per callee with 2 to ``max_callers`` such callers: its callers that it never called, in
    order of first contact, with their first call time. Returns ``(ptr, callers, times)``, a CSR
    by callee (other callees get empty rows)."""
    n = in_ptr.shape[0] - 1
    seen = np.full(n, -1, dtype=np.int64)
    called = np.full(n, -1, dtype=np.int64)  # called[v] == c: callee c has itself called v
    ptr = np.zeros(n + 1, dtype=np.int64)
    fc_u = np.empty(in_order.shape[0], dtype=np.int32)
    fc_t = np.empty(in_order.shape[0], dtype=np.int64)
    q = 0
    for c in range(n):
        if in_ptr[c + 1] - in_ptr[c] < 2:
            ptr[c + 1] = q
            continue
        # c's own contacts are one contiguous run of the sorted keys: mark them once.
        lo_key = np.searchsorted(contact_keys, np.int64(c) * n)
        hi_key = np.searchsorted(contact_keys, np.int64(c + 1) * n)
        for at in range(lo_key, hi_key):
            called[contact_keys[at] - np.int64(c) * n] = c
        base = q
        for pos in range(in_ptr[c], in_ptr[c + 1]):
            call = in_order[pos]
            u = caller[call]
            if seen[u] != c:  # in_order is time-ordered within a callee: first hit = first contact
                seen[u] = c
                if called[u] == c:
                    continue
                if q - base == max_callers:  # one more: the callee is skipped, stop looking
                    q = base + max_callers + 1
                    break
                fc_u[q] = u
                fc_t[q] = start[call]
                q += 1
        d = q - base
        if d < 2 or d > max_callers:
            q = base
        ptr[c + 1] = q
    return ptr, fc_u[:q], fc_t[:q]


@njit(cache=True)
def _pairs_of_lists(ptr, fc_u, fc_t, tau_s, handoff_s, pair_ptr, a, b, values, hit):
    """Fill the pairs of every callee's list at ``pair_ptr[c]``, each callee only its own slots.

    Serial on purpose: a ``parallel=True`` kernel called from cached kernels (``co_targeting_graph``)
    breaks Numba's cache (arrays come back without a dtype), and the pairs are a small share.
    """
    n = ptr.shape[0] - 1
    for c in range(n):
        lo = ptr[c]
        d = ptr[c + 1] - lo
        p = pair_ptr[c]
        for i in range(d):
            for j in range(i + 1, d):
                dt = abs(fc_t[lo + j] - fc_t[lo + i])
                a[p] = fc_u[lo + i]
                b[p] = fc_u[lo + j]
                values[p, 0] = np.exp(-dt / tau_s)
                values[p, 1] = 1.0
                if dt <= handoff_s:
                    values[p, 2] = 1.0
                    hit[lo + i] = True
                    hit[lo + j] = True
                p += 1


@njit(cache=True)
def co_targeting_pairs(
    in_ptr, in_order, caller, start, contact_keys, max_callers, tau_s, handoff_s
):
    """One pair per (caller, caller, shared callee), not yet summed.

    Parameters
    ----------
    in_ptr : ndarray of int64, shape (n + 1,)
        CSR index over ``in_order`` by callee.
    in_order : ndarray of int64, shape (m,)
        Call indices sorted by (callee, start).
    caller : ndarray of int32, shape (m,)
        Caller id of each call.
    start : ndarray of int64, shape (m,)
        Call start, epoch seconds.
    contact_keys : ndarray of int64, shape (q,)
        Sorted distinct ``caller * n + callee`` of all calls; a caller that its callee has called
        is skipped. Empty: skip nobody.
    max_callers : int
        Callees with more distinct callers than this are skipped.
    tau_s : float
        Time-decay constant, seconds.
    handoff_s : float
        Two first contacts at most this many seconds apart count as a hand-off.

    Returns
    -------
    a, b : ndarray of int32, shape (p,)
        Caller pairs, ``a`` the earlier of the two first contacts.
    values : ndarray of float64, shape (p, 3)
        Per pair: decay weight, 1 (one shared callee), 1 if a hand-off else 0.
    handoff_victims : ndarray of int32, shape (n,)
        Per caller, callees it shares with some other caller within ``handoff_s``.
    """
    n = in_ptr.shape[0] - 1
    ptr, fc_u, fc_t = _first_contact_lists(in_ptr, in_order, caller, start, contact_keys, max_callers)
    pair_ptr = np.zeros(n + 1, dtype=np.int64)
    for c in range(n):
        d = ptr[c + 1] - ptr[c]
        pair_ptr[c + 1] = pair_ptr[c] + d * (d - 1) // 2
    total = pair_ptr[n]
    a = np.empty(total, dtype=np.int32)
    b = np.empty(total, dtype=np.int32)
    values = np.zeros((total, 3), dtype=np.float64)
    hit = np.zeros(fc_u.shape[0], dtype=np.bool_)
    _pairs_of_lists(ptr, fc_u, fc_t, tau_s, handoff_s, pair_ptr, a, b, values, hit)
    handoff_victims = np.zeros(n, dtype=np.int32)
    for q in range(fc_u.shape[0]):
        if hit[q]:
            handoff_victims[fc_u[q]] += 1
    return a, b, values, handoff_victims


@njit(cache=True)
def co_targeting_graph(
    in_ptr, in_order, caller, start, contact_keys, max_callers, tau_s, handoff_s
):
    """Undirected co-targeting graph over caller ids, in CSR.

    Parameters are those of :func:`co_targeting_pairs`.

    Returns
    -------
    indptr : ndarray of int64, shape (n + 1,)
    indices : ndarray of int32, shape (nnz,)
    data : ndarray of float64, shape (nnz, 3)
        Columns :data:`CO_TARGET_COLUMNS`: summed decay weight (0 to shared callees),
        shared callees (count), hand-offs within ``handoff_s`` (count).
    handoff_victims : ndarray of int32, shape (n,)
        As in :func:`co_targeting_pairs`.
    """
    a, b, values, handoff_victims = co_targeting_pairs(
        in_ptr, in_order, caller, start, contact_keys, max_callers, tau_s, handoff_s
    )
    n = in_ptr.shape[0] - 1
    indptr, indices, data = reduce_pairs(n, a, b, values)
    return indptr, indices, data, handoff_victims
