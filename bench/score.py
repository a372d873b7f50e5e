"""End-to-end ``graphfraud score`` on a large simulated calls file, against a bare Arrow read.

Not a test. Usage::

    .venv/bin/python bench/score.py                          # 500k people x 4 days ≈ 10M calls
    .venv/bin/python bench/score.py --people 50000 --days 2 --json out/score.json   # quick
    .venv/bin/python bench/score.py --gzip        # the same calls as calls.csv.gz, both sides

Simulates into ``var/bench/score-<people>x<days>/`` when absent. Reports wall time, calls/s,
peak RSS of the scoring process, a per-stage breakdown, and the ratio to a bare multi-threaded
``pyarrow.csv.read_csv`` of the same file (goal ≤ 3x). Both are run ``--repeat`` times,
alternating (so a slow spell of a shared machine hits both), and compared median to median;
every sample is kept in the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _gzipped(calls: Path) -> Path:
    """``calls.csv.gz`` beside ``calls``, made once as the ``gzip`` tool makes it (level 6)."""
    packed = calls.with_name(calls.name + ".gz")
    if not packed.exists():
        import gzip
        import shutil

        part = packed.with_name(packed.name + ".part")
        with calls.open("rb") as src, gzip.open(part, "wb", compresslevel=6) as dst:
            shutil.copyfileobj(src, dst, 1 << 24)
        part.rename(packed)
    return packed


def _simulate(people: int, days: int) -> Path:
    out = ROOT / "var" / "bench" / f"score-{people}x{days}"
    if not (out / "calls.csv").exists():
        from graphfraud.sim import profile, write_simulation

        write_simulation(profile("default", people=people, days=days, seed=1), out, "csv")
    return out


_BARE_READ = """
import sys, time
import pyarrow.csv as pacsv
t0 = time.perf_counter()
pacsv.read_csv(sys.argv[1])
print(time.perf_counter() - t0)
"""


def _bare_read(path: Path) -> float:
    """Seconds of ``pyarrow.csv.read_csv`` (all threads) on ``path``: the read alone, imports not
    counted, in a process of its own (as the score runs are), so neither side runs in the
    other's leftover memory."""
    proc = subprocess.run([sys.executable, "-c", _BARE_READ, str(path)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return float(proc.stdout)


def _score_once(calls: Path, subscribers: Path, out: Path) -> dict:
    """One ``graphfraud score`` in a fresh process: wall, its own peak RSS, stages, calls."""
    cmd = [sys.executable, "-m", "graphfraud.cli", "score", "--calls", str(calls),
           "--subscribers", str(subscribers), "--out", str(out)]  # fmt: skip
    with tempfile.TemporaryFile("w+") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own resource use
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        stderr = log.read()
    if proc.returncode:
        sys.stderr.write(stderr)
        raise SystemExit(proc.returncode)
    err = re.sub(r"\s+", " ", stderr)
    return {
        "wall_s": wall,
        "stages_s": {k: float(v) for k, v in re.findall(r"([a-z+]+) (\d+\.\d+)", err.split("seconds:")[-1])},
        "rss_kb": usage.ru_maxrss,
        "calls": int(re.search(r"from ([\d,]+) calls", err).group(1).replace(",", "")),
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=500_000)
    ap.add_argument("--days", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side (medians compared)")
    ap.add_argument("--pause", type=float, default=5.0, help="seconds of rest before each run")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--gzip", action="store_true", help="score and read calls.csv.gz (made once)")
    a = ap.parse_args(argv)
    world = _simulate(a.people, a.days)
    calls = _gzipped(world / "calls.csv") if a.gzip else world / "calls.csv"
    tag = "-gz" if a.gzip else ""
    out = ROOT / "var" / "bench" / "scores" / f"scores-{a.people}x{a.days}{tag}.csv"
    # Not timed: a small world scored once compiles Numba's kernels into their on-disk cache
    # where this checkout has none yet (a minute or more), and the file goes into the page cache.
    small = _simulate(2000, 2)
    _score_once(small / "calls.csv", small / "subscribers.csv", out.with_name("warm-up.csv"))
    _bare_read(calls)
    bare, runs = [], []
    for _ in range(max(a.repeat, 1)):
        # Each run waits a few seconds first: on our VMs a process that starts just after
        # another freed gigabytes faults its memory in markedly slower (the score: ~1 s), so
        # either side would pay for the other's exit. Both sides wait the same.
        time.sleep(a.pause)
        bare.append(_bare_read(calls))
        time.sleep(a.pause)
        runs.append(_score_once(calls, world / "subscribers.csv", out))
    walls = [r["wall_s"] for r in runs]
    mid = runs[walls.index(statistics.median_low(walls))]  # the median run, whole
    wall, bare_s = statistics.median(walls), statistics.median(bare)
    n_calls = mid["calls"]
    result = {
        "bench": "score", "file": calls.name, "calls": n_calls, "wall_s": round(wall, 2),
        "calls_per_s": round(n_calls / wall),
        "peak_rss_gib": round(max(r["rss_kb"] for r in runs) / 2**20, 2),
        "bare_arrow_read_s": round(bare_s, 2), "ratio_to_bare_read": round(wall / bare_s, 2),
        "stages_s": mid["stages_s"],
        "samples": {"wall_s": [round(w, 2) for w in walls], "bare_arrow_read_s": [round(b, 2) for b in bare]},
    }  # fmt: skip
    print(json.dumps(result, indent=2))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
