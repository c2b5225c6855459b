"""Agreement between coders (F9): percent agreement, Cohen's κ and Krippendorff's α per code,
the units the coders coded differently, and settling them by consensus.

In a reflexive project the screen first says why these figures are not a quality measure
of reflexive thematic analysis and computes only when asked (``r``); in a codebook or
coding-reliability project it computes at once. Every computation asked for is recorded
for the audit appendix (the service leaves out a repeat with the same figures); when the
project changes meanwhile the screen re-reads the figures without recording them again.

Enter on a disagreement opens it: the unit's text and both coders' codings side by side;
``a`` accepts the first coder's codes, ``b`` the second's, ``2`` both, ``0`` neither (one
undoable command each, stored as codings by the coder «konsensus»), then the next one.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from workbench.domain.agreement import UNITS, Figures
from workbench.i18n import UserError, t
from workbench.services.agreement import (
    CONSENSUS,
    AgreementReport,
    AgreementService,
    Disagreements,
    DisagreementView,
    coder_label,
    format_percent,
    format_stat,
)
from workbench.tui.messages import DataChanged
from workbench.tui.widgets.modals import PromptModal
from workbench.tui.widgets.palette import InPalette

from .base import ProjectScreen


def _coders_text(coders: tuple[str, ...] | list[str]) -> str:
    return ", ".join(coder_label(c) for c in coders)


def _take_text(take: str, coders: tuple[str, ...]) -> str:
    return t(f"agreement.take.{take}", coder=coder_label(coders[0] if take == "a" else coders[-1]))


def _numbers(fig: Figures, *, bold: bool = False) -> list[Text]:
    """Units, percent, κ and α of one row, right-aligned."""
    style = "bold" if bold else ""
    return [Text(value, justify="right", style=style) for value in (
        str(fig.units), format_percent(fig.percent_agreement), format_stat(fig.kappa),
        format_stat(fig.alpha))]


def disagreement_label(item: DisagreementView) -> str:
    """One line of the list: number, where, first words, and a mark when settled."""
    mark = " ✓" if item.settled else ""
    where = " · ".join(x for x in (item.transcript, item.speaker) if x)
    return f"{item.number:>3}  {where}  «{item.excerpt}»{mark}"


class AgreementScreen(InPalette, ProjectScreen[None]):
    PALETTE_GROUP = "agreement.tui.group"
    DEFAULT_CSS = """
    AgreementScreen #agr-body { padding: 0 1; }
    AgreementScreen #agr-caveat { height: auto; color: $warning; }
    AgreementScreen #agr-title { height: auto; text-style: bold; }
    AgreementScreen #agr-codes { height: auto; max-height: 10; }
    AgreementScreen #agr-dis-title { height: auto; text-style: bold; }
    AgreementScreen #agr-dis { height: 1fr; min-height: 3; border: none; padding: 0; }
    AgreementScreen .hint { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("tui.key.close"), id="agreement.close"),
        Binding("r", "compute", t("agreement.tui.key.compute"), id="agreement.compute"),
        Binding("c", "choose_coders", t("agreement.tui.key.coders"), id="agreement.coders"),
        Binding("u", "next_unit", t("agreement.tui.key.unit"), id="agreement.unit"),
        Binding("g", "take_agreed", t("agreement.tui.key.agreed"), id="agreement.agreed"),
    ]

    def __init__(self, coders: list[str] | None = None, unit: str = "sentence") -> None:
        super().__init__()
        self.coders: list[str] = list(coders or [])
        self.unit = unit
        self.report: AgreementReport | None = None
        self.found: Disagreements | None = None
        self.asked = False
        """Whether figures were asked for (always in a non-reflexive project)."""

    @property
    def service(self) -> AgreementService:
        return self.wb.agreement

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="agr-body"):
            yield Static(id="agr-caveat", markup=False)
            yield Static(id="agr-title", markup=False)
            yield DataTable(id="agr-codes", zebra_stripes=True, cursor_type="row")
            yield Static(id="agr-dis-title", markup=False)
            yield OptionList(id="agr-dis")
            yield Static(t("agreement.tui.hint"), classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = t("agreement.tui.title")
        if not self.coders:
            ordinary = [c for c in self.service.coders() if c != CONSENSUS]
            actor = self.wb.store.actor
            first = [actor] if actor in ordinary else []
            self.coders = (first + [c for c in ordinary if c not in first])[:2]
        table = self.query_one("#agr-codes", DataTable)
        table.add_columns(*(t(f"agreement.col.{c}") for c in ("code", "units", "percent", "kappa", "alpha")))
        self.reflexive = self.service.analysis_kind() == "reflexive"
        self.query_one("#agr-caveat", Static).display = self.reflexive
        self.query_one("#agr-caveat", Static).update(t("agreement.caveat"))
        self._show_title()
        if self.reflexive:
            self.query_one("#agr-dis-title", Static).update(t("agreement.tui.ask"))
            self.query_one("#agr-codes", DataTable).display = False
            self.query_one("#agr-dis", OptionList).display = False
        else:
            self.action_compute()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_agreed" and not self.wb.editable:
            return False  # a supervisor or a read-only file: figures yes, consensus no
        return True

    def _show_title(self) -> None:
        kind = t(f"agreement.kind.{self.service.analysis_kind()}")
        self.query_one("#agr-title", Static).update(t(
            "agreement.tui.coders", coders=_coders_text(self.coders) or "–",
            unit=t(f"agreement.unit.{self.unit}"), kind=kind))

    def reload(self, change: DataChanged | None) -> None:
        if change is not None and change.origin is self:
            return
        if self.asked:
            self._compute(record=False)

    # -- computing ---------------------------------------------------------------------

    def action_compute(self) -> None:
        self.asked = True
        self._compute(record=True)

    def _compute(self, *, record: bool) -> None:
        self.query_one("#agr-dis-title", Static).update(t("agreement.tui.computing"))
        self._run(list(self.coders), self.unit, record)

    @work(thread=True, exclusive=True, group="agreement")
    def _run(self, coders: list[str], unit: str, record: bool) -> None:
        service = self.wb.agreement
        try:
            report = service.compute(coders, unit, record=record)
            found = service.disagreements(coders, unit)
        except UserError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, report, found, record)

    def _failed(self, exc: UserError) -> None:
        self.query_one("#agr-dis-title", Static).update(exc.message())
        self.notify(exc.message(), severity="error")

    def _show(self, report: AgreementReport, found: Disagreements, record: bool) -> None:
        self.coders = list(report.coders)  # as the service read them («konsensus» → consensus)
        self.report, self.found = report, found
        if record and report.recorded:
            self.workbench_app.announce("command", "agreement.compute", self.wb.store.actor,
                                        origin=self)
        self._show_title()
        table = self.query_one("#agr-codes", DataTable)
        table.display = True
        table.clear()
        for name, fig in report.codes:
            table.add_row(name, *_numbers(fig))
        table.add_row(Text(t("agreement.cli.overall"), style="bold"),
                      *_numbers(report.overall, bold=True))
        listing = self.query_one("#agr-dis", OptionList)
        listing.display = True
        keep = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(disagreement_label(d), id=str(d.number)) for d in found.items])
        if found.items:
            listing.highlighted = min(keep or 0, len(found.items) - 1)
            listing.focus()
        settled = sum(1 for d in found.items if d.settled)
        title = (t("agreement.tui.disagreements", n=len(found.items), units=found.units,
                   settled=settled) if found.items else t("agreement.tui.no_disagreements"))
        if not report.transcripts:
            title = t("agreement.tui.empty")
        self.query_one("#agr-dis-title", Static).update(title)

    # -- choosing ----------------------------------------------------------------------

    def action_choose_coders(self) -> None:
        known = self.service.coders()

        def chosen(value: str | None) -> None:
            if not value:
                return
            self.coders = [c.strip() for c in value.split(",") if c.strip()]
            self._show_title()
            self.action_compute()

        self.app.push_screen(PromptModal(
            t("agreement.tui.choose_coders"), ",".join(self.coders),
            hint=t("agreement.tui.choose_coders_hint", coders=", ".join(known) or "–"),
            select=True), chosen)

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self._show_title()
        if self.asked:
            self.action_compute()

    def action_take_agreed(self) -> None:
        ok, n = self.workbench_app.run_command(
            lambda: self.service.take_agreed(self.coders, self.unit), origin=self)
        if ok:
            self.notify(t("agreement.tui.agreed", n=n))
            self._compute(record=False)

    # -- disagreements -----------------------------------------------------------------

    @on(OptionList.OptionSelected, "#agr-dis")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if self.found is None or not self.found.items:
            return
        index = int(event.option.id or "1") - 1
        self.app.push_screen(DisagreementScreen(self.found, index, self.coders, self.unit))

    def action_close(self) -> None:
        self.dismiss(None)


