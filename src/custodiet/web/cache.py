"""Rendered public responses, kept until the data changes.

Readers far outnumber writers, and every write that changes what the public sees
raises the store's public version (`View.data_version`), so a response stays valid for
as long as that number does. One small query per request checks it; a hit skips the
view, the template and the JSON encoding. Writes the public does not see (a reader's
correction, a rejected candidate, a new token) keep the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from custodiet.store.view import View


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Rendered] = OrderedDict()
        self._version = -1
        self.hits = 0
        self.misses = 0

    def get(self, key: str, view: View, render: Callable[[View], Rendered]) -> Rendered:
        """The cached response for `key`, rendered from `view` when missing or stale
        (always, when max_bytes is 0). The version is read in the same snapshot that
        renders, so what is kept is exactly what that version holds."""
        if self.max_bytes == 0:
            return render(view)
        version = view.data_version()
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._bytes = 0
                self._version = version
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        fresh = render(view)
        with self._lock:
            # Rendered data is never older than `version`; if a request has meanwhile seen
            # a newer version, the entries were cleared for it and this one is not kept.
            if self._version == version and key not in self._entries:
                self._entries[key] = fresh
                self._bytes += len(fresh.body)
                while self._bytes > self.max_bytes and self._entries:
                    self._bytes -= len(self._entries.popitem(last=False)[1].body)
        return fresh
