"""Word export: theme table, results chapter, codebook and audit trail, opened again with
python-docx (and converted to PDF with LibreOffice where it is installed)."""

from __future__ import annotations

import re

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.formats.word import docx as word
from workbench.formats.word.attribution import base_profession, group_singular
from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.exports import ExportOptions, ExportService

from tests.conftest import ProjectTemplate, copy_project

MAIN_1 = "Håp og relasjon som kjernen i forbedring"
SUB_1A = "Tid til relasjonen"
SUB_1B = "«Håp» om bedring – brukerens egne mål"
MAIN_2 = "Endringen kom ovenfra, og ble tatt imot med skepsis"
DISCARDED = "Fokusområde a: bakgrunn"
MISC = "Diverse"
LABELS = ("Moderator", "Leder 1", "Leder 2", "Leder 3", "Miljøterapeut 1", "Miljøterapeut 2",
          "Miljøterapeut 3", "Miljøterapeut 4")
REAL_NAMES = ("Kari", "Per")

LONG = (
    "Ja:: altså (pause) det som har endret seg mest, er at vi faktisk spør brukeren hva "
    "han vil, og så prøver vi å få det til, selv om det tar tid og selv om det ikke alltid "
    "passer med vaktplanen, for det er jo han som skal leve livet sitt etter at han har "
    "reist herfra og ikke vi som skal det."
)

LEADERS = [
    ParsedTurn("Moderator", "Velkommen. Kan dere fortelle litt om hva forbedring betyr?"),
    ParsedTurn("Leder 1", "At brukeren opplever håp (latter), og at vi har tid til relasjonen."),
    ParsedTurn("Leder 2", 'Det kom et vedtak ovenfra, og vi sa "ja" fordi vi måtte.'),
    ParsedTurn("Leder 3", "Jeg er enig. Det handler om tid."),
]
STAFF = [
    ParsedTurn("Moderator", "Hvordan har arbeidsmåten endret seg?"),
    ParsedTurn("Miljøterapeut 1", LONG),
    ParsedTurn("Miljøterapeut 2", "Vi fikk ikke være med på å bestemme (kremt) noe som helst."),
    ParsedTurn("Miljøterapeut 3", "Jeg ser at brukerne får mer håp nå (latter)."),
    ParsedTurn("Miljøterapeut 4", "Vi har fortsatt for lite tid til hver enkelt."),
]
PROFESSIONS = {
    "Leder 1": ("sykepleier med videreutdanning i psykisk helsearbeid", "Ledere"),
    "Leder 2": ("vernepleier", "Ledere"),
    "Leder 3": ("sykepleier", "Ledere"),
    "Miljøterapeut 1": ("vernepleier", "Miljøterapeuter"),
    "Miljøterapeut 2": ("vernepleier med videreutdanning i miljøterapi", "Miljøterapeuter"),
    "Miljøterapeut 3": ("sosionom", "Miljøterapeuter"),  # the only one: re-identifies
    "Miljøterapeut 4": ("sykepleier", "Miljøterapeuter"),
}


def span(wb: Workbench, transcript_id: int, speaker: str) -> tuple[int, int]:
    tr = wb.transcripts.get(transcript_id)
    turn = next(u for u in tr.turns if u.speaker == speaker)
    return turn.start, turn.end


