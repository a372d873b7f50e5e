"""The one settings object. Every environment variable graphfraud reads is declared here.

Values come from the environment (prefix ``GRAPHFRAUD_``; the Neo4j connection also honours the
conventional ``NEO4J_URI``, ``NEO4J_USER`` and ``NEO4J_PASSWORD``) or from a ``.env`` file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graphfraud.errors import ConfigError

__all__ = ["PROJECT_ROOT", "Settings", "get_settings"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Runtime configuration. See README "Configuration" for the table of variables."""

    model_config = SettingsConfigDict(
        env_prefix="GRAPHFRAUD_", env_file=".env", extra="ignore", populate_by_name=True
    )

    env: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    local_utc_offset_hours: float = 8.0  # subscribers' local time, for hour-of-day features

    # --- Neo4j: an external server (NEO4J_URI) or the bundled one started by graphfraud ---
    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_URI", "GRAPHFRAUD_NEO4J_URI")
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "GRAPHFRAUD_NEO4J_USER")
    )
    neo4j_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_PASSWORD", "GRAPHFRAUD_NEO4J_PASSWORD"),
    )
    neo4j_version: str = "5.26.30"  # latest 5.26 LTS patch on Maven Central
    neo4j_home: Path = PROJECT_ROOT / "var" / "neo4j"
    neo4j_cache_dir: Path = PROJECT_ROOT / ".cache" / "neo4j"  # class-path files; jars stay in ~/.m2
    neo4j_data_dir: Path | None = None  # default: <neo4j_home>/data
    neo4j_bolt_port: int = 7687
    neo4j_http_port: int = 7474  # 0 disables the HTTP connector (and Neo4j Browser)
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "512m"
    neo4j_start_timeout_s: float = 180.0
    ingest_batch_size: int = 20_000

    # --- privacy ---
    pseudonym_key: SecretStr | None = None

    # --- API ---
    api_keys: SecretStr | None = None  # "key1:consumer,key2:investigator,key3:admin"
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    evidence_max_nodes: int = 300
    api_workers: int = 1  # uvicorn worker processes for `graphfraud serve`
    # Per-worker caches of /risk and /evidence answers, dropped when the graph's version moves
    # (ingest, a scoring run, an appeal); workers look at the version every api_cache_poll_s
    # seconds. 0 disables both.
    api_cache_poll_s: float = 1.0
    api_risk_cache_entries: int = 200_000
    api_evidence_cache_entries: int = 2_000
    # Cold /risk misses queued while a read is in flight are read together, at most this many.
    api_risk_batch_max: int = 256
    # Read every stored risk card into the /risk cache when the scores move (and at start), until
    # the cache is full, so first visits are answered from memory too (api/riskwarm.py).
    api_risk_preload: bool = True
    policy_file: Path | None = None

    @property
    def uses_bundled_neo4j(self) -> bool:
        return self.neo4j_uri is None

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_bolt_port}"

    @property
    def data_dir(self) -> Path:
        return self.neo4j_data_dir or self.neo4j_home / "data"

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self) -> Settings:
        if self.env == "production":
            spec = self.api_keys.get_secret_value() if self.api_keys else ""
            if not spec.replace(",", "").strip():  # unset or blank: no key at all
                raise ConfigError("GRAPHFRAUD_API_KEYS must be set when GRAPHFRAUD_ENV=production")
            if self.neo4j_uri is not None and self.neo4j_password is None:
                raise ConfigError("NEO4J_PASSWORD must be set when GRAPHFRAUD_ENV=production")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once. A wrong value is one :class:`ConfigError` naming each
    variable at fault (never its value: it may be a secret)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"GRAPHFRAUD_{'_'.join(str(part) for part in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)
        )
        raise ConfigError(f"invalid settings: {problems}") from None
