"""The codebook YAML format: the demo codebooks, round trips and every kind of bad input."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.codebook import (
    ORIGINS,
    PALETTE,
    STATUSES,
    CodebookSpec,
    CodeSpec,
    ThemeSpec,
)
from workbench.domain.model import name_key
from workbench.formats.codebook_yaml import dump_codebook, load_codebook
from workbench.i18n import UserError, catalogue

ROOT = Path(__file__).resolve().parents[3]
CODEBOOKS = ROOT / "codebooks"
HEX = re.compile(r"^#[0-9a-f]{6}$")


# --------------------------------------------------------------------------- demo codebooks


@pytest.mark.parametrize("filename", ["chime.yaml", "intervjuguide.yaml", "induktiv-eksempel.yaml"])
def test_demo_codebook_loads_and_round_trips(filename: str) -> None:
    spec = load_codebook(CODEBOOKS / filename)
    codes = list(spec.all_codes())
    assert spec.name
    assert len(codes) >= 10
    assert all(HEX.match(code.colour) for code in codes)
    assert all(code.origin in ORIGINS for code in codes)
    text = dump_codebook(spec)
    assert load_codebook(text) == spec
    assert dump_codebook(load_codebook(text)) == text


def test_chime_has_the_five_processes_as_deductive_codes() -> None:
    spec = load_codebook(CODEBOOKS / "chime.yaml")
    assert [c.name for c in spec.codes] == [
        "Tilknytning",
        "Håp",
        "Identitet",
        "Mening",
        "Myndiggjøring",
    ]
    assert all(c.children for c in spec.codes)
    assert {c.origin for c in spec.all_codes()} == {"deductive"}
    assert all(c.description for c in spec.all_codes())


def test_interview_guide_covers_focus_areas_and_key_questions() -> None:
    spec = load_codebook(CODEBOOKS / "intervjuguide.yaml")
    names = [c.name for c in spec.codes]
    for area in "abcde":
        assert any(n.startswith(f"{area}:") for n in names), area
    assert sum("Nøkkelspørsmål" in n for n in names) == 2
    assert {c.origin for c in spec.all_codes()} == {"deductive"}


def test_inductive_example_has_themes_with_subthemes() -> None:
    spec = load_codebook(CODEBOOKS / "induktiv-eksempel.yaml")
    assert {c.origin for c in spec.all_codes()} == {"inductive"}
    assert len(spec.themes) >= 3
    assert any(t.subthemes for t in spec.themes)
    assert {t.status for t in spec.all_themes()} <= set(STATUSES)
    assert "discarded" in {t.status for t in spec.themes}
    code_names = {c.name for c in spec.all_codes()}
    for theme in spec.all_themes():
        assert set(theme.codes) <= code_names
    # No colours in the file: top-level codes get distinct palette colours.
    top = [c.colour for c in spec.codes]
    assert top[: len(PALETTE)] == list(PALETTE)[: len(top)]


# --------------------------------------------------------------------------- behaviour


def test_defaults_inheritance_and_colours() -> None:
    spec = load_codebook(
        """
name: T
origin: deduktiv
codes:
  - name: A
    colour: "#4E79A7"
    codes:
      - name: A1
      - name: A2
        origin: induktiv
        codes:
          - name: A2x
  - name: B
