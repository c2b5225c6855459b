"""The help screen (F1): every key of the screen below it and of the app, with its id."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from workbench.i18n import t

from .modals import Modal, close_binding


class HelpScreen(Modal[None]):
    """Rows of (key, what it does, binding id)."""

    BINDINGS: ClassVar[list[BindingType]] = [close_binding("escape,f1,q")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(t("tui.help.title"), classes="title", markup=False)
            table: DataTable[str] = DataTable(id="help-table", cursor_type="row")
            table.add_columns(t("tui.help.key"), t("tui.help.action"), t("tui.help.id"))
            for row in self.rows:
                table.add_row(*row)
            yield table
            # markup=False: «[keys]» is the config file's section, not Rich markup
            yield Static(t("tui.help.remap"), classes="hint", markup=False)
