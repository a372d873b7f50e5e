"""Cold /risk reads coalesced: the numbers missed while one read is in flight go in the next, together.

A cache miss of ``GET /v1/numbers/{number}/risk`` used to cost one Neo4j round trip of its own, and
those round trips (client and server work per query, on the same two cores as Neo4j) capped cold
answers near 930 a second. :class:`RiskBatcher` queues the missed numbers; one task per worker
takes everything queued (at most ``max_batch``), reads it with one ``UNWIND`` query
(``cypher/number_risk_batch.cypher``), and answers each waiter. Nothing waits for a batch to
fill: an idle worker's first miss is read at the next turn of the event loop.

* The same bytes as one read: the card is encoded by :func:`~graphfraud.api.cards.risk_card`.
* A number not in the graph answers ``None`` (the route's 404); a failed read (Neo4j down: 503)
  fails the waiters of that batch only, and the task goes on with the next.
* A number asked again while queued or in flight waits for the same read.
* Cards go into the cache as before, unless the cache was dropped (graph version moved, appeal)
  while the read was in flight: such a read may predate the change (:attr:`AnswerCache.generation`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from graphfraud.api.cards import risk_card

if TYPE_CHECKING:  # state.py creates the batcher
    from graphfraud.api.cache import AnswerCache

__all__ = ["RiskBatcher"]

ReadRisks = Callable[[list[str]], Awaitable[list[dict]]]


def _retrieve(future: asyncio.Future) -> None:
    # A waiter that went away (client disconnected) leaves its failure unread: no "never retrieved" log.
    if not future.cancelled():
        future.exception()


class RiskBatcher:
    """Coalesced cold /risk reads of one worker; ``read_risks``: ``reads.number_risks`` on the driver."""

    def __init__(self, read_risks: ReadRisks, cache: AnswerCache, max_batch: int = 256) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.read_risks, self.cache, self.max_batch = read_risks, cache, max_batch
        self.batches = 0  # reads sent, for tests and curiosity
        self._queued: list[str] = []
        self._waiting: dict[str, asyncio.Future[bytes | None]] = {}  # queued or in flight
        self._task: asyncio.Task | None = None

    async def card(self, number: str) -> bytes | None:
        """The encoded risk card of a (normalised) number, ``None`` when it is not in the graph."""
        future = self._waiting.get(number)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            future.add_done_callback(_retrieve)
            self._waiting[number] = future
            self._queued.append(number)
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._drain())
        # shield: one waiter cancelled (its client went away) must not cancel the others' answer
        return await asyncio.shield(future)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._fail(list(self._waiting), asyncio.CancelledError())

    async def _drain(self) -> None:
        """Read batches until nothing is queued; a new miss starts a new task."""
        while self._queued:
            batch, self._queued = self._queued[: self.max_batch], self._queued[self.max_batch :]
            try:
                await self._read(batch)
            except asyncio.CancelledError:
                self._fail(batch, asyncio.CancelledError())
                raise
            except Exception as exc:  # every waiter of this batch gets the failure, no other
                self._fail(batch, exc)

    async def _read(self, batch: list[str]) -> None:
        generation = self.cache.generation
        self.batches += 1
        rows = await self.read_risks(batch)
        cards = {row["number"]: risk_card(row) for row in rows}
        for number in batch:
            card = cards.get(number)
            if card is not None:
                self.cache.put(number, card, generation)
            future = self._waiting.pop(number)
            if not future.done():
                future.set_result(card)

    def _fail(self, batch: list[str], exc: BaseException) -> None:
        for number in batch:
            future = self._waiting.pop(number, None)
            if future is not None and not future.done():
                if isinstance(exc, asyncio.CancelledError):
                    future.cancel()
                else:
                    future.set_exception(exc)
