"""Coalesced cold /risk reads: the same bytes, far fewer reads, 404 and 503 per waiter, honest caching."""

from __future__ import annotations

import asyncio

import httpx2
import pytest
from conftest import headers
from neo4j import Driver
from pydantic import SecretStr

from graphfraud.api import create_app
from graphfraud.api.cache import AnswerCache
from graphfraud.api.cards import risk_card
from graphfraud.api.riskbatch import RiskBatcher
from graphfraud.errors import Neo4jUnavailable
from graphfraud.settings import Settings
from graphfraud.sim import World
from graphfraud.store import reads

ROW = {"risk": 0.5, "tier": "normal", "model_tier": "normal", "ring_id": None, "reasons": [],
       "explanation": None, "features": None, "computed_at": "2026-11-23T00:00:00Z"}  # fmt: skip


class FakeReads:
    """``read_risks`` over a dict of known numbers; records each batch; fails the batches asked to."""

    def __init__(self, known: set[str], fail: set[int] = frozenset(), delay_s: float = 0.01) -> None:
        self.known, self.fail, self.delay_s = known, fail, delay_s
        self.batches: list[list[str]] = []

    async def __call__(self, numbers: list[str]) -> list[dict]:
        self.batches.append(list(numbers))
        await asyncio.sleep(self.delay_s)
        if len(self.batches) - 1 in self.fail:
            raise Neo4jUnavailable("Neo4j is not reachable: ServiceUnavailable")
        return [{**ROW, "number": n} for n in numbers if n in self.known]


def _cache() -> AnswerCache:
    cache = AnswerCache(poll_s=1.0, max_entries=1000)
    cache.observe(1)
    return cache


def test_concurrent_misses_share_reads_and_each_waiter_gets_its_card() -> None:
    fake, cache = FakeReads({f"1{i:010d}" for i in range(300)}), _cache()

    async def go() -> list:
        batcher = RiskBatcher(fake, cache, max_batch=64)
        asked = [f"1{i:010d}" for i in range(300)] + ["19999999999"] * 3 + ["1" + "0" * 10] * 2
        return asked, await asyncio.gather(*(batcher.card(n) for n in asked))

    asked, cards = asyncio.run(go())
    assert cards[:300] == [risk_card({**ROW, "number": n}) for n in asked[:300]]
    assert cards[300:303] == [None] * 3  # not in the graph: the route's 404
    assert cards[303] == cards[0]
    assert [len(b) for b in fake.batches] == [64, 64, 64, 64, 45]  # 301 distinct numbers
    assert sum(len(b) for b in fake.batches) == len(set(asked))
    assert cache.get(asked[5]) == cards[5] and cache.get("19999999999") is None


def test_a_failed_read_fails_its_waiters_only_and_the_next_batch_still_runs() -> None:
    fake, cache = FakeReads({"111", "222", "333"}, fail={0}), _cache()

    async def go() -> tuple:
        batcher = RiskBatcher(fake, cache)
        first = asyncio.gather(batcher.card("111"), batcher.card("222"), return_exceptions=True)
        await asyncio.sleep(0)  # the first batch is sent; these two wait for the next one
        second = asyncio.gather(batcher.card("333"), batcher.card("222"), return_exceptions=True)
        return await first, await second

    first, second = asyncio.run(asyncio.wait_for(go(), timeout=5))
    assert all(isinstance(e, Neo4jUnavailable) for e in first)
    assert second[0] == risk_card({**ROW, "number": "333"})
    assert isinstance(second[1], Neo4jUnavailable)  # 222 was in flight: it shared that read
    assert fake.batches == [["111", "222"], ["333"]]


def test_a_card_read_before_a_drop_is_answered_but_not_kept() -> None:
    fake, cache = FakeReads({"111", "222"}, delay_s=0.05), _cache()

    async def go() -> tuple:
        batcher = RiskBatcher(fake, cache)
        waiting = asyncio.gather(batcher.card("111"), batcher.card("222"))
        await asyncio.sleep(0.01)  # the read is in flight ...
        cache.drop("111")  # ... when an appeal is recorded (or the graph's version moves)
        return await waiting

    cards = asyncio.run(go())
    assert cards[0] is not None and cards[1] is not None
    assert cache.get("111") is None and cache.get("222") is None
    asyncio.run(RiskBatcher(fake, cache).card("222"))
    assert cache.get("222") is not None  # read after the drop: kept


def test_a_waiter_that_goes_away_does_not_cancel_the_others() -> None:
    fake, cache = FakeReads({"111"}, delay_s=0.05), _cache()

    async def go() -> bytes | None:
        batcher = RiskBatcher(fake, cache)
        gone = asyncio.create_task(batcher.card("111"))
        stays = asyncio.create_task(batcher.card("111"))
        await asyncio.sleep(0.01)
        gone.cancel()
        return await stays

    assert asyncio.run(go()) == risk_card({**ROW, "number": "111"})


# --- on the real Neo4j, through the app -------------------------------------------------------


async def _concurrently(settings: Settings, paths: list[str], *, up: bool = True) -> list[httpx2.Response]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        state = app.state.graphfraud
        while up and state.risk_cache.version is None:  # the first poll of the graph version
            await asyncio.sleep(0.05)
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://api") as client:
            get = [client.get(p, headers=headers("consumer")) for p in paths]
            return await asyncio.wait_for(asyncio.gather(*get), timeout=30)


@pytest.mark.neo4j
def test_batched_cards_are_the_bytes_of_one_read_and_need_far_fewer_reads(
    api_settings: Settings, world: World, neo4j_driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = world.truth["number"].to_pylist()[:400]
    unknown = ["13000000001", "13000000002"]
    sent: list[str] = []
    real_read = reads.read

    async def counting_read(driver, name: str, **params):
        if name.startswith("number_risk"):
            sent.append(name)
        return await real_read(driver, name, **params)

    monkeypatch.setattr(reads, "read", counting_read)
    no_preload = api_settings.model_copy(update={"api_risk_preload": False})  # every card a first visit
    answers = asyncio.run(_concurrently(no_preload, [f"/v1/numbers/{n}/risk" for n in numbers + unknown]))
    monkeypatch.undo()

    assert [r.status_code for r in answers[-2:]] == [404, 404]
    assert answers[-1].json()["error"] == "not_found"
    assert all(r.status_code == 200 for r in answers[:-2])
    assert 1 <= len(sent) <= len(answers) // 10, len(sent)  # 402 misses, a handful of reads

    async def one_at_a_time(number: str) -> bytes | None:  # what the route did before batching
        from neo4j import AsyncGraphDatabase

        from graphfraud.store.driver import neo4j_auth

        async with AsyncGraphDatabase.driver(api_settings.bolt_uri, auth=neo4j_auth(api_settings)) as d:
            row = await reads.number_risk(d, number)
        return None if row is None else risk_card(row)

    for i in (0, 1, 57, 399):
        assert answers[i].content == asyncio.run(one_at_a_time(numbers[i])), numbers[i]
        assert answers[i].headers["content-type"] == "application/json"


@pytest.mark.neo4j
def test_neo4j_down_is_503_for_every_waiter_of_a_batch(api_settings: Settings) -> None:
    nowhere = {"neo4j_uri": "bolt://127.0.0.1:9", "neo4j_password": SecretStr("x")}
    down = api_settings.model_copy(update=nowhere)
    answers = asyncio.run(_concurrently(down, [f"/v1/numbers/138{i:08d}/risk" for i in range(60)], up=False))
    assert {r.status_code for r in answers} == {503}
    assert {r.json()["error"] for r in answers} == {"neo4j_unavailable"}
