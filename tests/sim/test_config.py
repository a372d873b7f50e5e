"""Profiles, JSON configs and the ``simulate`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from graphfraud.commands.simulate import simulate
from graphfraud.errors import ConfigError, GraphFraudError
from graphfraud.sim import (
    ADVERSARIAL_SEEDS,
    HOLDOUT_SEEDS,
    PROFILES,
    TUNING_SEEDS,
    load_config,
    profile,
)
from graphfraud.sim.writer import iso_local


def test_holdout_profile_differs_and_seeds_are_disjoint() -> None:
    assert PROFILES["holdout"] != PROFILES["default"]
    assert PROFILES["holdout"].farm.sims_per_day != PROFILES["default"].farm.sims_per_day
    assert not set(TUNING_SEEDS) & set(HOLDOUT_SEEDS)


def test_adversarial_profile_is_harder_and_has_its_own_seeds() -> None:
    adv, base = PROFILES["adversarial"], PROFILES["default"]
    assert adv.ring.victim_callback_rate > base.ring.victim_callback_rate
    assert adv.ring.hourly_cap < base.ring.hourly_cap
    assert adv.farm.devices[0] > base.farm.devices[1]  # SIMs spread over more handsets
    assert adv.work["courier"].callback_rate[1] < base.work["courier"].callback_rate[1]
    assert not set(ADVERSARIAL_SEEDS) & (set(TUNING_SEEDS) | set(HOLDOUT_SEEDS))


def test_profile_overrides_and_unknown_profile() -> None:
    cfg = profile("holdout", people=1234, seed=101)
    assert (cfg.people, cfg.seed) == (1234, 101)
    assert cfg.ring == PROFILES["holdout"].ring
    with pytest.raises(ConfigError):
        profile("nope")


def test_json_config_merges_nested_sections(tmp_path: Path) -> None:
    path = tmp_path / "sim.json"
    path.write_text(json.dumps({"profile": "holdout", "days": 3, "farm": {"per_100k": 9.0}}))
    cfg = load_config(path, seed=7)
    assert cfg.days == 3 and cfg.seed == 7 and cfg.farm.per_100k == 9.0
    assert cfg.farm.sims_per_day == PROFILES["holdout"].farm.sims_per_day
    path.write_text(json.dumps({"people": -1}))
    with pytest.raises(ConfigError):
        load_config(path)
    assert issubclass(ConfigError, GraphFraudError)


def test_iso_local_matches_python() -> None:
    from datetime import datetime, timedelta, timezone

    epochs = [0, 1_793_577_600, 1_793_606_103, 1_709_251_199]
    china = timezone(timedelta(hours=8))
    expected = [datetime.fromtimestamp(e, china).isoformat() for e in epochs]
    assert iso_local(epochs).to_pylist() == expected


def test_simulate_command_writes_files_and_prints_summary(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(simulate)
    result = CliRunner().invoke(
        app, ["--out", str(tmp_path), "--people", "800", "--days", "1", "--format", "parquet"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "calls.parquet").is_file() and (tmp_path / "truth.csv").is_file()
    assert "farm_sim" in result.output and "calls/s" in result.output
