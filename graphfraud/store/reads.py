"""Reads for the API, on the async driver: every query a ``cypher/*.cypher`` file, routed to readers.

Functions take the injected :class:`neo4j.AsyncDriver` and return plain dicts. A Neo4j that cannot
be reached, or that cannot answer, becomes :class:`~graphfraud.errors.Neo4jUnavailable` (a 503).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from neo4j import READ_ACCESS, AsyncDriver, AsyncGraphDatabase
from neo4j.api import AsyncBookmarkManager
from neo4j.exceptions import (
    AuthError,
    DriverError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graphfraud.errors import Neo4jUnavailable
from graphfraud.store.cypher import query

__all__ = [
    "StoredVersions",
    "audit_events",
    "forget_bookmarks",
    "graph_version",
    "neo4j_errors",
    "number_kinds",
    "number_risk",
    "number_risk_page",
    "number_risks",
    "ping",
    "read",
    "read_one",
    "ring_detail",
    "rings_page",
]

log = logging.getLogger(__name__)

# The server waited for a transaction it will never reach: the bookmark came from a database that was
# replaced since (``ingest --bulk``), whose transaction ids started again from 1.
_BOOKMARK_TIMEOUT = "Neo.TransientError.Transaction.BookmarkTimeout"
# One bookmark manager per driver, shared by its reads, so that each read sees what the ones before saw.
_BOOKMARKS: WeakKeyDictionary[AsyncDriver, AsyncBookmarkManager] = WeakKeyDictionary()


@asynccontextmanager
async def neo4j_errors() -> AsyncIterator[None]:
    """Turn "cannot reach Neo4j" and "Neo4j cannot answer now" errors into :class:`Neo4jUnavailable`."""
    try:
        yield
    except (ServiceUnavailable, SessionExpired, AuthError, DriverError, OSError) as exc:
        raise Neo4jUnavailable(f"Neo4j is not reachable: {type(exc).__name__}") from exc
    except TransientError as exc:  # busy, or behind our bookmarks: a retry may succeed
        raise Neo4jUnavailable(f"Neo4j could not answer: {exc.code}") from exc


def _bookmark_manager(driver: AsyncDriver) -> AsyncBookmarkManager:
    manager = _BOOKMARKS.get(driver)
    if manager is None:
        manager = _BOOKMARKS[driver] = AsyncGraphDatabase.bookmark_manager()
    return manager


def forget_bookmarks(driver: AsyncDriver) -> None:
    """Let the driver's next reads start without bookmarks (the server went away, or was rebuilt)."""
    _BOOKMARKS.pop(driver, None)


async def read(driver: AsyncDriver, name: str, **params: Any) -> list[dict]:
    """Run ``cypher/<name>.cypher`` as a read; all records as dicts.

    An auto-commit query in a read session: one round trip (RUN and PULL), where ``execute_query``'s
    managed transaction takes two (BEGIN, RUN, PULL, then COMMIT): /risk's cold reads went from
    ~820 to ~1,300 a second. The driver's reads share one bookmark manager, so a read still sees
    what the reads before it saw. Those bookmarks are dropped when Neo4j cannot be reached, and when
    it times out waiting for them (a database rebuilt by ``ingest --bulk`` restarts its transaction
    ids): the read is then tried once more without them. The read queries return maps and scalars,
    never nodes, so the records are taken as they are, without ``Record.data()``'s recursive copy.
    """
    async with neo4j_errors():
        try:
            return await _read(driver, name, params)
        except (ServiceUnavailable, SessionExpired, OSError):
            forget_bookmarks(driver)  # what comes back up may be a rebuilt database
            raise
        except TransientError as exc:
            if exc.code != _BOOKMARK_TIMEOUT:
                raise
            log.warning("Neo4j is behind this worker's bookmarks (a rebuilt database?): read again without")
            forget_bookmarks(driver)
        return await _read(driver, name, params)


async def _read(driver: AsyncDriver, name: str, params: dict[str, Any]) -> list[dict]:
    options = {"default_access_mode": READ_ACCESS, "bookmark_manager": _bookmark_manager(driver)}
    async with driver.session(**options) as s:
        result = await s.run(query(name), params)
        keys, rows = result.keys(), await result.values()
    return [dict(zip(keys, row, strict=True)) for row in rows]


async def read_one(driver: AsyncDriver, name: str, **params: Any) -> dict | None:
    rows = await read(driver, name, **params)
    return rows[0] if rows else None


async def ping(driver: AsyncDriver) -> bool:
    return (await read_one(driver, "ping")) is not None


@dataclass(frozen=True)
class StoredVersions:
    """What the API's answer caches follow (``cypher/graph_version.cypher``).

    ``graph`` moves with every write (ingest, scoring run, appeal); ``scores`` with a scoring run or
    a new database; ``cards`` with each appeal, ``changed`` naming the last appealed numbers (newest
    last). ``graph`` and ``scores`` are tokens: the count with the time of its last move, so that a
    new database cannot repeat an old one.
    """

    graph: str
    scores: str
    cards: int
    changed: tuple[str, ...]

    def cards_changed_since(self, seen: int) -> list[str] | None:
        """The numbers whose card changed after version ``seen``; ``None`` when that is not known."""
        moved = self.cards - seen
        if moved < 0 or moved > len(self.changed):
            return None
        return list(self.changed[len(self.changed) - moved :])


async def graph_version(driver: AsyncDriver) -> StoredVersions:
    """The stored versions, read in one round trip."""
    row = await read_one(driver, "graph_version") or {}
    return StoredVersions(graph=f"{row.get('graph', 0)}@{row.get('graph_at')}",
                          scores=f"{row.get('scores', 0)}@{row.get('scores_at')}",
                          cards=int(row.get("cards", 0)),
                          changed=tuple(row.get("cards_numbers") or ()))  # fmt: skip


async def number_kinds(driver: AsyncDriver) -> dict:
    """``{"tokens": bool, "digits": bool}``: whether Neo4j holds pseudonym tokens, raw numbers."""
    row = await read_one(driver, "phone_number_kinds", sample=[]) or {}
    return {"tokens": bool(row.get("tokens")), "digits": bool(row.get("digits"))}


async def number_risk(driver: AsyncDriver, number: str) -> dict | None:
    """The stored scores of one number; ``None`` when the number is not in the graph."""
    return await read_one(driver, "number_risk", number=number)


async def number_risks(driver: AsyncDriver, numbers: list[str]) -> list[dict]:
    """The stored scores of many numbers in one read; a number not in the graph has no row."""
    row = await read_one(driver, "number_risk_batch", numbers=numbers)
    return row["cards"] if row else []


async def number_risk_page(driver: AsyncDriver, after: str, page: int) -> list[dict]:
    """The stored scores of the ``page`` numbers after ``after``, in number order (the /risk preload)."""
    row = await read_one(driver, "number_risk_page", after=after, page=page)
    return row["cards"] if row else []


async def rings_page(driver: AsyncDriver, *, offset: int, limit: int) -> tuple[int, list[dict]]:
    """The total number of rings and one page of them, highest risk first."""
    total = await read_one(driver, "rings_count")
    rows = await read(driver, "rings_page", offset=offset, limit=limit)
    return (total or {}).get("total", 0), rows


async def ring_detail(driver: AsyncDriver, ring_id: str, *, limit: int) -> dict | None:
    return await read_one(driver, "ring_detail", ring_id=ring_id, limit=limit)


async def audit_events(driver: AsyncDriver, number: str, *, limit: int) -> list[dict] | None:
    row = await read_one(driver, "audit_list", number=number, limit=limit)
    return None if row is None else row["events"]
