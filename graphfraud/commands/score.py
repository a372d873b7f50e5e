"""``graphfraud score``: risk, tier, ring and reasons for every number that makes calls."""

from __future__ import annotations

import dataclasses
import importlib.abc
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from graphfraud.cdr import quarantine_path_for, read_calls, read_subscribers
from graphfraud.cdr.quarantine import refuse_if_all_quarantined, replace_quarantine
from graphfraud.cdr.reader import csv_ending, sibling_path
from graphfraud.cdr.scan import scan_calls_csv
from graphfraud.errors import OutputFileError
from graphfraud.memory import keep_freed_memory
from graphfraud.outputs import check_outputs
from graphfraud.privacy import Pseudonymizer
from graphfraud.settings import get_settings

if TYPE_CHECKING:
    from neo4j import Driver

    from graphfraud.scoring import Policy, ScoreResult
    from graphfraud.settings import Settings

__all__ = ["pseudonymized", "rings_path_for", "score", "subscribers_quarantine_path_for", "write_score_csvs"]

console = Console(stderr=True)


def rings_path_for(out: Path) -> Path:
    """``scores.csv`` → ``scores.rings.csv`` beside it."""
    return sibling_path(out, "rings")


def subscribers_quarantine_path_for(out: Path) -> Path:
    """``scores.csv`` → ``scores.subscribers.quarantine.csv`` beside it (the subscribers' bad rows)."""
    return sibling_path(out, "subscribers.quarantine")


