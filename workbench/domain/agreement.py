"""Inter-coder agreement: units, percent agreement, Cohen's κ and Krippendorff's α (nominal).

Plain functions over plain values; the service (:mod:`workbench.services.agreement`) reads
the transcripts and codings and hands them in as :class:`Document` values.

**Units.** A transcript is cut into units of one kind (:data:`UNITS`): its sentences, its
turns, or its characters (every code point of the stored text, ``[i, i + 1)``). *A unit
counts as coded with code C by a coder when any of that coder's codings with C overlaps
it* (shares at least one character: ``coding.start < unit.end and coding.end >
unit.start``). Each (unit, code) pair is then one binary decision per coder: coded with C
or not.

**Per code** the items are the units, each with one yes/no value per coder.

**Overall** pools the per-code items: every (unit, code) pair of the codes in the
computation is one item (``units × codes`` decisions). Percent agreement, κ and α overall
are computed on that pool. Codes that nobody coded in the scope are not in it (they would
only add agreed «no» decisions). Because most units carry most codes not at all, pooled
percent agreement is high whenever codes are sparse; κ and α correct for that.

**Missing data.** A coder either took part in a transcript or not (:attr:`Document.coders`;
the service's rule is in its module). A coder who did not take part has no value for that
transcript's units: Krippendorff's α uses every unit with values from at least two coders
(its standard treatment of missing values); percent agreement and Cohen's κ need a value
from every coder, so they use only the *complete* units. :attr:`Figures.units` counts the
units α sees and :attr:`Figures.complete_units` those the other two see; both are equal when
every coder took part in every transcript.

**Undefined values are** ``None`` (shown as «–»):

- κ when the expected agreement is 1 (both coders gave every unit the same single value:
  no variance, so chance explains everything) or there is no complete unit;
- α when all values are the same (expected disagreement 0) or no unit has two values;
- κ is only computed for exactly two coders (``None`` otherwise).

**A code only one coder used.** Coder B never coded C, coder A coded it on ``m`` of ``N``
units (``0 < m < N``). κ is then exactly 0, not undefined: observed agreement ``(N − m)/N``
equals chance agreement ``(N − m)/N · 1 + m/N · 0``; A's values vary, so the denominator is
not 0. α is defined too and is ``1 − (2N − 1)/(2N − m)``: 0 for ``m = 1``, negative for
``m > 1`` (see the tests for the arithmetic).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

UNITS: tuple[str, ...] = ("sentence", "turn", "character")
"""The kinds of unit; ``sentence`` is the default."""

DEFAULT_UNIT = "sentence"
TAKES: tuple[str, ...] = ("a", "b", "both", "none")
"""How a disagreement is settled: the first coder's codes, the second's, both, neither."""

CONSENSUS = "consensus"
"""The coder name of codings settled by consensus (shown as «konsensus» in bokmål)."""

Span = tuple[int, int]


# -- units -----------------------------------------------------------------------------------


def units_of(kind: str, *, text_length: int, turns: Iterable[Span] = (),
             sentences: Iterable[Span] = ()) -> tuple[Span, ...]:
    """The unit spans of one transcript, sorted: its sentences, its turns (empty ones left
    out) or its characters."""
    if kind == "character":
        return tuple((i, i + 1) for i in range(text_length))
    if kind == "turn":
        spans: Iterable[Span] = turns
    elif kind == "sentence":
        spans = sentences
    else:
        raise ValueError(f"unknown unit {kind!r}; choose one of {', '.join(UNITS)}")
    return tuple(sorted((s, e) for s, e in spans if e > s))


def overlapped(units: Sequence[Span], start: int, end: int) -> range:
    """Indices of the ``units`` (sorted, not overlapping each other) that ``[start, end)``
    overlaps."""
    ends = _Ends(units)
    lo = bisect_right(ends, start)  # first unit that ends after start
    hi = bisect_left(_Starts(units), end)  # first unit that starts at or after end
    return range(lo, max(lo, hi))


class _Ends(Sequence[int]):
    def __init__(self, units: Sequence[Span]) -> None:
        self.units = units

    def __len__(self) -> int:
        return len(self.units)

    def __getitem__(self, i: Any) -> Any:
        return self.units[i][1]


class _Starts(_Ends):
    def __getitem__(self, i: Any) -> Any:
        return self.units[i][0]


# -- the input -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One transcript as the computation sees it.

    ``codings`` maps each coder to their codings ``(code, start, end)``; ``coders`` are the
    coders who took part in this transcript (the others have no values for its units).
    ``None`` means every coder of the computation took part.
    """

    name: str
    units: tuple[Span, ...]
    codings: Mapping[str, Sequence[tuple[Hashable, int, int]]]
    coders: frozenset[str] | None = None
    text: str = ""
    """The stored text (for the first words of a disagreement); may be empty."""

    def took_part(self, coder: str) -> bool:
        return self.coders is None or coder in self.coders

    def coded_units(self, coder: str, codes: frozenset[Hashable] | None = None
                    ) -> dict[Hashable, set[int]]:
        """For each code: the indices of the units this coder's codings with it overlap."""
        out: dict[Hashable, set[int]] = {}
        for code, start, end in self.codings.get(coder, ()):
            if codes is not None and code not in codes:
                continue
            hit = overlapped(self.units, start, end)
            if len(hit):
                out.setdefault(code, set()).update(hit)
        return out


