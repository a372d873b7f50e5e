"""Which kind of numbers Neo4j holds — raw digits or pseudonym tokens — so that no write mixes them.

``score --to-neo4j``, ``ingest`` and ``POST /v1/calls`` ask before writing anything.
"""

from __future__ import annotations

from neo4j import Driver

from graphfraud.errors import ConfigError
from graphfraud.store.cypher import query

__all__ = ["check_number_kind", "stored_number_kinds"]


def stored_number_kinds(driver: Driver, sample: list[str]) -> dict:
    """What Neo4j holds: ``{"tokens": bool, "digits": bool, "known": int}`` — any pseudonym tokens,
    any raw numbers, and how many of ``sample`` are stored."""
    with driver.session() as session:
        rec = session.execute_read(
            lambda tx: tx.run(query("phone_number_kinds"), sample=sample).single()
        )
    return dict(rec)


def check_number_kind(
    driver: Driver, numbers: list[str], *, pseudonymized: bool, command: str = "score"
) -> None:
    """Raise :class:`~graphfraud.errors.ConfigError` when ``numbers`` (a sample of what ``command``
    would write: tokens when ``pseudonymized``) would not land on the stored numbers: tokens
    against digits, or the other way round; for ``score``, also tokens of another key (none of the
    scored numbers is stored). An ``ingest`` brings new numbers, so only the kinds are compared.

    Without this, write-back or an ingest would add (:Phone) nodes beside the stored ones, and put
    raw numbers into a database that was pseudonymised.
    """
    rec = stored_number_kinds(driver, numbers)
    if pseudonymized and rec["digits"]:
        raise ConfigError(f"Neo4j holds raw numbers (ingested without --pseudonymize): {command} "
                          "without --pseudonymize, or the tokens would land beside them")  # fmt: skip
    if not pseudonymized and rec["tokens"]:
        raise ConfigError(f"Neo4j holds pseudonymised numbers (ingested with --pseudonymize): {command} "
                          "with --pseudonymize and the same GRAPHFRAUD_PSEUDONYM_KEY, or raw numbers "
                          "would be written into it")  # fmt: skip
    if command == "score" and pseudonymized and rec["tokens"] and numbers and rec["known"] == 0:
        raise ConfigError("none of the scored numbers' tokens is in Neo4j: GRAPHFRAUD_PSEUDONYM_KEY "
                          "is not the key they were ingested with (or the calls differ)")  # fmt: skip
