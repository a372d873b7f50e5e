"""Typed, documented parameters of the call-world simulator, and the named profiles.

Every persona parameter that varies between entities is a ``(low, high)`` range: each entity
draws its own value uniformly inside it, so no two couriers (or farms) look exactly alike.
Counts of special personas are given per 100,000 ordinary people, with a floor so that even a
small test world holds at least a few of each.

Holdout discipline: tune on profile ``default`` with seeds :data:`TUNING_SEEDS`; report on
profile ``holdout`` with seeds :data:`HOLDOUT_SEEDS` and never tune on them. Profile
``adversarial`` with :data:`ADVERSARIAL_SEEDS` is a stress world for the same discipline: fraud
that has probed the rules, busy legitimate callers that look worse.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graphfraud.errors import ConfigError

__all__ = [
    "ADVERSARIAL_SEEDS",
    "HOLDOUT_SEEDS",
    "MAX_DAYS",
    "MAX_SEED",
    "MIN_PEOPLE",
    "PROFILES",
    "TUNING_SEEDS",
    "BurnerConfig",
    "FarmConfig",
    "HotlineConfig",
    "OrdinaryConfig",
    "RingConfig",
    "SimConfig",
    "SpoofConfig",
    "WorkPersona",
    "load_config",
    "profile",
]

TUNING_SEEDS = (1, 2, 3)
HOLDOUT_SEEDS = (101, 102, 103, 104, 105)
ADVERSARIAL_SEEDS = (201, 202, 203)

MIN_PEOPLE = 200  # ordinary people; fewer leave most regions empty
MAX_DAYS = 60
# NumPy takes any non-negative integer as a seed; 128 bits is the entropy of the seeds it makes
# itself (``SeedSequence().entropy``), so every seed NumPy would suggest fits.
MAX_SEED = 2**128 - 1

Range = tuple[float, float]
IntRange = tuple[int, int]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrdinaryConfig(_Model):
    """Ordinary subscribers: family, friends and colleagues who call each other back."""

    calls_per_day: Range = (1.5, 7.0)  # calls a day in which the person takes part as caller
    answer_rate: Range = (0.75, 0.95)  # share 0–1 of calls *to* this person that are answered
    duration_median_s: Range = (25.0, 120.0)  # seconds, median of answered calls
    duration_sigma: float = 1.0  # log-normal spread of answered durations
    callback_rate: Range = (0.4, 0.8)  # share 0–1 of missed calls returned
    family_size: IntRange = (1, 5)
    shared_phone_share: float = 0.08  # share 0–1 of people who sometimes borrow a family phone
    shared_phone_use: float = 0.15  # share 0–1 of a borrower's calls made on the family phone
    new_segment_share: float = 0.03  # share 0–1 of people on recent 191/193 numbers
    landlines_per_100k: float = 300.0  # offices, clinics: called now and then, never call out
    landline_call_share: float = 0.02  # share 0–1 of ordinary calls that go to a landline


class WorkPersona(_Model):
    """A legitimate one-to-many caller: bursts ("sessions") of work calls, plus a private life."""

    per_100k: float  # entities per 100,000 ordinary people
    min_count: int = 2
    sessions_per_day: IntRange = (1, 1)
    calls_per_session: IntRange = (12, 20)
    session_minutes: Range = (50.0, 80.0)  # minutes a burst lasts
    answer_rate: Range = (0.6, 0.8)
    duration_median_s: Range = (120.0, 400.0)
    callback_rate: Range = (0.2, 0.4)  # share 0–1 of called numbers that ring back
    weekdays_only: bool = True
    busy_factor: float = 1.0  # session multiplier in the days before ``SimConfig.holiday``
    # A desk of colleagues (the legitimate twin of a hand-off ring): they ring each other and
    # one follows up a share of the other's work calls hours later (screening → hiring manager).
    team_size: IntRange = (1, 1)  # colleagues per desk; (1, 1): everyone works alone
    team_calls_per_day: IntRange = (0, 0)  # calls each colleague makes to the others on a workday
    handoff_share: float = Field(0.0, ge=0.0, le=1.0)  # share 0–1 of work calls followed up
    handoff_minutes: Range = (60.0, 240.0)  # minutes between a call and its follow-up
    # Numbers bought as a company's SIM batch: consecutive blocks of this many, each block
    # activated on one day (1: each number bought alone). A stress test: a batch of consecutive
    # numbers is also what a farm buys.
    number_batch: int = Field(1, ge=1)
    # Days before the start its numbers were activated; None: 200–2999 (3–14 for truck drivers,
    # who are on brand-new numbers). A young desk (a new agency on new SIMs) is a stress test.
    activated_days_before: IntRange | None = None

    @field_validator("activated_days_before")
    @classmethod
    def _ages(cls, v: IntRange | None) -> IntRange | None:
        if v is not None and not 0 <= v[0] <= v[1]:
            raise ValueError("must be (low, high) days with 0 <= low <= high")
        return v


class HotlineConfig(_Model):
    """Legitimate 95xxx service numbers: called by very many, call some customers back."""

    per_100k: float = 4.0
    min_count: int = 2
    calls_in_per_person_day: Range = (0.002, 0.01)  # calls a day per ordinary person, per line
    callback_share: Range = (0.1, 0.3)  # share 0–1 of inbound calls answered by a call back
    answer_rate: Range = (0.85, 0.98)
    duration_median_s: Range = (90.0, 300.0)


class FarmConfig(_Model):
    """SIM-box robocall farm: consecutive batch-bought SIMs in a few devices at one cell."""

    per_100k: float = 1.0
    min_count: int = 1
    devices: IntRange = (2, 6)  # IMEIs per farm
    sims_per_day: IntRange = (24, 64)  # fresh SIMs a day at full scale (burnt after one day)
    sessions_per_day: IntRange = (1, 2)
    calls_per_session: IntRange = (8000, 12000)  # at full scale, across the whole farm
    session_minutes: Range = (25.0, 35.0)
    answer_rate: Range = (0.4, 0.6)
    duration_median_s: Range = (25.0, 70.0)
    callback_rate: Range = (0.0, 0.02)  # share 0–1 of answered victims who ring back
    block_len: IntRange = (50, 400)  # consecutive numbers per purchased block
    block_share: float = 0.8  # share 0–1 of a list that comes in blocks (rest scattered)
    activated_days_before: IntRange = (2, 10)


class SpoofConfig(_Model):
    """Spoofed 95xxx caller ids: no device, no cell, one day of life, random targets."""

    per_100k_per_day: float = 4.0
    min_count: int = 1
    calls: IntRange = (60, 300)
    session_minutes: Range = (60.0, 240.0)
    answer_rate: Range = (0.3, 0.5)
    duration_median_s: Range = (20.0, 90.0)


class RingConfig(_Model):
    """Camouflaged ring: social-looking members who hand a victim from one to the next."""

    per_100k: float = 2.0
    min_count: int = 2
    members: IntRange = (4, 8)
    mules: IntRange = (2, 4)
    victims_per_day: IntRange = (4, 12)
    chain_length: IntRange = (2, 4)  # members who call one victim in turn
    handoff_minutes: Range = (20.0, 150.0)  # minutes between two members' calls to a victim
    hourly_cap: int = 6  # outgoing calls per member per hour (they know the carrier's rule)
    cover_calls_per_day: IntRange = (8, 25)  # cold calls per member to strangers
    social_calls_per_day: IntRange = (3, 8)  # calls per member to other members and mules
    answer_rate: Range = (0.45, 0.7)
    duration_median_s: Range = (40.0, 240.0)
    victim_callback_rate: float = 0.1
    imeis_per_member: IntRange = (1, 3)
    activated_days_before: IntRange = (20, 200)


class BurnerConfig(_Model):
    """Lone burner SIM: new number, cold calls for a day or two, then gone."""

    per_100k_per_day: float = 4.0
    min_count: int = 1
    calls_per_day: IntRange = (20, 80)
    answer_rate: Range = (0.35, 0.6)
    duration_median_s: Range = (20.0, 120.0)
    activated_days_before: IntRange = (1, 5)
    imeis: IntRange = (1, 3)


def _default_work() -> dict[str, WorkPersona]:
    return {
        "recruiter": WorkPersona(per_100k=20, session_minutes=(50.0, 80.0)),
        "courier": WorkPersona(
            per_100k=40, sessions_per_day=(1, 3), calls_per_session=(20, 35),
            session_minutes=(60.0, 90.0), answer_rate=(0.55, 0.8),
            duration_median_s=(12.0, 40.0), weekdays_only=False, busy_factor=1.6,
        ),
        "food_rider": WorkPersona(
            per_100k=40, sessions_per_day=(2, 2), calls_per_session=(5, 12),
            session_minutes=(90.0, 120.0), answer_rate=(0.7, 0.9),
            duration_median_s=(8.0, 25.0), callback_rate=(0.05, 0.15), weekdays_only=False,
        ),
        "truck_driver": WorkPersona(
            per_100k=10, calls_per_session=(4, 9), session_minutes=(540.0, 720.0),
            answer_rate=(0.75, 0.95), duration_median_s=(40.0, 150.0),
            callback_rate=(0.3, 0.6), weekdays_only=False,
        ),
        "lawyer": WorkPersona(
            per_100k=5, calls_per_session=(10, 16), session_minutes=(300.0, 480.0),
            answer_rate=(0.3, 0.6), duration_median_s=(30.0, 180.0), callback_rate=(0.0, 0.0),
        ),
        "debt_collector": WorkPersona(
            per_100k=5, sessions_per_day=(2, 4), calls_per_session=(15, 30),
            session_minutes=(120.0, 180.0), answer_rate=(0.2, 0.45),
            duration_median_s=(30.0, 200.0), callback_rate=(0.02, 0.08),
        ),
        "telemarketer": WorkPersona(
            per_100k=10, sessions_per_day=(2, 3), calls_per_session=(30, 60),
            session_minutes=(120.0, 180.0), answer_rate=(0.25, 0.45),
            duration_median_s=(15.0, 60.0), callback_rate=(0.01, 0.05),
        ),
    }


class SimConfig(_Model):
    """One simulated call world. ``people`` ordinary subscribers over ``days`` days.

    Roughly 4.5 calls per person and day: ``people=500_000, days=4`` gives about 10M calls.
    """

    people: int = Field(5000, ge=MIN_PEOPLE)
    days: int = Field(2, ge=1, le=MAX_DAYS)
    seed: int = Field(1, ge=0, le=MAX_SEED)
    start_date: date = date(2026, 11, 2)  # a Monday; local China time (+08:00)
    holiday: date | None = date(2026, 11, 11)  # couriers are busier in the 5 days before
    regions: int = Field(31, ge=2, le=200)  # provinces; "counties" are cells
    cells_per_region: int = Field(40, ge=2, le=50)
    full_scale_people: int = 200_000  # from this size on farms dial 10,000 numbers a session
    travellers_per_100k: float = 50.0
    recycled_per_100k: float = 30.0
    unordered_spill: float = Field(0.03, ge=0.0, le=0.5)  # share of a chunk held to the next
    ordinary: OrdinaryConfig = OrdinaryConfig()
    work: dict[str, WorkPersona] = Field(default_factory=_default_work)
    hotline: HotlineConfig = HotlineConfig()
    farm: FarmConfig = FarmConfig()
    spoof: SpoofConfig = SpoofConfig()
    ring: RingConfig = RingConfig()
    burner: BurnerConfig = BurnerConfig()

    @property
    def scale(self) -> float:
        """Share 0–1 of full scale, for farm list sizes."""
        return min(1.0, self.people / self.full_scale_people)

    def count(self, per_100k: float, min_count: int) -> int:
        """Entities of a persona for this world's size."""
        return max(min_count, round(per_100k * self.people / 100_000))


