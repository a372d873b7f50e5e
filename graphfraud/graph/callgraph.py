"""The in-memory call graph: numbers dictionary-encoded to int32 ids, calls in time-ordered CSR.

Built straight from the Arrow columns of a validated call table (see
:data:`graphfraud.cdr.CALLS_SCHEMA`), with no Python loop over rows.

Calls are stored once, sorted by ``(caller, start)``; ``out_ptr`` is the CSR index over them, so
the calls of number ``v`` are ``out_ptr[v]:out_ptr[v + 1]`` in time order. ``in_order`` lists the
same call indices sorted by ``(callee, start)`` and ``in_ptr`` indexes it by callee.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["CallGraph", "build_call_graph", "encode_column"]


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
    in_order: np.ndarray  # int64[m], call indices sorted by (callee, start)
    in_ptr: np.ndarray  # int64[n + 1], CSR over in_order by callee
    activated_day: np.ndarray  # int32[n], days since epoch the number was activated, -1 unknown

    @property
    def n_numbers(self) -> int:
        return len(self.numbers)

    @property
    def n_calls(self) -> int:
        return len(self.caller)

    def ids_of(self, numbers: list[str]) -> np.ndarray:
        """int32 ids of the given numbers (-1 where a number is not in the graph)."""
        idx = pc.index_in(pa.array(numbers, pa.string()), value_set=self.numbers)
        return pc.fill_null(idx, -1).to_numpy(zero_copy_only=False).astype(np.int32)


def encode_column(values: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Dictionary-encode strings: (int32 codes with -1 for null, dictionary)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    enc = pc.dictionary_encode(values)
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int32)
    return codes, enc.dictionary


def _csr_ptr(keys: np.ndarray, n: int) -> np.ndarray:
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr


def build_call_graph(calls: pa.Table, subscribers: pa.Table | None = None) -> CallGraph:
    """Encode a validated call table (and optional subscribers) into a :class:`CallGraph`.

    Numbers are the union of callers, callees (and subscribers), in order of first appearance.
    """
    parts = [calls["caller"], calls["callee"]]
    if subscribers is not None:
        parts.append(subscribers["number"])
    all_numbers = pa.chunked_array([c for p in parts for c in p.chunks], pa.string())
    codes, numbers = encode_column(all_numbers)
    m = calls.num_rows
    caller, callee = codes[:m], codes[m : 2 * m]
    n = len(numbers)

    start = calls["start"].to_numpy().astype(np.int64, copy=False)
    # Stable sorts: by start, then by caller (and by callee) keeps time order within a number.
    by_time = np.argsort(start, kind="stable")
    order = by_time[np.argsort(caller[by_time], kind="stable")]
    caller, callee, start = caller[order], callee[order], start[order]
    duration = calls["duration_s"].to_numpy().astype(np.int32)[order]
    cell_codes, cells = encode_column(calls["cell_id"])
    imei_codes, imeis = encode_column(calls["imei"])

    by_time = np.argsort(start, kind="stable")
    in_order = by_time[np.argsort(callee[by_time], kind="stable")]

    activated = np.full(n, -1, dtype=np.int32)
    if subscribers is not None and subscribers.num_rows:
        sub_ids = codes[2 * m :]
        days = pc.cast(subscribers["activated_on"], pa.int32()).to_numpy(zero_copy_only=False)
        activated[sub_ids] = days
    return CallGraph(
        numbers=numbers,
        caller=np.ascontiguousarray(caller),
        callee=np.ascontiguousarray(callee),
        start=np.ascontiguousarray(start),
        duration=np.ascontiguousarray(duration),
        cell=cell_codes[order],
        imei=imei_codes[order],
        cells=cells,
        imeis=imeis,
        out_ptr=_csr_ptr(caller, n),
        in_order=in_order.astype(np.int64),
        in_ptr=_csr_ptr(callee, n),
        activated_day=activated,
    )
