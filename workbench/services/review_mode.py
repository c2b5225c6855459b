"""Supervisor review mode: the project is open for writing, but only comments may change.

A supervisor opens the researcher's project with ``workbench open studie.wbp --review --as
NAME``. The file must be writable (comments are stored in it), yet the supervisor must not
change codes, codings, themes, the phase or the journal. The rule is enforced where every
change passes: the store's command and undo/redo guards (``Store.command_guards``,
``Store.step_guards``). Only
the commands in :data:`REVIEW_ALLOWED` go through; anything else raises
``UserError("review.error.read_only")`` before a session is opened, so nothing changes.

Undo and redo in review mode only step over the supervisor's own comments; they refuse
to undo the researcher's work.

:func:`enable_review_mode` installs the guards on an open :class:`Workbench` (or
:class:`Store`).
"""

from __future__ import annotations

from typing import Any

from workbench.i18n import UserError
from workbench.storage.database import Store
from workbench.storage.models import Command

REVIEW = "review"
RESEARCHER = "researcher"

REVIEW_ALLOWED: frozenset[str] = frozenset(
    {"comment.add", "comment.reply", "comment.resolve", "snapshot.create"}
)
"""Commands a supervisor may run: comment, reply, resolve, freeze a snapshot."""


def _store(target: Any) -> Store:
    return target.store if hasattr(target, "store") else target


def is_review_mode(target: Any) -> bool:
    return bool(_store(target).review_mode)


def check_allowed(target: Any, name: str) -> None:
    """Raise if ``name`` may not run on ``target`` (a Workbench or Store)."""
    if is_review_mode(target) and name not in REVIEW_ALLOWED:
        raise UserError("review.error.read_only")


def _check_step(store: Store, cmd: Command) -> None:
    """In review mode, undo and redo step only over the supervisor's own comments."""
    if cmd.name not in REVIEW_ALLOWED or cmd.actor != store.actor:
        raise UserError("review.error.undo_other")


def enable_review_mode(target: Any) -> None:
    """Put an open Workbench (or Store) in review mode. Idempotent."""
    store = _store(target)
    if store.review_mode:
        return
    store.review_mode = True
    store.command_guards.append(lambda name: check_allowed(store, name))
    store.step_guards.append(lambda cmd: _check_step(store, cmd))


__all__ = [
    "RESEARCHER", "REVIEW", "REVIEW_ALLOWED", "check_allowed", "enable_review_mode",
    "is_review_mode",
]
