"""The side panel of the coding screen: the codebook (filter, tree, the highlighted code's
details) and the codes under the cursor.

It edits the codebook (rename, colour, describe, nest, merge) and lists a code's extracts.
The screen keeps the keys (their ids are the screen's, so F1 and the command palette list
them) and calls the panel's methods; the panel talks back with messages:
:class:`CodebookPanel.Edited` after a change and :class:`CodebookPanel.ExtractChosen`
when the user picks an extract to go to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static, Tree

from workbench.i18n import t
from workbench.domain.codebook import PALETTE
from workbench.services.codes import CodeView
from workbench.tui.widgets.modals import PromptModal, TextModal
from workbench.tui.widgets.picker import Choice, FuzzyPicker, Pick

from ..base import app_of
from .codebook_tree import CodebookTree
from .codings_panel import CodingsPanel
from .extracts import ExtractsScreen

if TYPE_CHECKING:
    from workbench.services.extracts import ExtractView


def code_choices(codes: Iterable[CodeView], *, recent: int | None = None,
                 exclude: set[int] | None = None) -> list[Choice]:
    """Codes to pick from: the ``recent`` one first, then the codebook's (Norwegian) order."""
    out = [c for c in codes if not exclude or c.id not in exclude]
    if recent is not None:
        out.sort(key=lambda c: c.id != recent)
    return [Choice(c.id, c.label, c.colour, str(c.codings)) for c in out]