def write_score_csvs(result, out: Path) -> tuple[Path, Path]:
    """numbers → ``out`` (``number,risk,tier,ring_id,reasons,crude_rule``), rings beside it."""
    n = result.numbers
    join = pc.binary_join(n["reasons"], ";")
    table = pa.table(
        {
            "number": n["number"],
            "risk": n["risk"],
            "tier": n["tier"],
            "ring_id": pc.fill_null(n["ring_id"], ""),
            "reasons": pc.fill_null(join, ""),
            "crude_rule": pa.array(result.crude_rule.astype("int8")),
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, out)
    r = result.rings
    rings = pa.table(
        {
            "ring_id": r["ring_id"],
            "risk": r["risk"],
            "tier": r["tier"],
            "size": r["size"],
            "members": pc.binary_join(r["members"], ";"),
            "reasons": pc.binary_join(r["reasons"], ";"),
        }
    )
    rpath = rings_path_for(out)
    pacsv.write_csv(rings, rpath)
    return out, rpath


def pseudonymized(result: ScoreResult, pseudo: Pseudonymizer) -> ScoreResult:
    """``result`` with every number (the scores' ``number``, the rings' ``members``) as its token."""
    numbers, rings = result.numbers, result.rings
    numbers = numbers.set_column(numbers.schema.get_field_index("number"), "number",
                                 pseudo.tokens(numbers["number"]))  # fmt: skip
    rings = rings.set_column(rings.schema.get_field_index("members"), "members",
                             pseudo.list_tokens(rings["members"]))  # fmt: skip
    return dataclasses.replace(result, numbers=numbers, rings=rings)


def _warm_kernels() -> None:
    """Score a tiny random world, which loads every Numba kernel from its on-disk cache.

    Run on a thread while the calls file is scanned (Numba's parallel kernels free the GIL): the
    ~0.7 s of loading kernels then overlaps the scan instead of following it. The world goes
    through a CSV file and the scanner, as a clean calls file does, so the kernels are loaded
    for the very array types the run will pass them (no second signature is loaded later).

    Its parallel kernels run on this thread alone (Numba's thread count is per thread): on a
    world this small a second OpenMP thread only spins between kernels, ~0.2 CPU-s taken from
    the scan beside it.
    """
    from numba import get_num_threads, set_num_threads

    threads = get_num_threads()
    set_num_threads(1)
    try:
        _score_tiny_world()
    finally:
        set_num_threads(threads)  # the setting outlives the call on a thread that goes on


def _score_tiny_world() -> None:
    """:func:`_warm_kernels`' world, scanned from a CSV file where a temporary folder can be had."""
    from graphfraud.features.synthetic import random_calls, random_subscribers, write_calls_csv
    from graphfraud.scoring import score_calls

    world = random_calls(3000, 300, seed=1)
    try:
        with tempfile.TemporaryDirectory(prefix="graphfraud-warm-") as tmp:
            scanned = scan_calls_csv(write_calls_csv(world, Path(tmp) / "calls.csv"))
    except OSError:  # no writable temporary folder: the table itself warms nearly as much
        scanned = None
    score_calls(scanned if scanned is not None else world, random_subscribers(300, seed=1), details=False)


class _HidePandas(importlib.abc.MetaPathFinder):
    """An import finder that answers "no such module" for pandas."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas":
            raise ModuleNotFoundError("pandas is hidden from pyarrow's first conversion", name=name)
        return None


def _arrow_without_pandas() -> None:
    """Let pyarrow's first conversion skip importing pandas (0.6 s), which ``score`` never uses.

    pyarrow tries to import pandas on the first ``pa.array``/``pa.scalar`` of the process, to
    recognise pandas objects. It is tried once here with pandas hidden, so pyarrow notes "no
    pandas" and moves on; anything that later needs pandas from pyarrow (``to_pandas``) makes it
    try again, and then pandas is there as usual.
    """
    if "pandas" in sys.modules:
        return
    hide = _HidePandas()
    sys.meta_path.insert(0, hide)
    try:
        pa.scalar(0)
    finally:
        sys.meta_path.remove(hide)


def score(
    calls: Annotated[Path, typer.Option("--calls", help="Calls file (.csv, .csv.gz/.bz2/.zst or .parquet).")],
    out: Annotated[Path, typer.Option(
        "--out", help="Scores CSV (scores.csv); rings go beside it (scores.rings.csv), bad rows "
        "too (scores.quarantine.csv, scores.subscribers.quarantine.csv).")],
    subscribers: Annotated[
        Path | None, typer.Option("--subscribers", help="Subscribers file (number, activated_on).")
    ] = None,
    to_neo4j: Annotated[
        bool, typer.Option("--to-neo4j", help="Also write scores and rings into Neo4j.")
    ] = False,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", help="Policy JSON (default: settings / policy/default.json).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of ring detection.")] = 0,
    pseudonymize: Annotated[
        bool,
        typer.Option("--pseudonymize", help="Write keyed HMAC tokens, not numbers, to the files and "
                     "Neo4j (GRAPHFRAUD_PSEUDONYM_KEY; as ingest --pseudonymize)."),
    ] = False,
) -> None:
    """Score every caller: number,risk,tier,ring_id,reasons (+ crude_rule) and a rings file."""
    from graphfraud.scoring import load_policy

    outputs = [out, rings_path_for(out), quarantine_path_for(out), subscribers_quarantine_path_for(out)]
    if csv_ending(out) not in (None, ".csv") or out.suffix.lower() == ".parquet":
        raise OutputFileError(f"{out}: the scores are written as plain CSV; name the file .csv")
    check_outputs(outputs, [calls, subscribers, policy_file])  # before any work
    keep_freed_memory()  # arrays reuse freed pages instead of faulting in new ones (graphfraud.memory)
    _arrow_without_pandas()
    settings = get_settings()
    policy = load_policy(policy_file or settings.policy_file)
    # A missing or short key is a clear error before any work.
    pseudo = Pseudonymizer.from_secret(settings.pseudonym_key) if pseudonymize else None
    driver = None
    if to_neo4j:  # an unreachable server too
        from graphfraud.store.driver import connect

        driver = connect(settings)
    try:
        _score(calls, out, subscribers, policy, seed, settings, pseudo, driver)
    finally:
        if driver is not None:
            driver.close()


def _score(calls: Path, out: Path, subscribers: Path | None, policy: Policy, seed: int,
           settings: Settings, pseudo: Pseudonymizer | None, driver: Driver | None) -> None:  # fmt: skip
    """The run of :func:`score` once its settings are checked and Neo4j (if asked for) is reached."""
    from graphfraud.graph import assemble_call_graph
    from graphfraud.scoring import FULL_WINDOW_DAYS, encode_calls, score_graph

    timings: dict[str, float] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:  # fmt: skip
        task = progress.add_task("reading calls")
        t0 = time.perf_counter()
        warm = threading.Thread(target=_warm_kernels, name="graphfraud-warm", daemon=True)
        warm.start()
        # The subscribers are read meanwhile too (Arrow frees the GIL): while Numba starts, the
        # scan has only one thread busy.
        side = ThreadPoolExecutor(1, thread_name_prefix="graphfraud-subscribers")
        subs_job = side.submit(read_subscribers, subscribers) if subscribers else None
        side.shutdown(wait=False)
        # A clean CSV goes straight to keys; anything else (and every error) the general reader
        # takes, which raises InputFileError before anything is written.
        scanned = scan_calls_csv(calls)
        read = read_calls(calls) if scanned is None else None
        subs = subs_job.result() if subs_job else None  # its errors are raised here, after the calls'
        warm.join()
        refuse_if_all_quarantined(calls, read, quarantine_path_for(out))
        # ... and a subscribers file of bad rows only, which would leave the scoring without dates
        refuse_if_all_quarantined(subscribers, subs, subscribers_quarantine_path_for(out), "subscriber")
        timings["read+validate"] = time.perf_counter() - t0
        progress.update(task, description="graph")
        t0 = time.perf_counter()
        accepted, quarantined = ((scanned.n_calls, 0) if scanned is not None
                                 else (read.accepted, read.quarantined))  # fmt: skip
        encoded = encode_calls(scanned if scanned is not None else read.table, subs.table if subs else None)
        del scanned  # its keys (320 MB on 10M calls) go back to malloc before the graph's arrays
        graph = assemble_call_graph(encoded)
        del encoded  # the unsorted columns too, before the stages ahead
        repeated = graph.repeated_calls
        timings["graph"] = time.perf_counter() - t0
        result = score_graph(
            graph,
            policy=policy,
            seed=seed,
            local_utc_offset_hours=settings.local_utc_offset_hours,
            step=lambda name: progress.update(task, description=name),
            details=driver is not None,  # only Neo4j (and the API behind it) shows features and words
        )
        del graph
        timings |= result.timings
        progress.update(task, description="writing")
        t0 = time.perf_counter()
        if pseudo is not None:  # computed on the numbers; only the outputs carry tokens
            result = pseudonymized(result, pseudo)
        if driver is not None:  # before anything is written: scores must land on the stored numbers
            from graphfraud.store.kinds import check_number_kind

            check_number_kind(driver, result.numbers["number"], pseudonymized=pseudo is not None)
        try:
            write_score_csvs(result, out)
            q = replace_quarantine(read, quarantine_path_for(out))
            sq = replace_quarantine(subs, subscribers_quarantine_path_for(out))
        except OSError as exc:  # a disk full, a folder gone or locked since the check
            raise OutputFileError(f"{out}: cannot write the scores ({exc})") from exc
        timings["write"] = time.perf_counter() - t0
    if driver is not None:
        from graphfraud.store.writeback import write_scores

        write_scores(driver, result.numbers, result.rings)
    tiers = pc.value_counts(result.numbers["tier"]).to_pylist()
    console.print(f"scored {result.numbers.num_rows:,} callers from {accepted:,} calls "
                  f"({quarantined:,} quarantined{f' → {q}' if q else ''}"
                  f"{f'; {repeated:,} repeated records counted once' if repeated else ''}); "
                  f"{result.rings.num_rows} rings → {out}, {rings_path_for(out)}")  # fmt: skip
    if subs is not None:
        again = f"; {subs.superseded:,} earlier activations of a number gave way to a later one"
        console.print(f"subscribers: {subs.accepted:,} read ({subs.quarantined:,} quarantined"
                      f"{f' → {sq}' if sq else ''}{again if subs.superseded else ''})")  # fmt: skip
    console.print("tiers: " + ", ".join(f"{t['values']} {t['counts']:,}" for t in tiers))
    if 0 < result.span_days < FULL_WINDOW_DAYS:  # scored all the same; the user should know
        console.print(f"note: these calls span {result.span_days:.1f} days; camouflaged rings (a few "
                      "members under an hourly cap, handing victims on hours apart) are found more "
                      f"fully over {FULL_WINDOW_DAYS} days or more (docs/detection.md, 'How many days "
                      "to score')")  # fmt: skip
    console.print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))
