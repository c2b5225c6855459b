"""The one change path: every mutation is a recorded command that can be undone and redone.

A command is a unit of work (one transaction). While it runs, session events capture every
row the ORM inserts, updates or deletes in a recorded table, with the values before and
after. The captured changes are stored with the command in the ``command`` table, so
undo/redo survive closing the project and the same log is the audit trail.

Undo replays a command's changes backwards (delete what was inserted, restore what was
updated or deleted); redo replays them forwards. Both run through SQLAlchemy Core with
foreign-key checks deferred to commit, so replay order inside one command never trips a
constraint that holds at the end.

Keys are never reused. PostgreSQL's sequences guarantee that; on SQLite a plain
``INTEGER PRIMARY KEY`` hands out ``max(id) + 1``, so the key of a row that undo removed
would go to the next new row, and that row would look like the same row to the conflict
checks of per-person undo. :func:`allocate_ids` keeps a high-water mark per table in
``workbench_meta`` and gives new rows keys above it.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    DateTime,
    Insert,
    Select,
    Table,
    bindparam,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from .models import RECORDED_TABLES, Base, Meta

INSERT, UPDATE, DELETE = "i", "u", "d"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _from_json(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        column = table.c[key]
        if value is not None and isinstance(column.type, DateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        out[key] = value
    return out


def _row_values(obj: Any) -> tuple[str, int, dict[str, Any]]:
    state = inspect(obj)
    mapper = state.mapper
    table = mapper.local_table
    values = {
        prop.columns[0].key: _jsonable(getattr(obj, prop.key))
        for prop in mapper.column_attrs
    }
    return table.name, values["id"], values


def _is_recorded(obj: Any) -> bool:
    return inspect(obj).mapper.local_table.name in RECORDED_TABLES


class Recorder:
    """Collects row changes of recorded tables while a command's session flushes.

    Changes are read in ``after_flush``, where the session still shows its pre-flush
    ``new``/``dirty``/``deleted`` sets together with attribute history, including foreign
    keys that the flush itself synchronised from relationships and orphans it deleted.
    ``before_flush`` only makes sure that every value needed later is in memory: columns
    of rows about to be deleted, and the old value of a column set while unloaded.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.changes: list[dict[str, Any]] = []
        self._old: dict[tuple[str, int, str], Any] = {}
        session.info["recorder"] = self
        event.listen(session, "before_flush", self._before_flush)
        event.listen(session, "after_flush", self._after_flush)

    def close(self) -> None:
        event.remove(self.session, "before_flush", self._before_flush)
        event.remove(self.session, "after_flush", self._after_flush)

    def _before_flush(self, session: Session, _ctx: Any, _instances: Any) -> None:
        self._old.clear()
        _assign_ids(session, [obj for obj in session.new if _is_recorded(obj)])
        for obj in list(session.deleted):
            if _is_recorded(obj):
                _row_values(obj)  # loads every column while the row still exists
        for obj in list(session.dirty):
            if not _is_recorded(obj):
                continue
            state = inspect(obj)
            table = state.mapper.local_table
            for prop in state.mapper.column_attrs:
                hist = state.attrs[prop.key].history
                if hist.added and not hist.deleted and not hist.unchanged:
                    key = prop.columns[0].key
                    self._old[(table.name, obj.id, key)] = session.connection().execute(
                        select(table.c[key]).where(table.c.id == obj.id)
                    ).scalar_one_or_none()

    def _after_flush(self, session: Session, _ctx: Any) -> None:
        order = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
        for obj in list(session.dirty):
            if not _is_recorded(obj) or obj in session.deleted:
                continue
            state = inspect(obj)
            table = state.mapper.local_table
            old: dict[str, Any] = {}
            new: dict[str, Any] = {}
            for prop in state.mapper.column_attrs:
                hist = state.attrs[prop.key].history
                if not hist.added:
                    continue
                key = prop.columns[0].key
                before = (
                    hist.deleted[0] if hist.deleted
                    else self._old.get((table.name, obj.id, key))
                )
                after = hist.added[0]
                if before != after:
                    old[key] = _jsonable(before)
                    new[key] = _jsonable(after)
            if new:
                self.changes.append(
                    {"t": table.name, "op": UPDATE, "id": obj.id, "old": old, "new": new}
                )
        # Children before parents for deletions, parents before children for insertions,
        # so a replay in either direction follows the foreign keys.
        deleted = sorted(
            (_row_values(obj) for obj in session.deleted if _is_recorded(obj)),
            key=lambda r: (-order[r[0]], r[1]),
        )
        for name, pk, values in deleted:
            self.changes.append({"t": name, "op": DELETE, "id": pk, "old": values})
        inserted = sorted(
            (_row_values(obj) for obj in session.new if _is_recorded(obj)),
            key=lambda r: (order[r[0]], r[1]),
        )
        for name, pk, values in inserted:
            self.changes.append({"t": name, "op": INSERT, "id": pk, "new": values})


