"""The call graph straight from the keys of a clean calls CSV (:mod:`graphfraud.cdr.scan`).

The same graph :func:`~graphfraud.graph.callgraph.build_call_graph` makes from the validated
Arrow table of that file: the texts' keys are dictionary-encoded in order of first appearance,
as the table's strings are, and the dictionaries are spelt back from the keys.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from graphfraud.cdr.scan import CallKeys
from graphfraud.graph.callgraph import (
    CallGraph,
    EncodedCalls,
    activated_days,
    assemble_call_graph,
    digit_keys_of,
)
from graphfraud.kernels.csvscan import key_text
from graphfraud.kernels.encode import hash_encode_parts

__all__ = ["build_call_graph_from_keys", "encode_call_keys", "encode_keys"]


def encode_keys(*parts: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """Dictionary-encode text keys, the parts as one array (uncopied): (int32 codes, -1 for
    missing; dictionary in first-seen order)."""
    codes, _, distinct = hash_encode_parts(tuple(np.ascontiguousarray(p, np.int64) for p in parts))
    offsets, data = key_text(distinct)
    return codes, pa.StringArray.from_buffers(len(distinct), pa.py_buffer(offsets), pa.py_buffer(data))


def encode_call_keys(calls: CallKeys, subscribers: pa.Table | None = None) -> EncodedCalls:
    """:func:`~graphfraud.graph.callgraph.encode_call_table` for calls scanned to keys.

    ``subscribers`` is a validated table (:func:`graphfraud.cdr.read_subscribers`). The result
    shares only ``start`` and ``duration`` with ``calls``: the keys can go once it is made.
    """
    parts = [calls.caller, calls.callee]
    if subscribers is not None and subscribers.num_rows:
        sub_keys = digit_keys_of(subscribers["number"].chunks)
        if sub_keys is None:
            raise ValueError("subscriber numbers must be validated (digits only)")
        parts.append(sub_keys)
    with ThreadPoolExecutor(1) as side:  # handsets and cells meanwhile (the encoder frees the GIL)
        devices = side.submit(lambda: (encode_keys(calls.cell), encode_keys(calls.imei)))
        codes, numbers = encode_keys(*parts)
        cells, imeis = devices.result()
    m = calls.n_calls
    activated = activated_days(codes, m, len(numbers), subscribers)
    return EncodedCalls(codes[: 2 * m], numbers, calls.start, calls.duration, cells, imeis, activated)


def build_call_graph_from_keys(calls: CallKeys, subscribers: pa.Table | None = None) -> CallGraph:
    """:func:`~graphfraud.graph.callgraph.build_call_graph` for calls scanned to keys."""
    return assemble_call_graph(encode_call_keys(calls, subscribers))
