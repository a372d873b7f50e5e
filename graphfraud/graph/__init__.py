"""Numbers → int32 ids; calls → time-ordered CSR by caller and by callee."""

from graphfraud.graph.callgraph import (
    CallGraph,
    EncodedCalls,
    assemble_call_graph,
    build_call_graph,
    encode_call_table,
    encode_column,
)

__all__ = ["CallGraph", "EncodedCalls", "assemble_call_graph", "build_call_graph", "encode_call_table",
           "encode_column"]  # fmt: skip
