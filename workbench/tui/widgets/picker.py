"""A fuzzy picker: type to filter a list, Enter to choose, or create from a new name.

The best existing match is highlighted first, so Enter never makes a new thing by
accident: the «+ new» row comes after the best match (first only when nothing matches),
ctrl+n creates from the typed name at once, and an exact match (by name key) is never
offered as new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.style import Style
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workbench.domain.model import name_key
from workbench.i18n import t

from .modals import Modal, cancel_binding

NEW = "new"
_MATCH_STYLE = Style(bold=True, underline=True)


@dataclass(frozen=True)
class Choice:
    """One thing to choose: an id with a label, optionally a colour swatch and a detail."""

    id: int
    label: str
    colour: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Pick:
    """What the picker returns: an existing choice's id, or a new name typed by the user."""

    id: int | None = None
    name: str | None = None


def _prompt(choice: Choice, matcher: Matcher | None) -> Content:
    parts: list[Content | str | tuple[str, str]] = []
    if choice.colour:
        parts.append(("■ ", choice.colour))
    parts.append(matcher.highlight(choice.label) if matcher else Content(choice.label))
    if choice.detail:
        parts.append(("  " + choice.detail, "dim"))
    return Content.assemble(*parts)


class FuzzyPicker(Modal[Pick | None]):
    """Filter ``choices`` by fuzzy match; with ``allow_new`` a typed name can be returned."""

    DEFAULT_CSS = """
    FuzzyPicker {
        align: center middle;
    }
    FuzzyPicker > #picker-box {
        width: 80;
        max-width: 95%;
        height: auto;
        max-height: 85%;
        border: thick $accent;
        background: $panel;
        padding: 0 1;
    }
    FuzzyPicker .picker-title {
        text-style: bold;
        margin-bottom: 1;
    }
    FuzzyPicker .picker-subtitle {
        color: $text-muted;
        margin-bottom: 1;
    }
    FuzzyPicker #picker-options {
        height: auto;
        max-height: 20;
        border: none;
    }
    FuzzyPicker .picker-hint {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        cancel_binding(),
        Binding("down", "cursor(1)", show=False, id="picker.down"),
        Binding("up", "cursor(-1)", show=False, id="picker.up"),
        Binding("ctrl+n", "create", show=False, id="picker.create"),
    ]

    def __init__(
        self, title: str, choices: list[Choice], *, allow_new: bool = False,
        new_label: str = "coding_ui.picker.new", placeholder: str | None = None,
        subtitle: str | None = None, initial: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.allow_new = allow_new
        self.new_label = new_label
        self.placeholder = placeholder or t(
            "coding_ui.picker.placeholder" if allow_new else "coding_ui.picker.placeholder_choose"
        )
        self.subtitle = subtitle
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(self.title_text, classes="picker-title", markup=False)
            if self.subtitle:
                yield Static(self.subtitle, classes="picker-subtitle", markup=False)
            yield Input(self.initial, placeholder=self.placeholder, id="picker-input")
            yield OptionList(id="picker-options")
            hint = "coding_ui.picker.hint_new" if self.allow_new else "coding_ui.picker.hint"
            yield Static(t(hint), classes="picker-hint", markup=False)

    def on_mount(self) -> None:
        self.refilter(self.initial)
        self.query_one("#picker-input", Input).focus()

    @property
    def options(self) -> OptionList:
        return self.query_one("#picker-options", OptionList)

    def refilter(self, query: str) -> None:
        query = query.strip()
        options: list[Option] = []
        if query:
            matcher = Matcher(query, match_style=_MATCH_STYLE)
            key = name_key(query)
            exact = [c for c in self.choices if name_key(c.label) == key]
            scored = [
                (score, c) for c in self.choices
                if c not in exact and (score := matcher.match(c.label)) > 0
            ]
            scored.sort(key=lambda pair: -pair[0])
            options += [Option(_prompt(c, matcher), id=str(c.id)) for c in exact]
            options += [Option(_prompt(c, matcher), id=str(c.id)) for _, c in scored]
            if self.allow_new and not exact:
                label = t(self.new_label, name=query)
                # after the best match: choosing to create is one deliberate step away
                options.insert(min(1, len(options)),
                               Option(Content.styled(label, "bold"), id=NEW))
        else:
            options = [Option(_prompt(c, None), id=str(c.id)) for c in self.choices]
        option_list = self.options
        option_list.clear_options()
        if options:
            option_list.add_options(options)
            option_list.highlighted = 0
        else:
            option_list.add_option(Option(t("coding_ui.picker.empty"), disabled=True))

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self.refilter(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option_list = self.options
        index = option_list.highlighted
        if index is None:
            return
        option = option_list.get_option_at_index(index)
        if not option.disabled:
            self._choose(option.id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id is None:
            return
        if option_id == NEW:
            self.dismiss(Pick(name=self.query_one("#picker-input", Input).value.strip()))
        else:
            self.dismiss(Pick(id=int(option_id)))

    def action_create(self) -> None:
        """Create from the typed name (ctrl+n); an exact match is chosen instead."""
        if not self.allow_new:
            return
        name = self.query_one("#picker-input", Input).value.strip()
        if not name:
            return
        key = name_key(name)
        for choice in self.choices:
            if name_key(choice.label) == key:
                self.dismiss(Pick(id=choice.id))
                return
        self.dismiss(Pick(name=name))

    def action_cursor(self, step: int) -> None:
        option_list = self.options
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()
