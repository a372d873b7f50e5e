"""The /risk cache filled ahead of the asking: every stored risk card read once when the scores move.

Risk cards change all at once only when a scoring run writes scores (or a new database is
imported), and that moves the stored 'scores' version (``cypher/graph_version_bump.cypher``); an
appeal changes one card and names it (``cypher/card_changed.cypher``), and an ingest changes none.
So when a worker sees the scores version move, and when it starts, it reads the cards of every
number, ``page`` at a time in number order (``cypher/number_risk_page.cypher``, an index-ordered
range scan), into its /risk cache until the cache is full (``settings.api_risk_cache_entries``).
Meanwhile the last run's cards still answer (:class:`~graphfraud.api.cache.AnswerCache`, ``reload``);
a number not among them, or past a full cache, takes the coalesced cold read
(:mod:`graphfraud.api.riskbatch`) on its first visit.

A preload stops when the version moves again (the next one starts over). A page read while an appeal
dropped a card is read again, since it may predate the appeal (``AnswerCache.generation``). The
cards are encoded a few at a time between turns of the event loop, so requests keep being answered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from graphfraud.api.cards import risk_card
from graphfraud.api.metrics import PRELOAD_RUNNING, PRELOADED_CARDS
from graphfraud.errors import Neo4jUnavailable

if TYPE_CHECKING:  # state.py runs the preload
    from graphfraud.api.cache import AnswerCache

__all__ = ["preload_risk_cards"]

log = logging.getLogger(__name__)

ReadPage = Callable[[str, int], Awaitable[list[dict]]]
_ENCODE_SLICE = 64  # cards encoded between two turns of the event loop (~2 ms)
_RETRIES = 2  # reads of a page that keep meeting appeals, before its missing cards are left to first visits


async def preload_risk_cards(read_page: ReadPage, cache: AnswerCache, *, page: int = 500) -> int:
    """Read every stored card into ``cache`` while its version holds; returns the cards kept.

    ``read_page(after, page)``: ``reads.number_risk_page`` on the driver, the cards of the ``page``
    numbers after ``after`` in number order.
    """
    version, kept, after, tries = cache.version, 0, "", 0
    loop = asyncio.get_running_loop()
    started = loop.time()
    PRELOAD_RUNNING.inc()
    try:
        while version is not None and cache.version == version and len(cache) < cache.max_entries:
            generation = cache.generation
            rows = await read_page(after, page)
            if not rows:
                break
            added, whole = await _keep(cache, rows, generation)
            kept += added
            tries = 0 if whole else tries + 1
            if whole or tries > _RETRIES:  # else an appeal dropped a card meanwhile: read the page again
                after, tries = rows[-1]["number"], 0
    except Neo4jUnavailable as exc:  # the next move (or the poll's None then a version) starts over
        log.warning("risk card preload stopped after %d cards: %s", kept, exc)
    except Exception as exc:  # whatever it was, the last run's cards must not outlive the preload
        log.warning("risk card preload failed after %d cards: %s", kept, type(exc).__name__)
    else:
        log.info("risk card preload: %d cards in %.1f s", kept, loop.time() - started)
    finally:
        PRELOAD_RUNNING.dec()
        PRELOADED_CARDS.inc(kept)
    if cache.version == version:
        cache.reloaded()  # done, or failed: either way the last run's cards go (staleness bounded)
    return kept


async def _keep(cache: AnswerCache, rows: list[dict], generation: int) -> tuple[int, bool]:
    """Encode and keep one page's cards; ``(kept, whole page kept)``."""
    kept = 0
    for start in range(0, len(rows), _ENCODE_SLICE):
        for row in rows[start : start + _ENCODE_SLICE]:
            if cache.generation != generation or len(cache) >= cache.max_entries:
                return kept, False
            kept += cache.put(row["number"], risk_card(row), generation)
        await asyncio.sleep(0)  # let waiting requests in
    return kept, True
