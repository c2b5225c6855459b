"""Word (.docx) and OpenDocument (.odt) transcripts, generated into tmp_path."""

from __future__ import annotations

import copy
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, LineBreak, List, ListItem, P, S, Section, Tab

from workbench.domain.parsed import ParsedTurn
from workbench.i18n import UserError
from workbench.formats.transcripts import parse_file

FIXTURES = Path(__file__).parents[2] / "fixtures" / "import"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def labelled(document: docx.document.Document, label: str, text: str, *, bold: bool = True):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(label)
    run.bold = bold
    paragraph.add_run(text)
    return paragraph


def build_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Fokusgruppe 2 – miljøterapeuter", level=1)
    d.add_paragraph("Transkribert av masterstudent, bokmål.")
    labelled(d, "Moderator:", " Velkommen til alle sammen.")
    d.add_paragraph("Vi starter med en runde.")
    d.add_paragraph("")
    labelled(d, "Leder, avdeling B:", " Takk for det.")
    labelled(d, "Kari Ø.", ": Jeg er sykepleier.")
    p = d.add_paragraph("I3: Jeg jobber natt")
    p.runs[0].add_break()
    p.add_run("og noen dager.")
    labelled(d, "Viktig", " å si: dette er ikke en taler.", bold=True)
    table = d.add_table(rows=4, cols=2)
    for row, (who, said) in enumerate(
        [("Taler", "Tekst"), ("Informant 4", "Jeg er vernepleier."), ("", "Og sosionom."), ("M:", "Takk.")]
    ):
        table.cell(row, 0).text = who
        table.cell(row, 1).text = said
    d.add_paragraph("Fortsatt moderator etter tabellen.")
    timed = d.add_table(rows=2, cols=3)
    for row, cells in enumerate(
        [("00:10:00", "Ola", "Jeg er ny her."), ("[00:10:30]", "Moderator", "Velkommen, Ola.")]
    ):
        for col, value in enumerate(cells):
            timed.cell(row, col).text = value
    d.add_heading("Del 2: Erfaringer", level=2)
    d.add_paragraph("Tekst etter overskriften uten taler.")
    p = d.add_paragraph("(00:45) I3: Det har ")
    p._p.append(
        parse_xml(f'<w:del {W_NS} w:id="1" w:author="x"><w:r><w:delText>slettet </w:delText></w:r></w:del>')
    )
    p._p.append(
        parse_xml(f'<w:ins {W_NS} w:id="2" w:author="x"><w:r><w:t>endret seg.</w:t></w:r></w:ins>')
    )
    sdt = parse_xml(
        f"<w:sdt {W_NS}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>M: Fra innholdskontroll.</w:t>"
        "</w:r></w:p></w:sdtContent></w:sdt>"
    )
    d.element.body.insert(len(d.element.body) - 1, sdt)  # before sectPr
    d.save(path)
    return path


def test_docx_speakers_headings_tables_in_document_order(tmp_path: Path):
    result = parse_file(build_docx(tmp_path / "fg2.docx"))
    assert result.source_format == "docx"
    assert result.warnings == []
    assert result.turns == [
        ParsedTurn(None, "Fokusgruppe 2 – miljøterapeuter"),
        ParsedTurn(None, "Transkribert av masterstudent, bokmål."),
        ParsedTurn("Moderator", "Velkommen til alle sammen.\nVi starter med en runde."),
        ParsedTurn("Leder, avdeling B", "Takk for det."),
        ParsedTurn("Kari Ø.", "Jeg er sykepleier."),
        ParsedTurn(
            "I3",
            "Jeg jobber natt\nog noen dager.\nViktig å si: dette er ikke en taler.",
        ),
        ParsedTurn(None, "Taler\tTekst"),
        ParsedTurn("Informant 4", "Jeg er vernepleier.\nOg sosionom."),
        ParsedTurn("M", "Takk.\nFortsatt moderator etter tabellen."),
        ParsedTurn("Ola", "Jeg er ny her.", 600_000),
        ParsedTurn("Moderator", "Velkommen, Ola.", 630_000),
        ParsedTurn(None, "Del 2: Erfaringer"),
        ParsedTurn(None, "Tekst etter overskriften uten taler."),
        ParsedTurn("I3", "Det har endret seg.", 45_000),
        ParsedTurn("M", "Fra innholdskontroll."),
    ]


