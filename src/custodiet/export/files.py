"""Writing output files so that a failure never leaves half a file behind."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_output(out: Path | None) -> Iterator[IO[str]]:
    """stdout when out is None; a device or pipe (/dev/null) is written in place; a file is
    written to a temporary neighbour and renamed into place only on success."""
    if out is None:
        yield sys.stdout
        return
    if out.exists() and not out.is_file():
        with out.open("w", encoding="utf-8", newline="") as f:
            yield f
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
        Path(tmp).replace(out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_bytes(out: Path, data: bytes) -> None:
    """The bytes written to a temporary neighbour of `out`, renamed into place whole."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        Path(tmp).replace(out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(out: Path) -> Iterator[Path]:
    """A new folder, filled in a temporary neighbour and renamed into place only on
    success; an existing folder that holds anything is refused, never overwritten."""
    import shutil

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} exists and is not an empty folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        if out.exists():
            out.rmdir()
        tmp.replace(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
