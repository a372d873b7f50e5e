"""Run every benchmark as a subprocess with ``--json``; gather bench/results.json; one table.

Usage: ``.venv/bin/python bench/run.py [--quick] [--only score,kernels,communities]``
(also ``graphfraud bench``). ``--quick`` uses small sizes (a minute or two on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent

BENCHES = {
    "score": (["score.py"], ["--people", "50000", "--days", "2"]),
    "kernels": (["kernels.py"], ["--calls", "200000", "--repeat", "1"]),
    "communities": (["communities.py"], ["--people", "5000", "--days", "2", "--lfr-n", "300"]),
}


def _rows(name: str, result: object, prefix: str = "") -> list[tuple[str, str]]:
    """Flatten a result into (key, value) rows for the table."""
    if isinstance(result, dict):
        rows = []
        for k, v in result.items():
            rows += _rows(name, v, f"{prefix}{k}.")
        return rows
    if isinstance(result, list):
        return [(prefix.rstrip("."), f"{len(result)} entries")]
    return [(prefix.rstrip("."), str(result))]


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=",".join(BENCHES))
    a = ap.parse_args(argv)
    results: dict[str, object] = {}
    failed = 0
    for name in a.only.split(","):
        script, quick_args = BENCHES[name]
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{name}.json"
            cmd = [sys.executable, str(ROOT / script[0]), *(quick_args if a.quick else []),
                   "--json", str(out)]  # fmt: skip
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT.parent)
            wall = time.perf_counter() - t0
            if proc.returncode or not out.exists():
                failed += 1
                results[name] = {"error": f"exit {proc.returncode}", "wall_s": round(wall, 1)}
            else:
                results[name] = json.loads(out.read_text())
    (ROOT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = Table(title="graphfraud benchmarks (bench/results.json)")
    for col in ("bench", "metric", "value"):
        table.add_column(col)
    for name, res in results.items():
        for key, value in _rows(name, res)[:40]:
            table.add_row(name, key, value)
    Console().print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
