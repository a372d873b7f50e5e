"""Load test of `graphfraud serve`: throughput and p50/p99 of /risk and /evidence (127.0.0.1 only).

Loads a simulated world with scores into the configured Neo4j (``--load``), starts the server with
``--workers`` uvicorn workers, and drives it with ``wrk`` (Debian package; a bounded number of
seconds per run, 127.0.0.1 only) at each concurrency after a warm-up pass per endpoint. Example:

    GRAPHFRAUD_API_KEYS=bench:admin .venv/bin/python bench/load.py --load --people 20000 --workers 2
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "api"))


def _load(people: int) -> list[str]:
    from api_world import load_scored_world

    from graphfraud.settings import get_settings
    from graphfraud.store.driver import connect

    driver = connect(get_settings())
    try:
        world = load_scored_world(driver, people=people, days=1, seed=11)
    finally:
        driver.close()
    return world.truth["number"].to_pylist()


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


def _wrk(
    base: str, key: str, paths: list[str], clients: int, seconds: float, workdir: Path, order: str = "random"
) -> dict:
    """One wrk run (C load generator: the Python clients we tried saturated before the server)."""
    script, listing = workdir / "paths.lua", workdir / "paths.txt"
    script.write_text(_LUA)
    listing.write_text("\n".join(paths))
    env = {**os.environ, "GF_PATHS": str(listing), "GF_KEY": key, "GF_ORDER": order}
    threads = min(2, clients)
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "-s", str(script), base]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"requests": total, "errors": int(bad.group(1)) if bad else 0, "rps": rps,
            "p50_ms": ms("50%"), "p99_ms": ms("99%")}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--load", action="store_true", help="(re)load a scored simulated world first")
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8799)
    ap.add_argument("--warmup", type=float, default=30.0, help="seconds of warm-up per endpoint")
    ap.add_argument("--sample", type=int, default=5000, help="distinct numbers asked for /risk")
    ap.add_argument("--evidence-sample", type=int, default=1000, help="distinct numbers for /evidence")
    ap.add_argument("--seconds", type=float, default=15.0, help="per run")
    ap.add_argument("--concurrency", default="50,200")
    args = ap.parse_args()
    key = os.environ.get("GRAPHFRAUD_API_KEYS", "").split(",")[0].rpartition(":")[0]
    if not key:
        sys.exit("set GRAPHFRAUD_API_KEYS (an investigator or admin key first)")
    numbers = _load(args.people) if args.load else None
    server = subprocess.Popen([str(ROOT / ".venv/bin/graphfraud"), "serve", "--host", "127.0.0.1",
                               "--port", str(args.port), "--workers", str(args.workers)])  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        if numbers is None:
            h = {"X-API-Key": key}
            page = httpx.get(f"{base}/v1/rings?limit=200", headers=h).json()["items"]
            rings = [httpx.get(f"{base}/v1/rings/{r['ring_id']}", headers=h).json() for r in page]
            numbers = [m["number"] for r in rings for m in r["members"]]
        rng = random.Random(5)
        sample = rng.sample(numbers, min(args.sample, len(numbers)))
        ev_sample = sample[: args.evidence_sample]
        runs = {"risk": [f"/v1/numbers/{n}/risk" for n in sample],
                "evidence": [f"/v1/numbers/{n}/evidence?hops=2" for n in ev_sample]}  # fmt: skip
        print(f"workers={args.workers} numbers={len(numbers)}")
        workdir = Path(tempfile.mkdtemp(prefix="graphfraud-load-"))
        for name, paths in runs.items():
            cold = _wrk(base, key, paths, 50, args.seconds, workdir)  # first visits: Neo4j every time
            print(f"{name:9s} c=50   cold (first visits)   {cold['rps']:8.0f} req/s  "
                  f"p50 {cold['p50_ms']:6.1f} ms  p99 {cold['p99_ms']:6.1f} ms", flush=True)  # fmt: skip
            _wrk(base, key, paths, 8, args.warmup, workdir, order="seq")  # every path once: caches warm
            for clients in (int(c) for c in args.concurrency.split(",")):
                res = _wrk(base, key, paths, clients, args.seconds, workdir)
                print(
                    f"{name:9s} c={clients:<4d} n={res['requests']:<6d} err={res['errors']:<3d} "
                    f"{res['rps']:8.0f} req/s  p50 {res['p50_ms']:6.1f} ms  p99 {res['p99_ms']:6.1f} ms",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