def build_study(wb: Workbench) -> dict[str, int]:
    """A small study through the services: two groups, codes, quotes, themes, audit trail."""
    fg1 = wb.transcripts.add_parsed(ParsedTranscript("txt", LEADERS), name="fg1", group="Ledere")
    fg2 = wb.transcripts.add_parsed(
        ParsedTranscript("txt", STAFF), name="fg2", group="Miljøterapeuter"
    )
    for person in wb.transcripts.participants():
        if person.label == "Moderator":
            wb.transcripts.update_participant(person.id, role="moderator")
        elif person.label in PROFESSIONS:
            profession, group = PROFESSIONS[person.label]
            wb.transcripts.update_participant(person.id, profession=profession, group=group)

    ids: dict[str, int] = {}
    ids["håp"] = wb.codes.create("håp", description="Brukerens håp om bedring.").id
    ids["tid"] = wb.codes.create("tid til relasjon", description="Tid som knapphet.").id
    ids["vedtak"] = wb.codes.create(
        "vedtak ovenfra", description="Beslutningen kom fra ledelsen.", origin="deductive"
    ).id
    ids["medvirkning"] = wb.codes.create("medvirkning", parent_id=ids["vedtak"]).id
    ids["guide"] = wb.codes.create("fokusområde a", origin="deductive").id

    def code(transcript: int, speaker: str, key: str, quote: bool = False) -> int:
        start, end = span(wb, transcript, speaker)
        coding = wb.codes.apply(transcript, start, end, code_id=ids[key])
        if quote:
            wb.codes.set_quote(coding.id, True)
        return coding.id

    code(fg1.id, "Leder 1", "håp", quote=True)
    code(fg1.id, "Leder 1", "tid")
    code(fg1.id, "Leder 2", "vedtak", quote=True)
    code(fg1.id, "Leder 3", "tid")
    code(fg2.id, "Miljøterapeut 1", "tid", quote=True)
    code(fg2.id, "Miljøterapeut 2", "medvirkning", quote=True)
    code(fg2.id, "Miljøterapeut 2", "vedtak")
    code(fg2.id, "Miljøterapeut 3", "håp", quote=True)
    code(fg2.id, "Miljøterapeut 4", "guide", quote=True)  # under a discarded theme only

    main1 = wb.themes.create(
        MAIN_1, definition="Hva informantene mener med forbedring.\n\nTo sider av samme sak."
    )
    wb.themes.create(SUB_1A, parent_id=main1.id, code_ids=[ids["tid"]],
                     definition="Tid som knapphet.")
    wb.themes.create(SUB_1B, parent_id=main1.id, code_ids=[ids["håp"]])
    main2 = wb.themes.create(MAIN_2, code_ids=[ids["vedtak"], ids["medvirkning"]],
                             definition="Innføringen ble besluttet av ledelsen.")
    discarded = wb.themes.create(DISCARDED, code_ids=[ids["guide"]])
    wb.themes.update(discarded.id, status="discarded")
    wb.themes.create(MISC, is_misc=True, code_ids=[ids["håp"]])

    wb.phases.set(2)
    wb.journal.add("Begynte å kode. Leter etter fokusområdene – må passe meg.")
    wb.phases.set(3)
    wb.snapshots.create("Første kart")
    wb.phases.set(1, reason="Temaene speilet intervjuguiden; leser på nytt med nye øyne.")
    wb.phases.set(4)
    comment = wb.review.comment("theme", main2.id, "Er dette et tema eller et fokusområde?")
    wb.review.reply(comment.id, "Skrev om definisjonen.")
    wb.review.resolve(comment.id)
    wb.review.comment("project", None, "Åpen kommentar som ikke skal med.")
    wb.snapshots.create("Etter veiledning")
    ids |= {"fg1": fg1.id, "fg2": fg2.id, "main1": main1.id, "main2": main2.id}
    return ids


@pytest.fixture
def study(project_template: ProjectTemplate, tmp_path: Path):
    """The study (``build_study``), built once per test process; each test opens a copy."""
    path = copy_project(project_template(build_study, title="Teststudie"), tmp_path / "studie.wbp")
    wb = Workbench.open(path)
    yield wb
    wb.close()


def service(wb: Workbench) -> ExportService:
    return ExportService(wb.store)


def export(wb: Workbench, kind: str, tmp_path: Path, name: str | None = None, **options):
    result = service(wb).export(kind, tmp_path / (name or f"{kind}.docx"), ExportOptions(**options))
    assert result.path.is_file()
    return result, docx.Document(str(result.path))


def body_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def run_languages(document) -> set[str]:
    return {
        lang.get(qn("w:val")) for lang in document.element.body.iter(qn("w:lang"))
    }


def default_language(document) -> str | None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    return defaults.find(".//" + qn("w:lang")).get(qn("w:val"))


def header_repeats(table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


# -- attribution helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "base"),
    [
        ("sykepleier med videreutdanning i psykisk helsearbeid", "Sykepleier"),
        ("vernepleier m/videreutdanning", "Vernepleier"),
        ("Sosionom, videreutdanning i ledelse", "Sosionom"),
        ("sykepleier (master)", "Sykepleier"),
        ("miljøterapeut", "Miljøterapeut"),
        (None, ""),
    ],
)
def test_base_profession(raw, base):
    assert base_profession(raw) == base


@pytest.mark.parametrize(
    ("raw", "singular"),
    [("Ledere", "leder"), ("Miljøterapeuter", "miljøterapeut"), ("Psykologer", "psykolog"),
     ("Leder", "leder"), ("NAV", "NAV"), ("Fokusgruppe 1", "fokusgruppe 1"), ("", "")],
)
def test_group_singular(raw, singular):
    assert group_singular(raw) == singular


