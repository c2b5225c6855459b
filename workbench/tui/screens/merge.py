"""Merging a colleague's work from the TUI: type the path of their file, read the report.

Reached from the command palette («Slå inn en kollegas koding»). The merge itself
(:meth:`workbench.services.merge.MergeService.merge`) reads the file and compares the texts
in a thread worker, so a large project never freezes the screen; when it is done, every
screen hears :class:`~workbench.tui.messages.DataChanged` and the report (the same lines
``workbench merge`` prints) opens in a dialog. One undo takes the merge back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.i18n import UserError, t
from workbench.services.merge import MergeResult, report_lines
from workbench.tui.widgets.modals import LinesModal, PromptModal

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

GROUP = "merge"


def start_merge(app: WorkbenchApp) -> None:
    """Ask for the colleague's file, then merge it in a worker and show the report."""
    if not app.wb.editable or not app.wb.store.may_run("merge.colleague"):
        try:
            app.wb.store.check_may_run("merge.colleague")
            message = t("project.error.readonly_action")
        except UserError as exc:
            message = exc.message()
        app.notify(message, severity="warning")
        return

    def finished(result: MergeResult | None, error: UserError | None) -> None:
        if error is not None:
            app.refused(error)
            return
        assert result is not None
        if result.codings_added:
            app.announce("command", "merge.colleague", app.wb.store.actor)
        lines = report_lines(result)
        app.notify(lines[0], timeout=10)
        app.push_screen(LinesModal(t("merge.tui.title", file=result.path.name), lines))

    def merge(path: Path) -> None:
        try:
            result = app.wb.merge.merge(path)
        except UserError as exc:
            app.call_from_thread(finished, None, exc)
            return
        app.call_from_thread(finished, result, None)

    def chosen(value: str | None) -> None:
        if not value or not value.strip():
            return
        path = Path(value.strip()).expanduser()
        app.notify(t("merge.tui.working", file=path.name))
        app.run_worker(lambda: merge(path), thread=True, exclusive=True, group=GROUP,
                       name="merge")

    app.push_screen(PromptModal(t("merge.tui.prompt"), hint=t("merge.tui.hint"),
                                placeholder=t("merge.tui.placeholder")), chosen)


__all__ = ["start_merge"]
