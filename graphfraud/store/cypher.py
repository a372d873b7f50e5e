"""Cypher lives in ``cypher/*.cypher``, one statement per file, loaded by name."""

from __future__ import annotations

from functools import cache

from graphfraud.errors import GraphFraudError
from graphfraud.settings import PROJECT_ROOT

__all__ = ["CYPHER_DIR", "query", "schema_statements"]

CYPHER_DIR = PROJECT_ROOT / "cypher"


@cache
def query(name: str) -> str:
    """The text of ``cypher/<name>.cypher``."""
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file():
        raise GraphFraudError(f"no Cypher query named {name!r} (looked for {path})")
    text = "\n".join(
        line for line in path.read_text().splitlines() if not line.lstrip().startswith("//")
    ).strip()
    return text.rstrip(";")


def schema_statements() -> list[str]:
    """``cypher/schema.cypher`` holds the whole schema: one idempotent statement per ``;``."""
    return [s.strip() for s in query("schema").split(";") if s.strip()]
