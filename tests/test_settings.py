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


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"GRAPHFRAUD_ENV": "prod"}, "GRAPHFRAUD_ENV"),
        ({"GRAPHFRAUD_NEO4J_BOLT_PORT": "secret-looking-abc"}, "GRAPHFRAUD_NEO4J_BOLT_PORT"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_the_variable(settings_env, capsys, env, names) -> None:
    from graphfraud.cli import main

    settings_env(**env)
    assert main(["neo4j", "status"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("graphfraud: error: invalid settings:") and names in err
    assert len(err.splitlines()) == 1 and "secret-looking" not in err


def test_serve_refuses_a_malformed_key_list_before_starting(settings_env, capsys) -> None:
    from graphfraud.cli import main

    settings_env(GRAPHFRAUD_API_KEYS="k1:reader")
    assert main(["serve", "--port", "1"]) == 2  # refused before binding anything
    err = capsys.readouterr().err
    assert "GRAPHFRAUD_API_KEYS must look like" in err and "k1" not in err
