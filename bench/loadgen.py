"""The two load generators behind bench/load.py: closed-loop ``wrk`` and open-loop ``vegeta``.

Closed loop (wrk): each of ``clients`` connections sends its next request when the previous answer
arrives, so the offered rate follows the server and the figure is a throughput *ceiling*; at that
ceiling the latencies are mostly queueing (Little's law: 200 clients at 3,000 req/s wait ~67 ms).

Open loop (vegeta): requests are sent on a fixed schedule, ``rate`` per second, whatever the server
does; a slow answer never delays the next send (vegeta starts another worker instead), and at most
``connections`` connections are open. Latency is taken from each request's *scheduled* send time
(request ``seq`` is due at ``t0 + seq / rate``), not from when it left, so time spent waiting for a
free connection or behind a stalled load generator is counted (no coordinated omission).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

__all__ = ["ROOT", "find_vegeta", "vegeta_run", "wrk_run"]

ROOT = Path(__file__).resolve().parent.parent

_LUA = """
local paths = {}
for line in io.lines(os.getenv("GF_PATHS")) do paths[#paths + 1] = line end
local in_order = os.getenv("GF_ORDER") == "seq"
local i = 0
math.randomseed(7)
request = function()
  i = i + 1
  local p = in_order and paths[(i - 1) % #paths + 1] or paths[math.random(#paths)]
  return wrk.format("GET", p, {["X-API-Key"] = os.getenv("GF_KEY")})
end
"""


def wrk_run(
    base: str, key: str, paths: list[str], clients: int, seconds: float, workdir: Path, order: str = "random"
) -> dict:
    """One closed-loop wrk run (C load generator: the Python clients we tried saturated first)."""
    script, listing = workdir / "paths.lua", workdir / "paths.txt"
    script.write_text(_LUA)
    listing.write_text("\n".join(paths))
    env = {**os.environ, "GF_PATHS": str(listing), "GF_KEY": key, "GF_ORDER": order}
    # wrk's threads each run the script: in "seq" order one thread walks the list once, not twice.
    threads = 1 if order == "seq" else min(2, clients)
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "-s", str(script), base]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = int(bad.group(1)) if bad else 0
    return {"mode": "closed", "clients": clients, "requests": total, "errors": errors, "rps": rps,
            "p50_ms": ms("50%"), "p99_ms": ms("99%")}  # fmt: skip


def find_vegeta() -> str | None:
    """``.cache/bin/vegeta`` (where ``make bench-api`` installs it) or one on the PATH."""
    local = ROOT / ".cache" / "bin" / "vegeta"
    return str(local) if local.is_file() else shutil.which("vegeta")


def _open_connections(port: int) -> int:
    """Established TCP connections to the server's port (``ss``), seen from the client side."""
    out = subprocess.run(["ss", "-Htn", "state", "established", f"dport = :{port}"],
                         capture_output=True, text=True).stdout  # fmt: skip
    return sum(1 for line in out.splitlines() if line.strip())


def _percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))] if sorted_ms else float("nan")


def vegeta_run(
    vegeta: str, base: str, key: str, paths: list[str], *, rate: int, connections: int, seconds: float,
    workdir: Path,
) -> dict:
    """One open-loop vegeta run: ``rate`` req/s for ``seconds``, over at most ``connections`` connections.

    ``paths`` are sent in the order given, cycling when the run outlasts them. Returns the achieved
    send rate and answer rate (req/s), errors (non-2xx or transport), p50/p99 from the scheduled
    send time (ms), vegeta's own p99 from the actual send, and the connections seen open mid-run.
    """
    targets, results = workdir / "targets.txt", workdir / "results.bin"
    targets.write_text("".join(f"GET {base}{p}\n\n" for p in paths))
    cmd = [vegeta, "attack", f"-targets={targets}", f"-rate={rate}/1s", f"-duration={seconds:.0f}s",
           f"-max-connections={connections}", f"-connections={connections}", f"-workers={connections}",
           "-timeout=30s", "-max-body=0", "-http2=false", f"-header=X-API-Key: {key}",
           f"-output={results}"]  # fmt: skip
    port = int(base.rsplit(":", 1)[1])
    seen: list[int] = []
    sampler = threading.Timer(seconds / 2, lambda: seen.append(_open_connections(port)))
    sampler.start()
    try:
        subprocess.run(cmd, check=True, capture_output=True)
    finally:
        sampler.cancel()
    report = json.loads(subprocess.run([vegeta, "report", "-type=json", str(results)],
                                       capture_output=True, text=True, check=True).stdout)  # fmt: skip
    rows = subprocess.run([vegeta, "encode", "-to=csv", str(results)], capture_output=True, text=True,
                          check=True).stdout.splitlines()  # fmt: skip
    done = sorted((int(r[8]), int(r[0]), int(r[2])) for r in csv.reader(rows))  # seq, sent (ns), latency
    t0 = done[0][1] if done else 0
    interval_ns = 1e9 / rate
    latencies = sorted(max(lat, sent + lat - (t0 + seq * interval_ns)) / 1e6 for seq, sent, lat in done)
    codes = report.get("status_codes") or {}
    ok = sum(n for code, n in codes.items() if code.startswith("2"))
    return {"mode": "open", "offered_rps": rate, "connections": connections,
            "open_connections": seen[0] if seen else None, "requests": report["requests"],
            "sent_rps": round(report["rate"], 1), "rps": round(report["throughput"], 1),
            "errors": report["requests"] - ok, "p50_ms": round(_percentile(latencies, 0.50), 2),
            "p99_ms": round(_percentile(latencies, 0.99), 2),
            "p99_from_send_ms": round(report["latencies"]["99th"] / 1e6, 2)}  # fmt: skip
