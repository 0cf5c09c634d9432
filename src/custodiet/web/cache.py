"""Rendered public responses, kept until the data changes.

Readers far outnumber writers and every write appends to the audit log, so a response
stays valid for as long as the audit log's last sequence number does. One small query
per request checks it; a hit skips the view, the template and the JSON encoding.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from custodiet.store.sql import SqlStore


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str
    status: int = 200


class ResponseCache:
    def __init__(self, store: SqlStore, size: int = 1024) -> None:
        self.store = store
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Rendered] = OrderedDict()
        self._version = -1
        self.hits = 0
        self.misses = 0

    def get(self, key: str, render: Callable[[], Rendered]) -> Rendered:
        """The cached response for `key`, rendered afresh when missing or stale."""
        version = self.store.data_version()
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        fresh = render()
        with self._lock:
            # A write may have landed while rendering: keep the result only if not.
            if self._version == version and fresh.status == 200:
                self._entries[key] = fresh
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return fresh
