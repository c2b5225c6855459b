"""All extracts of a code across transcripts; Enter jumps to one in its transcript."""

from __future__ import annotations

from typing import ClassVar

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.i18n import UserError, t
from workbench.tui.messages import ExtractsLoaded
from workbench.tui.widgets.modals import Modal, close_binding

from ..base import app_of

if TYPE_CHECKING:
    from workbench.services.extracts import ExtractView

EXCERPT = 400


def _prompt(x: ExtractView) -> Content:
    who = x.speaker or t("coding_ui.extracts.no_speaker")
    if x.role:
        who = f"{who} ({t(f'coding_ui.role.{x.role}')})"
    text = " ".join(x.text.split())
    if len(text) > EXCERPT:
        text = text[: EXCERPT - 1] + "…"
    parts: list[Content | str | tuple[str, str]] = [
        (f"{x.transcript_name} · {who}", "bold"), "\n", f"«{text}»",
    ]
    if x.memo.strip():
        memo = " ".join(x.memo.split())
        parts += ["\n", (t("coding_ui.extracts.memo", memo=memo), "italic dim")]
    return Content.assemble(*parts)


class ExtractsScreen(Modal["ExtractView | None"]):
    """Lists a code's extracts (loaded in a thread worker)."""

    DEFAULT_CSS = """
    ExtractsScreen {
        align: center middle;
    }
    ExtractsScreen > #extracts-box {
        width: 110;
        max-width: 95%;
        height: 85%;
        border: thick $accent;
        background: $panel;
        padding: 0 1;
    }
    ExtractsScreen .extracts-title {
        text-style: bold;
    }
    ExtractsScreen .extracts-count, ExtractsScreen .extracts-hint {
        color: $text-muted;
    }
    ExtractsScreen #extracts-list {
        height: 1fr;
        border: none;
    }
    ExtractsScreen #extracts-list > .option-list--option {
        padding: 0 0 1 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        close_binding(),
    ]

    def __init__(self, code_id: int, code_name: str) -> None:
        super().__init__()
        self.code_id = code_id
        self.code_name = code_name
        self.extracts: list[ExtractView] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="extracts-box"):
            yield Static(
                t("coding_ui.extracts.title", name=self.code_name), classes="extracts-title",
                markup=False,
            )
            yield Static(t("coding_ui.extracts.loading"), id="extracts-count",
                         classes="extracts-count", markup=False)
            yield OptionList(id="extracts-list")
            yield Static(t("coding_ui.extracts.hint"), classes="extracts-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#extracts-list", OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="coding-extracts")
    def load(self) -> None:
        try:
            extracts = app_of(self).wb.extracts.for_code(self.code_id, include_children=True)
        except UserError as exc:
            self.post_message(ExtractsLoaded(None, exc.message()))
            return
        self.post_message(ExtractsLoaded(extracts))

    def on_extracts_loaded(self, message: ExtractsLoaded) -> None:
        count = self.query_one("#extracts-count", Static)
        if message.extracts is None:
            count.update(message.error or "")
            return
        self.extracts = message.extracts
        option_list = self.query_one("#extracts-list", OptionList)
        option_list.clear_options()
        if not self.extracts:
            count.update(t("coding_ui.extracts.empty"))
            return
        count.update(t("coding_ui.extracts.count", count=len(self.extracts)))
        option_list.add_options(
            Option(_prompt(x), id=str(i)) for i, x in enumerate(self.extracts)
        )
        option_list.highlighted = 0

    @on(OptionList.OptionSelected, "#extracts-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.extracts[int(event.option.id)])
