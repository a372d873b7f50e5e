"""Fraud: SIM-box farms, spoofed 95xxx caller ids, lone burner SIMs.

Camouflaged rings live in :mod:`graphfraud.sim.rings`. Fraud works office hours too: fraudsters
know the carriers' rules and game them, so time of day alone does not give them away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphfraud.sim.calls import WORK, Calls, Day, answered_durations, callbacks
from graphfraud.sim.config import SimConfig
from graphfraud.sim.ordinary import NEW_SEGMENTS, OLD_SEGMENTS
from graphfraud.sim.population import NO_SUB, PopulationBuilder

__all__ = ["Farm", "add_burners", "add_farms", "add_spoofers", "burner_day", "farm_day",
           "spoof_day"]  # fmt: skip

FARM_SEGMENTS = (165, 167, 170, 171, *NEW_SEGMENTS)


@dataclass
class Farm:
    """One SIM-box farm: ``sims[d * per_day : (d + 1) * per_day]`` dial on day ``d``."""

    sims: np.ndarray
    per_day: int
    answer: float
    duration_median: float
    callback: float


def add_farms(b: PopulationBuilder, cfg: SimConfig) -> list[Farm]:
    """Farms with one batch of consecutive numbers each, spread over a few devices at one cell."""
    rng, fc, farms = b.rng, cfg.farm, []
    for k in range(cfg.count(fc.per_100k, fc.min_count)):
        ring = b.new_ring(f"farm-{k + 1}")
        devices = b.new_imeis(int(rng.integers(fc.devices[0], fc.devices[1] + 1)))
        per_day = max(6, round(rng.integers(fc.sims_per_day[0], fc.sims_per_day[1] + 1)
                               * cfg.scale))  # fmt: skip
        n = per_day * cfg.days
        numbers = b.numbers.block(int(rng.choice(FARM_SEGMENTS)), n, max_gap=1)
        region = int(rng.integers(0, cfg.regions))
        cell = region * cfg.cells_per_region + int(rng.integers(0, cfg.cells_per_region))
        lo, hi = fc.activated_days_before
        ids = b.add(
            "farm_sim", numbers, ring=ring, region=region, home_cell=cell, work_cell=cell,
            imei=devices[np.arange(n) % len(devices)], activated=-int(rng.integers(lo, hi + 1)),
            answer=0.05, callback=0.0,
        )  # fmt: skip
        farms.append(Farm(ids, per_day, float(rng.uniform(*fc.answer_rate)),
                          float(rng.uniform(*fc.duration_median_s)),
                          float(rng.uniform(*fc.callback_rate))))  # fmt: skip
    return farms


def _purchased_list(
    rng: np.random.Generator, by_number: np.ndarray, size: int, block_share: float,
    block_len: tuple[int, int],
) -> np.ndarray:
    """A bought list: blocks of consecutive subscriber numbers, plus scattered ones."""
    parts, total = [], 0
    while total < block_share * size:
        length = int(rng.integers(block_len[0], block_len[1] + 1))
        first = int(rng.integers(0, max(1, len(by_number) - length)))
        parts.append(by_number[first : first + length])
        total += len(parts[-1])
    parts.append(rng.choice(by_number, max(0, size - total)))
    return np.concatenate(parts)[:size]


def farm_day(day: Day, cfg: SimConfig, farms: list[Farm]) -> Calls:
    """Each farm dials down its purchased lists with today's SIMs, 30 minutes a session."""
    rng, fc, out = day.rng, cfg.farm, []
    by_number = day.pop.extra["ordinary_by_number"]
    for farm in farms:
        sims = farm.sims[day.index * farm.per_day : (day.index + 1) * farm.per_day]
        for _ in range(int(rng.integers(fc.sessions_per_day[0], fc.sessions_per_day[1] + 1))):
            size = round(rng.integers(fc.calls_per_session[0], fc.calls_per_session[1] + 1)
                         * cfg.scale)  # fmt: skip
            size = min(max(size, 200), len(by_number) // 2)
            to = _purchased_list(rng, by_number, size, fc.block_share, fc.block_len)
            span = rng.uniform(*fc.session_minutes) * 60
            start = day.session_starts(1, 9.0, 17.5)[0] + rng.uniform(0, span, size).astype(np.int64)
            answered = np.zeros(size, bool)  # exactly the farm's answer rate
            answered[rng.choice(size, round(farm.answer * size), replace=False)] = True
            duration = answered_durations(rng, np.full(size, farm.duration_median), answered)
            out.append(day.calls(rng.choice(sims, size), to, start, duration))
    calls = Calls.concat(out)
    back = _farm_callback(calls, farms)
    return Calls.concat([calls, callbacks(day, calls, back, answered_only=True)])


def _farm_callback(calls: Calls, farms: list[Farm]) -> np.ndarray:
    rate = np.zeros(len(calls), np.float32)
    for farm in farms:
        rate[np.isin(calls.caller, farm.sims)] = farm.callback
    return rate


def add_spoofers(
    b: PopulationBuilder, cfg: SimConfig, numbers: np.ndarray
) -> tuple[np.ndarray, int]:
    """Spoofed 95xxx ids, ``per_day`` a day, each alive one day; no device, cell or subscription.

    Returns the ids and ``per_day``.
    """
    per_day = cfg.count(cfg.spoof.per_100k_per_day, cfg.spoof.min_count)
    n = min(per_day * cfg.days, len(numbers))
    ids = b.add("spoofed_95", numbers[:n], activated=NO_SUB, answer=0.0)
    return ids, per_day


def spoof_day(day: Day, cfg: SimConfig, spoofers: np.ndarray, per_day: int) -> Calls:
    """Today's spoofed ids each ring random targets for an hour or few."""
    rng, sc, out = day.rng, cfg.spoof, []
    ordinary = day.pop.groups["ordinary"]
    for who in spoofers[day.index * per_day : (day.index + 1) * per_day]:
        n = int(rng.integers(sc.calls[0], sc.calls[1] + 1))
        span = rng.uniform(*sc.session_minutes) * 60
        start = day.session_starts(1, 9.0, 16.0)[0] + rng.uniform(0, span, n).astype(np.int64)
        answered = rng.random(n) < rng.uniform(*sc.answer_rate)
        median = np.full(n, rng.uniform(*sc.duration_median_s))
        out.append(day.calls(np.full(n, who), rng.choice(ordinary, n), start,
                             answered_durations(rng, median, answered)))  # fmt: skip
    return Calls.concat(out)


def add_burners(b: PopulationBuilder, cfg: SimConfig) -> tuple[np.ndarray, np.ndarray]:
    """Lone burner SIMs, some starting each day; each lives one or two days.

    Returns the ids and their [first, last] active day, shape [n, 2].
    """
    rng, bc = b.rng, cfg.burner
    per_day = cfg.count(bc.per_100k_per_day, bc.min_count)
    n = per_day * cfg.days
    first_day = np.repeat(np.arange(cfg.days), per_day)
    segs = (*NEW_SEGMENTS, *OLD_SEGMENTS[:5])
    numbers = np.concatenate([b.numbers.block(int(rng.choice(segs)), 1) for _ in range(n)])
    region = rng.integers(0, cfg.regions, n)
    cell = region * cfg.cells_per_region + rng.integers(0, cfg.cells_per_region, n)
    two = rng.integers(bc.imeis[0], bc.imeis[1] + 1, n) > 1
    lo, hi = bc.activated_days_before
    ids = b.add(
        "burner", numbers, region=region, home_cell=cell, work_cell=cell, imei=b.new_imeis(n),
        imei_alt=np.where(two, b.new_imeis(n), -1), alt_p=np.where(two, 0.4, 0.0),
        activated=first_day - rng.integers(lo, hi + 1, n), answer=0.1,
    )  # fmt: skip
    return ids, np.stack([first_day, first_day + rng.integers(0, 2, n)], 1)


def burner_day(day: Day, cfg: SimConfig, burners: np.ndarray, days: np.ndarray) -> Calls:
    """Burners alive today cold-call strangers through office hours."""
    rng, bc = day.rng, cfg.burner
    alive = burners[(days[:, 0] <= day.index) & (day.index <= days[:, 1])]
    n = rng.integers(bc.calls_per_day[0], bc.calls_per_day[1] + 1, len(alive))
    caller = np.repeat(alive, n)
    callee = rng.choice(day.pop.groups["ordinary"], len(caller))
    answered = rng.random(len(caller)) < np.repeat(rng.uniform(*bc.answer_rate, len(alive)), n)
    median = np.repeat(rng.uniform(*bc.duration_median_s, len(alive)), n)
    start = day.times(len(caller), WORK)
    return day.calls(caller, callee, start, answered_durations(rng, median, answered))
