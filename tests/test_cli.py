"""The ``graphfraud`` command line: commands load on demand; usage errors are one clear line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graphfraud.cli import COMMANDS, main


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphfraud.cli", *args], capture_output=True,
                          text=True, timeout=300)  # fmt: skip


def test_help_lists_every_command() -> None:
    run = _cli("--help")
    assert run.returncode == 0, run.stderr
    for name in COMMANDS:
        assert name in run.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["bogus"], "No such command 'bogus'"),
    (["score", "--calls"], "Option '--calls' requires an argument"),
    (["score", "--calls", "x.csv"], "Missing option '--out'"),
])  # fmt: skip
def test_usage_errors_are_reported_not_raised(args: list[str], message: str) -> None:
    run = _cli(*args)
    assert run.returncode == 2
    assert message in run.stderr and "Traceback" not in run.stderr


def test_a_command_loads_only_its_own_module() -> None:
    code = ("import sys; from graphfraud.cli import main; rc = main(['score', '--help']); "
            "print(rc, 'graphfraud.sim' in sys.modules, 'graphfraud.commands.serve' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.stdout.split()[-3:] == ["0", "False", "False"], run.stderr


def test_main_returns_the_exit_code_of_an_error(tmp_path) -> None:
    assert main(["score", "--calls", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "s.csv")]) == 2
    assert not (tmp_path / "s.csv").exists()
