"""What the app holds for its lifetime: settings, API keys, the Neo4j drivers, the risk cache."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase

from graphfraud.api.security import ApiKeys, Role, dev_key
from graphfraud.errors import ConfigError
from graphfraud.settings import Settings
from graphfraud.store.driver import neo4j_auth

__all__ = ["AppState", "TTLCache", "open_state"]

log = logging.getLogger(__name__)


class TTLCache:
    """A small per-process cache of encoded answers; entries expire after ``ttl_s`` seconds."""

    def __init__(self, ttl_s: float, max_entries: int = 100_000) -> None:
        self.ttl_s, self.max_entries = ttl_s, max_entries
        self._items: dict[str, tuple[float, bytes]] = {}

    def get(self, key: str) -> bytes | None:
        hit = self._items.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, key: str, value: bytes) -> None:
        if self.ttl_s <= 0:
            return
        if len(self._items) >= self.max_entries:
            self._items.clear()  # crude but bounded; the TTL is short anyway
        self._items[key] = (time.monotonic() + self.ttl_s, value)

    def drop(self, key: str) -> None:
        self._items.pop(key, None)


@dataclass
class AppState:
    settings: Settings
    keys: ApiKeys
    driver: AsyncDriver
    sync_driver: Driver  # for ingest, which reuses the synchronous loader
    risk_cache: TTLCache
    schema_applied: bool = field(default=False)

    async def close(self) -> None:
        await self.driver.close()
        self.sync_driver.close()


def _keys(settings: Settings) -> ApiKeys:
    spec = settings.api_keys.get_secret_value() if settings.api_keys else None
    keys = ApiKeys.parse(spec)
    if keys.keys:
        return keys
    if settings.env != "development":
        if settings.env == "production":
            raise ConfigError("GRAPHFRAUD_API_KEYS must be set when GRAPHFRAUD_ENV=production")
        return keys  # test: no key works, every request is 401
    key = dev_key()
    print(f"graphfraud serve: development API key (admin, this process only): {key}", file=sys.stderr)
    return ApiKeys(((key.encode(), Role.admin),))


def open_state(settings: Settings) -> AppState:
    """Create the drivers (once, without connecting: a Neo4j that is down gives 503s, not a crash)."""
    # A request must fail fast when Neo4j is down (503), not retry for the driver's default 30 s.
    options = {"auth": neo4j_auth(settings), "max_connection_pool_size": 64, "connection_timeout": 3.0,
               "connection_acquisition_timeout": 5.0, "max_transaction_retry_time": 2.0,
               "notifications_min_severity": "OFF"}  # fmt: skip
    driver = AsyncGraphDatabase.driver(settings.bolt_uri, **options)
    return AppState(settings=settings, keys=_keys(settings), driver=driver,
                    sync_driver=GraphDatabase.driver(settings.bolt_uri, **options),
                    risk_cache=TTLCache(settings.api_risk_cache_ttl_s))  # fmt: skip
