"""The one way tests read ../shared (reference data beside the checkout): skip when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_ABSENT = "shared reference file is not available"


def shared_file(*parts: str) -> Path:
    """A file under the shared folder ($CUSTODIET_SHARED, else ../shared); skips if absent."""
    root = Path(os.environ.get("CUSTODIET_SHARED") or REPO.parent / "shared")
    path = root.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{SHARED_ABSENT}: {Path(*parts)}")
    return path


ARTICLE = ("data", "seed-article-modern-diplomacy-2020-01-07.txt")