class DisagreementScreen(InPalette, ProjectScreen[None]):
    """One disagreement: the unit, and both coders' codings side by side."""

    PALETTE_GROUP = "agreement.tui.group"
    DEFAULT_CSS = """
    DisagreementScreen #dis-body { padding: 0 1; }
    DisagreementScreen #dis-title { height: auto; text-style: bold; }
    DisagreementScreen #dis-text-box { height: auto; max-height: 8; margin: 1 0; }
    DisagreementScreen #dis-text { height: auto; }
    DisagreementScreen #dis-sides { height: 1fr; }
    DisagreementScreen .side { width: 1fr; height: 1fr; border: round $primary; padding: 0 1; }
    DisagreementScreen #dis-settled { height: auto; }
    DisagreementScreen .hint { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("tui.key.close"), id="disagreement.close"),
        Binding("a", "take('a')", t("agreement.tui.key.take_a"), id="disagreement.take_a"),
        Binding("b", "take('b')", t("agreement.tui.key.take_b"), id="disagreement.take_b"),
        Binding("2", "take('both')", t("agreement.tui.key.take_both"), id="disagreement.take_both"),
        Binding("0", "take('none')", t("agreement.tui.key.take_none"), id="disagreement.take_none"),
        Binding("n", "step(1)", t("agreement.tui.key.next"), id="disagreement.next"),
        Binding("p", "step(-1)", t("agreement.tui.key.previous"), id="disagreement.previous"),
    ]

    def __init__(self, found: Disagreements, index: int, coders: list[str], unit: str) -> None:
        super().__init__()
        self.found = found
        self.index = index
        self.coders = coders
        self.unit = unit

    @property
    def item(self) -> DisagreementView:
        return self.found.items[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dis-body"):
            yield Static(id="dis-title", markup=False)
            yield VerticalScroll(Static(id="dis-text", markup=False), id="dis-text-box")
            with Horizontal(id="dis-sides"):
                yield Static(id="dis-a", classes="side", markup=False)
                yield Static(id="dis-b", classes="side", markup=False)
            yield Static(id="dis-settled", markup=False)
            yield Static(id="dis-hint", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take" and (not self.wb.editable or len(self.item.coders) != 2):
            return False
        return True

    def show(self) -> None:
        item = self.item
        self.sub_title = t("agreement.tui.title")
        self.query_one("#dis-title", Static).update(t(
            "agreement.tui.detail_title", n=item.number, total=len(self.found.items),
            doc=item.transcript, speaker=item.speaker or "–"))
        self.query_one("#dis-text", Static).update(item.text)
        sides = dict(item.codings)
        codes = dict(item.codes)
        for widget_id, coder in zip(("#dis-a", "#dis-b"), item.coders, strict=False):
            lines = [coder_label(coder), ""]
            names = codes.get(coder, ())
            lines += [f"• {n}" for n in names] or [t("agreement.tui.no_codes")]
            extents = sides.get(coder, ())
            if extents:
                lines.append("")
                lines += [f"{e.code}: «{e.text}»" for e in extents]
            self.query_one(widget_id, Static).update("\n".join(lines))
        self.query_one("#dis-b", Static).display = len(item.coders) > 1
        settled = (t("agreement.tui.settled", take=_take_text(item.settled, item.coders))
                   if item.settled else "")
        self.query_one("#dis-settled", Static).update(settled)
        first, second = (list(item.coders) + ["", ""])[:2]
        self.query_one("#dis-hint", Static).update(t(
            "agreement.tui.detail_hint", first=coder_label(first), second=coder_label(second)))

    def reload(self, change: DataChanged | None) -> None:
        if change is not None and change.origin is self:
            return
        self._refresh_list()

    def _refresh_list(self) -> None:
        try:
            found = self.wb.agreement.disagreements(self.coders, self.unit)
        except UserError as exc:
            self.notify(exc.message(), severity="error")
            return
        if not found.items:
            self.dismiss(None)
            return
        # keep the same unit in view when it is still a disagreement
        here = (self.item.transcript_guid, self.item.start, self.item.end)
        spans = [(d.transcript_guid, d.start, d.end) for d in found.items]
        self.found = found
        self.index = spans.index(here) if here in spans else min(self.index, len(spans) - 1)
        self.show()

    def action_take(self, take: str) -> None:
        item = self.item
        service = self.wb.agreement
        ok, codes = self.workbench_app.run_command(lambda: service.settle(item, take), origin=self)
        if not ok:
            return
        self.notify(t("agreement.tui.saved", codes=", ".join(codes or ()) or t("agreement.cli.nothing")))
        self._refresh_list()
        if self.index + 1 < len(self.found.items):
            self.index += 1
            self.show()

    def action_step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.found.items)
        self.show()

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["AgreementScreen", "DisagreementScreen", "disagreement_label"]
