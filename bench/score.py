"""End-to-end ``graphfraud score`` on a large simulated calls file, against a bare Arrow read.

Not a test. Usage::

    .venv/bin/python bench/score.py                          # 500k people x 4 days ≈ 10M calls
    .venv/bin/python bench/score.py --people 50000 --days 2 --json out/score.json   # quick

Simulates into ``var/bench/score-<people>x<days>/`` when absent. Reports wall time, calls/s,
peak RSS of the scoring process, a per-stage breakdown, and the ratio to a bare multi-threaded
``pyarrow.csv.read_csv`` of the same file (goal ≤ 3x). Both are run ``--repeat`` times,
alternating (so a slow spell of a shared machine hits both), and compared median to median;
every sample is kept in the JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _simulate(people: int, days: int) -> Path:
    out = ROOT / "var" / "bench" / f"score-{people}x{days}"
    if not (out / "calls.csv").exists():
        from graphfraud.sim import profile, write_simulation

        write_simulation(profile("default", people=people, days=days, seed=1), out, "csv")
    return out


def _bare_read(path: Path) -> float:
    import pyarrow.csv as pacsv

    t0 = time.perf_counter()
    pacsv.read_csv(path)
    return time.perf_counter() - t0


def _score_once(calls: Path, subscribers: Path, out: Path) -> dict:
    """One ``graphfraud score`` in a fresh process: wall, peak RSS, stages, calls."""
    cmd = [sys.executable, "-m", "graphfraud.cli", "score", "--calls", str(calls),
           "--subscribers", str(subscribers), "--out", str(out)]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=None)
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(proc.returncode)
    err = re.sub(r"\s+", " ", proc.stderr)
    return {
        "wall_s": wall,
        "stages_s": {k: float(v) for k, v in re.findall(r"([a-z+]+) (\d+\.\d+)", err.split("seconds:")[-1])},
        # Children waited for so far: the largest of the runs (the bare reads are in this process).
        "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "calls": int(re.search(r"from ([\d,]+) calls", err).group(1).replace(",", "")),
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=500_000)
    ap.add_argument("--days", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side (medians compared)")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    world = _simulate(a.people, a.days)
    calls = world / "calls.csv"
    out = ROOT / "var" / "bench" / "scores" / f"scores-{a.people}x{a.days}.csv"
    _bare_read(calls)  # the file into the page cache, as it is for every timed run after
    bare, runs = [], []
    for _ in range(max(a.repeat, 1)):
        bare.append(_bare_read(calls))
        runs.append(_score_once(calls, world / "subscribers.csv", out))
    walls = [r["wall_s"] for r in runs]
    mid = runs[walls.index(statistics.median_low(walls))]  # the median run, whole
    wall, bare_s = statistics.median(walls), statistics.median(bare)
    n_calls = mid["calls"]
    result = {
        "bench": "score", "calls": n_calls, "wall_s": round(wall, 2),
        "calls_per_s": round(n_calls / wall),
        "peak_rss_gib": round(max(r["rss_kb"] for r in runs) / 2**20, 2),
        "bare_arrow_read_s": round(bare_s, 2), "ratio_to_bare_read": round(wall / bare_s, 2),
        "stages_s": mid["stages_s"],
        "samples": {"wall_s": [round(w, 2) for w in walls], "bare_arrow_read_s": [round(b, 2) for b in bare]},
        "self_rss_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
    }  # fmt: skip
    print(json.dumps(result, indent=2))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
