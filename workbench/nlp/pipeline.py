"""The Norwegian text-processing pipeline: tokens, lemmas and sentences with exact offsets.

Two implementations sit behind :class:`NorwegianPipeline`:

* :class:`SimplePipeline` (``name == "blank-nb+simplemma"``), used unless a trained spaCy
  pipeline is installed: spaCy's ``blank("nb")`` tokenizer run per turn
  (:mod:`workbench.nlp.tokenizer`), the rule-based sentence splitter of
  :mod:`workbench.nlp.sentences` (spaCy's sentencizer gets Norwegian abbreviations wrong;
  see the tests) and the cached simplemma lemmatizer of :mod:`workbench.nlp.lemmatizer`.
  spaCy is imported on the first text processed, not at start-up.
* :class:`SpacyPipeline`, used when ``nb_core_news_lg``, ``_md`` or ``_sm`` is installed
  (preferred in that order): spaCy's tokenizer and its tagger-driven, context-aware
  lemmatizer (parser and NER are not loaded). Sentences still come from our splitter, so
  both paths split alike. Expect tens of thousands of words per second, not hundreds of
  thousands.

Offsets are code points into the exact string given; callers normalise to NFC first
(:func:`workbench.domain.parsed.normalise_text`).
"""

from __future__ import annotations

import gc
import importlib.metadata
import os
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from workbench.nlp.lemmatizer import Lemmatizer
from workbench.nlp.sentences import split_sentences
from workbench.nlp.stopwords import STOP_WORDS
from workbench.nlp.tokenizer import ABBREVIATIONS, blank_tokenizer, tokenize

if TYPE_CHECKING:
    from spacy.language import Language

#: Trained spaCy pipelines for bokmål, best first.
TRAINED_MODELS: tuple[str, ...] = ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm")

#: Bumped whenever tokenization, lemmatization or sentence splitting changes output, so that
#: stored analyses can be recomputed.
ANALYSIS_VERSION = 2  # 2: spaCy's tokenizer per turn

#: Environment variable that forces a pipeline: "blank" or a trained package name.
MODEL_ENV_VAR = "WORKBENCH_NLP_MODEL"

BLANK_NAME = "blank-nb+simplemma"


