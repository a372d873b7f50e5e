"""Who lives in the world: one row per number, as parallel numpy arrays.

An *entity* is one phone number (a person's SIM, a farm SIM, a landline, a hotline). Calls refer
to entities by index; strings are made only when a chunk is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["NO_SUB", "PERSONAS", "K", "NumberAllocator", "Population", "PopulationBuilder"]

#: Persona codes; the index is what ``Population.persona`` stores.
PERSONAS = (
    "ordinary", "landline", "recruiter", "courier", "food_rider", "truck_driver", "traveller",
    "lawyer", "recycled_number", "hotline", "debt_collector", "telemarketer",
    "farm_sim", "spoofed_95", "ring_member", "mule", "burner",
)  # fmt: skip
FRAUD_PERSONAS = frozenset({"farm_sim", "spoofed_95", "ring_member", "mule", "burner"})
K = 12  # private-life contacts per entity (slots; unused slots weigh 0)
NO_SUB = np.iinfo(np.int32).min  # activation day of a number that is not a subscriber


class NumberAllocator:
    """Hands out unique numbers, in increasing runs per segment (so batches are consecutive).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the gaps between allocations.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._next: dict[int, int] = {}

    def block(self, prefix: int, n: int, max_gap: int = 1, digits: int = 8) -> np.ndarray:
        """``n`` increasing numbers ``prefix`` followed by ``digits`` digits (int64).

        ``max_gap=1`` gives a consecutive run; larger gaps leave unassigned numbers between.
        """
        start = self._next.get(prefix, int(self._rng.integers(0, 10 ** (digits - 2))))
        start += int(self._rng.integers(1, 10_000))  # runs of different owners do not touch
        gaps = self._rng.integers(1, max_gap + 1, size=n) if max_gap > 1 else np.ones(n, np.int64)
        local = start + np.cumsum(gaps) - gaps[0]
        if n and local[-1] >= 10**digits:
            raise ValueError(f"segment {prefix} is full")
        self._next[prefix] = int(local[-1]) + 1 if n else start
        return prefix * 10**digits + local.astype(np.int64)


@dataclass
class Population:
    """Every number in the world and what the simulator knows about it (index = entity id)."""

    number: np.ndarray  # object array of digit strings
    persona: np.ndarray  # int8, index into PERSONAS
    ring: np.ndarray  # int32, index into ring_names, -1 when in no ring
    ring_names: list[str]
    region: np.ndarray  # int16
    home_cell: np.ndarray  # int32, -1 for no cell (landline, spoofed, hotline)
    work_cell: np.ndarray  # int32
    imei: np.ndarray  # int64, -1 for none
    imei_alt: np.ndarray  # int64, second device or shared family phone, -1 for none
    alt_p: np.ndarray  # float32, share 0–1 of calls made on imei_alt
    activated: np.ndarray  # int32, activation day relative to the start date; NO_SUB if none
    answer: np.ndarray  # float32, share 0–1 of calls to this number that are answered
    duration_median: np.ndarray  # float32, seconds
    callback: np.ndarray  # float32, share 0–1 of missed calls returned
    life_rate: np.ndarray  # float32, private-life calls a day (0 = no private life)
    contacts: np.ndarray  # int32 [n, K], private-life contacts
    contact_cdf: np.ndarray  # float32 [n, K], cumulative contact weights, last column 1
    groups: dict[str, np.ndarray] = field(default_factory=dict)  # persona → entity ids
    extra: dict[str, object] = field(default_factory=dict)  # persona-specific tables

    def __len__(self) -> int:
        return len(self.number)


_COLUMNS = (
    ("persona", np.int8, 0), ("ring", np.int32, -1), ("region", np.int16, 0),
    ("home_cell", np.int32, -1), ("work_cell", np.int32, -1), ("imei", np.int64, -1),
    ("imei_alt", np.int64, -1), ("alt_p", np.float32, 0.0), ("activated", np.int32, NO_SUB),
    ("answer", np.float32, 0.85), ("duration_median", np.float32, 60.0),
    ("callback", np.float32, 0.0), ("life_rate", np.float32, 0.0),
)  # fmt: skip


class PopulationBuilder:
    """Collects groups of entities, then freezes them into a :class:`Population`."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.numbers = NumberAllocator(rng)
        self._parts: list[dict[str, np.ndarray]] = []
        self._size = 0
        self.ring_names: list[str] = []
        self.groups: dict[str, list[np.ndarray]] = {}
        self._imei_next = int(rng.integers(10**12, 2 * 10**12))

    def new_imeis(self, n: int) -> np.ndarray:
        """``n`` fresh 15-digit device ids (int64)."""
        out = 860_000_000_000_000 + self._imei_next + np.arange(n, dtype=np.int64) * 7
        self._imei_next += 7 * n + int(self.rng.integers(1, 1000))
        return out

    def new_ring(self, name: str) -> int:
        self.ring_names.append(name)
        return len(self.ring_names) - 1

    def add(self, persona: str, numbers: np.ndarray | list[str], **cols: object) -> np.ndarray:
        """Append entities of one persona; returns their entity ids. Unset columns get defaults."""
        n = len(numbers)
        part: dict[str, np.ndarray] = {"number": np.asarray(numbers).astype(str).astype(object)}
        for name, dtype, default in _COLUMNS:
            value = PERSONAS.index(persona) if name == "persona" else cols.pop(name, default)
            part[name] = np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()
        part["contacts"] = np.asarray(cols.pop("contacts", np.zeros((n, K), np.int32)), np.int32)
        part["contact_w"] = np.asarray(cols.pop("contact_w", np.zeros((n, K))), np.float32)
        if cols:
            raise TypeError(f"unknown entity columns: {sorted(cols)}")
        self._parts.append(part)
        ids = np.arange(self._size, self._size + n, dtype=np.int32)
        self._size += n
        self.groups.setdefault(persona, []).append(ids)
        return ids

    @property
    def size(self) -> int:
        return self._size

    def column(self, name: str) -> np.ndarray:
        """The current values of one column over all entities added so far (a copy)."""
        return np.concatenate([p[name] for p in self._parts])

    def build(self) -> Population:
        """Freeze the entities added so far."""
        cols = {k: np.concatenate([p[k] for p in self._parts]) for k in self._parts[0]}
        weights = cols.pop("contact_w")
        total = weights.sum(axis=1, keepdims=True)
        cdf = np.cumsum(weights, axis=1) / np.where(total > 0, total, 1.0)
        cdf[:, -1] = 1.0
        groups = {p: np.concatenate(v) for p, v in self.groups.items()}
        return Population(
            ring_names=self.ring_names, contact_cdf=cdf.astype(np.float32), groups=groups, **cols
        )
