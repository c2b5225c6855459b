"""Search across all transcripts (lemma-aware), keyword in context, and code all hits."""

from __future__ import annotations

from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from workbench.i18n import UserError, t
from workbench.services.search import Hit, SearchFilter
from workbench.tui.messages import AutocodeDone, AutocodeFailed, SearchDone, SearchFailed
from workbench.tui.widgets.modals import ChoiceModal, PromptModal

from .base import app_of


class SearchScreen(Screen[None]):
    DEFAULT_CSS = """
    SearchScreen #search-body { padding: 0 1; }
    SearchScreen #search-row { height: auto; }
    SearchScreen #query { width: 3fr; }
    SearchScreen #search-row Input { width: 1fr; }
    SearchScreen #hits { height: 1fr; }
    SearchScreen #summary { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("tui.key.close"), id="search.close"),
        Binding("ctrl+a", "autocode", t("search_ui.key.autocode"), id="search.autocode"),
        Binding("ctrl+t", "code_turns", t("search_ui.key.code_turns"), id="search.code_turns"),
        Binding("ctrl+l", "focus_query", t("search_ui.key.query"), id="search.focus_query"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.hits: list[Hit] = []
        self.last_query = ""
        self.last_filter = SearchFilter()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-body"):
            with Horizontal(id="search-row"):
                yield Input(self.initial, placeholder=t("search_ui.placeholder"), id="query")
                yield Input(placeholder=t("search_ui.group"), id="f-group")
                yield Input(placeholder=t("search_ui.speaker"), id="f-speaker")
                yield Input(placeholder=t("search_ui.role"), id="f-role")
                yield Input(placeholder=t("search_ui.code"), id="f-code")
            yield Static(t("search_ui.syntax"), id="summary")
            yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#hits", DataTable)
        table.add_columns(
            t("search_ui.col.transcript"), t("search_ui.col.speaker"), t("search_ui.col.left"),
            t("search_ui.col.match"), t("search_ui.col.right"),
        )
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
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search()

    def run_search(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        if not query:
            self.notify(t("search.error.empty"), severity="warning")
            return
        self.query_one("#summary", Static).update(t("search_ui.searching", query=query))
        self._search(query, self._filter())

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, filters: SearchFilter) -> None:
        try:
            hits = app_of(self).wb.search.search(query, filters)
        except UserError as exc:
            self.post_message(SearchFailed(exc.message()))
            return
        self.post_message(SearchDone(query, filters, hits))

    def on_search_failed(self, message: SearchFailed) -> None:
        self.query_one("#summary", Static).update(message.error)
        self.notify(message.error, severity="error")

    def on_search_done(self, message: SearchDone) -> None:
        query, filters, hits = message.query, message.filters, message.hits
        self.hits, self.last_query, self.last_filter = hits, query, filters
        table = self.query_one("#hits", DataTable)
        table.clear()
        for i, h in enumerate(hits):
            table.add_row(h.transcript, h.speaker or "–", h.left[-40:], h.match, h.right[:40],
                          key=str(i))
        summary = (t("search.count", n=len(hits), transcripts=len({h.transcript_id for h in hits}))
                   if hits else t("search.no_hits", query=query))
        self.query_one("#summary", Static).update(summary)
        if hits:
            table.focus()

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
            if unit is None:
                return

            def got_code(name: str | None) -> None:
                if name:
                    self._autocode(query, filters, unit, name)

            self.app.push_screen(PromptModal(t("search_ui.prompt.code", n=len(self.hits))), got_code)

        self.app.push_screen(
            ChoiceModal(t("search_ui.prompt.unit"), [
                ("hit", t("search_ui.unit.hit")), ("sentence", t("search_ui.unit.sentence")),
                ("turn", t("search_ui.unit.turn")),
            ]),
            got_unit,
        )

    @work(thread=True, exclusive=True, group="search")
    def _autocode(self, query: str, filters: SearchFilter, unit: str, name: str) -> None:
        try:
            added, existing = app_of(self).wb.search.autocode(
                query, code_name=name, unit=unit, filters=filters
            )
        except UserError as exc:
            self.post_message(AutocodeFailed(exc.message()))
            return
        self.post_message(AutocodeDone(added, existing, name))

    def on_autocode_failed(self, message: AutocodeFailed) -> None:
        self.notify(message.error, severity="error")

    def on_autocode_done(self, message: AutocodeDone) -> None:
        app = app_of(self)
        self.notify(t("search.autocoded", added=message.added, existing=message.existing,
                      code=message.code))
        app.announce("command", actor=app.wb.store.actor, origin=self)

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
                self.notify(t("search.autocoded", added=added, existing=existing, code=name))

        self.app.push_screen(PromptModal(t("search_ui.prompt.code_turns")), got_code)
