"""The plain rules every layer shares: how names compare, what a colour is, which role a
word names, and a speaker's base profession."""

from __future__ import annotations

import unicodedata

import pytest

from workbench.domain.codebook import PALETTE, normalise_colour, tint
from workbench.domain.model import name_key
from workbench.domain.speakers import ROLES, base_profession, canonical_role, label_key


def test_name_key_ignores_case_normalisation_and_spacing() -> None:
    assert name_key("Håp  og\tmening") == name_key(unicodedata.normalize("NFD", "HÅP OG MENING"))
    assert name_key("Håp") != name_key("Hap")
    assert label_key is name_key  # speaker labels compare as names do


@pytest.mark.parametrize(
    ("value", "colour"),
    [
        ("#4E79A7", "#4e79a7"),
        ("4e79a7", "#4e79a7"),
        ("  #abc ", "#aabbcc"),
        ("#abcd", None),
        ("#ggg", None),
        ("red", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_colour(value: str | None, colour: str | None) -> None:
    assert normalise_colour(value) == colour


def test_palette_and_tint() -> None:
    assert all(normalise_colour(c) == c for c in PALETTE)
    assert tint("#000000", 0) == "#000000"
    assert tint("#000000", 1) == "#ffffff"
    assert tint("#4e79a7", 0.5) == "#a6bcd3"  # 166.5 rounds to even


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("Moderator", "moderator"),
        ("intervjuer", "moderator"),
        ("Ko-moderator", "co-moderator"),
        ("co_moderator", "co-moderator"),
        ("assistant  moderator", "co-moderator"),
        ("Deltaker", "informant"),
        ("participant", "informant"),
        ("leder", None),
        ("", None),
    ],
)
def test_canonical_role(word: str, role: str | None) -> None:
    assert canonical_role(word) == role
    assert role is None or role in ROLES


@pytest.mark.parametrize(
    ("raw", "base"),
    [
        ("sykepleier med videreutdanning i psykisk helsearbeid", "sykepleier"),
        ("vernepleier m/videreutdanning", "vernepleier"),
        ("Sosionom, videreutdanning i ledelse", "Sosionom"),
        ("sykepleier (master)", "sykepleier"),
        ("miljøterapeut  og videreutdannet", "miljøterapeut"),
        ("miljøterapeut", "miljøterapeut"),
        (None, ""),
    ],
)
def test_base_profession(raw: str | None, base: str) -> None:
    assert base_profession(raw) == base
