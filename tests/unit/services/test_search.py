"""Lemma-aware search, autocoding and analysis tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
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
    hits = project.search.search("bruker", SearchFilter(all_roles=True))
    forms = sorted({h.match.lower() for h in hits})
    assert forms == ["bruker", "brukere", "brukeren", "brukerne"]
    assert {h.transcript for h in hits} == {"fg1", "fg2"}
    first = hits[0]
    assert first.transcript == "fg1" and first.speaker == "Moderator"
    assert first.left.endswith("for ") and first.right.startswith("?")


def test_moderators_are_left_out_by_default(project: Workbench):
    hits = project.search.search("bruker")
    assert len(hits) == 5 and "Moderator" not in {h.speaker for h in hits}
    result = project.search.find("bruker", readings=False)
    assert result.left_out_roles == ("moderator", "co-moderator") and result.left_out == 1
    assert project.search.find("bruker", SearchFilter(all_roles=True)).left_out_roles == ()
    asked = project.search.search("bruker", SearchFilter(role="moderator"))
    assert [h.speaker for h in asked] == ["Moderator"]


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
    project.search.autocode("bruker", code_name="Bruker", unit="turn",
                            filters=SearchFilter(all_roles=True))
    turns = {(c.transcript_id, c.start) for c in project.codes.codings()}
    assert len(turns) == 5  # every turn but "Og hos dere?" mentions a form of bruker


def test_code_every_turn_of_a_role(project: Workbench):
    added, _ = project.search.code_turns(code_name="Moderatorspørsmål", role="moderator")
    assert added == 2
    code = project.codes.find("Moderatorspørsmål")
    assert all(c.code_id == code.id for c in project.codes.codings())


def test_tables(project: Workbench):
    project.search.autocode("bruker", code_name="Bruker", unit="turn",
                            filters=SearchFilter(all_roles=True))
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
    out = cli("search", path, "bruker", "--json", "--all-roles")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 6
    assert len(json.loads(cli("search", path, "bruker", "--json").stdout)) == 5
    none = cli("search", path, "sjiraff")
    assert none.returncode == 0 and "Ingen treff" in none.stdout
    auto = cli("autocode", path, "håp", "--code", "Håp", "--unit", "turn")
    assert auto.returncode == 0 and "Kodet 1" in auto.stdout
    target = tmp_path / "frekvens.csv"
    assert cli("table", path, "frequencies", "--csv", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8-sig").startswith("Kode,Kodinger")


def test_forms_listed_and_bruker_flagged_ambiguous(project: Workbench):
    result = project.search.find("bruker", SearchFilter(all_roles=True))
    counts = {f.form: f.count for f in result.forms}
    assert counts == {"brukerne": 3, "brukeren": 1, "brukere": 1, "bruker": 1}
    assert result.total == 6 and result.transcripts == 2
    by_form = {f.form: f for f in result.forms}
    assert by_form["bruker"].ambiguous
    assert by_form["bruker"].readings == (("noun", "bruker"), ("verb", "bruke"))
    assert not by_form["brukeren"].ambiguous and not by_form["brukerne"].ambiguous


def test_excluding_a_form_drops_the_verb_and_keeps_the_noun(tmp_path: Path):
    with Workbench.create(tmp_path / "v.wbp") as wb:
        file = tmp_path / "v.txt"
        file.write_text("Kari: Jeg bruker mer tid nå.\nPer: Brukeren merker det.\n", encoding="utf-8")
        wb.imports.import_file(file)
        both = wb.search.search("bruker")
        assert [h.match for h in both] == ["bruker", "Brukeren"]
        result = wb.search.find("bruker", SearchFilter(exclude_forms=frozenset({"bruker"})))
        assert [h.match for h in result.hits] == ["Brukeren"]
        assert all("Jeg bruker mer tid" not in h.left + h.match + h.right for h in result.hits)
        assert {f.form: f.excluded for f in result.forms} == {"bruker": True, "brukeren": False}
        assert result.total == 1


def test_paging_builds_only_the_page_and_counts_stay_exact(project: Workbench):
    every = project.search.search("bruker", SearchFilter(all_roles=True))
    page = project.search.find("bruker", SearchFilter(all_roles=True), offset=2, size=2)
    assert page.total == 6 and page.hits == every[2:4] and page.offset == 2
    assert sum(f.count for f in page.forms) == 6


def test_marks_are_not_indexed_as_words(project: Workbench):
    assert project.search.search("latter", SearchFilter(all_roles=True)) == []
    assert project.search.search("=latter", SearchFilter(all_roles=True)) == []


def test_an_old_index_is_rebuilt_on_open(tmp_path: Path):
    from sqlalchemy import delete, update

    from workbench.storage.models import Posting, TextIndex
    from workbench.storage.search_index import INDEX_VERSION, ensure_index

    path = tmp_path / "old.wbp"
    with Workbench.create(path) as wb:
        file = tmp_path / "o.txt"
        file.write_text("Kari: Det var gøy (latter) sa brukeren.\n", encoding="utf-8")
        wb.imports.import_file(file)
        with wb.store.derived() as s:  # an index of an earlier version
            s.execute(update(TextIndex).values(version=str(int(INDEX_VERSION) - 1)))
        assert ensure_index(wb.store) == 1
        assert ensure_index(wb.store) == 0
        with wb.store.derived() as s:  # no index at all
            s.execute(delete(Posting))
            s.execute(delete(TextIndex))
        assert wb.search.search("bruker") == []
    with Workbench.open(path) as wb:
        assert wb.search.search("latter") == [] and len(wb.search.search("bruker")) == 1


def test_autocode_leaves_moderator_turns_out_unless_asked(project: Workbench):
    fg1 = project.transcripts.get("fg1")
    moderator_end = fg1.text.index("\n")
    project.search.autocode("bruker", code_name="Bruker", unit="sentence")
    spans = [(c.transcript_id, c.start) for c in project.codes.codings()]
    assert spans and all(not (tid == fg1.id and start < moderator_end) for tid, start in spans)
    project.undo()
    project.search.autocode("bruker", code_name="Bruker", unit="sentence",
                            filters=SearchFilter(all_roles=True))
    assert any(c.transcript_id == fg1.id and c.start < moderator_end
               for c in project.codes.codings())


def test_preview_shows_the_unit_and_changes_nothing(project: Workbench):
    before = project.store.counts()
    previews = project.search.preview('"for lite tid"', unit="sentence")
    assert [p.text for p in previews][-1] == "For lite tid er et problem her også."
    assert {p.hit.speaker for p in previews} == {"Kari", "Per", "Anne"}
    assert project.store.counts() == before and project.codes.codings() == []
    added, _ = project.search.code_previews(previews[:2], code_name="Tid", label="test",
                                            unit="sentence")
    assert added == 2
    project.undo()
    assert project.codes.codings() == []


def test_cli_forms_exclude_and_dry_run(cli: CliRunner, project: Workbench, tmp_path: Path):
    path = str(project.store.target)  # the path, or the URL with its password
    project.close()
    forms = cli("search", path, "bruker", "--forms", "--all-roles")
    assert forms.returncode == 0, forms.stderr
    lines = forms.stdout.splitlines()
    assert lines[0].split()[:2] == ["brukerne", "3"]
    assert any(line.split()[:2] == ["bruker", "1"] and "tvetydig" in line and "verbet bruke" in line
               for line in lines)
    left = cli("search", path, "bruker", "--exclude-form", "bruker", "--exclude-form", "brukere",
               "--json")
    assert {h["match"].lower() for h in json.loads(left.stdout)} == {"brukeren", "brukerne"}
    plain = cli("search", path, "bruker")
    assert "Utelatt: moderator, ko-moderator (1 treff)" in plain.stdout
    before = Path(path).read_bytes() if "://" not in path else None
    counts = None
    if before is None:
        with Workbench.open(path) as wb:
            counts = wb.store.counts()
    dry = cli("autocode", path, "bruker", "--code", "Bruker", "--unit", "sentence", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "fg1 · Kari" in dry.stdout and "Ingenting er endret" in dry.stdout
    assert "Moderator" not in dry.stdout
    if before is not None:  # SQLite: the file is byte-identical
        assert Path(path).read_bytes() == before
    else:  # PostgreSQL: no command was recorded
        with Workbench.open(path) as wb:
            assert wb.store.counts() == counts


def test_hits_lie_where_the_words_are_in_long_texts(tmp_path: Path, project_target: str):
    """Every hit's offsets and turn agree with the text itself, across strides of the
    index's layout, long gaps (a long mark) and many turns: a layout decoded wrong would
    move a hit or give it another speaker."""
    import random
    import re

    rng = random.Random(11)
    stock = ["brukeren", "brukerne", "bruker", "mer", "tid", "og", "det", "er", "vi", "på",
             "hverdagen", "samarbeidet", "håp"]
    lines = []
    for i in range(120):
        words = " ".join(rng.choice(stock) for _ in range(rng.randint(1, 40)))
        if i % 17 == 5:
            words += " (" + "lang pause " * 30 + ")"  # a mark: not indexed, a long gap
        lines.append(f"{['Kari', 'Per', 'Anne'][i % 3]}: {words.capitalize()}.")
    file = tmp_path / "lang.txt"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Workbench.create(project_target) as wb:
        wb.imports.import_file(file)
        view = wb.transcripts.get("lang")
        text, turns = view.text, view.turns

        def turn_at(offset: int):  # type: ignore[no-untyped-def]
            inside = [t for t in turns if t.start <= offset]
            return inside[-1] if inside else None

        def check(query: str, pattern: str) -> None:
            hits = wb.search.search(query, SearchFilter(all_roles=True))
            spans = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)
                     if not text[:m.start()].endswith("pause ")]
            assert [(h.start, h.end) for h in hits] == spans
            assert all(text[h.start:h.end] == h.match for h in hits)
            for h in hits:
                turn = turn_at(h.start)
                assert (h.turn_id, h.speaker) == (turn.id, turn.speaker)
                assert turn.start <= h.start and h.end <= turn.end

        check("bruker", r"\bbruker(?:en|ne)?\b")
        check("=brukerne", r"\bbrukerne\b")
        check('"mer tid"', r"\bmer tid\b")
        check("samarbeid*", r"\bsamarbeidet\b")
        check("håp", r"\bhåp\b")


def test_warm_up_reads_ahead_and_changes_no_result(project: Workbench):
    """``warm_up`` (the TUI's background read after its first frame) decodes every
    transcript's word layout and reads the texts; a search then gives what it gave cold,
    and a transcript added after the warm-up is still found."""
    from workbench.storage import search_index

    cold = [(h.transcript_id, h.start, h.end) for h in project.search.search("bruker")]
    search_index._CACHE.clear()
    project.search.warm_up()
    ids = {t.id for t in project.transcripts.summaries()}
    assert ids and ids <= set(search_index._CACHE)
    warm = [(h.transcript_id, h.start, h.end) for h in project.search.search("bruker")]
    assert warm == cold and warm
    project.transcripts.add_parsed(
        ParsedTranscript("txt", [ParsedTurn("Leder 1", "Brukerne kom tilbake.", None, None)]),
        name="ny")
    assert len(project.search.search("bruker")) == len(cold) + 1
