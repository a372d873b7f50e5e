"""Load test of `graphfraud serve`: throughput and p50/p99 of /risk and /evidence (127.0.0.1 only).

Loads a simulated world with scores into the configured Neo4j (``--load``; without it the same
world is simulated again, not stored, to know its numbers), starts the server with ``--workers``
uvicorn workers and drives each endpoint twice over (see bench/loadgen.py):

* closed loop, ``wrk``: the throughput ceiling, at each ``--concurrency`` (clients);
* open loop, ``vegeta``: a constant offered rate (``--risk-rate``, ``--evidence-rate``) over at most
  that many connections, latency from each request's scheduled send time.

"Cold" runs follow a cache drop (for /evidence the graph version is moved, as an ingest does; for
/risk the scores version, as a scoring run does, which also starts the worker's preload of every
card: set GRAPHFRAUD_API_RISK_PRELOAD=false to measure first visits without it) and ask each number
once (closed loop: one wrk thread walks every number in turn for ``--cold-seconds``, cycling only if
it outlasts them); "warm" runs follow one pass over the sample. Example:

    GRAPHFRAUD_API_KEYS=bench:admin .venv/bin/python bench/load.py --load --people 20000 --workers 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2
from loadgen import ROOT, find_vegeta, vegeta_run, wrk_run

sys.path.insert(0, str(ROOT / "tests" / "api"))

SEED = 11


def _numbers(people: int, load: bool) -> list[str]:
    from api_world import load_scored_world

    from graphfraud.settings import get_settings
    from graphfraud.sim import SimConfig, simulate_world
    from graphfraud.store.driver import connect

    if not load:  # the stored world is this one (same people, days and seed)
        return simulate_world(SimConfig(people=people, days=1, seed=SEED)).truth["number"].to_pylist()
    driver = connect(get_settings())
    try:
        world = load_scored_world(driver, people=people, days=1, seed=SEED)
    finally:
        driver.close()
    return world.truth["number"].to_pylist()


def _metric(base: str, name: str) -> float:
    text = httpx2.get(f"{base}/metrics", timeout=5).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


def _preloads_running(base: str) -> float:
    return _metric(base, "graphfraud_risk_preload_running")


def _wait_first_preload(base: str) -> None:
    """A started server reads every card once (unless the preload is off): let that finish first."""
    deadline = time.monotonic() + 5
    while not _metric(base, "graphfraud_risk_preloaded_cards_total") and time.monotonic() < deadline:
        time.sleep(0.2)
    while _preloads_running(base):
        time.sleep(0.2)


def _drop_caches(base: str, scores: bool) -> None:
    """Move the stored versions: the graph's as an ingest does (/evidence answers dropped), and with
    ``scores`` the scores' too, as a scoring run does (/risk cards read again ahead of the asking,
    the last run's answering meanwhile, unless GRAPHFRAUD_API_RISK_PRELOAD=false). Every worker sees
    it within a poll. Scoring runs are hours apart, not seconds: the last one's preload is let finish.
    """
    from graphfraud.settings import get_settings
    from graphfraud.store.driver import connect
    from graphfraud.store.loader import bump_graph_version

    while _preloads_running(base):
        time.sleep(0.2)
    settings = get_settings()
    driver = connect(settings)
    try:
        bump_graph_version(driver, scores=scores)
    finally:
        driver.close()
    time.sleep(settings.api_cache_poll_s + 0.5)


def _line(name: str, temp: str, res: dict) -> str:
    if res["mode"] == "closed":
        how = f"closed c={res['clients']:<4d}"
    else:
        how = f"open {res['offered_rps']:>5d}/s conn≤{res['connections']:<4d}"
    sent = ""
    if res["mode"] == "open":
        sent = f"sent {res['sent_rps']:.0f}/s, {res['open_connections']} conns open"
    return (f"{name:9s} {temp:5s} {how:26s} n={res['requests']:<6d} err={res['errors']:<5d} "
            f"{res['rps']:7.0f} req/s  p50 {res['p50_ms']:7.1f} ms  p99 {res['p99_ms']:7.1f} ms  "
            f"{sent}")  # fmt: skip


def _wait_ready(base: str) -> None:
    for _ in range(100):
        try:
            if httpx2.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{base} never became ready")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--load", action="store_true", help="(re)load a scored simulated world first")
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--port", type=int, default=8799)
    ap.add_argument("--warmup", type=float, default=30.0, help="seconds of warm-up per endpoint")
    ap.add_argument("--sample", type=int, default=5000, help="distinct numbers asked for /risk")
    ap.add_argument("--evidence-sample", type=int, default=1000, help="distinct numbers for /evidence")
    ap.add_argument("--seconds", type=float, default=15.0, help="per run")
    ap.add_argument("--cold-seconds", type=float, default=5.0, help="per closed-loop cold run")
    ap.add_argument("--concurrency", default="50,200", help="wrk clients; vegeta's connection cap")
    ap.add_argument("--risk-rate", type=int, default=2000, help="open-loop offered req/s for /risk")
    ap.add_argument("--evidence-rate", type=int, default=50, help="open-loop offered req/s for /evidence")
    ap.add_argument("--endpoints", default="risk,evidence")
    ap.add_argument("--modes", default="closed,open", help="closed (wrk), open (vegeta)")
    ap.add_argument("--json", type=Path, help="write every run's figures here")
    args = ap.parse_args()
    key = os.environ.get("GRAPHFRAUD_API_KEYS", "").split(",")[0].rpartition(":")[0]
    if not key:
        sys.exit("set GRAPHFRAUD_API_KEYS (an investigator or admin key first)")
    modes = set(args.modes.split(","))
    vegeta = find_vegeta()
    if "open" in modes and vegeta is None:
        sys.exit("vegeta not found: `make bench-api` installs it into .cache/bin (or use --modes closed)")
    numbers = _numbers(args.people, args.load)
    rng = random.Random(5)
    sample = rng.sample(numbers, min(args.sample, len(numbers)))
    everyone = rng.sample(numbers, len(numbers))  # cold open-loop runs ask each number once
    server = subprocess.Popen([str(ROOT / ".venv/bin/graphfraud"), "serve", "--host", "127.0.0.1",
                               "--port", str(args.port), "--workers", str(args.workers)])  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    results: list[dict] = []

    def record(name: str, temp: str, res: dict) -> None:
        results.append({"endpoint": name, "cache": temp, **res})
        print(_line(name, temp, res), flush=True)

    try:
        _wait_ready(base)
        _wait_first_preload(base)
        print(f"workers={args.workers} numbers={len(numbers)}")
        workdir = Path(tempfile.mkdtemp(prefix="graphfraud-load-"))
        pattern = {"risk": "/v1/numbers/{}/risk", "evidence": "/v1/numbers/{}/evidence?hops=2"}
        rates = {"risk": args.risk_rate, "evidence": args.evidence_rate}
        samples = {"risk": sample, "evidence": sample[: args.evidence_sample]}
        for name in args.endpoints.split(","):
            paths = [pattern[name].format(n) for n in samples[name]]
            clients = [int(c) for c in args.concurrency.split(",")]
            rate = rates[name]
            if "closed" in modes:  # caches empty: the version moved; one wrk thread walks every number
                cold = [pattern[name].format(n) for n in everyone]
                for conns in clients:
                    _drop_caches(base, scores=name == "risk")
                    res = wrk_run(base, key, cold, conns, args.cold_seconds, workdir, order="seq")
                    record(name, "cold", res)
            if "open" in modes:
                cold = [pattern[name].format(n) for n in everyone[: int(rate * args.seconds)]]
                for conns in clients:
                    _drop_caches(base, scores=name == "risk")
                    seconds = min(args.seconds, len(cold) / rate)
                    res = vegeta_run(vegeta, base, key, cold, rate=rate, connections=conns,
                                     seconds=seconds, workdir=workdir)  # fmt: skip
                    record(name, "cold", res)
                    time.sleep(2)  # an overloaded run leaves answers in flight
            wrk_run(base, key, paths, 8, args.warmup, workdir, order="seq")  # every path once: warm
            shuffled = random.Random(7).sample(paths, len(paths))
            for conns in clients:
                if "closed" in modes:
                    record(name, "warm", wrk_run(base, key, paths, conns, args.seconds, workdir))
                if "open" in modes:
                    record(name, "warm", vegeta_run(vegeta, base, key, shuffled, rate=rate, connections=conns,
                                                    seconds=args.seconds, workdir=workdir))  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
    if args.json:
        args.json.write_text(json.dumps({"workers": args.workers, "people": args.people, "runs": results},
                                        indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
