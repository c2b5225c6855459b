"""Agreement statistics on hand-computed cases (the arithmetic is in the comments) and
against the ``krippendorff`` package on random data."""

from __future__ import annotations

import math
import random
from collections import Counter

import krippendorff
import numpy as np
import pytest

from workbench.domain.agreement import (
    Document,
    agreed_units,
    agreement,
    cohen_kappa,
    disagreements,
    krippendorff_alpha,
    overlapped,
    percent_agreement,
    units_of,
)

FOUR = units_of("sentence", text_length=40, sentences=[(0, 10), (10, 20), (20, 30), (30, 40)])


def doc_from_values(values: dict[str, dict[str, list[int]]], name: str = "fg1") -> Document:
    """A document of four 10-character sentences; ``values[coder][code]`` says per sentence
    whether the coder coded it with the code (a coding of the sentence's middle)."""
    codings = {
        coder: [(code, 10 * i + 3, 10 * i + 6) for code, row in codes.items()
                for i, v in enumerate(row) if v]
        for coder, codes in values.items()
    }
    return Document(name, FOUR, codings)


def table(a: list[int], b: list[int]) -> Counter:
    return Counter(zip(a, b, strict=True))


# -- units and overlap -----------------------------------------------------------------------


def test_a_unit_is_coded_when_a_coding_overlaps_it_by_one_character_or_more() -> None:
    assert list(overlapped(FOUR, 9, 10)) == [0]      # the last character of sentence 1
    assert list(overlapped(FOUR, 10, 11)) == [1]     # touching 1's end is not overlapping it
    assert list(overlapped(FOUR, 5, 25)) == [0, 1, 2]
    assert list(overlapped(FOUR, 0, 40)) == [0, 1, 2, 3]
    assert list(overlapped(FOUR, 40, 45)) == []
    gaps = ((0, 4), (10, 14))                        # text between the units is in none
    assert list(overlapped(gaps, 5, 9)) == []
    assert list(overlapped(gaps, 3, 11)) == [0, 1]


def test_units_of_each_kind() -> None:
    assert units_of("character", text_length=3) == ((0, 1), (1, 2), (2, 3))
    assert units_of("turn", text_length=9, turns=[(5, 9), (0, 4), (4, 4)]) == ((0, 4), (5, 9))
    assert units_of("sentence", text_length=9, sentences=[(5, 9), (0, 5)]) == ((0, 5), (5, 9))
    with pytest.raises(ValueError):
        units_of("paragraph", text_length=9)


# -- hand-computed cases ---------------------------------------------------------------------


def test_two_coders_one_code_by_hand() -> None:
    # A = 1 1 0 0, B = 1 0 0 0 over four sentences.
    # percent: units 1, 3, 4 agree → 3/4 = 75 %.
    # κ: p_o = 3/4; p_A(1) = 2/4, p_B(1) = 1/4;
    #    p_e = 1/2·1/4 + 1/2·3/4 = 1/8 + 3/8 = 1/2; κ = (3/4 − 1/2)/(1 − 1/2) = 1/2.
    # α: 8 values, n_1 = 3, n_0 = 5; unit 2 holds (1, 0): o_10 = o_01 = 1/(2 − 1) = 1.
    #    α = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k = 1 − 7·2 / (2·3·5) = 1 − 14/30 = 8/15.
    result = agreement([doc_from_values({"A": {"X": [1, 1, 0, 0]}, "B": {"X": [1, 0, 0, 0]}})],
                       ["A", "B"])
    x = result.codes["X"]
    assert (x.units, x.complete_units) == (4, 4)
    assert x.percent_agreement == pytest.approx(75.0)
    assert x.kappa == pytest.approx(0.5)
    assert x.alpha == pytest.approx(8 / 15)


def test_negative_kappa_and_alpha_by_hand() -> None:
    # A = 1 1 1 0, B = 1 0 0 1: only unit 1 agrees, p_o = 1/4.
    # κ: p_A(1) = 3/4, p_B(1) = 2/4; p_e = 3/4·1/2 + 1/4·1/2 = 1/2;
    #    κ = (1/4 − 1/2)/(1/2) = −1/2.
    # α: n_1 = 3 + 2 = 5, n_0 = 3; units 2, 3, 4 disagree: o_01 = o_10 = 3.
    #    α = 1 − 7·(3 + 3) / (2·5·3) = 1 − 42/30 = −2/5.
    x = agreement([doc_from_values({"A": {"X": [1, 1, 1, 0]}, "B": {"X": [1, 0, 0, 1]}})],
                  ["A", "B"]).codes["X"]
    assert x.percent_agreement == pytest.approx(25.0)
    assert x.kappa == pytest.approx(-0.5)
    assert x.alpha == pytest.approx(-0.4)


