"""Supervisor review mode: the project is open for writing, but only comments may change.

A supervisor opens the researcher's project with ``workbench open studie.wbp --review --as
NAME``, or is a member with the role ``supervisor``. The file must be writable (comments
are stored in it), yet the supervisor must not change codes, codings, themes, the phase or
the journal. The rule is enforced where every change is recorded: the store treats an
actor in review mode as a supervisor, and a supervisor may run only the command kinds in
:data:`REVIEW_ALLOWED` (the role table in :mod:`workbench.storage.commands`); anything
else raises ``UserError("review.error.read_only")`` and nothing changes. Undo and redo are
per person, so a supervisor's undo only ever steps over their own comments.

This module keeps its public functions for the screens; they delegate to the store.
"""

from __future__ import annotations

from typing import Any

from workbench.storage.commands import RESEARCHER, ROLE_COMMANDS, SUPERVISOR
from workbench.storage.database import Store

REVIEW = "review"

REVIEW_ALLOWED: frozenset[str] = ROLE_COMMANDS[SUPERVISOR]
"""Commands a supervisor may run: comment, reply, resolve, freeze a snapshot."""


def _store(target: Any) -> Store:
    return target.store if hasattr(target, "store") else target


def is_review_mode(target: Any) -> bool:
    """Whether only comments may change (review mode, or the actor is a supervisor)."""
    return bool(_store(target).review_mode)


def check_allowed(target: Any, name: str) -> None:
    """Raise if ``name`` may not run on ``target`` (a Workbench or Store)."""
    _store(target).check_may_run(name)


def enable_review_mode(target: Any) -> None:
    """Put an open Workbench (or Store) in review mode. Idempotent."""
    _store(target).review_mode = True


__all__ = [
    "RESEARCHER", "REVIEW", "REVIEW_ALLOWED", "check_allowed", "enable_review_mode",
    "is_review_mode",
]
