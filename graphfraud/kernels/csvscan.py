"""One pass over a clean calls CSV's bytes: numbers, times and codes parsed straight to int64 keys.

The general path reads every field into an Arrow string, checks and normalises the strings, and
then turns the numbers into keys again for the dictionary encoding. On a clean file (every value
already in its one clean shape) this kernel goes from bytes to keys at once; like the other fast
paths (see :mod:`graphfraud.kernels.text`) it either proves the whole file clean or says no, and
the caller then takes the general path, so the answer never depends on which path ran.

Text keys, shared by numbers, cells and handsets (:func:`text_key`):

- 1 to 15 ASCII digits: ``length * 10**15 + value`` (so '010' != '10'), below ``2**54``;
- otherwise 1 to 8 printable ASCII bytes: ``length << 56`` plus 7 bits a byte, so ``>= 2**56``;
- -1 for a missing (empty) value.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from graphfraud.kernels.text import digits_value, iso_clock_at, iso_value_at

__all__ = ["CALLEE", "CALLER", "CELL", "DURATION", "IGNORED", "IMEI", "START", "key_text",
           "row_blocks", "scan_calls", "scan_lines", "text_key"]  # fmt: skip

# Roles of a CSV field (the column's position in the header -> role); the keyed ones first, as
# they are also the rows of the keys array.
IGNORED, CALLER, CALLEE, CELL, IMEI, START, DURATION = -1, 0, 1, 2, 3, 4, 5
_SHORT = np.int64(1) << 56  # text keys from here up are short texts, below it digit strings

_DIGIT_BASE = np.int64(10**15)
_POW10 = 10 ** np.arange(16, dtype=np.int64)
_NL, _QUOTE, _COMMA = 10, 34, 44


@njit(cache=True, nogil=True)
def text_key(data, lo, hi):
    """Key of the text ``data[lo:hi]`` (see the module docstring); -2 when it has no key."""
    n = hi - lo
    if n == 0:
        return np.int64(-1)
    if n <= 15:
        v = digits_value(data, lo, n)
        if v >= 0:
            return n * _DIGIT_BASE + v
    if n > 8:
        return np.int64(-2)
    key = np.int64(n) << 56
    for j in range(lo, hi):
        c = data[j]
        if c < 32 or c > 126:
            return np.int64(-2)
        key |= np.int64(c) << (7 * (j - lo))
    return key


@njit(cache=True)
def key_text(keys):
    """The texts of keys ``>= 0`` (see :func:`text_key`) as Arrow string buffers ``(offsets, data)``."""
    n = keys.shape[0]
    offsets = np.zeros(n + 1, np.int32)
    for i in range(n):
        k = keys[i]
        offsets[i + 1] = offsets[i] + (k // _DIGIT_BASE if k < _SHORT else k >> 56)
    data = np.empty(offsets[n], np.uint8)
    for i in range(n):
        k = keys[i]
        lo, hi = offsets[i], offsets[i + 1]
        if k < _SHORT:
            v = k % _DIGIT_BASE
            for j in range(hi - 1, lo - 1, -1):
                data[j] = 48 + v % 10
                v //= 10
        else:
            for j in range(lo, hi):
                data[j] = (k >> (7 * (j - lo))) & 127
    return offsets, data


@njit(cache=True)
def row_blocks(data, first, n_blocks):
    """Byte offsets cutting ``data[first:]`` into about ``n_blocks`` runs of whole lines."""
    end = data.shape[0]
    cuts = np.empty(n_blocks + 1, np.int64)
    cuts[0] = first
    for b in range(1, n_blocks):
        p = max(cuts[b - 1], first + (end - first) * b // n_blocks)
        while p < end and data[p - 1] != _NL:
            p += 1
        cuts[b] = p
    cuts[n_blocks] = end
    return cuts


_BYTES_1 = np.uint64(0x0101010101010101)
_BYTES_7F = np.uint64(0x7F7F7F7F7F7F7F7F)
_BYTES_NL = np.uint64(0x0A0A0A0A0A0A0A0A)


@njit(cache=True, nogil=True)
def _count_rows(data, lo, hi):
    """Lines in ``data[lo:hi]`` (a last one without a newline counts too).

    Eight bytes at a time: a byte of ``word ^ '\n\n...'`` is zero where a newline was, and
    ``~(((t & 0x7f..) + 0x7f..) | t | 0x7f..)`` sets exactly the top bit of those bytes. Twice as
    fast as a byte loop (850 MB: 0.43 -> 0.15-0.27 s on two threads here).
    """
    rows = 0
    p = lo
    while p < hi and p % 8 != 0:  # to a word boundary of the (page-aligned) buffer
        if data[p] == _NL:
            rows += 1
        p += 1
    w_end = p + (hi - p) // 8 * 8
    words = data[p:w_end].view(np.uint64)
    acc = np.uint64(0)  # per-byte counts; summed every 31 words, so their total stays below 256
    for i in range(words.shape[0]):
        t = words[i] ^ _BYTES_NL
        acc += ~(((t & _BYTES_7F) + _BYTES_7F) | t | _BYTES_7F) >> np.uint64(7)
        if i % 31 == 30:
            rows += (acc * _BYTES_1) >> np.uint64(56)  # sum of the eight byte counts
            acc = np.uint64(0)
    rows += (acc * _BYTES_1) >> np.uint64(56)
    for q in range(w_end, hi):
        if data[q] == _NL:
            rows += 1
    if hi > lo and data[hi - 1] != _NL:
        rows += 1  # the last line has no newline
    return rows


@njit(cache=True, nogil=True)
def _same_date(data, a, b):
    """Whether the ten bytes at ``a`` and at ``b`` (two ISO stamps' dates) are equal."""
    for j in range(10):  # noqa: SIM110 (a loop that stops early; no generator in the kernel)
        if data[a + j] != data[b + j]:
            return False
    return True


@njit(cache=True, nogil=True)
def _scan_block(data, lo, hi, roles, null_first, null_keys, row, out_keys, out_start, out_duration):
    """Parse the lines of ``data[lo:hi]`` into rows ``row, row + 1, ...``; False if one is not clean."""
    n_fields = roles.shape[0]
    date_at = -1  # where the last date parsed in full stands, and its midnight (epoch seconds):
    midnight = np.int64(0)  # consecutive calls mostly share a date, so only their clocks are read
    p = lo
    while p < hi:
        for f in range(n_fields):
            role = roles[f]
            quoted = p < hi and data[p] == _QUOTE
            a = p + 1 if quoted else p
            # Numbers, durations and times are parsed where they stand (one read of their
            # bytes); the byte after them must then end the field.
            if CALLER <= role <= CALLEE or role == DURATION:
                b = a
                v = np.int64(0)
                while b < hi and data[b] >= 48 and data[b] <= 57:
                    v = v * 10 + (data[b] - 48)
                    b += 1
                if b == a or b - a > (9 if role == DURATION else 15):
                    return False
                if role == DURATION:
                    out_duration[row] = v
                elif b - a > 4 and data[a] == 48 == data[a + 1] and data[a + 2] == 56 and data[a + 3] == 54:
                    # A leading 0086 country code goes, as on the general path (cdr.normalize).
                    out_keys[role, row] = (b - a - 4) * _DIGIT_BASE + v - 86 * _POW10[b - a - 4]
                else:
                    out_keys[role, row] = (b - a) * _DIGIT_BASE + v
            elif role == START:
                b = a + 25
                if b > hi:
                    return False
                if date_at >= 0 and _same_date(data, a, date_at):
                    clock, ok = iso_clock_at(data, a)  # the date was checked where it was read
                    value = midnight + clock
                else:
                    value, ok = iso_value_at(data, a)
                    if ok:
                        date_at, midnight = a, value - iso_clock_at(data, a)[0]
                if not ok:
                    return False
                out_start[row] = value
            else:
                # Read to the field's end, taking the value of its digits on the way: handsets
                # (and digit-only cells) are keyed without a second read.
                b = a
                v = np.int64(0)
                digits = True
                while b < hi:
                    c = data[b]
                    if c == _NL or c == (_QUOTE if quoted else _COMMA):
                        break
                    if not quoted and (c == _QUOTE or c == 13 or c > 126):
                        return False
                    d = np.int64(c) - 48
                    digits = digits and 0 <= d <= 9
                    v = v * 10 + d
                    b += 1
                if role == IGNORED:
                    for j in range(a, b):
                        if data[j] < 32 or data[j] > 126:
                            return False
                elif digits and 0 < b - a <= 15:
                    out_keys[role, row] = (b - a) * _DIGIT_BASE + v  # text_key of a digit string
                else:
                    key = text_key(data, a, b)
                    if key == -2:
                        return False
                    if key >= _SHORT:
                        # The general path trims padded values and reads Arrow's null
                        # spellings ("NA", "null", ...) as missing.
                        if data[a] == 32 or data[b - 1] == 32:
                            return False
                        if null_first[data[a]]:
                            for k in null_keys:
                                if k == key:
                                    return False
                    out_keys[role, row] = key
            # The field ends: a closing quote if it opened with one, then a comma or the line's end.
            p = b
            if quoted:
                if p >= hi or data[p] != _QUOTE:
                    return False
                p += 1
            if f == n_fields - 1:
                if p < hi and data[p] != _NL:
                    return False
            elif p >= hi or data[p] != _COMMA:
                return False
            p += 1  # past the comma or newline
        row += 1
    return True


@njit(cache=True, nogil=True)
def _outputs(m, roles, null_keys):
    """The scan's scratch and outputs for ``m`` rows: ``(null_first, keys, start, duration)``;
    ``null_first`` marks the first bytes of the null spellings, and a key row whose column the
    file lacks is -1 (every value missing)."""
    null_first = np.zeros(256, np.bool_)
    for k in null_keys:
        null_first[k & 127] = True
    keys = np.empty((4, m), np.int64)
    for r in range(4):
        if not (roles == r).any():
            keys[r, :] = -1
    return null_first, keys, np.zeros(m, np.int64), np.zeros(m, np.int32)


@njit(cache=True, parallel=True)
def scan_calls(data, cuts, roles, null_keys):
    """Parse the calls CSV lines in ``data`` between ``cuts[0]`` and ``cuts[-1]``.

    ``roles[f]`` is the role of field ``f`` (``CALLER`` ... ``IMEI``, or ``IGNORED``);
    ``null_keys`` are the text keys of Arrow's null spellings. Returns ``(keys int64[4, m],
    start int64[m], duration int32[m], ok)``: key rows
    ``CALLER``, ``CALLEE``, ``CELL``, ``IMEI`` as :func:`text_key` (-1 missing or no such column),
    start in epoch seconds. ``ok`` is False (the rest unusable) unless every line is clean: the
    header's field count, numbers of 1-15 digits, ISO start times with an offset, durations of 1-9
    digits, cells/handsets short and unpadded, ASCII only, no empty line, no CR.
    """
    n_blocks = cuts.shape[0] - 1
    counts = np.zeros(n_blocks + 1, np.int64)
    for b in prange(n_blocks):
        counts[b + 1] = _count_rows(data, cuts[b], cuts[b + 1])
    for b in range(n_blocks):
        counts[b + 1] += counts[b]
    null_first, keys, start, duration = _outputs(counts[n_blocks], roles, null_keys)
    ok = np.ones(n_blocks, np.bool_)
    for b in prange(n_blocks):
        ok[b] = _scan_block(data, cuts[b], cuts[b + 1], roles, null_first, null_keys, counts[b],
                            keys, start, duration)  # fmt: skip
    return keys, start, duration, ok.all()


@njit(cache=True, nogil=True)
def scan_lines(data, first, roles, null_keys):
    """:func:`scan_calls` of the lines of ``data[first:]`` on the calling thread alone.

    For a file that arrives in chunks (decompressed on another thread): chunks are scanned by
    threads of the caller's own, which the operating system shares out with the decompression,
    where :func:`scan_calls`'s blocks would each wait for the slowest thread.
    """
    null_first, keys, start, duration = _outputs(_count_rows(data, first, data.shape[0]), roles, null_keys)
    ok = _scan_block(data, first, data.shape[0], roles, null_first, null_keys, 0, keys, start, duration)
    return keys, start, duration, ok
