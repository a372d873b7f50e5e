"""Ordinary subscribers and their private lives: overlapping circles that call each other back.

Households, friend circles and workplaces are windows over region-sorted orderings of the
people, so circles overlap, are mostly local, and are symmetric (if you are my friend I am yours).
"""

from __future__ import annotations

import numpy as np

from graphfraud.sim.calls import SOCIAL, Calls, Day, answered_durations, callbacks
from graphfraud.sim.config import SimConfig
from graphfraud.sim.population import K, PopulationBuilder

__all__ = ["add_landlines", "add_ordinary", "populated", "private_life", "region_pools", "uniform"]

# Mobile segments of established numbers; 191/193 are the new segments.
OLD_SEGMENTS = (130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155,
                156, 157, 158, 159, 180, 182, 183, 185, 186, 187, 188, 189)  # fmt: skip
NEW_SEGMENTS = (191, 193)
AREA_CODES = ("010", "020", "021", "022", "023", "024", "025", "027", "028", "029",
              "0571", "0755", "0512", "0731", "0531", "0371")  # fmt: skip
FRIEND_OFFSETS = (-3, -2, -1, 1, 2, 3)
FRIEND_WEIGHTS = (1.0, 2.0, 3.0, 3.0, 2.0, 1.0)
COLLEAGUE_OFFSETS = (-2, -1, 1, 2)
_SLICE = 1_000_000  # calls per vectorised slice: bounds the [calls, K] temporaries


def uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> np.ndarray:
    """Per-entity draws uniform within ``bounds`` (float)."""
    return rng.uniform(bounds[0], bounds[1], n)


def _numbers(b: PopulationBuilder, n: int, segments: tuple[int, ...]) -> np.ndarray:
    """``n`` numbers in runs of a few hundred to a few thousand, a gap of 1–3 inside a run."""
    rng, out, left = b.rng, [], n
    while left > 0:
        run = min(left, int(rng.integers(200, 5000)))
        out.append(b.numbers.block(int(rng.choice(segments)), run, max_gap=3))
        left -= run
    return np.concatenate(out)


def _neighbours(order: np.ndarray, offsets: tuple[int, ...]) -> np.ndarray:
    """For each person, the people ``offsets`` away in ``order`` (circular). Shape [n, len]."""
    n = len(order)
    pos = np.empty(n, np.int64)
    pos[order] = np.arange(n)
    return np.stack([order[(pos + o) % n] for o in offsets], axis=1)


def add_ordinary(b: PopulationBuilder, cfg: SimConfig) -> np.ndarray:
    """Add ``cfg.people`` ordinary subscribers with their circles; returns their entity ids."""
    rng, oc, n = b.rng, cfg.ordinary, cfg.people
    region = rng.choice(cfg.regions, size=n, p=rng.dirichlet(np.full(cfg.regions, 3.0)))
    by_region = [np.lexsort((rng.random(n), region)) for _ in range(3)]
    # Households: consecutive runs in the first region-sorted ordering.
    sizes = rng.integers(oc.family_size[0], oc.family_size[1] + 1, size=n)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n) + 1]
    hh_of_pos = np.repeat(np.arange(len(sizes)), sizes)[:n]
    hh_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])[hh_of_pos]
    hh_size = np.minimum(sizes[hh_of_pos], n - hh_start)
    pos = np.arange(n)
    fam = np.stack([by_region[0][hh_start + (pos - hh_start + k) % hh_size] for k in (1, 2)], 1)
    fam_w = np.stack([hh_size > 1, hh_size > 2], 1) * 6.0
    family = np.empty_like(fam)
    family[by_region[0]] = fam
    family_w = np.empty_like(fam_w)
    family_w[by_region[0]] = fam_w
    head = np.empty(n, np.int64)
    head[by_region[0]] = by_region[0][hh_start]
    contacts = np.concatenate(
        [family, _neighbours(by_region[1], FRIEND_OFFSETS),
         _neighbours(by_region[2], COLLEAGUE_OFFSETS)], axis=1,
    ).astype(np.int32)  # fmt: skip
    weights = np.concatenate(
        [family_w, np.broadcast_to(FRIEND_WEIGHTS, (n, 6)), np.full((n, 4), 1.5)], axis=1
    ) * rng.lognormal(0.0, 0.7, size=(n, K))
    assert contacts.shape[1] == K
    new = rng.random(n) < oc.new_segment_share
    numbers = np.empty(n, np.int64)
    numbers[~new] = _numbers(b, int((~new).sum()), OLD_SEGMENTS)
    numbers[new] = _numbers(b, int(new.sum()), NEW_SEGMENTS)
    activated = np.where(new, -rng.integers(1, 30, n), -rng.integers(60, 3650, n))
    imei = b.new_imeis(n)
    sharer = (rng.random(n) < oc.shared_phone_share) & (hh_size[np.argsort(by_region[0])] > 1)
    sharer &= head != np.arange(n)
    cpr = cfg.cells_per_region
    ids = b.add(
        "ordinary", numbers, region=region,
        home_cell=region * cpr + rng.integers(0, cpr, n),
        work_cell=region * cpr + rng.integers(0, cpr, n),
        imei=imei, imei_alt=np.where(sharer, imei[head], -1),
        alt_p=np.where(sharer, oc.shared_phone_use, 0.0), activated=activated,
        answer=uniform(rng, oc.answer_rate, n),
        duration_median=uniform(rng, oc.duration_median_s, n),
        callback=uniform(rng, oc.callback_rate, n),
        life_rate=uniform(rng, oc.calls_per_day, n), contacts=contacts, contact_w=weights,
    )  # fmt: skip
    return ids


