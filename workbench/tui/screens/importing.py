"""Import a transcript in the terminal: choose a file, review the detected speakers, commit.

Reading and storing run in thread workers with a progress bar, so a 300-page transcript never
freezes the screen. Nothing is written before the researcher commits the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, DirectoryTree, Footer, Header, Input, ProgressBar, Static

from workbench.domain.model import Role
from workbench.formats.transcripts import SUPPORTED_SUFFIXES
from workbench.i18n import UserError, t
from workbench.services.importing import ImportPlan, ImportResult
from workbench.tui.messages import ImportFailed, ImportPlanned, ImportProgress, ImportStored
from workbench.tui.widgets.modals import ChoiceModal, Modal, PromptModal, cancel_binding

from .base import app_of

ROLES = (Role.INFORMANT, Role.MODERATOR, Role.CO_MODERATOR)


class TranscriptTree(DirectoryTree):
    """A directory tree that shows folders and files the importers can read."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p for p in paths
            if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in SUPPORTED_SUFFIXES)
        ]


class ChooseFileModal(Modal[Path | None]):
    """Type a path or browse to a transcript file."""

    DEFAULT_CSS = """
    ChooseFileModal { align: center middle; }
    ChooseFileModal > Vertical {
        width: 100; max-width: 95%; height: 80%; border: thick $accent;
        background: $panel; padding: 1 2;
    }
    ChooseFileModal TranscriptTree { height: 1fr; }
    ChooseFileModal .hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        cancel_binding(),
    ]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("tui.import.choose_title"))
            yield Input(placeholder=t("tui.import.path_placeholder"), id="path")
            yield TranscriptTree(self.start)
            yield Static(
                t("tui.import.formats", formats=", ".join(SUPPORTED_SUFFIXES)), classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        if path.is_dir():
            self.query_one(TranscriptTree).path = path
            self.query_one(TranscriptTree).focus()
        elif event.value.strip():
            self.dismiss(path)

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)


class ImportScreen(Screen[ImportResult | None]):
    """Review an import plan: speakers, roles, pseudonyms, groups; then commit or cancel."""

    DEFAULT_CSS = """
    ImportScreen #import-body { padding: 1 2; }
    ImportScreen #fields { height: auto; }
    ImportScreen #fields Input { width: 1fr; }
    ImportScreen #fields Static { width: auto; padding: 1 1 0 0; }
    ImportScreen #speakers { height: 1fr; margin-top: 1; }
    ImportScreen .hint { color: $text-muted; }
    ImportScreen .warning { color: $warning; }
    ImportScreen ProgressBar { margin: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "commit", t("tui.import.key.commit"), id="import.commit"),
        Binding("escape", "cancel", t("tui.key.cancel"), id="import.cancel"),
        Binding("r", "rename", t("tui.import.key.rename"), id="import.rename"),
        Binding("p", "pseudonym", t("tui.import.key.pseudonym"), id="import.pseudonym"),
        Binding("m", "merge", t("tui.import.key.merge"), id="import.merge"),
        Binding("o", "role", t("tui.import.key.role"), id="import.role"),
        Binding("y", "profession", t("tui.import.key.profession"), id="import.profession"),
        Binding("g", "group", t("tui.import.key.group"), id="import.group"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.plan: ImportPlan | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-body"):
            yield Static(t("tui.import.reading", file=self.path.name), id="status")
            yield ProgressBar(id="progress", show_eta=False)
            with Horizontal(id="fields"):
                yield Static(t("tui.import.name"))
                yield Input(id="name")
                yield Static(t("tui.import.group"))
                yield Input(id="group", placeholder=t("tui.import.group_placeholder"))
            yield DataTable(id="speakers", cursor_type="row", zebra_stripes=True)
            yield Static(id="warnings", classes="warning")
            yield Static(t("tui.import.help"), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#speakers", DataTable)
        table.add_columns(
            t("tui.import.col.file_label"), t("tui.import.col.label"), t("tui.import.col.role"),
            t("tui.import.col.profession"), t("tui.import.col.group"), t("tui.import.col.turns"),
            t("tui.import.col.words"),
        )
        self.query_one("#fields").display = False
        table.display = False
        self.read_file()

    # -- workers -----------------------------------------------------------------------

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.post_message(ImportProgress(stage, done, total))

    @work(thread=True, exclusive=True, group="import")
    def read_file(self) -> None:
        try:
            plan = app_of(self).wb.imports.plan(self.path, progress=self._progress)
        except UserError as exc:
            self.post_message(ImportFailed(exc.message(), keep_plan=False))
            return
        self.post_message(ImportPlanned(self.path, plan))

    @work(thread=True, exclusive=True, group="import")
    def store_plan(self, plan: ImportPlan) -> None:
        try:
            result = app_of(self).wb.imports.commit(plan, progress=self._progress)
        except UserError as exc:
            self.post_message(ImportFailed(exc.message(), keep_plan=True))
            return
        self.post_message(ImportStored(result))

    # -- results from workers ----------------------------------------------------------

    def on_import_progress(self, message: ImportProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_import_failed(self, message: ImportFailed) -> None:
        self.query_one("#status", Static).update(t("tui.import.failed", message=message.error))
        self.query_one(ProgressBar).display = False
        self.notify(message.error, severity="error", timeout=8)
        if not message.keep_plan:
            self.plan = None

    def on_import_planned(self, message: ImportPlanned) -> None:
        plan = message.plan
        self.plan = plan
        self.query_one(ProgressBar).display = False
        self.query_one("#status", Static).update(
            t("tui.import.found", file=self.path.name, speakers=len(plan.speakers),
              turns=len(plan.parsed.turns), words=plan.words)
        )
        self.query_one("#fields").display = True
        self.query_one("#name", Input).value = plan.name
        self.query_one("#group", Input).value = plan.group or ""
        self.query_one("#warnings", Static).update("\n".join(plan.warnings))
        table = self.query_one("#speakers", DataTable)
        table.display = True
        self._fill_table()
        table.focus()

    def on_import_stored(self, message: ImportStored) -> None:
        result: ImportResult = message.result
        app = app_of(self)
        self.notify(
            t("tui.import.done", name=result.name, turns=result.turns, words=result.words)
        )
        self.dismiss(result)
        app.announce("command", actor=app.wb.store.actor)

    # -- the speaker table -------------------------------------------------------------

    def _fill_table(self) -> None:
        assert self.plan is not None
        table = self.query_one("#speakers", DataTable)
        row = table.cursor_row
        table.clear()
        for label, sp in self.plan.speakers.items():
            shown = sp.new_label
            if sp.merge_into:
                shown = t("tui.import.merged_into", label=self.plan.speakers[sp.merge_into].new_label)
            elif sp.existing:
                shown += " " + t("tui.import.existing")
            table.add_row(
                label, shown, t(f"role.{sp.role}"), sp.profession or "–", sp.group or "–",
                str(sp.turns), str(sp.words), key=label,
            )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def _current(self) -> str | None:
        if self.plan is None or not self.plan.speakers:
            return None
        table = self.query_one("#speakers", DataTable)
        return list(self.plan.speakers)[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"rename", "pseudonym", "merge", "role", "profession", "group", "commit"}:
            return self.plan is not None
        return True

    def _edit(self, title: str, value: str, apply, hint: str = "") -> None:  # type: ignore[no-untyped-def]
        def done(result: str | None) -> None:
            if result is None:
                return
            try:
                apply(result)
            except UserError as exc:
                self.notify(exc.message(), severity="error")
            self._fill_table()

        self.app.push_screen(PromptModal(title, value, hint=hint), done)

    def action_rename(self) -> None:
        label = self._current()
        if label is None or self.plan is None:
            return
        sp = self.plan.speakers[label]

        def apply(value: str) -> None:
            if value.strip():
                sp.new_label = value.strip()

        self._edit(t("tui.import.prompt.rename", label=label), sp.new_label, apply)

    def action_pseudonym(self) -> None:
        label = self._current()
        if label is None or self.plan is None:
            return
        plan = self.plan
        self._edit(
            t("tui.import.prompt.pseudonym", label=label), "",
            lambda value: plan.pseudonymise(label, value),
            hint=t("tui.import.prompt.pseudonym_hint"),
        )

    def action_merge(self) -> None:
        label = self._current()
        if label is None or self.plan is None:
            return
        plan = self.plan
        options = [(other, f"{other} → {sp.new_label}") for other, sp in plan.speakers.items()
                   if other != label and not sp.merge_into]

        def done(target: str | None) -> None:
            if target is None:
                return
            try:
                plan.merge(label, target)
            except UserError as exc:
                self.notify(exc.message(), severity="error")
            self._fill_table()

        self.app.push_screen(ChoiceModal(t("tui.import.prompt.merge", label=label), options), done)

    def action_role(self) -> None:
        label = self._current()
        if label is None or self.plan is None:
            return
        sp = self.plan.speakers[label]
        sp.role = ROLES[(ROLES.index(Role(sp.role)) + 1) % len(ROLES)]
        self._fill_table()

    def action_profession(self) -> None:
        label = self._current()
        if label is None or self.plan is None:
            return
        sp = self.plan.speakers[label]
        self._edit(t("tui.import.prompt.profession", label=label), sp.profession,
                   lambda value: setattr(sp, "profession", value.strip()))

    def action_group(self) -> None:
        label = self._current()
        if label is None or self.plan is None:
            return
        sp = self.plan.speakers[label]
        self._edit(t("tui.import.prompt.group", label=label), sp.group,
                   lambda value: setattr(sp, "group", value.strip()))

    def action_commit(self) -> None:
        if self.plan is None:
            return
        self.plan.name = self.query_one("#name", Input).value
        group = self.query_one("#group", Input).value.strip()
        self.plan.group = group or None
        for sp in self.plan.speakers.values():
            if not sp.group and group and sp.role == Role.INFORMANT:
                sp.group = group
        self.query_one("#status", Static).update(t("tui.import.storing", file=self.path.name))
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.store_plan(self.plan)

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "import")
        self.dismiss(None)
