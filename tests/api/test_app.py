"""The app's lifespan: what start-up made is kept out of the garbage collector's full passes."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient
from pydantic import SecretStr

from graphfraud.api import create_app
from graphfraud.settings import Settings


def test_start_up_objects_are_frozen_out_of_full_collections(settings: Settings) -> None:
    down = {"neo4j_uri": "bolt://127.0.0.1:9", "neo4j_password": SecretStr("x")}  # no Neo4j needed
    nowhere = settings.model_copy(update=down)
    gc.unfreeze()
    try:
        with TestClient(create_app(nowhere)) as client:
            assert gc.get_freeze_count() > 10_000  # modules, the app, its routes
            assert client.get("/healthz").status_code == 200
    finally:
        gc.unfreeze()
