"""``graphfraud demo``: the whole story in one command.

simulate a city → start Neo4j → ingest → score → write back → evaluate against the crude rule →
serve the API and the investigator's page. A second run reuses the world on disk and in Neo4j.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel

from graphfraud.settings import PROJECT_ROOT, get_settings

__all__ = ["demo"]

console = Console()
_DATASET = "demo"


def _step(title: str) -> float:
    console.rule(f"[bold]{title}")
    return time.perf_counter()


def _done(t0: float, what: str) -> None:
    console.print(f"[green]✓[/green] {what} ({time.perf_counter() - t0:.1f} s)")


def demo(
    people: Annotated[int, typer.Option(help="Ordinary subscribers in the simulated city.")] = 20_000,
    days: Annotated[int, typer.Option(help="Days of calls.")] = 3,
    seed: Annotated[int, typer.Option(help="World seed (holdout seeds 101–105 were never tuned on).")] = 101,
    profile_name: Annotated[str, typer.Option("--profile", help="default or holdout.")] = "holdout",
    out: Annotated[Path, typer.Option(help="Where the world's files go.")] = PROJECT_ROOT / "var" / "demo",
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the API at the end.")] = True,
) -> None:
    """Simulate, load, score, evaluate and serve; prints the URLs and numbers worth a look."""
    # Heavy imports live here so that `graphfraud --help` and the other commands start fast.
    from graphfraud.cdr import read_calls, read_subscribers
    from graphfraud.commands.evaluate import evaluate
    from graphfraud.commands.score import write_score_csvs
    from graphfraud.scoring import load_policy, score_calls
    from graphfraud.sim import profile, write_simulation
    from graphfraud.store.bulk import bulk_import
    from graphfraud.store.cypher import query
    from graphfraud.store.driver import connect
    from graphfraud.store.kinds import check_number_kind
    from graphfraud.store.loader import apply_schema, ingest_calls, ingest_subscribers
    from graphfraud.store.server import Neo4jServer
    from graphfraud.store.writeback import write_scores

    settings = get_settings()
    key = f"{profile_name}-p{people}-d{days}-s{seed}"
    world_dir = out / key
    calls_path, subs_path = world_dir / "calls.csv", world_dir / "subscribers.csv"
    truth_path, scores_path = world_dir / "truth.csv", world_dir / "scores.csv"

    t0 = _step("1. simulate")
    if truth_path.is_file() and calls_path.is_file():
        _done(t0, f"reusing {world_dir}")
    else:
        with console.status(f"simulating {people:,} people over {days} days ({profile_name}, seed {seed})"):
            res = write_simulation(profile(profile_name, people=people, days=days, seed=seed), world_dir)
        _done(t0, f"{res['calls']:,} calls → {world_dir}")

    calls = read_calls(calls_path).table
    subs = read_subscribers(subs_path).table
    t0 = _step("2. Neo4j and ingest")
    server = Neo4jServer(settings) if settings.uses_bundled_neo4j else None
    fresh = server is not None and not (settings.data_dir / "databases" / "neo4j").exists()
    if fresh:
        # A brand-new bundled database: the bulk importer builds it before the first start.
        with console.status(f"bulk-importing {calls.num_rows:,} calls (neo4j-admin import), starting Neo4j"):
            bulk_import(settings, calls, subs)
    elif server is not None:
        with console.status("starting the bundled Neo4j"):
            server.start()
    with connect(settings) as driver:
        if fresh:  # bulk_import applied the schema already
            held = None
            what = f"bulk-imported {calls.num_rows:,} calls; Neo4j at {settings.bolt_uri}"
        else:
            with driver.session() as s:
                held = s.run(query("dataset_get"), name=_DATASET).single()
            what = f"Neo4j at {settings.bolt_uri} already holds this world"
        if not fresh and (held is None or held["key"] != key):
            # Raw numbers into a pseudonymised database would mix the kinds: refused before any
            # write, as ingest and score --to-neo4j refuse it.
            check_number_kind(driver, calls["caller"], pseudonymized=False, command="demo")
            apply_schema(driver)
            with console.status(f"ingesting {calls.num_rows:,} calls (idempotent MERGE)"):
                ingest_calls(driver, calls, batch_size=settings.ingest_batch_size)
                ingest_subscribers(driver, subs, batch_size=settings.ingest_batch_size)
            held = None
            what = f"ingested {calls.num_rows:,} calls into {settings.bolt_uri}"
        if held is None:
            with driver.session() as s:
                s.run(query("dataset_set"), name=_DATASET, key=key, scored=False).consume()
        _done(t0, what)

        t0 = _step("3. score and write back")
        if held is not None and held["scored"] and scores_path.is_file():
            _done(t0, f"reusing {scores_path} and the scores in Neo4j")
        else:
            with console.status("scoring (features, rings, tiers, reasons)"):
                result = score_calls(calls, subs, policy=load_policy(settings.policy_file), seed=0,
                                     local_utc_offset_hours=settings.local_utc_offset_hours)  # fmt: skip
                write_score_csvs(result, scores_path)
            with console.status("writing scores, rings and audit events to Neo4j"):
                write_scores(driver, result.numbers, result.rings)
            with driver.session() as s:
                s.run(query("dataset_set"), name=_DATASET, key=key, scored=True).consume()
            _done(t0, f"{result.numbers.num_rows:,} callers scored, {result.rings.num_rows} rings")

    _step("4. graphfraud vs the crude rule (≥ 10 first-contact callees in 60 min → suspend)")
    evaluate(truth=truth_path, scores=scores_path, calls=None, json_path=world_dir / "evaluation.json")
    _examples(truth_path, scores_path, settings.api_port, settings.neo4j_http_port)

    if serve:
        from graphfraud.commands.serve import serve as serve_api

        serve_api(host=None, port=None, workers=None)


def _examples(truth_path: Path, scores_path: Path, api_port: int, http_port: int) -> None:
    import pandas as pd

    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
    scores = pd.read_csv(scores_path, dtype=str, keep_default_na=False)
    both = scores.merge(truth, on="number")
    lines = []
    for persona, label in (("farm_sim", "a SIM-box farm SIM"), ("ring_member", "a camouflaged ring member"),
                           ("courier", "a courier the crude rule would cut off"),
                           ("recruiter", "a recruiter")):  # fmt: skip
        rows = both[both.persona == persona]
        if persona == "courier":
            rows = rows[rows.get("crude_rule", "0") == "1"] if "crude_rule" in rows else rows
        if len(rows):
            r = rows.iloc[0]
            lines.append(f"{label}: [bold]{r.number}[/bold] → tier {r.tier}, ring {r.ring_id or '—'}")
    base = f"http://127.0.0.1:{api_port}"
    urls = [f"API docs:            {base}/docs", f"Investigator page:   {base}/ui"]
    if http_port:
        urls.append(f"Neo4j Browser:       http://127.0.0.1:{http_port}/browser/")
    console.print(Panel("\n".join([*urls, "", *lines]), title="Look at these", expand=False))
