"""Withdrawing a participant from the TUI: pick the label, then type it to confirm.

Reached from the command palette («Trekk tilbake en deltaker»). The withdrawal cannot be
undone (see :meth:`workbench.services.privacy.PrivacyService.withdraw`), so the label has
to be typed exactly; anything else deletes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.i18n import t
from workbench.tui.widgets.modals import ChoiceModal, PromptModal

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


def start_withdrawal(app: WorkbenchApp) -> None:
    """Ask which participant withdraws, then for the typed label, then withdraw."""
    labels = sorted(p.label for p in app.wb.transcripts.participants())
    if not labels:
        app.notify(t("privacy.tui.no_participants"), severity="warning")
        return

    def confirmed(label: str, typed: str | None) -> None:
        if typed is None:
            return
        if typed.strip() != label:
            app.notify(t("privacy.withdraw_mismatch", label=label), severity="warning")
            return
        ok, receipt = app.run_command(lambda: app.wb.privacy.withdraw(label))
        if ok and receipt is not None:
            app.notify(t("privacy.withdrawn", label=receipt.label,
                         when=receipt.when.strftime("%Y-%m-%d %H:%M UTC"),
                         turns=receipt.turns, codings=receipt.codings, notes=receipt.notes,
                         comments=receipt.comments, log_rows=receipt.log_rows,
                         transcripts=", ".join(receipt.transcripts) or "–"), timeout=15)

    def chosen(label: str | None) -> None:
        if label is None:
            return
        app.push_screen(
            PromptModal(t("privacy.withdraw_confirm", label=label),
                        hint=t("privacy.tui.confirm_hint")),
            lambda typed: confirmed(label, typed),
        )

    app.push_screen(
        ChoiceModal(t("privacy.tui.choose"), [(label, label) for label in labels]), chosen)


__all__ = ["start_withdrawal"]
