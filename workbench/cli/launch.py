"""Starting the terminal UI (``workbench open`` and ``workbench demo``).

This is the one place the CLI reaches into :mod:`workbench.tui`, and it does so only when
a command opens the UI, so the other commands never load Textual. The import-linter
contract "Only the TUI imports textual" names exactly this import in its
``ignore_imports``.
"""

from __future__ import annotations

from pathlib import Path


def open_tui(
    project: str | Path, *, actor: str | None = None, readonly: bool = False,
    review: bool = False,
) -> None:
    """Open ``project`` and run the terminal UI on it until the user quits.

    The cyclic garbage collector is off until the first screen is drawn (the app turns it
    back on then, see ``WorkbenchApp``): the imports and the first screen make only
    long-lived objects, and its collections would cost some 50 ms of the start."""
    import gc

    gc.disable()
    try:
        from workbench.services import Workbench

        wb = Workbench.open(project, actor=actor, readonly=readonly)
        try:
            from workbench.tui.app import run_app

            run_app(wb, review=review)
        finally:
            wb.close()
    finally:
        gc.enable()


__all__ = ["open_tui"]