# -- 1. the theme table -------------------------------------------------------------------------


def test_theme_table_structure(study: Workbench, tmp_path: Path):
    _result, document = export(study, "theme-table", tmp_path)
    caption = document.paragraphs[0]
    assert caption.text == "Tabell 1. Oversikt tema"
    assert caption.style.name == "Caption"
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    assert header_repeats(table)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Hovedtema", "Undertema"]
    assert [r[0] for r in rows[1:]] == [MAIN_1, MAIN_2]  # theme-map order, nothing else
    sub_cell = table.rows[1].cells[1]
    assert [p.text for p in sub_cell.paragraphs] == [SUB_1A, SUB_1B]  # one paragraph each
    assert rows[2][1] == ""  # a main theme without sub-themes: empty cell
    text = body_text(document)
    assert DISCARDED not in text and MISC not in text
    assert run_languages(document) == {"nb-NO"}
    assert default_language(document) == "nb-NO"
    assert document.core_properties.language == "nb-NO"


def test_theme_table_names_come_from_the_theme_map(study: Workbench, tmp_path: Path):
    tree = study.themes.tree()
    _result, document = export(study, "theme-table", tmp_path)
    names = [row.cells[0].text for row in document.tables[0].rows[1:]]
    assert names == [t.name for t in tree if t.status != "discarded" and not t.is_misc]


def test_theme_table_caption_and_columns(study: Workbench, tmp_path: Path):
    _result, document = export(
        study, "theme-table", tmp_path, caption="Tabell 3. Hovedtema og undertema",
        columns=("definition", "codes", "extracts", "groups", "informants"),
    )
    assert document.paragraphs[0].text == "Tabell 3. Hovedtema og undertema"
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Hovedtema", "Undertema", "Definisjon", "Koder", "Utdrag", "Grupper",
                      "Informanter"]
    rows = [{h: c for h, c in zip(header, row.cells, strict=True)} for row in table.rows[1:]]
    # a row for the main theme, then one per sub-theme; the main theme's cell is merged
    assert [r["Hovedtema"].text for r in rows] == [MAIN_1, MAIN_1, MAIN_1, MAIN_2]
    assert rows[0]["Hovedtema"]._tc is rows[2]["Hovedtema"]._tc
    assert [r["Undertema"].text for r in rows] == ["", SUB_1A, SUB_1B, ""]
    first, sub_a, sub_b, second = rows
    assert first["Koder"].text == ""  # MAIN_1 has no codes of its own
    assert [p.text for p in sub_a["Koder"].paragraphs] == ["tid til relasjon"]
    assert [p.text for p in sub_b["Koder"].paragraphs] == ["håp"]
    assert sub_a["Definisjon"].text == "Tid som knapphet."  # sub-theme definitions too
    # tid: Leder 1, Leder 3, Miljøterapeut 1; håp: Leder 1, Miljøterapeut 3 → 5 codings
    assert first["Utdrag"].text == "5"
    assert sub_a["Utdrag"].text == "3" and sub_b["Utdrag"].text == "2"
    assert [p.text for p in first["Grupper"].paragraphs] == ["Ledere", "Miljøterapeuter"]
    assert first["Informanter"].text == "4 av 7"
    assert first["Definisjon"].paragraphs[0].text == "Hva informantene mener med forbedring."
    assert [p.text for p in second["Koder"].paragraphs] == ["vedtak ovenfra", "medvirkning"]
    assert second["Utdrag"].text == "3"
    assert document.sections[0].orientation == 1  # landscape for a wide table


def test_theme_table_in_english(study: Workbench, tmp_path: Path):
    _result, document = export(study, "theme-table", tmp_path, lang="en")
    assert document.paragraphs[0].text == "Table 1. Overview of themes"
    assert [c.text for c in document.tables[0].rows[0].cells] == ["Main theme", "Sub-theme"]
    assert run_languages(document) == {"en-GB"}
    assert default_language(document) == "en-GB"


# -- 2. the results chapter ----------------------------------------------------------------------


