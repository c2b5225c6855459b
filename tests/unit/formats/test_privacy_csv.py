"""CSV safety: every CSV the program writes escapes cells a spreadsheet would run as a
formula (OWASP: a leading ``'``), and a speaker sheet refuses such values."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import sample_parsed
from workbench.formats.csv import csv_file, csv_text, safe_cell, segments_csv
from workbench.formats.speaker_sheet import parse_speaker_sheet
from workbench.i18n import UserError

DANGEROUS = ["=SUM(A1:A9)", "+1+2", "-2+3", "@cmd", "\tx", "\rx"]


def rows_of(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("value", DANGEROUS)
def test_safe_cell_prefixes_formula_starts(value):
    assert safe_cell(value) == "'" + value


def test_safe_cell_leaves_ordinary_cells_and_numbers():
    assert safe_cell("Leder 1") == "Leder 1"
    assert safe_cell(-3) == -3
    assert safe_cell("a=b") == "a=b"


def test_csv_text_and_file_escape_every_cell_and_the_header():
    text = csv_text(["=h"], [[v] for v in DANGEROUS], line_end="\n")
    # with "\n" row ends a carriage return inside a cell becomes "\n" (quoted)
    expected = ["'=h", *("'" + v.replace("\r", "\n") for v in DANGEROUS)]
    assert [r[0] for r in rows_of(text)] == expected
    assert [r[0] for r in rows_of(csv_text(["h"], [["\rx"]]))] == ["h", "'\rx"]
    assert [r[0] for r in rows_of(csv_file(["h"], [["=1"]]))] == ["h", "'=1"]


def coded(wb, code_name: str, memo: str):
    summary = wb.transcripts.add_parsed(sample_parsed(), name="=fg1", group="@Ledere")
    tr = wb.transcripts.get(summary.id)
    start = tr.text.index("håp")
    wb.codes.apply(tr.id, start, start + 3, name=code_name, memo=memo)
    return tr


def test_segments_csv_export_escapes_formulas(wb, tmp_path):
    coded(wb, "=HYPERLINK(\"http://x\")", "+memo")
    path = wb.exchange.export_segments(tmp_path / "segmenter.csv")
    rows = rows_of(path.read_bytes())
    header, row = rows[0], rows[1]
    cells = dict(zip(header, row, strict=True))
    assert cells["code"] == "'=HYPERLINK(\"http://x\")"
    assert cells["memo"] == "'+memo"
    assert cells["transcript"] == "'=fg1"
    assert cells["group"] == "'@Ledere"


@pytest.mark.parametrize("kind", ["frequencies", "code-transcript", "code-group"])
def test_analysis_table_csv_escapes_formulas(wb, kind):
    coded(wb, "-kode", "")
    table = wb.tables.table(kind)
    text = table.to_csv()
    flat = [cell for row in rows_of(text) for cell in row]
    assert not [c for c in flat if c.startswith(("=", "+", "-", "@"))], flat
    assert any(c.startswith("'") for c in flat), flat


def test_cli_table_csv_file_escapes_formulas(wb, tmp_path, cli):
    coded(wb, "@kode", "")
    wb.close()
    target = tmp_path / "tabell.csv"
    result = cli("table", tmp_path / "studie.wbp", "frequencies", "--csv", target)
    assert result.returncode == 0, result
    flat = [cell for row in rows_of(target.read_bytes()) for cell in row]
    assert "'@kode" in flat


def test_segments_csv_of_rows_escapes(tmp_path):
    from workbench.formats.csv import SegmentRow

    row = SegmentRow("t", "g", ("=a",), ("informant",), ("",), "c", ("-t",), 0, 1,
                     "=x", False, "", "@me", "guid")
    cells = rows_of(segments_csv([row]))[1]
    assert cells[2] == "'=a" and cells[6] == "'-t" and cells[9] == "'=x" and cells[12] == "'@me"


@pytest.mark.parametrize("value", ["=1+1", "+47", "-x", "@x"])
def test_speaker_sheet_refuses_formula_values(value):
    with pytest.raises(UserError) as info:
        parse_speaker_sheet(f"label,pseudonym\nKari,{value}\n")
    assert info.value.key == "speakers.error.formula"


def test_speaker_sheet_refuses_formula_in_yaml_aliases():
    with pytest.raises(UserError) as info:
        parse_speaker_sheet("- label: Kari\n  aliases: ['=x']\n", kind="yaml")
    assert info.value.key == "speakers.error.formula"
