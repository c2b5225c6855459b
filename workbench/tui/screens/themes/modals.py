"""Modals of the theme work: the reflexive journal, the phase checklist, going back a
phase, review comments. They belong to the app's modal family
(:mod:`workbench.tui.widgets.modals`) and share its binding ids."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from workbench.i18n import t
from workbench.tui.widgets.modals import (
    Modal,
    PromptModal,
    cancel_binding,
    close_binding,
    save_binding,
)

from ..base import app_of
from .common import local_time, phase_label

WIDE = "{name} > Vertical {{ width: 100; }}\n"


def _css(name: str, extra: str = "") -> str:
    return WIDE.format(name=name) + extra


class JournalModal(Modal[None]):
    """The reflexive journal: write an entry for the current phase, read earlier ones."""

    DEFAULT_CSS = _css(
        "JournalModal",
        "JournalModal #journal-text { height: 8; } JournalModal #entries { height: auto; max-height: 20; }"
        " JournalModal .entry-head { color: $text-muted; margin-top: 1; }",
    )
    BINDINGS: ClassVar[list[BindingType]] = [save_binding(), close_binding()]

    def compose(self) -> ComposeResult:
        app = app_of(self)
        phase = app.wb.phases.current()
        with Vertical():
            yield Static(t("journal_ui.title", phase=phase_label(phase)), classes="title")
            if app.review or app.wb.readonly:
                yield Static(t("journal_ui.review" if app.review else "journal_ui.readonly"),
                             classes="hint")
            else:
                yield TextArea("", id="journal-text", soft_wrap=True)
                yield Static(t("journal_ui.hint"), classes="hint")
            yield VerticalScroll(id="entries")

    def on_mount(self) -> None:
        self._show_entries()
        app = app_of(self)
        if not (app.review or app.wb.readonly):
            self.query_one("#journal-text", TextArea).focus()

    def _show_entries(self) -> None:
        app = app_of(self)
        box = self.query_one("#entries", VerticalScroll)
        box.remove_children()
        entries = list(reversed(app.wb.journal.list()))
        if not entries:
            box.mount(Static(t("journal_ui.empty"), classes="hint"))
        for e in entries:
            box.mount(
                Static(
                    t("journal_ui.entry_head", when=local_time(e.created),
                      n=e.phase, author=e.author),
                    classes="entry-head",
                ),
                Static(Text(e.text)),
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app = app_of(self)
        if action == "save" and (app.review or app.wb.readonly):
            return False
        return True

    def action_save(self) -> None:
        app = app_of(self)
        area = self.query_one("#journal-text", TextArea)
        ok, _ = app.run_command(lambda: app.wb.journal.add(area.text), done=t("journal_ui.saved"))
        if ok:
            area.text = ""
            self._show_entries()


class ChecklistModal(Modal[None]):
    """Braun & Clarke's checklist for a phase, measured from the project."""

    DEFAULT_CSS = _css(
        "ChecklistModal",
        "ChecklistModal #items { height: auto; max-height: 30; }"
        " ChecklistModal .item { margin-bottom: 1; }",
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "phase(-1)", t("themes_ui.key.prev_phase"), id="checklist.prev"),
        Binding("right", "phase(1)", t("themes_ui.key.next_phase"), id="checklist.next"),
        close_binding("escape,f7"),
    ]
    MARKS = {"ok": ("✓", "green"), "warn": ("!", "bold yellow"), "info": ("·", "dim")}

    def __init__(self, phase: int | None = None) -> None:
        super().__init__()
        self.phase = phase

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="checklist-title", classes="title")
            yield VerticalScroll(id="items")
            yield Static(t("themes_ui.checklist_hint"), classes="hint")

    def on_mount(self) -> None:
        app = app_of(self)
        if self.phase is None:
            self.phase = app.wb.phases.current()
        self._show()

    def _show(self) -> None:
        app = app_of(self)
        assert self.phase is not None
        self.query_one("#checklist-title", Static).update(
            t("themes_ui.checklist_title", n=self.phase, name=t(f"phase.{self.phase}"))
        )
        box = self.query_one("#items", VerticalScroll)
        box.remove_children()
        for item in app.wb.checklist.items(self.phase):
            mark, style = self.MARKS[item.status]
            text = Text()
            text.append(f"{mark} ", style=style)
            text.append(f"({item.point}) ", style="dim")
            text.append(item.text, style="bold" if item.status == "warn" else "")
            text.append(f"  [{t('checklist.status.' + item.status)}]", style=style)
            if item.detail:
                text.append("\n    " + item.detail, style="" if item.status == "warn" else "dim")
            box.mount(Static(text, classes="item"))

    def action_phase(self, delta: int) -> None:
        assert self.phase is not None
        self.phase = min(6, max(1, self.phase + delta))
        self._show()


