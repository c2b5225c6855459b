"""Merging a colleague's work from the TUI: the palette entry, the path, the report, undo."""

from __future__ import annotations

from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.modals import LinesModal, PromptModal

from tests.conftest import sample_parsed
from tests.ui.helpers import recorded_notifications, settle


def _colleague(path):
    with Workbench.create(path, actor="kari") as kari:
        tr = kari.transcripts.add_parsed(sample_parsed(), name="gruppe 1")
        text = kari.transcripts.get(tr.id).text
        start = text.index("opplever håp")
        kari.codes.apply(tr.id, start, start + len("opplever håp"), name="håp")
    return path


async def test_merge_from_the_palette_shows_the_report_and_undoes(wb, tmp_path):
    wb.transcripts.add_parsed(sample_parsed(), name="fg1")
    (tmp_path / "fra kari").mkdir()
    path = _colleague(tmp_path / "fra kari" / "kari.wbp")
    app = WorkbenchApp(wb)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = recorded_notifications(app)
        await app.run_action("merge_colleague")
        await settle(pilot)
        assert isinstance(app.screen, PromptModal)
        await pilot.press(*str(path), "enter")
        await settle(pilot)
        assert isinstance(app.screen, LinesModal)
        assert [(c.coder, c.start) for c in wb.codes.codings()] == [
            ("kari", wb.transcripts.get("fg1").text.index("opplever håp"))]
        assert any(n.startswith("Slo inn 1 koding fra «kari.wbp» på 1 transkripsjon") for n in seen)
        await pilot.press("escape")
        await settle(pilot)
        await app.run_action("undo")
        await settle(pilot)
        assert wb.codes.codings() == []
        assert any("Angret: Slo inn 1 utdrag" in n for n in seen)


async def test_a_file_that_is_not_a_project_is_refused_in_one_line(wb, tmp_path):
    bad = tmp_path / "notat.wbp"
    bad.write_text("nei", encoding="utf-8")
    app = WorkbenchApp(wb)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = recorded_notifications(app)
        await app.run_action("merge_colleague")
        await settle(pilot)
        await pilot.press(*str(bad), "enter")
        await settle(pilot)
        assert not isinstance(app.screen, LinesModal)
        assert any("notat.wbp" in n for n in seen[1:])
