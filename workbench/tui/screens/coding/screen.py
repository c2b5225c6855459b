"""The coding screen: read a transcript as speaker turns and code it (phases 1–2).

Everything goes through the services (``self.app.wb``); every action is one recorded,
undoable command, saved at once. Loading and re-reading (after an undo, a redo or a change
made elsewhere) run in a thread worker. The codebook beside the transcript is its own
widget (:mod:`.codebook_panel`); this screen keeps the keys and tells the panel what to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future, TimeoutError
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Header, Input, Static, TextArea

from workbench.i18n import UserError, t
from workbench.services.codes import CodeView, CodingView
from workbench.services.transcripts import TranscriptView as TranscriptData
from workbench.tui.compat import KeptScreen, StableFooter
from workbench.tui.messages import DataChanged, TranscriptLoaded, TranscriptLoadFailed
from workbench.tui.widgets.modals import TextModal
from workbench.tui.widgets.palette import InPalette
from workbench.tui.widgets.picker import Choice, FuzzyPicker, Pick

from ..base import ProjectScreen
from .codebook_panel import CodebookPanel
from .codebook_tree import CodebookTree
from .coders import CoderViews
from .codings_panel import CodingsPanel
from .layout import DisplayDoc, build_document, find_turn_row
from .transcript_view import TranscriptView

if TYPE_CHECKING:
    from workbench.services import Workbench
    from workbench.tui.app import WorkbenchApp

Loaded = TranscriptLoaded | TranscriptLoadFailed

# Actions that change the project: off (hidden) when it is open read-only.
MUTATING = frozenset({
    "apply", "in_vivo", "repeat", "remove", "memo", "rename", "recolour", "describe", "nest",
    "merge",
})
_IN_VIVO_STRIP = " \t\n.,;:!?…\"'«»“”‘’()[]{}-–—/"
EXCERPT = 70
SIDE_DELAY = 0.05  # seconds between a coding change and the side panels' update
# How long the screen's mount waits for the transcript read while it was composed; longer
# (a database busy elsewhere), it shows «loading» and the text when it comes.
READ_AHEAD_WAIT = 0.5
# Below this width the codebook pane starts folded, so the text keeps at least 56 columns
# (the pane is 44 wide, the text's margin and scrollbar take 6).
FOLD_BELOW = 106


def _key(name: str) -> str:
    return t(f"coding_ui.key.{name}")


def _excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


SCREEN_NAME = "coding"


def open_coding_screen(app: WorkbenchApp, transcript_id: int,
                       select: tuple[int, int] | None = None) -> CodingScreen:
    """Show ``transcript_id`` in the app's coding screen, made once and then reused.

    Building the screen (widgets, styles, footer) costs far more than loading a transcript
    into it, so the screen is installed in the app and kept when the user goes back. When
    it comes back, the transcript is loaded and shown first and the screen pushed then:
    one paint with the new text, not one of the old text and a second one. The first time,
    the transcript is read in a thread while the screen is composed, and shown as the
    screen mounts, before its first paint (:meth:`CodingScreen.read_ahead`).
    """
    if app.is_screen_installed(SCREEN_NAME):
        screen = app.get_screen(SCREEN_NAME)
        assert isinstance(screen, CodingScreen)
        screen.open(transcript_id, select, push=screen not in app.screen_stack)
    else:
        screen = CodingScreen(transcript_id, select=select)
        screen.read_ahead(app)  # read while the screen is built: shown before its first paint
        app.install_screen(screen, SCREEN_NAME)
        app.push_screen(SCREEN_NAME)
    return screen


class CodingScreen(CoderViews, InPalette, ProjectScreen[None], KeptScreen):
    """One transcript, its codings, and the codebook."""

    PALETTE_GROUP = "coding_ui.palette.group"
    PALETTE_HELP = "coding_ui.help"

    DEFAULT_CSS = """
    CodingScreen #coding-body {
        height: 1fr;
    }
    CodingScreen #coding-main {
        width: 1fr;
    }
    CodingScreen #transcript {
        max-width: 106;  /* a readable line: about 100 characters of text */
    }
    CodingScreen.-codebook-folded #coding-side {
        display: none;
    }
    CodingScreen #coding-status {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    CodingScreen #coding-message {
        height: 1;
        color: $text-muted;
        padding: 0 1;
    }
    CodingScreen #coding-readonly {
        color: $warning;
        text-style: bold;
        padding: 0 1;
    }
    CodingScreen #find-bar {
        display: none;
    }
    CodingScreen #find-bar.-open {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "apply", _key("apply"), id="coding.apply"),
        Binding("i", "in_vivo", _key("in_vivo"), id="coding.in_vivo"),
        Binding("r", "repeat", _key("repeat"), id="coding.repeat"),
        Binding("x,delete", "remove", _key("remove"), id="coding.remove"),
        Binding("m", "memo", _key("memo"), id="coding.memo"),
        Binding("s", "select_sentence", _key("sentence"), id="coding.sentence", show=False),
        Binding("t", "select_turn", _key("turn"), id="coding.turn", show=False),
        Binding("v", "toggle_clean", _key("toggle_clean"), id="coding.toggle_clean"),
        Binding("n", "next_turn", _key("next_turn"), id="coding.next_turn"),
        Binding("p", "prev_turn", _key("prev_turn"), id="coding.prev_turn", show=False),
        Binding("a", "same_speaker", _key("same_speaker"), id="coding.same_speaker",
                show=False),
        Binding("slash,ctrl+f", "find", _key("find"), id="coding.find", key_display="/"),
        Binding("ctrl+g", "find_next", _key("find_next"), id="coding.find_next", show=False),
        Binding("ctrl+r", "find_prev", _key("find_prev"), id="coding.find_prev", show=False),
        Binding("k", "codebook", _key("codebook"), id="coding.codebook"),
        Binding("b", "fold_codebook", _key("fold_codebook"), id="coding.fold_codebook"),
        Binding("f", "filter", _key("filter"), id="coding.filter", show=False),
        Binding("f2", "rename", _key("rename"), id="coding.rename", show=False),
        Binding("o", "recolour", _key("recolour"), id="coding.recolour", show=False),
        Binding("d", "describe", _key("describe"), id="coding.describe", show=False),
        Binding("u", "nest", _key("nest"), id="coding.nest", show=False),
        Binding("j", "merge", _key("merge"), id="coding.merge", show=False),
        Binding("e", "extracts", _key("extracts"), id="coding.extracts"),
        Binding("w", "participant", _key("participant"), id="coding.participant"),
        # team views (coders.py): whose codings are shown, colours by coder
        Binding("h", "coders", _key("coders"), id="coding.coders", show=False),
        Binding("H", "coder_colours", _key("coder_colours"), id="coding.coder_colours",
                show=False),
        Binding("escape", "back", _key("back"), id="coding.back", show=False),
    ]

    def __init__(self, transcript_id: int, *, select: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.transcript_id = transcript_id
        self.initial_select = select
        self.transcript: TranscriptData | None = None
        self.doc: DisplayDoc | None = None
        self.clean = False
        self.loaded = False
        self.last_code_id: int | None = None
        self.last_code_guid: str | None = None  # the same code, not a new one with its id
        self.find_query = ""
        self._under: tuple[int, ...] = ()
        self._side_scheduled = False
        self._generation = 0  # counts loads and local changes: a late load is dropped
        self._reloading = False
        self._fold_choice: bool | None = None  # the user's fold (b); None: by width
        self._status_turn: int | None = None
        self._peeking = False  # the pane is shown only while the user is in it
        self._push_when_loaded = False  # open(push=True): pushed once the load is shown
        self._said = ""  # what the message line shows
        self._ahead: Future[Loaded] | None = None  # read_ahead(): the first transcript

    # -- composition -------------------------------------------------------------------

    @property
    def view(self) -> TranscriptView:
        return self.query_one("#transcript", TranscriptView)

    @property
    def codebook(self) -> CodebookPanel:
        return self.query_one("#coding-side", CodebookPanel)

    @property
    def tree(self) -> CodebookTree:
        return self.codebook.tree

    @property
    def codes(self) -> dict[int, CodeView]:
        """The codebook, by id (the panel's)."""
        return self.codebook.codes

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="coding-body"):
            with Vertical(id="coding-main"):
                yield Static(id="coding-status", markup=False)
                yield Static(id="coding-readonly", markup=False)
                yield TranscriptView(id="transcript")
                yield Input(id="find-bar", placeholder=t("coding_ui.find_placeholder"),
                            compact=True)
                yield Static(id="coding-message", markup=False)
            yield CodebookPanel(id="coding-side")
        yield StableFooter()

    def on_mount(self) -> None:
        readonly = self.query_one("#coding-readonly", Static)
        readonly.update(
            t("coding_ui.readonly") if self.wb.readonly
            else t("coding_ui.review_mode") if not self.wb.editable else ""
        )
        readonly.display = not self.wb.editable
        self._fold_by_width(self.app.size.width)
        self.open(self.transcript_id, self.initial_select)

    def open(self, transcript_id: int, select: tuple[int, int] | None = None, *,
             push: bool = False) -> None:
        """Show a transcript (loaded in a thread worker); ``select`` a stored span in it.

        ``push``: the screen is not on the stack; push it once the transcript is shown (or
        its load failed)."""
        self._push_when_loaded = push
        self.loaded = False
        self.transcript_id = transcript_id
        self.query_one("#coding-status", Static).update(t("coding_ui.loading"))
        self.query_one("#find-bar", Input).remove_class("-open")
        self.view.focus()
        self._generation += 1
        self._reloading = False
        ahead, self._ahead = self._ahead, None
        if ahead is not None:  # the first open (on_mount): read while it was composed
            self._take_read_ahead(ahead)
            return
        self.load(transcript_id, select, self.clean, reload=False, generation=self._generation)

    def _take_read_ahead(self, ahead: Future[Loaded]) -> None:
        """Show what :meth:`read_ahead` read, now if it is there (or nearly), else when it
        comes (as a load's result)."""
        try:
            message = ahead.result(timeout=READ_AHEAD_WAIT)
        except TimeoutError:
            ahead.add_done_callback(
                lambda done: None if done.exception() else self.post_message(done.result()))
            return
        except Exception:  # noqa: BLE001 - the worker reports it (and the app stops)
            return
        if message.generation != self._generation:  # not what this open asks for
            self.load(self.transcript_id, self.initial_select, self.clean, reload=False,
                      generation=self._generation)
        elif isinstance(message, TranscriptLoaded):
            self.on_transcript_loaded(message)
        else:
            self.on_transcript_load_failed(message)

    # -- loading -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="coding-load")
    def load(self, transcript_id: int, select: tuple[int, int] | None, clean: bool, *,
             reload: bool, generation: int) -> None:
        self.post_message(self._read(self.wb, transcript_id, select, clean, reload=reload,
                                     generation=generation))

    def _read(self, wb: Workbench, transcript_id: int, select: tuple[int, int] | None,
              clean: bool, *, reload: bool, generation: int) -> Loaded:
        """Everything the screen shows of a transcript (called in a thread)."""
        try:
            transcript = wb.transcripts.get(transcript_id)
            codings = self.coder_read(wb, transcript_id, generation)
            codes = wb.codes.list()
            doc = build_document(transcript, clean=clean)
        except UserError as exc:
            return TranscriptLoadFailed(transcript_id, exc.message(), reload=reload,
                                        generation=generation)
        return TranscriptLoaded(transcript, codings, codes, doc, select, reload=reload,
                                generation=generation)

    def read_ahead(self, app: WorkbenchApp) -> None:
        """Start reading the transcript now, before the screen is pushed (its first open).

        Composing the screen takes longer than the read, so by the time the screen mounts
        the transcript is usually there: :meth:`on_mount` shows it at once and the screen's
        first paint has the text. Otherwise (a slow read) the screen shows «loading» and
        the read's result arrives as the loads' do.
        """
        future: Future[Loaded] = Future()
        generation = self._generation + 1  # the one on_mount's open() gives its load
        wb, transcript_id, select = app.wb, self.transcript_id, self.initial_select
        clean = self.clean

        def read() -> None:
            try:
                future.set_result(self._read(wb, transcript_id, select, clean, reload=False,
                                             generation=generation))
            except BaseException as exc:
                future.set_exception(exc)
                raise

        self._ahead = future
        app.run_worker(read, thread=True, group="coding-read-ahead")

    def reload(self, change: DataChanged | None) -> None:
        """Re-read the transcript, its codings and the codebook after a change this screen
        did not make itself (an undo, a redo, another screen, another process)."""
        if change is not None and change.origin is self:
            return  # it shows its own changes already
        if not self.loaded or self.doc is None:
            return
        self._generation += 1
        self._reloading = True
        self.load(self.transcript_id, None, self.clean, reload=True, generation=self._generation)

    def _changed_here(self) -> None:
        """This screen changed the project and shows it: a load started before is stale."""
        self._generation += 1
        if self._reloading:  # read again, so the undo that started it shows too
            self.load(self.transcript_id, None, self.clean, reload=True,
                      generation=self._generation)
        self.coders_changed_here()

    def on_transcript_loaded(self, message: TranscriptLoaded) -> None:
        if message.generation != self._generation or message.transcript.id != self.transcript_id:
            return  # an earlier load finishing late
        if message.reload:
            self._show_reloaded(message)
            return
        self.transcript = message.transcript
        self.doc = message.doc
        self.sub_title = t("coding_ui.title", name=message.transcript.name)
        if not self.codebook.codes or tuple(message.codes) != tuple(self.codebook.codes.values()):
            self.codebook.set_codes(message.codes)  # not when only the transcript changed
        view = self.view
        self.coder_loaded(message.generation)
        view.show(message.doc, message.codings, self.codebook.colours())
        if message.select is not None:
            self._select_stored(*message.select)
        elif message.doc.turns:
            first = message.doc.turns[0]
            view.go_to_row(0, cursor_row=first.first_row)
        self.loaded = True
        self._update_status()
        self._update_under_cursor(force=True)
        view.focus()
        self._push_if_waiting()

    def _push_if_waiting(self) -> None:
        if self._push_when_loaded:
            self._push_when_loaded = False
            if self not in self.app.screen_stack:
                self.app.push_screen(self)

    def _show_reloaded(self, message: TranscriptLoaded) -> None:
        self._reloading = False
        if self.doc is None:
            return
        kept = self._selection_state()
        doc = message.doc
        if doc.clean != self.clean:  # toggled while it was read
            doc = build_document(message.transcript, clean=self.clean)
        same_text = doc.text == self.doc.text
        self.transcript, self.doc = message.transcript, doc
        self.codebook.set_codes(message.codes)
        self.coder_loaded(message.generation)
        self.view.show(doc, message.codings, self.codebook.colours(), keep_text=same_text)
        if not same_text:
            self._restore_selection(kept)
        self._update_status()
        self._say("")
        self._update_under_cursor(force=True)

    def on_transcript_load_failed(self, message: TranscriptLoadFailed) -> None:
        if message.generation != self._generation:
            return
        if message.reload:  # the transcript is gone (an undone import)
            self._reloading = False
            self.notify(t("coding_ui.msg.gone"), severity="warning")
            if self.is_active:
                self.dismiss()
            return
        self.notify(t("coding_ui.msg.load_failed", error=message.error), severity="error")
        self.query_one("#coding-status", Static).update(message.error)
        self._push_if_waiting()

    # -- helpers -----------------------------------------------------------------------

    def _say(self, text: str) -> None:
        if text == self._said:
            return  # the same words: nothing to repaint (the line is far from the text)
        self._said = text
        self.query_one("#coding-message", Static).update(text, layout=False)

    def _command(self, fn: Callable[[], object]) -> object | None:
        """Run one command that this screen shows itself; its result, or None if refused."""
        ok, result = self.workbench_app.run_command(fn, origin=self)
        if ok:
            self._changed_here()
        return result if ok else None

    def _update_status(self, *, force: bool = True) -> None:
        """The status line: which turn the cursor is in (of how many), its speaker, the
        transcript and the reading mode."""
        if self.transcript is None or self.doc is None:
            return
        doc = self.doc
        turn = doc.turn_at_row(self.view.cursor_location[0]) if doc.turns else None
        index = turn.index if turn is not None else None
        if index == self._status_turn and not force:
            return
        self._status_turn = index
        mode = t("coding_ui.mode_clean" if self.clean else "coding_ui.mode_verbatim")
        parts = []
        if turn is not None:
            parts.append(t("coding_ui.status_turn", n=turn.index + 1, total=len(doc.turns)))
            if turn.speaker:
                parts.append(turn.speaker)
        parts.append(t("coding_ui.status", name=self.transcript.name, mode=mode))
        if self.coder_status():  # first: it must stay visible when the line is cut
            parts.insert(0, self.coder_status())
        self.query_one("#coding-status", Static).update(" · ".join(parts), layout=False)

    def _selection_state(self) -> tuple[tuple[int, int] | None, int]:
        """The selection as a stored span (or None) and the cursor as a stored offset."""
        if self.doc is None:
            return None, 0
        view = self.view
        a, b = view.display_span()
        span = self.doc.span_to_stored(a, b) if a != b else None
        return span, self.doc.to_stored(view.cursor_offset())

    def _restore_selection(self, state: tuple[tuple[int, int] | None, int]) -> None:
        span, cursor = state
        if self.doc is None:
            return
        if span is not None:
            self._select_stored(*span, center=False)
        else:
            at = self.doc.stored_offset_to_display(cursor)
            self.view.select_display(at, at, center=False)
            self.view.scroll_cursor_visible(center=True)

    def _select_stored(self, start: int, end: int, *, center: bool = True) -> None:
        if self.doc is None:
            return
        ranges = self.doc.stored_to_display(start, end)
        if ranges:
            self.view.select_display(ranges[0][0], ranges[-1][1], center=center)

    def selected_span(self, *, explain: bool = True) -> tuple[int, int] | None:
        """The stored ``[start, end)`` the selection covers, or None (explained to the user)."""
        if self.doc is None or not self.loaded:
            return None
        a, b = self.view.display_span()
        if a == b:
            if explain:
                self.notify(t("coding_ui.msg.no_selection"), severity="warning", timeout=8)
            return None
        span = self.doc.span_to_stored(a, b)
        if span is None and explain:
            self.notify(t("coding_ui.msg.no_text"), severity="warning")
        return span

    def _coding_choices(self, codings: list[CodingView]) -> list[Choice]:
        text = self.transcript.text if self.transcript else ""
        out = []
        for c in codings:
            code = self.codes.get(c.code_id)
            out.append(Choice(c.id, code.name if code else "?", code.colour if code else None,
                              f"«{_excerpt(text[c.start:c.end], 40)}»"))
        return out

    def _set_count(self, code_id: int, delta: int) -> None:
        if self.codebook.count_changed(code_id, delta):
            self._update_side_later()

    def _update_side_later(self) -> None:
        """Update the side panels a moment after the text: the coloured text comes first.

        Painting the text and the side panels in one frame makes Textual composite the
        bounding box of both, i.e. the whole screen; two small updates are cheaper, the
        coding shows sooner, and quick repeated actions share one side-panel update.
        """
        if not self._side_scheduled:
            self._side_scheduled = True
            self.set_timer(SIDE_DELAY, self._update_side)

    def _update_side(self) -> None:
        self._side_scheduled = False
        self.codebook.flush()
        self._update_under_cursor()

    def _reload_codes(self) -> None:
        self.codebook.reload_codes()
        self._show_colours()

    def _show_colours(self) -> None:
        colours = self.codebook.colours()
        if colours != self.view.colours:
            self.view.set_colours(colours)

    # -- coding ------------------------------------------------------------------------

    def apply_code(
        self, *, code_id: int | None = None, name: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> CodingView | None:
        """Code ``span`` (default: the selection) with a code by id or by (new) name."""
        if span is None:
            span = self.selected_span()
            if span is None:
                return None
        transcript_id = self.transcript_id
        coding = self._command(lambda: self.wb.codes.apply(
            transcript_id, span[0], span[1], code_id=code_id, name=name
        ))
        if not isinstance(coding, CodingView):
            return None
        self.last_code_id = coding.code_id
        self.view.add_coding(coding)
        new = coding.code_id not in self.codes
        if not new:
            self._set_count(coding.code_id, +1)
        else:
            self._reload_codes()
            self._update_side_later()
        code = self.codes.get(coding.code_id)
        self.last_code_guid = code.guid if code else None
        self._say(t("coding_ui.msg.coded_new" if new else "coding_ui.msg.coded",
                    name=code.name if code else name or ""))
        return coding

    def action_apply(self) -> None:
        span = self.selected_span()
        if span is None or self.doc is None:
            return
        a, b = self.view.display_span()
        picker = FuzzyPicker(
            t("coding_ui.picker.title_apply"), self.codebook.choices(recent=self.last_code_id),
            allow_new=True,
            subtitle=t("coding_ui.picker.selection", text=_excerpt(self.doc.text_of(a, b))),
        )

        def done(pick: Pick | None) -> None:
            if pick is not None:
                self.apply_code(code_id=pick.id, name=pick.name, span=span)

        self.app.push_screen(picker, done)

    def action_in_vivo(self) -> None:
        span = self.selected_span()
        if span is None or self.doc is None:
            return
        a, b = self.view.display_span()
        name = " ".join(self.doc.text_of(a, b).split()).strip(_IN_VIVO_STRIP)
        if not name:
            self.notify(t("coding_ui.msg.in_vivo_empty"), severity="warning")
            return
        self.apply_code(name=name, span=span)

    def action_repeat(self) -> None:
        if self.last_code_id is None:
            self.notify(t("coding_ui.msg.no_last_code"), severity="warning")
            return
        last = self.codes.get(self.last_code_id)
        if last is None or last.guid != self.last_code_guid:  # removed meanwhile
            self.last_code_id = self.last_code_guid = None
            self.notify(t("team_tui.last_code_gone"), severity="warning")
            return
        self.apply_code(code_id=self.last_code_id)

    def _target_codings(self) -> list[CodingView]:
        panel = self.codebook.under_cursor
        if self.focused is panel and panel.highlighted_id in self.view.codings:
            return [self.view.codings[panel.highlighted_id]]  # type: ignore[index]
        return self.codings_under_cursor()

    def _with_coding(self, title_key: str, then: object) -> None:
        targets = self._target_codings()
        if not targets:
            self.notify(t("coding_ui.msg.no_coding_here"), severity="warning")
            return
        if len(targets) == 1:
            then(targets[0])  # type: ignore[operator]
            return

        def done(pick: Pick | None) -> None:
            if pick is not None and pick.id in self.view.codings:
                then(self.view.codings[pick.id])  # type: ignore[operator]

        self.app.push_screen(FuzzyPicker(t(title_key), self._coding_choices(targets)), done)

    def remove_coding(self, coding: CodingView) -> None:
        ok, _ = self.workbench_app.run_command(lambda: self.wb.codes.remove_coding(coding.id),
                                               origin=self)
        if not ok:
            return
        self._changed_here()
        self.view.remove_coding(coding.id)
        self._set_count(coding.code_id, -1)
        code = self.codes.get(coding.code_id)
        self._say(t("coding_ui.msg.removed", name=code.name if code else ""))

    def action_remove(self) -> None:
        self._with_coding("coding_ui.picker.title_remove", self.remove_coding)

    def edit_memo(self, coding: CodingView) -> None:
        code = self.codes.get(coding.code_id)

        def done(text: str | None) -> None:
            if text is None:
                return
            updated = self._command(lambda: self.wb.codes.set_memo(coding.id, text))
            if not isinstance(updated, CodingView):
                return
            self.view.codings[updated.id] = updated
            self._say(t("coding_ui.msg.memo_saved"))
            self._update_under_cursor(force=True)

        title = t("coding_ui.memo.title", name=code.name if code else "")
        self.app.push_screen(TextModal(title, coding.memo), done)

    def action_memo(self) -> None:
        self._with_coding("coding_ui.picker.title_memo", self.edit_memo)

    # -- selecting and moving ------------------------------------------------------------

    def _cursor_piece(self):  # type: ignore[no-untyped-def]
        doc = self.doc
        if doc is None or not doc.pieces:
            return None
        turn = doc.turn_at_row(self.view.cursor_location[0])
        return doc.pieces[turn.index] if turn is not None else doc.pieces[0]

    def action_select_turn(self) -> None:
        piece = self._cursor_piece()
        if piece is not None:
            self.view.select_display(piece.disp_start, piece.disp_end, center=False)

    def action_select_sentence(self) -> None:
        from workbench.nlp.sentences import split_sentences

        piece = self._cursor_piece()
        if piece is None or self.doc is None:
            return
        local = self.view.cursor_offset() - piece.disp_start
        sentences = split_sentences(self.doc.text[piece.disp_start : piece.disp_end])
        if not sentences:
            return
        chosen = sentences[-1]
        for start, end in sentences:
            if local < end:
                chosen = (start, end)
                break
        self.view.select_display(piece.disp_start + chosen[0], piece.disp_start + chosen[1],
                                 center=False)

    def _go_turn(self, step: int, *, same_speaker: bool = False) -> None:
        doc = self.doc
        if doc is None:
            return
        row = self.view.cursor_location[0]
        if same_speaker:
            current = doc.turn_at_row(row)
            if current is None or current.participant_id is None:
                self.notify(t("coding_ui.msg.no_speaker"), severity="warning")
                return
        turn = find_turn_row(doc, row, step, same_speaker=same_speaker)
        if turn is None:
            if same_speaker:
                current = doc.turn_at_row(row)
                speaker = current.speaker if current else ""
                self.notify(t("coding_ui.msg.no_same_speaker", speaker=speaker))
            else:
                self.notify(t("coding_ui.msg.no_next_turn" if step > 0
                              else "coding_ui.msg.no_prev_turn"))
            return
        top = turn.header_row if turn.header_row is not None else turn.first_row
        self.view.go_to_row(top, cursor_row=turn.first_row)

    def action_next_turn(self) -> None:
        self._go_turn(+1)

    def action_prev_turn(self) -> None:
        self._go_turn(-1)

    def action_same_speaker(self) -> None:
        self._go_turn(+1, same_speaker=True)

    def action_toggle_clean(self) -> None:
        if self.transcript is None or self.doc is None:
            return
        kept = self._selection_state()
        try:
            doc = build_document(self.transcript, clean=not self.clean)
        except UserError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.clean = not self.clean
        self.doc = doc
        self.view.show(doc, list(self.view.codings.values()), self.codebook.colours())
        self._restore_selection(kept)
        self._update_status()
        self._say(t("coding_ui.msg.clean_on" if self.clean else "coding_ui.msg.clean_off"))

    # -- find --------------------------------------------------------------------------

    def action_find(self) -> None:
        bar = self.query_one("#find-bar", Input)
        bar.add_class("-open")
        bar.focus()
        bar.select_all()

    def action_find_next(self) -> None:
        if not self.find_query:
            self.action_find()
            return
        self.find_next(self.find_query)

    def action_find_prev(self) -> None:
        if not self.find_query:
            self.action_find()
            return
        self.find_next(self.find_query, step=-1)

    @on(Input.Submitted, "#find-bar")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.find_next(event.value)

    def on_key(self, event: events.Key) -> None:
        """In the find bar, ↓ and ↑ step to the next and the previous hit; ↓ in the
        codebook filter goes into the tree."""
        if event.key == "down" and self.focused is self.codebook.filter_input:
            event.stop()
            event.prevent_default()
            self.tree.focus()
            return
        if event.key in ("down", "up") and self.focused is self.query_one("#find-bar", Input):
            event.stop()
            event.prevent_default()
            query = self.query_one("#find-bar", Input).value
            if query.strip():
                self.find_next(query, step=1 if event.key == "down" else -1)

    def find_next(self, query: str, *, step: int = 1) -> bool:
        """Select the next (``step=1``) or previous (``-1``) match of ``query`` from the
        cursor, wrapping round; say which hit it is («3 av 17»). False if none."""
        self.find_query = query
        if self.doc is None or not query:
            return False
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        hits = [m.span() for m in pattern.finditer(self.doc.text)]
        if not hits:
            self.notify(t("coding_ui.msg.not_found", query=query), severity="warning")
            return False
        a, b = self.view.display_span()
        wrapped = False
        if step > 0:
            start = b if b > a else self.view.cursor_offset()
            index = next((i for i, (s, _) in enumerate(hits) if s >= start), None)
            if index is None:
                index, wrapped = 0, True
        else:
            start = a if b > a else self.view.cursor_offset()
            index = next((i for i in range(len(hits) - 1, -1, -1) if hits[i][0] < start), None)
            if index is None:
                index, wrapped = len(hits) - 1, True
        self.view.select_display(*hits[index])
        position = t("coding_ui.msg.find_position", n=index + 1, total=len(hits))
        self._say(f"{position} · {t('coding_ui.msg.wrapped')}" if wrapped else position)
        return True

    def _close_find(self) -> None:
        """Close the find bar where the hit is: the view stays, the hit is no longer marked."""
        view = self.view
        self.query_one("#find-bar", Input).remove_class("-open")
        a, b = view.display_span()
        if a != b:
            view.select_display(a, a, center=False)
        scroll_y = view.scroll_offset.y
        view.focus(scroll_visible=False)
        self.call_after_refresh(view.scroll_to, y=scroll_y, animate=False, immediate=True)
        self._say("")

    # -- codebook ----------------------------------------------------------------------

    def action_codebook(self) -> None:
        if self.focused is self.tree:
            self.view.focus()
            if self._peeking:
                self._set_folded(True)
        else:
            self._peek()
            self.tree.focus()

    def action_filter(self) -> None:
        self._peek()
        self.codebook.filter_input.focus()

    # -- folding the codebook pane --------------------------------------------------------

    @property
    def codebook_folded(self) -> bool:
        return self.has_class("-codebook-folded")

    def _set_folded(self, folded: bool) -> None:
        self._peeking = False
        if folded == self.codebook_folded:
            return
        self.set_class(folded, "-codebook-folded")
        # the text re-wraps to the new width: keep the cursor's line in view
        self.view.follow_cursor_on_resize()
        if folded and self.focused is not None and self.codebook in self.focused.ancestors:
            self.view.focus()

    def _peek(self) -> None:
        """Show a folded codebook pane while the user works in it (k or f)."""
        if self.codebook_folded:
            self._set_folded(False)
            self._peeking = True

    def _fold_by_width(self, width: int) -> None:
        if self._fold_choice is None and not self._peeking:
            self._set_folded(width < FOLD_BELOW)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self._peeking and self.codebook not in event.widget.ancestors_with_self:
            self._set_folded(True)

    def on_resize(self, event: events.Resize) -> None:
        self._fold_by_width(event.size.width)

    def action_fold_codebook(self) -> None:
        """Fold the codebook pane away (the text gets the whole width) or bring it back."""
        folded = not self.codebook_folded or self._peeking
        self._set_folded(folded)
        self._fold_choice = folded
        self._say(t("coding_ui.msg.codebook_folded" if folded
                    else "coding_ui.msg.codebook_shown"))

    def action_rename(self) -> None:
        self.codebook.rename()

    def action_recolour(self) -> None:
        self.codebook.recolour()

    def action_describe(self) -> None:
        self.codebook.describe()

    def action_nest(self) -> None:
        self.codebook.nest(recent=self.last_code_id)

    def action_merge(self) -> None:
        self.codebook.merge(recent=self.last_code_id)

    def action_extracts(self) -> None:
        self.codebook.extracts()

    def action_participant(self) -> None:
        """The speaker under the cursor across all transcripts (or choose someone)."""
        from ..participants import ParticipantScreen, choose_participant

        doc = self.doc
        turn = doc.turn_at_row(self.view.cursor_location[0]) if doc is not None else None
        if turn is None or turn.participant_id is None or doc is None:
            choose_participant(self)
            return
        near = (self.transcript_id, doc.to_stored(self.view.cursor_offset()))
        self.app.push_screen(ParticipantScreen(turn.participant_id, near=near))

    @on(CodebookPanel.Edited)
    def _codebook_edited(self, event: CodebookPanel.Edited) -> None:
        event.stop()
        self._changed_here()
        if event.merged is not None and self.last_code_id == event.merged[0]:
            self.last_code_id = event.merged[1]
            merged = self.codes.get(event.merged[1])
            self.last_code_guid = merged.guid if merged else None
        if event.codings:
            self.view.set_codings(self.coder_read(self.wb, self.transcript_id, -1))
        self._show_colours()
        if event.codings:
            self._update_status()
            self._update_under_cursor(force=True)
        if event.say:
            self._say(event.say)

    @on(CodebookPanel.ExtractChosen)
    def _extract_chosen(self, event: CodebookPanel.ExtractChosen) -> None:
        event.stop()
        extract = event.extract
        self.jump_to(extract.transcript_id, extract.start, extract.end)

    def jump_to(self, transcript_id: int, start: int, end: int) -> None:
        """Show stored ``[start, end)`` of a transcript (loading it if it is another one)."""
        if transcript_id == self.transcript_id and self.doc is not None:
            self._select_stored(start, end)
            self.view.focus()
            return
        self.open(transcript_id, (start, end))

    # -- the codes under the cursor --------------------------------------------------------

    @on(TextArea.SelectionChanged, "#transcript")
    def _selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self._update_under_cursor()
        self._update_status(force=False)

    def codings_under_cursor(self) -> list[CodingView]:
        if self.doc is None:
            return []
        view = self.view
        a, b = view.display_span()
        if a != b:
            span = self.doc.span_to_stored(a, b)
            return view.codings_at(*span) if span else []
        return view.codings_at(self.doc.to_stored(view.cursor_offset()))

    def _update_under_cursor(self, *, force: bool = False) -> None:
        codings = self.codings_under_cursor()
        ids = tuple(c.id for c in codings)
        if ids == self._under and not force:
            return
        self._under = ids
        items: list[tuple[int, Content]] = []
        for c in codings:
            code = self.codes.get(c.code_id)
            parts: list[Content | str | tuple[str, str]] = [
                ("■ ", code.colour if code else ""), code.name if code else "?",
            ]
            if c.memo.strip():
                parts.append(("  " + _excerpt(c.memo, 30), "italic dim"))
            items.append((c.id, Content.assemble(*parts)))
        self.codebook.show_under_cursor(items)
        if codings:
            self.codebook.follow(codings[0].code_id)

    @on(CodingsPanel.Selected, "#under-cursor")
    def _under_selected(self, event: CodingsPanel.Selected) -> None:
        event.stop()
        coding = self.view.codings.get(event.coding_id)
        if coding is not None:
            self._select_stored(coding.start, coding.end)
            self.view.focus()

    # -- leaving -------------------------------------------------------------------------

    def action_back(self) -> None:
        find_bar = self.query_one("#find-bar", Input)
        if find_bar.has_class("-open"):
            self._close_find()
            return
        code_filter = self.codebook.filter_input
        if self.focused is code_filter:
            if code_filter.value:
                code_filter.value = ""
            else:
                self.view.focus()
            return
        if self.focused is not self.view:
            self.view.focus()
            return
        view = self.view
        if not view.selection.is_empty:
            view.selection = type(view.selection).cursor(view.selection.end)
            return
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MUTATING and not self.wb.editable:
            return False
        return True
