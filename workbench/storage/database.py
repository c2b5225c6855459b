"""Opening project files and running units of work.

A project lives behind any SQLAlchemy URL; by default it is one SQLite file (foreign keys
on, WAL journal, a schema version in ``workbench_meta``). :class:`Store` is the only object
that holds an engine. Services ask it for a read session or a *command* (a recorded unit of
work); the UI never sees either.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from workbench.domain.errors import UserError

from . import migrations
from .changelog import Recorder, replay
from .models import Command, Meta, utcnow

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 3000

ReplayHook = Callable[[Session, list[dict[str, Any]]], None]


def _is_url(target: str | Path) -> bool:
    return isinstance(target, str) and "://" in target


def _sqlite_engine(path: Path, *, readonly: bool) -> Engine:
    if readonly:
        url = f"sqlite+pysqlite:///file:{path}?mode=ro&uri=true"
    else:
        url = f"sqlite+pysqlite:///{path}"
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    return engine


def check_project_file(path: Path) -> None:
    """Refuse anything that is not a readable SQLite file, without touching it."""
    if not path.exists():
        raise UserError("project.error.missing", path=path)
    if path.is_dir():
        raise UserError("project.error.is_dir", path=path)
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError:
        raise UserError("project.error.unreadable", path=path) from None
    if head != SQLITE_MAGIC:
        raise UserError("project.error.not_sqlite", path=path)


def _translate_db_error(exc: Exception, path: str) -> UserError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return UserError("project.error.locked", path=path)
    if "readonly" in text or "read-only" in text:
        return UserError("project.error.readonly", path=path)
    if "disk" in text and "full" in text:
        return UserError("project.error.disk_full", path=path)
    return UserError("project.error.corrupt", path=path, detail=str(exc).splitlines()[0])


class Store:
    """An open project: its engine, its change log and its units of work."""

    def __init__(self, engine: Engine, *, label: str, actor: str, readonly: bool) -> None:
        self.engine = engine
        self.label = label
        self.actor = actor
        self.readonly = readonly
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.replay_hooks: list[ReplayHook] = []
        # Guards raise to refuse a change before it happens (review mode lets a supervisor
        # comment but change nothing else): command guards get the command's name, step
        # guards the logged command that undo or redo is about to replay.
        self.command_guards: list[Callable[[str], None]] = []
        self.step_guards: list[Callable[[Command], None]] = []
        self.review_mode = False

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def create(cls, target: str | Path, *, actor: str) -> Store:
        if _is_url(target):
            engine = create_engine(str(target))
            label = str(target)
        else:
            path = Path(target)
            if path.exists():
                raise UserError("project.error.exists", path=path)
            if not path.parent.is_dir():
                raise UserError("project.error.no_folder", path=path.parent)
            engine = _sqlite_engine(path, readonly=False)
            label = str(path)
        try:
            migrations.create_schema(engine)
        except (OperationalError, DatabaseError) as exc:
            raise _translate_db_error(exc, label) from None
        return cls(engine, label=label, actor=actor, readonly=False)

    @classmethod
    def open(cls, target: str | Path, *, actor: str, readonly: bool = False) -> Store:
        """Open a project. The file is checked read-only first, so a file that is not a
        project (or is damaged, or too new) is never written to."""
        if _is_url(target):
            label = str(target)
            probe = create_engine(label)
        else:
            path = Path(target)
            check_project_file(path)
            writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
            readonly = readonly or not writable
            label = str(path)
            probe = _sqlite_engine(path, readonly=True)
        try:
            version = migrations.read_version(probe)
        except (OperationalError, DatabaseError) as exc:
            raise _translate_db_error(exc, label) from None
        finally:
            probe.dispose()
        if version is None:
            raise UserError("project.error.not_project", path=label)
        if version > migrations.SCHEMA_VERSION:
            raise UserError(
                "project.error.too_new", path=label, version=version,
                supported=migrations.SCHEMA_VERSION,
            )
        if version < migrations.SCHEMA_VERSION and readonly:
            raise UserError("project.error.needs_upgrade_readonly", path=label)
        engine = (
            create_engine(label) if _is_url(target)
            else _sqlite_engine(Path(target), readonly=readonly)
        )
        try:
            if version < migrations.SCHEMA_VERSION:
                if not _is_url(target):
                    _backup(Path(target), version)
                migrations.upgrade(engine, version)
            with engine.connect() as conn:  # surfaces a lock or damage now, not later
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master" if
                                     engine.dialect.name == "sqlite" else "SELECT 1")
        except (OperationalError, DatabaseError) as exc:
            engine.dispose()
            raise _translate_db_error(exc, label) from None
        return cls(engine, label=label, actor=actor, readonly=readonly)

    def close(self) -> None:
        self.engine.dispose()

    # -- units of work -----------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries. Nothing it does is committed."""
        session = self._sessions()
        try:
            yield session
        except (OperationalError, DatabaseError) as exc:
            raise _translate_db_error(exc, self.label) from None
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def _writing(self, before_commit: Callable[[Session], None] | None = None) -> Iterator[Session]:
        """A session that commits when the block ends, or rolls back and changes nothing."""
        if self.readonly:
            raise UserError("project.error.readonly_action")
        session = self._sessions()
        try:
            yield session
            if before_commit is not None:
                before_commit(session)
            session.commit()
        except (OperationalError, DatabaseError) as exc:
            session.rollback()
            raise _translate_db_error(exc, self.label) from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def command(self, name: str, /, **args: Any) -> Iterator[Session]:
        """A recorded unit of work. Commits on success; on any error nothing changes.

        ``name`` and ``args`` say what was done (``"code.create"``, ``{"name": ...}``);
        with the actor and time they form the audit trail.
        """
        for guard in self.command_guards:
            guard(name)
        recorder: Recorder | None = None

        def log(session: Session) -> None:
            assert recorder is not None
            if recorder.changes:
                self._abandon_redo(session)
                session.add(
                    Command(name=name, args=_jsonable_args(args), actor=self.actor,
                            changes=recorder.changes)
                )

        with self._writing(log) as session:
            recorder = Recorder(session)
            try:
                yield session
                session.flush()  # the last changes, while the recorder still listens
            finally:
                recorder.close()

    @contextmanager
    def derived(self) -> Iterator[Session]:
        """A unit of work for derived data only (search index): committed, not recorded."""
        with self._writing() as session:
            yield session

    @staticmethod
    def _abandon_redo(session: Session) -> None:
        session.execute(
            update(Command)
            .where(Command.state == "undone")
            .values(state="abandoned", changed_at=utcnow())
        )

    # -- undo and redo -----------------------------------------------------------------

    def _step(self, *, backwards: bool) -> Command | None:
        with self._writing() as session:
            if backwards:
                stmt = select(Command).where(Command.state == "done").order_by(Command.seq.desc())
            else:
                stmt = select(Command).where(Command.state == "undone").order_by(Command.seq)
            cmd = session.scalars(stmt.limit(1)).first()
            if cmd is None:
                return None
            for guard in self.step_guards:
                guard(cmd)
            replay(session, cmd.changes, backwards=backwards)
            for hook in self.replay_hooks:
                hook(session, cmd.changes)
            cmd.state = "undone" if backwards else "done"
            cmd.changed_at = utcnow()
            session.flush()
            session.expunge(cmd)
        return cmd

    def undo(self) -> Command | None:
        """Undo the latest command that is done; ``None`` when there is nothing to undo."""
        return self._step(backwards=True)

    def redo(self) -> Command | None:
        """Redo the earliest undone command; ``None`` when there is nothing to redo."""
        return self._step(backwards=False)

    def counts(self) -> tuple[int, int]:
        """How many commands can be undone and redone."""
        with self.read() as s:
            done = s.scalar(select(func.count()).where(Command.state == "done"))
            undone = s.scalar(select(func.count()).where(Command.state == "undone"))
        return int(done or 0), int(undone or 0)

    def meta(self, key: str) -> str | None:
        with self.read() as s:
            row = s.get(Meta, key)
            return row.value if row else None


def _jsonable_args(args: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, (str, int, float, bool)) or value is None:
            out[key] = value
        elif isinstance(value, (list, tuple)):
            out[key] = [v if isinstance(v, (str, int, float, bool)) else str(v) for v in value]
        else:
            out[key] = str(value)
    return out


def _backup(path: Path, version: int) -> Path:
    """Copy a project file before upgrading its schema (kept beside it)."""
    target = path.with_name(f"{path.name}.schema{version}.bak")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.schema{version}.bak{n}")
        n += 1
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target


__all__ = ["Store", "check_project_file"]
