"""Shared helpers for services: looking rows up by id or GUID with clear errors."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.i18n import UserError
from workbench.storage.database import Store
from workbench.storage.models import Entity

E = TypeVar("E", bound=Entity)


class Service:
    """A group of related operations on one open project."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def actor(self) -> str:
        return self.store.actor


def get(session: Session, cls: type[E], ref: int | str) -> E:
    """Fetch an entity by integer id or GUID, or raise a clear error."""
    if isinstance(ref, int):
        obj = session.get(cls, ref)
    else:
        obj = session.scalars(select(cls).where(cls.guid == ref)).first()
    if obj is None:
        raise UserError("error.not_found", kind=cls.__tablename__, ref=ref)
    return obj


def next_position(session: Session, column, *where) -> int:  # type: ignore[no-untyped-def]
    """The next free position (``max() + 1``) among the rows matching ``where``.

    Race-free only because it runs inside a writing unit of work, which holds the
    project's write lock from its first statement (``BEGIN IMMEDIATE`` on SQLite, an
    advisory lock on PostgreSQL): no other writer can take the same number, under READ
    COMMITTED too. Called anywhere else it raises.
    """
    if session.info.get("guard") is None:
        raise RuntimeError("next_position needs a writing unit of work (store.command)")
    value = session.scalar(select(func.max(column)).where(*where))
    return 0 if value is None else int(value) + 1
