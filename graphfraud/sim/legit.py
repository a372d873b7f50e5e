"""Legitimate one-to-many callers: recruiter, courier, food rider, truck driver, lawyer,
debt collector, telemarketer. Each works in bursts ("sessions"); most also have a private life.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphfraud.sim.calls import WORK, Calls, Day, answered_durations, callbacks
from graphfraud.sim.config import SimConfig, WorkPersona
from graphfraud.sim.ordinary import NEW_SEGMENTS, OLD_SEGMENTS, populated, uniform
from graphfraud.sim.population import K, PopulationBuilder

__all__ = ["WORK_WINDOWS", "Worker", "add_workers", "private_contacts", "work_day"]

# Local hours between which a persona's sessions start.
WORK_WINDOWS = {
    "recruiter": (9.0, 16.0), "courier": (8.0, 17.5), "food_rider": (11.0, 11.5),
    "truck_driver": (7.0, 9.0), "lawyer": (9.0, 10.0), "debt_collector": (9.0, 15.0),
    "telemarketer": (9.0, 15.5),
}  # fmt: skip
WITHOUT_PRIVATE_LIFE = frozenset({"debt_collector", "telemarketer"})


@dataclass
class Worker:
    """Per-entity draws of one work persona (arrays aligned with ``ids``)."""

    persona: str
    spec: WorkPersona
    ids: np.ndarray
    answer: np.ndarray
    duration_median: np.ndarray
    callback: np.ndarray
    targets: list[np.ndarray]  # per entity: the pool its work calls go to
    distinct: bool  # a session calls distinct numbers (else redials from the pool)
    active_day: np.ndarray | None = None  # lawyers ring on one day only
    cities: np.ndarray | None = None  # truck drivers: [n, 2] regions they shuttle between
    desk: np.ndarray | None = None  # desk of each entity (``WorkPersona.team_size``), or none


def private_contacts(
    rng: np.random.Generator, pools: list[np.ndarray], region: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``K`` family/friend contacts per entity among ordinary people of its region."""
    contacts = np.stack([rng.choice(pools[r], K) for r in region])
    return contacts.astype(np.int32), rng.lognormal(0.0, 0.7, size=(len(region), K))


