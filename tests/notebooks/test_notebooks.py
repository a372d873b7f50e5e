"""The analysts' notebooks run top to bottom against the real Neo4j, and are committed clean.

Each notebook is executed with nbclient on the ``python3`` kernel of this interpreter (the venv);
a failing cell fails the test. The notebooks empty the database themselves; the ``empty_db``
fixture hands them an empty one (their guard refuses data no notebook wrote).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient
from neo4j import Driver

from graphfraud.settings import PROJECT_ROOT

NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT_S = 300


def _ensure_python3_kernel() -> None:
    """A ``python3`` kernelspec that runs this interpreter (jupyter maps ``python`` to sys.executable)."""
    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix"], check=True)


def test_there_are_at_least_three_notebooks() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {"01_ring_up_close.ipynb", "02_who_the_crude_rule_hurts.ipynb",
            "03_tuning_the_policy.ipynb"} <= names  # fmt: skip


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path, empty_db: Driver) -> None:
    _ensure_python3_kernel()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
