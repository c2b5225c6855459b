"""Export for the thesis in the terminal: pick what to export, see it, write it.

The left column holds the choices (kind, document language, caption, extra table columns,
attribution pattern, block-quote limit, output file); the right column shows a text preview
of what the document will hold, and the warnings (an attribution that fits one informant,
themes without definition …). The preview and the export run in thread workers, so a large
project never freezes the screen. Nothing in the project changes.

Construct with ``ExportScreen()`` (or ``ExportScreen(kind="report")``) and push it; it uses
``self.app.wb``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from workbench.formats.word.kinds import (
    DEFAULT_BLOCK_WORDS,
    EXCHANGE_KINDS,
    KINDS,
    TABLE_COLUMNS,
    default_attribution,
)
from workbench.i18n import LANGUAGES, UserError, get_language, t
from workbench.services.exports import ExportOptions, ExportService
from workbench.tui.messages import (
    ExportFailed,
    ExportPreviewFailed,
    ExportPreviewReady,
    ExportWritten,
)

from .base import app_of

if TYPE_CHECKING:
    from workbench.services.exports import ExportPreview, ExportResult

TABLE_KINDS = ("theme-table", "report")
DEBOUNCE = 0.3


class ExportScreen(Screen[None]):
    """Choose an export, preview it, and write it (ctrl+s)."""

    DEFAULT_CSS = """
    ExportScreen #export-body { height: 1fr; }
    ExportScreen #export-form {
        width: 40%; min-width: 36; max-width: 56; padding: 0 1;
        border-right: solid $primary 30%;
    }
    ExportScreen #export-form Label { margin-top: 1; color: $text-muted; }
    ExportScreen #export-form Checkbox { margin-top: 1; }
    /* an unticked box is empty: Textual draws a dim X in it, which reads as ticked */
    ExportScreen Checkbox > .toggle--button { color: $panel; }
    ExportScreen Checkbox.-on > .toggle--button { color: $text-success; }
    ExportScreen SelectionList > .selection-list--button,
    ExportScreen SelectionList > .selection-list--button-highlighted { color: $panel; }
    ExportScreen #columns { height: auto; max-height: 8; }
    ExportScreen #export-right { padding: 0 1; }
    ExportScreen #preview-title { text-style: bold; margin-top: 1; }
    ExportScreen #preview { height: 1fr; }
    ExportScreen #warnings { height: auto; max-height: 10; color: $text-muted; margin-top: 1; }
    ExportScreen #warnings.has-warnings { color: $warning; }
    ExportScreen #status { height: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", t("export.tui.key_export"), id="export.run"),
        Binding("ctrl+r", "refresh_preview", t("export.tui.key_preview"), id="export.preview"),
        Binding("escape", "close", t("export.tui.key_close"), id="export.close"),
    ]

    def __init__(self, kind: str = "theme-table", *, lang: str = "nb") -> None:
        super().__init__()
        self.initial_kind = kind if kind in KINDS else "theme-table"
        self.initial_lang = lang if lang in LANGUAGES else "nb"
        self._generation = 0
        self._timer: Timer | None = None
        self.last_preview: ExportPreview | None = None
        self.last_result: ExportResult | None = None

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="export-body"):
            with VerticalScroll(id="export-form"):
                yield Label(t("export.tui.kind"))
                yield Select(
                    [(t(f"export.tui.kinds.{k}"), k) for k in KINDS], value=self.initial_kind,
                    allow_blank=False, id="kind",
                )
                yield Label(t("export.tui.path"))
                yield Input(id="path")
                yield Label(t("export.tui.lang"), classes="word")
                yield Select(
                    [(t(f"export.tui.langs.{code}"), code) for code in LANGUAGES],
                    value=self.initial_lang, allow_blank=False, id="lang", classes="word",
                )
                yield Label(t("export.tui.caption"), classes="table")
                yield Input(id="caption", classes="table")
                yield Label(t("export.tui.columns"), classes="table")
                yield SelectionList[str](
                    *[(t(f"export.table.col.{c}"), c) for c in TABLE_COLUMNS],
                    id="columns", classes="table",
                )
                yield Checkbox(t("export.tui.include_table"), True, id="include-table",
                               classes="report")
                yield Label(t("export.tui.attribution"), classes="report")
                # The placeholders in the interface's language: «({yrke}, {gruppe})».
                yield Input(default_attribution(get_language()), id="attribution",
                            classes="report")
                yield Label(t("export.tui.block_words"), classes="report")
                yield Input(str(DEFAULT_BLOCK_WORDS), type="integer", id="block-words",
                            classes="report")
                yield Checkbox(t("export.tui.block_quote_marks"), True, id="block-marks",
                               classes="report")
            with Vertical(id="export-right"):
                yield Static(t("export.tui.preview"), id="preview-title")
                yield TextArea(read_only=True, id="preview", soft_wrap=True, show_cursor=False)
                yield Static(id="warnings", markup=False)
                yield Static(id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("export.tui.title")
        self._update_fields()
        self.query_one("#kind", Select).focus()
        self.action_refresh_preview()

    # -- reading the form --------------------------------------------------------------

    def _service(self) -> ExportService:
        return app_of(self).wb.exports

    @property
    def kind(self) -> str:
        value = self.query_one("#kind", Select).value
        return value if isinstance(value, str) else self.initial_kind

    def options(self) -> ExportOptions:
        """The choices on the form (raises :class:`UserError` for a bad one)."""
        lang = self.query_one("#lang", Select).value
        caption = self.query_one("#caption", Input).value
        words = self.query_one("#block-words", Input).value.strip()
        try:
            block_words = int(words) if words else DEFAULT_BLOCK_WORDS
        except ValueError:
            raise UserError("export.error.block_words", n=words) from None
        return ExportOptions(
            lang=lang if isinstance(lang, str) else "nb",
            caption=caption if caption.strip() else None,
            columns=tuple(self.query_one("#columns", SelectionList).selected),
            attribution=(self.query_one("#attribution", Input).value.strip()
                         or default_attribution(get_language())),
            block_words=block_words,
            include_table=self.query_one("#include-table", Checkbox).value,
            block_quote_marks=self.query_one("#block-marks", Checkbox).value,
        ).checked()

    def _path(self) -> Path | None:
        value = self.query_one("#path", Input).value.strip()
        return Path(value).expanduser() if value else None

    def _update_fields(self) -> None:
        kind = self.kind
        for widget in self.query(".word"):
            widget.display = kind not in EXCHANGE_KINDS
        for widget in self.query(".table"):
            widget.display = kind in TABLE_KINDS
        for widget in self.query(".report"):
            widget.display = kind == "report"
        try:
            default = str(self._service().default_path(kind))
        except UserError:
            default = ""
        self.query_one("#path", Input).placeholder = default
        caption = self.query_one("#caption", Input)
        lang = self.query_one("#lang", Select).value
        caption.placeholder = t("export.table.caption", lang=lang if isinstance(lang, str) else None)

    # -- reacting to changes ----------------------------------------------------------

    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.action_refresh_preview)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._update_fields()
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id != "path":
            self._changed()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self._changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._changed()

    # -- actions ------------------------------------------------------------------------

    def action_refresh_preview(self) -> None:
        self._timer = None
        self._generation += 1
        try:
            options = self.options()
        except UserError as exc:
            self._show_warnings([exc.message()])
            return
        self.query_one("#status", Static).update(t("export.tui.previewing"))
        self.build_preview(self.kind, options, self._generation)

    def action_export(self) -> None:
        try:
            options = self.options()
        except UserError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.query_one("#status", Static).update(t("export.tui.working"))
        self.write_export(self.kind, self._path(), options)

    def action_close(self) -> None:
        self.workers.cancel_group(self, "export-preview")
        self.dismiss(None)

    # -- workers ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="export-preview")
    def build_preview(self, kind: str, options: ExportOptions, generation: int) -> None:
        try:
            preview = self._service().preview(kind, options)
        except UserError as exc:
            self.post_message(ExportPreviewFailed(exc.message(), generation))
            return
        self.post_message(ExportPreviewReady(preview, generation))

    @work(thread=True, exclusive=True, group="export")
    def write_export(self, kind: str, path: Path | None, options: ExportOptions) -> None:
        try:
            result = self._service().export(kind, path, options)
        except UserError as exc:
            self.post_message(ExportFailed(exc.message()))
            return
        self.post_message(ExportWritten(result))

    # -- results from workers -----------------------------------------------------------

    def on_export_preview_ready(self, message: ExportPreviewReady) -> None:
        if message.generation != self._generation or not self.is_attached:
            return  # a newer preview is on its way, or the screen is gone
        preview: ExportPreview = message.preview
        self.last_preview = preview
        self.query_one("#preview", TextArea).load_text("\n".join(preview.lines))
        self._show_warnings(list(preview.warnings))
        self.query_one("#status", Static).update("")

    def on_export_preview_failed(self, message: ExportPreviewFailed) -> None:
        if message.generation != self._generation or not self.is_attached:
            return
        self.last_preview = None
        self.query_one("#preview", TextArea).load_text("")
        self._show_warnings([message.error])
        self.query_one("#status", Static).update("")

    def _show_warnings(self, warnings: list[str]) -> None:
        text = "\n".join(["⚠ " + w for w in warnings]) if warnings else t("export.tui.no_warnings")
        panel = self.query_one("#warnings", Static)
        panel.update(text)
        panel.set_class(bool(warnings), "has-warnings")

    def on_export_written(self, message: ExportWritten) -> None:
        result: ExportResult = message.result
        self.last_result = result
        if result.warnings:
            self.notify(t("export.tui.done_warnings", path=result.path, n=len(result.warnings)),
                        severity="warning", timeout=10)
            for warning in result.warnings:
                self.notify(warning, severity="warning", timeout=15)
        else:
            self.notify(t("export.tui.done", path=result.path))
        if self.is_attached:
            self.query_one("#status", Static).update(t("export.tui.done", path=result.path))

    def on_export_failed(self, message: ExportFailed) -> None:
        text = t("export.tui.failed", message=message.error)
        self.notify(text, severity="error", timeout=10)
        if self.is_attached:
            self.query_one("#status", Static).update(text)
