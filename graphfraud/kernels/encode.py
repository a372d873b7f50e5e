"""Dictionary encoding and stable counting sorts for building the call graph.

Hash-encoding int64 keys and counting sorts are O(n), against O(n log n) for Arrow's string hashing
plus NumPy's merge sorts; on 10M calls they turn a build of tens of seconds into a few.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = [
    "counting_order",
    "csr_pointers",
    "digit_keys",
    "hash_encode",
    "permute_calls",
    "radix_order",
]


@njit(cache=True)
def digit_keys(offsets: np.ndarray, data: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, bool]:
    """int64 keys ``length * 10**15 + value`` of digit strings (so '010' != '10'); -1 where invalid.

    ``offsets``/``data`` are an Arrow string array's buffers, ``valid`` its non-null mask.
    Returns ``(keys, all_digits)``; ``all_digits`` is False when a non-null value has a non-digit
    or more than 15 characters (then the keys are not usable).
    """
    n = valid.shape[0]
    keys = np.empty(n, dtype=np.int64)
    base = np.int64(10**15)
    for i in range(n):
        if not valid[i]:
            keys[i] = -1
            continue
        lo, hi = offsets[i], offsets[i + 1]
        if hi - lo > 15 or hi == lo:
            return keys, False
        v = np.int64(0)
        for j in range(lo, hi):
            c = data[j]
            if c < 48 or c > 57:
                return keys, False
            v = v * 10 + (c - 48)
        keys[i] = (hi - lo) * base + v
    return keys, True


@njit(cache=True)
def _slot(k: np.int64, mask: np.int64) -> np.int64:
    return ((k * np.int64(-7046029254386353131)) >> np.int64(17)) & mask


@njit(cache=True)
def hash_encode(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense int32 codes for int64 keys, in order of first appearance; negative keys get -1.

    Returns ``(codes, first)``: ``codes[i]`` is the code of ``keys[i]`` and ``first[c]`` the index
    of the first occurrence of code ``c`` (so ``keys[first]`` are the distinct keys). The open-
    addressing table grows with the number of distinct keys, not with ``len(keys)``.
    """
    n = keys.shape[0]
    size = 1 << 16
    mask = np.int64(size - 1)
    slot_key = np.full(size, -1, dtype=np.int64)
    slot_code = np.empty(size, dtype=np.int32)
    codes = np.empty(n, dtype=np.int32)
    first = np.empty(1 << 16, dtype=np.int64)
    n_codes = 0
    for i in range(n):
        k = keys[i]
        if k < 0:
            codes[i] = -1
            continue
        j = _slot(k, mask)
        while True:
            sk = slot_key[j]
            if sk == k:
                codes[i] = slot_code[j]
                break
            if sk == -1:
                slot_key[j] = k
                slot_code[j] = n_codes
                codes[i] = n_codes
                if n_codes == first.shape[0]:
                    grown = np.empty(2 * n_codes, dtype=np.int64)
                    grown[:n_codes] = first
                    first = grown
                first[n_codes] = i
                n_codes += 1
                if 2 * n_codes > size:  # keep the load factor under 1/2: rehash into twice the slots
                    size *= 2
                    mask = np.int64(size - 1)
                    new_key = np.full(size, -1, dtype=np.int64)
                    new_code = np.empty(size, dtype=np.int32)
                    for c in range(n_codes):
                        kk = keys[first[c]]
                        jj = _slot(kk, mask)
                        while new_key[jj] != -1:
                            jj = (jj + 1) & mask
                        new_key[jj] = kk
                        new_code[jj] = c
                    slot_key, slot_code = new_key, new_code
                break
            j = (j + 1) & mask
    return codes, first[:n_codes].copy()


@njit(cache=True)
def counting_order(keys: np.ndarray, n_keys: int, within: np.ndarray) -> np.ndarray:
    """Stable order of positions ``within`` sorted by ``keys[within]`` (values 0..n_keys-1)."""
    counts = np.zeros(n_keys + 1, dtype=np.int64)
    for p in within:
        counts[keys[p] + 1] += 1
    for k in range(n_keys):
        counts[k + 1] += counts[k]
    out = np.empty(within.shape[0], dtype=np.int64)
    for p in within:
        k = keys[p]
        out[counts[k]] = p
        counts[k] += 1
    return out


@njit(cache=True)
def csr_pointers(sorted_keys: np.ndarray, n_keys: int) -> np.ndarray:
    """CSR row pointers (length n_keys + 1) for keys already sorted ascending."""
    ptr = np.zeros(n_keys + 1, dtype=np.int64)
    for k in sorted_keys:
        ptr[k + 1] += 1
    for k in range(n_keys):
        ptr[k + 1] += ptr[k]
    return ptr


@njit(cache=True)
def radix_order(keys: np.ndarray, n_bits: int) -> np.ndarray:
    """Stable argsort of non-negative int64 keys below ``2 ** n_bits`` (LSD radix, 11 bits a pass).

    Equals ``np.argsort(keys, kind="stable")``; each pass reads sequentially and writes to at most
    2048 streams, which suits caches far better than a counting sort over millions of keys.
    """
    m = keys.shape[0]
    order = np.arange(m, dtype=np.int64)
    cur = keys.copy()
    tmp_order = np.empty(m, dtype=np.int64)
    tmp_keys = np.empty(m, dtype=np.int64)
    shift = 0
    while shift < n_bits:
        counts = np.zeros(2049, dtype=np.int64)
        for i in range(m):
            counts[((cur[i] >> shift) & 2047) + 1] += 1
        for b in range(2048):
            counts[b + 1] += counts[b]
        for i in range(m):
            b = (cur[i] >> shift) & 2047
            at = counts[b]
            tmp_order[at] = order[i]
            tmp_keys[at] = cur[i]
            counts[b] = at + 1
        order, tmp_order = tmp_order, order
        cur, tmp_keys = tmp_keys, cur
        shift += 11
    return order


@njit(cache=True, parallel=True)
def permute_calls(order, in_rows, caller, callee, start, duration, cell, imei):
    """The call columns taken in ``order``, and ``in_rows`` mapped to the new positions.

    One parallel pass instead of a NumPy gather per column: returns ``(caller, callee, start,
    duration, cell, imei, in_order)`` with ``in_order[i]`` the new position of row ``in_rows[i]``.
    """
    m = order.shape[0]
    o_caller = np.empty(m, caller.dtype)
    o_callee = np.empty(m, callee.dtype)
    o_start = np.empty(m, start.dtype)
    o_duration = np.empty(m, duration.dtype)
    o_cell = np.empty(m, cell.dtype)
    o_imei = np.empty(m, imei.dtype)
    new_pos = np.empty(m, np.int64)
    for i in prange(m):
        j = order[i]
        o_caller[i] = caller[j]
        o_callee[i] = callee[j]
        o_start[i] = start[j]
        o_duration[i] = duration[j]
        o_cell[i] = cell[j]
        o_imei[i] = imei[j]
        new_pos[j] = i
    in_order = np.empty(m, np.int64)
    for i in prange(m):
        in_order[i] = new_pos[in_rows[i]]
    return o_caller, o_callee, o_start, o_duration, o_cell, o_imei, in_order
