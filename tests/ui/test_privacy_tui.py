"""Withdrawal from the TUI: reached from the palette, confirmed by typing the label."""

from __future__ import annotations

from tests.conftest import sample_parsed
from tests.ui.helpers import recorded_notifications, settle
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.modals import ChoiceModal, PromptModal


async def test_withdraw_needs_the_typed_label(wb):
    wb.transcripts.add_parsed(sample_parsed(), name="fg1")
    app = WorkbenchApp(wb)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = recorded_notifications(app)
        await app.run_action("withdraw")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        app.screen.dismiss("Leder 1")
        await settle(pilot)
        assert isinstance(app.screen, PromptModal)
        await pilot.press(*"Leder", "enter")  # not the label: nothing happens
        await settle(pilot)
        assert "Leder 1" in {p.label for p in wb.transcripts.participants()}
        assert any("Du skrev ikke" in n for n in seen)
        await app.run_action("withdraw")
        await settle(pilot)
        app.screen.dismiss("Leder 1")
        await settle(pilot)
        await pilot.press(*"Leder 1", "enter")
        await settle(pilot)
        assert "Leder 1" not in {p.label for p in wb.transcripts.participants()}
        assert any("Leder 1 er trukket" in n for n in seen)
        assert "jeg er sykepleier" not in wb.transcripts.get(1).text.lower()
