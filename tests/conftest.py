"""Shared fixtures. Integration tests talk to a real Neo4j server and never skip.

The bundled server is started here when it is not running (idempotent), on the port and home
given by the environment; ``make test`` points them at a test instance (see Makefile) so tests
never touch the demo's data. When NEO4J_URI is set, that server is used instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from neo4j import Driver

from graphfraud.settings import Settings, get_settings
from graphfraud.store.driver import connect
from graphfraud.store.loader import apply_schema
from graphfraud.store.server import Neo4jServer


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """``settings_env(NAME=value, OTHER=None)`` sets (or, with ``None``, removes) environment
    variables and makes :func:`get_settings` read them afresh; the test's own settings are
    dropped again afterwards, before the environment is restored."""

    def apply(**env: str | None) -> None:
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def neo4j_driver(settings: Settings) -> Iterator[Driver]:
    """A driver on the real server; starts the bundled one if needed. Fails (never skips) when down."""
    if settings.uses_bundled_neo4j:
        Neo4jServer(settings).start()
    driver = connect(settings)
    apply_schema(driver)
    yield driver
    driver.close()


@pytest.fixture
def empty_db(neo4j_driver: Driver, settings: Settings) -> Driver:
    """The real database, emptied before the test."""
    for _ in range(60):  # a bulk-import test restarted the server: wait until it answers again
        try:
            neo4j_driver.verify_connectivity()
            break
        except Exception:
            time.sleep(0.5)
    with neo4j_driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    return neo4j_driver