def test_complete_disagreement_by_hand() -> None:
    # A = 1 0 1 0, B = 0 1 0 1: p_o = 0, p_e = 1/2·1/2 + 1/2·1/2 = 1/2, κ = −1.
    # α: n_1 = n_0 = 4, o_01 = o_10 = 4: α = 1 − 7·8/(2·4·4) = 1 − 56/32 = −3/4.
    x = agreement([doc_from_values({"A": {"X": [1, 0, 1, 0]}, "B": {"X": [0, 1, 0, 1]}})],
                  ["A", "B"]).codes["X"]
    assert x.percent_agreement == 0.0
    assert x.kappa == pytest.approx(-1.0)
    assert x.alpha == pytest.approx(-0.75)


def test_a_code_only_one_coder_used_by_hand() -> None:
    # Y: A = 0 0 1 1, B never uses Y: B = 0 0 0 0 (N = 4 units, A codes m = 2).
    # κ: p_o = 2/4; p_A(0) = 1/2, p_B(0) = 1; p_e = 1/2·1 + 1/2·0 = 1/2;
    #    κ = (1/2 − 1/2)/(1 − 1/2) = 0 exactly: defined (A varies), and no better than chance.
    # α: n = 8, n_1 = 2, n_0 = 6, o_01 = o_10 = 2:
    #    α = 1 − 7·4/(2·2·6) = 1 − 28/24 = −1/6  (in general 1 − (2N − 1)/(2N − m)).
    # Z: A codes one unit (m = 1): κ = 0 again, α = 1 − 7/7 = 0.
    d = doc_from_values({"A": {"X": [1, 0, 0, 0], "Y": [0, 0, 1, 1], "Z": [0, 1, 0, 0]},
                         "B": {"X": [1, 0, 0, 0]}})
    result = agreement([d], ["A", "B"])
    y, z = result.codes["Y"], result.codes["Z"]
    assert y.percent_agreement == pytest.approx(50.0)
    assert y.kappa == 0.0
    assert y.alpha == pytest.approx(-1 / 6)
    assert z.kappa == 0.0
    assert z.alpha == pytest.approx(0.0)
    assert result.codes["X"].kappa == pytest.approx(1.0)
    assert result.codes["X"].alpha == pytest.approx(1.0)


def test_perfect_agreement_without_variance_is_undefined() -> None:
    # Both coders code all four units with X: p_o = 1 but p_e = 1·1 = 1, κ = 0/0;
    # α: every value is 1, Σ_{c≠k} n_c n_k = 0, α = 0/0. Both None (shown as «–»).
    x = agreement([doc_from_values({"A": {"X": [1, 1, 1, 1]}, "B": {"X": [1, 1, 1, 1]}})],
                  ["A", "B"]).codes["X"]
    assert x.percent_agreement == 100.0
    assert x.kappa is None
    assert x.alpha is None
    # a code asked for that nobody used: the same, all «no»
    empty = agreement([doc_from_values({"A": {"X": [1, 0, 0, 0]}, "B": {"X": [1, 0, 0, 0]}})],
                      ["A", "B"], codes=["X", "W"]).codes["W"]
    assert (empty.percent_agreement, empty.kappa, empty.alpha) == (100.0, None, None)


