"""Assemble a world (:func:`plan_world`), make it day by day, and hand it out in chunks.

Randomness: the population comes from ``default_rng([seed, 0])`` and day ``d`` from
``default_rng([seed, 1, d])``, so the same config and seed always give the same calls.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa

from graphfraud.sim.calls import Calls, Day
from graphfraud.sim.config import SimConfig
from graphfraud.sim.fraud import (
    Farm,
    add_burners,
    add_farms,
    add_spoofers,
    burner_day,
    farm_day,
    spoof_day,
)  # fmt: skip
from graphfraud.sim.legit import Worker, add_workers, work_day
from graphfraud.sim.ordinary import add_landlines, add_ordinary, private_life, region_pools
from graphfraud.sim.population import PERSONAS, Population, PopulationBuilder
from graphfraud.sim.rings import Ring, add_rings, ring_day
from graphfraud.sim.service import (
    add_hotlines,
    add_recycled,
    add_travellers,
    hotline_day,
    routes,
    service_numbers,
)  # fmt: skip
from graphfraud.sim.writer import (
    Format,
    calls_table,
    check_world_folder,
    iso_local,
    subscribers_table,
    truth_table,
    world_files,
    write_calls,
    write_table,
)  # fmt: skip

__all__ = [
    "Plan",
    "World",
    "iter_call_tables",
    "plan_world",
    "simulate_world",
    "write_simulation",
    "write_world",
]  # fmt: skip

CHINA = timezone(timedelta(hours=8))


@dataclass
class Plan:
    """Everything fixed before the first call: who exists and each persona's own draws."""

    cfg: SimConfig
    pop: Population
    t0: int  # epoch seconds of local midnight of the first day
    workers: dict[str, Worker]
    hotlines: np.ndarray
    hotline_rate: np.ndarray
    farms: list[Farm]
    spoofers: np.ndarray
    spoof_per_day: int
    rings: list[Ring]
    burners: np.ndarray
    burner_days: np.ndarray


def plan_world(cfg: SimConfig) -> Plan:
    """Build the population of ``cfg`` (deterministic in ``cfg.seed``)."""
    b = PopulationBuilder(np.random.default_rng([cfg.seed, 0]))
    ordinary = add_ordinary(b, cfg)
    region = b.column("region")
    pools = region_pools(region, ordinary, cfg.regions)
    landlines = add_landlines(b, cfg)
    workers = add_workers(b, cfg, ordinary, pools, landlines)
    travellers = add_travellers(b, cfg, pools)
    if "debt_collector" in workers:
        add_recycled(b, cfg, pools, workers["debt_collector"])
    service = service_numbers(b.rng)
    hotlines, hotline_rate = add_hotlines(b, cfg, service)
    farms = add_farms(b, cfg)
    spoofers, spoof_per_day = add_spoofers(b, cfg, service[len(hotlines) :])
    rings = add_rings(b, cfg, pools)
    burners, burner_days = add_burners(b, cfg)
    pop = b.build()
    pop.extra["life_ids"] = np.flatnonzero(pop.life_rate > 0).astype(np.int32)
    numbers = pop.number[ordinary].astype(np.int64)
    pop.extra["ordinary_by_number"] = ordinary[np.argsort(numbers, kind="stable")]
    routes(pop, cfg, travellers, workers.get("truck_driver"))
    t0 = int(datetime(*cfg.start_date.timetuple()[:3], tzinfo=CHINA).timestamp())
    return Plan(cfg, pop, t0, workers, hotlines, hotline_rate, farms, spoofers, spoof_per_day,
                rings, burners, burner_days)  # fmt: skip


def day_calls(plan: Plan, index: int) -> Calls:
    """Every call made on day ``index`` (call-backs may run past midnight), in no set order."""
    cfg, pop = plan.cfg, plan.pop
    current = cfg.start_date + timedelta(days=index)
    busy = cfg.holiday is not None and 0 < (cfg.holiday - current).days <= 5
    day = Day(pop, plan.t0, index, np.random.default_rng([cfg.seed, 1, index]),
              current.weekday(), busy)  # fmt: skip
    ordinary = pop.groups["ordinary"]
    parts = [
        private_life(day, cfg),
        work_day(day, plan.workers),
        hotline_day(day, plan.hotlines, plan.hotline_rate, ordinary),
        farm_day(day, cfg, plan.farms),
        spoof_day(day, cfg, plan.spoofers, plan.spoof_per_day),
        ring_day(day, cfg, plan.rings),
        burner_day(day, cfg, plan.burners, plan.burner_days),
    ]
    calls = Calls.concat(parts)
    end = plan.t0 + 86_400 * cfg.days
    inside = (calls.start < end) & (calls.caller != calls.callee)
    return calls.take(np.flatnonzero(inside)[day.rng.permutation(int(inside.sum()))])


