"""Tests for workbench.domain.marks: finding marks and the clean view's offset mapping."""

from __future__ import annotations


import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workbench.domain.marks import (
    DEFAULT_MARKS,
    CleanView,
    Mark,
    MarkSet,
    clean_view,
    find_marks,
)


def kinds(text: str, marks: MarkSet = DEFAULT_MARKS) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.kind) for m in find_marks(text, marks)]


# --- finding marks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ja (latter) [ler] (ler) (Latter)", [("(latter)", "laughter"), ("[ler]", "laughter"), ("(ler)", "laughter"), ("(Latter)", "laughter")]),
        ("(pause) (..) (...) (12 sekunders pause) (12 seconds pause) (lang pause)",
         [("(pause)", "pause"), ("(..)", "pause"), ("(...)", "pause"), ("(12 sekunders pause)", "pause"),
          ("(12 seconds pause)", "pause"), ("(lang pause)", "pause")]),
        ("(kremt) (kremter)", [("(kremt)", "throat"), ("(kremter)", "throat")]),
        ("(uhørbart) (utydelig) [uhørbart]", [("(uhørbart)", "inaudible"), ("(utydelig)", "inaudible"), ("[uhørbart]", "inaudible")]),
        ("//ja ja//", [("//", "overlap"), ("//", "overlap")]),
        ("ja:: nei:::", [("::", "elongation"), (":::", "elongation")]),
        ("jaaa neeei", [("aa", "elongation"), ("ee", "elongation")]),
        ("ja [00:12:34] nei (00:12) #00:01:02-3#", [("[00:12:34]", "time"), ("(00:12)", "time"), ("#00:01:02-3#", "time")]),
    ],
)  # fmt: skip
def test_find_marks(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Informant 3: ja, det er sånn.",  # a single colon is not an elongation
        "https://nav.no og www.nav.no",  # neither // after a colon nor www. is a mark
        "III og AAA og 1000 kroner",  # capitals and digits are not elongations
        "(ler ikke) [12:345] (pausen)",  # near misses
        "Hva (tror) du?",
    ],
)
def test_not_marks(text: str) -> None:
    assert find_marks(text) == []


def test_marks_are_sorted_and_disjoint() -> None:
    text = "(latter)(pause)jaaa:: //(kremt)//"
    marks = find_marks(text)
    assert [text[m.start : m.end] for m in marks] == ["(latter)", "(pause)", "aa", "::", "//", "(kremt)", "//"]
    assert all(a.end <= b.start for a, b in zip(marks, marks[1:]))
    assert isinstance(marks[0], Mark) and marks[0] == (0, 8, "laughter")


def test_markset_from_dict_and_priority() -> None:
    marks = MarkSet.from_dict(
        {"laughter": ["(LATTER)", "*ler*"], "pause": "re:\\((?:\\.+|pause)\\)", "x": ["re:(?P<mark>!)!"]}
    )
    assert marks.kinds == ("laughter", "pause", "x")
    assert kinds("ja (latter) *ler* (...) (pause)!!", marks) == [
        ("(latter)", "laughter"), ("*ler*", "laughter"), ("(...)", "pause"), ("(pause)", "pause"), ("!", "x"),
    ]  # fmt: skip
    assert MarkSet.from_dict(marks.to_dict()) == marks
    # An earlier kind wins when two notations match at the same place.
    both = MarkSet.from_dict({"a": ["(x)"], "b": ["(x)"]})
    assert kinds("(x)", both) == [("(x)", "a")]
    # At the same start, the longer match wins within a kind.
    assert kinds("(pause lang)", MarkSet.from_dict({"p": ["(pause", "(pause lang)"]})) == [("(pause lang)", "p")]


def test_markset_extend_and_without() -> None:
    extended = DEFAULT_MARKS.extend({"laughter": ["(gapskratt)"], "noise": ["(telefon ringer)"]})
    assert kinds("(gapskratt) (telefon ringer)", extended) == [("(gapskratt)", "laughter"), ("(telefon ringer)", "noise")]
    assert extended.kinds[-1] == "noise"
    no_elongation = DEFAULT_MARKS.without("elongation")
    assert clean_view("jaaa (latter)", no_elongation).text == "jaaa"


