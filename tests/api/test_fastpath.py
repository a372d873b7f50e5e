"""Cached answers sent before FastAPI's routing: the same bytes, the same access rules, still counted."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from conftest import headers
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from graphfraud.api import create_app
from graphfraud.api.deps import get_state
from graphfraud.api.fastpath import _evidence_params
from graphfraud.api.state import AppState
from graphfraud.settings import Settings
from graphfraud.sim import World

pytestmark = pytest.mark.neo4j


def test_only_query_strings_the_route_accepts_as_they_are_take_the_fast_path() -> None:
    assert _evidence_params(b"") == (1, None)
    assert _evidence_params(b"hops=2") == (2, None)
    assert _evidence_params(b"limit=5&hops=2") == (2, 5)
    for query in (b"hops=3", b"hops=0", b"limit=0", b"limit=100001", b"hops=1&hops=2", b"hops=01",
                  b"hops=2&x=1", b"hops=%32", b"hops="):  # fmt: skip
        assert _evidence_params(query) is None, query


@pytest.fixture(scope="module")
def counted(api_settings: Settings, world: World) -> Iterator[tuple[TestClient, FastAPI, list[str]]]:
    """A client whose app records every request that reached FastAPI's dependencies (the slow path)."""
    app = create_app(api_settings)
    slow: list[str] = []

    async def counting_state(request: Request) -> AppState:
        slow.append(request.url.path)
        return request.app.state.graphfraud

    app.dependency_overrides[get_state] = counting_state
    with TestClient(app) as client:
        deadline = time.monotonic() + 10
        while app.state.graphfraud.risk_cache.version is None:  # the first poll of the graph version
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield client, app, slow


def _same_answer(a, b) -> None:
    assert a.status_code == b.status_code == 200
    assert a.content == b.content
    assert {k: v for k, v in a.headers.items() if k != "date"} == {
        k: v for k, v in b.headers.items() if k != "date"
    }


def test_a_cached_risk_card_is_the_same_bytes_without_the_slow_path(counted, member: str) -> None:
    client, _, slow = counted
    url = f"/v1/numbers/{member}/risk"
    first = client.get(url, headers=headers("consumer"))
    n = len(slow)
    second = client.get(url, headers=headers("consumer"))
    assert len(slow) == n  # answered before routing
    _same_answer(first, second)
    assert second.headers["content-type"] == "application/json"


def test_a_cached_subgraph_is_the_same_bytes_without_the_slow_path(counted, member: str) -> None:
    client, _, slow = counted
    for query in ("", "?hops=2", "?hops=2&limit=5", "?limit=300&hops=1"):
        url = f"/v1/numbers/{member}/evidence{query}"
        first = client.get(url, headers=headers("investigator"))
        n = len(slow)
        second = client.get(url, headers=headers("investigator"))
        assert len(slow) == n, query
        _same_answer(first, second)
    # limit above the server's cap is the same subgraph as no limit; the same cache entry answers
    n = len(slow)
    capped = client.get(f"/v1/numbers/{member}/evidence?limit=100000", headers=headers("admin"))
    assert capped.json()["limit"] == 300 and len(slow) == n


def test_keys_and_roles_still_hold_on_a_cached_number(counted, member: str) -> None:
    client, _, _ = counted
    risk, evidence = f"/v1/numbers/{member}/risk", f"/v1/numbers/{member}/evidence?hops=2"
    assert client.get(risk, headers=headers("consumer")).status_code == 200
    assert client.get(evidence, headers=headers("investigator")).status_code == 200
    missing = client.get(risk)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "X-API-Key"
    assert client.get(risk, headers={"X-API-Key": "nope"}).json()["error"] == "unauthorized"
    assert client.get(evidence).status_code == 401
    forbidden = client.get(evidence, headers=headers("consumer"))
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "forbidden"


def test_malformed_input_still_gets_the_routes_answer(counted, member: str) -> None:
    client, _, slow = counted
    h = headers("investigator")
    client.get(f"/v1/numbers/{member}/evidence?hops=2", headers=h)
    assert client.get(f"/v1/numbers/{member}/evidence?hops=3", headers=h).status_code == 422
    assert client.get(f"/v1/numbers/{member}/evidence?limit=0", headers=h).status_code == 422
    assert client.get("/v1/numbers/12ab/risk", headers=h).status_code == 422
    spaced = f"+86 {member[:3]}-{member[3:7]}-{member[7:]}"
    n = len(slow)
    assert client.get(f"/v1/numbers/{spaced}/risk", headers=h).json()["number"] == member
    assert client.get(f"/v1/numbers/0086{member}/risk", headers=h).json()["number"] == member
    assert len(slow) == n + 2  # normalising is the route's job


def test_cached_answers_are_counted_and_dropped_when_their_card_changes(counted, member: str) -> None:
    client, app, slow = counted
    url = f"/v1/numbers/{member}/risk"

    def served() -> float:
        label = 'graphfraud_http_requests_total{method="GET",route="/v1/numbers/{number}/risk",status="200"}'
        lines = [line for line in client.get("/metrics").text.splitlines() if line.startswith(label)]
        return float(lines[0].rsplit(" ", 1)[1]) if lines else 0.0

    client.get(url, headers=headers("consumer"))
    before, n = served(), len(slow)
    for _ in range(3):
        client.get(url, headers=headers("consumer"))
    assert served() == before + 3 and len(slow) == n
    cache, batcher = app.state.graphfraud.risk_cache, app.state.graphfraud.risk_batcher
    reads = batcher.batches
    cache.forget([member])  # what the poll does when another worker records an appeal of it
    client.get(url, headers=headers("consumer"))
    assert batcher.batches == reads + 1 and served() == before + 4  # read again, counted
    assert len(slow) == n  # a /risk miss is read in the fast path too (riskbatch.py)


def test_a_number_not_in_the_graph_is_left_to_the_route(counted) -> None:
    client, _, slow = counted
    n = len(slow)
    missing = client.get("/v1/numbers/13000000009/risk", headers=headers("consumer"))
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert len(slow) == n + 1
