"""The write guard: a unit of work writes only the tables its command declared.

Every writing unit of work of :class:`~workbench.storage.database.Store` runs on a
connection that carries a :class:`WriteGuard` in its execution options. One engine event,
``before_cursor_execute``, sees every SQL statement that SQLAlchemy sends to the driver,
whatever API produced it: the ORM flush, ``session.execute(update(...))`` (what the
``do_orm_execute`` event would see), Core on the session's connection, ``bulk_insert``,
``exec_driver_sql``, and the change-log replay of undo and redo. For each statement it
finds the verb and the table and refuses:

* a write to a table outside the command's declaration (:mod:`.commands`);
* a write to a *recorded* table that does not go through the change log (ORM flush,
  ``bulk_insert`` or replay), since undo could not take it back;
* DDL and other statements that are neither queries nor row writes.

The refusal raises :class:`CommandRefused` (a :class:`UserError`) and is remembered on the
guard, so a service that catches ``UserError`` cannot swallow it: the store checks the
guard before it commits and rolls the whole unit of work back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from workbench.domain.errors import UserError

from .commands import INTERNAL_TABLES
from .models import RECORDED_TABLES

OPTION = "workbench_guard"

_DML = re.compile(
    r"""^\s*(?:
        (?P<insert>INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO)
      | (?P<update>UPDATE(?:\s+OR\s+\w+)?)
      | (?P<delete>DELETE\s+FROM)
    )\s+(?:"?\w+"?\.)?"?(?P<table>\w+)"?""",
    re.IGNORECASE | re.VERBOSE,
)
_VERB = re.compile(r"^\s*(\w+)")
_READ_VERBS = frozenset({
    "SELECT", "WITH", "PRAGMA", "SET", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "SHOW",
    "EXPLAIN", "VALUES",
})
_WRITE_WORD = re.compile(r"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class CommandRefused(UserError):
    """A unit of work tried to write something its command did not declare."""


class WriteGuard:
    """What one unit of work may write.

    ``kind`` is ``"command"`` (a recorded command), ``"replay"`` (undo or redo of a logged
    command) or ``"derived"`` (the search index only).
    """

    def __init__(self, name: str, tables: frozenset[str], *, kind: str = "command") -> None:
        self.name = name
        self.tables = tables
        self.kind = kind
        self.refused: CommandRefused | None = None
        self._internal = 0
        self._recording = 0

    @contextmanager
    def internal(self) -> Iterator[None]:
        """The store writes its own tables (the log, key allocation)."""
        self._internal += 1
        try:
            yield
        finally:
            self._internal -= 1

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Writes that the change log records (flush, bulk insert) or replays."""
        self._recording += 1
        try:
            yield
        finally:
            self._recording -= 1

    # -- the check -------------------------------------------------------------------

    def check_statement(self, statement: str) -> None:
        match = _DML.match(statement)
        if match is None:
            found = _VERB.match(statement)
            verb = found.group(1).upper() if found else ""
            if verb in _READ_VERBS and not (verb == "WITH" and _WRITE_WORD.search(statement)):
                return
            self._refuse("storage.error.statement", table=verb.lower() or "?")
            return
        self.check_table(match.group("table").lower())

    def check_table(self, table: str) -> None:
        if table in INTERNAL_TABLES:
            if not self._internal:
                self._refuse(self._undeclared_key(), table=table)
            return
        if table not in self.tables:
            self._refuse(self._undeclared_key(), table=table)
        if table in RECORDED_TABLES and not self._recording:
            self._refuse("storage.error.unrecorded", table=table)

    def _undeclared_key(self) -> str:
        return "storage.error.derived_only" if self.kind == "derived" else "storage.error.undeclared_table"

    def _refuse(self, key: str, **params: Any) -> None:
        exc = CommandRefused(key, command=self.name, **params)
        if self.refused is None:
            self.refused = exc
        raise exc

    def raise_if_refused(self) -> None:
        if self.refused is not None:
            raise self.refused


class GuardedSession(Session):
    """A session whose flushes count as recorded writes for its guard.

    Every flush goes through :meth:`flush` (autoflush and commit call it too), and the
    change log's :class:`~workbench.storage.changelog.Recorder` sees every row a flush
    writes; any other write to a recorded table is not in the log.
    """

    def flush(self, objects: Any = None) -> None:
        guard: WriteGuard | None = self.info.get("guard")
        if guard is None:
            super().flush(objects)
            return
        with guard.recording():
            super().flush(objects)


def current_guard(conn: Any) -> WriteGuard | None:
    return conn.get_execution_options().get(OPTION)


def install(engine: Engine) -> None:
    """Check every statement of a guarded unit of work (see the module docstring)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(conn: Any, _cursor: Any, statement: str, _params: Any, _ctx: Any, _many: bool) -> None:
        guard = current_guard(conn)
        if guard is not None:
            guard.check_statement(statement)


def check_write(conn: Any, table: str) -> None:
    """For writes that bypass SQLAlchemy's cursor events (a raw driver ``executemany``)."""
    guard = current_guard(conn)
    if guard is not None:
        guard.check_table(table)


__all__ = [
    "CommandRefused", "GuardedSession", "OPTION", "WriteGuard", "check_write", "current_guard",
    "install",
]
