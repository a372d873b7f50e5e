"""Load test of `graphfraud serve`: throughput and p50/p99 of /risk and /evidence (127.0.0.1 only).

Loads a simulated world with scores into the configured Neo4j (``--load``), starts the server with
``--workers`` uvicorn workers, and drives it with httpx async clients at each concurrency for a
bounded number of requests and time. Example:

    GRAPHFRAUD_API_KEYS=bench:admin .venv/bin/python bench/load.py --load --people 20000 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
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


async def _run(base: str, key: str, paths: list[str], clients: int, requests: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    client = httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, limits=limits, timeout=10)
    async with client as http:
        counter = iter(range(requests))

        async def worker() -> None:
            nonlocal errors
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                t0 = time.perf_counter()
                r = await http.get(paths[i % len(paths)])
                latencies.append(time.perf_counter() - t0)
                errors += r.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    n = len(latencies)
    return {"requests": n, "errors": errors, "rps": n / elapsed, "p50_ms": 1000 * latencies[n // 2],
            "p99_ms": 1000 * latencies[min(n - 1, int(n * 0.99))]}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--load", action="store_true", help="(re)load a scored simulated world first")
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8799)
    ap.add_argument("--requests", type=int, default=20_000, help="per run (endpoint × concurrency)")
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
        sample = rng.sample(numbers, min(5000, len(numbers)))
        runs = {"risk": [f"/v1/numbers/{n}/risk" for n in sample],
                "evidence": [f"/v1/numbers/{n}/evidence?hops=2" for n in sample]}  # fmt: skip
        print(f"workers={args.workers} numbers={len(numbers)}")
        for name, paths in runs.items():
            for clients in (int(c) for c in args.concurrency.split(",")):
                res = asyncio.run(_run(base, key, paths, clients, args.requests, args.seconds))
                print(f"{name:9s} c={clients:<4d} n={res['requests']:<6d} err={res['errors']:<3d} "
                      f"{res['rps']:8.0f} req/s  p50 {res['p50_ms']:6.1f} ms  p99 {res['p99_ms']:6.1f} ms",
                      flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
