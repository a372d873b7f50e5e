"""Edges a consumer of the API meets: numbers written oddly in paths (answered, and kept out of the
log), appeals that lapsed already, implausible call rows, and errors in the documented shape."""

from __future__ import annotations

import logging

import pytest
from conftest import headers
from fastapi.testclient import TestClient
from pydantic import SecretStr

from graphfraud.api import create_app
from graphfraud.api.deps import already_normal
from graphfraud.settings import Settings
from graphfraud.sim import World

pytestmark = pytest.mark.neo4j

SPELLINGS = ["13300841987", "133-0084-1987", "133%200084%201987", "(133)0084.1987", "+86%20133.0084.1987"]


def test_numbers_in_paths_never_reach_the_log_unredacted(api_settings: Settings, caplog) -> None:
    nowhere = {"neo4j_uri": "bolt://127.0.0.1:9", "neo4j_password": SecretStr("x")}
    down, h = api_settings.model_copy(update=nowhere), headers("investigator")
    with TestClient(create_app(down)) as c, caplog.at_level(logging.WARNING, logger="graphfraud"):
        for number in SPELLINGS:
            caplog.clear()
            path = f"/v1/numbers/{number}"
            answers = [c.get(f"{path}/{endpoint}", headers=h) for endpoint in ("risk", "evidence", "audit")]
            answers.append(c.post(f"{path}/appeals", headers=h, json={"outcome": "upheld", "by": "x"}))
            assert [r.status_code for r in answers] == [503] * 4, number
            logged = [r.getMessage() for r in caplog.records if r.name.startswith("graphfraud")]
            paths = [line for line in logged if "/v1/numbers/" in line]  # not the version watcher's
            assert len(paths) >= 2 and all("/v1/numbers/133******87/" in line for line in paths), logged
            assert not any("0084" in line or "1987" in line or "84.19" in line for line in logged), logged


def test_a_trailing_newline_or_space_in_a_path_number_is_stripped(client: TestClient, member: str) -> None:
    assert not already_normal(f"{member}\n") and not already_normal("x" + "0" * 24 + "\n")
    h = headers("investigator")
    for suffix in ("%0A", "%20", "%0D%0A"):
        r = client.get(f"/v1/numbers/{member}{suffix}/risk", headers=h)
        assert r.status_code == 200 and r.json()["number"] == member, (suffix, r.text)
        assert client.get(f"/v1/numbers/{member}{suffix}/evidence", headers=h).json()["subject"] == member
    token = "x" + "0" * 24
    detail = client.get(f"/v1/numbers/{token}%0A/risk", headers=h).json()["detail"]
    assert detail == f"number {token} is not in the graph"


def test_a_clearance_that_lapsed_already_is_refused(client: TestClient, world: World, member: str) -> None:
    ring = sorted(t["number"] for t in world.truth.to_pylist() if t["ring"] and t["number"] != member)
    number, h = ring[0], headers("investigator")
    r = client.post(f"/v1/numbers/{number}/appeals", headers=h,
                    json={"outcome": "cleared", "by": "x", "valid_until": "2020-01-01"})  # fmt: skip
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"
    assert "valid_until 2020-01-01 is in the past" in r.json()["errors"][0]["reason"]
    risk = client.get(f"/v1/numbers/{number}/risk", headers=h).json()
    assert risk["tier"] == "suspend" and risk["reasons"][0]["code"] != "APPEAL_CLEARED"
    assert client.get(f"/v1/numbers/{number}/audit", headers=h).json()["events"][-1]["kind"] != "appeal"


ROW = {"caller": "13899990001", "callee": "13899990002", "start_time": 1793600000, "duration_s": 35}
WRONG_TYPES = [
    ("start_time", True, "not true/false"),
    ("start_time", 1793600000.0, "ISO 8601 text with an offset or whole epoch seconds"),
    ("duration_s", True, "not true/false"),
    ("duration_s", 3.5, "whole seconds"),
]
OUT_OF_RANGE = "start_time is outside 1970-01-01..2099-12-31 (UTC)"
IMPLAUSIBLE = [
    ("start_time", 99999999999999999, OUT_OF_RANGE),
    ("start_time", -99999999999999, OUT_OF_RANGE),
    ("start_time", "-1", OUT_OF_RANGE),
    ("start_time", "1969-12-31T23:59:59Z", OUT_OF_RANGE),
    ("start_time", "2100-01-01T00:00:00+00:00", OUT_OF_RANGE),
    ("duration_s", 1_000_000_000, "duration_s is over 999,999,999 seconds"),
    ("duration_s", "1000000000", "duration_s is over 999,999,999 seconds"),
]


