"""The call graph straight from the keys of a clean calls CSV (:mod:`graphfraud.cdr.scan`).

The same graph :func:`~graphfraud.graph.callgraph.build_call_graph` makes from the validated
Arrow table of that file: the texts' keys are dictionary-encoded in order of first appearance,
as the table's strings are, and the dictionaries are spelt back from the keys.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from graphfraud.cdr.scan import CallKeys
from graphfraud.graph.callgraph import CallGraph, _assemble, _digit_keys
from graphfraud.kernels.csvscan import key_text
from graphfraud.kernels.encode import hash_encode

__all__ = ["build_call_graph_from_keys", "encode_keys"]


def encode_keys(keys: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """Dictionary-encode text keys: (int32 codes, -1 for missing; dictionary in first-seen order)."""
    codes, first = hash_encode(keys)
    offsets, data = key_text(keys[first])
    return codes, pa.StringArray.from_buffers(len(first), pa.py_buffer(offsets), pa.py_buffer(data))


def build_call_graph_from_keys(calls: CallKeys, subscribers: pa.Table | None = None) -> CallGraph:
    """:func:`~graphfraud.graph.callgraph.build_call_graph` for calls scanned to keys.

    ``subscribers`` is a validated table (:func:`graphfraud.cdr.read_subscribers`).
    """
    parts = [calls.caller, calls.callee]
    if subscribers is not None and subscribers.num_rows:
        sub_keys = _digit_keys(subscribers["number"].chunks)
        if sub_keys is None:
            raise ValueError("subscriber numbers must be validated (digits only)")
        parts.append(sub_keys)
    codes, numbers = encode_keys(np.concatenate(parts))
    return _assemble(codes, numbers, calls.start, calls.duration, encode_keys(calls.cell),
                     encode_keys(calls.imei), subscribers)  # fmt: skip
