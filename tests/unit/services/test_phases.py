"""Moving through the six phases, going back with a reason, and the time per phase."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from workbench.services import Workbench
from workbench.storage.models import PhaseChange, Project

from tests.unit.services.support import refused


def test_move_on_and_go_back_with_a_reason(wb: Workbench):
    assert wb.phases.advance() == 2
    assert wb.phases.advance() == 3
    refused(wb, lambda: wb.phases.back(""), "phase.error.reason_needed")
    refused(wb, lambda: wb.phases.back("nytt blikk", to=3), "phases.error.not_back")
    assert wb.phases.back("Temaene speilet intervjuguiden", to=1) == 1
    refused(wb, lambda: wb.phases.back("igjen"), "phases.error.first")
    history = wb.phases.history()
    assert [(h.from_phase, h.to_phase, h.reason) for h in history][-1] == (
        3, 1, "Temaene speilet intervjuguiden",
    )
    for _ in range(5):
        wb.phases.advance()
    refused(wb, lambda: wb.phases.advance(), "phases.error.last")
    wb.undo()
    assert wb.phases.current() == 5


def test_time_per_phase_from_the_log(wb: Workbench):
    wb.phases.advance()
    wb.phases.advance()
    with Session(wb.store.engine) as s, s.begin():  # put the log at known times (test only)
        project = s.query(Project).one()
        start = project.created
        for i, change in enumerate(s.query(PhaseChange).order_by(PhaseChange.id)):
            change.created = start + timedelta(hours=2 * (i + 1))
    times = wb.phases.durations(now=start + timedelta(hours=5))
    assert [(x.phase, round(x.seconds / 3600), x.visits) for x in times[:3]] == [
        (1, 2, 1), (2, 2, 1), (3, 1, 1),
    ]
    item = wb.checklist.items(now=start + timedelta(hours=5))[-1]
    assert item.key == "checklist.item.time" and item.status == "ok"
    assert "1: 2 t" in item.detail
