"""Risk cards read ahead of the asking: every card, the same bytes, stopped by a move, kept across ingest."""

from __future__ import annotations

import asyncio
import time

import pytest
from conftest import headers
from fastapi.testclient import TestClient
from neo4j import Driver

from graphfraud.api import create_app
from graphfraud.api.cache import AnswerCache
from graphfraud.api.cards import risk_card
from graphfraud.api.riskwarm import preload_risk_cards
from graphfraud.errors import Neo4jUnavailable
from graphfraud.settings import Settings
from graphfraud.sim import World
from graphfraud.store import reads
from graphfraud.store.loader import bump_graph_version

ROW = {"risk": 0.5, "tier": "normal", "model_tier": "normal", "ring_id": None, "reasons": [],
       "explanation": None, "features": None, "computed_at": "2026-11-23T00:00:00Z"}  # fmt: skip


class FakePages:
    """``read_page`` over sorted numbers; ``during`` runs against the cache before a given read returns."""

    def __init__(self, numbers: list[str], during: dict | None = None, fail_at: int = -1) -> None:
        self.numbers, self.during, self.fail_at = sorted(numbers), during or {}, fail_at
        self.reads: list[str] = []

    async def __call__(self, after: str, page: int) -> list[dict]:
        self.reads.append(after)
        await asyncio.sleep(0)
        if len(self.reads) - 1 == self.fail_at:
            raise Neo4jUnavailable("Neo4j is not reachable: ServiceUnavailable")
        if (hook := self.during.get(len(self.reads) - 1)) is not None:
            hook()
        return [{**ROW, "number": n} for n in self.numbers if n > after][:page]


def _cache(max_entries: int = 10_000) -> AnswerCache:
    cache = AnswerCache(poll_s=1.0, max_entries=max_entries)
    cache.observe("1@t")
    return cache


NUMBERS = [f"1{i:010d}" for i in range(2_345)]


def test_every_card_is_read_page_by_page_as_the_cold_read_encodes_it() -> None:
    cache, pages = _cache(), FakePages(NUMBERS)
    kept = asyncio.run(preload_risk_cards(pages, cache, page=1000))
    assert kept == len(cache) == len(NUMBERS)
    assert pages.reads == ["", NUMBERS[999], NUMBERS[1999], NUMBERS[-1]]  # the last read finds nothing
    assert cache.get(NUMBERS[1234]) == risk_card({**ROW, "number": NUMBERS[1234]})


def test_a_full_cache_stops_it_without_evicting_anything() -> None:
    cache = _cache(max_entries=1_500)
    cache.put("19999999999", b"asked before the preload")
    kept = asyncio.run(preload_risk_cards(FakePages(NUMBERS), cache, page=1000))
    assert len(cache) == 1_500 and kept == 1_499
    assert cache.get("19999999999") == b"asked before the preload"


def test_a_version_move_stops_it_and_keeps_nothing_from_before() -> None:
    cache = _cache()
    pages = FakePages(NUMBERS, during={1: lambda: cache.observe("2@t")})
    kept = asyncio.run(preload_risk_cards(pages, cache, page=1000))
    assert kept == 1000 and len(cache) == 0 and len(pages.reads) == 2


def test_a_page_read_during_an_appeal_is_read_again() -> None:
    cache = _cache()
    pages = FakePages(NUMBERS, during={1: lambda: cache.drop(NUMBERS[1500])})
    kept = asyncio.run(preload_risk_cards(pages, cache, page=1000))
    assert pages.reads[:3] == ["", NUMBERS[999], NUMBERS[999]]  # the second page again, after the drop
    assert kept == len(cache) == len(NUMBERS)


def test_neo4j_going_away_stops_it_quietly_with_what_it_kept() -> None:
    cache = _cache()
    kept = asyncio.run(preload_risk_cards(FakePages(NUMBERS, fail_at=1), cache, page=1000))
    assert kept == len(cache) == 1000