def iter_call_tables(
    plan: Plan, fmt: Format = "csv", tally: np.ndarray | None = None
) -> Iterator[pa.Table]:
    """Call tables one day at a time, shuffled; a share of each day arrives with the next one.

    ``tally``, if given (shape [len(PERSONAS), 3]), gains per persona: calls made, calls
    received, answered calls made.
    """
    rng = np.random.default_rng([plan.cfg.seed, 2])
    held = Calls.empty()
    for index in range(plan.cfg.days):
        calls = day_calls(plan, index)
        if tally is not None:
            size = len(PERSONAS)
            made = plan.pop.persona[calls.caller]
            tally[:, 0] += np.bincount(made, minlength=size)
            tally[:, 1] += np.bincount(plan.pop.persona[calls.callee], minlength=size)
            tally[:, 2] += np.bincount(made, weights=calls.duration > 0, minlength=size).astype(
                np.int64
            )
        late = int(len(calls) * plan.cfg.unordered_spill)
        merged = Calls.concat([held, calls.take(np.arange(len(calls) - late))])
        merged = merged.take(rng.permutation(len(merged)))
        held = calls.take(np.arange(len(calls) - late, len(calls)))
        yield calls_table(plan.pop, merged, fmt)
    if len(held):
        yield calls_table(plan.pop, held, fmt)


@dataclass
class World:
    """A simulated world in memory: contract tables plus the ground truth."""

    config: SimConfig
    calls: pa.Table  # caller, callee, start_time (timestamp +08:00), duration_s, cell_id, imei
    subscribers: pa.Table  # number, activated_on
    truth: pa.Table  # number, persona, fraud (0/1), ring ("" when in none)
    seconds: float = 0.0
    plan: Plan | None = field(default=None, repr=False)


def simulate_world(config: SimConfig | None = None) -> World:
    """Simulate a whole world in memory (for tests, notebooks and benches: small worlds).

    >>> world = simulate_world(SimConfig(people=1000, days=1))
    >>> world.calls.column_names[:3]
    ['caller', 'callee', 'start_time']
    """
    cfg = config or SimConfig()
    began = time.perf_counter()
    plan = plan_world(cfg)
    calls = pa.concat_tables(list(iter_call_tables(plan, "parquet")))
    return World(cfg, calls, subscribers_table(plan.pop, cfg.start_date),
                 truth_table(plan.pop), time.perf_counter() - began, plan)  # fmt: skip


def write_world(world: World, out_dir: Path | str, fmt: Format = "csv") -> dict[str, Path]:
    """Write an in-memory world; the same bytes as :func:`write_simulation` of its config.

    As there, a failed write leaves ``out_dir`` as it was (see :func:`world_files`).
    """
    calls = world.calls
    if fmt == "csv":
        epoch = calls["start_time"].cast(pa.int64()).to_numpy()
        calls = calls.set_column(2, "start_time", iso_local(epoch))
    batches = calls.to_batches(max_chunksize=1 << 20)
    with world_files(Path(out_dir), fmt) as files:
        write_calls((pa.Table.from_batches([b]) for b in batches), files.staged["calls"], fmt)
        write_table(world.subscribers, files.staged["subscribers"])
        write_table(world.truth, files.staged["truth"])
    return files.paths


def write_simulation(cfg: SimConfig, out_dir: Path | str, fmt: Format = "csv") -> dict[str, object]:
    """Simulate ``cfg`` and stream it to ``out_dir`` chunk by chunk (bounded memory).

    Returns the paths, the number of calls, the seconds taken, a per-persona summary and the
    calls file of the other format that the new world replaced (``removed``, a list). A folder
    that cannot be written is an :class:`~graphfraud.errors.OutputFileError` before any work; a
    failed run leaves ``out_dir`` as it was (see :func:`world_files`).
    """
    began = time.perf_counter()
    out_dir = Path(out_dir)
    check_world_folder(out_dir)
    plan = plan_world(cfg)
    tally = np.zeros((len(PERSONAS), 3), np.int64)
    with world_files(out_dir, fmt) as files:
        rows = write_calls(iter_call_tables(plan, fmt, tally), files.staged["calls"], fmt)
        write_table(subscribers_table(plan.pop, cfg.start_date), files.staged["subscribers"])
        write_table(truth_table(plan.pop), files.staged["truth"])
    numbers = np.bincount(plan.pop.persona, minlength=len(PERSONAS))
    summary = {p: {"numbers": int(numbers[k]), "calls_made": int(tally[k, 0]),
                   "calls_received": int(tally[k, 1]), "answered_made": int(tally[k, 2])}
               for k, p in enumerate(PERSONAS)}  # fmt: skip
    return {"paths": files.paths, "calls": rows, "seconds": time.perf_counter() - began,
            "summary": summary, "removed": files.removed}  # fmt: skip

