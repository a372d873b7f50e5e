"""Call batches and the shared pieces every persona uses: time of day, duration, place, call-backs.

A :class:`Calls` batch holds entity ids and numbers only; strings are made by the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from graphfraud.sim.population import Population

__all__ = ["SOCIAL", "WORK", "Calls", "Day", "answered_durations", "callbacks", "hours_of"]

LOCAL_OFFSET_S = 8 * 3600  # China time, +08:00, no daylight saving

# Relative call volume per local hour 0..23.
SOCIAL = np.array(
    [0.3, 0.15, 0.05, 0.05, 0.05, 0.1, 0.4, 1.2, 2.2, 3.0, 3.4, 3.4, 2.8, 2.4, 2.8, 3.0,
     3.0, 3.0, 3.4, 4.0, 4.0, 3.4, 2.0, 0.9]
)  # fmt: skip
WORK = np.array(
    [0, 0, 0, 0, 0, 0, 0, 0.2, 1.5, 4.0, 4.5, 4.2, 1.5, 2.0, 4.2, 4.5,
     4.2, 3.5, 1.2, 0.4, 0.2, 0.05, 0, 0]
)  # fmt: skip
SOCIAL = SOCIAL / SOCIAL.sum()
WORK = WORK / WORK.sum()


@dataclass
class Calls:
    """A batch of calls: parallel arrays, one element per call."""

    caller: np.ndarray  # int32 entity id
    callee: np.ndarray  # int32 entity id
    start: np.ndarray  # int64 epoch seconds (UTC)
    duration: np.ndarray  # int32 seconds, 0 = not answered
    cell: np.ndarray  # int32 cell index, -1 = none
    imei: np.ndarray  # int64, -1 = none

    def __len__(self) -> int:
        return len(self.caller)

    @staticmethod
    def concat(parts: list[Calls]) -> Calls:
        parts = [p for p in parts if len(p)] or [Calls.empty()]
        return Calls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Calls)))

    @staticmethod
    def empty() -> Calls:
        return Calls(
            np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.int64),
            np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.int64),
        )

    def take(self, idx: np.ndarray) -> Calls:
        return Calls(*(getattr(self, f.name)[idx] for f in fields(Calls)))


def hours_of(start: np.ndarray) -> np.ndarray:
    """Local (China) hour of day 0..23 of epoch seconds."""
    return ((start + LOCAL_OFFSET_S) // 3600) % 24


def answered_durations(
    rng: np.random.Generator, median_s: np.ndarray, answered: np.ndarray, sigma: float = 1.0
) -> np.ndarray:
    """Durations in seconds: log-normal around ``median_s`` where answered, else 0."""
    d = np.exp(np.log(np.maximum(median_s, 1.0)) + sigma * rng.standard_normal(len(median_s)))
    return np.where(answered, np.clip(np.rint(d), 1, 7200), 0).astype(np.int32)


@dataclass
class Day:
    """What a persona needs to make one day's calls.

    Parameters
    ----------
    pop : Population
    t0 : int
        Epoch seconds of local midnight on the first day of the world.
    index : int
        Day number, 0-based.
    rng : numpy.random.Generator
        This day's own stream (so days can be made in any order).
    weekday : int
        0 = Monday.
    busy : bool
        One of the days before the holiday.
    """

    pop: Population
    t0: int
    index: int
    rng: np.random.Generator
    weekday: int
    busy: bool

    @property
    def midnight(self) -> int:
        return self.t0 + 86_400 * self.index

    def times(self, n: int, rhythm: np.ndarray = SOCIAL) -> np.ndarray:
        """``n`` start times on this day following an hourly ``rhythm``."""
        hours = self.rng.choice(24, size=n, p=rhythm)
        return self.midnight + hours * 3600 + self.rng.integers(0, 3600, size=n)

    def session_starts(self, n: int, first_hour: float, last_hour: float) -> np.ndarray:
        """``n`` session start times uniform between two local hours of this day."""
        return self.midnight + (self.rng.uniform(first_hour, last_hour, n) * 3600).astype(np.int64)

    def locate(self, who: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cell and IMEI of callers ``who`` at ``start``: work cell in office hours, else home."""
        pop = self.pop
        h = hours_of(start)
        cell = np.where((h >= 9) & (h < 18), pop.work_cell[who], pop.home_cell[who])
        route = pop.extra.get("travel_route")
        if route is not None:  # travellers: a different region each part of the trip
            slot = pop.extra["travel_slot"][who]
            moving = slot >= 0
            if moving.any():
                day = np.clip((start[moving] - self.t0) // 86_400, 0, route.shape[1] - 1)
                cell[moving] = route[slot[moving], day, h[moving] // 6]
        alt = (self.rng.random(len(who)) < pop.alt_p[who]) & (pop.imei_alt[who] >= 0)
        imei = np.where(alt, pop.imei_alt[who], pop.imei[who])
        return cell.astype(np.int32), imei.astype(np.int64)

    def calls(
        self, caller: np.ndarray, callee: np.ndarray, start: np.ndarray, duration: np.ndarray
    ) -> Calls:
        """A batch with cells and IMEIs filled in from the callers."""
        caller = caller.astype(np.int32)
        cell, imei = self.locate(caller, start)
        return Calls(caller, callee.astype(np.int32), start.astype(np.int64),
                     duration.astype(np.int32), cell, imei)  # fmt: skip

    def answer(self, callee: np.ndarray) -> np.ndarray:
        """Whether each call is answered, by the callee's own answer rate."""
        return self.rng.random(len(callee)) < self.pop.answer[callee]


def callbacks(day: Day, calls: Calls, rate: np.ndarray, answered_only: bool = False) -> Calls:
    """Calls back from callees: each call is returned with probability ``rate`` (per call).

    Returned calls start minutes to a few hours later and are mostly answered.
    """
    rng = day.rng
    eligible = calls.duration > 0 if answered_only else np.ones(len(calls), bool)
    back = eligible & (rng.random(len(calls)) < rate)
    caller, callee = calls.callee[back], calls.caller[back]
    delay = (rng.exponential(1800.0, back.sum()) + 30).astype(np.int64)
    start = calls.start[back] + delay
    answered = rng.random(len(caller)) < 0.85
    duration = answered_durations(rng, day.pop.duration_median[caller], answered)
    return day.calls(caller, callee, start, duration)
