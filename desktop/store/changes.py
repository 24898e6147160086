"""Whether another connection committed to the database since the last look (the window
refreshes what it lists when one did): ``ChangeCounter``."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Engine, event, func, select

from desktop.store.errors import StoreError, translate
from desktop.store.models import ArticleRow


class ChangeCounter:
    """Tells cheaply whether another connection (another process, say) committed to the
    database since the last look, so that a window can refresh what it lists.

    SQLite's ``PRAGMA data_version`` changes for every commit made through any other
    connection and reads no table. Its value only compares with itself on one connection,
    so the counter keeps a read-only connection of its own, outside the engine's pool. The
    connection is closed whenever the engine is disposed (a restore, the database closed,
    a disk going read-only) and when the file is replaced; the look after that reopens it
    and says "changed", since what happened meanwhile is unknown. PostgreSQL (and any other
    engine) compares the number, the highest id and the sum of the revisions of the
    articles. Safe to call from any thread.
    """

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self._engine = engine
        self._path = path
        self._lock = threading.Lock()
        self._raw: sqlite3.Connection | None = None
        self._file: tuple[int, int] | None = None
        self._opened = 0  # connections opened so far: a reopened one compares with nothing
        self._last: object = None
        self._closed = False
        event.listen(engine, "engine_disposed", self._on_dispose)

    def changed(self) -> bool:
        """True when something was committed elsewhere since the previous call (the first
        call only takes the starting point and says False). Raises StoreError when the
        database cannot be read (locked, gone, damaged)."""
        with self._lock:
            if self._closed:
                return False
            try:
                token = self._token()
            except sqlite3.Error as exc:
                self._close_connection()  # open afresh at the next look
                raise translate(exc, str(self._path)) or StoreError(str(exc)) from exc
            changed = self._last is not None and token != self._last
            self._last = token
            return changed

    def _token(self) -> object:
        if self._engine.dialect.name != "sqlite":
            # a server has no data_version: every edit and analysis bumps an article's
            # revision, an import adds a row, a delete takes one away (one pass over the
            # rows, not their texts, which PostgreSQL keeps apart)
            look = select(
                func.count(ArticleRow.id), func.max(ArticleRow.id), func.sum(ArticleRow.revision)
            )
            with self._engine.connect() as conn:
                return tuple(conn.execute(look).one())
        file = self._file_id()
        if file is None and self._path is not None:  # never make the file again
            self._close_connection()
            raise StoreError(f"The database {self._path} is gone.")
        if self._raw is None or file != self._file:
            self._close_connection()
            self._raw, self._file = self._connect(), file
            self._opened += 1
        version = self._raw.execute("PRAGMA data_version").fetchone()[0]
        return (self._opened, version)

    def _connect(self) -> sqlite3.Connection:
        """A read-only connection of its own: it can never write, make the file again or
        checkpoint, whatever happens to the file meanwhile."""
        path = Path(self._engine.url.database or "") if self._path is None else self._path
        uri = f"{path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=5, check_same_thread=False)

    def _file_id(self) -> tuple[int, int] | None:
        if self._path is None:
            return None
        try:
            info = os.stat(self._path)
        except OSError:
            return None
        return (info.st_dev, info.st_ino)

    def _close_connection(self) -> None:
        if self._raw is not None:
            raw, self._raw = self._raw, None
            raw.close()

    def _on_dispose(self, _engine: Engine) -> None:
        with self._lock:
            self._close_connection()

    def close(self) -> None:
        """Close the counter's connection for good: it answers False from now on."""
        with self._lock:
            self._closed = True
            self._close_connection()
        if event.contains(self._engine, "engine_disposed", self._on_dispose):
            event.remove(self._engine, "engine_disposed", self._on_dispose)