def test_any_failure_ends_the_reload_so_no_old_card_outlives_it() -> None:
    """The last scoring run's cards answer only while a preload runs: if it fails in any way (not
    only Neo4j going away), they go, and the next visits read the new cards."""
    cache = AnswerCache(poll_s=1.0, reload=True)
    cache.observe("1@t")
    cache.put(NUMBERS[0], b"the card of the run before")
    cache.observe("2@t")  # a scoring run: the old cards stay readable while the preload runs
    assert cache.get(NUMBERS[0]) == b"the card of the run before"

    async def broken(after: str, page: int) -> list[dict]:
        raise RuntimeError("a bug")

    assert asyncio.run(preload_risk_cards(broken, cache, page=1000)) == 0
    assert cache.get(NUMBERS[0]) is None and not cache.reloading


# --- on the real Neo4j, through the app -------------------------------------------------------


def _wait(predicate, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.neo4j
def test_every_stored_card_is_in_memory_after_start_and_after_a_scoring_run(
    api_settings: Settings, world: World, neo4j_driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    with neo4j_driver.session() as s:
        stored = s.run("MATCH (p:Phone) RETURN count(p) AS n").single()["n"]
    sent: list[str] = []
    real_read = reads.read

    async def counting_read(driver, name: str, **params):
        sent.append(name)
        return await real_read(driver, name, **params)

    monkeypatch.setattr(reads, "read", counting_read)
    app = create_app(api_settings)
    with TestClient(app) as client:
        state = app.state.graphfraud
        _wait(lambda: state.risk_preload is not None and state.risk_preload.done())
        assert len(state.risk_cache) == stored == state.risk_preload.result()
        numbers = world.truth["number"].to_pylist()
        before = len(sent)
        answers = [client.get(f"/v1/numbers/{n}/risk", headers=headers("consumer")) for n in numbers[:300]]
        assert all(a.status_code == 200 for a in answers)
        assert [n for n in sent[before:] if n.startswith("number_risk")] == []  # no first visit read Neo4j
        one = asyncio.run(_one_read(api_settings, numbers[7]))
        assert answers[7].content == one  # the bytes of the read a first visit makes

        # An ingest keeps the cards (and drops the subgraphs); a scoring run reads them all again.
        evidence = f"/v1/numbers/{numbers[7]}/evidence"
        client.get(evidence, headers=headers("investigator"))
        assert len(state.evidence_cache) == 1
        first_preload = state.risk_preload
        bump_graph_version(neo4j_driver)
        _wait(lambda: len(state.evidence_cache) == 0, seconds=5)
        time.sleep(2 * api_settings.api_cache_poll_s)
        assert state.risk_preload is first_preload and len(state.risk_cache) == stored
        # An appeal recorded by another worker: this one drops that card alone, and reads it anew.
        asyncio.run(_appeal_elsewhere(api_settings, numbers[7]))
        _wait(lambda: len(state.risk_cache) == stored - 1, seconds=5)
        assert state.risk_preload is first_preload
        card = client.get(f"/v1/numbers/{numbers[7]}/risk", headers=headers("consumer")).json()
        assert "APPEAL_CLEARED" in [r["code"] for r in card["reasons"]]

        bump_graph_version(neo4j_driver, scores=True)
        _wait(lambda: state.risk_preload is not first_preload and state.risk_preload.done())
        assert len(state.risk_cache) == stored and not state.risk_cache.reloading
    monkeypatch.undo()


async def _appeal_elsewhere(settings: Settings, number: str) -> None:
    from neo4j import AsyncGraphDatabase

    from graphfraud.store.driver import neo4j_auth
    from graphfraud.store.writeback import record_appeal

    async with AsyncGraphDatabase.driver(settings.bolt_uri, auth=neo4j_auth(settings)) as d:
        await record_appeal(d, number, outcome="cleared", by="analyst-elsewhere")


async def _one_read(settings: Settings, number: str) -> bytes:
    from neo4j import AsyncGraphDatabase

    from graphfraud.store.driver import neo4j_auth

    async with AsyncGraphDatabase.driver(settings.bolt_uri, auth=neo4j_auth(settings)) as d:
        return risk_card(await reads.number_risk(d, number))
