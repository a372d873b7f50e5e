"""POST /v1/calls into a pseudonymised database: tokens with the server's key, never raw numbers."""

from __future__ import annotations

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
