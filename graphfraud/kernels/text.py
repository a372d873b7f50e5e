"""Fast paths over Arrow string buffers (Numba): clean digits, small integers, ISO timestamps.

Each kernel reads one string array's ``offsets``/``data`` buffers and ``valid`` mask and answers
for the *whole* array: it either proves every value has the one clean shape it knows and returns
the parsed values, or says no (``ok`` False) and the caller falls back to the general Arrow path.
So a fast path can never give a different answer than the slow one; it only skips it.
The whole-array kernels release the GIL (``nogil``), so chunks can be checked on several threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "all_clean_digits",
    "all_padding_free",
    "clean_ints",
    "digits_value",
    "iso_clock_at",
    "iso_offset_seconds",
    "iso_value_at",
    "number_keys",
]


@njit(cache=True, nogil=True)
def all_clean_digits(offsets, data, valid, max_len):
    """True when every value is present and 1 to ``max_len`` ASCII digits (``^[0-9]{1,max}$``)."""
    for i in range(valid.shape[0]):
        if not valid[i]:
            return False
        lo, hi = offsets[i], offsets[i + 1]
        if hi == lo or hi - lo > max_len:
            return False
        for j in range(lo, hi):
            if data[j] < 48 or data[j] > 57:
                return False
    return True


@njit(cache=True, nogil=True)
def all_padding_free(offsets, data, valid):
    """True when no present value is empty or starts/ends with whitespace or a non-ASCII byte."""
    for i in range(valid.shape[0]):
        if not valid[i]:
            continue
        lo, hi = offsets[i], offsets[i + 1]
        if hi == lo:
            return False
        for c in (data[lo], data[hi - 1]):
            if c <= 32 or c >= 127:  # whitespace, control or UTF-8: let Arrow decide
                return False
    return True


@njit(cache=True, nogil=True)
def digits_value(data, lo, count):
    """int64 value of the ASCII digits ``data[lo:lo + count]``; -1 when one is not a digit.

    ``count`` at most 18, so the value fits.
    """
    v = np.int64(0)
    for j in range(lo, lo + count):
        c = data[j]
        if c < 48 or c > 57:
            return np.int64(-1)
        v = v * 10 + (c - 48)
    return v


@njit(cache=True, nogil=True)
def clean_ints(offsets, data, valid, max_digits):
    """Parse values of the shape ``^-?[0-9]{1,max_digits}$``: ``(values int64, ok)``.

    ``ok`` is False (values unusable) when some value is missing or has another shape.
    """
    n = valid.shape[0]
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        if not valid[i]:
            return out, False
        lo, hi = offsets[i], offsets[i + 1]
        neg = hi > lo and data[lo] == 45  # '-'
        if neg:
            lo += 1
        if hi == lo or hi - lo > max_digits:
            return out, False
        v = digits_value(data, lo, hi - lo)
        if v < 0:
            return out, False
        out[i] = -v if neg else v
    return out, True


# Days per month, February at its leap-year most (the 29th is checked apart).
_MONTH_DAYS = np.array([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


@njit(cache=True)
def _days_from_civil(y, m, d):
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    if m <= 2:
        y -= 1
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@njit(cache=True, nogil=True)
def _two_digits(data, lo):
    """Value of the two ASCII digits at ``data[lo:lo + 2]``; -1 when one is not a digit."""
    a = np.int64(data[lo]) - 48
    b = np.int64(data[lo + 1]) - 48
    if a < 0 or a > 9 or b < 0 or b > 9:
        return np.int64(-1)
    return a * 10 + b


@njit(cache=True, nogil=True)
def iso_clock_at(data, lo):
    """The time part ``THH:MM:SS+HH:MM`` (``-`` offsets too) of the ISO stamp at ``data[lo:lo + 25]``:
    seconds past midnight minus the UTC offset, so that the stamp is its date's midnight (UTC)
    plus this. Returns ``(seconds, ok)``; the date part ``data[lo:lo + 10]`` is not read.
    """
    sign = data[lo + 19]
    if (data[lo + 10] != 84 or data[lo + 13] != 58 or data[lo + 16] != 58
            or data[lo + 22] != 58 or (sign != 43 and sign != 45)):  # fmt: skip
        return np.int64(0), False
    h = _two_digits(data, lo + 11)
    mi = _two_digits(data, lo + 14)
    s = _two_digits(data, lo + 17)
    oh = _two_digits(data, lo + 20)
    om = _two_digits(data, lo + 23)
    if h < 0 or h > 23 or mi < 0 or mi > 59 or s < 0 or s > 59 or oh < 0 or oh > 23 or om < 0 or om > 59:
        return np.int64(0), False
    offset = oh * 3600 + om * 60
    if sign == 45:
        offset = -offset
    return h * 3600 + mi * 60 + s - offset, True


@njit(cache=True, nogil=True)
def iso_value_at(data, lo):
    """Epoch seconds of ``YYYY-MM-DDTHH:MM:SS+HH:MM`` (``-`` offsets too) at ``data[lo:lo + 25]``.

    Returns ``(seconds, ok)``; ``ok`` is False for another shape or an out-of-range field.
    """
    if data[lo + 4] != 45 or data[lo + 7] != 45:
        return np.int64(0), False
    y = digits_value(data, lo, 4)
    mo = _two_digits(data, lo + 5)
    d = _two_digits(data, lo + 8)
    if y < 0 or mo < 1 or mo > 12 or d < 1 or d > _MONTH_DAYS[mo - 1]:
        return np.int64(0), False
    if mo == 2 and d == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
        return np.int64(0), False
    clock, ok = iso_clock_at(data, lo)
    if not ok:
        return np.int64(0), False
    return _days_from_civil(np.int64(y), np.int64(mo), np.int64(d)) * 86400 + clock, True


@njit(cache=True, nogil=True)
def iso_offset_seconds(offsets, data, valid):
    """Epoch seconds of ``YYYY-MM-DDTHH:MM:SS+HH:MM`` values (``-`` offsets too): ``(values, ok)``.

    ``ok`` is False when some value is missing, has another shape or an out-of-range field.
    """
    n = valid.shape[0]
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        if not valid[i] or offsets[i + 1] - offsets[i] != 25:
            return out, False
        value, ok = iso_value_at(data, offsets[i])
        if not ok:
            return out, False
        out[i] = value
    return out, True


@njit(cache=True, nogil=True)
def number_keys(offsets, data, valid, prefix_digits):
    """Value and prefix key of each phone number (Arrow string buffers), in one pass.

    ``values[i]``: the number as int64 when it is 1 to 18 ASCII digits, else -1 (what
    ``^[0-9]{1,18}$`` then a cast give). ``prefixes[i]``: for a digits-only number, a key of its
    first ``prefix_digits`` digits (all of them when shorter), ``k * 10**prefix_digits + value``
    with ``k`` the digits taken, so '0123' and '123' differ; -1 otherwise (pseudonym tokens).
    ``prefix_digits`` at most 17.
    """
    n = valid.shape[0]
    values = np.full(n, -1, np.int64)
    prefixes = np.full(n, -1, np.int64)
    base = np.int64(10) ** prefix_digits
    for i in range(n):
        if not valid[i]:
            continue
        lo, hi = offsets[i], offsets[i + 1]
        if hi == lo:
            continue
        v = np.int64(0)
        p = np.int64(0)
        digits = True
        for j in range(lo, hi):
            c = data[j]
            if c < 48 or c > 57:
                digits = False
                break
            if j - lo < 18:
                v = v * 10 + (c - 48)
            if j - lo < prefix_digits:
                p = p * 10 + (c - 48)
        if not digits:
            continue
        if hi - lo <= 18:
            values[i] = v
        prefixes[i] = min(hi - lo, prefix_digits) * base + p
    return values, prefixes
