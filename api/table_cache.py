"""Built tables kept in the API process, keyed by the table's write counter.

Ranking a large table (thousands of claims) costs far more than reading it; tables change only
when a worker writes to them, and every such write bumps the table's counter in the same MULTI
(``workers.tables``). So a request reads the counter (one small round trip) and rebuilds only
when it moved. Each API process has its own cache; it holds the most recently used tables,
and their last responses as encoded (JSON of a page of rows, CSV), so a table read again before
it changes costs one round trip and no encoding.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import redis

from claimex.api import ranking
from claimex.api.schemas import Table
from claimex.workers import tables

DEFAULT_SIZE = 64


class TableCache:
    """The last ``size`` tables built, each with the counter it was built at.

    Thread-safe: the read handlers run in worker threads.
    """

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[str, tuple[int, Table]] = OrderedDict()
        self._rendered: OrderedDict[tuple[str, str], tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def table(self, connection: redis.Redis, table_id: str) -> Table:
        """The whole ranked table, built now or when its counter last moved."""
        return self._table_at(connection, table_id, tables.table_version(connection, table_id))

    def rendered(
        self, connection: redis.Redis, table_id: str, key: str, render: Callable[[Table], bytes]
    ) -> bytes:
        """``render(table)``, computed again only when the table's counter moved.

        ``key`` names the rendering (format and row limit).
        """
        version = tables.table_version(connection, table_id)
        with self._lock:
            hit = self._rendered.get((table_id, key))
            if hit is not None and hit[0] == version:
                self._rendered.move_to_end((table_id, key))
                return hit[1]
        blob = render(self._table_at(connection, table_id, version))
        with self._lock:
            self._rendered[(table_id, key)] = (version, blob)
            self._rendered.move_to_end((table_id, key))
            while len(self._rendered) > self._size:
                self._rendered.popitem(last=False)
        return blob

    def _table_at(self, connection: redis.Redis, table_id: str, version: int) -> Table:
        with self._lock:
            hit = self._items.get(table_id)
            if hit is not None and hit[0] == version:
                self._items.move_to_end(table_id)
                return hit[1]
        info, cells = tables.read_table(connection, table_id)
        built = ranking.build_table(info, cells, limit=None)
        with self._lock:
            self._items[table_id] = (version, built)
            self._items.move_to_end(table_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return built
