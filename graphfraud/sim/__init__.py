"""The call-world simulator: ordinary people, legitimate one-to-many callers, and fraud.

>>> from graphfraud.sim import SimConfig, simulate_world
>>> world = simulate_world(SimConfig(people=1000, days=1, seed=1))
>>> sorted(world.truth.column_names)
['fraud', 'number', 'persona', 'ring']
"""

from graphfraud.sim.config import (
    ADVERSARIAL_SEEDS,
    HOLDOUT_SEEDS,
    PROFILES,
    TUNING_SEEDS,
    SimConfig,
    load_config,
    profile,
)
from graphfraud.sim.population import FRAUD_PERSONAS, PERSONAS
from graphfraud.sim.world import World, plan_world, simulate_world, write_simulation, write_world

__all__ = [
    "ADVERSARIAL_SEEDS",
    "FRAUD_PERSONAS",
    "HOLDOUT_SEEDS",
    "PERSONAS",
    "PROFILES",
    "TUNING_SEEDS",
    "SimConfig",
    "World",
    "load_config",
    "plan_world",
    "profile",
    "simulate_world",
    "write_simulation",
    "write_world",
]