@pytest.mark.parametrize("bad", [{"": ["x"]}, {"a": [""]}, {"a": ["re:("]}, {"a": [3]}])
def test_markset_rejects_bad_config(bad: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        MarkSet.from_dict(bad)


# --- the clean text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verbatim", "clean"),
    [
        ("Ja (latter) jeg tror (pause) det.", "Ja jeg tror det."),
        ("//ja ja// det var jaaa bra::", "ja ja det var ja bra"),
        ("nei::: neeei", "nei nei"),
        ("(latter) Ja", "Ja"),
        ("Ja (latter)\n(kremt) nei", "Ja\nnei"),
        ("ja (latter), sa hun (pause).", "ja, sa hun."),
        ("«(latter) ja»", "«ja»"),
        ("ja  (latter)  (pause)   nei", "ja nei"),
        ("ja [00:12:34] nei", "ja nei"),
        ("Ja  dobbel  uten merker", "Ja  dobbel  uten merker"),  # spaces away from marks stay
        ("  innrykk (latter)", "  innrykk"),
        ("jaa(pause)a", "ja"),  # a notation that removal brings together is removed too
        ("", ""),
        ("(latter)", ""),
    ],
)
def test_clean_text(verbatim: str, clean: str) -> None:
    view = clean_view(verbatim)
    assert view.text == clean
    assert find_marks(view.text) == []


def test_selection_maps_to_verbatim_span() -> None:
    verbatim = "Ja (latter) jeg tror (pause) det."
    view = clean_view(verbatim)
    assert view.text == "Ja jeg tror det."

    def select(phrase: str) -> str:
        start = view.text.index(phrase)
        vs, ve = view.span_to_verbatim(start, start + len(phrase))
        assert view.span_to_clean(vs, ve) == (start, start + len(phrase))
        return verbatim[vs:ve]

    assert select("jeg tror") == "jeg tror"  # not the laughter just before
    assert select("tror det") == "tror (pause) det"  # the pause strictly inside
    assert select("Ja jeg") == "Ja (latter) jeg"
    assert select("det.") == "det."
    assert select("Ja jeg tror det.") == verbatim


def test_offset_mapping_edges() -> None:
    verbatim = "(latter) ja jaaa (pause)"
    view = clean_view(verbatim)
    assert view.text == "ja ja"
    assert view.to_verbatim(0) == 9
    assert view.to_verbatim(len(view.text)) == len(verbatim)
    assert view.to_clean(0) == 0  # inside the leading mark: the next clean character
    assert view.to_clean(3) == 0
    assert view.to_clean(len(verbatim)) == len(view.text)
    assert view.to_clean(verbatim.index("aaa") + 1) == 5  # the surplus "aa": after the end
    assert view.span_to_clean(0, 8) == (0, 0)  # only a mark: empty
    assert view.span_to_verbatim(2, 2) == (11, 11)
    with pytest.raises(IndexError):
        view.to_verbatim(len(view.text) + 1)
    with pytest.raises(IndexError):
        view.to_clean(-1)
    with pytest.raises(ValueError):
        view.span_to_verbatim(3, 2)


def test_text_without_marks_is_identity() -> None:
    text = "Informant 3: Ja, det er sånn.\n\nModerator: Hva tenker dere?"
    view = clean_view(text)
    assert view.text == text
    assert all(view.to_verbatim(i) == i == view.to_clean(i) for i in range(len(text) + 1))


def test_large_transcript_maps_exactly() -> None:
    # Speed is measured by the benchmarks; here a long text must still map exactly.
    turn = "Ja (latter) jeg tror //ja ja// at det var jaaa (pause) bra:: [00:12:34] for brukerne. "
    text = turn * 1000  # about 90 000 characters, 8 000 marks
    view = clean_view(text)
    assert view.text.count("(latter)") == 0 and view.text.count("[00:12:34]") == 0
    for i in range(0, len(view.text), 7):
        assert view.to_clean(view.to_verbatim(i)) == i
        assert text[view.to_verbatim(i)] == view.text[i]