@pytest.mark.parametrize(("field", "value", "reason"), WRONG_TYPES)
def test_call_rows_are_strictly_typed(client: TestClient, field: str, value, reason) -> None:
    """A JSON type the contract does not take (true for 1, a float) rejects the request."""
    r = client.post("/v1/calls", headers=headers("admin"), json=[ROW, {**ROW, field: value}])
    body = r.json()
    assert r.status_code == 422 and body["error"] == "invalid_input", body
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(2, f"body.1.{field}")], body
    assert reason in body["errors"][0]["reason"], body


@pytest.mark.parametrize(("field", "value", "reason"), IMPLAUSIBLE)
def test_implausible_call_rows_fail_row_by_row(client: TestClient, field: str, value, reason) -> None:
    """Values out of the contract's range fail their row, as in a file; the good row is stored."""
    r = client.post("/v1/calls", headers=headers("admin"), json=[ROW, {**ROW, field: value}])
    body = r.json()
    assert r.status_code == 422 and body["error"] == "invalid_input" and body["accepted"] == 1, body
    assert [(e["line"], e["reason"]) for e in body["errors"]] == [(2, reason)], body


def test_plausible_call_rows_at_the_edges_are_accepted(client: TestClient) -> None:
    rows = [{**ROW, "start_time": 0, "duration_s": 999_999_999}, {**ROW, "start_time": "4102444799"},
            {**ROW, "start_time": "2099-12-31T23:59:59Z", "duration_s": "0"}]  # fmt: skip
    r = client.post("/v1/calls", headers=headers("admin"), json=rows)
    assert r.status_code == 200 and r.json()["accepted"] == 3, r.text


def _documented(r, status: int, error: str) -> dict:
    body = r.json()
    assert r.status_code == status and body["error"] == error and body["detail"], (r.status_code, body)
    assert set(body) <= {"error", "detail", "errors", "accepted"}, body
    return body


def test_every_error_has_the_documented_shape(client: TestClient, member: str) -> None:
    h = headers("investigator")
    _documented(client.get("/v1/nowhere", headers=h), 404, "not_found")
    _documented(client.get("/ui/nowhere.js"), 404, "not_found")
    _documented(client.get("/v1/numbers/133%2F0084%2F1987/risk", headers=h), 404, "not_found")
    r = client.delete(f"/v1/numbers/{member}/risk", headers=h)
    _documented(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "GET"
    r = client.get(f"/v1/numbers/{member}/risk")
    _documented(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "X-API-Key"


def test_json_decode_errors_give_a_position_in_the_body(client: TestClient, member: str) -> None:
    broken = '[{"caller": "13811110001", "callee": "13811110002", "start_time": 1793600000, "duration_s": }]'
    appeal = '{"outcome": "cleared", "by": }'
    cases = [("/v1/calls", "admin", broken), (f"/v1/numbers/{member}/appeals", "investigator", appeal)]
    for path, role, text in cases:
        h = headers(role)
        r = client.post(path, headers={**h, "Content-Type": "application/json"}, content=text)
        body = _documented(r, 422, "invalid_input")
        [error] = body["errors"]
        assert "line" not in error and error["field"] == "body", error
        assert error["position"] == text.index("}", text.index(": }")), error
        assert "invalid JSON" in error["reason"]
        assert f"character {error['position']}" in error["reason"]


def test_an_unexpected_error_is_the_documented_shape_and_one_redacted_log_line(
    api_settings: Settings, caplog
) -> None:
    """A bug in a route is a JSON 500 for the client; the log gets the redacted path and the
    exception's type, not its text (which may quote the data it failed on)."""
    app = create_app(api_settings)

    async def broken(number: str) -> None:
        raise RuntimeError(f"failed on {number}")

    app.add_api_route("/v1/broken/numbers/{number}", broken)
    with TestClient(app) as c, caplog.at_level(logging.INFO):  # nothing may be raised on, either
        r = c.get("/v1/broken/numbers/13300841987")
    _documented(r, 500, "internal_error")
    server = [rec for rec in caplog.records if not rec.name.startswith("httpx")]  # not the test client
    logged = [rec.getMessage() + (rec.exc_text or "") for rec in server]
    assert any("RuntimeError" in line and "133******87" in line for line in logged), logged
    assert not any("13300841987" in line for line in logged), logged
