"""Benchmark: Numba Louvain vs igraph vs networkx, and the co-targeting build vs pandas.

Run ``python bench/communities.py [--people 20000 --days 3 --lfr-n 1000 --json out.json]``.
The co-targeting graph comes from :func:`graphfraud.sim.simulate_world` when the simulator is
present, else from a synthetic world of random calls with planted rings.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
from networkx.generators.community import LFR_benchmark_graph
from rich.console import Console
from rich.table import Table
from sklearn.metrics import normalized_mutual_info_score

from graphfraud.cdr import CALLS_SCHEMA, validate_calls, validate_subscribers
from graphfraud.graph.callgraph import CallGraph, build_call_graph
from graphfraud.kernels.cotarget import co_targeting_graph
from graphfraud.kernels.louvain import louvain, modularity
from graphfraud.rings import RingConfig


def _with_lines(table: pa.Table) -> pa.Table:
    return table.append_column("__line", pa.array(np.arange(table.num_rows), pa.int64()))


def world_graph(people: int, days: int, seed: int) -> tuple[CallGraph, str]:
    try:
        from graphfraud.sim import SimConfig, simulate_world
    except ImportError:
        return _synthetic_graph(people, days, seed), "synthetic"
    world = simulate_world(SimConfig(people=people, days=days, seed=seed))
    calls = validate_calls(_with_lines(world.calls)).table
    subs = validate_subscribers(_with_lines(world.subscribers)).table
    return build_call_graph(calls, subs), f"simulated (graphfraud.sim, {people} people, {days} d)"


def _synthetic_graph(people: int, days: int, seed: int) -> CallGraph:
    rng = np.random.default_rng(seed)
    m = people * 5 * days
    caller = rng.integers(0, people, m)
    callee = rng.integers(0, people, m)
    start = 1_700_000_000 + rng.integers(0, 86_400 * days, m)
    for r in range(people // 2000 + 1):  # rings of 4 SIMs sharing 40 victims within an hour
        sims = rng.integers(0, people, 4)
        victims = rng.integers(0, people, 40)
        t0 = 1_700_000_000 + int(rng.integers(0, 86_400 * days))
        caller = np.concatenate([caller, np.repeat(sims, 40)])
        callee = np.concatenate([callee, np.tile(victims, 4)])
        start = np.concatenate([start, t0 + rng.integers(0, 3600, 160) + r])
    numbers = pa.array([f"138{v:08d}" for v in range(people)])
    calls = pa.table(
        {
            "caller": numbers.take(pa.array(caller)),
            "callee": numbers.take(pa.array(callee)),
            "start": pa.array(start, pa.int64()),
            "duration_s": pa.array(np.full(caller.size, 30), pa.int32()),
            "cell_id": pa.nulls(caller.size, pa.string()),
            "imei": pa.nulls(caller.size, pa.string()),
        },
        schema=CALLS_SCHEMA,
    )
    return build_call_graph(calls)


def cotarget_pandas(g: CallGraph, cfg: RingConfig) -> pd.DataFrame:
    """Reference: first contacts, self-merge on callee, decay weight, summed per caller pair."""
    calls = pd.DataFrame({"caller": g.caller, "callee": g.callee, "start": g.start})
    first = calls.groupby(["callee", "caller"], as_index=False)["start"].min()
    back = set(zip(calls["caller"], calls["callee"], strict=True))
    keep = [(c, u) not in back for u, c in zip(first["caller"], first["callee"], strict=True)]
    first = first[keep]
    size = first.groupby("callee")["caller"].transform("size")
    first = first[size <= cfg.max_callers_per_callee]
    pairs = first.merge(first, on="callee", suffixes=("_a", "_b"))
    pairs = pairs[pairs["caller_a"] < pairs["caller_b"]]
    pairs["weight"] = np.exp(-(pairs["start_a"] - pairs["start_b"]).abs() / cfg.tau_s)
    return pairs.groupby(["caller_a", "caller_b"], as_index=False)["weight"].sum()


def _timed(fn, repeat: int = 1):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return out, best


def _labels_from_sets(n: int, parts) -> np.ndarray:
    labels = np.empty(n, np.int64)
    for i, members in enumerate(parts):
        labels[list(members)] = i
    return labels


def compare_methods(indptr, indices, data, seed: int, truth=None) -> list[dict]:
    n = indptr.size - 1
    rows = np.repeat(np.arange(n), np.diff(indptr))
    upper = rows < indices
    edges = list(zip(rows[upper].tolist(), indices[upper].tolist(), strict=True))
    weights = data[upper].tolist()
    g_ig = ig.Graph(n=n, edges=edges)
    g_nx = nx.Graph()
    g_nx.add_nodes_from(range(n))
    g_nx.add_weighted_edges_from((u, v, w) for (u, v), w in zip(edges, weights, strict=True))
    random.seed(seed)
    methods = {
        "numba louvain": lambda: louvain(indptr, indices, data, seed),
        "igraph multilevel": lambda: np.asarray(
            g_ig.community_multilevel(weights=weights).membership
        ),
        "networkx louvain": lambda: _labels_from_sets(
            n, nx.community.louvain_communities(g_nx, weight="weight", seed=seed)
        ),
    }
    out = []
    for name, fn in methods.items():
        labels, secs = _timed(fn, repeat=3 if name != "networkx louvain" else 1)
        row = {
            "method": name,
            "seconds": secs,
            "modularity": float(modularity(indptr, indices, data, labels, 1.0)),
            "communities": int(np.unique(labels).size),
        }
        if truth is not None:
            row["nmi"] = float(normalized_mutual_info_score(truth, labels))
        out.append(row)
    return out


def lfr(n: int, mu: float, seed: int):
    graph = LFR_benchmark_graph(
        n, 3, 1.5, mu, average_degree=5, min_community=20, max_community=100, seed=seed
    )
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    truth = _labels_from_sets(n, {frozenset(graph.nodes[v]["community"]) for v in graph})
    adj = nx.to_scipy_sparse_array(graph, nodelist=range(n), format="csr")
    return adj.indptr.astype(np.int64), adj.indices.astype(np.int32), adj.data * 1.0, truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--lfr-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    console, cfg = Console(), RingConfig()
    louvain(np.array([0, 1, 2], np.int64), np.array([1, 0], np.int32), np.ones(2), 0)  # JIT warm

    g, source = world_graph(args.people, args.days, args.seed)
    _, contact_ptr, _, contact_callee = g.contact_pairs
    build = lambda: co_targeting_graph(  # noqa: E731
        g.in_ptr, g.in_caller, g.in_start, contact_ptr, contact_callee,
        cfg.max_callers_per_callee, cfg.tau_s, cfg.handoff_s,
    )  # fmt: skip
    build()
    (indptr, indices, data, _), t_numba = _timed(build, repeat=3)
    ref, t_pandas = _timed(lambda: cotarget_pandas(g, cfg))
    result = {
        "source": source,
        "numbers": g.n_numbers,
        "calls": g.n_calls,
        "cotarget_edges": int(indices.size // 2),
        "cotarget_edges_pandas": len(ref),
        "cotarget_build_s": {"numba": t_numba, "pandas": t_pandas},
        "cotarget_louvain": compare_methods(indptr, indices, data[:, 0].copy(), args.seed),
        "lfr": {},
    }
    for mu in (0.1, 0.2, 0.3):
        ip, ix, d, truth = lfr(args.lfr_n, mu, 42)
        result["lfr"][str(mu)] = compare_methods(ip, ix, d, args.seed, truth)

    console.print(f"[bold]{source}[/]: {g.n_numbers} numbers, {g.n_calls} calls")
    console.print(
        f"co-targeting build: numba {t_numba:.3f} s vs pandas {t_pandas:.3f} s "
        f"({result['cotarget_edges']} edges; pandas {result['cotarget_edges_pandas']})"
    )
    for title, rows in [("co-targeting graph", result["cotarget_louvain"])] + [
        (f"LFR n={args.lfr_n} mu={mu}", rows) for mu, rows in result["lfr"].items()
    ]:
        table = Table(title=title)
        for col in ("method", "seconds", "modularity", "communities", "nmi"):
            table.add_column(col, justify="left" if col == "method" else "right")
        for r in rows:
            nmi = f"{r['nmi']:.3f}" if "nmi" in r else "-"
            table.add_row(
                r["method"], f"{r['seconds']:.4f}", f"{r['modularity']:.4f}",
                str(r["communities"]), nmi,
            )  # fmt: skip
        console.print(table)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
        console.print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
