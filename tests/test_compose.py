"""docker-compose.yml cannot run here (no Docker engine); check what can be checked without one."""

from __future__ import annotations

import re
import shutil
import subprocess

import yaml

from graphfraud.settings import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_services_health_checks_and_volume() -> None:
    spec = _compose()
    services = spec["services"]
    assert set(services) == {"neo4j", "api", "demo-loader"}
    assert re.fullmatch(r"neo4j:5\.26[\w.-]*-community", services["neo4j"]["image"])
    assert "neo4j-data" in spec["volumes"]
    assert "neo4j-data:/data" in services["neo4j"]["volumes"]
    for name in ("neo4j", "api"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("api", "demo-loader"):
        assert services[name]["depends_on"]["neo4j"]["condition"] == "service_healthy"
        assert services[name]["build"] == "."
    assert services["demo-loader"]["restart"] == "no"
    assert "graphfraud score" in " ".join(services["demo-loader"]["command"])


def test_no_secret_is_written_into_the_file() -> None:
    spec = _compose()
    env = spec["services"]["api"]["environment"]
    assert env["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD:?")
    assert env["GRAPHFRAUD_API_KEYS"].startswith("${GRAPHFRAUD_API_KEYS:?")
    assert env["GRAPHFRAUD_ENV"] == "production"
    assert (
        spec["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
        == "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}"
    )


def test_dockerfile_copies_what_the_app_reads() -> None:
    text = (PROJECT_ROOT / "Dockerfile").read_text()
    for needed in ("COPY graphfraud", "COPY cypher", "pip install -e ."):
        assert needed in text


def test_docker_compose_config_when_a_client_is_present() -> None:
    """`docker compose config` validates the file against the compose schema where the plugin exists."""
    docker = shutil.which("docker")
    has_compose = (
        docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    )
    if not has_compose:
        # Not a skip: the YAML checks above are what this machine can exercise (README says so).
        return
    env = {"NEO4J_PASSWORD": "x" * 12, "GRAPHFRAUD_API_KEYS": "k:admin", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "-q"], capture_output=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
