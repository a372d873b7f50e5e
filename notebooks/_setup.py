"""What every analyst notebook needs: a small simulated world, a scratch Neo4j, query results as frames.

The notebooks run with ``notebooks/`` as the working directory and ``import _setup``. Connection
settings come from graphfraud's one :class:`~graphfraud.settings.Settings` (environment, or the
repository's ``.env``), so ``GRAPHFRAUD_NEO4J_BOLT_PORT`` and friends apply as everywhere else.

A notebook *empties* the database it talks to. :func:`open_scratch_db` therefore refuses a database
that holds phones no notebook wrote (the demo's data, say); point the settings at a scratch server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from neo4j import Driver

from graphfraud.cdr import validate_calls, validate_subscribers
from graphfraud.errors import GraphFraudError
from graphfraud.settings import PROJECT_ROOT, Settings
from graphfraud.sim import SimConfig, World, profile, simulate_world
from graphfraud.store.cypher import query
from graphfraud.store.driver import connect
from graphfraud.store.loader import IngestStats, apply_schema, ingest_calls, ingest_subscribers
from graphfraud.store.server import Neo4jServer

__all__ = [
    "FRAUD_PERSONAS",
    "LEGIT_BUSY_PERSONAS",
    "TIER_COLORS",
    "NotebookWorld",
    "ingest_world",
    "notebook_settings",
    "open_scratch_db",
    "read_frame",
    "small_world",
]

TIER_COLORS = {
    "normal": "#d9d9d9",
    "monitor": "#9ecae1",
    "verify_online": "#fdd49e",
    "verify_in_person": "#fc8d59",
    "suspend": "#b30000",
}
#: Legitimate personas that call many people: the ones a crude fan-out rule hurts.
LEGIT_BUSY_PERSONAS = (
    "courier", "recruiter", "food_rider", "telemarketer", "debt_collector", "hotline", "truck_driver",
)  # fmt: skip
FRAUD_PERSONAS = ("farm_sim", "ring_member", "mule", "spoofed_95", "burner")

# The write-back asks for appeals that a fresh database does not have yet; Neo4j warns about the
# unknown label on every batch. Harmless, and noise in a notebook.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


@dataclass(frozen=True)
class NotebookWorld:
    """A simulated world: validated ``calls``/``subscribers`` (what the scorer and loader take)
    and the simulator's ``truth`` as a frame (persona, fraud, ring) — for judging, never scoring."""

    profile_name: str
    config: SimConfig
    world: World
    calls: pa.Table
    subscribers: pa.Table
    truth: pd.DataFrame


def _with_lines(table: pa.Table) -> pa.Table:
    return table.append_column("__line", pa.array(np.arange(table.num_rows) + 2))


def small_world(
    people: int = 4000, days: int = 2, seed: int = 1, profile_name: str = "default"
) -> NotebookWorld:
    """Simulate a small world (about 4.5 calls per person and day) and validate it."""
    config = profile(profile_name, people=people, days=days, seed=seed)
    world = simulate_world(config)
    calls = validate_calls(_with_lines(world.calls)).table
    subscribers = validate_subscribers(_with_lines(world.subscribers)).table
    return NotebookWorld(profile_name, config, world, calls, subscribers, world.truth.to_pandas())


def notebook_settings() -> Settings:
    """graphfraud's settings, reading the repository's ``.env`` even though the cwd is ``notebooks/``."""
    return Settings(_env_file=PROJECT_ROOT / ".env")


def open_scratch_db(notebook: str, world: NotebookWorld, settings: Settings | None = None) -> Driver:
    """A driver on an emptied database, marked as this notebook's scratch world.

    Starts the bundled server when it is not running. Raises :class:`GraphFraudError` when the
    database holds phones that no notebook wrote.
    """
    settings = settings or notebook_settings()
    if settings.uses_bundled_neo4j:
        Neo4jServer(settings).start()
    driver = connect(settings)
    apply_schema(driver)
    with driver.session() as session:
        guard = session.run(query("notebook_guard")).single()
        if guard["phones"] and not guard["notebook_marks"]:
            driver.close()
            raise GraphFraudError(
                f"Neo4j at {settings.bolt_uri} holds {guard['phones']} phones that no notebook wrote; "
                "the notebooks empty their database, so point GRAPHFRAUD_NEO4J_HOME and "
                "GRAPHFRAUD_NEO4J_BOLT_PORT at a scratch server (see docs/notebooks.md)"
            )
        session.run(query("notebook_clear"), batch_size=10_000).consume()
        cfg = world.config
        session.run(query("notebook_mark"), notebook=notebook, profile=world.profile_name,
                    people=cfg.people, days=cfg.days, seed=cfg.seed).consume()  # fmt: skip
    return driver


def ingest_world(driver: Driver, world: NotebookWorld, settings: Settings | None = None) -> IngestStats:
    """Load the world's calls and subscribers into Neo4j (graphfraud.store.loader)."""
    batch = (settings or notebook_settings()).ingest_batch_size
    stats = ingest_calls(driver, world.calls, batch_size=batch)
    ingest_subscribers(driver, world.subscribers, batch_size=batch)
    return stats


def read_frame(driver: Driver, name: str, **params: object) -> pd.DataFrame:
    """Run the read query ``cypher/<name>.cypher`` (routed as a read) and return its rows as a frame."""
    with driver.session() as session:
        rows = session.execute_read(lambda tx: tx.run(query(name), params).data())
    return pd.DataFrame(rows)
