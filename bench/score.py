"""End-to-end ``graphfraud score`` on a large simulated calls file, against a bare Arrow read.

Not a test. Usage::

    .venv/bin/python bench/score.py                          # 500k people x 4 days ≈ 10M calls
    .venv/bin/python bench/score.py --people 50000 --days 2 --json out/score.json   # quick

Simulates into ``var/bench/score-<people>x<days>/`` when absent. Reports wall time, calls/s,
peak RSS of the scoring process, a per-stage breakdown, and the ratio to a bare multi-threaded
``pyarrow.csv.read_csv`` of the same file (goal ≤ 3x).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
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


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=500_000)
    ap.add_argument("--days", type=int, default=4)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    world = _simulate(a.people, a.days)
    calls = world / "calls.csv"
    out = ROOT / "var" / "bench" / "scores" / f"scores-{a.people}x{a.days}.csv"
    bare = _bare_read(calls)
    cmd = [sys.executable, "-c",
           "import resource,sys; from graphfraud.cli import main; rc = main(sys.argv[1:]); "
           "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
           "sys.exit(rc)",
           "score", "--calls", str(calls), "--subscribers", str(world / "subscribers.csv"),
           "--out", str(out)]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=None)
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(proc.returncode)
    err = re.sub(r"\s+", " ", proc.stderr)
    stages = {k: float(v) for k, v in re.findall(r"([a-z+]+) (\d+\.\d+)", err.split("seconds:")[-1])}
    rss_kb = int(re.search(r"PEAK_RSS_KB (\d+)", err).group(1))
    n_calls = int(re.search(r"from ([\d,]+) calls", err).group(1).replace(",", ""))
    result = {
        "bench": "score", "calls": n_calls, "wall_s": round(wall, 2),
        "calls_per_s": round(n_calls / wall), "peak_rss_gib": round(rss_kb / 2**20, 2),
        "bare_arrow_read_s": round(bare, 2), "ratio_to_bare_read": round(wall / bare, 2),
        "stages_s": stages,
        "self_rss_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
    }
    print(json.dumps(result, indent=2))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
