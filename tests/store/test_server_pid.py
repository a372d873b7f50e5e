"""The pid file names our server only while that process is this home's Neo4j; a stale one is left alone."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphfraud.settings import Settings, get_settings
from graphfraud.store.server import Neo4jServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(home: Path) -> Settings:
    return Settings(
        neo4j_home=home, neo4j_bolt_port=_free_port(), neo4j_http_port=0, neo4j_start_timeout_s=90.0,
        neo4j_cache_dir=get_settings().neo4j_cache_dir, neo4j_heap="256m", neo4j_pagecache="64m",
    )  # fmt: skip


@pytest.fixture
def bystander() -> Iterator[subprocess.Popen]:
    """A live process that is not Neo4j, leading its own process group (as the server does)."""
    proc = subprocess.Popen(["sleep", "900"], start_new_session=True)
    yield proc
    proc.kill()
    proc.wait()


def _stale_pid_file(server: Neo4jServer, pid: int) -> None:
    server.run_dir.mkdir(parents=True, exist_ok=True)
    server.pid_file.write_text(str(pid))


def test_a_stale_pid_file_is_removed_and_its_process_left_alone(
    tmp_path: Path, bystander: subprocess.Popen
) -> None:
    server = Neo4jServer(_settings(tmp_path / "neo4j"))
    _stale_pid_file(server, bystander.pid)
    status = server.status()
    assert not status.running and status.pid is None
    assert server.stop() is False  # "was not running"
    assert bystander.poll() is None  # still alive: not ours to kill
    assert not server.pid_file.exists()


@pytest.mark.neo4j
@pytest.mark.slow
def test_start_despite_a_stale_pid_file_and_find_the_server_without_one(
    tmp_path: Path, bystander: subprocess.Popen
) -> None:
    server = Neo4jServer(_settings(tmp_path / "neo4j"))
    _stale_pid_file(server, bystander.pid)
    first = server.start()  # starts at once instead of waiting for the stranger to open Bolt
    try:
        assert first.running and first.pid not in (None, bystander.pid)
        server.pid_file.unlink()  # lost while the server runs: found again by its argument file
        status = server.status()
        assert status.running and status.pid == first.pid
        assert server.start().pid == first.pid  # not "the port is taken by another process"
    finally:
        assert server.stop() is True
    with pytest.raises(ProcessLookupError):
        os.kill(first.pid, 0)
    assert bystander.poll() is None