# -- the statistics --------------------------------------------------------------------------


def percent_agreement(items: Iterable[tuple[Sequence[Hashable], int]]) -> float | None:
    """Share of items on which every value is the same, in percent; ``items`` are (values,
    how many such items). ``None`` without items."""
    total = agreed = 0
    for values, n in items:
        total += n
        if len(set(values)) <= 1:
            agreed += n
    return None if total == 0 else 100.0 * agreed / total


def cohen_kappa(pairs: Mapping[tuple[Hashable, Hashable], int]) -> float | None:
    """Cohen's κ from a contingency table ``{(value of A, value of B): count}``.

    κ = (p_o − p_e) / (1 − p_e), p_o the observed share of agreement, p_e = Σ_k p_A(k)·p_B(k)
    the agreement expected by chance from each coder's own distribution. ``None`` when
    p_e = 1 (no variance) or there are no items.
    """
    n = sum(pairs.values())
    if n == 0:
        return None
    rows: Counter[Hashable] = Counter()
    cols: Counter[Hashable] = Counter()
    observed = 0
    for (a, b), count in pairs.items():
        rows[a] += count
        cols[b] += count
        if a == b:
            observed += count
    p_o = observed / n
    p_e = sum(rows[k] * cols[k] for k in rows) / (n * n)
    if _close(p_e, 1.0):
        return None
    return (p_o - p_e) / (1.0 - p_e)


def alpha_from_units(units: Iterable[tuple[Mapping[Hashable, int], int]]) -> float | None:
    """Krippendorff's α (nominal) from units given as ``(value counts, multiplicity)``:
    ``({True: 1, False: 1}, 7)`` are 7 units on which one coder said yes and one no.
    Missing values are simply not counted. Units with fewer than two values are not
    pairable and are left out.

    Coincidences: o_ck = Σ_u n_uc·n_uk / (m_u − 1) (c ≠ k; n_uc(n_uc − 1) for c = k), with
    m_u the number of values in unit u; n_c = Σ_k o_ck, n = Σ_c n_c.
    α = 1 − D_o / D_e with D_o = Σ_{c≠k} o_ck / n and D_e = Σ_{c≠k} n_c·n_k / (n (n − 1)),
    i.e. α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k. ``None`` when D_e = 0 (a single
    value throughout) or nothing is pairable.
    """
    disagree = 0.0  # Σ_{c≠k} o_ck
    totals: Counter[Hashable] = Counter()  # n_c
    for counts, mult in units:
        m = sum(counts.values())
        if m < 2 or mult == 0:
            continue
        values = [(v, c) for v, c in counts.items() if c]
        for v, c in values:
            totals[v] += c * mult  # Σ_k o_ck over a unit is n_uc·(m − 1)/(m − 1)
        unit_disagree = sum(ci * ck for i, (_, ci) in enumerate(values)
                            for j, (_, ck) in enumerate(values) if i != j)
        disagree += mult * unit_disagree / (m - 1)
    n = sum(totals.values())
    if n < 2:
        return None
    expected = float(n * n - sum(c * c for c in totals.values()))  # Σ_{c≠k} n_c·n_k
    if _close(expected, 0.0):
        return None
    return 1.0 - (n - 1) * disagree / expected


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's α (nominal) of a reliability table laid out as the ``krippendorff``
    package takes it: one row per coder, one column per unit, ``None`` for a missing
    value."""
    if not data:
        return None
    width = len(data[0])
    units = []
    for j in range(width):
        counts = Counter(row[j] for row in data if row[j] is not None)
        units.append((counts, 1))
    return alpha_from_units(units)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-12


# -- the figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Agreement on one code, or overall (pooled over codes)."""

    units: int
    """Units with values from at least two coders (what α uses). Overall: the units of the
    computation, not the (unit, code) decisions (see :attr:`decisions`)."""
    percent_agreement: float | None
    kappa: float | None
    alpha: float | None
    complete_units: int = 0
    """Units with a value from every coder (what percent agreement and κ use)."""
    decisions: int = 0
    """Overall only: the pooled (unit, code) items α uses (per code: equal to ``units``)."""

    def as_dict(self) -> dict[str, Any]:
        return {"units": self.units, "percent_agreement": self.percent_agreement,
                "kappa": self.kappa, "alpha": self.alpha,
                "complete_units": self.complete_units, "decisions": self.decisions}


