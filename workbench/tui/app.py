"""The Textual application: the only package that imports textual.

Screens call services (``self.app.wb``); no screen holds a database session.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Static

from workbench.config import load_settings
from workbench.i18n import UserError, t
from workbench.services import Workbench


class HelpScreen(ModalScreen[None]):
    """Every key of the screen below it and of the app, with its binding id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", t("tui.key.close"), id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(t("tui.help.title"), classes="title")
            table: DataTable[str] = DataTable(id="help-table", cursor_type="row")
            table.add_columns(t("tui.help.key"), t("tui.help.action"), t("tui.help.id"))
            for row in self.rows:
                table.add_row(*row)
            yield table
            yield Static(t("tui.help.remap"), classes="hint")


class HomeScreen(Screen[None]):
    """The project at a glance: phase, transcripts with their coverage, counts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_transcript", t("coding_ui.key.open"), id="home.open"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home"):
            yield Static(id="phase", classes="phase")
            yield Static(id="readonly", classes="warning")
            yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
            yield Static(id="empty", classes="hint")
            yield Static(id="counts", classes="counts")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        table.add_columns(
            t("tui.home.col.name"), t("tui.home.col.group"), t("tui.home.col.speakers"),
            t("tui.home.col.turns"), t("tui.home.col.words"), t("tui.home.col.coded"),
        )
        self.refresh_data()

    # -- opening a transcript in the coding screen --------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "transcripts" and event.row_key.value is not None:
            event.stop()
            self.open_transcript(int(event.row_key.value))

    def action_open_transcript(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            if row_key.value is not None:
                self.open_transcript(int(row_key.value))

    def open_transcript(self, transcript_id: int) -> None:
        from workbench.tui.coding import CodingScreen

        self.app.push_screen(CodingScreen(transcript_id))

    def on_screen_resume(self) -> None:
        if self.query_one("#transcripts", DataTable).columns:
            self.refresh_data()  # coverage and counts change while coding

    def refresh_data(self) -> None:
        app = self.app
        assert isinstance(app, WorkbenchApp)
        info = app.wb.info()
        app.title = info.title
        app.sub_title = t("phase.label", n=info.phase, name=t(f"phase.{info.phase}"))
        self.query_one("#phase", Static).update(app.sub_title)
        readonly = self.query_one("#readonly", Static)
        readonly.update(t("tui.home.readonly") if app.wb.readonly else "")
        readonly.display = app.wb.readonly
        table = self.query_one("#transcripts", DataTable)
        table.clear()
        for tr in info.transcripts:
            table.add_row(
                tr.name, tr.group or "–", str(tr.speakers), str(tr.turns), str(tr.words),
                f"{tr.coded_share * 100:.0f} %", key=str(tr.id),
            )
        table.display = bool(info.transcripts)
        empty = self.query_one("#empty", Static)
        empty.update(t("tui.home.empty"))
        empty.display = not info.transcripts
        self.query_one("#counts", Static).update(
            t(
                "tui.home.counts", participants=info.participants, codes=info.codes,
                codings=info.codings, themes=info.themes, comments=info.open_comments,
            )
        )


class WorkbenchApp(App[None]):
    CSS_PATH = "workbench.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", t("tui.key.quit"), id="app.quit", priority=True),
        Binding("f1,question_mark", "help", t("tui.key.help"), id="app.help"),
        Binding("ctrl+z", "undo", t("tui.key.undo"), id="app.undo"),
        Binding("ctrl+y", "redo", t("tui.key.redo"), id="app.redo"),
        Binding("ctrl+o", "import_file", t("tui.key.import"), id="app.import"),
        Binding("f3", "search", t("tui.key.search"), id="app.search"),
        Binding("f4", "tables", t("tui.key.tables"), id="app.tables"),
    ]

    def __init__(self, wb: Workbench, *, review: bool = False) -> None:
        super().__init__()
        self.wb = wb
        self.review = review
        settings = load_settings()
        self._settings_problem = settings.problem
        if settings.keys:
            self.set_keymap(settings.keys)

    def on_mount(self) -> None:
        from workbench.nlp import get_pipeline

        get_pipeline().warm_up(background=True)  # lemma dictionary for search, ~1 s
        self.push_screen(HomeScreen())
        if self._settings_problem:
            self.notify(t("tui.config_problem", detail=self._settings_problem), severity="warning")

    # -- actions -----------------------------------------------------------------------

    def action_help(self) -> None:
        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for binding in [*self.screen.BINDINGS, *self.BINDINGS]:
            if not isinstance(binding, Binding) or binding.id in seen:
                continue
            seen.add(binding.id or binding.action)
            key = self._keymap.get(binding.id or "", binding.key) if binding.id else binding.key
            rows.append((key, binding.description, binding.id or ""))
        self.push_screen(HelpScreen(rows))

    def _run_undo(self, redo: bool) -> None:
        try:
            cmd = self.wb.redo() if redo else self.wb.undo()
        except UserError as exc:
            self.notify(exc.message(), severity="error")
            return
        if cmd is None:
            self.notify(t("cli.undo.nothing_redo" if redo else "cli.undo.nothing"))
        else:
            self.notify(t("cli.undo.redone" if redo else "cli.undo.undone", what=cmd.summary))
        refresh = getattr(self.screen, "refresh_data", None)
        if callable(refresh):
            refresh()

    def action_search(self) -> None:
        """Search all transcripts (lemma-aware) and code the hits."""
        from .search_screen import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def action_tables(self) -> None:
        """Code frequencies, co-occurrence, matrices and word frequencies."""
        from .tables_screen import TablesScreen

        if not isinstance(self.screen, TablesScreen):
            self.push_screen(TablesScreen())

    def action_import_file(self, path: str | None = None) -> None:
        """Choose a transcript file, review its speakers, and import it."""
        from .importing import ChooseFileModal, ImportScreen

        if self.wb.readonly:
            self.notify(t("project.error.readonly_action"), severity="warning")
            return

        def imported(_result: object) -> None:
            refresh = getattr(self.screen, "refresh_data", None)
            if callable(refresh):
                refresh()

        def chosen(chosen_path: Path | None) -> None:
            if chosen_path is not None:
                self.push_screen(ImportScreen(chosen_path), imported)

        if path:
            chosen(Path(path))
        else:
            self.push_screen(ChooseFileModal(), chosen)

    def action_undo(self) -> None:
        self._run_undo(redo=False)

    def action_redo(self) -> None:
        self._run_undo(redo=True)


def run_app(wb: Workbench, *, review: bool = False) -> None:
    WorkbenchApp(wb, review=review).run()