class CodebookPanel(Vertical):
    """The codebook beside the transcript, and the codes under the cursor."""

    DEFAULT_CSS = """
    CodebookPanel {
        width: 44;
        border-left: solid $panel-lighten-2;
    }
    CodebookPanel .side-title {
        text-style: bold;
        background: $panel;
        padding: 0 1;
        width: 1fr;
    }
    CodebookPanel #codebook {
        height: 2fr;
    }
    CodebookPanel #code-info {
        height: 4;
        color: $text-muted;
        padding: 0 1;
    }
    """

    class Edited(Message):
        """The codebook changed (the panel shows it already).

        ``codings``: codings moved to another code (a merge), so the transcript's codings
        must be re-read; ``merged``: (source, target) code ids of a merge; ``say``: what to
        tell the user on the message line.
        """

        def __init__(self, *, say: str = "", codings: bool = False,
                     merged: tuple[int, int] | None = None) -> None:
            super().__init__()
            self.say = say
            self.codings = codings
            self.merged = merged

    class ExtractChosen(Message):
        """Go to this extract (in its transcript)."""

        def __init__(self, extract: ExtractView) -> None:
            super().__init__()
            self.extract = extract

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.codes: dict[int, CodeView] = {}
        self._dirty: set[int] = set()
        self._info = ""  # what the highlighted code's details show

    def compose(self) -> ComposeResult:
        yield Static(t("coding_ui.codebook"), classes="side-title", markup=False)
        yield Input(id="code-filter", placeholder=t("coding_ui.filter_placeholder"), compact=True)
        yield CodebookTree(id="codebook")
        yield Static(id="code-info", markup=False)
        yield Static(t("coding_ui.under_cursor"), classes="side-title", markup=False)
        yield CodingsPanel(id="under-cursor")

    @property
    def tree(self) -> CodebookTree:
        return self.query_one("#codebook", CodebookTree)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#code-filter", Input)

    @property
    def under_cursor(self) -> CodingsPanel:
        return self.query_one("#under-cursor", CodingsPanel)

    # -- what the screen tells the panel ------------------------------------------------

    def set_codes(self, codes: Iterable[CodeView]) -> None:
        self.codes = {c.id: c for c in codes}
        self._dirty.clear()
        self.tree.set_codes(self.codes.values())
        self.update_info()

    def show_legend(self, legend: Content | None) -> None:
        """The codebook's title, with the coders' colours after it (team views) or not."""
        title = self.query(".side-title").first(Static)
        head = t("coding_ui.codebook")
        title.update(head if legend is None else Content.assemble(head, " ", legend),
                     layout=False)

    def colours(self) -> dict[int, str]:
        return {c.id: c.colour for c in self.codes.values()}

    def count_changed(self, code_id: int, delta: int) -> bool:
        """A coding of ``code_id`` was added (+1) or removed (-1); False for an unknown code.

        The tree shows the new count at the next :meth:`flush`.
        """
        code = self.codes.get(code_id)
        if code is None:
            return False
        code = replace(code, codings=max(0, code.codings + delta))
        self.codes[code_id] = code
        self.tree.codes[code_id] = code
        self._dirty.add(code_id)
        return True

    def flush(self) -> None:
        """Show the counts changed since the last flush, and the highlighted code."""
        dirty, self._dirty = self._dirty, set()
        for code_id in dirty:
            if code_id in self.codes:
                self.tree.update_code(self.codes[code_id])
        self.update_info()

    def reload_codes(self) -> None:
        self.set_codes(app_of(self).wb.codes.list())

    def follow(self, code_id: int) -> None:
        """Move the tree's cursor to the code under the transcript's cursor (unless the
        user is working in the tree)."""
        if self.screen.focused is not self.tree:
            self.tree.select_code(code_id)

    def choices(self, *, recent: int | None = None, exclude: set[int] | None = None
                ) -> list[Choice]:
        return code_choices(self.codes.values(), recent=recent, exclude=exclude)

    def update_info(self) -> None:
        code_id = self.tree.cursor_code_id
        code = self.codes.get(code_id) if code_id is not None else None
        text = ""
        if code is not None:
            head = t("coding_ui.code_info", name=code.name, count=code.codings,
                     origin=t(f"coding_ui.origin.{code.origin}"))
            text = f"{head}\n{code.description or t('coding_ui.no_description')}"
        if text != self._info:  # the same words: nothing to repaint
            self._info = text
            self.query_one("#code-info", Static).update(text, layout=False)

    def show_under_cursor(self, items: list[tuple[int, Content]]) -> None:
        self.under_cursor.set_items(items)

    # -- filtering --------------------------------------------------------------------

    @on(Input.Changed, "#code-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.tree.set_filter(event.value)

    @on(Input.Submitted, "#code-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.tree.focus()

    @on(Tree.NodeHighlighted, "#codebook")
    def _node_highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        self.update_info()

    # -- editing the highlighted code -------------------------------------------------

    def selected_code(self) -> CodeView | None:
        """The code under the tree's cursor, or None (explained to the user)."""
        code_id = self.tree.cursor_code_id
        code = self.codes.get(code_id) if code_id is not None else None
        if code is None:
            self.notify(t("coding_ui.msg.no_code"), severity="warning")
        return code

    def _run(self, fn):  # type: ignore[no-untyped-def]
        """Run a codebook command; its result, or None when it was refused."""
        return app_of(self).run_command(fn, origin=self.screen)[1]

    def rename(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        codes = app_of(self).wb.codes

        def done(name: str | None) -> None:
            if name is None or name == code.name:
                return
            result = self._run(lambda: codes.rename(code.id, name))
            if result is not None:
                self.reload_codes()
                self.tree.select_code(code.id)
                self.post_message(self.Edited(say=t("coding_ui.msg.renamed", name=result.name)))

        self.app.push_screen(
            PromptModal(t("coding_ui.rename.title", name=code.name), code.name,
                        hint=t("coding_ui.rename.hint"), select=True),
            done,
        )

    def recolour(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        codes = app_of(self).wb.codes
        choices = [Choice(i, t(f"coding_ui.colour.{c}"), c, c) for i, c in enumerate(PALETTE)]

        def done(pick: Pick | None) -> None:
            if pick is None:
                return
            colour = PALETTE[pick.id] if pick.id is not None else (pick.name or "")
            if self._run(lambda: codes.update(code.id, colour=colour)) is not None:
                self.reload_codes()
                self.post_message(self.Edited(say=t("coding_ui.msg.recoloured", name=code.name)))

        self.app.push_screen(
            FuzzyPicker(t("coding_ui.picker.title_colour", name=code.name), choices,
                        allow_new=True, new_label="coding_ui.picker.new_colour",
                        placeholder=t("coding_ui.picker.placeholder_colour")),
            done,
        )

    def describe(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        codes = app_of(self).wb.codes

        def done(text: str | None) -> None:
            if text is None:
                return
            if self._run(lambda: codes.update(code.id, description=text)) is not None:
                self.reload_codes()
                self.post_message(self.Edited(say=t("coding_ui.msg.described", name=code.name)))

        self.app.push_screen(
            TextModal(t("coding_ui.describe.title", name=code.name), code.description), done
        )

    def _descendants(self, code_id: int) -> set[int]:
        out = {code_id}
        changed = True
        while changed:
            changed = False
            for c in self.codes.values():
                if c.parent_id in out and c.id not in out:
                    out.add(c.id)
                    changed = True
        return out

    def nest(self, *, recent: int | None = None) -> None:
        code = self.selected_code()
        if code is None:
            return
        codes = app_of(self).wb.codes
        choices = [Choice(0, t("coding_ui.picker.top_level"))]
        choices += self.choices(recent=recent, exclude=self._descendants(code.id))

        def done(pick: Pick | None) -> None:
            if pick is None or pick.id is None:
                return
            parent_id = pick.id or None
            result = self._run(lambda: codes.move(code.id, parent_id))
            if result is None:
                return
            moved = replace(self.codes[code.id], parent_id=result.parent_id)
            self.codes[code.id] = moved
            self.tree.reparent(moved)
            if parent_id is None:
                say = t("coding_ui.msg.unnested", name=code.name)
            else:
                say = t("coding_ui.msg.nested", name=code.name, parent=self.codes[parent_id].name)
            self.post_message(self.Edited(say=say))

        self.app.push_screen(
            FuzzyPicker(t("coding_ui.picker.title_nest", name=code.name), choices), done
        )

    def merge(self, *, recent: int | None = None) -> None:
        code = self.selected_code()
        if code is None:
            return
        codes = app_of(self).wb.codes

        def done(pick: Pick | None) -> None:
            if pick is None or pick.id is None:
                return
            target_id = pick.id
            result = self._run(lambda: codes.merge(code.id, target_id))
            if result is None:
                return
            self.reload_codes()
            self.tree.select_code(result.id)
            self.notify(t("coding_ui.msg.merged", source=code.name, target=result.name))
            self.post_message(self.Edited(codings=True, merged=(code.id, result.id)))

        self.app.push_screen(
            FuzzyPicker(t("coding_ui.picker.title_merge", name=code.name),
                        self.choices(recent=recent, exclude={code.id})),
            done,
        )

    def extracts(self) -> None:
        code = self.selected_code()
        if code is None:
            return

        def done(extract: ExtractView | None) -> None:
            if extract is not None:
                self.post_message(self.ExtractChosen(extract))

        self.app.push_screen(ExtractsScreen(code.id, code.name), done)