def test_report_headings_definitions_and_quotes(study: Workbench, tmp_path: Path):
    result, document = export(study, "report", tmp_path)
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", MAIN_1), ("Heading 2", SUB_1A), ("Heading 2", SUB_1B),
        ("Heading 1", MAIN_2),
    ]
    # the same names as the table at the top
    table_names = [row.cells[0].text for row in document.tables[0].rows[1:]]
    assert table_names == [MAIN_1, MAIN_2]
    texts = [p.text for p in document.paragraphs]
    assert "Hva informantene mener med forbedring." in texts
    assert "To sider av samme sak." in texts
    full = body_text(document)
    for mark in ("(latter)", "(pause)", "(kremt)", "::"):
        assert mark not in full
    for name in LABELS + REAL_NAMES:
        assert name not in full
    assert DISCARDED not in full and MISC not in full
    assert "«At brukeren opplever håp, og at vi har tid til relasjonen.» (Sykepleier, leder)" \
        in texts
    assert "«Det kom et vedtak ovenfra, og vi sa ‘ja’ fordi vi måtte.» (Vernepleier, leder)" \
        in texts
    assert "«Vi fikk ikke være med på å bestemme noe som helst.» (Vernepleier, miljøterapeut)" \
        in texts
    # the quote under the discarded theme is left out
    assert "Vi har fortsatt for lite tid" not in full
    # the long one is a block quote in the indented Quote style
    block = next(p for p in document.paragraphs if p.text.startswith("«Ja altså"))
    assert block.style.name == "Quote"
    assert block.text.endswith("» (Vernepleier, miljøterapeut)")
    assert document.styles["Quote"].paragraph_format.left_indent > 0
    short = next(p for p in document.paragraphs if p.text.startswith("«At brukeren"))
    assert short.style.name == "Normal"
    # quotes sit under the theme whose codes they carry
    order = [p.text for p in document.paragraphs]
    assert order.index(SUB_1A) < order.index(block.text) < order.index(SUB_1B)
    assert run_languages(document) == {"nb-NO"}


def test_report_warns_about_an_attribution_that_fits_one_informant(
    study: Workbench, tmp_path: Path
):
    result, document = export(study, "report", tmp_path)
    assert "«Jeg ser at brukerne får mer håp nå.» (Sosionom, miljøterapeut)" in [
        p.text for p in document.paragraphs
    ]
    unique = [w for w in result.warnings if "(Sosionom, miljøterapeut)" in w]
    assert len(unique) == 1
    assert not any("(Sykepleier, leder)" in w for w in result.warnings)
    assert not any("(Vernepleier, miljøterapeut)" in w for w in result.warnings)
    # the same warnings come with the preview
    preview = service(study).preview("report", ExportOptions())
    assert any("(Sosionom, miljøterapeut)" in w for w in preview.warnings)
    # a coarser pattern fits several informants: no warning
    result, _document = export(study, "report", tmp_path, name="coarse.docx",
                               attribution="({group})")
    assert not any("(miljøterapeut)" in w for w in result.warnings)


def test_report_attribution_pattern_and_options(study: Workbench, tmp_path: Path):
    _result, document = export(
        study, "report", tmp_path, attribution="[{profession_full}; {group_raw}]",
        include_table=False, heading_level=2, block_quote_marks=False, block_words=100,
    )
    assert not document.tables
    texts = [p.text for p in document.paragraphs]
    assert ("«At brukeren opplever håp, og at vi har tid til relasjonen.» "
            "[Sykepleier med videreutdanning i psykisk helsearbeid; Ledere]") in texts
    headings = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Heading 2", "Heading 3", "Heading 3", "Heading 2"]
    assert all(p.style.name != "Quote" for p in document.paragraphs)  # limit 100 words


def test_report_block_quote_without_marks(study: Workbench, tmp_path: Path):
    _result, document = export(study, "report", tmp_path, block_quote_marks=False)
    block = next(p for p in document.paragraphs if p.style.name == "Quote")
    assert block.text.startswith("Ja altså det som har endret seg mest")
    assert "«" not in block.text


def test_report_attribution_never_uses_names(study: Workbench):
    with pytest.raises(UserError) as err:
        service(study).preview("report", ExportOptions(attribution="({label})"))
    assert err.value.key == "export.error.attribution_field"
    with pytest.raises(UserError):
        service(study).preview("report", ExportOptions(attribution="({profession.__class__})"))


def test_report_in_english(study: Workbench, tmp_path: Path):
    _result, document = export(study, "report", tmp_path, lang="en")
    texts = [p.text for p in document.paragraphs]
    assert MAIN_1 in texts and SUB_1B in texts
    assert "\u201cAt brukeren opplever håp, og at vi har tid til relasjonen.\u201d " \
        "(Sykepleier, leder)" in texts
    assert document.paragraphs[0].text == "Table 1. Overview of themes"
    assert run_languages(document) == {"en-GB"}


