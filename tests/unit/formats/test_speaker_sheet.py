"""Speaker sheets, and the demo transcripts they describe."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import docx
import pytest

from workbench.domain.speakers import ROLES, SpeakerSpec, label_key, speaker_index
from workbench.formats.speaker_sheet import load_speaker_sheet, parse_speaker_sheet
from workbench.i18n import UserError, catalogue

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "transcripts"

# Simple, format-specific label patterns (deliberately independent of the importers).
DOCX_LABEL = re.compile(r"^([A-ZÆØÅ][\w .\-]{0,24}?):\s")
TXT_LABEL = re.compile(r"^(?:\[\d\d:\d\d:\d\d\]\s*)?([A-ZÆØÅ][\w .\-]{0,24}?):\s")
VTT_LABEL = re.compile(r"<v ([^>]+)>")
MARKS = ("(latter)", "(pause)", "(..)", "(kremt)", "(uhørbart)", "//", "::", "ehm")


def _docx_turns() -> list[tuple[str, str, bool]]:
    """(label, text, prefix is bold) for each speaker paragraph of the demo .docx."""
    turns = []
    for paragraph in docx.Document(str(DEMO / "fg1-ledere.docx")).paragraphs:
        match = DOCX_LABEL.match(paragraph.text)
        if match and not paragraph.style.name.startswith("Heading"):
            bold = bool(paragraph.runs) and bool(paragraph.runs[0].bold)
            turns.append((match[1], paragraph.text[match.end() :], bold))
    return turns


def _txt_turns() -> list[tuple[str, str]]:
    text = (DEMO / "fg2-miljoterapeuter.txt").read_text(encoding="utf-8")
    return [(m[1], line[m.end() :]) for line in text.splitlines() if (m := TXT_LABEL.match(line))]


def _vtt_labels() -> list[str]:
    return VTT_LABEL.findall((DEMO / "fg3-oppfolging.vtt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sheet() -> list[SpeakerSpec]:
    return load_speaker_sheet(DEMO / "speakers.csv")


# --------------------------------------------------------------------------- demo sheet


def test_demo_sheet_rows(sheet: list[SpeakerSpec]) -> None:
    roles = Counter(s.role for s in sheet)
    assert roles == {"informant": 14, "moderator": 1, "co-moderator": 1}
    groups = Counter(s.group for s in sheet if s.role == "informant")
    assert groups == {"Ledere": 8, "Miljøterapeuter": 6}
    assert all(s.pseudonym for s in sheet)
    assert len({s.pseudonym for s in sheet}) == len(sheet)
    assert {s.base_profession for s in sheet if s.role == "informant"} == {
        "sykepleier",
        "vernepleier",
        "sosionom",
    }
    assert any("med videreutdanning" in s.profession for s in sheet)


def test_demo_sheet_has_exactly_one_sosionom_among_ward_staff(sheet: list[SpeakerSpec]) -> None:
    counts = Counter(s.base_profession for s in sheet if s.group == "Miljøterapeuter")
    assert counts["sosionom"] == 1
    # ... and that is the only label unique inside its group.
    unique = [
        (group, prof)
        for (group, prof), n in Counter(
            (s.group, s.base_profession) for s in sheet if s.role == "informant"
        ).items()
        if n == 1
    ]
    assert unique == [("Miljøterapeuter", "sosionom")]


def test_every_transcript_label_is_in_the_sheet(sheet: list[SpeakerSpec]) -> None:
    index = speaker_index(sheet)
    fg1 = {label for label, _, _ in _docx_turns()}
    fg2 = {label for label, _ in _txt_turns()}
    fg3 = set(_vtt_labels())
    for labels in (fg1, fg2, fg3):
        missing = sorted(label for label in labels if label_key(label) not in index)
        assert not missing
    # Each group's transcript has its own informants plus the two moderators.
    people1 = {index[label_key(x)].label for x in fg1}
    people2 = {index[label_key(x)].label for x in fg2}
    assert len(people1) == 10 and len(people2) == 8
    assert {index[label_key(x)].group for x in fg1} == {"Ledere", ""}
    assert {index[label_key(x)].group for x in fg2} == {"Miljøterapeuter", ""}
    # Every row of the sheet is used somewhere.
    assert {s.label for s in sheet} == people1 | people2


def test_fg1_writes_one_informant_under_two_labels(sheet: list[SpeakerSpec]) -> None:
    labels = Counter(label for label, _, _ in _docx_turns())
    assert labels["Kari"] > 5 and labels["Kari Ø."] >= 2
    kari = speaker_index(sheet)[label_key("Kari Ø.")]
    assert kari.label == "Kari" and kari.pseudonym == "Leder 1"


# --------------------------------------------------------------------------- demo transcripts


@pytest.mark.parametrize("which", ["fg1", "fg2"])
def test_transcripts_are_long_and_verbatim(which: str) -> None:
    turns = [(lab, text) for lab, text, _ in _docx_turns()] if which == "fg1" else _txt_turns()
    text = "\n".join(t for _, t in turns)
    assert len(text.split()) >= 4000
    for mark in MARKS:
        assert mark in text.lower(), mark
    for word in ("bruker", "brukeren", "brukerne", "brukere", "håp", "medvirkning", "trygghet"):
        assert re.search(rf"\b{word}\b", text, re.IGNORECASE), word
    assert "forbedring" in text and "hvem bestemmer" in text.lower()
    # Informants introduce themselves by name.
    assert len(re.findall(r"[Jj]eg heter [A-ZÆØÅ]", text)) >= 3


def test_docx_structure() -> None:
    document = docx.Document(str(DEMO / "fg1-ledere.docx"))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Heading 1"
    assert styles.count("Heading 2") >= 6
    first_turn = next(i for i, p in enumerate(document.paragraphs) if DOCX_LABEL.match(p.text))
    assert first_turn >= 2  # unattributed notes come first
    assert all(bold for _, _, bold in _docx_turns())


def test_docx_is_in_sync_with_its_generator() -> None:
    spec = importlib.util.spec_from_file_location("build_demo_docx", DEMO / "build_demo_docx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.reproducible_bytes(module.build_document())
    assert built == (DEMO / "fg1-ledere.docx").read_bytes()


def test_txt_has_timestamps_on_some_turns() -> None:
    lines = [
        line
        for line in (DEMO / "fg2-miljoterapeuter.txt").read_text(encoding="utf-8").splitlines()
        if TXT_LABEL.match(line)
    ]
    stamped = [line for line in lines if line.startswith("[")]
    assert 0 < len(stamped) < len(lines)
    times = [line[1:9] for line in stamped]
    assert times == sorted(times)


def test_vtt_shape() -> None:
    text = (DEMO / "fg3-oppfolging.vtt").read_text(encoding="utf-8")
    assert text.startswith("WEBVTT")
    assert "\nNOTE" in text
    cues = re.findall(r"^\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}$", text, re.MULTILINE)
    assert 20 <= len(cues) <= 30
    assert len(_vtt_labels()) == len(cues)


# --------------------------------------------------------------------------- reading sheets


def test_semicolon_bom_norwegian_headers_and_roles(tmp_path: Path) -> None:
    path = tmp_path / "talere.csv"
    path.write_bytes(
        "\ufeffNavn;Pseudonym;Rolle;Yrke;Merknad;Gruppe;Alias\r\n"
        "Kari;Leder 1;Deltaker;sykepleier;første runde;Ledere;Kari Ø.; K. Ø \r\n"
        "Mod;Moderator;moderator;;;;\r\n"
        "Ko;Ko-moderator;Ko-moderator;;;;\r\n"
        ";;;;;;\r\n".encode()
    )
    speakers = load_speaker_sheet(path)
    assert [s.role for s in speakers] == ["informant", "moderator", "co-moderator"]
    # The unquoted ";" in the last (alias) column spilled into an extra cell: still aliases.
    assert speakers[0].aliases == ["Kari Ø.", "K. Ø"]
    assert speakers[0].profession == "sykepleier"
    assert speakers[0].group == "Ledere"


def test_quoted_aliases_and_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "talere.csv"
    path.write_bytes(
        'label;pseudonym;role;aliases\r\nBjørnar;Leder 6;informant;"Bjørnar K.; B.K."\r\n'.encode(
            "cp1252"
        )
    )
    [speaker] = load_speaker_sheet(path)
    assert speaker.label == "Bjørnar"
    assert speaker.aliases == ["Bjørnar K.", "B.K."]
    assert speaker.labels == ["Bjørnar", "Bjørnar K.", "B.K."]


def test_comma_sheet_without_pseudonym_and_role_defaults() -> None:
    [speaker] = parse_speaker_sheet("label,profession\nS01,vernepleier med videreutdanning\n")
    assert speaker.pseudonym is None
    assert speaker.display_name == "S01"
    assert speaker.role == "informant"
    assert speaker.base_profession == "vernepleier"


def test_yaml_sheet_list_and_mapping_forms(tmp_path: Path) -> None:
    listed = tmp_path / "a.yaml"
    listed.write_text(
        "- label: Kari\n  pseudonym: Leder 1\n  role: informant\n  aliases: [Kari Ø.]\n"
        "- label: No\n  role: ko-moderator\n  aliases: 'N; N.'\n",
        encoding="utf-8",
    )
    wrapped = tmp_path / "b.yml"
    wrapped.write_text("speakers:\n  - label: Moderator\n    role: Moderator\n", encoding="utf-8")
    a = load_speaker_sheet(listed)
    assert a[0].aliases == ["Kari Ø."]
    assert a[1].label == "No"  # not the boolean False
    assert a[1].role == "co-moderator" and a[1].aliases == ["N", "N."]
    assert load_speaker_sheet(wrapped)[0].role == "moderator"


BAD_SHEETS: list[tuple[str, str, str, str, dict[str, object]]] = [
    (
        "unknown role",
        "csv",
        "label,role\nKari,informant\nPer,observatør\n",
        "speakers.error.unknown_role",
        {"row": 3, "value": "observatør"},
    ),
    (
        "missing label",
        "csv",
        "label;pseudonym\nKari;Leder 1\n;Leder 2\n",
        "speakers.error.missing_label",
        {"row": 3},
    ),
    ("no label column", "csv", "pseudonym,role\nLeder 1,informant\n", "speakers.error.no_label_column", {}),
    ("unknown column", "csv", "label,pseudonyn\nKari,Leder 1\n", "speakers.error.unknown_column", {"column": "pseudonyn"}),
    ("duplicate column", "csv", "label,navn\nKari,Kari\n", "speakers.error.duplicate_column", {}),
    (
        "extra cells not in the alias column",
        "csv",
        "label;aliases;group\nKari;Kari Ø.;K. Ø.;Ledere\n",
        "speakers.error.extra_cells",
        {"row": 2},
    ),
    ("empty", "csv", "\n\n", "speakers.error.empty", {}),
    ("header only", "csv", "label,role\n", "speakers.error.empty", {}),
    (
        "alias clashes with a label",
        "csv",
        "label,aliases\nKari,KARI Ø.\nKari Ø.,\n",
        "speakers.error.duplicate_label",
        {"row": 3, "other_row": 2, "other": "Kari"},
    ),
    (
        "duplicate pseudonym",
        "csv",
        "label,pseudonym\nKari,Leder 1\nPer,leder 1\n",
        "speakers.error.duplicate_pseudonym",
        {"row": 3, "other_row": 2},
    ),
    ("yaml syntax", "yaml", "- label: [Kari\n", "speakers.error.yaml", {}),
    ("yaml not a list", "yaml", "label: Kari\n", "speakers.error.yaml_not_list", {}),
    ("yaml entry not a mapping", "yaml", "- Kari\n", "speakers.error.yaml_not_mapping", {"row": 1}),
    ("yaml unknown field", "yaml", "- label: Kari\n  rolle: x\n  yrket: y\n", "speakers.error.unknown_field", {"row": 1}),
    ("yaml unknown role", "yaml", "- label: A\n- label: B\n  role: leder\n", "speakers.error.unknown_role", {"row": 2}),
    ("yaml bad aliases", "yaml", "- label: A\n  aliases: {x: y}\n", "speakers.error.bad_aliases", {"row": 1}),
]


@pytest.mark.parametrize(
    ("kind", "text", "key", "params"),
    [pytest.param(k, t, key, p, id=label) for label, k, t, key, p in BAD_SHEETS],
)
def test_bad_sheet_gives_its_error(kind: str, text: str, key: str, params: dict[str, object]) -> None:
    with pytest.raises(UserError) as info:
        parse_speaker_sheet(text, kind=kind)
    assert info.value.key == key
    for name, value in params.items():
        assert info.value.params[name] == value, name
    for lang in ("nb", "en"):
        message = info.value.message(lang)
        assert message != key and "{" not in message
        if "row" in params:
            assert str(params["row"]) in message


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        load_speaker_sheet(tmp_path / "mangler.csv")
    assert info.value.key == "speakers.error.not_found"
    assert "mangler.csv" in info.value.message("nb")
    other = tmp_path / "talere.xlsx"
    other.write_bytes(b"PK")
    with pytest.raises(UserError) as info:
        load_speaker_sheet(other)
    assert info.value.key == "speakers.error.unsupported"


def test_roles_and_catalogues() -> None:
    assert ROLES == ("moderator", "co-moderator", "informant")
    nb = {k for k in catalogue("nb") if k.startswith("speakers.")}
    en = {k for k in catalogue("en") if k.startswith("speakers.")}
    assert nb == en
    assert {key for *_, key, _ in BAD_SHEETS} | {
        "speakers.error.not_found",
        "speakers.error.unsupported",
        "speakers.error.encoding",
    } <= nb
