"""Tests for workbench.domain.collation: Norwegian sort order."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.collation import sort_key, sorted_nb


def shuffled_sort(expected: list[str], seed: int = 1) -> list[str]:
    items = expected[:]
    random.Random(seed).shuffle(items)
    return sorted_nb(items)


def test_alphabet_ends_with_ae_oe_aa() -> None:
    expected = ["Anne", "Bjørn", "Xavier", "Yngve", "Zahl", "Ærlig", "Øystein", "Åse"]
    assert shuffled_sort(expected) == expected
    assert sorted(expected) != expected  # Python's code-point order is wrong here


def test_case_insensitive_lowercase_first_on_ties() -> None:
    assert shuffled_sort(["anne", "Anne", "bjørn", "Bjørn", "ørjan", "Øystein"]) == [
        "anne", "Anne", "bjørn", "Bjørn", "ørjan", "Øystein",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("variant", "base"),
    [("Ä", "Æ"), ("ä", "æ"), ("Ö", "Ø"), ("ö", "ø"), ("Ü", "Y"), ("é", "e"), ("è", "e"), ("ê", "e"), ("ç", "c")],
)
def test_variants_sort_with_their_base_letter(variant: str, base: str) -> None:
    word_v, word_b = f"K{variant}r", f"K{base}r"
    assert sort_key(word_v)[0] == sort_key(word_b)[0]
    assert sort_key(word_b) < sort_key(word_v)  # the plain/Norwegian letter first on a tie


def test_german_and_french_names() -> None:
    expected = ["Andre", "André", "Élise", "Eva", "Müller", "Yvonne", "Zorn", "Ärlig", "Öberg", "Østby"]
    assert shuffled_sort(expected) == expected
    # ü is y: "Müller" files as "Myller", after "Mynt"... and before "Mz"
    assert shuffled_sort(["Mynt", "Müller", "Mz"]) == ["Müller", "Mynt", "Mz"]


def test_aa_at_word_start_is_aa() -> None:
    expected = ["Ada", "Zahl", "Åros", "Åse", "Åsen", "Aasen", "Åsheim"]
    assert shuffled_sort(expected) == expected
    # Word-initial only: inside a compound "aa" is two a's.
    assert shuffled_sort(["ekstraarbeid", "ekstrab"]) == ["ekstraarbeid", "ekstrab"]
    # Second word of a name counts as a word start.
    assert shuffled_sort(["Kari Aas", "Kari Zahl"]) == ["Kari Zahl", "Kari Aas"]
    # Acronyms and a bare "Aa" keep their two a's.
    assert shuffled_sort(["AAP", "Ab", "Aa"]) == ["Aa", "AAP", "Ab"]


def test_numbers_in_natural_order() -> None:
    expected = ["Informant 1", "Informant 2", "Informant 3", "Informant 10", "Informant 11", "Informant 100"]
    assert shuffled_sort(expected) == expected
    assert shuffled_sort(["I10", "I2", "M", "I1"]) == ["I1", "I2", "I10", "M"]
    assert shuffled_sort(["S10", "S02", "S01", "S2"]) == ["S01", "S2", "S02", "S10"]  # "02" after "2"
    assert sort_key("S01")[0] == sort_key("S1")[0]  # same number, same primary key
    assert shuffled_sort(["Tema 2b", "Tema 2", "Tema 12", "Tema 2a"]) == ["Tema 2", "Tema 2a", "Tema 2b", "Tema 12"]
    assert shuffled_sort(["Gruppe B", "Gruppe 2"]) == ["Gruppe 2", "Gruppe B"]  # digits before letters


def test_word_by_word_and_punctuation() -> None:
    assert shuffled_sort(["Anna", "Ann Marie", "Anne-Lise", "Annelise"]) == ["Ann Marie", "Anna", "Anne-Lise", "Annelise"]
    # Quotes and other punctuation do not decide the order.
    assert shuffled_sort(["Ikke", "«Hvem bestemmer?»", "Godt"]) == ["Godt", "«Hvem bestemmer?»", "Ikke"]
    # Leading, trailing and doubled spaces do not either.
    assert sort_key("  Ola   Nordmann ")[0] == sort_key("Ola Nordmann")[0]


def test_theme_names() -> None:
    expected = [
        "Endring i arbeidshverdagen",
        "Hva er forbedring, og hvem bestemmer?",
        "Samarbeid med brukerne",
        "Ønsket om mer brukermedvirkning",
        "Å bli sett som et helt menneske",
    ]
    assert shuffled_sort(expected) == expected


def test_sorted_nb_with_key_and_reverse() -> None:
    @dataclass
    class Person:
        label: str

    people = [Person("Øystein"), Person("Anne"), Person("Åse"), Person("Zahl")]
    assert [p.label for p in sorted_nb(people, key=lambda p: p.label)] == ["Anne", "Zahl", "Øystein", "Åse"]
    assert sorted_nb(["b", "å", "a"], reverse=True) == ["å", "b", "a"]
    assert sorted_nb(iter(["b", "a"])) == ["a", "b"]
    assert sorted_nb([]) == []


def test_nfd_input_sorts_like_nfc() -> None:
    nfd = "A\u030ase"  # "Åse" decomposed, as macOS may write it
    assert sort_key(nfd) == sort_key("Åse")
    assert sorted_nb([nfd, "Zahl"]) == ["Zahl", nfd]


@given(st.lists(st.text(max_size=12), max_size=20))
def test_total_and_deterministic_order(names: list[str]) -> None:
    once = [sort_key(n) for n in sorted_nb(names)]
    assert once == sorted(once)
    assert [sort_key(n) for n in sorted_nb(list(reversed(names)))] == once
    # Equal keys only for equal strings (up to Unicode normalisation).
    for a, b in zip(names, names[1:]):
        if sort_key(a) == sort_key(b):
            assert unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)