def test_missing_profession_is_reported_and_not_replaced_by_a_name(
    study: Workbench, tmp_path: Path
):
    person = next(p for p in study.transcripts.participants() if p.label == "Leder 1")
    study.transcripts.update_participant(person.id, profession="")
    result, document = export(study, "report", tmp_path)
    assert any("Leder 1" in w for w in result.warnings)
    assert "(Informant, leder)" in body_text(document)
    assert "Leder 1" not in body_text(document)


# -- 3. the codebook -----------------------------------------------------------------------------


def test_codebook(study: Workbench, tmp_path: Path):
    _result, document = export(study, "codebook", tmp_path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Kodebok"]
    (table,) = document.tables
    assert header_repeats(table)
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert [c.text for c in table.rows[0].cells] == [
        "Kode", "Beskrivelse", "Opphav", "Kodinger", "Tema"
    ]
    assert rows["håp"][1:4] == ["Brukerens håp om bedring.", "induktiv", "2"]
    assert rows["håp"][4] == SUB_1B  # the misc bin is not a theme in the thesis
    assert rows["vedtak ovenfra"][2:5] == ["deduktiv", "2", MAIN_2]
    assert rows["medvirkning"][3] == "1"
    assert rows["fokusområde a"][4] == ""  # only under a discarded theme
    names = [row.cells[0].text for row in table.rows[1:]]
    assert names.index("medvirkning") == names.index("vedtak ovenfra") + 1  # sub-code follows
    assert run_languages(document) == {"nb-NO"}


# -- 4. the audit trail --------------------------------------------------------------------------


def test_audit_trail(study: Workbench, tmp_path: Path):
    _result, document = export(study, "audit", tmp_path)
    text = body_text(document)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [
        "Faser", "Refleksjonslogg", "Slik vokste kodeboken",
        "Øyeblikksbilder av det tematiske kartet", "Veilederkommentarer",
        "Endringslogg (sammendrag)",
    ]
    assert "Temaene speilet intervjuguiden; leser på nytt med nye øyne." in text
    assert "Fase 3: Søken etter tema" in text
    assert "Begynte å kode. Leter etter fokusområdene – må passe meg." in text
    subheadings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert "Første kart" in subheadings and "Etter veiledning" in subheadings
    assert MAIN_1 in text and SUB_1A in text  # snapshot contents
    assert "Er dette et tema eller et fokusområde?" in text
    assert "Skrev om definisjonen." in text
    assert "Åpen kommentar" in text and "Ikke løst ennå." in text  # open ones say so
    assert "Løst av tester" in text
    assert "Tid brukt" in text and "Begrunnelse for å gå tilbake" in text  # phase periods
    assert "Tid per fase:" in text
    assert "Opprettet " in text and " koder: «" in text  # how the codebook grew
    assert not re.search(r"\b(theme|code|coding|phase)\.[a-z_]+\b", text)  # no command ids
    assert "Koding lagt til" in text  # change-log summary by kind
    for table in document.tables:
        assert header_repeats(table)
    assert run_languages(document) == {"nb-NO"}


@pytest.mark.skipif(
    importlib.util.find_spec("workbench.domain.snapshot_diff") is None,
    reason="no snapshot diff in this build",
)
def test_audit_shows_what_changed_between_snapshots(study: Workbench, tmp_path: Path):
    ids = {t.name: t.id for t in study.themes.tree()}
    study.snapshots.create("Tredje kart")
    study.themes.rename(ids[MAIN_2], "Endringen kom ovenfra")
    study.themes.update(ids[MAIN_1], status="final")
    study.snapshots.create("Fjerde kart")
    study.themes.create("Et nytt tema")
    _result, document = export(study, "audit", tmp_path)
    texts = [p.text for p in document.paragraphs]
    assert f"Tema omdøpt: «{MAIN_2}» → «Endringen kom ovenfra»" in texts
    assert f"Status for «{MAIN_1}»: kandidat → endelig" in texts
    assert "Ingen endringer i kartet siden forrige øyeblikksbilde." in texts  # 2nd → 3rd
    assert "Fra siste øyeblikksbilde til kartet nå" in texts
    assert "Nytt tema: «Et nytt tema»" in texts


def test_audit_in_english_and_for_an_empty_project(wb: Workbench, tmp_path: Path):
    _result, document = export(wb, "audit", tmp_path, lang="en")
    text = body_text(document)
    assert "Audit trail: how the analysis was done" in text
    assert "No phase changes recorded." in text


def test_control_characters_do_not_break_the_document(wb: Workbench, tmp_path: Path):
    parsed = ParsedTranscript("txt", [ParsedTurn("Leder 1", "Et sitat\x07 fra en gammel fil.")])
    tr = wb.transcripts.add_parsed(parsed, name="gammel\x01", group="Ledere")
    code = wb.codes.create("kode", description="Beskrivelse\x0bmed loddrett tab")
    coding = wb.codes.apply(tr.id, 0, len("Et sitat\x07 fra en gammel fil."), code_id=code.id)
    wb.codes.set_quote(coding.id, True)
    wb.themes.create("Tema\x02", definition="Definisjon\x0cmed sideskift", code_ids=[code.id])
    for kind in ("theme-table", "report", "codebook", "audit"):
        _result, document = export(wb, kind, tmp_path)
        assert "\x07" not in body_text(document)
    assert "«Et sitat fra en gammel fil.» (Informant, leder)" in [
        p.text for p in docx.Document(str(tmp_path / "report.docx")).paragraphs
    ]


# -- bad input -----------------------------------------------------------------------------------


def test_no_themes_yet(wb: Workbench, tmp_path: Path):
    for kind in ("theme-table", "report"):
        with pytest.raises(UserError) as err:
            service(wb).export(kind, tmp_path / "x.docx")
        assert err.value.key == "export.error.no_themes"
    with pytest.raises(UserError) as err:
        service(wb).export("codebook", tmp_path / "x.docx")
    assert err.value.key == "export.error.no_codes"
    assert not list(tmp_path.glob("*.docx"))


def test_only_discarded_themes_count_as_none(wb: Workbench, tmp_path: Path):
    theme = wb.themes.create("Forkastet")
    wb.themes.update(theme.id, status="discarded")
    wb.themes.create("Diverse", is_misc=True)
    with pytest.raises(UserError) as err:
        service(wb).preview("theme-table")
    assert err.value.key == "export.error.no_themes"


def test_missing_folder_leaves_nothing(study: Workbench, tmp_path: Path):
    with pytest.raises(UserError) as err:
        service(study).export("theme-table", tmp_path / "nope" / "tabell.docx")
    assert err.value.key == "file.error.no_folder"
    assert not (tmp_path / "nope").exists()


def test_a_folder_as_target(study: Workbench, tmp_path: Path):
    (tmp_path / "tabell.docx").mkdir()
    with pytest.raises(UserError) as err:
        service(study).export("theme-table", tmp_path / "tabell.docx")
    assert err.value.key == "file.error.is_dir"


def test_wrong_suffix_and_added_suffix(study: Workbench, tmp_path: Path):
    with pytest.raises(UserError) as err:
        service(study).export("theme-table", tmp_path / "tabell.pdf")
    assert err.value.key == "export.error.suffix"
    result = service(study).export("theme-table", tmp_path / "tabell")
    assert result.path == tmp_path / "tabell.docx"


@pytest.mark.parametrize("lock", [".~lock.tabell.docx#", "~$bell.docx"])
def test_document_open_in_another_program(study: Workbench, tmp_path: Path, lock: str):
    target = tmp_path / "tabell.docx"
    target.write_bytes(b"old")
    (tmp_path / lock).write_text("someone")
    with pytest.raises(UserError) as err:
        service(study).export("theme-table", target)
    assert err.value.key == "file.error.busy"
    assert target.read_bytes() == b"old"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_folder(study: Workbench, tmp_path: Path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserError) as err:
            service(study).export("theme-table", folder / "tabell.docx")
        assert err.value.key == "file.error.permission"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_permission_denied_is_a_clear_error(study: Workbench, tmp_path: Path, monkeypatch):
    import workbench.formats.atomic as fileio

    def denied(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fileio.tempfile, "mkstemp", denied)
    with pytest.raises(UserError) as err:
        service(study).export("theme-table", tmp_path / "tabell.docx")
    assert err.value.key == "file.error.permission"
    assert not list(tmp_path.glob("*.docx"))


def test_failed_write_leaves_no_partial_file(study: Workbench, tmp_path: Path, monkeypatch):
    import workbench.formats.atomic as fileio

    def broken_replace(src, dst):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(UserError) as err:
        service(study).export("report", tmp_path / "rapport.docx")
    assert err.value.key == "file.error.disk_full"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("studie.wbp")] == []


