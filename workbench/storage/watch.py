"""Noticing commits made by other processes, cheaply.

An open terminal UI wants to know, within a second or two, that someone else changed the
project (another researcher, the supervisor's comment, a CLI import or undo). A
:class:`Watcher` answers one question, "may the project have changed since I last
asked?", without reading any project table:

- SQLite: a dedicated read-only connection polls ``PRAGMA data_version``, which changes
  whenever *another* connection commits (microseconds, no lock, no transaction kept open).
- PostgreSQL: a dedicated connection ``LISTEN``\\s on :data:`CHANNEL`; the store sends a
  ``NOTIFY`` (payload: the schema and the command's ``applied`` number) with the commit of
  every command, undo and redo (:meth:`workbench.storage.database.Store.command`).

Who did what is then read from the change log (``Workbench.changes_since``). The watcher
also fires for this process's own commits; the caller tells them apart by their
``applied`` numbers (:attr:`Store.own_applied`).

A watcher is used from one thread (the UI's watcher worker). Failures never raise out of
:meth:`Watcher.wait`: a lost connection is reopened at the next call and reported as a
possible change, so nothing is missed.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from typing import TYPE_CHECKING, Any

from .errors import storage_errors

if TYPE_CHECKING:
    from .database import Store

CHANNEL = "workbench_changes"
"""The PostgreSQL notification channel of every workbench project (payload ``schema applied``)."""

POLL_SECONDS = 0.5
"""How often SQLite's data version is read."""


class Watcher:
    """``wait(timeout)`` returns True when the project may have changed since the last call."""

    def wait(self, timeout: float) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class SqliteWatcher(Watcher):
    def __init__(self, path: str, *, poll: float = POLL_SECONDS) -> None:
        self.path = path
        self.poll = poll
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False, timeout=1)
        self._conn = conn
        return conn

    def _read(self) -> int | None:
        try:
            conn = self._conn or self._connect()
            return int(conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            self.close()
            return None

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if self._version is None:
            self._version = self._read()
        while True:
            version = self._read()
            if version is not None and version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.poll, left))

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None


class PostgresWatcher(Watcher):
    def __init__(self, connect_args: tuple[list[Any], dict[str, Any]]) -> None:
        self._args = connect_args
        self._conn: Any = None
        self._schema: str | None = None
        self._lost = False

    def _connect(self) -> Any:
        import psycopg

        cargs, cparams = self._args
        conn = psycopg.connect(*cargs, **{"connect_timeout": 10, **cparams}, autocommit=True)
        self._schema = conn.execute("SELECT current_schema()").fetchone()[0]
        conn.execute(f"LISTEN {CHANNEL}")
        self._conn = conn
        return conn

    def wait(self, timeout: float) -> bool:
        try:
            if self._conn is None:
                self._connect()
                if self._lost:  # commits may have happened while we were away
                    self._lost = False
                    return True
            changed = False
            for note in self._conn.notifies(timeout=timeout, stop_after=1):
                schema, _, _applied = str(note.payload).partition(" ")
                changed = changed or schema == self._schema
            return changed
        except storage_errors():
            self.close()
            self._lost = True
            time.sleep(min(timeout, 1.0))
            return False

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


def open_watcher(store: Store) -> Watcher:
    """A watcher on the project ``store`` has open (its own connection)."""
    engine = store.engine
    if engine.dialect.name == "sqlite":
        return SqliteWatcher(str(engine.url.database))
    if engine.dialect.name == "postgresql":
        return PostgresWatcher(engine.dialect.create_connect_args(engine.url))
    raise ValueError(engine.dialect.name)


def notify_sql(dialect: str) -> str | None:
    """The statement a committing unit of work runs to wake the watchers (None: SQLite,
    whose watchers poll). Parameter ``applied``: the command's new ``applied`` number."""
    if dialect == "postgresql":
        return f"SELECT pg_notify('{CHANNEL}', current_schema() || ' ' || CAST(:applied AS text))"
    return None


__all__ = ["CHANNEL", "PostgresWatcher", "SqliteWatcher", "Watcher", "notify_sql", "open_watcher"]
