import re

from graphfraud.store.cypher import CYPHER_DIR, query, schema_statements


def test_every_query_file_loads_and_uses_parameters_not_formatting() -> None:
    for path in CYPHER_DIR.glob("*.cypher"):
        text = query(path.stem)
        assert text, path
        assert not re.search(r"\{\d*\}|%s|\$\{", text), f"{path.name} looks string-formatted"


def test_schema_is_idempotent() -> None:
    statements = schema_statements()
    assert len(statements) >= 5
    assert all("IF NOT EXISTS" in s for s in statements)
