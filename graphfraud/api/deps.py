"""Dependencies as ``Annotated`` aliases: the app state, the driver, the caller's role, a valid number."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyHeader
from neo4j import AsyncDriver

from graphfraud.api.errors import Forbidden, InvalidInput, Unauthorized
from graphfraud.api.security import Role
from graphfraud.api.state import AppState
from graphfraud.cdr import normalize_number
from graphfraud.errors import NotFound
from graphfraud.privacy import TOKEN_PATTERN

__all__ = [
    "AdminKey", "ConsumerKey", "DriverDep", "InvestigatorKey", "NumberPath", "StateDep", "already_normal",
]  # fmt: skip

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="key:role from GRAPHFRAUD_API_KEYS")
# 0086... loses its country code first; \Z, not $, which also matches before a final "\n"
_PLAIN = re.compile(r"^(?!0086[0-9])[0-9]{1,15}\Z")


def already_normal(number: str) -> bool:
    """True when a path's number needs no normalising: ≤ 15 digits (not 0086 and more), or a
    pseudonym token."""
    return bool(_PLAIN.match(number) or TOKEN_PATTERN.match(number))


# Dependencies are ``async def`` on purpose: FastAPI runs plain ``def`` dependencies in its thread
# pool, a hand-off per dependency per request that cost /risk most of its throughput.
async def get_state(request: Request) -> AppState:
    return request.app.state.graphfraud


StateDep = Annotated[AppState, Depends(get_state)]


async def get_driver(state: StateDep) -> AsyncDriver:
    return state.driver


DriverDep = Annotated[AsyncDriver, Depends(get_driver)]


def _require(needed: Role):
    async def check(state: StateDep, key: Annotated[str | None, Security(_api_key)] = None) -> Role:
        role = state.keys.role_of(key)
        if role is None:
            raise Unauthorized("missing or unknown API key (header X-API-Key)")
        if role < needed:
            raise Forbidden(f"this endpoint needs the {needed.name} role; the key has {role.name}")
        return role

    return check


ConsumerKey = Annotated[Role, Depends(_require(Role.consumer))]
InvestigatorKey = Annotated[Role, Depends(_require(Role.investigator))]
AdminKey = Annotated[Role, Depends(_require(Role.admin))]


async def valid_number(
    number: Annotated[str, Path(max_length=64, description="digits (≤15 after normalising) or an x… token")],
) -> str:
    """The normalised number, or 422: digits ≤ 15 after normalisation, or a pseudonym token."""
    if already_normal(number):
        return number
    if TOKEN_PATTERN.match(number.strip()):  # padding is trimmed, as from a file's row
        return number.strip()
    normalised = normalize_number(number)
    if normalised is None:
        raise InvalidInput("not a phone number (digits, at most 15, after normalisation) or an x… token")
    return normalised


async def stored_number(number: Annotated[str, Depends(valid_number)], state: StateDep) -> str:
    """The number as Neo4j stores it: in a pseudonymised database, digits become the token of this
    server's key (a consumer that knows a number may ask by it), or 404 saying why without a key."""
    if TOKEN_PATTERN.match(number) or not await state.holds_tokens():
        return number
    if state.pseudonymizer is None:
        raise NotFound("this database holds pseudonym tokens, not phone numbers: ask by the "
                       "number's token (x…), or give the server the GRAPHFRAUD_PSEUDONYM_KEY "
                       "it was stored with")  # fmt: skip
    return state.pseudonymizer.token(number)


NumberPath = Annotated[str, Depends(stored_number)]
