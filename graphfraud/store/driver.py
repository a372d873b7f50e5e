"""Create the Neo4j driver once, from settings; everything else has it injected."""

from __future__ import annotations

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from graphfraud.errors import Neo4jUnavailable
from graphfraud.settings import Settings
from graphfraud.store.server import Neo4jServer

__all__ = ["connect", "neo4j_auth"]


def neo4j_auth(settings: Settings) -> tuple[str, str]:
    """User and password: configured ones, or the bundled server's generated password."""
    if settings.neo4j_password is not None:
        return settings.neo4j_user, settings.neo4j_password.get_secret_value()
    if settings.uses_bundled_neo4j:
        return settings.neo4j_user, Neo4jServer(settings).password()
    raise Neo4jUnavailable("NEO4J_URI is set but NEO4J_PASSWORD is not")


def connect(settings: Settings, *, verify: bool = True) -> Driver:
    """A driver for the configured server; with ``verify``, fail now if it does not answer."""
    driver = GraphDatabase.driver(
        settings.bolt_uri,
        auth=neo4j_auth(settings),
        max_connection_pool_size=50,
        connection_acquisition_timeout=10.0,
        notifications_min_severity="WARNING",
        # "label/property does not exist yet" is normal before the first score write-back.
        notifications_disabled_classifications=["UNRECOGNIZED"],
    )
    if verify:
        try:
            driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, OSError) as exc:
            driver.close()
            hint = " (start it with: graphfraud neo4j start)" if settings.uses_bundled_neo4j else ""
            raise Neo4jUnavailable(f"Neo4j at {settings.bolt_uri} is not reachable{hint}: {exc}") from exc
    return driver
