"""A pseudonymised database over the API: POST /v1/calls stores tokens with the server's key, never raw
numbers; a number asked by its digits is looked up by its token."""

from __future__ import annotations

import time

import pytest
from conftest import headers
from fastapi.testclient import TestClient
from neo4j import Driver
from pydantic import SecretStr

from graphfraud.api import create_app
from graphfraud.privacy import Pseudonymizer
from graphfraud.settings import Settings

pytestmark = pytest.mark.neo4j

KEY = "test-key-0123456789abcdef"
ROWS = [{"caller": "13811110001", "callee": "13811110002", "start_time": 1793600000, "duration_s": 35}]


def _numbers(driver: Driver) -> set[str]:
    with driver.session() as s:
        return {r["n"] for r in s.run("MATCH (p:Phone) RETURN p.number AS n")}


@pytest.mark.parametrize("key", [KEY, None], ids=["server-has-the-key", "server-has-no-key"])
def test_calls_into_a_pseudonymised_database(empty_db: Driver, api_settings: Settings, key) -> None:
    token = Pseudonymizer(KEY).token("13900000009")
    with empty_db.session() as s:  # a database an ingest --pseudonymize filled
        s.run("CREATE (:Phone {number: $n})", n=token).consume()
    update = {"pseudonym_key": SecretStr(key) if key else None}
    with TestClient(create_app(api_settings.model_copy(update=update))) as client:
        r = client.post("/v1/calls", headers=headers("admin"), json=ROWS)
    if key:
        assert r.status_code == 200 and r.json()["accepted"] == 1
        stored = {Pseudonymizer(KEY).token(n) for n in ("13811110001", "13811110002")}
        assert _numbers(empty_db) == {token, *stored}
    else:
        assert r.status_code == 500 and "GRAPHFRAUD_PSEUDONYM_KEY" in r.json()["detail"]
        assert _numbers(empty_db) == {token}  # nothing stored, and no raw number


def test_calls_into_a_database_of_raw_numbers_stay_raw(empty_db: Driver, api_settings: Settings) -> None:
    with empty_db.session() as s:
        s.run("CREATE (:Phone {number: '13900000009'})").consume()
    update = {"pseudonym_key": SecretStr(KEY)}
    with TestClient(create_app(api_settings.model_copy(update=update))) as client:
        assert client.post("/v1/calls", headers=headers("admin"), json=ROWS).status_code == 200
    assert _numbers(empty_db) == {"13900000009", "13811110001", "13811110002"}


@pytest.mark.parametrize("key", [KEY, None], ids=["server-has-the-key", "server-has-no-key"])
def test_calls_into_an_empty_database_are_tokens_when_the_server_has_the_key(
    empty_db: Driver, api_settings: Settings, key
) -> None:
    update = {"pseudonym_key": SecretStr(key) if key else None}
    with TestClient(create_app(api_settings.model_copy(update=update))) as client:
        assert client.post("/v1/calls", headers=headers("admin"), json=ROWS).status_code == 200
    raw = {"13811110001", "13811110002"}
    assert _numbers(empty_db) == ({Pseudonymizer(KEY).token(n) for n in raw} if key else raw)


@pytest.mark.parametrize("key", [KEY, None], ids=["server-has-the-key", "server-has-no-key"])
def test_a_number_asked_by_its_digits_in_a_pseudonymised_database(
    empty_db: Driver, api_settings: Settings, key
) -> None:
    token = Pseudonymizer(KEY).token("13900000009")
    with empty_db.session() as s:
        s.run("CREATE (:Phone {number: $n, risk: 0.91, tier: 'suspend', reasons: ['RING_MEMBER']})",
              n=token).consume()  # fmt: skip
    update = {"pseudonym_key": SecretStr(key) if key else None}
    with TestClient(create_app(api_settings.model_copy(update=update))) as client:
        h = headers("investigator")
        by_token = client.get(f"/v1/numbers/{token}/risk", headers=h)
        risk = client.get("/v1/numbers/139-0000-0009/risk", headers=h)
        audit = client.get("/v1/numbers/13900000009/audit", headers=h)
        unknown = client.get("/v1/numbers/13900000008/risk", headers=h)
    assert by_token.status_code == 200 and by_token.json()["tier"] == "suspend"
    if key:  # the server asks by the number's token: the card is the token's
        assert risk.status_code == 200 and risk.json() == by_token.json()
        assert audit.status_code == 200 and audit.json()["number"] == token
        assert unknown.status_code == 404
        other = Pseudonymizer(KEY).token("13900000008")
        assert unknown.json()["detail"] == f"number {other} is not in the graph"
    else:  # no key: a number can never be found among tokens, and the answer says why
        for r in (risk, audit, unknown):
            assert r.status_code == 404
            assert "holds pseudonym tokens" in r.json()["detail"]
            assert "GRAPHFRAUD_PSEUDONYM_KEY" in r.json()["detail"]