def test_docx_localised_heading_style(tmp_path: Path):
    d = docx.Document()
    d.styles.add_style("Overskrift 1", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("Moderator: Dette er en overskrift.", style="Overskrift 1")
    d.add_paragraph("Moderator: Dette er tale.")
    d.save(tmp_path / "x.docx")
    result = parse_file(tmp_path / "x.docx")
    assert [(t.speaker, t.text) for t in result.turns] == [
        (None, "Moderator: Dette er en overskrift."),
        ("Moderator", "Dette er tale."),
    ]


def test_docx_nfd_gives_same_turns_as_nfc(tmp_path: Path):
    def make(form: str) -> list[ParsedTurn]:
        d = docx.Document()
        d.add_paragraph(unicodedata.normalize(form, "Åse Ødegård: Blåbær og håp."))
        labelled(d, unicodedata.normalize(form, "Bjørn Å.:"), unicodedata.normalize(form, " Så så."))
        d.save(tmp_path / f"{form}.docx")
        return parse_file(tmp_path / f"{form}.docx").turns

    assert make("NFD") == make("NFC") == [
        ParsedTurn("Åse Ødegård", "Blåbær og håp."),
        ParsedTurn("Bjørn Å.", "Så så."),
    ]


def test_docx_without_speakers_warns(tmp_path: Path):
    d = docx.Document()
    d.add_paragraph("Første avsnitt.")
    d.add_paragraph("Andre avsnitt.")
    d.save(tmp_path / "x.docx")
    result = parse_file(tmp_path / "x.docx")
    assert [(t.speaker, t.text) for t in result.turns] == [
        (None, "Første avsnitt."),
        (None, "Andre avsnitt."),
    ]
    assert len(result.warnings) == 1


def test_docx_progress(tmp_path: Path):
    d = docx.Document()
    for i in range(450):
        d.add_paragraph(f"Informant {i % 5 + 1}: Replikk {i}.")
    d.save(tmp_path / "x.docx")
    calls: list[tuple[int, int]] = []
    result = parse_file(tmp_path / "x.docx", progress=lambda done, total: calls.append((done, total)))
    assert len(result.turns) == 450
    assert len(calls) >= 3 and calls[-1] == (450, 450)


def expect_error(path: Path, key: str) -> None:
    with pytest.raises(UserError) as info:
        parse_file(path)
    assert info.value.key == key
    assert str(info.value) != key


def test_docx_that_is_a_renamed_text_file():
    expect_error(FIXTURES / "ikke_word.docx", "import.error.docx_invalid")


def test_docx_truncated(tmp_path: Path):
    data = build_docx(tmp_path / "full.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    expect_error(tmp_path / "cut.docx", "import.error.docx_invalid")


def test_docx_zip_without_word_content(tmp_path: Path):
    with zipfile.ZipFile(tmp_path / "x.docx", "w") as archive:
        archive.writestr("notat.txt", "Moderator: Hei.")
    expect_error(tmp_path / "x.docx", "import.error.docx_invalid")


def test_docx_that_is_an_old_word_file(tmp_path: Path):
    (tmp_path / "x.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    expect_error(tmp_path / "x.docx", "import.error.legacy_office")


def test_docx_without_text(tmp_path: Path):
    d = docx.Document()
    d.add_paragraph("")
    d.save(tmp_path / "x.docx")
    expect_error(tmp_path / "x.docx", "import.error.no_text")


def test_docx_bold_run_spanning_whole_paragraph_is_not_a_label(tmp_path: Path):
    d = docx.Document()
    labelled(d, "Moderator:", " Hei.", bold=False)
    p = d.add_paragraph()
    p.add_run("Dette er en hel fet setning: med kolon.").bold = True
    d.save(tmp_path / "x.docx")
    result = parse_file(tmp_path / "x.docx")
    assert [(t.speaker, t.text) for t in result.turns] == [
        ("Moderator", "Hei.\nDette er en hel fet setning: med kolon.")
    ]


# ---------------------------------------------------------------------------------------------
# OpenDocument


def build_odt(path: Path) -> Path:
    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Fokusgruppe 1 – ledere"))
    doc.text.addElement(P(text="Notat før første taler."))
    doc.text.addElement(P(text="Moderator: Velkommen."))
    p = P(text="Vi starter")
    p.addElement(S(c=3))
    p.addText("nå.")
    p.addElement(Tab())
    p.addText("Slutt.")
    doc.text.addElement(p)
    p = P(text="I3: Ja")
    p.addElement(LineBreak())
    p.addText("og mer.")
    doc.text.addElement(p)
    section = Section(name="Del1")
    items = List()
    item = ListItem()
    item.addElement(P(text="Kari Ø.: Fra en liste."))
    items.addElement(item)
    section.addElement(items)
    doc.text.addElement(section)
    table = Table(name="Tabell1")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for who, said in [("Informant 2", "Fra tabellen."), ("", "Fortsatt informant 2.")]:
        row = TableRow()
        for value in (who, said):
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    doc.text.addElement(H(outlinelevel=2, text="Del 2"))
    doc.text.addElement(P(text="Uten taler etter overskrift."))
    doc.save(str(path))
    return path


def test_odt_speakers_headings_tables(tmp_path: Path):
    result = parse_file(build_odt(tmp_path / "fg1.odt"))
    assert result.source_format == "odt"
    assert result.turns == [
        ParsedTurn(None, "Fokusgruppe 1 – ledere"),
        ParsedTurn(None, "Notat før første taler."),
        ParsedTurn("Moderator", "Velkommen.\nVi starter   nå.\tSlutt."),
        ParsedTurn("I3", "Ja\nog mer."),
        ParsedTurn("Kari Ø.", "Fra en liste."),
        ParsedTurn("Informant 2", "Fra tabellen.\nFortsatt informant 2."),
        ParsedTurn(None, "Del 2"),
        ParsedTurn(None, "Uten taler etter overskrift."),
    ]


def test_odt_truncated(tmp_path: Path):
    data = build_odt(tmp_path / "full.odt").read_bytes()
    (tmp_path / "cut.odt").write_bytes(data[: len(data) // 2])
    expect_error(tmp_path / "cut.odt", "import.error.odt_invalid")


def test_odt_that_is_a_docx(tmp_path: Path):
    data = build_docx(tmp_path / "x.docx").read_bytes()
    (tmp_path / "x.odt").write_bytes(copy.copy(data))
    expect_error(tmp_path / "x.odt", "import.error.odt_invalid")


def test_odt_that_is_text(tmp_path: Path):
    (tmp_path / "x.odt").write_text("Moderator: Hei.", encoding="utf-8")
    expect_error(tmp_path / "x.odt", "import.error.odt_invalid")


def test_docx_table_row_inside_a_content_control(tmp_path: Path):
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Moderator"
    table.cell(0, 1).text = "Første rad."
    row = parse_xml(
        f"<w:sdt {W_NS}><w:sdtPr/><w:sdtContent><w:tr>"
        "<w:tc><w:p><w:r><w:t>I3</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Rad i innholdskontroll.</w:t></w:r></w:p></w:tc>"
        "</w:tr></w:sdtContent></w:sdt>"
    )
    table._tbl.append(row)
    d.save(tmp_path / "x.docx")
    result = parse_file(tmp_path / "x.docx")
    assert result.turns == [
        ParsedTurn("Moderator", "Første rad."),
        ParsedTurn("I3", "Rad i innholdskontroll."),
    ]
