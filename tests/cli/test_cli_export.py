"""``workbench export``, through ``main(argv)`` in this process."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from workbench.services import Workbench

from tests.conftest import CliRunner, ProjectTemplate, copy_project
from tests.unit.formats.test_export_word import MAIN_1, MAIN_2, build_study


# SQLite only: these tests are about Word files and where they are written (the default
# folder is next to the .wbp file); the project is a copy of one file built once per process.
@pytest.fixture
def project(project_template: ProjectTemplate, tmp_path: Path) -> Path:
    """The study of the Word-export tests, built once per test process; a copy per test."""
    template = project_template(build_study, title="Fokusgrupper 2026")
    return copy_project(template, tmp_path / "studie.wbp")


def test_theme_table_to_the_default_folder(cli: CliRunner, project: Path, tmp_path: Path):
    out = cli("export", str(project), "theme-table")
    assert out.returncode == 0, out.stderr
    target = tmp_path / "exports" / "studie-theme-table.docx"
    assert target.is_file()
    assert str(target.name) in out.stdout and out.stdout.startswith("Skrev ")
    assert out.stderr == ""
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "Tabell 1. Oversikt tema"
    assert [row.cells[0].text for row in document.tables[0].rows] == ["Hovedtema", MAIN_1, MAIN_2]


def test_caption_columns_and_output(cli: CliRunner, project: Path, tmp_path: Path):
    target = tmp_path / "tabell.docx"
    out = cli("export", str(project), "theme-table", "-o", str(target), "--caption",
              "Tabell 2. Tema", "--columns", "extracts,informants")
    assert out.returncode == 0, out.stderr
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "Tabell 2. Tema"
    assert [c.text for c in document.tables[0].rows[0].cells] == [
        "Hovedtema", "Undertema", "Utdrag", "Informanter"
    ]


def test_report_warns_on_stderr(cli: CliRunner, project: Path, tmp_path: Path):
    target = tmp_path / "rapport.docx"
    out = cli("export", str(project), "report", "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert target.is_file()
    warnings = [line for line in out.stderr.splitlines() if "(Sosionom, miljøterapeut)" in line]
    assert len(warnings) == 1 and warnings[0].startswith("workbench: advarsel:")
    assert "(Sosionom, miljøterapeut)" not in out.stdout


def test_report_with_attribution_pattern(cli: CliRunner, project: Path, tmp_path: Path):
    target = tmp_path / "rapport.docx"
    out = cli("export", str(project), "report", "-o", str(target), "--attribution",
              "({group})", "--no-table", "--block-words", "5")
    assert out.returncode == 0, out.stderr
    assert "(Sosionom" not in out.stderr
    document = docx.Document(str(target))
    assert not document.tables
    texts = [p.text for p in document.paragraphs]
    assert "«At brukeren opplever håp, og at vi har tid til relasjonen.» (leder)" in texts


def test_english_document(cli: CliRunner, project: Path, tmp_path: Path):
    target = tmp_path / "report-en.docx"
    out = cli("export", str(project), "report", "-o", str(target), "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Wrote ")
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "Table 1. Overview of themes"
    assert document.core_properties.language == "en-GB"


def test_every_word_kind(cli: CliRunner, project: Path, tmp_path: Path):
    for kind in ("theme-table", "report", "codebook", "audit"):
        out = cli("export", str(project), kind, "-o", str(tmp_path / f"{kind}.docx"))
        assert out.returncode == 0, (kind, out.stderr)
        assert docx.Document(str(tmp_path / f"{kind}.docx")).paragraphs


def test_preview_writes_nothing(cli: CliRunner, project: Path, tmp_path: Path):
    out = cli("export", str(project), "report", "--preview")
    assert out.returncode == 0, out.stderr
    assert f"# {MAIN_1}" in out.stdout
    assert "(latter)" not in out.stdout
    assert not (tmp_path / "exports").exists()


@pytest.mark.parametrize(
    ("target", "fragment"),
    [("mangler/tabell.docx", "finnes ikke"), ("tabell.pdf", ".docx")],
)
def test_bad_paths(cli: CliRunner, project: Path, tmp_path: Path, target: str, fragment: str):
    out = cli("export", str(project), "theme-table", "-o", str(tmp_path / target))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: ") and fragment in lines[0]
    assert "Traceback" not in out.stderr
    assert not list(tmp_path.rglob("*.docx")) and not list(tmp_path.rglob("*.pdf"))


def test_document_open_in_word(cli: CliRunner, project: Path, tmp_path: Path):
    target = tmp_path / "tabell.docx"
    target.write_bytes(b"old")
    (tmp_path / "~$bell.docx").write_text("owner")
    out = cli("export", str(project), "theme-table", "-o", str(target))
    assert out.returncode == 2
    assert "åpen i et annet program" in out.stderr
    assert target.read_bytes() == b"old"


def test_no_themes_yet(cli: CliRunner, tmp_path: Path):
    path = tmp_path / "tom.wbp"
    Workbench.create(path).close()
    out = cli("export", str(path), "report")
    assert out.returncode == 2
    assert "Ingen tema å eksportere" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "exports").exists() or not any((tmp_path / "exports").iterdir())


def test_bad_options(cli: CliRunner, project: Path):
    out = cli("export", str(project), "report", "--attribution", "({label})")
    assert out.returncode == 2 and "{label}" in out.stderr
    out = cli("export", str(project), "theme-table", "--columns", "farge")
    assert out.returncode == 2 and "farge" in out.stderr
    out = cli("export", str(project), "pdf")
    assert out.returncode == 2


def test_missing_project(cli: CliRunner, tmp_path: Path):
    out = cli("export", str(tmp_path / "finnes-ikke.wbp"), "theme-table")
    assert out.returncode == 2
    assert not (tmp_path / "exports").exists()


def test_exchange_kinds(cli: CliRunner, project: Path, tmp_path: Path):
    target = tmp_path / "kodebok.qdc"
    out = cli("export", str(project), "qdc", "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert target.is_file()


def test_help_lists_the_kinds(cli: CliRunner):
    out = cli("export", "--help")
    assert out.returncode == 0
    for kind in ("theme-table", "report", "codebook", "audit", "qdc", "qdpx", "segments"):
        assert kind in out.stdout