def test_a_number_asked_by_its_digits_in_a_database_of_digits(
    empty_db: Driver, api_settings: Settings
) -> None:
    with empty_db.session() as s:
        s.run("CREATE (:Phone {number: '13900000009', risk: 0.1, tier: 'normal', reasons: []})").consume()
    update = {"pseudonym_key": SecretStr(KEY)}  # a key, but the database holds digits
    with TestClient(create_app(api_settings.model_copy(update=update))) as client:
        r = client.get("/v1/numbers/13900000009/risk", headers=headers("consumer"))
    assert r.status_code == 200 and r.json()["number"] == "13900000009"


def test_digits_in_a_pseudonymised_database_on_every_route_and_the_fast_path(
    empty_db: Driver, api_settings: Settings
) -> None:
    token = Pseudonymizer(KEY).token("13900000009")
    with empty_db.session() as s:
        s.run("CREATE (:Phone {number: $n, risk: 0.91, tier: 'suspend', model_tier: 'suspend', "
              "reasons: ['RING_MEMBER']})", n=token).consume()  # fmt: skip
    app = create_app(api_settings.model_copy(update={"pseudonym_key": SecretStr(KEY)}))
    with TestClient(app) as client:
        h = headers("investigator")
        first = client.get("/v1/numbers/13900000009/risk", headers=h)  # the route learns the kind
        state = app.state.graphfraud
        assert state.stored_form("13900000009") in (token, "13900000009")  # known once polled
        again = client.get("/v1/numbers/13900000009/risk", headers=h)
        evidence = client.get("/v1/numbers/13900000009/evidence", headers=h)
        appeal = client.post("/v1/numbers/13900000009/appeals", headers=h,
                             json={"outcome": "upheld", "by": "analyst"})  # fmt: skip
    assert first.status_code == again.status_code == 200 and again.json() == first.json()
    assert evidence.status_code == 200
    assert appeal.status_code == 201 and appeal.json()["number"] == token
    assert state.risk_cache.get("13900000009") is None  # nothing is kept under the digits
    assert _numbers(empty_db) == {token}  # and no raw number was written


def test_calls_posted_into_an_empty_database_are_found_by_their_digits_at_once(
    empty_db: Driver, api_settings: Settings
) -> None:
    """The kind is kept per graph version; after its own POST a server reads it again at once,
    not at its next poll (30 s here)."""
    update = {"pseudonym_key": SecretStr(KEY), "api_cache_poll_s": 30.0}
    app = create_app(api_settings.model_copy(update=update))
    with TestClient(app) as client:
        state = app.state.graphfraud
        deadline = time.monotonic() + 10
        while state.evidence_cache.version is None and time.monotonic() < deadline:
            time.sleep(0.02)  # the watcher's first poll
        assert client.get("/v1/numbers/13811110001/audit", headers=headers("admin")).status_code == 404
        assert state.tokens_seen is not None and state.tokens_seen[1] is False  # empty: digits
        assert client.post("/v1/calls", headers=headers("admin"), json=ROWS).status_code == 200
        r = client.get("/v1/numbers/13811110001/audit", headers=headers("admin"))
    assert r.status_code == 200 and r.json()["number"] == Pseudonymizer(KEY).token("13811110001")


def test_calls_into_an_empty_database_another_writer_claimed_for_tokens(
    empty_db: Driver, api_settings: Settings
) -> None:
    """An ingest --pseudonymize began a moment ago (it claimed the empty database, wrote nothing
    yet): a server without the key must not store raw numbers beside the tokens to come."""
    from graphfraud.store.kinds import claim_number_kind

    claim_number_kind(empty_db, tokens=True)
    with TestClient(create_app(api_settings)) as client:
        r = client.post("/v1/calls", headers=headers("admin"), json=ROWS)
    assert r.status_code == 409 and r.json()["error"] == "kind_conflict"
    assert "claimed for pseudonymised numbers" in r.json()["detail"]
    assert _numbers(empty_db) == set()
    # ... and a server with the key, into one a raw ingest claimed, stores no token either.
    with empty_db.session() as s:
        s.run("MATCH (k:NumberKind) SET k.kind = 'digits'").consume()
    with TestClient(create_app(api_settings.model_copy(update={"pseudonym_key": SecretStr(KEY)}))) as client:
        r = client.post("/v1/calls", headers=headers("admin"), json=ROWS)
    assert r.status_code == 409 and "claimed for raw numbers" in r.json()["detail"]
    assert _numbers(empty_db) == set()