@dataclass
class _Tally:
    """The counts one code (or the pool) needs: per-unit value counts with multiplicities,
    the complete units' value tuples for percent agreement, and κ's 2×2 table."""

    alpha_units: Counter[tuple[int, int]] = field(default_factory=Counter)
    """(values present, of which "yes") -> number of units."""
    complete: Counter[tuple[bool, ...]] = field(default_factory=Counter)
    """The coders' values on a complete unit -> number of units."""

    def add(self, other: _Tally) -> None:
        self.alpha_units.update(other.alpha_units)
        self.complete.update(other.complete)

    def figures(self, n_coders: int) -> Figures:
        alpha_units = [({True: yes, False: m - yes}, mult)
                       for (m, yes), mult in self.alpha_units.items()]
        pairable = sum(mult for (m, _), mult in self.alpha_units.items() if m >= 2)
        complete = sum(self.complete.values())
        kappa = None
        if n_coders == 2:
            kappa = cohen_kappa({(v[0], v[1]): n for v, n in self.complete.items()})
        return Figures(
            units=pairable,
            percent_agreement=percent_agreement(self.complete.items()),
            kappa=kappa,
            alpha=alpha_from_units(alpha_units),
            complete_units=complete,
            decisions=pairable,
        )


@dataclass(frozen=True)
class Agreement:
    coders: tuple[str, ...]
    overall: Figures
    codes: dict[Hashable, Figures]
    """Per code, in the order the codes were given (or first seen)."""


def _code_order(docs: Sequence[Document], coders: Sequence[str]) -> list[Hashable]:
    seen: dict[Hashable, None] = {}
    for doc in docs:
        for coder in coders:
            if doc.took_part(coder):
                for code, _s, _e in doc.codings.get(coder, ()):
                    seen.setdefault(code, None)
    return list(seen)


def agreement(docs: Sequence[Document], coders: Sequence[str],
              codes: Sequence[Hashable] | None = None) -> Agreement:
    """Percent agreement, κ (two coders) and α per code and overall (see the module).

    ``codes``: the codes to compare (default: every code any of the coders used in
    ``docs``, in the order first seen). A document is used where at least two of the
    coders took part in it.
    """
    coders = tuple(dict.fromkeys(coders))
    if len(coders) < 2:
        raise ValueError("agreement needs at least two coders")
    wanted = list(codes) if codes is not None else _code_order(docs, coders)
    wanted_set = frozenset(wanted)
    tallies: dict[Hashable, _Tally] = {c: _Tally() for c in wanted}
    all_units = complete_units = 0
    for doc in docs:
        present = [c for c in coders if doc.took_part(c)]
        if len(present) < 2:
            continue
        n = len(doc.units)
        all_units += n
        whole = len(present) == len(coders)
        complete_units += n if whole else 0
        coded = {c: doc.coded_units(c, wanted_set) for c in present}
        for code in wanted:
            sets = [coded[c].get(code, set()) for c in present]
            tally = tallies[code]
            if len(present) == 2:  # the common case, by set arithmetic (character units)
                a, b = sets
                both, a_only, b_only = len(a & b), len(a - b), len(b - a)
                neither = n - both - a_only - b_only
                tally.alpha_units[(2, 2)] += both
                tally.alpha_units[(2, 1)] += a_only + b_only
                tally.alpha_units[(2, 0)] += neither
                if whole:
                    tally.complete[(True, True)] += both
                    tally.complete[(True, False)] += a_only
                    tally.complete[(False, True)] += b_only
                    tally.complete[(False, False)] += neither
                continue
            touched: Counter[int] = Counter()
            for s in sets:
                touched.update(s)
            # units nobody coded with this code: every present coder said no
            untouched = n - len(touched)
            tally.alpha_units[(len(present), 0)] += untouched
            if whole:
                tally.complete[(False,) * len(coders)] += untouched
            for unit, yes in touched.items():
                tally.alpha_units[(len(present), yes)] += 1
                if whole:
                    tally.complete[tuple(unit in s for s in sets)] += 1
    per_code = {code: tallies[code].figures(len(coders)) for code in wanted}
    pool = _Tally()
    for tally in tallies.values():
        pool.add(tally)
    pooled = pool.figures(len(coders))
    overall = Figures(all_units, pooled.percent_agreement, pooled.kappa, pooled.alpha,
                      complete_units, pooled.decisions)
    return Agreement(coders, overall, per_code)