def test_bad_options(study: Workbench):
    svc = service(study)
    for options, key in [
        (ExportOptions(columns=("farge",)), "export.error.column"),
        (ExportOptions(lang="de"), "export.error.lang"),
        (ExportOptions(block_words=0), "export.error.block_words"),
        (ExportOptions(heading_level=9), "export.error.heading_level"),
        (ExportOptions(attribution="({profession"), "export.error.attribution_syntax"),
    ]:
        with pytest.raises(UserError) as err:
            svc.preview("theme-table", options)
        assert err.value.key == key
    with pytest.raises(UserError) as err:
        svc.export("pdf")
    assert err.value.key == "export.error.kind"


def test_default_path_is_in_exports_next_to_the_project(study: Workbench, tmp_path: Path):
    result = service(study).export("codebook")
    assert result.path.resolve() == (tmp_path / "exports" / "studie-codebook.docx").resolve()
    assert result.path.is_file()


def test_export_does_not_change_the_project(study: Workbench, tmp_path: Path):
    before = len(study.history())
    for kind in ("theme-table", "report", "codebook", "audit"):
        service(study).export(kind, tmp_path / f"{kind}.docx")
    assert len(study.history()) == before


def test_works_on_a_read_only_project(study: Workbench, tmp_path: Path):
    study.close()
    with Workbench.open(tmp_path / "studie.wbp", readonly=True) as ro:
        result = ExportService(ro.store).export("report", tmp_path / "r.docx")
    assert result.path.is_file()


