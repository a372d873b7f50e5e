"""The one settings object: no default secrets in production."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from graphfraud.errors import ConfigError
from graphfraud.settings import Settings


@pytest.mark.parametrize("keys", [None, "", " , "])
def test_production_refuses_to_start_without_api_keys(keys: str | None) -> None:
    with pytest.raises(ConfigError, match="GRAPHFRAUD_API_KEYS"):
        Settings(env="production", api_keys=None if keys is None else SecretStr(keys))


def test_production_with_keys_and_the_bundled_neo4j_is_accepted() -> None:
    settings = Settings(env="production", api_keys=SecretStr("k1:consumer"))
    assert settings.api_keys.get_secret_value() == "k1:consumer"