def test_overall_pools_the_code_by_unit_decisions_by_hand() -> None:
    # X: A = 1 1 0 0, B = 1 0 0 0;  Y: A = 0 0 0 0, B = 0 0 0 1 (only B used Y).
    # Y alone: p_o = 3/4, p_e = 1·3/4 = 3/4 → κ = 0; α = 1 − (2N − 1)/(2N − m) = 1 − 7/7 = 0.
    # Pool, 8 (unit, code) items: yes/yes 1, yes/no 1, no/yes 1, no/no 5.
    # percent 6/8 = 75 %. κ: p_A(1) = p_B(1) = 2/8; p_e = 1/16 + 9/16 = 10/16;
    #    κ = (12/16 − 10/16)/(6/16) = 1/3.
    # α: n = 16, n_1 = 4, n_0 = 12, o_01 = o_10 = 2: α = 1 − 15·4/(2·4·12) = 1 − 60/96 = 3/8.
    d = doc_from_values({"A": {"X": [1, 1, 0, 0]}, "B": {"X": [1, 0, 0, 0], "Y": [0, 0, 0, 1]}})
    result = agreement([d], ["A", "B"])
    assert list(result.codes) == ["X", "Y"]
    assert result.codes["Y"].kappa == 0.0
    assert result.codes["Y"].alpha == pytest.approx(0.0)
    overall = result.overall
    assert (overall.units, overall.complete_units, overall.decisions) == (4, 4, 8)
    assert overall.percent_agreement == pytest.approx(75.0)
    assert overall.kappa == pytest.approx(1 / 3)
    assert overall.alpha == pytest.approx(3 / 8)


def test_alpha_with_missing_values_matches_krippendorffs_own_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal data
    # with missing values: 4 observers, 12 units; α = 0.743.
    n = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)
    # no pairable unit, or a single value: undefined
    assert krippendorff_alpha([[1, n], [n, 2]]) is None
    assert krippendorff_alpha([[1, 1], [1, 1]]) is None


def test_kappa_and_percent_edge_cases() -> None:
    assert cohen_kappa({}) is None
    assert percent_agreement([]) is None
    # 3 values, a = 0 0 1 2, b = 0 1 1 2: units 1, 3, 4 agree, p_o = 3/4;
    # p_a = (1/2, 1/4, 1/4), p_b = (1/4, 1/2, 1/4): p_e = 1/8 + 1/8 + 1/16 = 5/16;
    # κ = (12/16 − 5/16)/(11/16) = 7/11.
    a, b = [0, 0, 1, 2], [0, 1, 1, 2]
    assert cohen_kappa(table(a, b)) == pytest.approx(7 / 11)


def test_a_coder_who_did_not_take_part_is_missing_for_alpha_only() -> None:
    # Three coders; C took part in fg2 only. fg1 counts for α with two values per unit;
    # percent agreement and κ (not defined for three) use the complete units of fg2.
    fg1 = doc_from_values({"A": {"X": [1, 1, 0, 0]}, "B": {"X": [1, 0, 0, 0]}}, "fg1")
    fg1 = Document("fg1", fg1.units, fg1.codings, frozenset({"A", "B"}))
    fg2 = doc_from_values({"A": {"X": [1, 0, 0, 1]}, "B": {"X": [1, 0, 0, 1]},
                           "C": {"X": [1, 0, 1, 1]}}, "fg2")
    result = agreement([fg1, fg2], ["A", "B", "C"])
    x = result.codes["X"]
    assert (x.units, x.complete_units) == (8, 4)
    assert x.percent_agreement == pytest.approx(75.0)
    assert x.kappa is None
    nan = np.nan
    expected = krippendorff.alpha(reliability_data=[
        [1, 1, 0, 0, 1, 0, 0, 1],
        [1, 0, 0, 0, 1, 0, 0, 1],
        [nan, nan, nan, nan, 1, 0, 1, 1],
    ], level_of_measurement="nominal")
    assert x.alpha == pytest.approx(expected)
    assert (result.overall.units, result.overall.complete_units) == (8, 4)


# -- against the krippendorff package and a plain κ formula, on random data ------------------


def plain_kappa(a: list[int], b: list[int]) -> float | None:
    """Cohen (1960) written out: κ = (p_o − p_e)/(1 − p_e)."""
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / n
    values = set(a) | set(b)
    p_e = sum((a.count(v) / n) * (b.count(v) / n) for v in values)
    return None if p_e == 1 else (p_o - p_e) / (1 - p_e)


def package_alpha(rows: list[list[float]]) -> float | None:
    values = {v for row in rows for v in row if not math.isnan(v)}
    if len(values) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=rows, level_of_measurement="nominal"))


