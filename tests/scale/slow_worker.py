"""Preloaded by the test workers (`dask worker --preload`): each shard takes a moment
longer, so that a test can kill a process while a scan is under way."""

from __future__ import annotations

import time
from typing import Any

from custodiet.scale import work

# Dask may import a preload module twice in one process: wrap the real function once.
_scan_shard = getattr(work.scan_shard, "__wrapped__", work.scan_shard)


def _slow_scan_shard(*args: Any, **kwargs: Any) -> dict[str, Any]:
    time.sleep(0.5)
    return _scan_shard(*args, **kwargs)


_slow_scan_shard.__wrapped__ = _scan_shard
work.scan_shard = _slow_scan_shard  # type: ignore[assignment]
