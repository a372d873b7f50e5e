"""API fixtures: a scored simulated world in the real Neo4j, an app with three keys, a live server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from api_world import load_scored_world, ring_member
from fastapi.testclient import TestClient
from neo4j import Driver
from pydantic import SecretStr

from graphfraud.api import create_app
from graphfraud.settings import Settings
from graphfraud.sim import World

KEYS = {"consumer": "test-consumer-key", "investigator": "test-investigator-key", "admin": "test-admin-key"}


def headers(role: str) -> dict[str, str]:
    return {"X-API-Key": KEYS[role]}


@pytest.fixture(scope="session")
def api_settings(settings: Settings) -> Settings:
    spec = ",".join(f"{key}:{role}" for role, key in KEYS.items())
    return settings.model_copy(update={"api_keys": SecretStr(spec), "env": "test"})


@pytest.fixture(scope="module")
def world(neo4j_driver: Driver) -> World:
    """A scored world, loaded once per test module (other modules empty the database)."""
    return load_scored_world(neo4j_driver)


@pytest.fixture(scope="module")
def member(world: World) -> str:
    return ring_member(world)


@pytest.fixture(scope="module")
def client(api_settings: Settings, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(api_settings: Settings, world: World) -> Iterator[str]:
    """uvicorn on a free 127.0.0.1 port, in a thread, over the scored world."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(api_settings), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
