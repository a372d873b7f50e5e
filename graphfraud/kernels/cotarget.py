"""Co-targeting graph (Numba): callers linked by the callees they both reach, close in time.

For every callee with at most ``max_callers`` distinct callers, each pair of those callers gets
``exp(-|t_a - t_b| / tau_s)`` added to its weight, where ``t`` is each caller's first call to that
callee. A victim passed from one caller to the next within minutes adds almost 1; two strangers
who happen to ring the same shop a week apart add almost 0. Callees above the cap (hotlines,
popular numbers) are skipped so they cannot glue everyone together, which also bounds the work
per callee to ``max_callers ** 2 / 2`` pairs.

A caller whom the callee has itself called (``contact_ptr``/``contact_callee``) is a relationship,
not a victim contact, and is left out: friends who share friends must not look like a ring.
"""

from __future__ import annotations

import numpy as np
from numba import get_num_threads, njit, prange

from graphfraud.kernels.ring_pairs import reduce_pairs

__all__ = ["CO_TARGET_COLUMNS", "co_targeting_graph", "co_targeting_pairs"]

#: Value columns of :func:`co_targeting_graph`'s ``data``.
CO_TARGET_COLUMNS = ("weight", "shared_callees", "handoffs")


@njit(cache=True, parallel=True)
def _first_contact_lists(in_ptr, in_caller, in_start, contact_ptr, contact_callee, max_callers,
                         n_blocks):  # fmt: skip
    """Per callee with 2 to ``max_callers`` such callers: its callers that it never called, in
    order of first contact, with their first call time. Returns ``(ptr, callers, times)``, a CSR
    by callee (other callees get empty rows).

    Callees are split into ``n_blocks`` blocks run in parallel, each with its own scratch marks;
    every callee first writes into its own slots ``in_ptr[c]:`` and a second pass compacts them.
    """
    n = in_ptr.shape[0] - 1
    m = in_caller.shape[0]
    slot_u = np.empty(m, dtype=np.int32)
    slot_t = np.empty(m, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    block = (n + n_blocks - 1) // n_blocks
    for bi in prange(n_blocks):
        seen = np.full(n, -1, dtype=np.int64)
        called = np.full(n, -1, dtype=np.int64)  # called[v] == c: callee c has itself called v
        for c in range(bi * block, min(n, (bi + 1) * block)):
            base = in_ptr[c]
            if in_ptr[c + 1] - base < 2:
                continue
            # c's own contacts are its row of the contact CSR: mark them once.
            for at in range(contact_ptr[c], contact_ptr[c + 1]):
                called[contact_callee[at]] = c
            q = base
            over = False
            for pos in range(base, in_ptr[c + 1]):
                u = in_caller[pos]
                if seen[u] != c:  # calls are in time order within a callee: first hit = first contact
                    seen[u] = c
                    if called[u] == c:
                        continue
                    if q - base == max_callers:  # one more: the callee is skipped, stop looking
                        over = True
                        break
                    slot_u[q] = u
                    slot_t[q] = in_start[pos]
                    q += 1
            if not over and q - base >= 2:
                count[c] = q - base
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(count)
    fc_u = np.empty(ptr[n], dtype=np.int32)
    fc_t = np.empty(ptr[n], dtype=np.int64)
    for c in prange(n):
        src = in_ptr[c]
        dst = ptr[c]
        for k in range(count[c]):
            fc_u[dst + k] = slot_u[src + k]
            fc_t[dst + k] = slot_t[src + k]
    return ptr, fc_u, fc_t


@njit(cache=True, parallel=True)
def _pairs_of_lists(ptr, fc_u, fc_t, tau_s, handoff_s, pair_ptr, a, b, values, hit):
    """Fill the pairs of every callee's list at ``pair_ptr[c]``, each callee only its own slots."""
    n = ptr.shape[0] - 1
    for c in prange(n):
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


def co_targeting_pairs(
    in_ptr, in_caller, in_start, contact_ptr, contact_callee, max_callers, tau_s, handoff_s
):
    """One pair per (caller, caller, shared callee), not yet summed.

    Parameters
    ----------
    in_ptr : ndarray of int64, shape (n + 1,)
        CSR index by callee over the calls sorted by (callee, start).
    in_caller : ndarray of int32, shape (m,)
        Caller id of each call, in that order.
    in_start : ndarray of int64, shape (m,)
        Call start, epoch seconds, in that order.
    contact_ptr : ndarray of int64, shape (n + 1,)
    contact_callee : ndarray of int32, shape (q,)
        CSR by caller of the numbers each number has called (the contact pairs of
        :func:`graphfraud.kernels.fanout.contact_pairs`); a caller that its callee has called is
        skipped. All rows empty: skip nobody.
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
    ptr, fc_u, fc_t = _first_contact_lists(
        in_ptr, in_caller, in_start, contact_ptr, contact_callee, max_callers,
        4 * get_num_threads(),
    )  # fmt: skip
    d = np.diff(ptr)
    pair_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(d * (d - 1) // 2, out=pair_ptr[1:])
    total = int(pair_ptr[n])
    a = np.empty(total, dtype=np.int32)
    b = np.empty(total, dtype=np.int32)
    values = np.zeros((total, 3), dtype=np.float64)
    hit = np.zeros(fc_u.shape[0], dtype=np.bool_)
    _pairs_of_lists(ptr, fc_u, fc_t, tau_s, handoff_s, pair_ptr, a, b, values, hit)
    handoff_victims = np.bincount(fc_u[hit], minlength=n).astype(np.int32)
    return a, b, values, handoff_victims


def co_targeting_graph(
    in_ptr, in_caller, in_start, contact_ptr, contact_callee, max_callers, tau_s, handoff_s
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
        in_ptr, in_caller, in_start, contact_ptr, contact_callee, max_callers, tau_s, handoff_s
    )
    n = in_ptr.shape[0] - 1
    indptr, indices, data = reduce_pairs(n, a, b, values)
    return indptr, indices, data, handoff_victims
