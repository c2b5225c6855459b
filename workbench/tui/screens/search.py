"""Search across all transcripts (lemma-aware), keyword in context, and autocoding with review.

The search screen lists the word forms found with their counts (ambiguous ones marked);
unticking a form leaves it out. The filter bar says which roles are left out (moderators by
default) and has the switch that brings them in. Hits are shown one page at a time; the
counts cover every hit.

Autocoding never codes straight away: :class:`AutocodeReviewScreen` shows every hit as it
will be coded (the hit, its sentence or its turn), grouped by transcript and speaker. Space
accepts or rejects one hit, ``f`` every hit of that form, Enter codes the accepted ones as
one undoable command.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from workbench.i18n import UserError, t
from workbench.services.search import FormCount, Hit, Preview, SearchFilter, SearchResult
from workbench.tui.messages import AutocodeDone, AutocodeFailed, SearchFailed
from workbench.tui.widgets.modals import ChoiceModal, PromptModal

from .base import app_of

PAGE = 200
LEAD = 30  # characters of a long unit shown before the hit in the review


class SearchPage(Message, bubble=False):
    """A page of search results (``refined``: the page just posted again, now with the
    forms' readings)."""

    def __init__(self, filters: SearchFilter, result: SearchResult, refined: bool = False) -> None:
        super().__init__()
        self.filters = filters
        self.result = result
        self.refined = refined


class PreviewReady(Message, bubble=False):
    def __init__(self, previews: list[Preview]) -> None:
        super().__init__()
        self.previews = previews


def form_label(form: FormCount) -> str:
    """``brukerne 33`` or ``bruker 12 · tvetydig: substantivet bruker, verbet bruke``."""
    label = f"{form.form} {form.count}"
    if form.ambiguous:
        readings = ", ".join(t(f"search.pos.{pos}", lemma=lemma) for pos, lemma in form.readings)
        label += " · " + t("search.ambiguous", readings=readings)
    return label


def left_out_text(result: SearchResult | None, filters: SearchFilter) -> str:
    roles = filters.left_out_roles
    if not roles:
        return t("search_ui.all_roles_in")
    names = ", ".join(t(f"search.role.{r}") for r in roles)
    n = result.left_out if result is not None else 0
    return t("search_ui.left_out", roles=names, n=n)


class SearchScreen(Screen[None]):
    DEFAULT_CSS = """
    SearchScreen #search-body { padding: 0 1; }
    SearchScreen #search-row { height: auto; }
    SearchScreen #query { width: 3fr; }
    SearchScreen #search-row Input { width: 1fr; }
    SearchScreen #filter-bar { height: auto; }
    SearchScreen #all-roles { width: auto; }
    SearchScreen #left-out { width: 1fr; padding: 1 1 0 1; color: $text-muted; }
    SearchScreen #results { height: 1fr; }
    SearchScreen #forms { width: 24; height: 1fr; }
    SearchScreen #hits { width: 1fr; height: 1fr; }
    SearchScreen #summary { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("tui.key.close"), id="search.close"),
        Binding("ctrl+a", "autocode", t("search_ui.key.autocode"), id="search.autocode"),
        Binding("ctrl+t", "code_turns", t("search_ui.key.code_turns"), id="search.code_turns"),
        Binding("ctrl+l", "focus_query", t("search_ui.key.query"), id="search.focus_query"),
        Binding("ctrl+r", "toggle_roles", t("search_ui.key.all_roles"), id="search.all_roles"),
        Binding("pagedown", "page(1)", t("search_ui.key.next_page"), show=False,
                id="search.next_page"),
        Binding("pageup", "page(-1)", t("search_ui.key.prev_page"), show=False,
                id="search.prev_page"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.hits: list[Hit] = []
        self.result: SearchResult | None = None
        self.last_query = ""
        self.last_filter = SearchFilter()
        self.excluded: set[str] = set()
        self.page_offset = 0
        self._filling_forms = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-body"):
            with Horizontal(id="search-row"):
                yield Input(self.initial, placeholder=t("search_ui.placeholder"), id="query")
                yield Input(placeholder=t("search_ui.group"), id="f-group")
                yield Input(placeholder=t("search_ui.speaker"), id="f-speaker")
                yield Input(placeholder=t("search_ui.role"), id="f-role")
                yield Input(placeholder=t("search_ui.code"), id="f-code")
            with Horizontal(id="filter-bar"):
                yield Checkbox(t("search_ui.all_roles"), id="all-roles")
                yield Static(left_out_text(None, SearchFilter()), id="left-out")
            yield Static(t("search_ui.syntax"), id="summary")
            with Horizontal(id="results"):
                yield SelectionList[str](id="forms")
                yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#hits", DataTable)
        table.add_columns(
            t("search_ui.col.transcript"), t("search_ui.col.speaker"), t("search_ui.col.left"),
            t("search_ui.col.match"), t("search_ui.col.right"),
        )
        self.query_one("#forms", SelectionList).border_title = t("search_ui.forms")
        self.query_one("#query", Input).focus()
        if self.initial:
            self.run_search()

    def _filter(self) -> SearchFilter:
        def value(widget_id: str) -> str | None:
            return self.query_one(widget_id, Input).value.strip() or None

        role = value("#f-role")
        roles = {"moderator": "moderator", "ko-moderator": "co-moderator",
                 "co-moderator": "co-moderator", "informant": "informant"}
        return SearchFilter(
            group=value("#f-group"), speaker=value("#f-speaker"),
            role=roles.get(role.lower(), role) if role else None, code=value("#f-code"),
            all_roles=self.query_one("#all-roles", Checkbox).value,
            exclude_forms=frozenset(self.excluded),
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.excluded.clear()  # a new query starts with every form in
        self.run_search()

    def run_search(self, offset: int = 0) -> None:
        query = self.query_one("#query", Input).value.strip()
        if not query:
            self.notify(t("search.error.empty"), severity="warning")
            return
        self.page_offset = offset
        self.query_one("#summary", Static).update(t("search_ui.searching", query=query))
        self._search(query, self._filter(), offset)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, filters: SearchFilter, offset: int) -> None:
        from workbench.nlp import homographs

        service = app_of(self).wb.search
        try:
            result = service.find(query, filters, offset=offset, size=PAGE,
                                  readings=homographs.loaded())
        except UserError as exc:
            self.post_message(SearchFailed(exc.message()))
            return
        had_readings = homographs.loaded()
        self.post_message(SearchPage(filters, result))
        if not had_readings:
            self.post_message(SearchPage(filters, service.with_readings(result), refined=True))

    def on_search_failed(self, message: SearchFailed) -> None:
        self.query_one("#summary", Static).update(message.error)
        self.notify(message.error, severity="error")

    def on_search_page(self, message: SearchPage) -> None:
        result, filters = message.result, message.filters
        if message.refined and (self.result is None or self.result.hits != result.hits
                                or self.last_filter != filters):
            return  # a newer search came in between
        self.result, self.hits = result, result.hits
        self.last_query, self.last_filter = result.query, filters
        self._fill_forms(result.forms)
        if not message.refined:
            table = self.query_one("#hits", DataTable)
            table.clear()
            # Keep the hit itself in view on a narrow screen: names and context shrink.
            width = self.size.width
            name_w, speaker_w = (20, 14) if width >= 120 else (10, 9)
            context = max(8, min(40, (width - 26 - name_w - speaker_w - 12 - 10) // 2))
            for i, h in enumerate(result.hits):
                table.add_row(Text(h.transcript[:name_w]), Text((h.speaker or "–")[:speaker_w]),
                              Text(h.left[-context:].rjust(context)), Text(h.match),
                              Text(h.right[:context]), key=str(i))
            if result.hits and not self.query_one("#forms", SelectionList).has_focus:
                table.focus()
        self.query_one("#left-out", Static).update(left_out_text(result, filters))
        self.query_one("#summary", Static).update(self._summary(result))

    def _summary(self, result: SearchResult) -> str:
        if not result.total:
            return t("search.no_hits", query=result.query)
        text = t("search.count", n=result.total, transcripts=result.transcripts)
        if result.total > len(result.hits):
            text += " " + t("search_ui.page", first=result.offset + 1,
                            last=result.offset + len(result.hits), n=result.total)
        return text

    def _fill_forms(self, forms: list[FormCount]) -> None:
        listing = self.query_one("#forms", SelectionList)
        highlighted = listing.highlighted
        self._filling_forms = True
        try:
            listing.clear_options()
            listing.add_options(
                [Selection(form_label(f), f.form, not f.excluded) for f in forms]
            )
        finally:
            self._filling_forms = False
        if highlighted is not None and highlighted < len(forms):
            listing.highlighted = highlighted

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        if self._filling_forms or self.result is None:
            return
        listing = self.query_one("#forms", SelectionList)
        chosen = set(listing.selected)
        excluded = {f.form for f in self.result.forms if f.form not in chosen}
        if excluded == self.excluded:
            return  # the list was (re)filled, not changed by the user
        self.excluded = excluded
        self.run_search()

    def on_selection_list_selection_highlighted(
        self, event: SelectionList.SelectionHighlighted
    ) -> None:
        """The highlighted form in full in the summary line (the list is narrow)."""
        event.stop()
        if self.result is None or event.selection_index >= len(self.result.forms):
            return
        form = self.result.forms[event.selection_index]
        self.query_one("#summary", Static).update(
            self._summary(self.result) + " " + form_label(form)
        )

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.query_one("#left-out", Static).update(left_out_text(None, self._filter()))
        if self.query_one("#query", Input).value.strip():
            self.run_search()

    def action_toggle_roles(self) -> None:
        box = self.query_one("#all-roles", Checkbox)
        box.value = not box.value

    def action_page(self, step: int) -> None:
        if self.result is None:
            return
        offset = self.page_offset + step * PAGE
        if 0 <= offset < self.result.total:
            self.run_search(offset)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a hit opens the transcript there, with the hit selected."""
        event.stop()
        hit = self.hits[event.cursor_row]
        from .coding import CodingScreen

        self.app.push_screen(CodingScreen(hit.transcript_id, select=(hit.start, hit.end)))

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        from .base import explain_refused_key

        explain_refused_key(self, event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("autocode", "code_turns") and not app_of(self).wb.editable:
            return False
        return True

    def action_autocode(self) -> None:
        if not self.hits:
            self.notify(t("search_ui.nothing_to_code"), severity="warning")
            return
        query, filters = self.last_query, self.last_filter

        def got_unit(unit: str | None) -> None:
            if unit is not None:
                self.app.push_screen(AutocodeReviewScreen(query, filters, unit))

        self.app.push_screen(
            ChoiceModal(t("search_ui.prompt.unit"), [
                ("hit", t("search_ui.unit.hit")), ("sentence", t("search_ui.unit.sentence")),
                ("turn", t("search_ui.unit.turn")),
            ]),
            got_unit,
        )

    def action_code_turns(self) -> None:
        filters = self._filter()
        if not filters.speaker and not filters.role:
            self.notify(t("search.error.turns_filter"), severity="warning")
            return

        def got_code(name: str | None) -> None:
            if not name:
                return
            app = app_of(self)
            ok, counts = app.run_command(lambda: app.wb.search.code_turns(
                code_name=name, speaker=filters.speaker, role=filters.role
            ), origin=self)
            if ok and counts is not None:
                added, existing = counts
                self.notify(t("search_ui.autocoded", added=added, existing=existing, code=name))

        self.app.push_screen(PromptModal(t("search_ui.prompt.code_turns")), got_code)


class AutocodeReviewScreen(Screen[None]):
    """Every hit as it will be coded, grouped by transcript and speaker; nothing is coded
    until Enter, and then only the accepted hits, as one undoable command."""

    DEFAULT_CSS = """
    AutocodeReviewScreen #review-body { padding: 0 1; }
    AutocodeReviewScreen #review-summary { height: auto; color: $text-muted; }
    AutocodeReviewScreen #review { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("tui.key.close"), id="review.close"),
        Binding("space", "toggle_hit", t("search_ui.key.toggle_hit"), id="review.toggle_hit"),
        Binding("f", "toggle_form", t("search_ui.key.toggle_form"), id="review.toggle_form"),
        Binding("enter", "code", t("search_ui.key.code_accepted"), priority=True,
                id="review.code"),
    ]

    def __init__(self, query: str, filters: SearchFilter, unit: str) -> None:
        super().__init__()
        self.query_text = query
        self.filters = filters
        self.unit = unit
        self.previews: list[Preview] = []
        self.accepted: list[bool] = []
        self.rows: list[int | None] = []  # table row → preview index (None: a heading)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review-body"):
            yield Static(t("search_ui.review.loading", query=self.query_text), id="review-summary")
            yield DataTable(id="review", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review", DataTable)
        table.add_columns("", t("search_ui.col.match"), t(f"search_ui.review.unit.{self.unit}"))
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="autocode-review")
    def _load(self) -> None:
        try:
            previews = app_of(self).wb.search.preview(
                self.query_text, unit=self.unit, filters=self.filters
            )
        except UserError as exc:
            self.post_message(AutocodeFailed(exc.message()))
            return
        self.post_message(PreviewReady(previews))

    def on_preview_ready(self, message: PreviewReady) -> None:
        self.previews = message.previews
        self.accepted = [True] * len(self.previews)
        table = self.query_one("#review", DataTable)
        table.clear()
        self.rows = []
        last: tuple[str, str] | None = None
        for i, p in enumerate(self.previews):
            where = (p.hit.transcript, p.hit.speaker or "–")
            if where != last:
                table.add_row("", "", Text(f"{where[0]} · {where[1]}", style="bold"),
                              key=f"h{i}")
                self.rows.append(None)
                last = where
            table.add_row(*self._cells(i), key=str(i))
            self.rows.append(i)
        if len(self.rows) > 1:
            table.move_cursor(row=1)
        self._summarise()

    def _cells(self, i: int) -> tuple[str, str, Text]:
        """Accepted mark, form, and the unit's text as it will be coded (hit highlighted)."""
        p = self.previews[i]
        start = p.hit.start - p.start
        end = p.hit.end - p.start
        text = p.text.replace("\n", " ")
        if 0 <= start <= end <= len(text) and start > LEAD:
            cut = text.rfind(" ", 0, start - LEAD) + 1  # keep the hit in view
            if cut > 0:
                text = "…" + text[cut:]
                start, end = start - cut + 1, end - cut + 1
        shown = Text(text)
        if 0 <= start <= end <= len(text):
            shown.stylize("reverse", start, end)
        return ("✓" if self.accepted[i] else "✗", p.form, shown)

    def _summarise(self) -> None:
        n = sum(self.accepted)
        self.query_one("#review-summary", Static).update(
            t("search_ui.review.summary", n=n, total=len(self.previews), query=self.query_text)
        )

    def _current(self) -> int | None:
        table = self.query_one("#review", DataTable)
        row = table.cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _refresh_row(self, i: int) -> None:
        table = self.query_one("#review", DataTable)
        table.update_cell(str(i), table.ordered_columns[0].key, self._cells(i)[0])

    def action_toggle_hit(self) -> None:
        i = self._current()
        if i is None:
            return
        self.accepted[i] = not self.accepted[i]
        self._refresh_row(i)
        self._summarise()
        table = self.query_one("#review", DataTable)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_toggle_form(self) -> None:
        i = self._current()
        if i is None:
            return
        form = self.previews[i].form
        value = not self.accepted[i]
        for k, p in enumerate(self.previews):
            if p.form == form:
                self.accepted[k] = value
                self._refresh_row(k)
        self._summarise()

    def action_code(self) -> None:
        chosen = [p for p, ok in zip(self.previews, self.accepted, strict=True) if ok]
        if not chosen:
            self.notify(t("search.error.nothing_accepted"), severity="warning")
            return

        def got_code(name: str | None) -> None:
            if name:
                self._code(chosen, name)

        self.app.push_screen(PromptModal(t("search_ui.prompt.code", n=len(chosen))), got_code)

    @work(thread=True, exclusive=True, group="autocode")
    def _code(self, chosen: list[Preview], name: str) -> None:
        try:
            added, existing = app_of(self).wb.search.code_previews(
                chosen, code_name=name, label=self.query_text, unit=self.unit
            )
        except UserError as exc:
            self.post_message(AutocodeFailed(exc.message()))
            return
        self.post_message(AutocodeDone(added, existing, name))

    def on_autocode_failed(self, message: AutocodeFailed) -> None:
        self.notify(message.error, severity="error")

    def on_autocode_done(self, message: AutocodeDone) -> None:
        app = app_of(self)
        app.notify(t("search_ui.autocoded", added=message.added, existing=message.existing,
                     code=message.code))
        app.announce("command", actor=app.wb.store.actor, origin=self)
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
