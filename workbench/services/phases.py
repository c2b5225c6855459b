"""The six phases of Braun & Clarke's thematic analysis: where the project is, moving on
or going back (with a logged reason), and the time spent in each phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.model import PHASES
from workbench.i18n import UserError
from workbench.storage.models import PhaseChange, Project, utcnow

from .base import Service


@dataclass(frozen=True)
class PhaseChangeView:
    from_phase: int
    to_phase: int
    reason: str
    actor: str
    created: datetime


@dataclass(frozen=True)
class PhaseTime:
    phase: int
    seconds: float
    visits: int


def phase_times(s: Session, *, now: datetime | None = None) -> list[PhaseTime]:
    """Time spent in each phase, in phase order, read in an open unit of work ``s``: from
    the project's creation and the logged moves; the current phase counts up to ``now``."""
    project = s.scalars(select(Project)).one()
    changes = list(s.scalars(select(PhaseChange).order_by(PhaseChange.created, PhaseChange.id)))
    seconds = dict.fromkeys(PHASES, 0.0)
    visits = dict.fromkeys(PHASES, 0)
    phase = changes[0].from_phase if changes else project.phase
    since = project.created
    visits[phase] += 1
    for change in changes:
        seconds[phase] += max(0.0, (change.created - since).total_seconds())
        phase, since = change.to_phase, change.created
        visits[phase] += 1
    seconds[phase] += max(0.0, ((now or utcnow()) - since).total_seconds())
    return [PhaseTime(p, seconds[p], visits[p]) for p in PHASES]


class PhaseService(Service):
    def current(self) -> int:
        with self.store.read() as s:
            return s.scalars(select(Project)).one().phase

    def set(self, phase: int, reason: str = "") -> int:
        """Move to ``phase``. Going back needs a reason, which is logged."""
        if phase not in PHASES:
            raise UserError("phase.error.range", phase=phase)
        with self.store.read() as s:
            previous = s.scalars(select(Project)).one().phase
        with self.store.command("phase.set", phase=phase, reason=reason, previous=previous,
                                what="back" if phase < previous else "on") as s:
            project = s.scalars(select(Project)).one()
            if phase == project.phase:
                raise UserError("phase.error.same", phase=phase)
            if phase < project.phase and not reason.strip():
                raise UserError("phase.error.reason_needed")
            s.add(
                PhaseChange(
                    from_phase=project.phase, to_phase=phase, reason=reason.strip(),
                    actor=self.actor,
                )
            )
            project.phase = phase
            return phase

    def advance(self) -> int:
        """Move on to the next phase (one action)."""
        current = self.current()
        if current >= PHASES[-1]:
            raise UserError("phases.error.last")
        return self.set(current + 1)

    def back(self, reason: str, to: int | None = None) -> int:
        """Go back to phase ``to`` (default: the one before), with the reason logged."""
        current = self.current()
        target = current - 1 if to is None else to
        if target < PHASES[0]:
            raise UserError("phases.error.first")
        if target >= current:
            raise UserError("phases.error.not_back", phase=target, current=current)
        return self.set(target, reason)

    def history(self) -> list[PhaseChangeView]:
        with self.store.read() as s:
            rows = s.scalars(select(PhaseChange).order_by(PhaseChange.created, PhaseChange.id))
            return [
                PhaseChangeView(r.from_phase, r.to_phase, r.reason, r.actor, r.created)
                for r in rows
            ]

    def durations(self, *, now: datetime | None = None) -> list[PhaseTime]:
        """Time spent in each phase (from the project's creation and the logged moves),
        in phase order; the current phase counts up to ``now``."""
        with self.store.read() as s:
            return phase_times(s, now=now)
