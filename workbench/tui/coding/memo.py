"""Small modals: a memo/description editor (TextArea) and a one-line name editor (Input)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from workbench.i18n import t

_BOX_CSS = """
    align: center middle;
}
#modal-box {
    width: 80;
    max-width: 95%;
    height: auto;
    max-height: 90%;
    border: thick $accent;
    background: $panel;
    padding: 0 1;
}
#modal-box .modal-title {
    text-style: bold;
    margin-bottom: 1;
}
#modal-box .modal-hint {
    color: $text-muted;
}
"""


class TextModal(ModalScreen[str | None]):
    """Edit a longer text (a coding's memo, a code's description); ctrl+s saves."""

    DEFAULT_CSS = "TextModal {" + _BOX_CSS + """
    TextModal #modal-text {
        height: 12;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("coding_ui.key.save"), id="memo.save"),
        Binding("escape", "cancel", t("coding_ui.key.cancel"), id="memo.cancel"),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="modal-box"):
            yield Static(self.title_text, classes="modal-title", markup=False)
            yield TextArea(self.text, id="modal-text", soft_wrap=True)
            yield Static(t("coding_ui.memo.hint"), classes="modal-hint", markup=False)

    def on_mount(self) -> None:
        area = self.query_one("#modal-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#modal-text", TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NameModal(ModalScreen[str | None]):
    """Edit a one-line name; Enter saves."""

    DEFAULT_CSS = "NameModal {" + _BOX_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", t("coding_ui.key.cancel"), id="rename.cancel"),
    ]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="modal-box"):
            yield Static(self.title_text, classes="modal-title", markup=False)
            yield Input(self.value, id="modal-input")
            yield Static(t("coding_ui.rename.hint"), classes="modal-hint", markup=False)

    def on_mount(self) -> None:
        field = self.query_one("#modal-input", Input)
        field.focus()
        field.select_all()  # typing replaces the old name; arrow keys keep it

    @on(Input.Submitted, "#modal-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
