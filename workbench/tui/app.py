"""The Textual application: the only package that imports textual.

Screens call services (``self.app.wb``); no screen holds a database session. Every change
made from a screen goes through :meth:`WorkbenchApp.run_command`, and the app tells the
screens with one message (:class:`workbench.tui.messages.DataChanged`) after every command,
undo and redo.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual import work
from textual.app import App
from textual.worker import get_current_worker
from textual.binding import Binding, BindingType
from textual.screen import Screen

from workbench.config import load_settings
from workbench.i18n import UserError, t
from workbench.services import Workbench

from .compat import translate_select_menu
from .messages import DataChanged, ExternalChanges, PipelineReady
from .widgets.help import HelpScreen
from .widgets.modals import upgrade_keymap
from .widgets.palette import TranslatedSystemCommands, WorkbenchCommands, palette_binding

R = TypeVar("R")

FIRST_FRAME_ENV = "WORKBENCH_FIRST_FRAME_FILE"
"""Benchmarks: a file the app writes the time into once its first screen is drawn, then quits."""

WATCH_GROUP = "project-watch"
"""The worker group of the project watcher (it runs as long as the app)."""
WATCH_WAIT = 0.5
"""Seconds the watcher waits per round (how soon it notices that the app is closing)."""
TOAST_LINES = 3
"""At most this many changes are named in one toast; the rest are counted."""


def freeze_long_lived_objects(*, collect: bool = True) -> None:
    """Take every object alive now out of the cyclic garbage collector's walks.

    The program holds some 130 000 long-lived objects (modules, the text pipeline, the
    app); a full collection walks them all, 70–150 ms on the UI thread at a moment nobody
    chooses. Frozen objects are never walked again, nor freed if they end up in a cycle:
    call this only when what is alive lives as long as the process (``run_app`` does).
    """
    if collect:
        gc.collect()
    gc.freeze()


class WorkbenchApp(TranslatedSystemCommands, App[None]):
    CSS_PATH = "workbench.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {WorkbenchCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", t("tui.key.quit"), id="app.quit", priority=True),
        # F1 also works in dialogs (a priority binding passes the modal), "?" only where it
        # is not typed into a field.
        Binding("f1", "help", t("tui.key.help"), id="app.help", priority=True),
        Binding("question_mark", "help", t("tui.key.help"), id="app.help"),
        Binding("ctrl+z", "undo", t("tui.key.undo"), id="app.undo"),
        Binding("ctrl+y", "redo", t("tui.key.redo"), id="app.redo"),
        Binding("ctrl+o", "import_file", t("tui.key.import"), id="app.import"),
        Binding("f3", "search", t("tui.key.search"), id="app.search"),
        Binding("f4", "tables", t("tui.key.tables"), id="app.tables"),
        Binding("ctrl+e", "export", t("tui.key.export"), id="app.export"),
        Binding("ctrl+t", "theme_map", t("themes_ui.key.map"), id="app.theme_map"),
        Binding("ctrl+j", "journal", t("themes_ui.key.journal"), id="app.journal"),
        Binding("f6,ctrl+right", "phase_next", t("themes_ui.key.phase_next"), id="app.phase_next"),
        Binding("f5,ctrl+left", "phase_back", t("themes_ui.key.phase_back"), id="app.phase_back"),
        Binding("f7", "checklist", t("themes_ui.key.checklist"), id="app.checklist"),
        palette_binding(),
        Binding("f8", "members", t("team_tui.key.members"), id="app.members"),
        Binding("f9", "agreement", t("agreement.tui.key.screen"), id="app.agreement"),
    ]

    review: bool = False
    """Supervisor review mode: comments only (enforced in the services)."""

    def __init__(self, wb: Workbench, *, review: bool = False, freeze_gc: bool = False) -> None:
        """``freeze_gc``: the app is the program (see :func:`freeze_long_lived_objects`)."""
        super().__init__()
        translate_select_menu(t("tui.key.close_menu"))
        self.wb = wb
        self.freeze_gc = freeze_gc
        self._watch_stop = threading.Event()
        self._watch_done = threading.Event()
        self._watch_done.set()  # no watcher running yet
        self._not_member = False
        self._watch_clock: int | None = None
        from workbench.services.review_mode import enable_review_mode, is_review_mode

        if review:  # supervisor: comments only, enforced in the services
            enable_review_mode(wb)
        self.review = review or is_review_mode(wb)
        settings = load_settings()
        self._settings_problem = settings.problem
        self.keymap: dict[str, str] = upgrade_keymap(dict(settings.keys or {}))
        """Binding id -> keys, from the config file (old binding ids renamed)."""
        if self.keymap:
            self.set_keymap(self.keymap)

    def on_mount(self) -> None:
        from .screens.home import HomeScreen

        # the clock before the home screen reads the project: the watcher, started after
        # the first frame, reports everything committed from here on
        self._watch_clock = self._change_clock()
        self.push_screen(HomeScreen())
        # runs once the home screen has been painted: the first frame comes first
        self.call_after_refresh(self._first_frame_drawn)
        if self._settings_problem:
            self.notify(t("tui.config_problem", detail=self._settings_problem), severity="warning")

    def _first_frame_drawn(self) -> None:
        """The first screen is on the terminal: freeze what lives as long as the program
        (``freeze_gc``), start watching the project and load the NLP pipeline in threads.

        With ``WORKBENCH_FIRST_FRAME_FILE`` set (the benchmarks' fresh-open figure), the
        wall-clock time is written to that file and the app quits."""
        marker = os.environ.get(FIRST_FRAME_ENV)
        if marker:
            Path(marker).write_text(repr(time.time()), encoding="utf-8")
            self.exit()
            return
        if self.freeze_gc:  # after the first frame: the full collection takes 30 ms or more
            freeze_long_lived_objects()
            gc.enable()  # ``workbench open`` turns it off until the first frame
        if self._watch_clock is not None:
            self.watch_project(self._watch_clock)
        self.warm_up()

    @work(thread=True, exclusive=True, group="nlp-warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Load the lemma dictionary for search now (about 1 s), and what the first search
        reads from the project (texts, word layouts), not at the first search."""
        from workbench.nlp import get_pipeline

        get_pipeline().warm_up()
        self.post_message(PipelineReady())
        try:
            self.wb.search.warm_up()
        except Exception:  # noqa: BLE001 - only a head start: the first search reads it again
            pass

    # -- other processes' changes -------------------------------------------------------

    def _change_clock(self) -> int | None:
        """The project's change clock, or None where live refresh does not work."""
        try:
            return self.wb.change_clock()
        except (UserError, ValueError):
            return None

    @work(thread=True, exclusive=True, group=WATCH_GROUP, exit_on_error=False)
    def watch_project(self, clock: int) -> None:
        """Notice commits by other processes (another member, the CLI) after ``clock``
        for as long as the app runs, and post what they did (:class:`ExternalChanges`)."""
        worker = get_current_worker()

        def running() -> bool:
            return not worker.is_cancelled and not self._watch_stop.is_set()

        self._watch_done.clear()
        try:
            try:
                watcher = self.wb.watcher()
            except (UserError, ValueError):
                return  # no live refresh for this project; everything else works
            with watcher:
                while running():
                    if not watcher.wait(WATCH_WAIT) or not running():
                        continue
                    try:
                        clock, changes = self.wb.changes_since(clock)
                    except UserError:
                        continue  # e.g. the file is locked for a moment: ask again next time
                    if changes:
                        self.post_message(ExternalChanges(changes))
        finally:
            self._watch_done.set()

    def stop_watching(self, timeout: float = 2.0) -> None:
        """Stop the watcher and wait until its connection is closed (before the project
        is closed: a SQLite project's last connection folds the journal into the file)."""
        self._watch_stop.set()
        self._watch_done.wait(timeout)

    def on_external_changes(self, message: ExternalChanges) -> None:
        others = [c for c in message.changes if not c.own]
        if not others:
            return  # this app's own commits: already shown and announced
        lines = [t(f"team_tui.toast.{c.step}", actor=c.info.actor, what=c.info.summary)
                 for c in others[-TOAST_LINES:]]
        if len(others) > TOAST_LINES:
            lines.insert(0, t("team_tui.toast.more", n=len(others) - TOAST_LINES))
        self.notify("\n".join(lines), title=t("team_tui.toast.title"))
        if any(c.info.name.startswith("member.") for c in others):
            self.role_may_have_changed()
        last = others[-1].info
        self.announce("external", last.name, last.actor)

    def role_may_have_changed(self) -> None:
        """The member list changed: re-read my role, and switch review mode with a toast
        when it follows from the new role."""
        try:
            self.wb.store.refresh_role()
        except UserError as exc:  # I was removed from the project
            if not self._not_member:  # said once, not at every re-read
                self._not_member = True
                self.notify(exc.message(), severity="error")
            return
        self._not_member = False
        review = self.wb.store.review_mode
        if review != self.review:
            self.review = review
            self.notify(t("team_tui.review_on" if review else "team_tui.review_off",
                          actor=self.wb.store.actor), severity="warning")
            mark = t("review_ui.indicator", actor=self.wb.store.actor)
            self.sub_title = self.sub_title.replace(f" · {mark}", "").replace(mark, "")
            self.refresh_bindings()

    def on_pipeline_ready(self, _message: PipelineReady) -> None:
        if self.freeze_gc:  # the pipeline's data lives as long as the program
            freeze_long_lived_objects(collect=False)

    # -- keys --------------------------------------------------------------------------

    def key_for(self, binding: Binding) -> str:
        """The key(s) a binding has now: the user's remapping, else its default."""
        if binding.id and binding.id in self.keymap:
            return self.keymap[binding.id]
        return binding.key

    def action_help(self) -> None:
        """Every key of the current screen (or dialog) and of the app, with its id."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        rows: dict[str, tuple[list[str], str, str]] = {}
        for binding in [*self.screen.BINDINGS, *self.BINDINGS]:
            if not isinstance(binding, Binding):
                continue
            keys, _, _ = rows.setdefault(binding.id or binding.action,
                                         ([], binding.description, binding.id or ""))
            key = self.key_for(binding)
            if key not in keys:
                keys.append(key)
        self.push_screen(HelpScreen([(",".join(keys), what, binding_id)
                                     for keys, what, binding_id in rows.values()]))

    # -- changes and the refresh path ----------------------------------------------------

    def announce(self, source: str, command: str | None = None, actor: str | None = None,
                 *, origin: Screen[Any] | None = None) -> None:
        """Tell every screen on the stack that the project changed (one DataChanged each)."""
        for screen in self.screen_stack:
            screen.post_message(DataChanged(source, command, actor, origin=origin))

    def run_command(self, fn: Callable[[], R], *, done: str | None = None,
                    origin: Screen[Any] | None = None) -> tuple[bool, R | None]:
        """Run one service call that changes the project.

        A refusal (UserError) is shown as a notification and nothing changed:
        ``(False, None)``. Otherwise ``done`` is shown, every screen hears
        :class:`DataChanged` (``origin`` is the screen that already shows the change), and
        the result is returned: ``(True, result)``.
        """
        try:
            result = fn()
        except UserError as exc:
            self.refused(exc)
            return False, None
        if done:
            self.notify(done)
        self.announce("command", actor=self.wb.store.actor, origin=origin)
        return True, result

    def refused(self, exc: UserError) -> None:
        """Show why a change was refused. When its target is gone (another process removed
        it, or undid making it, since the screen read it), say so and re-read every screen:
        the screen acted on what it showed, and that is out of date."""
        if exc.key == "error.not_found":
            self.notify(t("team_tui.gone"), severity="warning")
            self.announce("external")
            return
        self.notify(exc.message(), severity="error")

    def _run_undo(self, redo: bool) -> None:
        try:
            cmd = self.wb.redo() if redo else self.wb.undo()
        except UserError as exc:
            self.refused(exc)
            return
        if cmd is None:
            self.notify(t("cli.undo.nothing_redo" if redo else "cli.undo.nothing"))
            return
        self.notify(t("cli.undo.redone" if redo else "cli.undo.undone", what=cmd.summary))
        self.announce("redo" if redo else "undo", cmd.name, cmd.actor)

    def action_undo(self) -> None:
        self._run_undo(redo=False)

    def action_redo(self) -> None:
        self._run_undo(redo=True)

    # -- screens -----------------------------------------------------------------------

    def action_search(self) -> None:
        """Search all transcripts (lemma-aware) and code the hits."""
        from .screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def action_export(self) -> None:
        """Word export (theme table, results chapter, codebook, audit) with a preview."""
        from .screens.export import ExportScreen

        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen())

    def action_tables(self) -> None:
        """Code frequencies, co-occurrence, matrices and word frequencies."""
        from .screens.tables import TablesScreen

        if not isinstance(self.screen, TablesScreen):
            self.push_screen(TablesScreen())

    def action_import_file(self, path: str | None = None) -> None:
        """Choose a transcript file, review its speakers, and import it."""
        from .screens.importing import ChooseFileModal, ImportScreen

        if not self.wb.editable:
            self.notify(t("project.error.readonly_action"), severity="warning")
            return

        def chosen(chosen_path: Path | None) -> None:
            if chosen_path is not None:
                self.push_screen(ImportScreen(chosen_path))

        if path:
            chosen(Path(path))
        else:
            self.push_screen(ChooseFileModal(), chosen)

    def action_theme_map(self) -> None:
        """The theme map: main themes, sub-themes and codes."""
        from .screens.themes import ThemeMapScreen

        if not isinstance(self.screen, ThemeMapScreen):
            self.push_screen(ThemeMapScreen())

    def action_journal(self) -> None:
        """The reflexive journal, one key away on every screen."""
        from .screens.themes import JournalModal

        if not isinstance(self.screen, JournalModal):
            self.push_screen(JournalModal())

    def action_members(self) -> None:
        """The project's members and their roles (only a researcher changes them)."""
        from .screens.members import MembersScreen

        if not isinstance(self.screen, MembersScreen):
            self.push_screen(MembersScreen())

    def action_agreement(self) -> None:
        """Agreement between coders (κ, α), the disagreements and consensus."""
        from .screens.agreement import AgreementScreen

        if not isinstance(self.screen, AgreementScreen):
            self.push_screen(AgreementScreen())

    def action_checklist(self) -> None:
        """Braun & Clarke's checklist for the current phase, measured from the project."""
        from .screens.themes import ChecklistModal

        if not isinstance(self.screen, ChecklistModal):
            self.push_screen(ChecklistModal())

    def action_withdraw(self) -> None:
        """Withdraw a participant (confirmed by typing the label; cannot be undone)."""
        from .screens.privacy import start_withdrawal

        start_withdrawal(self)

    def action_merge_colleague(self) -> None:
        """Merge a colleague's codings from their .wbp or .qdpx (one undoable command)."""
        from .screens.merge import start_merge

        start_merge(self)

    # -- phases and review mode --------------------------------------------------------

    def validate_sub_title(self, value: str) -> str:
        """In review mode every screen's subtitle says so («Veiledermodus»)."""
        if self.review:
            mark = t("review_ui.indicator", actor=self.wb.store.actor)
            if mark not in value:
                value = f"{value} · {mark}" if value else mark
        return value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"phase_next", "phase_back", "withdraw", "merge_colleague"} and self.wb.readonly:
            return False
        if action == "withdraw" and (self.review or not self.wb.store.may_run(
                "participant.withdraw")):
            return False
        if action == "merge_colleague" and (self.review or not self.wb.store.may_run(
                "merge.colleague")):
            return False
        if self.review and action in {"phase_next", "phase_back", "import_file"}:
            return False  # a supervisor comments; the researcher moves the analysis on
        return True

    def _phase_moved(self, phase: int, key: str) -> None:
        label = t("phase.label", n=phase, name=t(f"phase.{phase}"))
        self.sub_title = label
        self.notify(t(key, phase=label))

    def action_phase_next(self) -> None:
        """Move the project on to the next of Braun & Clarke's six phases."""
        ok, phase = self.run_command(self.wb.phases.advance)
        if ok and phase is not None:
            self._phase_moved(phase, "phase_ui.moved")

    def action_phase_back(self) -> None:
        """Go back to an earlier phase, with a short reason that is logged."""
        from .screens.themes import GoBackModal

        current = self.wb.phases.current()
        if current <= 1:
            self.notify(t("phases.error.first"), severity="warning")
            return

        def done(result: tuple[int, str] | None) -> None:
            if result is None:
                return
            phase, reason = result
            if self.run_command(lambda: self.wb.phases.back(reason, to=phase))[0]:
                self._phase_moved(phase, "phase_ui.went_back")

        self.push_screen(GoBackModal(current), done)


def run_app(wb: Workbench, *, review: bool = False) -> None:
    app = WorkbenchApp(wb, review=review, freeze_gc=True)
    try:
        app.run()
    finally:
        app.stop_watching()
