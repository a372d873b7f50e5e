"""The in-memory call graph: numbers dictionary-encoded to int32 ids, calls in time-ordered CSR.

Built straight from the Arrow columns of a validated call table (see
:data:`graphfraud.cdr.CALLS_SCHEMA`), with no Python loop over rows.

Calls are stored once, sorted by ``(caller, start)``; ``out_ptr`` is the CSR index over them, so
the calls of number ``v`` are ``out_ptr[v]:out_ptr[v + 1]`` in time order. The calls sorted by
``(callee, start)`` are kept too, as their callers (``in_caller``) and starts (``in_start``), which
``in_ptr`` indexes by callee: the calls number ``v`` received are ``in_ptr[v]:in_ptr[v + 1]``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphfraud.cdr.fastpath import map_chunks, string_buffers
from graphfraud.kernels.devices import distinct_codes
from graphfraud.kernels.encode import (
    csr_pointers,
    digit_keys,
    hash_encode,
    number_time_orders,
    permute_calls,
)
from graphfraud.kernels.fanout import contact_pairs
from graphfraud.kernels.repeats import drop_rows, repeat_rows
from graphfraud.kernels.text import number_keys

__all__ = [
    "PREFIX_DIGITS",
    "CallGraph",
    "EncodedCalls",
    "activated_days",
    "assemble_call_graph",
    "build_call_graph",
    "digit_keys_of",
    "encode_call_table",
    "encode_column",
]


#: Digits of a number's prefix (operator and region blocks) for the callee prefix spread.
PREFIX_DIGITS = 7


@dataclass(frozen=True)
class CallGraph:
    """Arrays every metric runs on. ``n`` numbers, ``m`` calls."""

    numbers: pa.Array  # id -> phone number (string), length n
    caller: np.ndarray  # int32[m], sorted by (caller, start)
    callee: np.ndarray  # int32[m]
    start: np.ndarray  # int64[m], epoch seconds
    duration: np.ndarray  # int32[m], seconds, 0 = not answered
    cell: np.ndarray  # int32[m], id into ``cells``, -1 = unknown
    imei: np.ndarray  # int32[m], id into ``imeis``, -1 = unknown
    cells: pa.Array  # cell id strings
    imeis: pa.Array  # IMEI strings
    out_ptr: np.ndarray  # int64[n + 1], CSR over calls by caller
    in_caller: np.ndarray  # int32[m], caller of each call, calls sorted by (callee, start)
    in_start: np.ndarray  # int64[m], start of each call in that order
    in_ptr: np.ndarray  # int64[n + 1], CSR over in_caller / in_start by callee
    activated_day: np.ndarray  # int32[n], days since epoch the number was activated, -1 unknown
    repeated_calls: int = 0  # records left out: the same caller, callee and start as an earlier one

    @property
    def n_numbers(self) -> int:
        return len(self.numbers)

    @property
    def n_calls(self) -> int:
        return len(self.caller)

    @cached_property
    def contact_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Calls grouped by (caller, callee): ``(by_pair, pair_ptr, pair_start, pair_callee)``.

        See :func:`graphfraud.kernels.fanout.contact_pairs`. Features and rings both need them;
        they are computed once, on first use.
        """
        return contact_pairs(self.out_ptr, self.callee)

    @cached_property
    def caller_imeis(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct handsets (IMEI ids) each number called from, ascending: ``(ptr, imei ids)``.

        A CSR by number (:func:`graphfraud.kernels.devices.distinct_codes`); computed once.
        """
        return distinct_codes(self.out_ptr, self.imei.astype(np.int64))

    @cached_property
    def number_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """``(values, prefixes)`` of the numbers by id: int64 value (-1 unless 1-18 digits) and
        a key of the first 7 digits (-1 unless digits only); :func:`graphfraud.kernels.text.number_keys`.

        Sequential dialling, callee prefix spread and number batches use them; computed once.
        """
        return number_keys(*string_buffers(self.numbers), PREFIX_DIGITS)

    def ids_of(self, numbers: list[str]) -> np.ndarray:
        """int32 ids of the given numbers (-1 where a number is not in the graph)."""
        idx = pc.index_in(pa.array(numbers, pa.string()), value_set=self.numbers)
        return pc.fill_null(idx, -1).to_numpy(zero_copy_only=False).astype(np.int32)


def digit_keys_of(chunks: list[pa.Array]) -> np.ndarray | None:
    """int64 keys for digit strings (see :func:`digit_keys`), chunk by chunk so the strings are
    never copied into one array; ``None`` when some value is not digits."""
    buffers = [string_buffers(v if pa.types.is_string(v.type) or pa.types.is_large_string(v.type)
                              else v.cast(pa.string())) for v in chunks]  # fmt: skip
    results = map_chunks(digit_keys, buffers)
    if not all(ok for _, ok in results):
        return None
    return np.concatenate([keys for keys, _ in results])


def _take_ascending(chunks: list[pa.Array], rows: np.ndarray) -> pa.Array:
    """``rows`` (ascending) of the chunks seen as one array, taken chunk by chunk."""
    bounds = np.cumsum([0] + [len(c) for c in chunks])
    cut = np.searchsorted(rows, bounds)
    parts = [c.take(pa.array(rows[cut[i] : cut[i + 1]] - bounds[i])) for i, c in enumerate(chunks)]
    return pa.concat_arrays(parts) if parts else pa.array([], pa.string())


def encode_column(values: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Dictionary-encode strings: (int32 codes with -1 for null, dictionary in first-seen order)."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    keys = digit_keys_of(chunks) if chunks else None
    if keys is not None:
        codes, first = hash_encode(keys)
        return codes, _take_ascending(chunks, first)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    enc = pc.dictionary_encode(values)
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int32)
    return codes, enc.dictionary


class EncodedCalls(NamedTuple):
    """Calls in input order with every text encoded: what :func:`assemble_call_graph` sorts.

    Of the input it came from it may share the ``start`` and ``duration`` columns, nothing else,
    so a caller can drop the rest (the keys of a 10M-call file are 320 MB) before the graph's
    arrays are made.
    """

    codes: np.ndarray  # int32[2m]: number ids of the callers, then of the callees
    numbers: pa.Array  # the numbers by id, in order of first appearance
    start: np.ndarray  # int64[m], epoch seconds
    duration: np.ndarray  # int32[m]
    cells: tuple[np.ndarray, pa.Array]  # (int32 codes, -1 unknown; names), see encode_column
    imeis: tuple[np.ndarray, pa.Array]
    activated_day: np.ndarray  # int32[n], see CallGraph


def activated_days(codes: np.ndarray, m: int, n: int, subscribers: pa.Table | None) -> np.ndarray:
    """``CallGraph.activated_day`` from the codes of ``m`` calls' numbers then the subscribers'."""
    activated = np.full(n, -1, dtype=np.int32)
    if subscribers is not None and subscribers.num_rows:
        days = pc.cast(subscribers["activated_on"], pa.int32()).to_numpy(zero_copy_only=False)
        activated[codes[2 * m :]] = days
    return activated


def encode_call_table(calls: pa.Table, subscribers: pa.Table | None = None) -> EncodedCalls:
    """Encode a validated call table (and optional subscribers): numbers are the union of
    callers, callees (and subscribers), in order of first appearance."""
    parts = [calls["caller"], calls["callee"]]
    if subscribers is not None:
        parts.append(subscribers["number"])
    all_numbers = pa.chunked_array([c for p in parts for c in p.chunks], pa.string())
    with ThreadPoolExecutor(1) as side:  # handsets and cells meanwhile (the encoders free the GIL)
        devices = side.submit(lambda: (encode_column(calls["cell_id"]), encode_column(calls["imei"])))
        codes, numbers = encode_column(all_numbers)
        cells, imeis = devices.result()
    m = calls.num_rows
    start = calls["start"].to_numpy().astype(np.int64, copy=False)
    duration = calls["duration_s"].to_numpy().astype(np.int32)
    activated = activated_days(codes, m, len(numbers), subscribers)
    return EncodedCalls(codes[: 2 * m], numbers, start, duration, cells, imeis, activated)


def build_call_graph(calls: pa.Table, subscribers: pa.Table | None = None) -> CallGraph:
    """Encode a validated call table (and optional subscribers) into a :class:`CallGraph`.

    Numbers are the union of callers, callees (and subscribers), in order of first appearance.
    """
    return assemble_call_graph(encode_call_table(calls, subscribers))


def assemble_call_graph(encoded: EncodedCalls) -> CallGraph:
    """The graph of encoded calls: the calls sorted and indexed by number."""
    codes, numbers, start, duration, cells, imeis, activated = encoded
    m = len(start)
    n = len(numbers)
    caller, callee = codes[:m], codes[m : 2 * m]

    # Calls sorted by (caller, start, input row), and by (callee, start, input row) for the
    # callers and times of the calls each number receives.
    order, in_rows, sorted_caller = number_time_orders(caller, callee, start, n)
    (cell_codes, cell_names), (imei_codes, imei_names) = cells, imeis
    callee, start, duration, cell_codes, imei_codes, in_caller, in_start = permute_calls(
        order, in_rows, caller, callee, start, duration, cell_codes, imei_codes
    )
    caller = sorted_caller
    out_ptr = csr_pointers(caller, n)
    in_ptr = csr_pointers(callee, n)  # counts only: the order of the keys does not matter
    # A record repeating an earlier one (caller, callee, start) is one call, as in the database.
    repeats = repeat_rows(out_ptr, start, callee)
    if len(repeats):
        in_repeats = repeat_rows(in_ptr, in_start, in_caller)  # the same calls, by callee
        if len(in_repeats) != len(repeats):  # cannot be: the same triples in another order
            raise RuntimeError(f"repeated calls: {len(repeats)} by caller, {len(in_repeats)} by callee")
        caller, callee, start, duration, cell_codes, imei_codes = (
            a[: drop_rows(a, repeats)] for a in (caller, callee, start, duration, cell_codes, imei_codes))
        in_caller, in_start = (a[: drop_rows(a, in_repeats)] for a in (in_caller, in_start))
        out_ptr = out_ptr - np.searchsorted(repeats, out_ptr)  # rows gone before each start
        in_ptr = in_ptr - np.searchsorted(in_repeats, in_ptr)
    return CallGraph(
        numbers=numbers,
        caller=caller,
        callee=callee,
        start=start,
        duration=duration,
        cell=cell_codes,
        imei=imei_codes,
        cells=cell_names,
        imeis=imei_names,
        out_ptr=out_ptr,
        in_caller=in_caller,
        in_start=in_start,
        in_ptr=in_ptr,
        activated_day=activated,
        repeated_calls=len(repeats),
    )
