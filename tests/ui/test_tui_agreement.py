"""The agreement screen (F9) at 80×24: the reflexive caveat first, figures on request, the
disagreements side by side, and consensus by one key each."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from textual.widgets import DataTable, OptionList, Static

from workbench.i18n import t
from workbench.services import Workbench
from workbench.services.agreement import CONSENSUS, AgreementService
from workbench.storage.models import Coding, Project
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.agreement import AgreementScreen, DisagreementScreen

from tests.conftest import sample_parsed
from tests.themes_fixtures import find
from tests.ui.helpers import settle

SIZE = (80, 24)


def make_project(path: Path, kind: str = "reflexive") -> Path:
    """fg1 coded by kari and ola (figures in tests/unit/services/test_agreement_service.py)."""
    with Workbench.create(path, title="Teststudie", actor="kari") as wb:
        fg1 = wb.transcripts.add_parsed(sample_parsed(), name="fg1").id
        wb.members.add("ola", "co-coder")
        for phrase, name in (("sykepleier", "yrke"), ("opplever håp", "håp")):
            start, end = find(wb.transcripts.get(fg1).text, phrase)
            wb.codes.apply(fg1, start, end, name=name)
        if kind != "reflexive":
            with Session(wb.store.engine) as s:
                s.execute(update(Project).values(analysis_kind=kind))
                s.commit()
    with Workbench.open(path, actor="ola") as wb:
        for phrase, name in (("Vernepleier", "yrke"), ("brukeren opplever håp", "håp")):
            start, end = find(wb.transcripts.get(fg1).text, phrase)
            wb.codes.apply(fg1, start, end, name=name)
    return path


def table_rows(screen: AgreementScreen) -> list[list[str]]:
    table = screen.query_one("#agr-codes", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def consensus(wb: Workbench) -> list[tuple[int, int]]:
    with wb.store.read() as s:
        return [(a, b) for a, b in s.execute(
            select(Coding.start, Coding.end).where(Coding.coder == CONSENSUS).order_by(Coding.start))]


async def test_a_reflexive_project_says_why_and_computes_when_asked(tmp_path: Path) -> None:
    wb = Workbench.open(make_project(tmp_path / "studie.wbp"), actor="kari")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f9")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AgreementScreen)
            caveat = screen.query_one("#agr-caveat", Static)
            assert caveat.display and str(caveat.render()).startswith("Prosjektet bruker refleksiv")
            assert not screen.query_one("#agr-codes", DataTable).display
            assert AgreementService(wb.store).runs() == []  # nothing computed yet
            await pilot.press("r")
            await settle(pilot)
            assert table_rows(screen) == [
                ["håp", "8", "100,0 %", "1,00", "1,00"],
                ["yrke", "8", "75,0 %", "-0,14", "-0,07"],
                ["Totalt", "8", "87,5 %", "0,43", "0,45"],
            ]
            assert len(AgreementService(wb.store).runs()) == 1
            listing = screen.query_one("#agr-dis", OptionList)
            assert listing.option_count == 2
            # everything fits in 80×24: the list ends above the hint and the footer
            assert caveat.display and listing.region.bottom <= SIZE[1] - 2
            assert listing.region.height >= 2
    finally:
        wb.close()


async def test_a_codebook_project_computes_at_once_without_the_caveat(tmp_path: Path) -> None:
    wb = Workbench.open(make_project(tmp_path / "studie.wbp", "codebook"), actor="ola")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.action_agreement()
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AgreementScreen)
            assert not screen.query_one("#agr-caveat", Static).display
            assert table_rows(screen)[-1] == ["Totalt", "8", "87,5 %", "0,43", "0,45"]
            assert t("agreement.kind.codebook") in str(screen.query_one("#agr-title", Static).render())
            # ola comes first: the person working
            assert screen.coders == ["ola", "kari"]
    finally:
        wb.close()


async def test_a_disagreement_side_by_side_and_settled_by_one_key(tmp_path: Path) -> None:
    wb = Workbench.open(make_project(tmp_path / "studie.wbp", "reliability"), actor="kari")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f9")
            await settle(pilot)
            await pilot.press("enter")  # the first disagreement
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, DisagreementScreen)
            left = str(detail.query_one("#dis-a", Static).render())
            right = str(detail.query_one("#dis-b", Static).render())
            assert left.splitlines()[0] == "kari" and "• yrke" in left and "«sykepleier»" in left
            assert right.splitlines()[0] == "ola" and t("agreement.tui.no_codes") in right
            assert str(detail.query_one("#dis-text", Static).render()) == (
                "Jeg er sykepleier og har vært leder i fem år (latter).")
            await pilot.press("a")  # kari's codes
            await settle(pilot)
            assert consensus(wb) == [(87, 141)]
            assert detail.index == 1  # on to the next one
            await pilot.press("0")  # neither: nothing stored, but decided
            await settle(pilot)
            assert consensus(wb) == [(87, 141)]
            assert [d.settled for d in detail.found.items] == ["a", "none"]
            await pilot.press("escape")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AgreementScreen)
            assert "(2 avgjort)" in str(screen.query_one("#agr-dis-title", Static).render())
            await pilot.press("ctrl+z")
            await pilot.press("ctrl+z")
            await settle(pilot)
            assert consensus(wb) == []
            assert "(0 avgjort)" in str(screen.query_one("#agr-dis-title", Static).render())
    finally:
        wb.close()


async def test_a_supervisor_sees_the_figures_but_cannot_settle(tmp_path: Path) -> None:
    path = make_project(tmp_path / "studie.wbp", "codebook")
    with Workbench.open(path, actor="kari") as wb:
        wb.members.add("vera", "supervisor")
    wb = Workbench.open(path, actor="vera")
    app = WorkbenchApp(wb)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f9")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AgreementScreen)
            assert table_rows(screen)[-1] == ["Totalt", "8", "87,5 %", "0,43", "0,45"]
            assert screen.check_action("take_agreed", ()) is False
            await pilot.press("enter")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, DisagreementScreen)
            assert detail.check_action("take", ("a",)) is False
            await pilot.press("a")
            await settle(pilot)
            assert consensus(wb) == []
            assert AgreementService(wb.store).runs() == []  # a supervisor records nothing
    finally:
        wb.close()
