"""The modal family: every dialog of the app is a :class:`Modal` and shares its keys.

One set of binding ids for all of them, so a user remaps "save" once:

- ``modal.save`` (ctrl+s): save or confirm (a memo, a definition, ticked codes, a journal
  entry);
- ``modal.cancel`` (escape): leave without a result;
- ``modal.close`` (escape): close a dialog that only shows something.

Before this family the same keys had one id per dialog; :data:`RENAMED_BINDING_IDS` maps
those old ids to the new ones so a config file written for an older version keeps working.

Each modal returns its value through ``dismiss`` (``None`` when cancelled).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from workbench.i18n import t

T = TypeVar("T")


def save_binding(description: str | None = None, key: str = "ctrl+s") -> Binding:
    return Binding(key, "save", description or t("tui.key.save"), id="modal.save")


def cancel_binding(key: str = "escape") -> Binding:
    return Binding(key, "cancel", t("tui.key.cancel"), id="modal.cancel")


def close_binding(key: str = "escape") -> Binding:
    return Binding(key, "close", t("tui.key.close"), id="modal.close")


# Binding ids of the dialogs before they became one family -> the family's id.
RENAMED_BINDING_IDS = {
    "memo.save": "modal.save",
    "text.save": "modal.save",
    "journal.save": "modal.save",
    "choose.confirm": "modal.save",
    "memo.cancel": "modal.cancel",
    "text.cancel": "modal.cancel",
    "rename.cancel": "modal.cancel",
    "prompt.cancel": "modal.cancel",
    "choice.cancel": "modal.cancel",
    "choose.cancel": "modal.cancel",
    "picker.cancel": "modal.cancel",
    "goback.cancel": "modal.cancel",
    "import.choose.cancel": "modal.cancel",
    "help.close": "modal.close",
    "lines.close": "modal.close",
    "journal.close": "modal.close",
    "checklist.close": "modal.close",
    "comments.close": "modal.close",
    "extracts.close": "modal.close",
}


def upgrade_keymap(keys: dict[str, str]) -> dict[str, str]:
    """A keymap from the config file with old binding ids renamed (a new id, when both are
    given, wins)."""
    out = {RENAMED_BINDING_IDS.get(binding_id, binding_id): key
           for binding_id, key in keys.items() if binding_id in RENAMED_BINDING_IDS}
    out.update({binding_id: key for binding_id, key in keys.items()
                if binding_id not in RENAMED_BINDING_IDS})
    return out


class Modal(ModalScreen[T]):
    """A centred box on a dimmed screen: a bold title, the content, a muted hint.

    Subclasses compose a ``Vertical`` (the box) and may widen it in their own CSS.
    ``action_cancel`` and ``action_close`` dismiss without a result.
    """

    DEFAULT_CSS = """
    Modal { align: center middle; }
    Modal > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 90%;
        border: thick $accent; background: $panel; padding: 1 2;
    }
    Modal .title { text-style: bold; margin-bottom: 1; }
    Modal .hint { color: $text-muted; margin-top: 1; }
    Modal .error { color: $error; }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class TextModal(Modal[str | None]):
    """Edit a longer text (a memo, a description, a definition): ctrl+s saves."""

    DEFAULT_CSS = "TextModal #modal-text { height: 12; }"
    BINDINGS: ClassVar[list[BindingType]] = [save_binding(), cancel_binding()]

    def __init__(self, title: str, text: str = "", *, hint: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.hint = hint if hint is not None else t("tui.modal.text_hint")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            yield TextArea(self.text, id="modal-text", soft_wrap=True, show_line_numbers=False)
            yield Static(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        area = self.query_one("#modal-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#modal-text", TextArea).text)


class PromptModal(Modal[str | None]):
    """Ask for one line of text (a name, a comment). Enter confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [cancel_binding()]

    def __init__(self, title: str, value: str = "", *, hint: str = "", placeholder: str = "",
                 select: bool = False) -> None:
        """``select``: the value starts selected, so typing replaces it and arrow keys keep
        it."""
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.placeholder = placeholder
        self.select = select

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="modal-input")
            if self.hint:
                yield Static(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        field = self.query_one("#modal-input", Input)
        field.focus()
        if self.select:
            field.select_all()

    @on(Input.Submitted, "#modal-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)


class ChoiceModal(Modal[str | None]):
    """Pick one option (by id) from a list."""

    DEFAULT_CSS = "ChoiceModal OptionList { height: auto; max-height: 20; }"
    BINDINGS: ClassVar[list[BindingType]] = [cancel_binding()]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            yield OptionList(*(Option(label, id=key) for key, label in self.options))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


class MultiChoiceModal(Modal[list[int] | None]):
    """Tick options (space) and confirm with ctrl+s; returns the ticked ids."""

    DEFAULT_CSS = "MultiChoiceModal SelectionList { height: auto; max-height: 20; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        save_binding(t("tui.key.confirm")), cancel_binding(),
    ]

    def __init__(self, title: str, options: list[tuple[str, int]], *, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            yield SelectionList[int](*self.options, id="choices")
            if self.hint:
                yield Static(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_save(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))


class LinesModal(Modal[None]):
    """Read-only lines of text (a snapshot diff)."""

    DEFAULT_CSS = """
    LinesModal > Vertical { width: 100; }
    LinesModal VerticalScroll { height: auto; max-height: 30; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [close_binding("escape,q")]

    def __init__(self, title: str, lines: list[str], *, empty: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            with VerticalScroll():
                yield Static("\n".join(self.lines) if self.lines else self.empty, markup=False)
