"""Storage errors in the user's words: one translated line for each thing that can go wrong.

Every error that comes out of the driver (SQLite or PostgreSQL) passes through
:func:`translate` before a user sees it. The rule: say what happened and what to do.
"The file is damaged, use a backup" is said only when the database itself reports damage;
a lock, a full disk, a lost connection or a refused constraint never gets that advice.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from workbench.domain.errors import UserError


def storage_errors() -> tuple[type[BaseException], ...]:
    """SQLAlchemy's errors and the driver exceptions that may escape its wrapping (raw
    driver calls). The PostgreSQL driver is optional and only counted once imported."""
    errors: list[type[BaseException]] = [SQLAlchemyError, sqlite3.Error]
    pg = sys.modules.get("psycopg")
    if pg is not None:
        errors.append(pg.Error)
    return tuple(errors)


def is_url(target: object) -> bool:
    return isinstance(target, str) and "://" in target


def safe_label(target: object) -> str:
    """How a project is named in messages: a path, or a URL without its password."""
    if not is_url(target):
        return str(target)
    try:
        return make_url(str(target)).render_as_string(hide_password=True)
    except ArgumentError:
        return str(target)


def url_parts(target: str) -> dict[str, Any]:
    try:
        url: URL = make_url(target)
    except ArgumentError:
        return {"host": "?", "port": "?", "user": "?", "database": "?", "dialect": "?"}
    return {
        "host": url.host or "localhost",
        "port": url.port or ("5432" if url.get_backend_name() == "postgresql" else ""),
        "user": url.username or "",
        "database": url.database or "",
        "dialect": url.get_backend_name(),
    }


def engine_error(exc: BaseException, target: str) -> UserError:
    """An engine could not be made for ``target`` (bad URL, missing driver)."""
    parts = url_parts(target)
    if isinstance(exc, ImportError) or (
        isinstance(exc, NoSuchModuleError) and "+" in target.split("://", 1)[0]
        and parts["dialect"] in ("postgresql", "mysql", "mssql", "oracle")
    ):
        return UserError("storage.error.no_driver", dialect=parts["dialect"], path=safe_label(target))
    return UserError("storage.error.bad_url", path=safe_label(target), detail=_first_line(exc))


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def translate(exc: BaseException, label: str, *, target: str | None = None) -> UserError:
    """The one-line message for a storage error while working on ``label``."""
    if isinstance(exc, UserError):
        return exc
    orig = getattr(exc, "orig", None) or exc
    text = _first_line(exc)
    low = str(orig).lower()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    parts = url_parts(target) if target and is_url(target) else {}
    path = label

    # -- connecting (PostgreSQL) ------------------------------------------------------
    if "password authentication failed" in low or "authentication failed" in low or sqlstate in (
        "28P01", "28000"
    ) or "no password supplied" in low or "no pg_hba.conf entry" in low:
        return UserError("storage.error.auth", path=path, user=parts.get("user", ""))
    if ("database" in low and "does not exist" in low) or sqlstate == "3D000":
        return UserError("storage.error.no_database", path=path,
                         database=parts.get("database", ""), host=parts.get("host", ""))
    if "connection refused" in low or "could not connect" in low or "no route to host" in low \
            or "could not translate host name" in low or "timeout expired" in low \
            or ("connection failed" in low and "connection to server" in low) \
            or sqlstate == "57P03":
        return UserError("storage.error.no_server", path=path, host=parts.get("host", "?"),
                         port=parts.get("port", "?"))
    if (isinstance(exc, DBAPIError) and exc.connection_invalidated) or sqlstate.startswith("08") \
            or sqlstate in ("57P01", "57P02") or "server closed the connection" in low \
            or "terminating connection" in low or "connection is closed" in low \
            or "consuming input failed" in low or "ssl syscall" in low or "connection is lost" in low:
        return UserError("storage.error.connection_lost", path=path)

    # -- both backends -----------------------------------------------------------------
    if "locked" in low or "busy" in low or sqlstate in ("55P03", "40P01", "40001", "57014"):
        return UserError("project.error.locked", path=path)
    if ("disk" in low and "full" in low) or "no space left" in low or sqlstate.startswith("53"):
        return UserError("project.error.disk_full", path=path)
    if "readonly" in low or "read-only" in low or sqlstate == "25006":
        return UserError("project.error.readonly", path=path)
    if "permission denied" in low or sqlstate == "42501" or "access permission" in low:
        return UserError("storage.error.permission", path=path, detail=text)
    if "unable to open database" in low:
        return UserError("storage.error.cannot_open", path=path)
    if "disk i/o error" in low or "i/o error" in low:
        return UserError("storage.error.io", path=path)
    if "malformed" in low or "not a database" in low or "file is encrypted" in low \
            or "corrupt" in low or sqlstate == "XX001" or sqlstate == "XX002":
        return UserError("project.error.corrupt", path=path, detail=text)
    if sqlstate.startswith("23") or "constraint" in low or "violates" in low:
        return UserError("storage.error.integrity", path=path, detail=text)
    return UserError("storage.error.database", path=path, detail=text)


__all__ = [
    "engine_error", "is_url", "safe_label", "translate",
    "storage_errors", "url_parts",
]