class Token(NamedTuple):
    """One token: ``[start, end)`` in code points, lowercase lemma and surface form.

    ``is_word`` is true if the token contains a letter or digit, false for punctuation,
    symbols and emoji. Whitespace never forms a token.
    """

    start: int
    end: int
    lemma: str
    norm: str
    is_word: bool

    @property
    def is_stop(self) -> bool:
        return self.norm in STOP_WORDS


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of :meth:`NorwegianPipeline.analyse`."""

    text: str
    sentences: list[tuple[int, int]]
    tokens: list[Token]

    @property
    def words(self) -> list[Token]:
        """The tokens that are words (``is_word``)."""
        return [t for t in self.tokens if t.is_word]

    def token_text(self, token: Token) -> str:
        return self.text[token.start : token.end]


_has_alnum = re.compile(r"[^\W_]").search
#: A run of non-whitespace: what spaCy's tokenizer tokenizes on its own (``\s`` and
#: ``str.isspace``, which spaCy splits at, are the same set of characters).
_RUN_RE = re.compile(r"\S+")


def _is_word(surface: str) -> bool:
    return _has_alnum(surface) is not None


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: text processing and bulk writes allocate
    hundreds of thousands of small objects (tuples, lists) without a single cycle, and
    the collector, run every 700 allocations, would walk them (and the caches) again and
    again. Whatever garbage does form is collected after the block."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class NorwegianPipeline(ABC):
    """Norwegian text processing behind one small interface."""

    name: str

    @property
    def version(self) -> str:
        """Identifies the output: changes when the pipeline or its rules change."""
        return f"{self.name}/{ANALYSIS_VERSION}"

    @abstractmethod
    def analyse(self, text: str) -> Analysis:
        """Tokens (with lemmas) and sentence spans of ``text``."""

    @abstractmethod
    def lemma(self, word: str) -> str:
        """The lowercase lemma of a query term, lemmatized the way :meth:`analyse` does.

        Punctuation around the word is ignored; a phrase gives its words' lemmas joined by
        single spaces; input without any word is returned stripped and lowercased."""

    def warm_up(self, background: bool = False) -> threading.Thread | None:
        """Load lazily loaded data now; with ``background`` in a daemon thread (returned)."""
        if background:
            thread = threading.Thread(target=self._warm_up, name="nlp-warm-up", daemon=True)
            thread.start()
            return thread
        self._warm_up()
        return None

    def _warm_up(self) -> None:
        self.analyse("Brukerne sa det.")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class SimplePipeline(NorwegianPipeline):
    """Regex tokenizer + rule-based sentences + cached simplemma lemmas (no spaCy)."""

    def __init__(self, lemmatizer: Lemmatizer | None = None, max_cache: int = 500_000) -> None:
        self.name = BLANK_NAME
        self.lemmatizer = lemmatizer or Lemmatizer("nb")
        self.max_cache = max_cache
        # surface form -> (lemma, norm, is_word): one dict hit per token on the hot path
        self._info: dict[str, tuple[str, str, bool]] = {}
        # run of non-whitespace -> its tokens, as (start, end) in the run + the info above
        self._runs: dict[str, tuple[tuple[int, int, str, str, bool], ...]] = {}
        self._words: _WordTables | None = None  # the index's view of the runs (word_tokens)

    def _token_info(self, surface: str) -> tuple[str, str, bool]:
        norm = surface.lower()
        is_word = _is_word(surface)
        if is_word and norm not in ABBREVIATIONS:
            lemma = self.lemmatizer.lemma(norm)
        else:
            lemma = norm
        info = (lemma, norm, is_word)
        if len(self._info) >= self.max_cache:
            self._info.clear()
        self._info[surface] = info
        return info

    def analyse(self, text: str) -> Analysis:
        # spaCy's tokenizer splits at whitespace first and tokenizes each run of
        # non-whitespace on its own (prefixes, suffixes, infixes, special cases), so a run's
        # tokens do not depend on its neighbours: each distinct run is tokenized once, and
        # its tokens (offsets into the run, lemma, norm, is_word) are cached.
        with gc_paused():
            return self._analyse(text)

    def _analyse(self, text: str) -> Analysis:
        found = [(m.start(), m.group()) for m in _RUN_RE.finditer(text)]
        get = self._runs.get
        entries = [get(run) for _start, run in found]
        if None in entries:  # tokenize the runs not cached yet, all in one call
            self._add_runs(list(dict.fromkeys(
                run for (_start, run), entry in zip(found, entries) if entry is None)))
            runs = self._runs
            entries = [entry or runs[run] for (_start, run), entry in zip(found, entries)]
        new = tuple.__new__
        tokens: list[Token] = []
        append = tokens.append
        for (offset, _run), entry in zip(found, entries):
            for start, end, lemma, norm, is_word in entry:
                append(new(Token, (offset + start, offset + end, lemma, norm, is_word)))
        return Analysis(text, split_sentences(text), tokens)

    def _add_runs(self, missing: list[str]) -> None:
        """Tokenize runs of non-whitespace that are not cached yet, in one call of spaCy's
        tokenizer (a call costs tens of microseconds, whatever its length): joined by line
        breaks, which become tokens of their own, so that no special case can match
        across two runs and each run is tokenized as it would be alone."""
        if len(self._runs) + len(missing) > self.max_cache:
            self._runs.clear()
        get = self._info.get
        runs = self._runs
        # A run that spaCy's rules leave whole (no special case, prefix, suffix or infix
        # matches it) is one token: no need to run the tokenizer on it.
        split = _simple_split()
        rest: list[str] = []
        for run in missing:
            cut = split(run)
            if cut is None:
                rest.append(run)
            elif cut == len(run):
                info = get(run) or self._token_info(run)
                runs[run] = ((0, cut, *info),)
            else:
                core, last = run[:cut], run[cut:]
                runs[run] = ((0, cut, *(get(core) or self._token_info(core))),
                             (cut, len(run), *(get(last) or self._token_info(last))))
        if rest:
            self._tokenize_runs(rest)

    def _tokenize_runs(self, missing: list[str]) -> None:
        get = self._info.get
        joined = "\n".join(missing)
        entries: list[list[tuple[int, int, str, str, bool]]] = [[] for _ in missing]
        k, run_start, run_end = 0, 0, len(missing[0])
        for tok in blank_tokenizer()(joined):
            idx = tok.idx
            if idx >= run_end:
                if tok.is_space:
                    continue  # the line break between two runs
                while idx >= run_end:
                    k += 1
                    run_start = run_end + 1
                    run_end = run_start + len(missing[k])
            surface = tok.text
            info = get(surface) or self._token_info(surface)
            start = idx - run_start
            entries[k].append((start, start + len(surface), *info))
        runs = self._runs
        for run, entry in zip(missing, entries, strict=True):
            runs[run] = tuple(entry)

    def word_tokens(self, text: str) -> tuple[Any, Any, Any, Any, list[str]]:
        """The words of ``text`` for the search index, as numpy arrays: their starts, ends,
        lemmas and forms (lower-cased surfaces), the last two as numbers into the list of
        strings returned last. The same words, in the same order, as the tokens of
        :meth:`analyse` that are words (``is_word``), without a Python object per token."""
        import numpy as np

        with gc_paused():
            runs = text.split()  # the runs of non-whitespace, as _RUN_RE finds them
            tables = self._words
            if tables is None or len(tables.index) > self.max_cache:
                tables = self._words = _WordTables()
            ids = list(map(tables.index.get, runs))
            if None in ids:
                missing = list(dict.fromkeys(
                    run for run, k in zip(runs, ids) if k is None))
                todo = [run for run in missing if run not in self._runs]
                if todo:
                    self._add_runs(todo)
                tables.add(missing, self._run_entry)
                index = tables.index
                ids = list(map(index.__getitem__, runs))
            n = len(runs)
            if not n:
                empty = np.zeros(0, np.int64)
                return empty, empty, empty, empty, tables.terms
            lengths = np.fromiter(map(len, runs), np.int64, n)
            gaps = np.fromiter(map(len, _SPACE_RE.findall(text)), np.int64)
            lead = len(text) - len(text.lstrip())
            if lead:
                gaps = gaps[1:]
            # run i starts after the runs before it and the whitespace between them
            offsets = np.empty(n, np.int64)
            offsets[0] = lead
            np.cumsum(lengths[:-1] + gaps[:n - 1], out=offsets[1:])
            offsets[1:] += lead
            rid = np.array(ids, np.int64)
            first = tables.first_array()[rid]
            count = tables.count_array()[rid]
            total = int(count.sum())
            # the k-th word of the text is word first[r] + j of the pool, r its run
            ends = np.cumsum(count)
            pool = np.arange(total, dtype=np.int64) + np.repeat(first - (ends - count), count)
            base = np.repeat(offsets, count)
            starts = base + tables.start_array()[pool]
            stops = base + tables.end_array()[pool]
            return (starts, stops, tables.lemma_array()[pool], tables.form_array()[pool],
                    tables.terms)

    def _run_entry(self, run: str) -> tuple[tuple[int, int, str, str, bool], ...]:
        entry = self._runs.get(run)
        if entry is None:  # the cache was cleared meanwhile
            self._add_runs([run])
            entry = self._runs[run]
        return entry

    def lemma(self, word: str) -> str:
        # Tokenize like analyse() does, so "brukerne," and "brukerne" agree.
        infos = [self._info.get(t) or self._token_info(t) for t in tokenize(word)]
        lemmas = [lemma for lemma, _norm, is_word in infos if is_word]
        return " ".join(lemmas) if lemmas else word.strip().lower()


_SPACE_RE = re.compile(r"\s+")


class _WordTables:
    """The words of every run :meth:`SimplePipeline.word_tokens` has met: per run (by its
    number in ``index``) the first of its words in the pool and how many; per word of the
    pool its start and end in the run and its lemma's and form's numbers in ``terms``."""

    def __init__(self) -> None:
        from array import array

        self.index: dict[str, int] = {}
        self.terms: list[str] = []
        self.term_ids: dict[str, int] = {}
        self.first = array("q")
        self.count = array("q")
        self.start = array("q")
        self.end = array("q")
        self.lemma = array("q")
        self.form = array("q")
        self._arrays: dict[str, Any] = {}

    def add(self, runs: list[str], entry: Any) -> None:
        term_ids = self.term_ids
        terms = self.terms

        def term(s: str) -> int:
            k = term_ids.get(s)
            if k is None:
                k = term_ids[s] = len(terms)
                terms.append(s)
            return k

        for run in runs:
            self.index[run] = len(self.first)
            self.first.append(len(self.start))
            k = 0
            for start, end, lemma, norm, is_word in entry(run):
                if is_word:
                    self.start.append(start)
                    self.end.append(end)
                    self.lemma.append(term(lemma))
                    self.form.append(term(norm))
                    k += 1
            self.count.append(k)
        self._arrays.clear()

    def _array(self, name: str) -> Any:
        out = self._arrays.get(name)
        if out is None:
            import numpy as np

            out = self._arrays[name] = np.frombuffer(getattr(self, name), np.int64).copy()
        return out

    def first_array(self) -> Any:
        return self._array("first")

    def count_array(self) -> Any:
        return self._array("count")

    def start_array(self) -> Any:
        return self._array("start")

    def end_array(self) -> Any:
        return self._array("end")

    def lemma_array(self) -> Any:
        return self._array("lemma")

    def form_array(self) -> Any:
        return self._array("form")


@cache
def _simple_split() -> Any:
    """How spaCy's tokenizer (:func:`~workbench.nlp.tokenizer.blank_tokenizer`) splits a
    run of non-whitespace, where that follows from its rules without running it: the end
    of the run's first token when the run is one token (its length) or a token and a
    one-character suffix (the core's length); ``None`` otherwise (the tokenizer decides).

    One token: no special case is the run and no prefix, suffix or infix pattern matches
    it at all (or its ``token_match`` keeps it whole), so ``Tokenizer._split_affixes``
    and ``_attach_tokens`` leave it whole. A token and a suffix: the run is no special
    case, no prefix matches it, the suffix pattern matches exactly its last character,
    which is no special case, and the rest is one token as above: the tokenizer splits
    the suffix off, finds nothing more to split, and no special case can match either
    token or both."""
    tokenizer = blank_tokenizer()
    specials = frozenset(tokenizer.rules)
    prefix, suffix = tokenizer.prefix_search, tokenizer.suffix_search
    infix, token_match = tokenizer.infix_finditer, tokenizer.token_match
    url_match = tokenizer.url_match

    def single(run: str) -> bool:
        if run in specials:
            return False
        if token_match is not None and token_match(run):
            return True
        if (prefix is not None and prefix(run) is not None) or (
                suffix is not None and suffix(run) is not None):
            return False
        if url_match is not None and url_match(run):
            return True
        return infix is None or next(infix(run), None) is None

    def split(run: str) -> int | None:
        n = len(run)
        if run in specials:
            return None
        if token_match is not None and token_match(run):
            return n
        if prefix is not None and prefix(run) is not None:
            return None
        found = suffix(run) if suffix is not None else None
        if found is None:
            if url_match is not None and url_match(run):
                return n
            return n if infix is None or next(infix(run), None) is None else None
        if n > 1 and found.span() == (n - 1, n) and run[-1] not in specials and single(run[:-1]):
            return n - 1
        return None

    return split


class SpacyPipeline(NorwegianPipeline):
    """A trained spaCy pipeline's tokenizer and lemmatizer; our sentence splitter."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.nlp.max_length = max(self.nlp.max_length, 10_000_000)

    def _tokens(self, doc: Any) -> list[Token]:
        tokens: list[Token] = []
        for tok in doc:
            if tok.is_space:
                continue
            surface: str = tok.text
            norm = surface.lower()
            is_word = _is_word(surface)
            lemma = (tok.lemma_ or surface).lower() if is_word else norm
            tokens.append(Token(tok.idx, tok.idx + len(surface), lemma, norm, is_word))
        return tokens

    def analyse(self, text: str) -> Analysis:
        return Analysis(text, split_sentences(text), self._tokens(self.nlp(text)))

    def lemma(self, word: str) -> str:
        lemmas = [t.lemma for t in self._tokens(self.nlp(word.strip())) if t.is_word]
        return " ".join(lemmas) if lemmas else word.strip().lower()


def is_package(name: str) -> bool:
    """Whether a distribution is installed: what ``spacy.util.is_package`` does, without
    importing spaCy (about a second) when no trained pipeline is there."""
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def installed_trained_model() -> str | None:
    """The best installed trained bokmål pipeline, or ``None``."""
    for name in TRAINED_MODELS:
        if is_package(name):
            return name
    return None


def load_pipeline(model: str | None = None) -> NorwegianPipeline:
    """Build a pipeline (uncached).

    ``model``: ``None`` picks the best installed trained pipeline or falls back to the
    blank one; ``"blank"`` forces :class:`SimplePipeline`; anything else is a spaCy package
    name to load.
    """
    if model is None:
        model = installed_trained_model() or "blank"
    if model in ("blank", BLANK_NAME):
        return SimplePipeline()
    import spacy

    nlp = spacy.load(model, exclude=["parser", "ner", "senter"])
    return SpacyPipeline(nlp, model)


@cache
def get_pipeline() -> NorwegianPipeline:
    """The process-wide pipeline (see :func:`load_pipeline`; ``WORKBENCH_NLP_MODEL``
    overrides the choice)."""
    return load_pipeline(os.environ.get(MODEL_ENV_VAR) or None)