def test_previews_follow_the_documents(study: Workbench):
    svc = service(study)
    table = svc.preview("theme-table").lines
    assert table[0] == "Tabell 1. Oversikt tema"
    assert MAIN_1 in table and MAIN_2 in table
    report = "\n".join(svc.preview("report").lines)
    assert f"# {MAIN_1}" in report and f"## {SUB_1A}" in report
    assert "(latter)" not in report and "Leder 1" not in report
    assert "Kodebok" in "\n".join(svc.preview("codebook").lines)
    assert "Faser" in "\n".join(svc.preview("audit").lines)


def test_exchange_kinds_are_dispatched(study: Workbench, tmp_path: Path):
    import importlib.util

    svc = service(study)
    if importlib.util.find_spec("workbench.services.exchange") is None:
        with pytest.raises(UserError) as err:
            svc.export("qdc", tmp_path / "kodebok.qdc")
        assert err.value.key == "export.error.exchange_missing"
    else:
        result = svc.export("qdc", tmp_path / "kodebok.qdc")
        assert result.path.is_file()


# -- the rendered documents ----------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_documents_convert_to_pdf(study: Workbench, tmp_path: Path):
    out = tmp_path / "pdf"
    out.mkdir()
    files = []
    for kind in ("theme-table", "report", "codebook", "audit"):
        files.append(str(service(study).export(kind, tmp_path / f"{kind}.docx").path))
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), *files],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    for kind in ("theme-table", "report", "codebook", "audit"):
        pdf = out / f"{kind}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 1000
        assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Oversikt tema" in text and "(Sykepleier, leder)" in text


# -- the export screen ---------------------------------------------------------------------------


async def test_export_screen_previews_and_exports(study: Workbench, tmp_path: Path):
    from textual.widgets import Input, Select, TextArea

    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.export import ExportScreen

    app = WorkbenchApp(study)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = ExportScreen(kind="report")
        app.push_screen(screen)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.last_preview is not None:
                break
        assert screen.last_preview is not None
        preview = screen.query_one("#preview", TextArea).text
        assert f"# {MAIN_1}" in preview and "(latter)" not in preview
        assert any("(Sosionom, miljøterapeut)" in w for w in screen.last_preview.warnings)
        screen.query_one("#path", Input).value = str(tmp_path / "fra-skjermen.docx")
        await pilot.press("ctrl+s")
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.last_result is not None:
                break
        assert screen.last_result is not None
        assert (tmp_path / "fra-skjermen.docx").is_file()
        assert screen.last_result.warnings
        screen.query_one("#kind", Select).value = "theme-table"
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.last_preview and screen.last_preview.kind == "theme-table":
                break
        assert screen.last_preview.lines[0] == "Tabell 1. Oversikt tema"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)


# -- ready to hand in: no empty headings, APA block quotes, tables that never break a word -------