def add_workers(
    b: PopulationBuilder, cfg: SimConfig, ordinary: np.ndarray, pools: list[np.ndarray],
    landlines: np.ndarray,
) -> dict[str, Worker]:
    """Add every work persona of ``cfg.work``; returns their per-entity draws by persona."""
    rng, out = b.rng, {}
    cpr = cfg.cells_per_region
    for persona, spec in cfg.work.items():
        if persona not in WORK_WINDOWS:
            raise ValueError(f"unknown work persona {persona!r}")
        n = cfg.count(spec.per_100k, spec.min_count)
        region = rng.integers(0, cfg.regions, n)
        if persona == "courier":  # two couriers share each delivery area
            region = np.repeat(rng.integers(0, cfg.regions, (n + 1) // 2), 2)[:n]
            region[:] = [r if len(pools[r]) >= 40 else int(np.argmax([len(p) for p in pools]))
                         for r in region]  # fmt: skip
        region = populated(region, pools)
        new = persona == "truck_driver"
        segs = NEW_SEGMENTS if new else OLD_SEGMENTS
        age = spec.activated_days_before or ((3, 14) if new else (200, 2999))
        activated = None
        if spec.number_batch > 1 and n:  # a company's SIM batches: one activation day a batch
            sizes = [min(spec.number_batch, n - at) for at in range(0, n, spec.number_batch)]
            numbers = np.concatenate([b.numbers.block(int(rng.choice(segs)), s) for s in sizes])
            activated = np.repeat(-rng.integers(age[0], age[1] + 1, len(sizes)), sizes)
        else:  # drawn as before batches existed: worlds without them stay as they were
            numbers = np.concatenate([b.numbers.block(int(rng.choice(segs)), 1) for _ in range(n)])
        contacts, weights = private_contacts(rng, pools, region)
        ids = b.add(
            persona, numbers, region=region,
            home_cell=region * cpr + rng.integers(0, cpr, n),
            work_cell=region * cpr + rng.integers(0, cpr, n), imei=b.new_imeis(n),
            activated=-rng.integers(age[0], age[1] + 1, n) if activated is None else activated,
            answer=uniform(rng, (0.8, 0.95), n), duration_median=uniform(rng, (30.0, 120.0), n),
            callback=uniform(rng, (0.4, 0.8), n), contacts=contacts, contact_w=weights,
            life_rate=0.0 if persona in WITHOUT_PRIVATE_LIFE else uniform(rng, (1.5, 5.0), n),
        )  # fmt: skip
        if persona in ("courier", "food_rider"):
            targets = [pools[r] for r in region]
        elif persona == "truck_driver":  # a steady set of clients in two cities
            other = populated(rng.integers(0, cfg.regions, n), pools)
            targets = [np.concatenate([rng.choice(pools[a], 5), rng.choice(pools[c], 5)])
                       [: rng.integers(5, 11)] for a, c in zip(region, other, strict=True)]  # fmt: skip
        elif persona == "lawyer":  # two landlines
            targets = [rng.choice(landlines, 2, replace=False) for _ in range(n)]
        elif persona == "debt_collector":
            targets = [rng.choice(ordinary, int(rng.integers(20, 60))) for _ in range(n)]
        else:  # recruiter and telemarketer: anyone in the country
            targets = [ordinary] * n
        out[persona] = Worker(
            persona, spec, ids, uniform(rng, spec.answer_rate, n),
            uniform(rng, spec.duration_median_s, n), uniform(rng, spec.callback_rate, n),
            targets, distinct=persona not in ("truck_driver", "lawyer", "debt_collector"),
            active_day=rng.integers(0, min(cfg.days, 5), n) if persona == "lawyer" else None,
            cities=np.stack([region, other], 1) if persona == "truck_driver" else None,
        )  # fmt: skip
        if spec.team_size[1] > 1:  # drawn only then: worlds without desks stay as they were
            out[persona].desk = desks(rng, n, spec.team_size)
    return out


def desks(rng: np.random.Generator, n: int, size: tuple[int, int]) -> np.ndarray:
    """Desk index of each of ``n`` colleagues, desks of ``size`` people (the last may be smaller)."""
    desk = np.empty(n, np.int64)
    at = d = 0
    while at < n:
        s = int(rng.integers(size[0], size[1] + 1))
        desk[at : at + s] = d
        at, d = at + s, d + 1
    return desk


def _sessions(day: Day, w: Worker, k: int) -> int:
    lo, hi = w.spec.sessions_per_day
    if w.spec.weekdays_only and day.weekday >= 5:
        return 0
    if w.active_day is not None and w.active_day[k] != day.index:
        return 0
    n = int(day.rng.integers(lo, hi + 1))
    return round(n * w.spec.busy_factor) if day.busy else n


def work_day(day: Day, workers: dict[str, Worker]) -> Calls:
    """One day of work calls of every work persona, and the call-backs they draw."""
    rng = day.rng
    caller, callee, start, answer, median, back = [], [], [], [], [], []

    def emit(who: np.ndarray, to: np.ndarray, t: np.ndarray, ans, med, cb) -> None:
        caller.append(who)
        callee.append(to)
        start.append(t.astype(np.int64))
        answer.append(np.broadcast_to(ans, len(to)).astype(float))
        median.append(np.broadcast_to(med, len(to)).astype(float))
        back.append(np.broadcast_to(cb, len(to)).astype(float))

    for w in workers.values():
        first, last = WORK_WINDOWS[w.persona]
        for k, entity in enumerate(w.ids):
            sessions = _sessions(day, w, k)
            mates = np.zeros(0, np.int64)
            if w.desk is not None:
                mates = np.flatnonzero(w.desk == w.desk[k])
                mates = mates[mates != k]
            if sessions and mates.size:  # colleagues ring each other on a workday
                lo, hi = w.spec.team_calls_per_day
                m = int(rng.integers(lo, hi + 1))
                to = w.ids[rng.choice(mates, m)]
                emit(np.full(m, entity), to, day.times(m, WORK), 0.9, 90.0, 0.5)
            for s in range(sessions):
                pool = w.targets[k]
                c = int(rng.integers(w.spec.calls_per_session[0], w.spec.calls_per_session[1] + 1))
                if w.distinct:
                    c = min(c, len(pool))
                    to = pool[rng.choice(len(pool), c, replace=False)]
                else:
                    to = rng.choice(pool, c)
                # Food riders: the second session is dinner, six hours after lunch.
                s0 = int(day.session_starts(1, first, last)[0]) + s * 6 * 3600 * (
                    w.persona == "food_rider"
                )
                span = rng.uniform(*w.spec.session_minutes) * 60
                t = s0 + np.sort(rng.uniform(0, span, len(to))).astype(np.int64)
                emit(np.full(len(to), entity), to, t, w.answer[k], w.duration_median[k], w.callback[k])
                if mates.size and w.spec.handoff_share > 0:  # a colleague follows some up
                    up = np.flatnonzero(rng.random(len(to)) < w.spec.handoff_share)
                    by = rng.choice(mates, up.size)
                    gap = rng.uniform(*w.spec.handoff_minutes, up.size) * 60
                    emit(w.ids[by], to[up], t[up] + gap.astype(np.int64), w.answer[by],
                         w.duration_median[by], w.callback[by])  # fmt: skip
    if not caller:
        return Calls.empty()
    callee_a = np.concatenate(callee)
    answered = rng.random(len(callee_a)) < np.concatenate(answer)
    duration = answered_durations(rng, np.concatenate(median), answered)
    calls = day.calls(np.concatenate(caller), callee_a, np.concatenate(start), duration)
    return Calls.concat([calls, callbacks(day, calls, np.concatenate(back))])
