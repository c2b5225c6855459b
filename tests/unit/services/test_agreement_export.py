"""The audit export's appendix on agreement, on both backends."""

from __future__ import annotations

import io

from docx import Document

from workbench.services import Workbench
from workbench.services.agreement import AgreementService

from tests.unit.services.test_agreement_service import Team, team  # noqa: F401 - the fixture


def audit_docx(wb: Workbench):  # type: ignore[no-untyped-def]
    data, _warnings = wb.exports.build("audit")
    return Document(io.BytesIO(data))


def texts(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs]


def cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[c.text for c in row.cells] for row in table.rows]


def test_no_appendix_until_agreement_is_computed(team: Team) -> None:  # noqa: F811
    with team.open("kari") as wb:
        assert "Samsvar mellom kodere" not in texts(audit_docx(wb))
        assert not any("Samsvar mellom kodere" in line
                       for line in wb.exports.preview("audit").lines)


def test_the_appendix_has_a_table_per_computation_with_the_unit(team: Team) -> None:  # noqa: F811
    with team.open("kari") as wb:
        service = AgreementService(wb.store)
        service.compute(["kari", "ola"])
        service.compute(["kari", "ola"], unit="turn", code="yrke")
        doc = audit_docx(wb)
        lines = wb.exports.preview("audit").lines
    paragraphs = texts(doc)
    start = paragraphs.index("Samsvar mellom kodere")
    appendix = paragraphs[start:]
    assert appendix[1].startswith("Prosjektet bruker refleksiv tematisk analyse")  # the caveat
    assert appendix[2].startswith("Samsvar ble beregnet 2 ganger.")
    # newest first: the turn computation, then the sentence one
    assert "Tabell 1. Samsvar mellom kari og ola per ytring" in appendix
    assert "Tabell 2. Samsvar mellom kari og ola per setning" in appendix
    sources = [p for p in appendix if p.startswith("Beregnet ")]
    assert len(sources) == 2
    assert "av kari. Enhet: ytring. Bare koden «yrke»." in sources[0]
    assert "Enhet: setning. Alle transkripsjoner" in sources[1]
    turn, sentence = doc.tables[-2:]
    assert cells(turn) == [["Kode", "Enheter", "Samsvar", "κ", "α"],
                           ["yrke", "6", "66,7 %", "−0,20", "−0,10"],
                           ["Totalt", "6", "66,7 %", "−0,20", "−0,10"]]
    assert cells(sentence) == [["Kode", "Enheter", "Samsvar", "κ", "α"],
                               ["håp", "8", "100,0 %", "1,00", "1,00"],
                               ["yrke", "8", "75,0 %", "−0,14", "−0,07"],
                               ["Totalt", "8", "87,5 %", "0,43", "0,45"]]
    assert "## Samsvar mellom kodere" in lines
    assert "  yrke | 8 | 75,0 % | −0,14 | −0,07" in lines


def test_undefined_values_are_a_dash_and_english_reads_english(team: Team) -> None:  # noqa: F811
    with team.open("ola") as wb:
        service = AgreementService(wb.store)
        service.settle(service.disagreements(["kari", "ola"]).items[1], "b")
        # consensus took ola's yrke on sentence 5 and has no håp; ola coded håp on
        # sentence 8 only: a code one coder used on m = 1 of N = 8 units: 7/8 = 87.5 %,
        # κ = 0 and α = 1 − (2N − 1)/(2N − m) = 0.
        service.compute(["ola", "consensus"])
        data, _ = wb.exports.build("audit", _english())
    doc = Document(io.BytesIO(data))
    paragraphs = texts(doc)
    assert "Agreement between coders" in paragraphs
    assert "Table 1. Agreement between ola and consensus per sentence" in paragraphs
    assert cells(doc.tables[-1])[1] == ["håp", "8", "87.5%", "0.00", "0.00"]


def _english():  # type: ignore[no-untyped-def]
    from workbench.services.exports import ExportOptions

    return ExportOptions(lang="en")