@pytest.mark.parametrize(
    ("verbatim", "clean"),
    [
        ("(la(pause)tter) ja", "ja"),
        ("jaa(pause)a og nei(latter):: x", "ja og nei x"),
        ("A (la(kremt)tt(pause)er) B jee(ler)e", "A B je"),
    ],
)
def test_notations_brought_together_are_removed(verbatim: str, clean: str) -> None:
    view = clean_view(verbatim)
    assert view.text == clean
    check_view(view)


# --- round-trip properties -----------------------------------------------------------------

_NOTATIONS = [
    "(latter)", "[ler]", "(ler)", "(pause)", "(..)", "(...)", "(12 sekunders pause)", "(12 seconds pause)",
    "(kremt)", "(kremter)", "(uhørbart)", "(utydelig)", "[uhørbart]", "//", "::", ":::", "aa", "eee",
    "[00:12:34]",
]  # fmt: skip
_PIECES = st.sampled_from(
    ["ja", "nei", "jeg", "tror", "det", "æøå", "Å", "😊", " ", " ", "  ", "\n", "\n\n", ",", ".", "?", "a", "e",
     "(", ")", "[", "]", ":", "/", "l", "er", "t", "1", "2"]
)  # fmt: skip


@st.composite
def texts_with_marks(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(_PIECES, max_size=30))
    for _ in range(draw(st.integers(0, 6))):
        pieces.insert(draw(st.integers(0, len(pieces))), draw(st.sampled_from(_NOTATIONS)))
    return "".join(pieces)


def check_view(view: CleanView) -> None:
    verbatim, clean = view.verbatim, view.text
    previous = -1
    for i, ch in enumerate(clean):
        v = view.to_verbatim(i)
        assert verbatim[v] == ch
        assert v > previous  # strictly increasing
        previous = v
        assert view.to_clean(v) == i
    assert view.to_clean(view.to_verbatim(len(clean))) == len(clean)
    # to_clean is monotone over all verbatim positions
    cleans = [view.to_clean(v) for v in range(len(verbatim) + 1)]
    assert cleans == sorted(cleans) and cleans[-1] == len(clean)
    # no mark notation survives into the clean text
    assert find_marks(clean) == []
    # no mark found in the verbatim text has a character in the clean text
    kept = {view.to_verbatim(i) for i in range(len(clean))}
    for mark in view.marks:
        assert not kept & set(range(mark.start, mark.end))


@settings(max_examples=300, deadline=None)
@given(texts_with_marks())
def test_round_trip(verbatim: str) -> None:
    check_view(clean_view(verbatim))


@settings(max_examples=200, deadline=None)
@given(texts_with_marks(), st.data())
def test_span_mapping(verbatim: str, data: st.DataObject) -> None:
    view = clean_view(verbatim)
    n = len(view.text)
    assume(n > 0)
    start = data.draw(st.integers(0, n - 1))
    end = data.draw(st.integers(start + 1, n))
    vs, ve = view.span_to_verbatim(start, end)
    # covers the same characters, nothing outside them
    assert verbatim[vs] == view.text[start] and verbatim[ve - 1] == view.text[end - 1]
    assert view.span_to_clean(vs, ve) == (start, end)
    # monotone: a larger clean span never maps to a smaller verbatim span
    if end < n:
        assert view.span_to_verbatim(start, end + 1)[1] > ve
    if start > 0:
        assert view.span_to_verbatim(start - 1, end)[0] < vs
    # the clean characters inside the verbatim span are exactly the selection
    kept = {view.to_verbatim(i) for i in range(n)}
    assert "".join(verbatim[v] for v in range(vs, ve) if v in kept) == view.text[start:end]


@settings(max_examples=100, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_plain_text_round_trip(text: str) -> None:
    view = clean_view(text)
    check_view(view)
    if not find_marks(text):
        assert view.text == text
