"""API keys and roles: ``GRAPHFRAUD_API_KEYS="key1:consumer,key2:investigator,key3:admin"``."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from enum import IntEnum

from graphfraud.errors import ConfigError

__all__ = ["ApiKeys", "Role", "dev_key"]


class Role(IntEnum):
    """Each role may do what the ones below it may."""

    consumer = 0  # risk only
    investigator = 1  # + evidence, rings, appeals, audit
    admin = 2  # + ingest


@dataclass(frozen=True)
class ApiKeys:
    keys: tuple[tuple[bytes, Role], ...]

    @classmethod
    def parse(cls, spec: str | None) -> ApiKeys:
        pairs = []
        for item in (spec or "").split(","):
            if not item.strip():
                continue
            key, sep, role = item.strip().rpartition(":")
            if not sep or not key or role not in Role.__members__:
                raise ConfigError(
                    "GRAPHFRAUD_API_KEYS must look like 'key1:consumer,key2:investigator,key3:admin'"
                )
            pairs.append((key.encode(), Role[role]))
        return cls(tuple(pairs))

    def role_of(self, presented: str | None) -> Role | None:
        """The role of a presented key; every configured key is compared, in constant time."""
        if not presented:
            return None
        given = presented.encode()
        found = None
        for key, role in self.keys:
            if hmac.compare_digest(key, given):
                found = role
        return found


def dev_key() -> str:
    """A random admin key for a development server with no keys configured (printed, never stored)."""
    return secrets.token_urlsafe(24)
