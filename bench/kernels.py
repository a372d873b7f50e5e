"""Time every per-number feature kernel against its pandas/networkx reference on one random graph.

Not a test. Usage::

    .venv/bin/python bench/kernels.py                     # ~2M calls, 200k numbers
    .venv/bin/python bench/kernels.py --calls 10000000 --numbers 1000000 --no-reference
    .venv/bin/python bench/kernels.py --json out/kernels.json

Kernels are compiled (or loaded from Numba's cache) on a tiny graph first, so timings exclude JIT.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from graphfraud.features import compute_number_features
from graphfraud.features.numbers import number_prefixes, number_values
from graphfraud.features.reference import contacts as rc
from graphfraud.features.reference import places as rp
from graphfraud.features.reference import reference_number_features
from graphfraud.features.synthetic import random_calls, random_subscribers
from graphfraud.graph import build_call_graph
from graphfraud.kernels import devices, fanout, profiles, reciprocity, repeats

OFFSET_S = 8 * 3600


def _best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _cases(g, df):
    """(name, kernel thunk, reference thunk or None) over the same graph."""
    by_pair, pair_ptr, pair_start, pair_callee = fanout.contact_pairs(g.out_ptr, g.callee)
    first = fanout.first_contact_flags(by_pair, pair_start, g.n_calls)
    values, prefixes = number_values(g.numbers), number_prefixes(g.numbers)
    imei = g.imei.astype(np.int64)
    n = g.n_numbers
    return [
        (
            "first_contact_flags (+contact_pairs)",
            lambda: _first_flags(g),
            lambda: rc.ref_first_contact_flags(df),
        ),
        (
            "windowed_first_contact_fanout 1h",
            lambda: fanout.windowed_first_contact_fanout(g.out_ptr, g.start, first, 3600),
            lambda: rc.ref_windowed_fanout(df, first, 3600, n),
        ),
        (
            "callback_counts",
            lambda: reciprocity.callback_counts(
                pair_ptr, pair_start, pair_callee, by_pair, g.start, 86400
            ),
            lambda: rc.ref_callback_counts(df, 86400, n),
        ),
        (
            "call_profiles",
            lambda: profiles.call_profiles(g.out_ptr, g.start, g.duration, OFFSET_S, 10, 8, 20),
            lambda: rp.ref_call_profiles(df, OFFSET_S, 10, (8, 20), n),
        ),
        (
            "hourly_unit_vectors",
            lambda: profiles.hourly_unit_vectors(g.out_ptr, g.start, OFFSET_S),
            lambda: rp.ref_hourly_unit_vectors(df, OFFSET_S, n),
        ),
        (
            "sequential_dial_counts",
            lambda: profiles.sequential_dial_counts(g.out_ptr, g.callee, values, 10),
            lambda: rc.ref_sequential_dial_counts(df, values, 10, n),
        ),
        (
            "callee prefix counts",
            lambda: profiles.distinct_per_caller(pair_ptr, pair_callee, prefixes),
            lambda: rc.ref_prefix_counts(df, prefixes, n),
        ),
        (
            "distinct_codes (IMEI)",
            lambda: devices.distinct_codes(g.out_ptr, imei),
            lambda: rp.ref_distinct_counts(df, "imei", n),
        ),
        (
            "max sims per IMEI",
            lambda: _max_sims(g, imei),
            lambda: rp.ref_max_sims_per_imei(df, n),
        ),
        (
            "repeat_rows (repeated records)",
            lambda: repeats.repeat_rows(g.out_ptr, g.start, g.callee),
            lambda: np.flatnonzero(df.duplicated(["caller", "callee", "start"]).to_numpy()),
        ),
    ]


def _first_flags(g):
    by_pair, _, pair_start, _ = fanout.contact_pairs(g.out_ptr, g.callee)
    return fanout.first_contact_flags(by_pair, pair_start, g.n_calls)


def _max_sims(g, imei):
    ptr, vals = devices.distinct_codes(g.out_ptr, imei)
    sims = np.bincount(vals, minlength=len(g.imeis)).astype(np.float64)
    return devices.max_over_members(ptr, vals, sims)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2_000_000)
    parser.add_argument("--numbers", type=int, default=None, help="default: calls / 10")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="kernel runs; best is kept")
    parser.add_argument("--no-reference", action="store_true", help="time the kernels only")
    parser.add_argument(
        "--full-reference",
        action="store_true",
        help="also time the whole reference table (networkx synchrony: slow)",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    n_numbers = args.numbers or max(10, args.calls // 10)

    from rich.console import Console
    from rich.table import Table

    console = Console()
    warm = build_call_graph(random_calls(2000, 200, seed=1), random_subscribers(200))
    compute_number_features(warm)
    for _, kern, _ in _cases(warm, rc.calls_frame(warm)):
        kern()

    t = time.perf_counter()
    calls = random_calls(args.calls, n_numbers, seed=args.seed)
    graph = build_call_graph(calls, random_subscribers(n_numbers, seed=args.seed))
    build_s = time.perf_counter() - t
    df = rc.calls_frame(graph)
    console.print(
        f"graph: {graph.n_calls:,} calls, {graph.n_numbers:,} numbers, "
        f"built in {build_s:.2f} s; numba threads {os.environ.get('NUMBA_NUM_THREADS', 'all')}"
    )

    rows = []
    for name, kern, ref in _cases(graph, df):
        k_s = _best_of(kern, args.repeat)
        r_s = None if args.no_reference else _best_of(ref, 1)
        rows.append({"kernel": name, "numba_s": k_s, "reference_s": r_s})
    full_s = _best_of(lambda: compute_number_features(graph), args.repeat)
    full_ref = None
    if args.full_reference and not args.no_reference:
        full_ref = _best_of(lambda: reference_number_features(graph), 1)
    rows.append(
        {"kernel": "compute_number_features (all)", "numba_s": full_s, "reference_s": full_ref}
    )

    table = Table(title=f"per-number kernels, {graph.n_calls:,} calls")
    for col in ("kernel", "numba s", "reference s", "ratio (ref / numba)"):
        table.add_column(col, justify="left" if col == "kernel" else "right")
    for row in rows:
        ref = row["reference_s"]
        ratio = f"{ref / row['numba_s']:.1f}×" if ref else "–"
        table.add_row(
            row["kernel"], f"{row['numba_s']:.4f}", "–" if ref is None else f"{ref:.3f}", ratio
        )
    console.print(table)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "calls": graph.n_calls,
            "numbers": graph.n_numbers,
            "build_graph_s": build_s,
            "cpu_count": os.cpu_count(),
            "rows": rows,
        }
        args.json.write_text(json.dumps(payload, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
