"""Opening projects and running units of work.

A project lives behind any SQLAlchemy URL; by default it is one SQLite file (foreign keys
on, WAL journal, a schema version in ``workbench_meta``); PostgreSQL is the shared
backend for a team (``postgresql+psycopg://user:password@host/database``).
:class:`Store` is the only object that holds an engine. Services ask it for a read
session or a *command* (a recorded unit of work); the UI never sees either.

Who acts: a store is opened with an actor name. When the project has members
(schema 3), the actor must be one of them, and their role decides which kinds of command
they may run (:mod:`.commands`). A project without members lets everyone do everything.

Locking: every writing unit of work takes the project's write lock *before* it reads
anything: ``BEGIN IMMEDIATE`` on SQLite (pysqlite's own transaction handling is switched
off and the store emits ``BEGIN`` itself), a transaction-level advisory lock on
PostgreSQL. Writers are therefore serialised, so reading the undo stack, numbering
positions with ``max() + 1`` and allocating keys cannot race, under READ COMMITTED too.
Reads stay deferred and never wait for writers (WAL on SQLite, MVCC on PostgreSQL).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from workbench.domain.errors import UserError

from . import commands, migrations, scrub, undo
from .changelog import Recorder, replay
from .errors import engine_error, is_url, safe_label, storage_errors, translate
from .guard import GuardedSession, WriteGuard
from .guard import OPTION as GUARD_OPTION
from .guard import install as install_guard
from .models import Command, Member, Meta, utcnow
from .watch import notify_sql

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
PG_LOCK_CLASS = 0x77626E63  # "wbnc": the advisory-lock namespace of workbench projects

ReplayHook = Callable[[Session, list[dict[str, Any]]], None]

# -- engines -----------------------------------------------------------------------------


CACHE_KIB = 32_768
"""SQLite's page cache of a writing connection, in KiB (at most: it fills as pages are read)."""