# -- disagreements ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    """A unit (or, for characters, a run of adjacent units) on which the coders' codes
    differ. ``codes`` maps each coder who took part to the codes they gave it."""

    document: str
    start: int
    end: int
    codes: dict[str, frozenset[Hashable]]

    def shared(self) -> frozenset[Hashable]:
        """The codes every coder gave the unit (not in dispute)."""
        sets = list(self.codes.values())
        return frozenset.intersection(*sets) if sets else frozenset()


def disagreements(docs: Sequence[Document], coders: Sequence[str],
                  codes: Sequence[Hashable] | None = None, *,
                  merge_adjacent: bool = False) -> list[Disagreement]:
    """The units where the coders who took part differ, in document and text order.

    ``merge_adjacent`` joins neighbouring units with the same codes per coder into one
    (for character units, where a disagreement is a run of characters).
    """
    coders = tuple(dict.fromkeys(coders))
    wanted = frozenset(codes) if codes is not None else None
    out: list[Disagreement] = []
    for doc in docs:
        present = [c for c in coders if doc.took_part(c)]
        if len(present) < 2:
            continue
        per_code = {coder: doc.coded_units(coder, wanted) for coder in present}
        # the units some code is not given by all coders alike: where any coder's set for a
        # code differs from the others' (the union minus the intersection, per code)
        differ: set[int] = set()
        for code in {c for sets in per_code.values() for c in sets}:
            sets = [per_code[coder].get(code, set()) for coder in present]
            differ |= set.union(*sets) - set.intersection(*sets)
        per_coder: dict[str, dict[int, set[Hashable]]] = {}
        for coder in present:
            units: dict[int, set[Hashable]] = {}
            for code, hit in per_code[coder].items():
                for i in hit & differ:
                    units.setdefault(i, set()).add(code)
            per_coder[coder] = units
        found: list[Disagreement] = []
        for i in sorted(differ):
            sets = {c: frozenset(per_coder[c].get(i, ())) for c in present}
            if len(set(sets.values())) <= 1:
                continue
            start, end = doc.units[i]
            last = found[-1] if found else None
            if merge_adjacent and last is not None and last.end == start and last.codes == sets:
                found[-1] = Disagreement(doc.name, last.start, end, sets)
            else:
                found.append(Disagreement(doc.name, start, end, sets))
        out.extend(found)
    return out


def agreed_units(doc: Document, coders: Sequence[str],
                 codes: Sequence[Hashable] | None = None) -> list[tuple[Span, frozenset[Hashable]]]:
    """The units on which every coder took part and gave the same, non-empty codes."""
    coders = tuple(dict.fromkeys(coders))
    if not all(doc.took_part(c) for c in coders):
        return []
    wanted = frozenset(codes) if codes is not None else None
    per_coder = []
    for coder in coders:
        units: dict[int, set[Hashable]] = {}
        for code, hit in doc.coded_units(coder, wanted).items():
            for i in hit:
                units.setdefault(i, set()).add(code)
        per_coder.append(units)
    first, rest = per_coder[0], per_coder[1:]
    return [(doc.units[i], frozenset(s)) for i, s in sorted(first.items())
            if all(other.get(i) == s for other in rest)]


__all__ = [
    "CONSENSUS", "DEFAULT_UNIT", "TAKES", "UNITS", "Agreement", "Disagreement", "Document", "Figures",
    "agreed_units", "agreement", "alpha_from_units", "cohen_kappa", "disagreements",
    "krippendorff_alpha", "overlapped", "percent_agreement", "units_of",
]
