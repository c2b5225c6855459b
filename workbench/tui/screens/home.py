"""The home screen: the project at a glance (phase, transcripts with their coverage,
counts); Enter opens a transcript in the coding screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from workbench.domain.model import TranscriptSummary
from workbench.i18n import t
from workbench.tui.compat import StableFooter
from workbench.tui.messages import DataChanged

from .base import ProjectScreen


class HomeScreen(ProjectScreen[None]):
    """The project at a glance: phase, transcripts with their coverage, counts."""

    _guids: tuple[str, ...] = ()
    """The GUIDs of the transcripts in the table, row by row (the cursor follows its
    transcript when the list is read again)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_transcript", t("coding_ui.key.open"), id="home.open"),
        Binding("w", "participant", t("coding_ui.key.participant"), id="home.participant"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home"):
            yield Static(id="phase", classes="phase")
            yield Static(id="readonly", classes="warning")
            yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
            yield Static(id="empty", classes="hint")
            yield Static(id="counts", classes="counts")
        yield StableFooter()  # not rebuilt each time a transcript opens over it

    _transcripts: Sequence[TranscriptSummary] = ()

    def on_mount(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        table.add_columns(
            t("tui.home.col.name"), t("tui.home.col.group"), t("tui.home.col.speakers"),
            t("tui.home.col.turns"), t("tui.home.col.words"), t("tui.home.col.coded"),
        )
        self.show_project()
        self.call_after_refresh(self._load_coding_screen_code)

    def _load_coding_screen_code(self) -> None:
        """Import the coding screen's modules once the home screen is painted, while the
        user reads the list: Enter on a transcript then builds the screen at once instead
        of first reading (and compiling) its 3 000 lines of code."""
        from . import coding  # noqa: F401

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

    def action_participant(self) -> None:
        """One informant's turns and codings across all transcripts."""
        from .participants import choose_participant

        choose_participant(self)

    def open_transcript(self, transcript_id: int) -> None:
        from .coding import open_coding_screen

        open_coding_screen(self.workbench_app, transcript_id)

    def on_screen_resume(self) -> None:
        table = self.query_one("#transcripts", DataTable)
        if table.row_count:
            table.focus()  # arrow keys choose a transcript, Enter opens it

    # -- reading the project -----------------------------------------------------------

    def reload(self, change: DataChanged | None) -> None:
        self.show_project()

    def _fill_table(self) -> None:
        """The transcripts, names shortened (…) so every column fits the window."""
        table = self.query_one("#transcripts", DataTable)
        row = table.cursor_row
        shown = self._guids
        keep = shown[row] if 0 <= row < len(shown) else None  # the same transcript, by GUID
        table.clear()
        self._guids = tuple(tr.guid for tr in self._transcripts)
        if keep in self._guids:
            row = self._guids.index(keep)
        cells = [
            [tr.name, tr.group or "–", str(tr.speakers), str(tr.turns), str(tr.words),
             f"{tr.coded_share * 100:.0f} %"]
            for tr in self._transcripts
        ]
        labels = [str(c.label) for c in table.columns.values()]
        widths = [max([len(labels[i])] + [len(r[i]) for r in cells]) for i in range(1, 6)]
        # the table's width less the other columns (each with a cell's padding both sides)
        room = self.size.width - 4 - 2 - sum(w + 2 * table.cell_padding for w in widths)
        room -= 2 * table.cell_padding
        for tr, values in zip(self._transcripts, cells, strict=True):
            if room >= 8 and len(values[0]) > room:
                values[0] = values[0][: room - 1] + "…"
            table.add_row(*values, key=str(tr.id))
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def on_resize(self) -> None:
        if self._transcripts:
            self._fill_table()

    def show_project(self) -> None:
        """Read the project summary (a few small queries) and show it, keeping the row."""
        app = self.workbench_app
        info = app.wb.info()
        app.title = info.title
        app.sub_title = t("phase.label", n=info.phase, name=t(f"phase.{info.phase}"))
        self.query_one("#phase", Static).update(app.sub_title)
        readonly = self.query_one("#readonly", Static)
        readonly.update(t("tui.home.readonly") if app.wb.readonly else "")
        readonly.display = app.wb.readonly
        self._transcripts = info.transcripts
        self._fill_table()
        self.query_one("#transcripts", DataTable).display = bool(info.transcripts)
        empty = self.query_one("#empty", Static)
        empty.update(t("tui.home.empty"))
        empty.display = not info.transcripts
        self.query_one("#counts", Static).update(
            t(
                "tui.home.counts", participants=info.participants, codes=info.codes,
                codings=info.codings, themes=info.themes, comments=info.open_comments,
            )
        )
