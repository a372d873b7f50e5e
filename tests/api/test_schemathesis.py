"""Property-based requests from the OpenAPI document (schemathesis): the server never answers 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from conftest import KEYS
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import not_a_server_error

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def api_schema(live_server: str):
    return schemathesis.openapi.from_url(f"{live_server}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case) -> None:
    case.call_and_validate(headers={"X-API-Key": KEYS["admin"]}, checks=[not_a_server_error])
