"""Per-caller call profiles: answering, durations, hour of day, dialling order."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from graphfraud.kernels.devices import sort_count_distinct, sort_small

__all__ = ["call_profiles", "distinct_per_caller", "hourly_unit_vectors", "sequential_dial_counts"]

_DAY_S = 86400
_HOUR_S = 3600


@njit(cache=True, parallel=True)
def call_profiles(out_ptr, start, duration, offset_s, short_s, work_start_h, work_end_h):
    """Answering, duration and hour-of-day profile of every caller's outgoing calls.

    Parameters
    ----------
    out_ptr : int64[n + 1]
        CSR index of calls by caller, each caller's calls in time order.
    start : int64[m]
        Call start, epoch seconds UTC.
    duration : int32[m]
        Call duration, seconds; 0 = not answered.
    offset_s : int
        Local time minus UTC, seconds.
    short_s : int
        An answered call shorter than this many seconds counts as short.
    work_start_h, work_end_h : int
        Working hours are ``[work_start_h, work_end_h)`` local time.

    Returns
    -------
    answered : int32[n]
        Answered calls.
    median_answered_s : float64[n]
        Median duration of answered calls, seconds (NaN when none).
    short_answered : int32[n]
        Answered calls shorter than ``short_s``.
    off_hours : int32[n]
        Calls started outside working hours.
    hour_entropy_bits : float64[n]
        Shannon entropy of the calls' local hour of day, bits (0 to log2(24); NaN when no calls).
    active_hours : int32[n]
        Distinct local hours of day with a call (0 to 24).
    active_days : int32[n]
        Distinct local calendar days with a call.
    """
    n = out_ptr.size - 1
    answered = np.zeros(n, np.int32)
    median = np.full(n, np.nan)
    short = np.zeros(n, np.int32)
    off_hours = np.zeros(n, np.int32)
    entropy = np.full(n, np.nan)
    active_hours = np.zeros(n, np.int32)
    active_days = np.zeros(n, np.int32)
    durs_all = np.empty(duration.size, np.int32)  # each caller uses its own slice
    # Callers in blocks, so the hour counts are one scratch array a block, not one a caller.
    n_blocks = 64
    block = (n + n_blocks - 1) // n_blocks
    for b in prange(n_blocks):
        hours = np.zeros(24, np.int64)
        for v in range(b * block, min(n, (b + 1) * block)):
            s, e = out_ptr[v], out_ptr[v + 1]
            if e == s:
                continue
            hours[:] = 0
            durs = durs_all[s:e]
            k = 0
            last_day = np.int64(-(2**62))
            days = 0
            off = 0
            n_short = 0
            for i in range(s, e):
                local = start[i] + offset_s
                hour = (local % _DAY_S) // _HOUR_S
                day = local // _DAY_S
                hours[hour] += 1
                if hour < work_start_h or hour >= work_end_h:
                    off += 1
                if day != last_day:  # calls are in time order, so days only grow
                    days += 1
                    last_day = day
                if duration[i] > 0:
                    durs[k] = duration[i]
                    k += 1
                    if duration[i] < short_s:
                        n_short += 1
            off_hours[v] = off
            short[v] = n_short
            answered[v] = k
            active_days[v] = days
            if k > 0:
                sort_small(durs, 0, k)
                median[v] = durs[k // 2] if k % 2 == 1 else 0.5 * (durs[k // 2 - 1] + durs[k // 2])
            total = e - s
            h_bits = 0.0
            n_hours = 0
            for h in range(24):
                if hours[h] > 0:
                    n_hours += 1
                    p = hours[h] / total
                    h_bits -= p * np.log2(p)
            active_hours[v] = n_hours
            entropy[v] = h_bits
    return answered, median, short, off_hours, entropy, active_hours, active_days


@njit(cache=True, parallel=True)
def hourly_unit_vectors(out_ptr, start, offset_s):
    """float32[n, 24]: each caller's calls per local hour of day, scaled to unit length.

    Rows of numbers without outgoing calls are all zero.
    """
    n = out_ptr.size - 1
    vec = np.zeros((n, 24), np.float32)
    for v in prange(n):
        for i in range(out_ptr[v], out_ptr[v + 1]):
            vec[v, ((start[i] + offset_s) % _DAY_S) // _HOUR_S] += 1.0
        norm = 0.0
        for h in range(24):
            norm += vec[v, h] * vec[v, h]
        if norm > 0:
            scale = 1.0 / np.sqrt(norm)
            for h in range(24):
                vec[v, h] *= scale
    return vec


@njit(cache=True, parallel=True)
def sequential_dial_counts(out_ptr, callee, callee_value, max_gap):
    """int32[n]: consecutive outgoing calls whose callee numbers are numerically adjacent.

    A step from one call to the next (in time order) counts when both callee numbers parsed
    (``callee_value >= 0``) and ``0 < |difference| <= max_gap``; a repeat call to the same
    number does not count. A caller with ``c`` calls has ``c - 1`` steps.
    """
    n = out_ptr.size - 1
    out = np.zeros(n, np.int32)
    for v in prange(n):
        for i in range(out_ptr[v] + 1, out_ptr[v + 1]):
            a = callee_value[callee[i - 1]]
            b = callee_value[callee[i]]
            if a >= 0 and b >= 0:
                gap = abs(b - a)
                if gap > 0 and gap <= max_gap:
                    out[v] += 1
    return out


@njit(cache=True, parallel=True)
def distinct_per_caller(ptr, members, code):
    """int32[n]: distinct non-negative ``code[members[k]]`` over each CSR row ``ptr[v]:ptr[v+1]``.

    Used for the callee number-prefix spread (rows = a caller's distinct callees).
    """
    n = ptr.size - 1
    out = np.zeros(n, np.int32)
    vals = np.empty(members.size, np.int64)
    for v in prange(n):
        s, e = ptr[v], ptr[v + 1]
        if e == s:
            continue
        for k in range(s, e):
            vals[k] = code[members[k]]
        out[v] = sort_count_distinct(vals, s, e)
    return out