def _holdout() -> SimConfig:
    base = SimConfig()
    work = dict(base.work)
    work["courier"] = work["courier"].model_copy(
        update={"calls_per_session": (25, 45), "sessions_per_day": (2, 3), "per_100k": 60}
    )
    work["recruiter"] = work["recruiter"].model_copy(update={"calls_per_session": (15, 25)})
    work["telemarketer"] = work["telemarketer"].model_copy(update={"answer_rate": (0.15, 0.35)})
    return base.model_copy(
        update={
            "work": work,
            "farm": base.farm.model_copy(
                update={"per_100k": 1.5, "sims_per_day": (48, 96), "devices": (3, 8),
                        "answer_rate": (0.35, 0.55), "duration_median_s": (35.0, 90.0)}
            ),
            "ring": base.ring.model_copy(
                update={"per_100k": 4.0, "members": (5, 10), "hourly_cap": 4,
                        "victims_per_day": (6, 16), "answer_rate": (0.5, 0.75)}
            ),
            "spoof": base.spoof.model_copy(update={"per_100k_per_day": 8.0}),
            "burner": base.burner.model_copy(update={"calls_per_day": (15, 50)}),
            "ordinary": base.ordinary.model_copy(
                update={"new_segment_share": 0.06, "shared_phone_share": 0.12}
            ),
        }
    )


