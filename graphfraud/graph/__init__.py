"""Numbers → int32 ids; calls → time-ordered CSR by caller and by callee."""

from graphfraud.graph.callgraph import CallGraph, build_call_graph, encode_column

__all__ = ["CallGraph", "build_call_graph", "encode_column"]
