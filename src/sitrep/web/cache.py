"""Finished JSON pages kept for the next identical request, and never served after a write.

Each page is stored with the store's *data version* read before the page's query ran, and
served again only while the version has not moved. On a SQLite file the version is
``PRAGMA data_version`` on a connection the cache holds for nothing else: SQLite changes
that number whenever any other connection commits a change, in this process (the API's
own writes, which go through the pool) or in another (a second worker, ``sitrep ingest``).
The version is read before the query, so a page can only show data newer than its
version, never older: once a write has committed, every later lookup sees a new version
and misses.

PostgreSQL has no such counter, and an in-memory SQLite store shares one connection
between readers and writers (a connection does not see its own commits in
``data_version``): for those the cache is off and every request reads the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.pool import StaticPool

from sitrep.store import Store


class PageCache:
    """Up to ``max_bytes`` of page bodies by key, least recently used out first."""

    def __init__(self, store: Store, max_bytes: int):
        self.max_bytes = max_bytes
        self.hits = self.misses = 0
        self._pages: OrderedDict[object, tuple[int, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._probe = None  # the connection that reads the data version; None: cache off
        engine = store.engine
        if max_bytes > 0 and store.dialect == "sqlite" and not isinstance(engine.pool, StaticPool):
            self._probe = engine.raw_connection()

    @property
    def enabled(self) -> bool:
        return self._probe is not None

    def version(self) -> int | None:
        """The store's data version now (a few microseconds); None when the cache is off."""
        if self._probe is None:
            return None
        with self._lock:
            cursor = self._probe.cursor()
            try:
                return cursor.execute("PRAGMA data_version").fetchone()[0]
            finally:
                cursor.close()

    def get(self, key: object, version: int | None) -> bytes | None:
        if version is None:
            return None
        with self._lock:
            found = self._pages.get(key)
            if found is None or found[0] != version:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return found[1]

    def put(self, key: object, version: int | None, body: bytes) -> None:
        if version is None or len(body) > self.max_bytes // 8:  # one huge page must not
            return  # flush everything else
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._pages[key] = (version, body)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, dropped) = self._pages.popitem(last=False)
                self._size -= len(dropped)

    def close(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0
            if self._probe is not None:
                self._probe.close()
                self._probe = None
