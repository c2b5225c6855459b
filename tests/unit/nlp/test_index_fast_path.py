"""The search index's fast path (:meth:`SimplePipeline.word_tokens`, the run shortcut past
spaCy's tokenizer, the numpy encodings) gives exactly what the token-by-token path gives."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.nlp import pipeline as nlp_pipeline
from workbench.nlp import postings
from workbench.nlp.pipeline import SimplePipeline, _simple_split
from workbench.nlp.postings import decode_numbers, payload_of_tokens
from workbench.nlp.tokenizer import blank_tokenizer

_ALPHABET = st.sampled_from(
    list("abcæøåÆØÅ ") + [" ", "\n", "\n\n", ".", "...", "…", "!", "?", ",", ":", "-", "'", "(",
                          ")", "[", "]", "«", "»", "\"", "/", "//", "😊", "e\u0301", "\t", "\u00a0",
                          "f.eks.", "F.eks.", "kl.", "osv.", "Osv.", "min.", "Ja", "12", "3.",
                          "2019.", "(latter)", "[ler]", "(...)", "[00:01:02]", "jaaa", "mmm",
                          "bruker", "brukerne", "CHIME-modellen", "e-post", "km", "50%", "§",
                          "'s", ":)", "<3", "www.uio.no", "a/b", "x-", "-x"])  # fmt: skip
_TEXTS = st.lists(_ALPHABET, max_size=80).map("".join)

_RUNS = [
    "ja", "Ja.", "ja,", "ja?!", "ja...", "f.eks.", "F.eks.", "f.eks.,", "(f.eks.)", "osv.",
    "Osv.", "min.", "2019.", "3.", "kl.", "//ja", "ja//", "(latter)", "[00:01:02]", "ja:",
    "ja::", "e-post", "CHIME-modellen", "og/eller", "slutt.Neste", "«ja»", "går'n", ":)", ":-)",
    "<3", "50%", "§3", "www.uio.no", "http://x.no", "a.", "A.", "Ø.", ".", "!", "?", "(", ")",
    "x", "1", "1.", "1,5", "08.30", "2–3", "km.", "5km", "'s", "’", "«", "»", "ja)", "(ja",
    "ja]", "jaaa.", "mmm?", "hm.", "Dr.", "dr.", "bl.a.", "bl.a", "d.v.s.", "U.S.", "etc.",
]  # fmt: skip


def _spacy_spans(run: str) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t.text)) for t in blank_tokenizer()(run) if not t.is_space]


def _shortcut_spans(run: str) -> list[tuple[int, int]] | None:
    cut = _simple_split()(run)
    if cut is None:
        return None
    return [(0, cut)] if cut == len(run) else [(0, cut), (cut, len(run))]


@pytest.mark.parametrize("run", _RUNS)
def test_the_run_shortcut_splits_as_the_tokenizer_does(run: str) -> None:
    ours = _shortcut_spans(run)
    assert ours is None or ours == _spacy_spans(run)


def test_the_run_shortcut_takes_the_common_runs() -> None:
    # what it is for: plain words, and a word with the punctuation that ends a sentence
    for run in ("brukerne", "Brukerne.", "ja?", "ja,", "sier!"):
        assert _shortcut_spans(run) is not None, run
    for run in ("f.eks.", "(latter)", "ja...", "//ja"):
        assert _shortcut_spans(run) is None, run


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET.filter(lambda s: not s.isspace()), min_size=1, max_size=6)
       .map("".join).filter(lambda s: not any(c.isspace() for c in s)))
def test_the_run_shortcut_agrees_on_any_run(run: str) -> None:
    ours = _shortcut_spans(run)
    assert ours is None or ours == _spacy_spans(run)


def test_str_split_finds_the_runs_the_regex_finds() -> None:
    # word_tokens splits with str.split(), analyse() with \S+: the same whitespace
    space = re.compile(r"\s")
    assert all(chr(c).isspace() == bool(space.match(chr(c))) for c in range(sys.maxunicode + 1))


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_word_tokens_are_the_words_of_analyse(text: str) -> None:
    fast, slow = SimplePipeline(), SimplePipeline()
    for _ in range(2):  # and again from the caches
        starts, ends, lemmas, forms, names = fast.word_tokens(text)
        ours = list(zip(starts.tolist(), ends.tolist(), [names[k] for k in lemmas.tolist()],
                        [names[k] for k in forms.tolist()], strict=True))
        assert ours == [(t.start, t.end, t.lemma, t.norm) for t in slow.analyse(text).words]


def _rows(payload: postings.IndexPayload) -> dict[tuple[str, int], tuple[int, bytes]]:
    rows = {(term, field): (count, data) for term, field, count, data in payload.terms}
    assert len(rows) == len(payload.terms)
    return rows


def _same(a: postings.IndexPayload, b: postings.IndexPayload) -> None:
    assert _rows(a) == _rows(b)
    assert (a.tokens, a.sentences, a.turn_starts, a.turns, a.words) == (
        b.tokens, b.sentences, b.turn_starts, b.turns, b.words)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_the_index_payload_is_the_one_token_by_token(text: str) -> None:
    turn_starts = [0] + [m.end() for m in re.finditer("\n\n", text)]
    _same(postings.index_payload(text, turn_starts),
          payload_of_tokens(text, turn_starts, SimplePipeline().analyse(text)))


def test_a_long_text_with_big_word_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    # gaps beyond one and two varint bytes, offsets beyond 16 bits
    words = " ".join(f"ord{i % 5000} (latter) ja. Bruker{i % 3}, brukerne?" for i in range(6000))
    fast = SimplePipeline()
    monkeypatch.setattr(postings, "get_pipeline", lambda: fast)
    a = postings.index_payload(words, [0])
    _same(a, payload_of_tokens(words, [0], SimplePipeline().analyse(words)))
    ord0 = a.data[a.names.index("ord0")]
    assert decode_numbers(ord0) == [0, 20_000] and len(ord0) == 1 + 3  # a three-byte gap
    assert decode_numbers(a.data[a.names.index("ord4999")]) == [19_996]
    assert a.words == 24_000


def test_the_tables_are_cleared_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    small = SimplePipeline(max_cache=50)
    monkeypatch.setattr(postings, "get_pipeline", lambda: small)
    text = " ".join(f"ord{i}, ja." for i in range(200))
    for _ in range(3):
        _same(postings.index_payload(text, [0]),
              payload_of_tokens(text, [0], SimplePipeline().analyse(text)))
    assert isinstance(small._words, nlp_pipeline._WordTables)


@pytest.mark.parametrize("text", [
    "pleier pleiere",  # "pleier" is one word's form and another's lemma: no shared row
    "Brukeren sier at bruker og brukeren er like.",
    "og og Og",  # a form that is its own lemma's only form
    "(latter) [ler]   ",  # nothing but marks and space
    "",
])
def test_rows_of_lemmas_and_forms(text: str) -> None:
    _same(postings.index_payload(text, [0]),
          payload_of_tokens(text, [0], SimplePipeline().analyse(text)))
