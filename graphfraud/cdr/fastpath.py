"""Whole-column fast paths for clean CDR files, over Arrow's string buffers (see kernels/text).

Each helper returns ``None`` when the column is not in the one clean shape it knows; the caller
then runs the general Arrow path, so results never depend on which path ran.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
import pyarrow as pa

from graphfraud.kernels.text import all_clean_digits, all_padding_free, clean_ints, iso_offset_seconds

__all__ = ["clean_digit_column", "clean_int_column", "iso_column", "map_chunks", "padding_free_column",
           "string_buffers"]


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="graphfraud-chunks")


def map_chunks(kernel, parts: list[tuple], *args) -> list:
    """``[kernel(*part, *args) for part in parts]``, on a thread per core.

    For ``nogil`` Numba kernels over Arrow chunks (``parts`` from :func:`string_buffers`): the
    chunks Arrow's multi-threaded reader produced are checked in parallel, results in order.
    """
    if len(parts) < 2:
        return [kernel(*part, *args) for part in parts]
    return list(_pool().map(lambda part: kernel(*part, *args), parts))


def string_buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(offsets, data, valid)`` of one (large) string array, zero-copy where Arrow allows.

    What the Numba text kernels see: value ``i`` is ``data[offsets[i]:offsets[i + 1]]`` unless
    ``valid[i]`` is false.
    """
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    _, offsets, data = chunk.buffers()
    n = len(chunk)
    offs = (np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + n + 1]
            if offsets is not None else np.zeros(n + 1, width))  # fmt: skip
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    valid = (np.ones(n, np.bool_) if chunk.null_count == 0
             else chunk.is_valid().to_numpy(zero_copy_only=False))  # fmt: skip
    return offs, raw, valid


def _string_chunks(col: pa.ChunkedArray | pa.Array):
    """``(offsets, data, valid)`` per chunk; nothing when the column is not (large) strings."""
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return None
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    return [string_buffers(ch) for ch in chunks]


def clean_digit_column(col, max_len: int) -> bool:
    """True when every value is present and 1 to ``max_len`` ASCII digits."""
    parts = _string_chunks(col)
    return parts is not None and all(map_chunks(all_clean_digits, parts, max_len))


def padding_free_column(col) -> bool:
    """True when no present value is empty or has leading/trailing whitespace."""
    parts = _string_chunks(col)
    return parts is not None and all(map_chunks(all_padding_free, parts))


def _parsed(col, kernel, *args) -> pa.ChunkedArray | None:
    parts = _string_chunks(col)
    if parts is None:
        return None
    results = map_chunks(kernel, parts, *args)
    if not all(ok for _, ok in results):
        return None
    return pa.chunked_array([pa.array(values, pa.int64()) for values, _ in results], pa.int64())


def clean_int_column(col, max_digits: int) -> pa.ChunkedArray | None:
    """int64 values when every value is present and ``^-?[0-9]{1,max_digits}$``; else ``None``."""
    return _parsed(col, clean_ints, max_digits)


def iso_column(col) -> pa.ChunkedArray | None:
    """Epoch seconds when every value is ``YYYY-MM-DDTHH:MM:SS±HH:MM``; else ``None``."""
    return _parsed(col, iso_offset_seconds)
