"""Service hotlines, travellers' and truck drivers' routes, recycled numbers.

Hotlines (legitimate 95xxx) have no device and no cell, like spoofed ones; what tells them apart
is that very many people call *them*, and they call back the customers who called.
"""

from __future__ import annotations

import numpy as np

from graphfraud.sim.calls import SOCIAL, Calls, Day, answered_durations, callbacks
from graphfraud.sim.config import SimConfig
from graphfraud.sim.legit import Worker, private_contacts
from graphfraud.sim.ordinary import OLD_SEGMENTS, populated, uniform
from graphfraud.sim.population import Population, PopulationBuilder

__all__ = [
    "add_hotlines", "add_recycled", "add_travellers", "hotline_day", "routes", "service_numbers",
]  # fmt: skip


def service_numbers(rng: np.random.Generator) -> np.ndarray:
    """All 5-digit 95xxx numbers in random order; hotlines and spoofers take disjoint slices."""
    return rng.permutation(np.arange(95_000, 96_000))


def add_hotlines(
    b: PopulationBuilder, cfg: SimConfig, numbers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Add hotlines; returns their ids and their inbound calls a day per ordinary person."""
    rng, hc = b.rng, cfg.hotline
    n = min(cfg.count(hc.per_100k, hc.min_count), len(numbers))
    ids = b.add(
        "hotline", numbers[:n], activated=-rng.integers(1000, 5000, n),
        answer=uniform(rng, hc.answer_rate, n), duration_median=uniform(rng, hc.duration_median_s, n),
        callback=uniform(rng, hc.callback_share, n),
    )  # fmt: skip
    return ids, uniform(rng, hc.calls_in_per_person_day, n)


def add_travellers(
    b: PopulationBuilder, cfg: SimConfig, pools: list[np.ndarray]
) -> np.ndarray:
    """Ordinary-looking people on a trip: their cells cross regions."""
    rng, cpr = b.rng, cfg.cells_per_region
    n = cfg.count(cfg.travellers_per_100k, 2)
    region = populated(rng.integers(0, cfg.regions, n), pools)
    contacts, weights = private_contacts(rng, pools, region)
    numbers = np.concatenate([b.numbers.block(int(rng.choice(OLD_SEGMENTS)), 1) for _ in range(n)])
    return b.add(
        "traveller", numbers, region=region, home_cell=region * cpr + rng.integers(0, cpr, n),
        work_cell=region * cpr + rng.integers(0, cpr, n), imei=b.new_imeis(n),
        activated=-rng.integers(100, 3000, n), answer=uniform(rng, (0.75, 0.95), n),
        callback=uniform(rng, (0.4, 0.8), n), life_rate=uniform(rng, (2.0, 6.0), n),
        contacts=contacts, contact_w=weights,
    )  # fmt: skip


def add_recycled(
    b: PopulationBuilder, cfg: SimConfig, pools: list[np.ndarray], collectors: Worker
) -> np.ndarray:
    """New owners of recycled numbers; the previous owner's debt collector keeps calling."""
    rng, cpr = b.rng, cfg.cells_per_region
    n = cfg.count(cfg.recycled_per_100k, 2)
    region = populated(rng.integers(0, cfg.regions, n), pools)
    contacts, weights = private_contacts(rng, pools, region)
    numbers = np.concatenate([b.numbers.block(int(rng.choice(OLD_SEGMENTS)), 1) for _ in range(n)])
    ids = b.add(
        "recycled_number", numbers, region=region,
        home_cell=region * cpr + rng.integers(0, cpr, n),
        work_cell=region * cpr + rng.integers(0, cpr, n), imei=b.new_imeis(n),
        activated=-rng.integers(5, 60, n), answer=uniform(rng, (0.3, 0.6), n),
        callback=uniform(rng, (0.0, 0.2), n), life_rate=uniform(rng, (1.5, 5.0), n),
        contacts=contacts, contact_w=weights,
    )  # fmt: skip
    owner = rng.integers(0, len(collectors.ids), n)
    for k in range(len(collectors.ids)):  # redialled 3x as often as an ordinary debtor
        mine = ids[owner == k]
        collectors.targets[k] = np.concatenate([collectors.targets[k], np.repeat(mine, 3)])
    return ids


def routes(
    pop: Population, cfg: SimConfig, travellers: np.ndarray, trucks: Worker | None
) -> None:
    """Fill ``pop.extra['travel_route']`` [slot, day, quarter-day] → cell, and the slot per entity."""
    rng = np.random.default_rng([cfg.seed, 7])
    cpr, days = cfg.cells_per_region, cfg.days + 1
    truck_ids = trucks.ids if trucks is not None else np.empty(0, np.int32)
    n_t = len(travellers)
    route = np.empty((n_t + len(truck_ids), days, 4), np.int32)
    quarter = np.arange(days * 4).reshape(days, 4)
    for k, who in enumerate(travellers):  # a trip through 3–6 regions and home again
        stops = np.concatenate([[pop.region[who]], rng.integers(0, cfg.regions, rng.integers(3, 7)),
                                [pop.region[who]]])  # fmt: skip
        stage = quarter * len(stops) // (days * 4)
        route[k] = stops[stage] * cpr + rng.integers(0, cpr, (days, 4))
    for k in range(len(truck_ids)):  # mornings in one city, afternoons in the other
        a, c = trucks.cities[k]
        city = np.where((np.arange(days)[:, None] + (np.arange(4) >= 2)) % 2 == 0, a, c)
        route[n_t + k] = city * cpr + rng.integers(0, cpr, (days, 4))
    slot = np.full(len(pop), -1, np.int32)
    slot[travellers] = np.arange(n_t)
    slot[truck_ids] = n_t + np.arange(len(truck_ids))
    pop.extra["travel_route"] = route
    pop.extra["travel_slot"] = slot


def hotline_day(day: Day, hotlines: np.ndarray, rate: np.ndarray, customers: np.ndarray) -> Calls:
    """Customers call each hotline; the hotline calls a share of them back later."""
    rng = day.rng
    n = rng.poisson(rate * len(customers))
    line = np.repeat(hotlines, n)
    caller = rng.choice(customers, len(line))
    start = day.times(len(line), SOCIAL)
    answered = day.answer(line)
    duration = answered_durations(rng, day.pop.duration_median[line], answered)
    calls = day.calls(caller, line, start, duration)
    # The hotline returns calls: the "callback" share belongs to the hotline (the callee here).
    back = callbacks(day, calls, day.pop.callback[line])
    return Calls.concat([calls, back])