class GoBackModal(Modal[tuple[int, str] | None]):
    """Go back to an earlier phase: choose which, and say why (logged)."""

    DEFAULT_CSS = _css("GoBackModal", "GoBackModal OptionList { height: auto; max-height: 8; }")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "choose(-1)", t("themes_ui.key.prev_phase"), id="goback.up", show=False),
        Binding("down", "choose(1)", t("themes_ui.key.next_phase"), id="goback.down", show=False),
        cancel_binding(),
    ]

    def __init__(self, current: int) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("phase_ui.back_title", phase=phase_label(self.current)), classes="title")
            options = [Option(phase_label(n), id=str(n)) for n in range(self.current - 1, 0, -1)]
            yield OptionList(*options, id="phases")
            yield Static(t("phase_ui.reason"))
            yield Input(placeholder=t("phase_ui.reason_placeholder"), id="reason")
            yield Static("", id="error", classes="error")
            yield Static(t("phase_ui.back_hint"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one("#phases", OptionList)
        options.highlighted = 0
        self.query_one("#reason", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#reason", Input).focus()

    def action_choose(self, delta: int) -> None:
        """↑/↓ choose the phase while typing the reason."""
        options = self.query_one("#phases", OptionList)
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        reason = event.value.strip()
        if not reason:
            self.query_one("#error", Static).update(t("phase.error.reason_needed"))
            return
        options = self.query_one("#phases", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        phase = int(options.get_option_at_index(index).id or self.current - 1)
        self.dismiss((phase, reason))

class CommentsModal(Modal[bool]):
    """Review comments on one anchor (or every open one): read, add, reply, resolve.

    Returns whether anything changed.
    """

    DEFAULT_CSS = _css("CommentsModal", "CommentsModal OptionList { height: auto; max-height: 24; }")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", t("review_ui.key.comment"), id="comments.new"),
        Binding("r", "reply", t("review_ui.key.reply"), id="comments.reply"),
        Binding("x", "resolve", t("review_ui.key.resolve"), id="comments.resolve"),
        close_binding(),
    ]

    def __init__(self, title: str, anchor: tuple[str, int | None, str | None] | None) -> None:
        """``anchor`` is (kind, id, guid) of what the comments are on; ``None`` lists every
        open comment in the project (new ones then go on the project)."""
        super().__init__()
        self.title_text = title
        self.anchor = anchor
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title")
            yield OptionList(id="threads")
            yield Static(t("review_ui.comments_hint"), classes="hint")

    def on_mount(self) -> None:
        self._show()
        self.query_one(OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app = app_of(self)
        return not (app.wb.readonly and action in {"new", "reply", "resolve"})

    def _threads(self) -> list[Any]:
        app = app_of(self)
        if self.anchor is None:
            return app.wb.review.comments(status="open")
        return app.wb.review.comments(anchor_guid=self.anchor[2])

    def _show(self, keep: int | None = None) -> None:
        """List the threads, highlighting ``keep`` (a comment id), else the first open one."""
        options = self.query_one("#threads", OptionList)
        options.clear_options()
        threads = self._threads()
        if not threads:
            options.add_option(Option(t("review_ui.no_comments"), disabled=True))
            return
        for c in threads:
            text = Text()
            style = "dim" if c.status == "resolved" else ""
            head = t("review_ui.comment_head", author=c.author, when=local_time(c.created))
            if self.anchor is None and c.anchor_label:
                head += f" · «{c.anchor_label}»"
            if c.status == "resolved":
                head += " · " + t("review_ui.resolved")
            text.append(head + "\n", style="bold " + style if not style else style)
            text.append(c.text, style=style)
            for r in c.replies:
                text.append(f"\n  ↳ {r.author}: {r.text}", style="dim" if style else "italic")
            options.add_option(Option(text, id=str(c.id)))
        ids = [c.id for c in threads]
        if keep not in ids:
            keep = next((c.id for c in threads if c.status != "resolved"), ids[0])
        options.highlighted = ids.index(keep)

    def _current(self) -> Any | None:
        options = self.query_one("#threads", OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        if option.id is None:
            return None
        return next((c for c in self._threads() if str(c.id) == option.id), None)

    def _ask(self, title: str, then: Any, keep: int | None = None) -> None:
        """Ask for a text and run ``then(text)``; the thread ``keep`` (or the new comment)
        stays highlighted."""
        def done(text: str | None) -> None:
            if text and text.strip():
                ok, result = app_of(self).run_command(lambda: then(text))
                if ok:
                    self.changed = True
                    self._show(keep if keep is not None else getattr(result, "id", None))

        self.app.push_screen(PromptModal(title), done)

    def action_new(self) -> None:
        app = app_of(self)
        if self.anchor is None:
            self._ask(t("review_ui.new_comment"), lambda text: app.wb.review.comment("project", None, text))
        else:
            kind, ref, _guid = self.anchor
            self._ask(t("review_ui.new_comment"), lambda text: app.wb.review.comment(kind, ref, text))

    def action_reply(self) -> None:
        app = app_of(self)
        comment = self._current()
        if comment is not None:
            self._ask(t("review_ui.reply_to", author=comment.author),
                      lambda text: app.wb.review.reply(comment.id, text), keep=comment.id)

    def action_resolve(self) -> None:
        app = app_of(self)
        comment = self._current()
        if comment is None:
            return
        resolved = comment.status != "resolved"
        ok, _ = app.run_command(lambda: app.wb.review.resolve(comment.id, resolved))
        if ok:
            self.changed = True
            self._show(comment.id)

    def action_close(self) -> None:
        self.dismiss(self.changed)
