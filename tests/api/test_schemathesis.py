"""Property-based requests from the OpenAPI document (schemathesis): the server never answers 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from conftest import KEYS
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.neo4j


def test_no_server_errors(live_server: str) -> None:
    # The operations are walked by hand: schemathesis' lazy pytest fixture does not run on this pytest.
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    seen: list[tuple[str, int]] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            response = case.call(headers={"X-API-Key": KEYS["admin"]}, timeout=30)
            seen.append((case.operation.label, response.status_code))
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"

        run()
    assert len({label for label, _ in seen}) >= 10  # every operation was exercised
