"""Fixtures of the rings tests."""

from __future__ import annotations

import pytest
from ring_world import tiny_world_tables

from graphfraud.graph.callgraph import CallGraph, build_call_graph


@pytest.fixture(scope="session")
def tiny_world() -> CallGraph:
    return build_call_graph(*tiny_world_tables())