def test_report_leaves_out_a_theme_with_nothing_under_it_and_says_so(study: Workbench, tmp_path: Path):
    ids = {t.name: t.id for t in study.themes.tree()}
    study.themes.create("Tomt undertema", parent_id=ids[MAIN_2])
    defined = study.themes.create("Bare definert", parent_id=ids[MAIN_2])
    study.themes.update(defined.id, definition="Et undertema uten sitater, men med definisjon.")
    result, document = export(study, "report", tmp_path)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Tomt undertema" not in headings
    assert "Bare definert" in headings  # a sub-theme without quotes gets its definition
    after = [p.text for p in document.paragraphs]
    assert after[after.index("Bare definert") + 1] == "Et undertema uten sitater, men med definisjon."
    assert any("utelatt" in w and "«Tomt undertema»" in w for w in result.warnings)
    assert not any("«Bare definert»" in w and "utelatt" in w for w in result.warnings)
    preview = "\n".join(service(study).preview("report", ExportOptions()).lines)
    assert "Tomt undertema" not in preview.split("Tabell 1")[-1].split("##", 1)[-1]


def test_quotes_of_40_words_or_more_are_block_quotes():
    forty = " ".join(["ord"] * 40)
    assert word.is_block_quote(forty, 40)
    assert not word.is_block_quote(" ".join(["ord"] * 39), 40)
    text, block = word.quote_text(word.QuoteData(forty, "(Leder)"), word.ReportOptions(), "nb")
    assert block and text.startswith("«ord")
    text, block = word.quote_text(word.QuoteData("Kort sitat.", "(Leder)"), word.ReportOptions(), "nb")
    assert (text, block) == ("«Kort sitat.» (Leder)", False)


def test_the_wide_theme_table_never_breaks_a_word(study: Workbench, tmp_path: Path):
    ids = {t.name: t.id for root in study.themes.tree() for t, _depth in root.walk()}
    study.themes.update(ids[SUB_1A], definition="Miljøterapeutene beskriver tidsklemma i "
                        "kveldsvaktene og informantgruppens arbeidsfellesskap.")
    _result, document = export(study, "theme-table", tmp_path,
                               columns=("definition", "codes", "extracts", "groups", "informants"))
    table = document.tables[0]
    headers = [c.text for c in table.rows[0].cells]
    cells = [[c.text for c in row.cells] for row in table.rows[1:]]
    need = word.word_widths(headers, cells)
    widths = [col.width.cm for col in table.columns]
    assert all(w + 1e-3 >= n for w, n in zip(widths, need, strict=True)), (widths, need)
    assert sum(widths) <= word.text_width(document) + 1e-3


def test_fit_words_takes_room_from_columns_that_can_spare_it():
    widths = word.fit_words([2.0, 10.0, 4.0], [3.5, 2.0, 2.0], 16.0)
    assert widths[0] >= 3.5 and abs(sum(widths) - 16.0) < 1e-6
    assert word.fit_words([2.0, 2.0], [9.0, 9.0], 4.0) == [2.0, 2.0]  # cannot fit: unchanged


def test_report_puts_a_wide_theme_table_on_landscape_pages_and_the_text_in_portrait(
        study: Workbench, tmp_path: Path):
    _result, document = export(study, "report", tmp_path, include_table=True,
                               columns=("definition", "codes", "extracts", "groups", "informants"))
    assert document.sections[0].orientation == 1  # the wide table: landscape
    assert document.sections[-1].orientation == 0  # the chapter's text: portrait
    table = document.tables[0]
    need = word.word_widths([c.text for c in table.rows[0].cells],
                            [[c.text for c in row.cells] for row in table.rows[1:]])
    assert all(col.width.cm + 1e-3 >= n for col, n in zip(table.columns, need, strict=True))
    _result, narrow = export(study, "report", tmp_path, name="narrow.docx", include_table=True)
    assert [s.orientation for s in narrow.sections] == [0]


def test_the_codebook_table_never_breaks_a_word(study: Workbench, tmp_path: Path):
    study.codes.create("samarbeidspartnerorganisasjonene")  # a long word in a name column
    _result, document = export(study, "codebook", tmp_path)
    table = document.tables[0]
    need = word.word_widths([c.text for c in table.rows[0].cells],
                            [[c.text for c in row.cells] for row in table.rows[1:]])
    widths = [col.width.cm for col in table.columns]
    assert all(w + 1e-3 >= n for w, n in zip(widths, need, strict=True)), (widths, need)
    assert sum(widths) <= word.text_width(document) + 1e-3