def _adversarial() -> SimConfig:
    """Fraud that has probed the rules, and busy legitimate callers that look worse.

    A stress world nobody tunes on (seeds 201–203): rings are smaller, slower and get some victims
    to call back; farms spread over more handsets and use aged SIMs; couriers and recruiters get
    fewer call-backs, and recruiters work in desks that hand candidates on like a ring hands on a
    victim; more shared family phones and new-segment numbers.
    """
    base = SimConfig()
    work = dict(base.work)
    work["courier"] = work["courier"].model_copy(update={"callback_rate": (0.1, 0.25)})
    # Recruiters work in desks that look like a hand-off ring: colleagues ring each other and
    # one follows up the other's candidates as late as ring members hand on a victim.
    work["recruiter"] = work["recruiter"].model_copy(
        update={"callback_rate": (0.1, 0.3), "per_100k": 40, "team_size": (3, 5),
                "team_calls_per_day": (5, 12), "handoff_share": 0.4,
                "handoff_minutes": (60.0, 480.0)}
    )
    work["telemarketer"] = work["telemarketer"].model_copy(update={"per_100k": 20})
    return base.model_copy(
        update={
            "work": work,
            "farm": base.farm.model_copy(
                update={"devices": (8, 16), "callback_rate": (0.03, 0.08),
                        "activated_days_before": (15, 60), "answer_rate": (0.45, 0.65)}
            ),
            "ring": base.ring.model_copy(
                update={"members": (3, 5), "hourly_cap": 3, "handoff_minutes": (60.0, 480.0),
                        "victim_callback_rate": 0.3, "social_calls_per_day": (5, 12),
                        "imeis_per_member": (1, 1)}
            ),
            "burner": base.burner.model_copy(update={"calls_per_day": (12, 30), "imeis": (1, 1)}),
            "ordinary": base.ordinary.model_copy(
                update={"new_segment_share": 0.1, "shared_phone_share": 0.2}
            ),
        }
    )


