"""Workbench → .qdpx → workbench keeps the project's own history; the linking key stays home."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sqlalchemy import select

from workbench.services import Workbench
from workbench.storage.models import PhaseChange, ReviewComment, Snapshot

from tests.unit.formats.test_refi import rich_project, snapshot


def _history(wb: Workbench) -> dict:
    with wb.store.read() as s:
        snaps = {x.id: x.guid for x in s.scalars(select(Snapshot))}
        comments = {c.id: c.guid for c in s.scalars(select(ReviewComment))}
        return {
            "info": (wb.info().title, wb.info().phase),
            "phase_log": [(r.guid, r.from_phase, r.to_phase, r.reason, r.actor, r.created)
                          for r in s.scalars(select(PhaseChange).order_by(PhaseChange.id))],
            "snapshots": {x.guid: (x.name, x.author, x.created, x.data)
                          for x in s.scalars(select(Snapshot))},
            "comments": {
                c.guid: (c.anchor_kind, c.anchor_guid, c.anchor_label, snaps.get(c.snapshot_id),
                         comments.get(c.parent_id), c.author, c.text, c.status, c.created,
                         c.resolved_by, c.resolved_at)
                for c in s.scalars(select(ReviewComment))
            },
        }


def _rich_history(wb: Workbench) -> None:
    ids = rich_project(wb)  # phase 1 → 2, two journal entries, themes
    wb.set_title("Håp i hverdagen")
    wb.phases.set(3)
    wb.phases.set(4, reason="Temaene er klare")
    snap = wb.snapshots.create("Før veiledning")
    theme = wb.themes.tree()[0]
    first = wb.review.comment("theme", theme.id, "Skill tydeligere mellom håp og tid.")
    wb.review.reply(first.id, "Enig, jeg deler temaet.")
    wb.review.resolve(first.id)
    wb.review.comment("project", None, "Bra fremdrift.")
    wb.privacy.remember([("Ola Nordmann", "Leder 1")])  # the linking key (its own file)
    assert snap.name and ids


def test_round_trip_keeps_title_phase_log_snapshots_comments_journal_and_themes(
        wb: Workbench, tmp_path: Path):
    _rich_history(wb)
    before, history = snapshot(wb), _history(wb)
    assert history["info"] == ("Håp i hverdagen", 4) and len(history["phase_log"]) == 3
    assert len(history["snapshots"]) == 1 and len(history["comments"]) == 3
    path = wb.exchange.export_qdpx(tmp_path / "studie.qdpx")
    with zipfile.ZipFile(path) as z:  # the real name is nowhere in the file
        assert all(b"Ola Nordmann" not in z.read(n) for n in z.namelist())
    with Workbench.create(tmp_path / "ny.wbp", title="ny") as other:
        result = other.exchange.import_qdpx(path)
        assert (result.phase_log_added, result.snapshots_added, result.comments_added) == (3, 1, 3)
        assert result.warnings == (
            "Koblingsnøkkelen (ekte navn og pseudonymene deres) følger aldri med i en "
            "utvekslingsfil og ble ikke importert; den finnes bare i det opprinnelige "
            "prosjektet.",)
        assert snapshot(other) == before
        assert _history(other) == history
        assert other.privacy.fingerprint() is None and not other.privacy.key_path().exists()
        assert [h.name for h in other.history()] == ["exchange.import_qdpx"]
        other.undo()
        assert other.info().title == "ny" and other.info().phase == 1
        assert _history(other)["snapshots"] == {} and _history(other)["comments"] == {}


def test_into_a_project_with_content_title_phase_and_log_stay_its_own(wb, tmp_path):
    _rich_history(wb)
    path = wb.exchange.export_qdpx(tmp_path / "studie.qdpx")
    with Workbench.create(tmp_path / "annen.wbp", title="Annen studie") as other:
        other.codes.create("egen kode")
        result = other.exchange.import_qdpx(path)
        assert other.info().title == "Annen studie" and other.info().phase == 1
        assert result.phase_log_added == 0
        assert (result.snapshots_added, result.comments_added) == (1, 3)
        assert any("tittelen, fasen og faseloggen" in w for w in result.warnings)