def _setup_sqlite(engine: Engine, *, readonly: bool) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the store emits BEGIN itself (see _begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            # A page cache that holds a study's search index as it grows (SQLite's default
            # is 2 MB): with the default, each import into a large project read back the
            # pages of the index's term order that the one before had just written.
            cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cur.close()


def _setup_locking(engine: Engine) -> None:
    """Take the write lock when a writing transaction begins (see the module docstring)."""
    dialect = engine.dialect.name

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        writing = conn.get_execution_options().get("workbench_write", False)
        if dialect == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
        elif dialect == "postgresql" and writing:
            conn.exec_driver_sql(
                f"SELECT pg_advisory_xact_lock({PG_LOCK_CLASS}, hashtext(current_schema()))"
            )


def _sqlite_engine(path: Path, *, readonly: bool) -> Engine:
    if readonly:
        url = f"sqlite+pysqlite:///file:{path}?mode=ro&uri=true"
    else:
        url = f"sqlite+pysqlite:///{path}"
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    _setup_sqlite(engine, readonly=readonly)
    _setup_locking(engine)
    install_guard(engine)
    return engine


def _url_engine(url: str) -> Engine:
    """An engine for a URL; a missing driver or a bad URL is a :class:`UserError`."""
    try:
        backend = make_url(url).get_backend_name()
        kwargs: dict[str, Any] = {}
        if backend == "postgresql":
            kwargs["pool_pre_ping"] = True
            kwargs["connect_args"] = {"connect_timeout": 10}
        engine = create_engine(url, **kwargs)
    except (ImportError, NoSuchModuleError, ArgumentError) as exc:
        raise engine_error(exc, url) from None
    if engine.dialect.name == "sqlite":
        _setup_sqlite(engine, readonly=False)
    _setup_locking(engine)
    install_guard(engine)
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


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _os_error(exc: OSError, path: Path) -> UserError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return UserError("storage.error.create_disk_full", path=path)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UserError("storage.error.permission", path=path, detail=exc.strerror or str(exc))
    return UserError("storage.error.io", path=path)


class Store:
    """An open project: its engine, its change log and its units of work."""

    def __init__(
        self, engine: Engine, *, label: str, actor: str, readonly: bool,
        target: str | None = None,
    ) -> None:
        self.engine = engine
        self.label = label
        self.target = target or label
        self.actor = actor
        self.readonly = readonly
        self._sessions = sessionmaker(engine, expire_on_commit=False, class_=GuardedSession)
        self.replay_hooks: list[ReplayHook] = []
        # Extra refusals before a change happens: command guards get the command's name,
        # step guards the logged command that undo or redo is about to replay. Roles and
        # review mode are enforced by the store itself (command, _step, _member_role).
        self.command_guards: list[Callable[[str], None]] = []
        self.step_guards: list[Callable[[Command], None]] = []
        self._review = False
        self.close_hooks: list[Callable[[], None]] = []  # run once when the project closes
        self.role: str | None = None
        """The actor's member role, ``None`` while the project has no members."""
        self.own_applied: set[int] = set()
        """The ``applied`` numbers of the commands, undos and redos this store committed
        (noted before the commit, dropped again if it fails): a watcher of the project
        (:mod:`.watch`) tells this process's own commits from other processes' by them."""
        self._notify = notify_sql(engine.dialect.name)

    # -- who acts --------------------------------------------------------------------

    @property
    def review_mode(self) -> bool:
        """Whether only comments and snapshots may change: review mode was switched on
        (``open --review``), or the actor is a supervisor in the project."""
        return self._review or self.role == commands.SUPERVISOR

    @review_mode.setter
    def review_mode(self, value: bool) -> None:
        self._review = bool(value)

    @property
    def effective_role(self) -> str | None:
        return commands.SUPERVISOR if self._review else self.role

    def may_run(self, name: str) -> bool:
        """Whether the actor may run command ``name`` (by the last known role)."""
        return commands.may_run(self.effective_role, name)

    def check_may_run(self, name: str, args: dict[str, Any] | None = None) -> None:
        """Raise the translated refusal when the actor may not run ``name``."""
        if not commands.is_declared(name):
            raise UserError("storage.error.unknown_command", command=name)
        if not self.may_run(name):
            raise self._refusal(name, args or {})

    def _refusal(self, name: str, args: dict[str, Any]) -> UserError:
        role = self.effective_role
        if role == commands.SUPERVISOR:
            return UserError("review.error.read_only")
        return UserError(
            "storage.error.role_refused", actor=self.actor, role=_RoleName(role),
            what=undo.command_text(name, args),
        )

    def _member_role(self, session: Session) -> str | None:
        """Read the member list (inside the unit of work) and check the actor against it."""
        members = dict(session.execute(select(Member.name, Member.role)).all())
        if not members:
            self.role = None
        elif self.actor in members:
            self.role = members[self.actor]
        else:
            raise UserError(
                "storage.error.not_member", actor=self.actor, path=self.label,
                members=", ".join(sorted(members)),
            )
        return self.role

    def refresh_role(self) -> str | None:
        """Re-read the actor's role (raises when the project has members and the actor
        is not one of them)."""
        with self.read() as session:
            return self._member_role(session)

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def create(
        cls, target: str | Path, *, actor: str, title: str | None = None, language: str = "nb",
    ) -> Store:
        """Create a new project and open it. Refuses an existing project (a file, or a
        database that holds one) and a database that holds anything else; a failure
        leaves nothing behind."""
        if is_url(target):
            url = str(target)
            label = safe_label(url)
            engine = _url_engine(url)
            try:
                migrations.create_schema(engine, title=title or "Prosjekt", language=language)
            except migrations.NotEmpty as exc:
                engine.dispose()
                raise UserError(
                    "project.error.exists" if exc.project else "storage.error.not_empty",
                    path=label,
                ) from None
            except storage_errors() as exc:
                engine.dispose()
                raise translate(exc, label, target=url) from None
            return cls(engine, label=label, actor=actor, readonly=False, target=url)
        path = Path(target)
        if path.exists():
            raise UserError("project.error.exists", path=path)
        if not path.parent.is_dir():
            raise UserError("project.error.no_folder", path=path.parent)
        _create_file(path, title=title or path.stem, language=language)
        return cls(_sqlite_engine(path, readonly=False), label=str(path), actor=actor,
                   readonly=False)

    @classmethod
    def open(cls, target: str | Path, *, actor: str, readonly: bool = False) -> Store:
        """Open a project. The file is checked read-only first, so a file that is not a
        project (or is damaged, or too new) is never written to."""
        url = str(target) if is_url(target) else None
        if url is not None:
            label = safe_label(url)
            probe = _url_engine(url)
        else:
            path = Path(target)
            check_project_file(path)
            writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
            readonly = readonly or not writable
            label = str(path)
            probe = _sqlite_engine(path, readonly=True)
        try:
            version = migrations.read_version(probe)
            empty = version is None and not migrations.table_names(probe)
        except storage_errors() as exc:
            probe.dispose()
            raise translate(exc, label, target=url) from None
        if url is None:
            probe.dispose()

        def refuse(key: str, **params: Any) -> UserError:
            if url is not None:
                probe.dispose()
            return UserError(key, path=label, **params)

        if version is None:
            if url is None:
                raise refuse("project.error.not_project")
            raise refuse("storage.error.empty_database" if empty else "storage.error.not_project_db")
        if version > migrations.SCHEMA_VERSION:
            raise refuse("project.error.too_new", version=version,
                         supported=migrations.SCHEMA_VERSION)
        if version < migrations.SCHEMA_VERSION and readonly:
            raise refuse("project.error.needs_upgrade_readonly")
        # a URL keeps the probe's pool for the work; a file is reopened writable
        engine = probe if url is not None else _sqlite_engine(Path(target), readonly=readonly)
        try:
            if version < migrations.SCHEMA_VERSION:
                if url is None:
                    _backup(Path(target), version)
                migrations.upgrade(engine, version)
                if url is None and version < migrations.VACUUM_BELOW:
                    scrub.vacuum(engine)  # the old, larger index's pages
            with engine.connect() as conn:  # surfaces a lock or damage now, not later
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master" if
                                     engine.dialect.name == "sqlite" else "SELECT 1")
        except storage_errors() as exc:
            engine.dispose()
            raise translate(exc, label, target=url) from None
        store = cls(engine, label=label, actor=actor, readonly=readonly, target=url)
        try:
            store.refresh_role()
        except UserError:
            store.close()
            raise
        return store

    def close(self) -> None:
        hooks, self.close_hooks = self.close_hooks, []
        for hook in hooks:
            hook()
        self.engine.dispose()

    # -- units of work -----------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries. Nothing it does is committed."""
        session = self._sessions()
        try:
            yield session
        except storage_errors() as exc:
            raise translate(exc, self.label, target=self.target) from None
        finally:
            with suppress(*storage_errors()):
                session.rollback()
            session.close()

    @contextmanager
    def _writing(
        self, guard: WriteGuard, *, integrity: Callable[[], UserError] | None = None,
    ) -> Iterator[Session]:
        """A session that holds the write lock from its first statement and commits when
        the block ends, or rolls back and changes nothing."""
        if self.readonly:
            raise UserError("project.error.readonly_action")
        bind = self.engine.execution_options(workbench_write=True, **{GUARD_OPTION: guard})
        session = self._sessions(bind=bind)
        session.info["guard"] = guard
        session.info["applied"] = []

        def rollback() -> None:
            self.own_applied.difference_update(session.info["applied"])
            with suppress(*storage_errors()):
                session.rollback()

        try:
            session.connection()  # BEGIN IMMEDIATE / advisory lock, before any read
            yield session
            guard.raise_if_refused()
            session.commit()
        except UserError:
            rollback()
            raise
        except IntegrityError as exc:
            rollback()
            if guard.refused is not None:
                raise guard.refused from None
            if integrity is not None:
                raise integrity() from None
            raise translate(exc, self.label, target=self.target) from None
        except storage_errors() as exc:
            rollback()
            if guard.refused is not None:
                raise guard.refused from None
            raise translate(exc, self.label, target=self.target) from None
        except BaseException:
            rollback()
            raise
        finally:
            session.close()

    def _announce(self, session: Session, applied: int) -> None:
        """Note ``applied`` as this store's own, and wake the project's watchers with the
        commit (PostgreSQL: ``NOTIFY``, delivered only if the transaction commits)."""
        self.own_applied.add(applied)
        session.info["applied"].append(applied)
        if self._notify is not None:
            with session.info["guard"].internal():
                session.execute(text(self._notify), {"applied": applied})

    @contextmanager
    def command(self, name: str, /, **args: Any) -> Iterator[Session]:
        """A recorded unit of work. Commits on success; on any error nothing changes.

        ``name`` and ``args`` say what was done (``"code.create"``, ``{"name": ...}``);
        with the actor and time they form the audit trail. ``name`` must be declared in
        :mod:`workbench.storage.commands`; the unit of work may write only the tables
        declared there, and only an actor whose role allows ``name`` may run it.
        """
        if not commands.is_declared(name):
            raise UserError("storage.error.unknown_command", command=name)
        if self._review:  # refused before the lock is taken: nothing to wait for
            self.check_may_run(name, args)
        for check in self.command_guards:
            check(name)
        guard = WriteGuard(name, commands.declared_tables(name))
        with self._writing(guard) as session:
            self._member_role(session)
            self.check_may_run(name, args)
            recorder = Recorder(session)
            try:
                yield session
                session.flush()  # the last changes, while the recorder still listens
            finally:
                recorder.close()
            guard.raise_if_refused()
            if recorder.changes:
                with guard.internal():
                    undo.abandon_after(session, self.actor, recorder.changes)
                    applied = _next_applied(session)
                    session.add(Command(
                        name=name, args=_jsonable_args(args), actor=self.actor,
                        changes=recorder.changes, applied=applied,
                    ))
                    session.flush()
                    self._announce(session, applied)

    @contextmanager
    def derived(self) -> Iterator[Session]:
        """A unit of work for derived data only (the search index): committed, not
        recorded, and refused if it writes any other table."""
        guard = WriteGuard("derived", commands.DERIVED_TABLES, kind="derived")
        with self._writing(guard) as session:
            yield session

    # -- undo and redo -----------------------------------------------------------------

    def _step(self, *, backwards: bool) -> Command | None:
        guard = WriteGuard("undo" if backwards else "redo", frozenset(), kind="replay")
        current: dict[str, Command] = {}

        def depends() -> UserError:
            cmd = current["cmd"]
            return UserError("storage.undo.depends" if backwards else "storage.redo.depends",
                             what=undo.summary(cmd))

        with self._writing(guard, integrity=depends) as session:
            self._member_role(session)
            state = "done" if backwards else "undone"
            cmd = session.scalars(
                select(Command)
                .where(Command.actor == self.actor, Command.state == state,
                       Command.name.not_in(commands.FINAL_COMMANDS))
                .order_by(Command.applied.desc(), Command.seq.desc())
                .limit(1)
            ).first()
            if cmd is None:
                return None
            current["cmd"] = cmd
            for check in self.step_guards:
                check(cmd)
            if not commands.is_declared(cmd.name):
                raise UserError("storage.error.unknown_command", command=cmd.name)
            if not self.may_run(cmd.name):
                raise self._refusal(cmd.name, dict(cmd.args or {}))
            guard.name = cmd.name
            guard.tables = commands.declared_tables(cmd.name) | commands.DERIVED_TABLES
            undo.check_replay(session, cmd, backwards=backwards)
            session.expunge(cmd)  # a plain value from here on; its row is updated below
            changes = list(cmd.changes or [])
            replay(session, changes, backwards=backwards)
            for hook in self.replay_hooks:
                hook(session, changes)
            values = {"state": "undone" if backwards else "done", "changed_at": utcnow(),
                      "applied": _next_applied(session)}
            with guard.internal():
                session.execute(update(Command).where(Command.seq == cmd.seq).values(**values))
                self._announce(session, values["applied"])
            for key, value in values.items():
                setattr(cmd, key, value)
        return cmd

    def undo(self) -> Command | None:
        """Undo the actor's latest command that is done; ``None`` when there is none.

        Refused, with a message naming who did what, when a later change by someone else
        depends on it; never done halfway.
        """
        return self._step(backwards=True)

    def redo(self) -> Command | None:
        """Redo the actor's most recently undone command; ``None`` when there is none."""
        return self._step(backwards=False)

    def counts(self) -> tuple[int, int]:
        """How many of the actor's commands can be undone and redone."""
        with self.read() as s:
            rows = dict(s.execute(
                select(Command.state, func.count())
                .where(Command.actor == self.actor, Command.state.in_(("done", "undone")))
                .group_by(Command.state)
            ).all())
        return int(rows.get("done", 0)), int(rows.get("undone", 0))

    def meta(self, key: str) -> str | None:
        with self.read() as s:
            row = s.get(Meta, key)
            return row.value if row else None


