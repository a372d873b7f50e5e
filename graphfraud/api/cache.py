"""Encoded answers kept in a worker's memory while the stored version they follow holds."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

__all__ = ["AnswerCache", "evidence_key"]


class AnswerCache:
    """Encoded answers (/risk cards, /evidence subgraphs), valid while a stored version holds.

    The stored graph changes only when calls are ingested, a scoring run writes scores, or an
    appeal is recorded, and each of them moves the versions it touches
    (``cypher/graph_version_bump.cypher``, ``cypher/card_changed.cypher``): /evidence answers follow
    the graph's version, /risk cards the scores' (an ingest leaves them as they are; an appeal names
    its number, and only that card goes, :meth:`forget`). Each worker polls the versions every
    ``poll_s`` seconds (``state.watch_graph_version``), so an answer is at most ``poll_s`` seconds
    stale; the worker that records an appeal drops that number at once. Bounded: least recently
    used entries go first.

    ``reload``: when the version moves, the old answers stay readable as a second layer until
    :meth:`reloaded` is called (the /risk preload, ``api/riskwarm.py``, has read every card again):
    for that long, at most ``poll_s`` plus one preload, a card may be one scoring run old, instead of
    every first visit after a scoring run reading Neo4j at once. A second move before that drops
    the old layer (never more than one run behind), and so does a version that cannot be read.
    Memory: up to twice ``max_entries`` during a reload.

    ``generation`` counts the drops: an answer computed from a read that began before one must
    not be kept (the read may predate the change), so a reader takes ``generation`` before reading
    and passes it to :meth:`put`.
    """

    def __init__(self, poll_s: float, max_entries: int = 200_000, *, reload: bool = False) -> None:
        self.poll_s, self.max_entries, self.reload = poll_s, max_entries, reload
        self.version: object | None = None  # a token from reads.graph_version
        self.generation = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._previous: dict[str, bytes] = {}  # the last version's answers, during a reload

    @property
    def enabled(self) -> bool:
        return self.poll_s > 0 and self.max_entries > 0

    @property
    def reloading(self) -> bool:
        return bool(self._previous)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> bytes | None:
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
        elif self._previous:
            hit = self._previous.get(key)
        return hit

    def put(self, key: str, value: bytes, generation: int | None = None) -> bool:
        """Keep an answer, unless the cache is off, not known current, or dropped since ``generation``."""
        if not self.enabled or self.version is None:  # not known to be current: do not keep it
            return False
        if generation is not None and generation != self.generation:
            return False
        self._items[key] = value
        if len(self._items) > self.max_entries:
            self._items.popitem(last=False)
        return True

    def drop(self, key: str) -> None:
        self.forget((key,))

    def forget(self, keys: Iterable[str]) -> None:
        """Drop these answers (both layers); reads in flight keep nothing (``generation``)."""
        for key in keys:
            self._items.pop(key, None)
            self._previous.pop(key, None)
        self.generation += 1

    def observe(self, version: object | None) -> bool:
        """Record the current version; a change (or an unknown one) empties the cache. True if it moved."""
        moved = version is None or version != self.version
        if moved:
            keep = self.reload and version is not None and self.version is not None and not self._previous
            self._previous, self._items = (self._items if keep else {}), OrderedDict()
            self.generation += 1
        self.version = version
        return moved

    def reloaded(self) -> None:
        """Every answer of the current version has been read again: the old layer goes."""
        self._previous = {}


def evidence_key(number: str, hops: int, limit: int | None, max_nodes: int) -> str:
    """The evidence cache's key: the normalised number, hops and the node cap that applies."""
    cap = min(limit or max_nodes, max_nodes)
    return f"{number}|{hops}|{cap}"
