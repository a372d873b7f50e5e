"""The evidence subgraph around a number: its ring, the victims they share, shared devices and cells.

Every query is capped: ``limit`` nodes in all (at most ``settings.evidence_max_nodes``), ``hops`` ≤ 2,
and a budget of :data:`SCAN_BUDGET` call relationships read per hop, split over the numbers expanded.
``truncated`` is true whenever a cap cut the answer: the node cap, or a number with more calls than
its share of the scan budget.
"""

from __future__ import annotations

import json
from typing import Any

from neo4j import AsyncDriver

from graphfraud.errors import NotFound
from graphfraud.store.reads import read_one

__all__ = ["MAX_HOPS", "MAX_LIMIT", "SCAN_BUDGET", "evidence_subgraph"]

MAX_HOPS = 2  # the largest ``hops`` a request may ask for
MAX_LIMIT = 100_000  # the largest ``limit`` a request may ask for (settings.evidence_max_nodes applies)
SCAN_BUDGET = 20_000  # CALLED relationships read per hop, over all numbers expanded
_MIN_SCAN = 50  # ... but at least this many per number
_PER_DEVICE = 20  # SIMs listed per shared handset


def _features(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _Graph:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.nodes: dict[str, dict] = {}
        self.edges: dict[tuple[str, str, str], dict] = {}
        self.truncated = False

    def add_phone(self, phone: dict, role: str) -> bool:
        number = phone["number"]
        if number in self.nodes:
            return True
        if len(self.nodes) >= self.limit:
            self.truncated = True
            return False
        self.nodes[number] = {"id": number, "kind": "phone", "role": role, "label": number,
                              "tier": phone.get("tier"), "risk": phone.get("risk"),
                              "ring_id": phone.get("ring_id"),
                              "features": _features(phone.get("features"))}  # fmt: skip
        return True

    def add_place(self, kind: str, ident: str) -> str | None:
        node_id = f"{kind}:{ident}"
        if node_id not in self.nodes:
            if len(self.nodes) >= self.limit:
                self.truncated = True
                return None
            self.nodes[node_id] = {"id": node_id, "kind": kind, "role": kind, "label": ident}
        return node_id

    def add_edge(self, source: str, target: str, kind: str, **data: Any) -> None:
        if source in self.nodes and target in self.nodes:
            self.edges.setdefault((source, target, kind), {"source": source, "target": target, "kind": kind,
                                                           **data})  # fmt: skip


async def _expand(driver: AsyncDriver, graph: _Graph, frontier: list[str], in_ring: bool) -> list[str]:
    """Add the callers/callees of ``frontier``; returns the numbers added."""
    room = graph.limit - len(graph.nodes)
    if room <= 0 or not frontier:
        graph.truncated = graph.truncated or bool(frontier)
        return []
    scan_cap = max(_MIN_SCAN, SCAN_BUDGET // len(frontier))
    cap = room + len(graph.nodes)
    found = await read_one(driver, "evidence_calls", numbers=frontier, scan_cap=scan_cap, limit=cap)
    rows = list(zip(found["others"], found["links"], strict=True)) if found else []
    added = []
    for other, links in rows:
        called_by_set = any(link["outgoing"] for link in links)
        role = "victim" if in_ring and called_by_set else "contact"
        is_new = other["number"] not in graph.nodes
        if not graph.add_phone(other, role):
            continue
        if is_new:
            added.append(other["number"])
        for link in links:
            mine, theirs = link["number"], other["number"]
            a, b = (mine, theirs) if link["outgoing"] else (theirs, mine)
            graph.add_edge(a, b, "called", calls=link["calls"], total_duration_s=link["total_duration"],
                           first_at=link["first_at"], last_at=link["last_at"])  # fmt: skip
    # Cut by the node cap, or some number had more calls than the scan budget let us read.
    if len(rows) >= cap or any(link["clipped"] for _, links in rows for link in links):
        graph.truncated = True
    return added


async def evidence_subgraph(driver: AsyncDriver, number: str, *, hops: int, limit: int) -> dict:
    """Nodes (phones with a role, devices, cells) and edges around ``number``; see module docstring."""
    # One round trip for the ring, its handsets and cells; one more per hop.
    core = await read_one(driver, "evidence_core", number=number, limit=max(limit - 1, 0), node_limit=limit,
                          per_device=_PER_DEVICE)  # fmt: skip
    if core is None:
        raise NotFound(f"number {number} is not in the graph")
    graph = _Graph(limit)
    subject = core["subject"]
    graph.add_phone(subject, "subject")
    for member in core["members"]:
        graph.add_phone(member, "ring_member")
    graph.truncated = core["member_count"] > len(core["members"])
    in_ring = core["member_count"] > 0
    core_numbers = core["core_numbers"]

    for device in core["devices"]:
        node_id = graph.add_place("device", device["id"])
        for user in device["users"] if node_id else []:
            if graph.add_phone(user, "device_peer"):
                graph.add_edge(user["number"], node_id, "used_device")
    for cell in core["cells"]:
        node_id = graph.add_place("cell", cell["id"])
        for user in cell["users"] if node_id else []:
            graph.add_edge(user, node_id, "seen_at")

    frontier = core_numbers
    for _ in range(hops):
        frontier = await _expand(driver, graph, frontier, in_ring)
        in_ring = False  # the second hop is context, not victims of the ring
    return {"subject": number, "hops": hops, "limit": limit, "ring_id": subject.get("ring_id"),
            "ring_size": core["member_count"] + 1 if core["member_count"] else 0,
            "nodes": list(graph.nodes.values()), "edges": list(graph.edges.values()),
            "truncated": graph.truncated}  # fmt: skip
