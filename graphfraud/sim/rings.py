"""Camouflaged fraud rings: members look social, stay under hourly caps, and hand each victim
from one member to the next ("customer service" → "police" → "bank") within hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphfraud.sim.calls import WORK, Calls, Day, answered_durations, callbacks
from graphfraud.sim.config import SimConfig
from graphfraud.sim.legit import private_contacts
from graphfraud.sim.ordinary import OLD_SEGMENTS, populated, uniform
from graphfraud.sim.population import PopulationBuilder

__all__ = ["Ring", "add_rings", "cap_hourly", "ring_day"]


@dataclass
class Ring:
    """One camouflaged ring: its members and mules (entity ids) and its per-ring draws."""

    members: np.ndarray
    mules: np.ndarray
    answer: float
    duration_median: float


def add_rings(b: PopulationBuilder, cfg: SimConfig, pools: list[np.ndarray]) -> list[Ring]:
    """Rings of members (1–3 devices each, based in one region) and their mules."""
    rng, rc, rings = b.rng, cfg.ring, []
    cpr = cfg.cells_per_region
    for k in range(cfg.count(rc.per_100k, rc.min_count)):
        ring = b.new_ring(f"ring-{k + 1}")
        region = int(populated(rng.integers(0, cfg.regions), pools))
        m = int(rng.integers(rc.members[0], rc.members[1] + 1))
        numbers = np.concatenate(
            [b.numbers.block(int(rng.choice(OLD_SEGMENTS)), 1) for _ in range(m)]
        )
        devices = rng.integers(rc.imeis_per_member[0], rc.imeis_per_member[1] + 1, m)
        lo, hi = rc.activated_days_before
        members = b.add(
            "ring_member", numbers, ring=ring, region=region,
            home_cell=region * cpr + rng.integers(0, cpr, m),
            work_cell=region * cpr + rng.integers(0, cpr, m), imei=b.new_imeis(m),
            imei_alt=np.where(devices > 1, b.new_imeis(m), -1),
            alt_p=np.where(devices > 1, 0.35, 0.0), activated=-rng.integers(lo, hi + 1, m),
            answer=0.9, duration_median=uniform(rng, (30.0, 150.0), m), callback=0.6,
        )  # fmt: skip
        u = int(rng.integers(rc.mules[0], rc.mules[1] + 1))
        contacts, weights = private_contacts(rng, pools, np.full(u, region))
        mule_numbers = np.concatenate(
            [b.numbers.block(int(rng.choice(OLD_SEGMENTS)), 1) for _ in range(u)]
        )
        mules = b.add(
            "mule", mule_numbers, ring=ring, region=region,
            home_cell=region * cpr + rng.integers(0, cpr, u),
            work_cell=region * cpr + rng.integers(0, cpr, u), imei=b.new_imeis(u),
            activated=-rng.integers(100, 2000, u), answer=0.9, callback=0.5,
            life_rate=uniform(rng, (1.0, 3.0), u), contacts=contacts, contact_w=weights,
        )  # fmt: skip
        rings.append(Ring(members, mules, float(rng.uniform(*rc.answer_rate)),
                          float(rng.uniform(*rc.duration_median_s))))  # fmt: skip
    return rings


def cap_hourly(caller: np.ndarray, start: np.ndarray, priority: np.ndarray, cap: int) -> np.ndarray:
    """Mask keeping at most ``cap`` calls per caller and clock hour, lowest ``priority`` first."""
    hour = start // 3600
    order = np.lexsort((priority, hour, caller))
    c, h = caller[order], hour[order]
    new_group = np.ones(len(order), bool)
    new_group[1:] = (c[1:] != c[:-1]) | (h[1:] != h[:-1])
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(order)), 0))
    keep = np.empty(len(order), bool)
    keep[order] = (np.arange(len(order)) - group_start) < cap
    return keep


def ring_day(day: Day, cfg: SimConfig, rings: list[Ring]) -> Calls:
    """Social camouflage, victim hand-offs and cold calls of every ring, capped per hour."""
    rng, rc = day.rng, cfg.ring
    ordinary = day.pop.groups["ordinary"]
    caller, callee, start, prio, median, answer = [], [], [], [], [], []

    def emit(a: np.ndarray, b: np.ndarray, t: np.ndarray, p: int, med: float, ans: float) -> None:
        caller.append(a)
        callee.append(b)
        start.append(t.astype(np.int64))
        prio.append(np.full(len(a), p))
        median.append(np.full(len(a), med))
        answer.append(np.full(len(a), ans))

    for ring in rings:
        social = np.concatenate([ring.members, ring.mules])
        # 1. Hand-offs: each victim is rung by a chain of members, hours apart.
        for _ in range(int(rng.integers(rc.victims_per_day[0], rc.victims_per_day[1] + 1))):
            victim = rng.choice(ordinary)
            length = min(len(ring.members), int(rng.integers(rc.chain_length[0],
                                                             rc.chain_length[1] + 1)))  # fmt: skip
            chain = rng.choice(ring.members, length, replace=False)
            gaps = np.concatenate([[0.0], rng.uniform(*rc.handoff_minutes, length - 1) * 60])
            t = day.session_starts(1, 9.0, 14.0)[0] + np.cumsum(gaps)
            emit(chain, np.full(length, victim), t, 0, ring.duration_median, ring.answer)
        # 2. Camouflage: members ring each other and the mules.
        n = rng.integers(rc.social_calls_per_day[0], rc.social_calls_per_day[1] + 1,
                         len(ring.members))  # fmt: skip
        a = np.repeat(ring.members, n)
        b = rng.choice(social, len(a))
        keep = a != b
        emit(a[keep], b[keep], day.times(int(keep.sum()), WORK), 1, 90.0, 0.9)
        # 3. Cold calls to strangers.
        n = rng.integers(rc.cover_calls_per_day[0], rc.cover_calls_per_day[1] + 1,
                         len(ring.members))  # fmt: skip
        a = np.repeat(ring.members, n)
        emit(a, rng.choice(ordinary, len(a)), day.times(len(a), WORK), 2,
             ring.duration_median, ring.answer * 0.8)  # fmt: skip
    if not caller:
        return Calls.empty()
    caller_a, start_a = np.concatenate(caller), np.concatenate(start)
    keep = cap_hourly(caller_a, start_a, np.concatenate(prio), rc.hourly_cap)
    callee_a = np.concatenate(callee)[keep]
    answered = rng.random(len(callee_a)) < np.concatenate(answer)[keep]
    duration = answered_durations(rng, np.concatenate(median)[keep], answered)
    calls = day.calls(caller_a[keep], callee_a, start_a[keep], duration)
    # Some answered victims ring back; mules return members' calls (members never exceed caps).
    mules = np.concatenate([r.mules for r in rings])
    members = np.concatenate([r.members for r in rings])
    to_mule = np.isin(calls.callee, mules)
    to_victim = ~to_mule & ~np.isin(calls.callee, members)
    rate = np.where(to_mule, 0.4, 0.0) + to_victim * rc.victim_callback_rate
    return Calls.concat([calls, callbacks(day, calls, rate, answered_only=True)])
