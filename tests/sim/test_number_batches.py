"""A company's SIM batch: a work persona's numbers bought in consecutive blocks, one activation
day a block (``WorkPersona.number_batch``)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from graphfraud.sim import profile, simulate_world


def _batched(persona: str, size: int, seed: int = 3):
    cfg = profile("holdout", people=4000, days=1, seed=seed)
    work = dict(cfg.work)
    work[persona] = work[persona].model_copy(update={"number_batch": size, "per_100k": 300})
    return simulate_world(cfg.model_copy(update={"work": work}))


def _numbers_and_days(world, persona: str) -> tuple[np.ndarray, np.ndarray]:
    truth = world.truth.to_pandas()
    nums = truth.loc[truth.persona == persona, "number"]
    subs = world.subscribers.to_pandas().set_index("number")["activated_on"]
    order = np.argsort(nums.astype(np.int64).to_numpy())
    numbers = nums.astype(np.int64).to_numpy()[order]
    days = subs.reindex(nums.to_numpy()).astype(str).to_numpy()[order]
    return numbers, days


def test_a_batch_is_consecutive_numbers_activated_on_one_day() -> None:
    numbers, days = _numbers_and_days(_batched("food_rider", 5), "food_rider")
    assert numbers.size == 12  # 300 per 100k of 4000
    runs = np.split(np.arange(numbers.size), np.flatnonzero(np.diff(numbers) != 1) + 1)
    assert sorted(len(r) for r in runs) == [2, 5, 5]  # two batches of five and the rest
    for run in runs:
        assert len(set(days[run].tolist())) == 1
    assert len(set(days.tolist())) == 3  # a day per batch


def test_no_batch_leaves_the_world_as_it_was() -> None:
    plain = simulate_world(profile("holdout", people=4000, days=1, seed=3))
    same = _batched("food_rider", 1)
    numbers, _ = _numbers_and_days(same, "food_rider")
    assert (np.diff(numbers) != 1).all()  # every number bought alone
    cfg = profile("holdout", people=4000, days=1, seed=3)
    work = dict(cfg.work)
    work["food_rider"] = work["food_rider"].model_copy(update={"number_batch": 1})
    again = simulate_world(cfg.model_copy(update={"work": work}))
    assert again.calls.equals(plain.calls) and again.truth.equals(plain.truth)


def test_a_batch_of_none_is_refused() -> None:
    with pytest.raises(ValidationError, match="number_batch"):
        profile("holdout").work["courier"].model_validate(
            {**profile("holdout").work["courier"].model_dump(), "number_batch": 0})