@pytest.mark.parametrize("seed", range(30))
def test_alpha_matches_the_krippendorff_package_on_random_tables(seed: int) -> None:
    rng = random.Random(seed)
    coders, units = rng.randint(2, 5), rng.randint(3, 40)
    k = rng.randint(2, 4)
    rows = [[float(rng.randrange(k)) if rng.random() > 0.2 else math.nan for _ in range(units)]
            for _ in range(coders)]
    ours = krippendorff_alpha([[None if math.isnan(v) else int(v) for v in row] for row in rows])
    pairable = any(sum(not math.isnan(r[j]) for r in rows) >= 2 for j in range(units))
    theirs = package_alpha(rows) if pairable else None
    if theirs is None or ours is None:
        assert ours is None and (theirs is None or math.isnan(theirs))
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_codings_through_agreement_match_the_package_and_the_plain_kappa(seed: int) -> None:
    rng = random.Random(1000 + seed)
    n_units, codes = rng.randint(5, 30), ["X", "Y", "Z"]
    coders = ["A", "B"] if seed % 2 else ["A", "B", "C"]
    units = tuple((10 * i, 10 * i + 10) for i in range(n_units))
    values = {c: {code: [int(rng.random() < 0.35) for _ in range(n_units)] for code in codes}
              for c in coders}
    codings = {c: [(code, 10 * i + 2, 10 * i + 4) for code in codes
                   for i, v in enumerate(values[c][code]) if v] for c in coders}
    result = agreement([Document("fg", units, codings)], coders, codes=codes)
    for code in codes:
        rows = [[float(v) for v in values[c][code]] for c in coders]
        fig = result.codes[code]
        expected = package_alpha(rows)
        assert (fig.alpha is None) == (expected is None)
        if expected is not None:
            assert fig.alpha == pytest.approx(expected, abs=1e-9)
        agree = sum(len({values[c][code][i] for c in coders}) == 1 for i in range(n_units))
        assert fig.percent_agreement == pytest.approx(100 * agree / n_units)
        if len(coders) == 2:
            expected_k = plain_kappa(values["A"][code], values["B"][code])
            assert (fig.kappa is None) == (expected_k is None)
            if expected_k is not None:
                assert fig.kappa == pytest.approx(expected_k, abs=1e-9)
        else:
            assert fig.kappa is None
    # overall: the pooled code × unit decisions, as one long reliability table
    pooled = [[float(values[c][code][i]) for code in codes for i in range(n_units)]
              for c in coders]
    expected = package_alpha(pooled)
    if expected is not None:
        assert result.overall.alpha == pytest.approx(expected, abs=1e-9)
    if len(coders) == 2:
        a = [values["A"][code][i] for code in codes for i in range(n_units)]
        b = [values["B"][code][i] for code in codes for i in range(n_units)]
        expected_k = plain_kappa(a, b)
        if expected_k is not None:
            assert result.overall.kappa == pytest.approx(expected_k, abs=1e-9)


# -- disagreements ---------------------------------------------------------------------------


def test_disagreements_list_the_units_where_the_coders_differ() -> None:
    d = doc_from_values({"A": {"X": [1, 1, 0, 0], "Y": [0, 1, 0, 0]},
                         "B": {"X": [1, 0, 0, 0], "Y": [0, 1, 0, 1]}})
    found = disagreements([d], ["A", "B"])
    assert [(x.start, x.end) for x in found] == [(10, 20), (30, 40)]
    assert found[0].codes == {"A": {"X", "Y"}, "B": {"Y"}}
    assert found[0].shared() == {"Y"}
    assert found[1].codes == {"A": frozenset(), "B": {"Y"}}
    assert disagreements([d], ["A", "B"], codes=["X"])[0].codes == {"A": {"X"}, "B": frozenset()}
    assert agreed_units(d, ["A", "B"]) == [((0, 10), frozenset({"X"}))]


def test_character_disagreements_join_into_runs() -> None:
    units = units_of("character", text_length=20)
    d = Document("fg", units, {"A": [("X", 2, 8)], "B": [("X", 4, 10)]})
    found = disagreements([d], ["A", "B"], merge_adjacent=True)
    assert [(x.start, x.end, dict(x.codes)) for x in found] == [
        (2, 4, {"A": {"X"}, "B": frozenset()}),
        (8, 10, {"A": frozenset(), "B": {"X"}}),
    ]
    # 20 characters: 4 coded by both, 2 + 2 by one; 12 by none → 16/20 agree
    x = agreement([d], ["A", "B"]).codes["X"]
    assert x.percent_agreement == pytest.approx(80.0)
