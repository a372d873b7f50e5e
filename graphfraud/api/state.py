"""What the app holds for its lifetime: settings, API keys, the Neo4j drivers, the answer caches."""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass, field
from functools import partial

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase

from graphfraud.api.cache import AnswerCache
from graphfraud.api.riskbatch import RiskBatcher
from graphfraud.api.riskwarm import preload_risk_cards
from graphfraud.api.security import ApiKeys, Role, dev_key
from graphfraud.privacy import TOKEN_PATTERN, Pseudonymizer
from graphfraud.settings import Settings
from graphfraud.store.driver import neo4j_auth
from graphfraud.store.reads import (
    StoredVersions,
    graph_version,
    number_kinds,
    number_risk_page,
    number_risks,
)

__all__ = ["AppState", "follow_versions", "open_state", "watch_graph_version"]

log = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    keys: ApiKeys
    driver: AsyncDriver
    sync_driver: Driver  # for ingest, which reuses the synchronous loader
    risk_cache: AnswerCache
    evidence_cache: AnswerCache
    risk_batcher: RiskBatcher
    pseudonymizer: Pseudonymizer | None = None  # GRAPHFRAUD_PSEUDONYM_KEY's, when the server has it
    schema_applied: bool = field(default=False)
    risk_preload: asyncio.Task | None = field(default=None)  # api/riskwarm.py, while it runs
    tokens_seen: tuple[object, bool] | None = None  # (graph version, holds tokens), see holds_tokens

    def stored_form(self, number: str) -> str | None:
        """``number`` as Neo4j stores it, from what is known without a read (the fast path's key):
        its token when the database is known to hold tokens, or ``None`` there without a key (the
        route says why); else ``number`` itself (if not known, the route finds out)."""
        if TOKEN_PATTERN.match(number) or not self._known_tokens():
            return number
        return None if self.pseudonymizer is None else self.pseudonymizer.token(number)

    def _known_tokens(self) -> bool | None:
        """Whether Neo4j holds tokens, as read at the graph version now polled; ``None``: not known."""
        seen, version = self.tokens_seen, self.evidence_cache.version
        return seen[1] if seen is not None and version is not None and seen[0] == version else None

    async def holds_tokens(self) -> bool:
        """Whether Neo4j holds pseudonym tokens; read once per graph version as the watcher last
        polled it (each time while that is not known: no polling, or just after an appeal)."""
        known = self._known_tokens()
        if known is not None:
            return known
        version = self.evidence_cache.version
        holds = (await number_kinds(self.driver))["tokens"]
        self.tokens_seen = None if version is None else (version, holds)
        return holds

    def preload_risk_cards(self) -> None:
        """(Re)start reading every stored risk card into the /risk cache (a new scores version)."""
        if self.risk_preload is not None:
            self.risk_preload.cancel()
        self.risk_preload = None
        # The cache keeps the last run's cards only when a preload will end that (``reload``): one flag.
        if self.risk_cache.reload and self.risk_cache.enabled and self.risk_cache.version is not None:
            read_page = partial(number_risk_page, self.driver)
            self.risk_preload = asyncio.create_task(preload_risk_cards(read_page, self.risk_cache))

    async def close(self) -> None:
        if self.risk_preload is not None:
            self.risk_preload.cancel()
            await asyncio.gather(self.risk_preload, return_exceptions=True)
        await self.risk_batcher.close()
        await self.driver.close()
        self.sync_driver.close()


def _keys(settings: Settings) -> ApiKeys:
    spec = settings.api_keys.get_secret_value() if settings.api_keys else None
    keys = ApiKeys.parse(spec)
    if keys.keys:
        return keys
    if settings.env != "development":  # production refuses to start without keys (settings.py)
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
    # The old cards stay readable while the preload reads the new ones (only when it runs).
    risk_cache = AnswerCache(poll, settings.api_risk_cache_entries, reload=settings.api_risk_preload)
    batcher = RiskBatcher(partial(number_risks, driver), risk_cache, settings.api_risk_batch_max)
    return AppState(
        settings=settings, keys=_keys(settings), driver=driver, sync_driver=sync_driver,
        risk_cache=risk_cache, evidence_cache=AnswerCache(poll, settings.api_evidence_cache_entries),
        risk_batcher=batcher,
        pseudonymizer=Pseudonymizer.from_secret(settings.pseudonym_key) if settings.pseudonym_key else None,
    )  # fmt: skip


async def watch_graph_version(state: AppState) -> None:
    """Poll the stored versions for the life of the app and keep the answer caches honest.

    No error ends it: while the versions cannot be read, nothing is served from memory.
    """
    poll_s, cards_seen, failing = state.risk_cache.poll_s, None, False
    while poll_s > 0:
        try:
            versions: StoredVersions | None = await graph_version(state.driver)
            cards_seen = follow_versions(state, versions, cards_seen)
            failing = False
        except Exception as exc:  # cannot tell: serve nothing from memory until Neo4j answers
            if not failing:  # once per spell; the type only (a message may quote a query's numbers)
                log.warning("cannot read the graph version (%s); polling on", type(exc).__name__)
            cards_seen, failing = follow_versions(state, None, cards_seen), True
        await asyncio.sleep(poll_s)


def follow_versions(state: AppState, versions: StoredVersions | None, cards_seen: int | None) -> int | None:
    """Apply one poll to the caches; returns the appeal count (``cards``) now seen.

    /evidence answers follow the graph's version. /risk cards follow the scores' (and are read
    again ahead of the asking when it moves, api/riskwarm.py); the cards of appealed numbers go one
    by one, unless more were appealed since the last poll than the store names: then all go.
    """
    if versions is None:
        state.evidence_cache.observe(None)
        state.risk_cache.observe(None)
        return None
    state.evidence_cache.observe(versions.graph)
    if cards_seen is not None:
        changed = versions.cards_changed_since(cards_seen)
        if changed is None:
            state.risk_cache.observe(None)  # too many to name: start over
        elif changed:
            state.risk_cache.forget(changed)
    if state.risk_cache.observe(versions.scores):
        state.preload_risk_cards()
    return versions.cards
