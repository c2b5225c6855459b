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
        from workbench.tui.coding import open_coding_screen

        open_coding_screen(self.app, transcript_id)

    def on_screen_resume(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        if table.columns:  # coverage and counts change while coding
            row = table.cursor_row
            self.refresh_data()
            if table.row_count:
                table.move_cursor(row=min(row, table.row_count - 1))
        if table.row_count:
            table.focus()  # arrow keys choose a transcript, Enter opens it

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
        Binding("ctrl+e", "export", t("tui.key.export"), id="app.export"),
        # themes and phases (issue 5): see workbench/tui/themes/
        Binding("ctrl+t", "theme_map", t("themes_ui.key.map"), id="app.theme_map"),
        Binding("ctrl+j", "journal", t("themes_ui.key.journal"), id="app.journal"),
        Binding("f6,ctrl+right", "phase_next", t("themes_ui.key.phase_next"), id="app.phase_next"),
        Binding("f5,ctrl+left", "phase_back", t("themes_ui.key.phase_back"), id="app.phase_back"),
        Binding("f7", "checklist", t("themes_ui.key.checklist"), id="app.checklist"),
    ]

    @staticmethod
    def _theme_commands():  # type: ignore[no-untyped-def]
        from .themes import ThemeCommands

        return ThemeCommands

    COMMANDS = App.COMMANDS | {_theme_commands}

    def __init__(self, wb: Workbench, *, review: bool = False) -> None:
        super().__init__()
        self.wb = wb
        from workbench.services.review_mode import enable_review_mode, is_review_mode

        if review:  # supervisor: comments only, enforced in the services
            enable_review_mode(wb)
        self.review = review or is_review_mode(wb)
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

    def action_export(self) -> None:
        """Word export (theme table, results chapter, codebook, audit) with a preview."""
        from .export_screen import ExportScreen

        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen())

    def action_tables(self) -> None:
        """Code frequencies, co-occurrence, matrices and word frequencies."""
        from .tables_screen import TablesScreen

        if not isinstance(self.screen, TablesScreen):
            self.push_screen(TablesScreen())

    def action_import_file(self, path: str | None = None) -> None:
        """Choose a transcript file, review its speakers, and import it."""
        from .importing import ChooseFileModal, ImportScreen

        if not self.wb.editable:
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

    # -- themes, phases, journal, review mode (issue 5) ---------------------------------

    def validate_sub_title(self, value: str) -> str:
        """In review mode every screen's subtitle says so («Veiledermodus»)."""
        if getattr(self, "review", False):
            mark = t("review_ui.indicator", actor=self.wb.store.actor)
            if mark not in value:
                value = f"{value} · {mark}" if value else mark
        return value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"phase_next", "phase_back"} and self.wb.readonly:
            return False
        if getattr(self, "review", False) and action in {"phase_next", "phase_back", "import_file"}:
            return False  # a supervisor comments; the researcher moves the analysis on
        return True

    def _after_phase_change(self) -> None:
        phase = self.wb.phases.current()
        self.sub_title = t("phase.label", n=phase, name=t(f"phase.{phase}"))
        refresh = getattr(self.screen, "refresh_data", None)
        if callable(refresh):
            refresh()

    def action_phase_next(self) -> None:
        """Move the project on to the next of Braun & Clarke's six phases."""
        try:
            phase = self.wb.phases.advance()
        except UserError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.notify(t("phase_ui.moved", phase=t("phase.label", n=phase, name=t(f"phase.{phase}"))))
        self._after_phase_change()

    def action_phase_back(self) -> None:
        """Go back to an earlier phase, with a short reason that is logged."""
        from .themes import GoBackModal

        current = self.wb.phases.current()
        if current <= 1:
            self.notify(t("phases.error.first"), severity="warning")
            return

        def done(result: tuple[int, str] | None) -> None:
            if result is None:
                return
            phase, reason = result
            try:
                self.wb.phases.back(reason, to=phase)
            except UserError as exc:
                self.notify(exc.message(), severity="error")
                return
            label = t("phase.label", n=phase, name=t(f"phase.{phase}"))
            self.notify(t("phase_ui.went_back", phase=label))
            self._after_phase_change()

        self.push_screen(GoBackModal(current), done)

    def action_checklist(self) -> None:
        """Braun & Clarke's checklist for the current phase, measured from the project."""
        from .themes import ChecklistModal

        if not isinstance(self.screen, ChecklistModal):
            self.push_screen(ChecklistModal())

    def action_journal(self) -> None:
        """The reflexive journal, one key away on every screen."""
        from .themes import JournalModal

        if not isinstance(self.screen, JournalModal):
            self.push_screen(JournalModal())

    def action_theme_map(self) -> None:
        """The theme map: main themes, sub-themes and codes."""
        from .themes import ThemeMapScreen

        if not isinstance(self.screen, ThemeMapScreen):
            self.push_screen(ThemeMapScreen())


def run_app(wb: Workbench, *, review: bool = False) -> None:
    WorkbenchApp(wb, review=review).run()
