"""Reviewing one theme (phase 4): its extracts by focus group with who said them, and the
theme × group and theme × informant matrices that show thin themes.

The extracts and matrices are read in a thread worker (a theme can have hundreds of
extracts); the screen shows "loading" until they arrive, and reads them again after every
change (``DataChanged``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from workbench.i18n import UserError, t
from workbench.services.themes import walk
from workbench.tui.messages import DataChanged, ThemeReviewGone, ThemeReviewLoaded
from workbench.tui.widgets.modals import ChoiceModal, PromptModal
from workbench.tui.widgets.palette import InPalette

from ..base import ProjectScreen
from .common import phase_label, status_name
from .modals import CommentsModal

MAX_EXTRACT = 500  # characters of an extract shown in the list

REVIEW_ACTIONS = frozenset({"comment", "comment_theme", "comments", "back"})


def attribution(x: Any) -> str:
    """«Leder 3 (sykepleier, Ledere)» – the speaker as the program shows them."""
    if x.speaker is None:
        return t("review_ui.unattributed")
    if x.role and x.role != "informant":
        return f"{x.speaker} ({t('role.' + x.role)})"
    parts = [p for p in (x.profession, x.group) if p]
    return f"{x.speaker} ({', '.join(parts)})" if parts else x.speaker


class ThemeReviewScreen(InPalette, ProjectScreen[None]):
    PALETTE_GROUP = "tui.palette.theme_review"

    DEFAULT_CSS = """
    ThemeReviewScreen #review-head { padding: 0 1; height: auto; max-height: 8; }
    ThemeReviewScreen #review-banner { background: $warning 20%; padding: 0 1; height: auto; }
    ThemeReviewScreen #review-body { height: 1fr; }
    ThemeReviewScreen #extracts { width: 3fr; height: 100%; max-height: 100%; border: round $primary; }
    ThemeReviewScreen #matrices { width: 2fr; }
    ThemeReviewScreen #by-group { height: 1fr; border: round $secondary; }
    ThemeReviewScreen #by-informant { height: 1fr; border: round $secondary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quote", t("review_ui.key.quote"), id="review.quote"),
        Binding("m", "move", t("review_ui.key.move"), id="review.move"),
        Binding("r", "recode", t("review_ui.key.recode"), id="review.recode"),
        Binding("c", "comment", t("review_ui.key.comment"), id="review.comment"),
        Binding("C", "comment_theme", t("review_ui.key.comment_theme"), id="review.comment_theme", show=False),
        Binding("o", "comments", t("review_ui.key.comments"), id="review.comments", show=False),
        Binding("escape", "back", t("themes_ui.key.back"), id="review.back"),
    ]

    def __init__(self, theme_id: int) -> None:
        super().__init__()
        self.theme_id = theme_id
        self.loaded: ThemeReviewLoaded | None = None
        self._keep: int | None = None  # coding id to keep highlighted after a reload
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-banner")
        yield Static(t("review_ui.loading"), id="review-head")
        with Horizontal(id="review-body"):
            yield OptionList(id="extracts")
            with Vertical(id="matrices"):
                yield DataTable(id="by-group", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="by-informant", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        app = self.workbench_app
        banner = self.query_one("#review-banner", Static)
        banner.update(t("review_ui.banner", actor=app.wb.store.actor))
        banner.display = app.review
        self.query_one("#extracts", OptionList).border_title = t("review_ui.extracts")
        self.query_one("#by-group", DataTable).border_title = t("review_ui.by_group")
        self.query_one("#by-informant", DataTable).border_title = t("review_ui.by_informant")
        self.query_one("#extracts", OptionList).focus()
        self.load()

    # -- loading ---------------------------------------------------------------------------

    def reload(self, change: DataChanged | None) -> None:
        self.load()

    def load(self) -> None:
        """Read the theme's extracts and the matrices again (in a thread worker)."""
        self._generation += 1
        self._read(self._generation)

    @work(thread=True, exclusive=True, group="theme-review")
    def _read(self, generation: int) -> None:
        wb = self.wb
        try:
            loaded = ThemeReviewLoaded(
                wb.metrics.extracts(self.theme_id), wb.metrics.matrix("group"),
                wb.metrics.matrix("informant"), wb.themes.tree(), wb.phases.current(),
                generation=generation,
            )
        except UserError as exc:  # the theme is gone (undo of its creation, a merge)
            self.post_message(ThemeReviewGone(exc.message()))
            return
        self.post_message(loaded)

    def on_theme_review_gone(self, message: ThemeReviewGone) -> None:
        self.notify(message.error, severity="warning")
        if self.app.screen is self:
            self.action_back()

    def on_theme_review_loaded(self, loaded: ThemeReviewLoaded) -> None:
        if loaded.generation != self._generation:
            return  # a newer read is on its way
        self.loaded = loaded
        self.workbench_app.sub_title = phase_label(loaded.phase)
        review = loaded.review
        head = Text()
        head.append(review.name, style="bold")
        head.append(f"  [{status_name(review.status)}]", style="dim")
        st = review.stats
        head.append("\n" + t("review_ui.stats", extracts=st.extracts, informants=st.informants,
                             groups=", ".join(st.group_names) or "–", quotes=st.quotes), style="dim")
        if st.thin:
            head.append("  " + t("themes_ui.thin_flag"), style="yellow")
        head.append("\n" + (review.definition or t("themes_ui.no_definition")),
                    style="" if review.definition else "dim italic")
        self.query_one("#review-head", Static).update(head)
        self._fill_extracts()
        self._fill_matrix("#by-group", loaded.by_group)
        self._fill_matrix("#by-informant", loaded.by_informant)

    def _fill_extracts(self) -> None:
        assert self.loaded is not None
        options = self.query_one("#extracts", OptionList)
        keep = self._keep if self._keep is not None else self._current_id()
        self._keep = None
        options.clear_options()
        index = None
        for group in self.loaded.review.groups:
            title = group.transcript_name + (f" · {group.group}" if group.group else "")
            options.add_option(Option(Text(title, style="bold reverse"), disabled=True))
            for x in group.extracts:
                text = Text()
                body = " ".join(x.text.split())
                if len(body) > MAX_EXTRACT:
                    body = body[: MAX_EXTRACT - 1] + "…"
                if x.is_quote:
                    text.append("★ ", style="bold yellow")
                text.append(f"«{body}»\n")
                text.append("  — " + attribution(x), style="italic")
                text.append(f" · {x.code_name}", style="dim")
                if x.theme_id != self.theme_id:
                    text.append(f" · {x.theme_name}", style="dim")
                if x.open_comments:
                    text.append(f"  ⚑{x.open_comments}", style="bold magenta")
                if x.coding_id == keep:
                    index = options.option_count
                options.add_option(Option(text, id=str(x.coding_id)))
        if not self.loaded.review.groups:
            options.add_option(Option(Text(t("review_ui.no_extracts"), style="dim"), disabled=True))
        elif index is not None:
            options.highlighted = index
        else:
            options.highlighted = 1

    def _fill_matrix(self, selector: str, matrix: Any) -> None:
        table = self.query_one(selector, DataTable)
        table.clear(columns=True)
        table.add_column(t("review_ui.col.theme"), key="theme")
        for i, name in enumerate(matrix.columns):
            table.add_column(name, key=f"c{i}")
        table.add_column(t("review_ui.col.total"), key="total")
        focus_row = None
        for n, row in enumerate(matrix.rows):
            label = Text("  " * row.depth + row.name, style="bold" if row.theme_id == self.theme_id else "")
            if row.thin:
                label.append(" ⚠", style="yellow")
            cells: list[Any] = [label]
            for cell in row.cells:
                if matrix.by == "group":
                    cells.append(f"{cell.extracts}/{cell.informants}" if cell.extracts else "–")
                else:
                    cells.append(str(cell.extracts) if cell.extracts else "·")
            cells.append(f"{row.total.extracts}/{row.total.informants}")
            table.add_row(*cells, key=str(row.theme_id))
            if row.theme_id == self.theme_id:
                focus_row = n
        if focus_row is not None:
            table.move_cursor(row=focus_row)

    # -- the highlighted extract -----------------------------------------------------------

    def _current_id(self) -> int | None:
        options = self.query_one("#extracts", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        option = options.get_option_at_index(options.highlighted)
        return int(option.id) if option.id else None

    def _current(self) -> Any | None:
        coding_id = self._current_id()
        if coding_id is None or self.loaded is None:
            self.notify(t("review_ui.msg.choose_extract"), severity="warning")
            return None
        return next((x for x in self.loaded.review.all if x.coding_id == coding_id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app = self.workbench_app
        if app.wb.readonly and action not in {"comments", "back"}:
            return False
        if app.review and action not in REVIEW_ACTIONS:
            return False
        return True

    def _run(self, fn: Callable[[], Any], done: str | None = None, *,
             keep: int | None = None) -> bool:
        """Run one command; the DataChanged that follows reads the theme again, with the
        extract ``keep`` (a coding id) highlighted."""
        ok, _ = self.workbench_app.run_command(fn, done=done, origin=self)
        if ok:
            self._keep = keep
        return ok

    # -- actions ---------------------------------------------------------------------------

    def action_quote(self) -> None:
        app = self.workbench_app
        x = self._current()
        if x is None:
            return
        done = t("review_ui.msg.quoted" if not x.is_quote else "review_ui.msg.unquoted")
        self._run(lambda: app.wb.codes.set_quote(x.coding_id, not x.is_quote), done,
                  keep=x.coding_id)

    def action_move(self) -> None:
        """Move the extract to another theme: recode it to a code of that theme."""
        app = self.workbench_app
        x = self._current()
        if x is None or self.loaded is None:
            return
        options = [
            (str(th.id), "    " * depth + th.name)
            for th, depth in walk(self.loaded.tree) if th.id != self.theme_id
        ]
        if not options:
            self.notify(t("themes_ui.msg.no_other_theme"), severity="warning")
            return

        def to_code(theme_id: int, code_id: int) -> None:
            self._run(lambda: app.wb.themes.move_extract(x.coding_id, theme_id, code_id),
                      t("review_ui.msg.moved"))

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            theme_id = int(choice)
            theme = next(th for th, _ in walk(self.loaded.tree) if th.id == theme_id)  # type: ignore[union-attr]
            under = [c for th, _ in theme.walk() for c in th.code_ids]
            under = list(dict.fromkeys(under))
            if len(under) == 1:
                to_code(theme_id, under[0])
            elif not under:
                self.notify(t("themes.error.no_code_in_theme", theme=theme.name), severity="error")
            else:
                names = {c.id: c.name for c in app.wb.codes.list()}
                self.app.push_screen(
                    ChoiceModal(t("review_ui.move_code_title", name=theme.name),
                                [(str(c), names.get(c, str(c))) for c in under]),
                    lambda code: to_code(theme_id, int(code)) if code else None,
                )

        self.app.push_screen(ChoiceModal(t("review_ui.move_title"), options), chosen)

    def action_recode(self) -> None:
        app = self.workbench_app
        x = self._current()
        if x is None:
            return
        codes = [(str(c.id), c.name) for c in app.wb.codes.list() if c.id != x.code_id]

        def done(choice: str | None) -> None:
            if choice:
                self._run(lambda: app.wb.codes.recode(x.coding_id, int(choice)),
                          t("review_ui.msg.recoded"), keep=x.coding_id)

        self.app.push_screen(ChoiceModal(t("review_ui.recode_title", code=x.code_name), codes), done)

    def action_comment(self) -> None:
        app = self.workbench_app
        x = self._current()
        if x is None:
            return

        def done(text: str | None) -> None:
            if text:
                self._run(lambda: app.wb.review.comment("coding", x.coding_id, text),
                          t("review_ui.msg.commented"), keep=x.coding_id)

        self.app.push_screen(PromptModal(t("review_ui.comment_extract", who=attribution(x))), done)

    def action_comment_theme(self) -> None:
        app = self.workbench_app
        name = self.loaded.review.name if self.loaded else ""

        def done(text: str | None) -> None:
            if text:
                self._run(lambda: app.wb.review.comment("theme", self.theme_id, text),
                          t("review_ui.msg.commented"))

        self.app.push_screen(PromptModal(t("review_ui.comment_on", name=name)), done)

    def action_comments(self) -> None:
        x = self._current()
        if x is None:
            return
        modal = CommentsModal(
            t("review_ui.comments_on", name=attribution(x)), ("coding", x.coding_id, x.coding_guid)
        )

        def done(changed: bool | None) -> None:
            if changed:  # this screen re-reads when it is shown again: keep the extract
                self._keep = x.coding_id

        self.app.push_screen(modal, done)

    def action_back(self) -> None:
        self.app.pop_screen()