def add_landlines(b: PopulationBuilder, cfg: SimConfig) -> np.ndarray:
    """Office and clinic landlines (0-prefixed, 11–12 digits): called, never calling out."""
    rng = b.rng
    n = cfg.count(cfg.ordinary.landlines_per_100k, 4)
    area = rng.integers(0, len(AREA_CODES), n)
    local = rng.integers(20_000_000, 89_000_000) + np.arange(n) * 97
    numbers = [f"{AREA_CODES[a]}{x:08d}" for a, x in zip(area, local, strict=True)]
    return b.add(
        "landline", numbers, region=area % cfg.regions,
        answer=uniform(rng, (0.7, 0.95), n), duration_median=uniform(rng, (60.0, 200.0), n),
    )  # fmt: skip


def region_pools(region: np.ndarray, ids: np.ndarray, regions: int) -> list[np.ndarray]:
    """Entity ids of ``ids`` grouped by region (a list indexed by region)."""
    order = np.argsort(region[ids], kind="stable")
    bounds = np.searchsorted(region[ids][order], np.arange(regions + 1))
    return [ids[order[bounds[r] : bounds[r + 1]]] for r in range(regions)]


def populated(region: np.ndarray | int, pools: list[np.ndarray]) -> np.ndarray:
    """``region`` with every region whose pool is empty replaced by the most populous one.

    A small world leaves some regions without ordinary people, and whoever lived there would
    have nobody to befriend or call. No random numbers are drawn, so a world in which nobody
    lands in an empty region comes out exactly as it did before this remedy.
    """
    sizes = np.array([len(p) for p in pools])
    return np.where(sizes[region] > 0, region, int(np.argmax(sizes)))


def private_life(day: Day, cfg: SimConfig) -> Calls:
    """One day of private calls of everyone with a private life, with call-backs of missed ones."""
    pop, rng = day.pop, day.rng
    life = pop.extra["life_ids"]
    factor = 1.15 if day.weekday >= 5 else 1.0
    caller = np.repeat(life, rng.poisson(pop.life_rate[life] * factor))
    callee = np.empty_like(caller)
    for lo in range(0, len(caller), _SLICE):
        c = caller[lo : lo + _SLICE]
        u = rng.random(len(c)).astype(np.float32)
        slot = np.minimum((pop.contact_cdf[c] < u[:, None]).sum(axis=1), K - 1)
        callee[lo : lo + _SLICE] = pop.contacts[c, slot]
    swap = rng.random(len(caller)) < 0.5  # half the time the contact is the one who calls
    caller, callee = np.where(swap, callee, caller), np.where(swap, caller, callee)
    landlines = pop.groups["landline"]
    to_landline = rng.random(len(caller)) < cfg.ordinary.landline_call_share
    callee[to_landline] = rng.choice(landlines, int(to_landline.sum()))
    start = day.times(len(caller), SOCIAL)
    answered = day.answer(callee)
    duration = answered_durations(
        rng, pop.duration_median[caller], answered, cfg.ordinary.duration_sigma
    )
    calls = day.calls(caller, callee, start, duration)
    missed = calls.take(np.flatnonzero(duration == 0))
    return Calls.concat([calls, callbacks(day, missed, pop.callback[missed.callee])])