def bulk_insert(session: Session, model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Insert many rows of a recorded table at once, recording each insertion.

    The ORM costs about half a millisecond a row; a transcript has a thousand turns. This
    path writes through the driver in one ``executemany`` and records the same change
    entries the ORM path would, so undo and redo treat the rows like any other. Every
    column must be given (defaults are filled in here); the rows get fresh GUIDs and keys.
    """
    recorder: Recorder | None = session.info.get("recorder")
    if recorder is None:
        raise RuntimeError("bulk_insert needs a recorded command session")
    if not rows:
        return []
    session.flush()
    table: Table = model.__table__  # type: ignore[attr-defined]
    columns = [c.key for c in table.columns]
    full: list[dict[str, Any]] = []
    for row in rows:
        values = dict(row)
        for column in table.columns:
            if column.key not in values and column.key != "id":
                default = column.default
                if default is None:
                    values[column.key] = None
                elif default.is_callable:
                    values[column.key] = default.arg(None)  # type: ignore[operator, union-attr]
                else:
                    values[column.key] = default.arg  # type: ignore[union-attr]
        full.append(values)
    conn = session.connection()
    guard = session.info.get("guard")
    with guard.recording() if guard is not None else nullcontext():
        if conn.dialect.name == "sqlite":
            start = allocate_ids(session, table.name, len(full))
            for i, values in enumerate(full):
                values["id"] = start + i
            conn.execute(_insert(table), full)
            ids = [v["id"] for v in full]
        else:  # one statement, keys returned in the order of the rows
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            ids = list(conn.execute(stmt, full).scalars())
            for values, pk in zip(full, ids, strict=True):
                values["id"] = pk
    for values in full:
        recorder.changes.append({
            "t": table.name, "op": INSERT, "id": values["id"],
            "new": {k: _jsonable(values[k]) for k in columns},
        })
    return ids


ID_KEY = "next_id.{table}"

_META: Table = Meta.__table__  # type: ignore[assignment]
# Built once (the coding screen allocates a key on every key that codes): a statement
# built anew costs more to construct and to look up in SQLAlchemy's compiled cache than
# it takes SQLite to run it.
_MARK_INSERT = insert(_META).values(key=bindparam("k"), value=bindparam("v"))
_MARK_UPDATE = update(_META).where(_META.c.key == bindparam("k")).values(value=bindparam("v"))


@cache
def _marks(table: str) -> Select[Any]:
    """The high-water mark of ``table`` and its largest key, in one query."""
    target = Base.metadata.tables[table]
    return select(
        select(_META.c.value).where(_META.c.key == bindparam("k")).scalar_subquery(),
        select(func.max(target.c.id)).scalar_subquery(),
    )


@cache
def _insert(table: Table) -> Insert:
    return insert(table)


def allocate_ids(session: Session, table: str, n: int) -> int:
    """Reserve ``n`` fresh keys in ``table`` (SQLite); returns the first.

    Runs inside a writing unit of work, which holds the write lock, so the read and the
    write of the high-water mark cannot interleave with another writer.
    """
    conn = session.connection()
    key = ID_KEY.format(table=table)
    guard = session.info.get("guard")
    with guard.internal() if guard is not None else nullcontext():
        mark, top = conn.execute(_marks(table), {"k": key}).one()
        start = max(int(mark or 0), int(top or 0)) + 1
        last = str(start + n - 1)
        conn.execute(_MARK_INSERT if mark is None else _MARK_UPDATE, {"k": key, "v": last})
    return start


def _assign_ids(session: Session, new: list[Any]) -> None:
    """Give new rows of recorded tables keys that were never used (SQLite only)."""
    if not new or session.get_bind().dialect.name != "sqlite":
        return
    by_table: dict[str, list[Any]] = {}
    for obj in new:
        if obj.id is None:
            by_table.setdefault(inspect(obj).mapper.local_table.name, []).append(obj)
    for table, objs in by_table.items():
        start = allocate_ids(session, table, len(objs))
        for i, obj in enumerate(objs):
            obj.id = start + i


def _defer_foreign_keys(session: Session) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    elif dialect == "postgresql":
        session.connection().exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")


def replay(session: Session, changes: list[dict[str, Any]], *, backwards: bool) -> None:
    """Apply a command's changes forwards (redo) or their inverse backwards (undo)."""
    _defer_foreign_keys(session)
    tables = Base.metadata.tables
    sequence = reversed(changes) if backwards else changes
    conn = session.connection()
    guard = session.info.get("guard")
    with guard.recording() if guard is not None else nullcontext():
        for change in sequence:
            table = tables[change["t"]]
            op, pk = change["op"], change["id"]
            if (op == INSERT and backwards) or (op == DELETE and not backwards):
                conn.execute(delete(table).where(table.c.id == pk))
            elif op == INSERT or op == DELETE:
                values = change["new"] if op == INSERT else change["old"]
                conn.execute(insert(table).values(**_from_json(table, values)))
            else:
                values = change["old"] if backwards else change["new"]
                conn.execute(update(table).where(table.c.id == pk).values(**_from_json(table, values)))
    session.expire_all()


def touched(changes: list[dict[str, Any]], table: str) -> set[int]:
    """Keys of rows in ``table`` that a change list inserts, updates or deletes."""
    return {c["id"] for c in changes if c["t"] == table}


def dumps(changes: list[dict[str, Any]]) -> str:
    return json.dumps(changes, ensure_ascii=False)
