"""What the app holds for its lifetime: settings, API keys, the Neo4j drivers, the answer caches."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase

from graphfraud.api.riskbatch import RiskBatcher
from graphfraud.api.security import ApiKeys, Role, dev_key
from graphfraud.errors import ConfigError, Neo4jUnavailable
from graphfraud.settings import Settings
from graphfraud.store.driver import neo4j_auth
from graphfraud.store.reads import graph_version, number_risks

__all__ = ["AnswerCache", "AppState", "evidence_key", "open_state", "watch_graph_version"]

log = logging.getLogger(__name__)


class AnswerCache:
    """Encoded answers (/risk cards, /evidence subgraphs), valid while the graph's version holds.

    The stored graph changes only when calls are ingested, a scoring run writes scores, or an
    appeal is recorded, and each of them moves the version (``cypher/graph_version_bump.cypher``).
    Each worker polls the version every ``poll_s`` seconds (:func:`watch_graph_version`) and drops
    everything when it moves, so an answer is at most ``poll_s`` seconds stale; the worker that
    records an appeal drops that number at once. Bounded: least recently used entries go first.

    ``generation`` counts the drops: an answer computed from a read that began before one must
    not be kept (the read may predate the change), so a reader takes ``generation`` before reading
    and passes it to :meth:`put`.
    """

    def __init__(self, poll_s: float, max_entries: int = 200_000) -> None:
        self.poll_s, self.max_entries = poll_s, max_entries
        self.version: int | None = None
        self.generation = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.poll_s > 0 and self.max_entries > 0

    def get(self, key: str) -> bytes | None:
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
        return hit

    def put(self, key: str, value: bytes, generation: int | None = None) -> None:
        """Keep an answer, unless the cache is off, not known current, or dropped since ``generation``."""
        if not self.enabled or self.version is None:  # not known to be current: do not keep it
            return
        if generation is not None and generation != self.generation:
            return
        self._items[key] = value
        if len(self._items) > self.max_entries:
            self._items.popitem(last=False)

    def drop(self, key: str) -> None:
        self._items.pop(key, None)
        self.generation += 1

    def observe(self, version: int | None) -> None:
        """Record the current version; a change (or an unknown one) empties the cache."""
        if version is None or version != self.version:
            self._items.clear()
            self.generation += 1
        self.version = version


def evidence_key(number: str, hops: int, limit: int | None, max_nodes: int) -> str:
    """The evidence cache's key: the normalised number, hops and the node cap that applies."""
    cap = min(limit or max_nodes, max_nodes)
    return f"{number}|{hops}|{cap}"


@dataclass
class AppState:
    settings: Settings
    keys: ApiKeys
    driver: AsyncDriver
    sync_driver: Driver  # for ingest, which reuses the synchronous loader
    risk_cache: AnswerCache
    evidence_cache: AnswerCache
    risk_batcher: RiskBatcher
    schema_applied: bool = field(default=False)

    async def close(self) -> None:
        await self.risk_batcher.close()
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
    poll = settings.api_cache_poll_s
    sync_driver = GraphDatabase.driver(settings.bolt_uri, **options)
    risk_cache = AnswerCache(poll, settings.api_risk_cache_entries)
    batcher = RiskBatcher(partial(number_risks, driver), risk_cache, settings.api_risk_batch_max)
    return AppState(
        settings=settings, keys=_keys(settings), driver=driver, sync_driver=sync_driver,
        risk_cache=risk_cache, evidence_cache=AnswerCache(poll, settings.api_evidence_cache_entries),
        risk_batcher=batcher,
    )  # fmt: skip


async def watch_graph_version(state: AppState) -> None:
    """Poll the stored graph's version for the life of the app and keep the answer caches honest."""
    caches = (state.risk_cache, state.evidence_cache)
    poll_s = state.risk_cache.poll_s
    while poll_s > 0:
        try:
            version: int | None = await graph_version(state.driver)
        except Neo4jUnavailable:
            version = None  # cannot tell: serve nothing from memory until Neo4j answers
        for cache in caches:
            cache.observe(version)
        await asyncio.sleep(poll_s)