"""
    )
    a, b = spec.codes
    assert a.colour == "#4e79a7"
    assert a.origin == "deductive"
    assert a.children[0].origin == "deductive"
    assert a.children[1].origin == "inductive"
    assert a.children[1].children[0].origin == "inductive"  # inherits from its parent
    # B takes the first palette colour not already used by the file.
    assert b.colour == PALETTE[1]
    # Sub-codes without a colour are lighter shades of their parent.
    for child in a.children:
        assert child.colour != a.colour
        assert sum(int(child.colour[i : i + 2], 16) for i in (1, 3, 5)) > sum(
            int(a.colour[i : i + 2], 16) for i in (1, 3, 5)
        )


def test_plain_scalars_stay_text_norway_problem() -> None:
    spec = load_codebook("name: No\ncodes:\n  - name: Ja\n  - name: no way\n  - name: 2020\n")
    assert spec.name == "No"
    assert [c.name for c in spec.codes] == ["Ja", "no way", "2020"]


def test_null_means_not_given() -> None:
    spec = load_codebook("name: T\ncodes:\n  - name: A\n    colour: null\n    description: ~\n")
    assert spec.codes[0].colour == PALETTE[0]
    assert spec.codes[0].description == ""
    with pytest.raises(UserError) as info:
        load_codebook("name: T\ncodes:\n  - name: null\n")
    assert info.value.key == "codebook.error.missing_name_code"
    # A spec without a colour (e.g. built by code) still writes a loadable file.
    text = dump_codebook(CodebookSpec(name="T", codes=[CodeSpec(name="A", colour="")]))
    assert load_codebook(text).codes[0].colour == PALETTE[0]


def test_unquoted_colour_is_accepted() -> None:
    spec = load_codebook("name: T\ncodes:\n  - name: A\n    colour: #abc\n")
    assert spec.codes[0].colour == "#aabbcc"


def test_theme_references_resolve_to_the_codes_own_spelling() -> None:
    spec = load_codebook(
        "name: T\ncodes:\n  - name: Håp\nthemes:\n  - name: Th\n    codes: [HÅP, håp]\n"
    )
    assert spec.themes[0].codes == ["Håp"]
    assert spec.themes[0].status == "candidate"


def test_norwegian_status_words_are_accepted() -> None:
    spec = load_codebook(
        "name: T\ncodes: [{name: a}]\nthemes:\n"
        "  - {name: x, status: Gjennomgått}\n  - {name: y, status: forkastet}\n"
    )
    assert [t.status for t in spec.themes] == ["reviewed", "discarded"]


def test_nfd_text_is_normalised() -> None:
    nfd = unicodedata.normalize("NFD", "name: Kodebok\ncodes:\n  - name: Håp og mening\n")
    spec = load_codebook(nfd)
    assert spec.codes[0].name == unicodedata.normalize("NFC", "Håp og mening")


def test_bom_file_and_path_given_as_string(tmp_path: Path) -> None:
    path = tmp_path / "bok.yaml"
    path.write_bytes("\ufeffname: Bok\ncodes:\n  - name: Ø\n".encode())
    assert load_codebook(str(path)).codes[0].name == "Ø"
    assert load_codebook(path).name == "Bok"


def test_dump_writes_colours_and_omits_inherited_origin() -> None:
    spec = CodebookSpec(
        name="T",
        origin="deductive",
        codes=[
            CodeSpec(
                name="A",
                colour="#112233",
                origin="deductive",
                children=[CodeSpec(name="B", colour="#445566", origin="inductive")],
            )
        ],
        themes=[ThemeSpec(name="Th", codes=["B"], status="final")],
    )
    text = dump_codebook(spec)
    assert "origin: inductive" in text
    assert text.count("origin:") == 2  # the top-level default and B's override
    assert "'#112233'" in text
    assert load_codebook(text) == spec


# --------------------------------------------------------------------------- bad input

BAD_INPUTS: list[tuple[str, str, str, dict[str, object]]] = [
    ("invalid yaml", "name: T\ncodes:\n  - name: [unclosed\n", "codebook.error.yaml", {"line": 4}),
    ("tab indentation", "name: T\ncodes:\n\t- name: a\n", "codebook.error.yaml", {"line": 3}),
    ("empty file", "", "codebook.error.empty", {}),
    ("top level list", "- name: a\n", "codebook.error.not_mapping_codebook", {}),
    ("no codebook name", "codes:\n  - name: a\n", "codebook.error.missing_name_codebook", {}),
    (
        "code without name",
        "name: T\ncodes:\n  - name: a\n  - description: no name here\n",
        "codebook.error.missing_name_code",
        {"line": 4},
    ),
    (
        "blank code name",
        "name: T\ncodes:\n  - name: '   '\n",
        "codebook.error.missing_name_code",
        {"line": 3},
    ),
    (
        "theme without name",
        "name: T\ncodes: [{name: a}]\nthemes:\n  - codes: [a]\n",
        "codebook.error.missing_name_theme",
        {"line": 4},
    ),
    (
        "duplicate code, other case",
        "name: T\ncodes:\n  - name: Håp\n  - name: HÅP\n",
        "codebook.error.duplicate_code",
        {"line": 4, "first_line": 3, "first": "Håp"},
    ),
    (
        "duplicate code, nested, NFD",
        "name: T\ncodes:\n  - name: Håp\n    codes:\n      - name: " + unicodedata.normalize("NFD", "håp") + "\n",
        "codebook.error.duplicate_code",
        {"line": 5, "first_line": 3},
    ),
    (
        "duplicate theme",
        "name: T\ncodes: [{name: a}]\nthemes:\n  - name: X\n  - name: x\n",
        "codebook.error.duplicate_theme",
        {"line": 5},
    ),
    (
        "bad colour word",
        "name: T\ncodes:\n  - name: a\n    colour: red\n",
        "codebook.error.bad_colour",
        {"line": 3, "code": "a", "value": "red"},
    ),
    (
        "bad colour hex",
        "name: T\ncodes:\n  - name: a\n    colour: '#12345g'\n",
        "codebook.error.bad_colour",
        {"line": 3},
    ),
    (
        "unknown origin on code",
        "name: T\ncodes:\n  - name: a\n    origin: abductive\n",
        "codebook.error.unknown_origin",
        {"line": 3, "value": "abductive"},
    ),
    (
        "unknown default origin",
        "name: T\norigin: both\ncodes: []\n",
        "codebook.error.unknown_origin",
        {"line": 1},
    ),
    (
        "unknown status",
        "name: T\ncodes: [{name: a}]\nthemes:\n  - name: X\n    status: done\n",
        "codebook.error.unknown_status",
        {"line": 4, "value": "done"},
    ),
    (
        "theme refers to unknown code",
        "name: T\ncodes: [{name: a}]\nthemes:\n  - name: X\n    subthemes:\n      - name: Y\n        codes: [a, b]\n",
        "codebook.error.unknown_code_in_theme",
        {"line": 6, "theme": "Y", "code": "b"},
    ),
    (
        "misspelt key",
        "name: T\ncodes:\n  - name: a\n    descripton: x\n",
        "codebook.error.unknown_key_code",
        {"line": 3, "key": "descripton"},
    ),
    (
        "unknown top-level key",
        "name: T\ntema: []\n",
        "codebook.error.unknown_key_codebook",
        {"key": "tema"},
    ),
    (
        "duplicate key",
        "name: T\ncodes:\n  - name: a\n    name: b\n",
        "codebook.error.duplicate_key",
        {"line": 4, "key": "name"},
    ),
    ("codes not a list", "name: T\ncodes: a\n", "codebook.error.not_list", {"field": "codes"}),
    (
        "code not a mapping",
        "name: T\ncodes:\n  - just a word\n",
        "codebook.error.not_mapping_code",
        {},
    ),
    (
        "name not text",
        "name: T\ncodes:\n  - name: [a, b]\n",
        "codebook.error.not_text",
        {"field": "name", "line": 3},
    ),
]


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [pytest.param(text, key, params, id=label) for label, text, key, params in BAD_INPUTS],
)
def test_bad_input_gives_its_error(text: str, key: str, params: dict[str, object]) -> None:
    with pytest.raises(UserError) as info:
        load_codebook(text)
    assert info.value.key == key
    for name, value in params.items():
        assert info.value.params[name] == value, name
    # The message is a real sentence in both languages, with the parameters filled in.
    for lang in ("nb", "en"):
        message = info.value.message(lang)
        assert message != key
        assert "{" not in message
        if "line" in params:
            assert str(params["line"]) in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        load_codebook(tmp_path / "finnes-ikke.yaml")
    assert info.value.key == "codebook.error.not_found"
    with pytest.raises(UserError) as info:
        load_codebook(str(tmp_path / "finnes-ikke.yml"))
    assert info.value.key == "codebook.error.not_found"


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Håp\n".encode("cp1252"))
    with pytest.raises(UserError) as info:
        load_codebook(path)
    assert info.value.key == "codebook.error.encoding"
    assert info.value.params["position"] == len("name: H")


def test_utf16_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "unicode.yaml"
    path.write_bytes("name: Håp\ncodes:\n  - name: Tid\n".encode("utf-16"))
    spec = load_codebook(path)
    assert (spec.name, [c.name for c in spec.codes]) == ("Håp", ["Tid"])


def test_catalogues_have_the_same_codebook_keys() -> None:
    nb = {k for k in catalogue("nb") if k.startswith("codebook.")}
    en = {k for k in catalogue("en") if k.startswith("codebook.")}
    assert nb == en
    used = {key for _, _, key, _ in BAD_INPUTS} | {
        "codebook.error.not_found",
        "codebook.error.encoding",
        "codebook.error.not_mapping_theme",
    }
    assert used <= nb


# --------------------------------------------------------------------------- property: round trip

_WORD = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzæøåABCÆØÅ0123456789 -:,.'\"#?!()«»–")),
    min_size=1,
    max_size=25,
).map(str.strip).filter(bool)
_PROSE = st.text(
    alphabet=st.sampled_from(list("abcæøå ÆØÅ.,:;'\"#-\n")), max_size=80
).map(str.strip)
_COLOUR = st.sampled_from(PALETTE + ("#000000", "#ffffff", "#0a0b0c"))


@st.composite
def codebooks(draw: st.DrawFn) -> CodebookSpec:
    names = draw(st.lists(_WORD, min_size=1, max_size=12, unique_by=name_key))
    default = draw(st.sampled_from(ORIGINS))
    specs = [
        CodeSpec(
            name=n,
            description=draw(_PROSE),
            colour=draw(_COLOUR),
            origin=draw(st.sampled_from(ORIGINS)),
            guid=draw(st.none() | st.uuids().map(str)),
        )
        for n in names
    ]
    # Nest some codes under earlier ones.
    roots: list[CodeSpec] = []
    for i, spec in enumerate(specs):
        parent = draw(st.integers(min_value=-1, max_value=i - 1)) if i else -1
        (specs[parent].children if parent >= 0 else roots).append(spec)
    theme_names = draw(st.lists(_WORD, max_size=5, unique_by=name_key))
    themes: list[ThemeSpec] = []
    for tn in theme_names:
        theme = ThemeSpec(
            name=tn,
            definition=draw(_PROSE),
            status=draw(st.sampled_from(STATUSES)),
            codes=draw(st.lists(st.sampled_from(names), unique=True, max_size=4)),
        )
        if themes and draw(st.booleans()):
            themes[-1].subthemes.append(theme)
        else:
            themes.append(theme)
    return CodebookSpec(
        name=draw(_WORD), description=draw(_PROSE), origin=default, codes=roots, themes=themes
    )


@settings(max_examples=150, deadline=None)
@given(codebooks())
def test_dump_load_round_trip(spec: CodebookSpec) -> None:
    text = dump_codebook(spec)
    again = load_codebook(text)
    assert again == spec
    assert dump_codebook(again) == text
