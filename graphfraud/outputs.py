"""Where the commands write: checked against their inputs before any work."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from graphfraud.errors import OutputFileError

__all__ = ["check_outputs", "missing_folders"]


def missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, deepest first: what a writer
    will make. The parent of the last one (or ``folder`` itself, when none is missing) exists."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def check_outputs(outputs: Iterable[Path | None], inputs: Iterable[Path | None]) -> None:
    """Raise :class:`OutputFileError` when an output would replace one of the ``inputs`` (a side
    file included: ``--out calls.csv`` would write over the calls it reads), is a folder, or lies
    under something that is not a writable folder. ``None`` entries (an option not given) are
    skipped. Nothing is created."""
    sources = [Path(p) for p in inputs if p is not None]
    for out in (Path(p) for p in outputs if p is not None):
        target = out.resolve()
        for src in sources:
            if target == src.resolve() or (out.exists() and src.exists() and out.samefile(src)):
                raise OutputFileError(f"{out}: would overwrite the input file {src}; write elsewhere")
        if out.is_dir():
            raise OutputFileError(f"{out}: is a folder, not a file name")
        missing = missing_folders(target.parent)  # made when writing
        folder = missing[-1].parent if missing else target.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise OutputFileError(f"{out}: cannot be written ({folder} is not a writable folder)")
