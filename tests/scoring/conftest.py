"""A small default-profile world, scored once per session."""

from __future__ import annotations

import pytest

from graphfraud.scoring import Policy, score_calls
from graphfraud.sim import profile, simulate_world


@pytest.fixture(scope="session")
def small_world():
    return simulate_world(profile("default", seed=1, people=3000, days=2))


@pytest.fixture(scope="session")
def small_scores(small_world):
    return score_calls(small_world.calls, small_world.subscribers, policy=Policy(), seed=0)
