"""The application API: everything a screen or the CLI can do, in units of work.

One module per service (``codes``, ``themes``, ``phases``, ``review``, ``snapshots``, …);
:mod:`workbench.services.project` holds :class:`Workbench`, which opens a project and wires
them together (``wb.codes``, ``wb.themes``, …).
"""

from __future__ import annotations

from .project import Workbench, command_summary, default_actor

__all__ = ["Workbench", "command_summary", "default_actor"]