class _RoleName:
    """A member role in the user's language, translated when the message is shown."""

    def __init__(self, role: str | None) -> None:
        self.role = role

    def __str__(self) -> str:
        from workbench.i18n import t

        return t(f"members.role.{self.role}")


def _next_applied(session: Session) -> int:
    """The next number of the log's ``applied`` clock (the write lock is held)."""
    return int(session.scalar(select(func.coalesce(func.max(Command.applied), 0))) or 0) + 1


def _create_file(path: Path, *, title: str, language: str) -> None:
    """Create a project file under a temporary name and link it into place when it is
    complete: a full disk, a crash or a race never leaves a half-made project."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.creating")
    _remove_sqlite_files(tmp)
    engine = _sqlite_engine(tmp, readonly=False)
    try:
        migrations.create_schema(engine, title=title, language=language)
        engine.dispose()
        if Path(f"{tmp}-wal").exists():  # fold the journal in before the file moves
            con = sqlite3.connect(tmp)
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                con.close()
        try:
            os.link(tmp, path)  # fails if the name was taken meanwhile
        except FileExistsError:
            raise UserError("project.error.exists", path=path) from None
        except OSError:
            if path.exists():
                raise UserError("project.error.exists", path=path) from None
            os.replace(tmp, path)
    except UserError:
        raise
    except OSError as exc:
        raise _os_error(exc, path) from None
    except storage_errors() as exc:
        error = translate(exc, str(path))
        if error.key == "project.error.disk_full":
            error = UserError("storage.error.create_disk_full", path=path)
        raise error from None
    finally:
        engine.dispose()
        _remove_sqlite_files(tmp)


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
