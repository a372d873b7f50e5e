"""The bundled server's life cycle: start is idempotent, stop leaves no process behind."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from graphfraud.settings import Settings, get_settings
from graphfraud.store.driver import connect
from graphfraud.store.server import Neo4jServer

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("password", [None, "-5iStartsWithADash"], ids=["generated", "dash-first"])
def test_start_is_idempotent_and_stop_leaves_no_process(tmp_path: Path, password: str | None) -> None:
    base = get_settings()
    settings = Settings(
        neo4j_home=tmp_path / "neo4j", neo4j_bolt_port=_free_port(), neo4j_http_port=0,
        neo4j_cache_dir=base.neo4j_cache_dir, neo4j_heap="256m", neo4j_pagecache="64m",
    )  # fmt: skip
    server = Neo4jServer(settings)
    if password:  # a generated password begins with "-" once in 64 (a fresh clone's demo failed)
        server.home.mkdir(parents=True)
        server.password_file.write_text(password)
        server.password_file.chmod(0o600)
    first = server.start()
    try:
        assert first.running and first.pid
        again = server.start()
        assert again.pid == first.pid  # a second start is a no-op
        driver = connect(settings)
        with driver.session() as s:
            assert s.run("RETURN 1 AS one").single()["one"] == 1
        driver.close()
        assert (tmp_path / "neo4j" / "password").stat().st_mode & 0o777 == 0o600
    finally:
        assert server.stop() is True
    with pytest.raises(ProcessLookupError):
        os.kill(first.pid, 0)
    assert not server.status().running
    assert server.stop() is False  # stopping a stopped server is fine
