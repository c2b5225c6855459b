"""The project's members and their roles (researcher, co-coder, supervisor), and who codes
which transcript (assignments, blind double coding).

Everyone sees the list; only a researcher (or anyone, while the project has no members)
may add a member, change a role or remove one. Others are refused here with a clear
toast before any dialog opens; the store refuses the commands as well
(:mod:`workbench.storage.commands`). The row under the cursor is kept by the member's
GUID when the list is read again (a change from this or another process).

Below the members, the assignments: ``g`` gives a transcript its coders (blind or not),
``u`` unblinds one; above them the project's kind of thematic analysis, which ``t``
changes. All three are the researcher's, like the member list
(:mod:`workbench.services.assignments`).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from workbench.i18n import t
from workbench.services.members import RESEARCHER, ROLES, MemberView
from workbench.tui.messages import DataChanged
from workbench.tui.widgets.modals import ChoiceModal, MultiChoiceModal, PromptModal
from workbench.tui.widgets.picker import Choice, FuzzyPicker, Pick
from workbench.tui.widgets.palette import InPalette

from .base import ProjectScreen


def role_name(role: str) -> str:
    return t(f"members.role.{role}")


class MembersScreen(InPalette, ProjectScreen[None]):
    PALETTE_GROUP = "team_tui.members.group"
    DEFAULT_CSS = """
    MembersScreen #members-body { padding: 0 1; }
    MembersScreen #members-title { text-style: bold; height: auto; margin: 1 0 0 0; }
    MembersScreen #members { height: 1fr; }
    MembersScreen #assignments-title { text-style: bold; height: auto; }
    MembersScreen #assignments { height: 1fr; }
    MembersScreen .hint { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("tui.key.close"), id="members.close"),
        Binding("a", "add", t("team_tui.members.key.add"), id="members.add"),
        Binding("o", "role", t("team_tui.members.key.role"), id="members.role"),
        Binding("delete,x", "remove", t("team_tui.members.key.remove"), id="members.remove"),
        Binding("g", "assign", t("team_views.tui.key.assign"), id="members.assign"),
        Binding("u", "unblind", t("team_views.tui.key.unblind"), id="members.unblind"),
        Binding("t", "analysis_kind", t("team_views.tui.key.kind"), id="members.analysis_kind"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.members: list[MemberView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="members-body"):
            yield Static(id="members-title")
            yield DataTable(id="members", zebra_stripes=True, cursor_type="row")
            yield Static(id="members-hint", classes="hint")
            yield Static(id="analysis-kind", classes="hint", markup=False)
            yield Static(t("team_views.tui.members.assignments"), id="assignments-title")
            yield DataTable(id="assignments", zebra_stripes=True, cursor_type="row")
            yield Static(id="assignments-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#members", DataTable)
        table.add_columns(t("team_tui.members.col.name"), t("team_tui.members.col.role"),
                          t("team_tui.members.col.added"))
        self.query_one("#assignments", DataTable).add_columns(
            t("team_views.tui.members.col_transcript"), t("team_views.tui.members.col_coders"),
            t("team_views.tui.members.col_blind"))
        self.read()
        table.focus()

    def reload(self, change: DataChanged | None) -> None:
        self.read()

    # -- showing -----------------------------------------------------------------------

    @property
    def selected(self) -> MemberView | None:
        table = self.query_one("#members", DataTable)
        if not self.members or table.cursor_row < 0:
            return None
        return self.members[min(table.cursor_row, len(self.members) - 1)]

    def _selected_or_warn(self) -> MemberView | None:
        """The highlighted member, or None after a toast saying none is chosen."""
        member = self.selected
        if member is None:
            self.notify(t("team_tui.members.none"), severity="warning")
        return member

    def read(self) -> None:
        """Read the list again and keep the cursor on the same member (by GUID)."""
        keep = self.selected.guid if self.selected else None
        self.members = self.wb.members.list()
        self.workbench_app.role_may_have_changed()  # mine may have changed too
        table = self.query_one("#members", DataTable)
        table.clear()
        row = 0
        for i, m in enumerate(self.members):
            name = m.name + (t("team_tui.members.you") if m.name == self.wb.store.actor else "")
            table.add_row(name, role_name(m.role), m.added_at.strftime("%Y-%m-%d"), key=m.guid)
            if m.guid == keep:
                row = i
        if self.members:
            table.move_cursor(row=row)
        self.query_one("#members-title", Static).update(
            t("team_tui.members.title", n=len(self.members)))
        hint = ("team_tui.members.empty" if not self.members
                else "team_tui.members.hint" if self.may_manage()
                else "team_tui.members.hint_readonly")
        self.query_one("#members-hint", Static).update(t(hint, actor=self.wb.store.actor))
        self.read_assignments()

    def read_assignments(self) -> None:
        kind = self.wb.analysis_kind
        self.query_one("#analysis-kind", Static).update(
            t("team_views.tui.kind.line", name=t(f"team_views.kind.{kind}")))
        found = self.wb.assignments.list()
        table = self.query_one("#assignments", DataTable)
        table.clear()
        for a in found:
            blind = (t("team_views.tui.members.yes") if a.blind
                     else t("team_views.tui.members.unblinded") if a.unblinded_at
                     else t("team_views.tui.members.no"))
            table.add_row(a.transcript, ", ".join(a.coders), blind, key=str(a.transcript_id))
        table.display = bool(found)
        hint = (t("team_views.tui.members.none") if not found
                else t("team_views.tui.members.hint") if self.may_manage() else "")
        self.query_one("#assignments-hint", Static).update(hint)

    # -- who may change the list -------------------------------------------------------

    def may_manage(self) -> bool:
        """Only a researcher manages members (anyone, while the project has none)."""
        store = self.wb.store
        return not store.readonly and not store.review_mode and store.role in (None, RESEARCHER)

    def _refuse_unless_manager(self) -> bool:
        if self.wb.store.readonly:
            self.notify(t("project.error.readonly_action"), severity="warning")
            return True
        if not self.may_manage():
            role = self.wb.store.effective_role or RESEARCHER
            self.notify(t("team_tui.members.refused", actor=self.wb.store.actor,
                          role=role_name(role)), severity="error")
            return True
        return False

    def _choose_role(self, title: str, then: object) -> None:
        options = [(role, role_name(role)) for role in ROLES]
        self.app.push_screen(ChoiceModal(title, options), then)  # type: ignore[arg-type]

    # -- actions -----------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_add(self) -> None:
        if self._refuse_unless_manager():
            return

        def named(name: str | None) -> None:
            if not name or not name.strip():
                return

            def chosen(role: str | None) -> None:
                if role is None:
                    return
                ok, member = self.workbench_app.run_command(
                    lambda: self.wb.members.add(name, role), origin=self)
                if ok and member is not None:
                    self.notify(t("team_tui.members.added", name=member.name,
                                  role=role_name(member.role)))
                    self.read()
                    self._select(member.guid)

            self._choose_role(t("team_tui.members.choose_role", name=name.strip()), chosen)

        hint = t("team_tui.members.first_hint", actor=self.wb.store.actor) if not self.members else ""
        self.app.push_screen(PromptModal(t("team_tui.members.add_title"), hint=hint), named)

    def action_role(self) -> None:
        if self._refuse_unless_manager():
            return
        member = self._selected_or_warn()
        if member is None:
            return

        def chosen(role: str | None) -> None:
            if role is None or role == member.role:
                return
            ok, _ = self.workbench_app.run_command(
                lambda: self.wb.members.set_role(member.name, role), origin=self,
                done=t("team_tui.members.role_set", name=member.name, role=role_name(role)))
            if ok:
                self.read()

        self._choose_role(t("team_tui.members.choose_role", name=member.name), chosen)

    def action_remove(self) -> None:
        if self._refuse_unless_manager():
            return
        member = self._selected_or_warn()
        if member is None:
            return

        def confirmed(answer: str | None) -> None:
            if answer != "yes":
                return
            ok, _ = self.workbench_app.run_command(
                lambda: self.wb.members.remove(member.name), origin=self,
                done=t("team_tui.members.removed", name=member.name))
            if ok:
                self.read()

        self.app.push_screen(ChoiceModal(
            t("team_tui.members.remove_title", name=member.name),
            [("yes", t("team_tui.members.remove_yes")), ("no", t("team_tui.members.remove_no"))],
        ), confirmed)

    def _select(self, guid: str) -> None:
        for i, m in enumerate(self.members):
            if m.guid == guid:
                self.query_one("#members", DataTable).move_cursor(row=i)

    # -- assignments -------------------------------------------------------------------

    def _refuse_unless_researcher(self, key: str = "team_views.tui.members.refused") -> bool:
        if self.wb.store.readonly:
            self.notify(t("project.error.readonly_action"), severity="warning")
            return True
        if not self.may_manage():
            role = self.wb.store.effective_role or RESEARCHER
            self.notify(t(key, actor=self.wb.store.actor, role=role_name(role)),
                        severity="error")
            return True
        return False

    def action_assign(self) -> None:
        """Give a transcript its coders: pick it, tick the coders, say whether blind."""
        if self._refuse_unless_researcher():
            return
        transcripts = self.wb.transcripts.summaries()
        if not transcripts:
            self.notify(t("team_views.tui.members.no_transcripts"), severity="warning")
            return
        current = {a.transcript_id: a for a in self.wb.assignments.list()}
        choices = [Choice(tr.id, tr.name, None,
                          ", ".join(current[tr.id].coders) if tr.id in current else "")
                   for tr in transcripts]
        names = {tr.id: tr.name for tr in transcripts}

        def picked(pick: Pick | None) -> None:
            if pick is None or pick.id is None:
                return
            self._choose_coders(pick.id, names[pick.id])

        self.app.push_screen(FuzzyPicker(t("team_views.tui.members.pick_transcript"), choices),
                             picked)

    def _choose_coders(self, transcript_id: int, name: str) -> None:
        coders = [m.name for m in self.members if m.role != "supervisor"]

        def blind_then(chosen: list[str]) -> None:
            if not chosen:
                self.notify(t("team_views.error.no_coders"), severity="warning")
                return

            def answered(answer: str | None) -> None:
                if answer is None:
                    return
                self.workbench_app.run_command(
                    lambda: self.wb.assignments.assign(transcript_id, chosen,
                                                       blind=answer == "yes"),
                    origin=self,
                    done=t("team_views.tui.members.assigned_blind" if answer == "yes"
                           else "team_views.cli.assigned", name=name, coders=", ".join(chosen)))
                self.read()

            self.app.push_screen(ChoiceModal(
                t("team_views.tui.members.pick_blind", name=name),
                [("yes", t("team_views.tui.members.blind_yes")),
                 ("no", t("team_views.tui.members.blind_no"))]), answered)

        if not coders:  # no members yet: the names are typed
            self.app.push_screen(
                PromptModal(t("team_views.tui.members.pick_coders", name=name),
                            placeholder="kari, ola"),
                lambda typed: blind_then([c.strip() for c in (typed or "").split(",") if c.strip()]))
            return
        current = self.wb.assignments.of(transcript_id)
        ticked = set(current.coders) if current else set(coders)  # start from what is there
        self.app.push_screen(
            MultiChoiceModal(t("team_views.tui.members.pick_coders", name=name),
                             [(c, i, c in ticked) for i, c in enumerate(coders)],  # type: ignore[misc]
                             hint=t("team_views.tui.members.pick_coders_hint")),
            lambda ticked: blind_then([coders[i] for i in sorted(ticked or [])]))

    def action_unblind(self) -> None:
        if self._refuse_unless_researcher():
            return
        blind = [a for a in self.wb.assignments.list() if a.blind]
        if not blind:
            self.notify(t("team_views.tui.members.no_blind"), severity="warning")
            return

        def chosen(key: str | None) -> None:
            if key is None:
                return
            a = next(x for x in blind if str(x.transcript_id) == key)
            self.workbench_app.run_command(
                lambda: self.wb.assignments.unblind(a.transcript_id), origin=self,
                done=t("team_views.cli.unblinded", name=a.transcript))
            self.read()

        self.app.push_screen(ChoiceModal(
            t("team_views.tui.members.pick_unblind"),
            [(str(a.transcript_id), f"{a.transcript} ({', '.join(a.coders)})") for a in blind],
        ), chosen)

    # -- the kind of thematic analysis ---------------------------------------------------

    def action_analysis_kind(self) -> None:
        """Choose the project's kind of thematic analysis (the researcher's setting)."""
        from workbench.services.project import ANALYSIS_KINDS

        if self._refuse_unless_researcher("team_views.tui.kind.refused"):
            return
        options = [(k, f"{t(f'team_views.kind.{k}')}: {t(f'team_views.kind_note.{k}')}")
                   for k in ANALYSIS_KINDS]

        def chosen(kind: str | None) -> None:
            if kind is None or kind == self.wb.analysis_kind:
                return
            self.workbench_app.run_command(
                lambda: self.wb.set_analysis_kind(kind), origin=self,
                done=t("team_views.cli.kind_set", name=t(f"team_views.kind.{kind}"), kind=kind))
            self.read()

        self.app.push_screen(ChoiceModal(t("team_views.tui.kind.title"), options), chosen)
