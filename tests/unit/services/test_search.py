"""Lemma-aware search, autocoding and analysis tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.search import SearchFilter

from tests.conftest import CliRunner

FG1 = (
    "Moderator: Hva betyr arbeidsmåten for brukerne?\n"
    "Kari: Brukeren får bestemme mer. (latter) Vi har for lite tid, men brukere merker det.\n"
    "Per: Jeg tenker at bruker og pårørende må med. Vi har for lite tid til relasjon.\n"
)
FG2 = (
    "Moderator: Og hos dere?\n"
    "Anne: Brukerne sier de får mer håp. For lite tid er et problem her også.\n"
    "Ola: Samarbeidet med brukerne er bedre.\n"
)


@pytest.fixture
def project(tmp_path: Path, project_target: str):
    path = project_target
    with Workbench.create(path) as wb:
        for name, text, group in (("fg1", FG1, "Ledere"), ("fg2", FG2, "Miljøterapeuter")):
            file = tmp_path / f"{name}.txt"
            file.write_text(text, encoding="utf-8")
            wb.imports.import_file(file, group=group)
        yield wb


def test_lemma_search_finds_inflected_forms(project: Workbench):
    hits = project.search.search("bruker")
    forms = sorted({h.match.lower() for h in hits})
    assert forms == ["bruker", "brukere", "brukeren", "brukerne"]
    assert {h.transcript for h in hits} == {"fg1", "fg2"}
    first = hits[0]
    assert first.transcript == "fg1" and first.speaker == "Moderator"
    assert first.left.endswith("for ") and first.right.startswith("?")


def test_exact_form_phrase_and_wildcards(project: Workbench):
    assert {h.match for h in project.search.search("=brukerne")} == {"brukerne", "Brukerne"}
    phrase = project.search.search('"for lite tid"')
    assert [h.match.lower() for h in phrase] == ["for lite tid"] * 3
    assert {h.match.lower() for h in project.search.search("samarbeid*")} == {"samarbeidet"}
    assert {h.match.lower() for h in project.search.search("br?keren")} == {"brukeren"}


def test_filters(project: Workbench):
    ledere = project.search.search("bruker", SearchFilter(transcript="fg1"))
    assert {h.transcript for h in ledere} == {"fg1"}
    informants = project.search.search("bruker", SearchFilter(role="informant"))
    assert "Moderator" not in {h.speaker for h in informants}
    anne = project.search.search("bruker", SearchFilter(speaker="Anne"))
    assert [h.speaker for h in anne] == ["Anne"]
    groups = project.search.search("bruker", SearchFilter(group="Miljøterapeuter"))
    assert {h.speaker for h in groups} == {"Anne", "Ola"}


def test_no_hits_and_empty_query(project: Workbench):
    assert project.search.search("sjiraff") == []
    with pytest.raises(UserError):
        project.search.search("   ")


def test_autocode_units_and_undo(project: Workbench):
    added, existing = project.search.autocode('"for lite tid"', code_name="Tidspress", unit="sentence")
    assert (added, existing) == (3, 0)
    codings = project.codes.codings()
    fg1 = project.transcripts.get("fg1")
    texts = [fg1.text[c.start:c.end] for c in codings if c.transcript_id == fg1.id]
    assert "Vi har for lite tid til relasjon." in texts
    assert project.search.autocode('"for lite tid"', code_name="tidspress", unit="sentence") == (0, 3)
    project.undo()
    assert project.codes.codings() == [] and project.codes.find("Tidspress") is None
    project.search.autocode("bruker", code_name="Bruker", unit="turn")
    turns = {(c.transcript_id, c.start) for c in project.codes.codings()}
    assert len(turns) == 5  # every turn but "Og hos dere?" mentions a form of bruker


def test_code_every_turn_of_a_role(project: Workbench):
    added, _ = project.search.code_turns(code_name="Moderatorspørsmål", role="moderator")
    assert added == 2
    code = project.codes.find("Moderatorspørsmål")
    assert all(c.code_id == code.id for c in project.codes.codings())


def test_tables(project: Workbench):
    project.search.autocode("bruker", code_name="Bruker", unit="turn")
    project.search.autocode('"for lite tid"', code_name="Tid", unit="hit")
    freq = project.tables.table("frequencies")
    rows = {r[0]: r[1:] for r in freq.rows}
    assert rows["Bruker"] == [5, 2, 4] and rows["Tid"] == [3, 2, 3]
    co = project.tables.table("cooccurrence")
    assert co.rows == [["Bruker", "Tid", 3]]
    by_group = project.tables.table("code-group")
    assert by_group.columns[1:] == ["Ledere", "Miljøterapeuter"]
    assert {r[0]: r[1:] for r in by_group.rows}["Tid"] == [2, 1]
    words = project.tables.table("words", top=3)
    assert all(r[2] not in {"latter", "og", "er"} for r in words.rows)
    assert words.rows[0][:3] == ["Ledere", 1, "bruker"]
    parsed = list(csv.reader(io.StringIO(freq.to_csv())))
    assert parsed[0] == freq.columns and len(parsed) == len(freq.rows) + 1


def test_search_cli(cli: CliRunner, project: Workbench, tmp_path: Path):
    path = str(project.store.target)  # the path, or the URL with its password
    out = cli("search", path, "bruker", "--json")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 6
    none = cli("search", path, "sjiraff")
    assert none.returncode == 0 and "Ingen treff" in none.stdout
    auto = cli("autocode", path, "håp", "--code", "Håp", "--unit", "turn")
    assert auto.returncode == 0 and "Kodet 1" in auto.stdout
    target = tmp_path / "frekvens.csv"
    assert cli("table", path, "frequencies", "--csv", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8-sig").startswith("Kode,Kodinger")