PROFILES: dict[str, SimConfig] = {
    "default": SimConfig(),
    "holdout": _holdout(),
    "adversarial": _adversarial(),
}


def profile(name: str, **overrides: object) -> SimConfig:
    """The named profile, with top-level fields (``people``, ``days``, ``seed``…) overridden."""
    if name not in PROFILES:
        raise ConfigError(f"unknown simulator profile {name!r}; known: {', '.join(PROFILES)}")
    return _validated(PROFILES[name].model_dump() | overrides)


def load_config(path: Path | str, base: str = "default", **overrides: object) -> SimConfig:
    """A :class:`SimConfig` from a JSON file laid over a profile, then top-level overrides.

    The file may name its own base with ``"profile": "holdout"``; nested sections merge key by
    key, so ``{"farm": {"per_100k": 3}}`` changes only that one farm parameter.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read simulator config ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: simulator config must be a JSON object")
    name = data.pop("profile", base)
    if name not in PROFILES:
        raise ConfigError(f"{path}: unknown simulator profile {name!r}")
    return _validated(_merge(PROFILES[name].model_dump(), data) | overrides)


def _merge(base: dict, update: dict) -> dict:
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _validated(data: dict[str, object]) -> SimConfig:
    try:
        return SimConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"invalid simulator config: {_one_line(exc)}") from exc


def _one_line(exc: ValidationError) -> str:
    """``people: Input should be greater than or equal to 200 (got 10); …`` on one line."""
    problems = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "config"
        shown = repr(error["input"])
        shown = shown if len(shown) <= 60 else f"{shown[:57]}..."
        got = f" (got {shown})" if error["type"] != "extra_forbidden" else ""
        problems.append(f"{where}: {error['msg']}{got}")
    return "; ".join(problems).replace("\n", " ")
