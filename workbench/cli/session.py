"""Opening and creating projects for a command, as the member the command acts for.

Every command that opens a project goes through :func:`open_project` (or
:func:`create_project`), which passes the global ``--as NAME`` (else ``WORKBENCH_USER``,
else the login name) to the store. The store checks that name against the project's
member list and enforces the member's role on every unit of work.
"""

from __future__ import annotations

import argparse
from typing import Any

ACTOR_DEST = "as_user"


def actor_of(args: argparse.Namespace) -> str | None:
    """The ``--as`` name of this command line, ``None`` for the default actor."""
    name = getattr(args, ACTOR_DEST, None)
    return " ".join(name.split()) or None if name else None


def open_project(args: argparse.Namespace, *, readonly: bool = False,
                 target: str | None = None) -> Any:
    """``Workbench.open`` on ``args.project`` (or ``target``), as the command's actor."""
    from workbench.services import Workbench

    return Workbench.open(target or args.project, actor=actor_of(args), readonly=readonly)


def create_project(args: argparse.Namespace, **create: Any) -> Any:
    """``Workbench.create`` on ``args.project``, as the command's actor."""
    from workbench.services import Workbench

    return Workbench.create(args.project, actor=actor_of(args), **create)


__all__ = ["ACTOR_DEST", "actor_of", "create_project", "open_project"]
