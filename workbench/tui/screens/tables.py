"""Analysis tables in the terminal, each exportable to CSV (by default to
``exports/<project>-<table>.csv`` beside the project file, like every other export)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from workbench.formats.atomic import write_atomic
from workbench.formats.csv import csv_file
from workbench.i18n import UserError, t
from workbench.services.exports import EXPORT_FOLDER
from workbench.services.tables import KINDS
from workbench.tui.messages import DataChanged, TableLoaded
from workbench.tui.widgets.modals import PromptModal

from .base import ProjectScreen

if TYPE_CHECKING:
    from workbench.services.tables import Table


class TablesScreen(ProjectScreen[None]):
    DEFAULT_CSS = """
    TablesScreen #tables-body { padding: 0 1; }
    TablesScreen #table-title { text-style: bold; height: auto; margin: 1 0 0 0; }
    TablesScreen #table { height: 1fr; }
    TablesScreen .hint { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("tui.key.close"), id="tables.close"),
        Binding("1", "show('frequencies')", t("tables_ui.kind.frequencies"), id="tables.frequencies"),
        Binding("2", "show('cooccurrence')", t("tables_ui.kind.cooccurrence"), id="tables.cooccurrence"),
        Binding("3", "show('code-transcript')", t("tables_ui.kind.code-transcript"), id="tables.code_transcript"),
        Binding("4", "show('code-group')", t("tables_ui.kind.code-group"), id="tables.code_group"),
        Binding("5", "show('words')", t("tables_ui.kind.words"), id="tables.words"),
        Binding("s", "toggle_same_turn", t("tables_ui.key.same_turn"), id="tables.same_turn"),
        Binding("e", "export_csv", t("tables_ui.key.export"), id="tables.export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = "frequencies"
        self.same_turn = False
        self.current: Table | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="tables-body"):
            yield Static(id="table-title")
            yield DataTable(id="table", zebra_stripes=True)
            yield Static(t("tables_ui.help"), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.action_show(self.kind)

    def reload(self, change: DataChanged | None) -> None:
        self.action_show(self.kind)

    def action_show(self, kind: str) -> None:
        if kind not in KINDS:
            return
        self.kind = kind
        title = t(f"tables_ui.kind.{kind}")
        if kind == "cooccurrence":
            title += " – " + t("tables_ui.same_turn" if self.same_turn else "tables_ui.overlap")
        self.query_one("#table-title", Static).update(title)
        self._load(kind, self.same_turn)

    def action_toggle_same_turn(self) -> None:
        self.same_turn = not self.same_turn
        if self.kind == "cooccurrence":
            self.action_show(self.kind)

    @work(thread=True, exclusive=True, group="tables")
    def _load(self, kind: str, same_turn: bool) -> None:
        self.post_message(TableLoaded(self.wb.tables.table(kind, same_turn=same_turn)))

    def on_table_loaded(self, message: TableLoaded) -> None:
        table = message.table
        if table.kind != self.kind:
            return  # another table was chosen meanwhile
        self.current = table
        widget = self.query_one("#table", DataTable)
        widget.clear(columns=True)
        widget.add_columns(*table.columns)
        for row in table.rows:
            widget.add_row(*(str(v) for v in row))
        if not table.rows:
            self.query_one("#table-title", Static).update(
                t(f"tables_ui.kind.{table.kind}") + " – " + t("tables_ui.empty")
            )

    def default_csv(self, kind: str) -> Path:
        """``exports/<project>-<kind>.csv`` in the folder the other exports go to."""
        exports = self.wb.exports
        return exports.project_folder() / EXPORT_FOLDER / f"{exports.project_stem()}-{kind}.csv"

    def action_export_csv(self) -> None:
        if self.current is None:
            return
        table = self.current
        default = self.default_csv(table.kind)

        def chosen(path: str | None) -> None:
            if not path or not path.strip():
                return
            target = Path(path.strip()).expanduser()
            try:
                if target == default:
                    target.parent.mkdir(exist_ok=True)
                write_atomic(target, csv_file(table.columns, table.rows, line_end="\n"))
            except UserError as exc:
                self.notify(exc.message(), severity="error")
                return
            except OSError as exc:
                self.notify(t("file.error.other", path=target.parent,
                              detail=exc.strerror or str(exc)), severity="error")
                return
            self.notify(t("tables.written", path=target.resolve(), rows=len(table.rows)),
                        timeout=10)

        self.app.push_screen(PromptModal(t("tables_ui.prompt.path"), str(default)), chosen)

    def action_close(self) -> None:
        self.dismiss(None)
