"""Which kind of numbers Neo4j holds — raw digits or pseudonym tokens — so that no write mixes them.

``score --to-neo4j``, ``ingest`` and ``POST /v1/calls`` ask before writing anything, and then
claim the kind (:func:`claim_number_kind`): two first writers of different kinds into an empty
database both see it empty, and only the claim, atomic in Neo4j, lets one of them through.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
from neo4j import Driver

from graphfraud.errors import ConfigError, KindConflict
from graphfraud.store.cypher import query
from graphfraud.store.loader import apply_schema

__all__ = ["CLAIM_STALE_S", "KIND_SAMPLE", "check_number_kind", "claim_number_kind", "stored_number_kinds"]

#: A claim this old on a database that still holds no number was left by a writer that failed
#: before its first write (a first batch commits within seconds); the next writer takes it over.
CLAIM_STALE_S = 600
#: Numbers of a writer's input looked up to tell which kind they are and whether they are stored.
KIND_SAMPLE = 100


def stored_number_kinds(driver: Driver, sample: list[str]) -> dict:
    """What Neo4j holds: ``{"tokens": bool, "digits": bool, "known": int}`` — any pseudonym tokens,
    any raw numbers, and how many of ``sample`` are stored."""
    with driver.session() as session:
        rec = session.execute_read(
            lambda tx: tx.run(query("phone_number_kinds"), sample=sample).single()
        )
    return dict(rec)


def check_number_kind(
    driver: Driver, numbers: Sequence[str] | pa.Array | pa.ChunkedArray, *, pseudonymized: bool,
    command: str = "score",
) -> None:
    """Raise :class:`~graphfraud.errors.ConfigError` when ``numbers`` (what ``command`` would write,
    tokens when ``pseudonymized``; the first :data:`KIND_SAMPLE` are looked up) would not land
    on the stored numbers: tokens against digits, or the other way round; for ``score``, also
    tokens of another key (none of the sampled numbers is stored). An ``ingest`` brings new
    numbers, so only the kinds are compared.

    Without this, write-back or an ingest would add (:Phone) nodes beside the stored ones, and put
    raw numbers into a database that was pseudonymised.
    """
    head = numbers.slice(0, KIND_SAMPLE) if isinstance(numbers, pa.Array | pa.ChunkedArray) else None
    numbers = head.to_pylist() if head is not None else list(numbers[:KIND_SAMPLE])
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
    if not rec["tokens"] and not rec["digits"]:  # empty: another first writer may be under way
        claim_number_kind(driver, tokens=pseudonymized, command=command)


def claim_number_kind(driver: Driver, *, tokens: bool, command: str = "score") -> None:
    """Claim the kind of numbers an empty database is to hold for this writer (the schema first:
    the claim is atomic through its unique constraint), or raise :class:`KindConflict` when
    another writer claimed the other kind first (it may not have written a number yet)."""
    apply_schema(driver)
    want = "tokens" if tokens else "digits"
    with driver.session() as session:
        held = session.execute_write(
            lambda tx: tx.run(query("number_kind_claim"), kind=want, stale_s=CLAIM_STALE_S)
            .single()["kind"]
        )
    if held != want:
        other = "pseudonymised" if held == "tokens" else "raw"
        flag = "with" if held == "tokens" else "without"
        raise KindConflict(f"Neo4j is claimed for {other} numbers by another writer that began "
                           f"less than {CLAIM_STALE_S // 60} minutes ago: {command} {flag} "
                           "--pseudonymize (if no such writer is running, MATCH (k:NumberKind) "
                           "DELETE k lifts the claim)")  # fmt: skip
