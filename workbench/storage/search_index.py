"""The search index: per transcript, where every word lies, its sentences, and the postings
(word numbers) of every lemma and word form.

The index is derived from the stored text, so it is not part of the change log. It is
written in the same transaction as the text it belongs to, rebuilt when undo/redo brings a
transcript back or changes its text, and filled for transcripts that lack one (a project
upgraded from an earlier schema).

Transcription marks («(latter)», «[ler]», «(pause)», time codes; see
:mod:`workbench.domain.marks`) are not indexed as words: a token that lies wholly inside a
mark is skipped, so an elongated word (``jaaa``) stays a word.

Three tables (schema 6), kept small because the index is most of a project file:

* ``posting_term``: every term once (a lemma or a lower-cased word form), with an integer
  key; a term is never removed, so a key never changes meaning;
* ``posting``: one row per (transcript, term, field), keyed by integers (``WITHOUT ROWID``
  on SQLite): the term's word numbers in that transcript, delta- and varint-coded
  (:func:`workbench.nlp.postings.encode_numbers`). ``field`` says whether they are the
  occurrences of a lemma (:data:`LEMMA`), of a word form (:data:`FORM`) or of both
  (:data:`BOTH`: a form that is its own lemma and the lemma's only form in the text);
* ``text_index``: one row per transcript with the index version, the number of words, and
  three blobs: where each word lies (start and end, see :mod:`workbench.nlp.postings`), the
  sentence spans, and the turns (their starts and row ids) when it was indexed.

Readers get what they used before: :func:`find_postings` gives word numbers per
transcript, :func:`layouts` the decoded :class:`Layout` that turns word numbers into starts,
ends and turn keys (cached per process, keyed by the stored bytes, so a reindex is seen at
once), :func:`sentences` the sentence spans.

Every transcript's ``text_index`` row carries :data:`INDEX_VERSION`; :func:`ensure_index`
rebuilds, through ``Store.derived()``, every transcript whose index is missing or of another
version, so a change to what is indexed reaches existing projects when they are next
opened for writing.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from heapq import merge
from itertools import accumulate, repeat
from operator import add, floordiv, mul
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from workbench.nlp.postings import (
    BOTH,
    FORM,
    LEMMA,
    IndexPayload,
    decode_numbers,
    index_payload,
    pack_ints,
    pack_sections,
    unpack_ints,
    unpack_sections,
    unpack_spans,
)
from workbench.storage.changelog import DELETE, INSERT, UPDATE
from workbench.storage.database import Store
from workbench.storage.models import Posting, PostingTerm, TextIndex, Transcript, Turn

#: Bumped whenever what the index holds changes (2: transcription marks left out; 3: spaCy's
#: tokenizer per turn; 4: compact postings, schema 6).
INDEX_VERSION = "4"

#: Stored ``field`` values of a kind of query word.
FIELDS_OF: dict[str, tuple[int, ...]] = {
    "lemma": (LEMMA, BOTH), "form": (FORM, BOTH), "wildcard": (FORM, BOTH),
}
MAX_TERM = 200
"""Longer terms (no word is) are not indexed: the column holds 200 characters."""
_CHUNK = 900  # bound parameters per IN list


class Layout:
    """Where the words of one indexed transcript lie, and its turns when it was indexed."""

    __slots__ = ("_ends_all", "_offsets", "_placed", "_starts_all", "_steps", "_stride",
                 "_turn_ids", "_turn_starts", "_turns_all", "words")

    def __init__(self, tokens: bytes, turns: bytes) -> None:
        steps, marks = unpack_sections(tokens)[:2]
        self._steps = unpack_ints(steps)
        stride, *moves = unpack_ints(marks)
        self._stride = stride
        self._offsets = [0, *accumulate(moves)]
        self.words = len(self._steps) // 2
        starts, ids = unpack_sections(turns)[:2]
        self._turn_starts = list(accumulate(unpack_ints(starts)))
        self._turn_ids = [0, *accumulate(unpack_ints(ids))]
        self._placed = 0
        self._starts_all: array | None = None
        self._ends_all: array | None = None
        self._turns_all: array | None = None

    def _count(self, n: int) -> bool:
        """Whether every word's place is decoded: done once this layout has placed about a
        quarter of its words (repeated searches, paging), so later hits are one lookup
        each; a first search places its few hits without decoding the rest."""
        if self._starts_all is None:
            self._placed += n
            if self._placed * 4 > self.words:
                edges = list(accumulate(self._steps))
                code = "i" if not edges or edges[-1] < 2**31 else "q"
                self._starts_all = array(code, edges[0::2])
                self._ends_all = array(code, edges[1::2])
                self._turns_all = array("q", self.turns(self._starts_all))
        return self._starts_all is not None

    def starts(self, numbers: Iterable[int]) -> list[int]:
        """The start of each word number: the stored offset of its stride plus the steps
        since (C-level maps: a search places thousands of hits)."""
        numbers = numbers if isinstance(numbers, list) else list(numbers)
        if self._count(len(numbers)):
            return list(map(self._starts_all.__getitem__, numbers))  # type: ignore[union-attr]
        strides = list(map(floordiv, numbers, repeat(self._stride)))
        # start of word n = offset of its stride k + steps[2·k·stride : 2n + 1]
        firsts = map(mul, strides, repeat(2 * self._stride))
        lasts = map(add, map(add, numbers, numbers), repeat(1))
        since = map(sum, map(self._steps.__getitem__, map(slice, firsts, lasts)))
        return list(map(add, map(self._offsets.__getitem__, strides), since))

    def ends(self, numbers: Iterable[int]) -> list[int]:
        numbers = numbers if isinstance(numbers, list) else list(numbers)
        return self._ends(self.starts(numbers), numbers)

    def _ends(self, starts: list[int], numbers: list[int]) -> list[int]:
        if self._ends_all is not None:
            return list(map(self._ends_all.__getitem__, numbers))
        lengths = map(self._steps.__getitem__, map(add, map(add, numbers, numbers), repeat(1)))
        return list(map(add, starts, lengths))

    def turns(self, starts: Iterable[int]) -> list[int]:
        """The turn key (row id; 0 before the first turn) of each offset: the last turn
        that starts at or before it."""
        return list(map(self._turn_ids.__getitem__,
                        map(bisect_right, repeat(self._turn_starts), starts)))

    def locate(self, first: list[int], last: list[int] | None = None
               ) -> tuple[list[int], list[int], list[int]]:
        """(starts, ends, turn keys) of matches from word ``first[i]`` to ``last[i]``
        (``last`` None: one word each)."""
        starts = self.starts(first)
        ends = self._ends(starts, first) if last is None or last is first else self.ends(last)
        if self._turns_all is not None:
            return starts, ends, list(map(self._turns_all.__getitem__, first))
        return starts, ends, self.turns(starts)

    def spans(self) -> tuple[list[int], list[int]]:
        """The starts and ends of every word, in order (decoded at once)."""
        edges = list(accumulate(self._steps))
        return edges[0::2], edges[1::2]


_CACHE: OrderedDict[int, tuple[bytes, bytes, Layout]] = OrderedDict()
_CACHE_SIZE = 512


def layouts(session: Session, transcript_ids: Iterable[int]) -> dict[int, Layout]:
    """The layout of each indexed transcript among ``transcript_ids``. Decoded layouts are
    kept per process and reused while the stored bytes are the same."""
    out: dict[int, Layout] = {}
    wanted = sorted(set(transcript_ids))
    for chunk in _chunks(wanted, _CHUNK):
        for tid, tokens, turns in session.execute(
            select(TextIndex.transcript_id, TextIndex.tokens, TextIndex.turns)
            .where(TextIndex.transcript_id.in_(chunk))
        ):
            tokens, turns = bytes(tokens), bytes(turns)
            cached = _CACHE.get(tid)
            if cached is not None and cached[0] == tokens and cached[1] == turns:
                _CACHE.move_to_end(tid)
                out[tid] = cached[2]
                continue
            layout = Layout(tokens, turns)
            _CACHE[tid] = (tokens, turns, layout)
            if len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
            out[tid] = layout
    return out


_DECODED: OrderedDict[bytes, list[int]] = OrderedDict()
_DECODED_VALUES = [0]
_DECODED_LIMIT = 300_000
"""Decoded postings kept per process (by their bytes: always current), at most this many
word numbers: a search screen asks again for every page and every change of filter."""


def _numbers(data: bytes) -> list[int]:
    cached = _DECODED.get(data)
    if cached is not None:
        _DECODED.move_to_end(data)
        return list(cached)
    numbers = decode_numbers(data)
    if len(numbers) > 8:  # short ones decode as fast as they are looked up
        _DECODED[data] = numbers
        _DECODED_VALUES[0] += len(numbers)
        while _DECODED_VALUES[0] > _DECODED_LIMIT:
            _DECODED_VALUES[0] -= len(_DECODED.popitem(last=False)[1])
        return list(numbers)
    return numbers


def find_postings(session: Session, kind: str, word: str, scope: int | None = None
                  ) -> dict[int, list[int]]:
    """transcript → the ascending word numbers where ``word`` occurs: a lemma
    (``kind`` "lemma"), a word form ("form") or a pattern on word forms ("wildcard": ``*``
    any letters, ``?`` one letter; several forms put together)."""
    fields = FIELDS_OF[kind]
    stmt = (select(Posting.transcript_id, Posting.data)
            .join(PostingTerm, PostingTerm.id == Posting.term_id)
            .where(Posting.field.in_(fields)))
    if kind != "wildcard":
        stmt = stmt.where(PostingTerm.term == word)
    elif session.get_bind().dialect.name == "sqlite":
        stmt = stmt.where(PostingTerm.term.op("GLOB")(word))
    else:
        pattern = (word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                   .replace("*", "%").replace("?", "_"))
        stmt = stmt.where(PostingTerm.term.like(pattern, escape="\\"))
    if scope is not None:
        stmt = stmt.where(Posting.transcript_id == scope)
    out: dict[int, list[int]] = {}
    for tid, data in session.execute(stmt):
        numbers = _numbers(bytes(data))
        prev = out.get(tid)
        # several rows of one transcript (a wildcard's forms): a word has one form, so the
        # numbers are disjoint, and merging them keeps reading order
        out[tid] = numbers if prev is None else list(merge(prev, numbers))
    return out


def lemma_postings(session: Session) -> Iterator[tuple[int, str, list[int]]]:
    """(transcript, lemma, word numbers) of every lemma posting."""
    for tid, term, data in session.execute(
        select(Posting.transcript_id, PostingTerm.term, Posting.data)
        .join(PostingTerm, PostingTerm.id == Posting.term_id)
        .where(Posting.field.in_(FIELDS_OF["lemma"]))
    ):
        yield tid, term, decode_numbers(bytes(data))


def sentences(session: Session, transcript_id: int) -> list[tuple[int, int]]:
    """The sentence spans of an indexed transcript, in order (empty without an index)."""
    blob = session.scalar(
        select(TextIndex.sentences).where(TextIndex.transcript_id == transcript_id))
    return unpack_spans(bytes(blob)) if blob else []


def _chunks(items: list, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    for i in range(0, len(items), size):
        yield items[i:i + size]


class TermKeys:
    """The keys of terms known to be in the dictionary, for a writer that writes one
    transcript's index after another (a multi-file import), so that each looks up only the
    terms it has not met before. Terms are only ever added, so a key once committed keeps
    its meaning in that database; keys met in a transaction not committed yet are kept
    aside (``pending``) until :meth:`committed` says it was (its new terms would be gone
    with a rollback)."""

    def __init__(self) -> None:
        self.known: dict[str, int] = {}
        self.pending: dict[str, int] = {}

    def committed(self) -> None:
        self.known.update(self.pending)
        self.pending.clear()


def _term_ids(session: Session, terms: list[str], keys: TermKeys | None = None
              ) -> dict[str, int]:
    """The key of every term, adding the ones not yet in the dictionary (``keys``: the
    ones known already, not looked up again; the others are added to its pending ones).

    Thousands of terms a transcript: looked up through the driver (an IN list compiled by
    SQLAlchemy costs more than the query), in one statement on PostgreSQL (``= ANY``) and
    in chunks of bound parameters on SQLite."""
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    ids: dict[str, int] = {}
    if keys is not None:
        keys.pending.clear()  # left by a transaction that did not commit
        ids = dict(zip(terms, map(keys.known.get, terms)))
        terms = [term for term, key in ids.items() if key is None]  # all found below
    found: dict[str, int] = {}

    def look_up(names: list[str]) -> None:
        if sqlite:
            for chunk in _chunks(names, _CHUNK):
                found.update((term, key) for key, term in conn.exec_driver_sql(
                    "SELECT id, term FROM posting_term WHERE term IN"
                    f" ({', '.join('?' * len(chunk))})", tuple(chunk)).all())
        elif names:
            found.update((term, key) for key, term in conn.exec_driver_sql(
                "SELECT id, term FROM posting_term WHERE term = ANY(%(terms)s)",
                {"terms": names}).all())

    look_up(terms)
    missing = [term for term in terms if term not in found]
    if missing:
        if sqlite:
            conn.exec_driver_sql("INSERT OR IGNORE INTO posting_term (term) VALUES (?)",
                                 [(term,) for term in missing])
        else:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(pg_insert(PostingTerm).on_conflict_do_nothing(),
                         [{"term": term} for term in missing])
        look_up(missing)
    if keys is not None:
        keys.pending.update(found)
    ids.update(found)
    return ids


def write_index(session: Session, transcript_id: int, text: str,
                payload: IndexPayload | None = None, keys: TermKeys | None = None) -> int:
    """(Re)build the index of one transcript inside the caller's transaction; returns the
    number of words indexed.

    ``payload``: the text processing done already (:func:`workbench.nlp.postings.
    index_payload` of this text and its turns' starts, e.g. in a worker process); computed
    here otherwise. ``keys``: the term keys known already (see :class:`TermKeys`; the
    caller says when the transaction has committed). Every statement goes through
    SQLAlchemy, so the write guard sees it and a storage error (a full disk) reaches the
    store's translation like any other.
    """
    session.execute(delete(Posting).where(Posting.transcript_id == transcript_id))
    session.execute(delete(TextIndex).where(TextIndex.transcript_id == transcript_id))
    turns = session.execute(
        select(Turn.start, Turn.id).where(Turn.transcript_id == transcript_id).order_by(Turn.start)
    ).all()
    if payload is None or payload.turns != len(turns):
        payload = index_payload(text, [start for start, _ in turns])
    ids = [tid for _, tid in turns]
    conn = session.connection()
    conn.execute(insert(TextIndex), [{
        "transcript_id": transcript_id, "version": INDEX_VERSION, "words": payload.words,
        "tokens": payload.tokens, "sentences": payload.sentences,
        "turns": pack_sections([payload.turn_starts,
                                pack_ints([*ids[:1], *map(int.__sub__, ids[1:], ids[:-1])])]),
    }])
    names, fields, counts, data = payload.names, payload.fields, payload.counts, payload.data
    if not names:
        return payload.words
    if max(map(len, names)) > MAX_TERM:
        kept = [t for t in zip(names, fields, counts, data) if len(t[0]) <= MAX_TERM]
        if not kept:
            return payload.words
        names, fields, counts, data = (list(x) for x in zip(*kept))
    term_ids = _term_ids(session, list(dict.fromkeys(names)), keys)
    rows = list(zip(repeat(transcript_id), map(term_ids.__getitem__, names), fields, counts,
                    data))
    if conn.dialect.name == "sqlite":  # one executemany, no per-row compilation
        conn.exec_driver_sql(
            "INSERT INTO posting (transcript_id, term_id, field, count, data)"
            " VALUES (?, ?, ?, ?, ?)", rows)
    else:
        columns = ("transcript_id", "term_id", "field", "count", "data")
        conn.execute(insert(Posting), [dict(zip(columns, r, strict=True)) for r in rows])
    return payload.words


def word_counts(session: Session) -> dict[int, int]:
    """Indexed words per transcript id (transcripts with an index)."""
    return {tid: int(words) for tid, words in session.execute(
        select(TextIndex.transcript_id, TextIndex.words))}


def reindex_after_replay(session: Session, changes: list[dict[str, Any]]) -> None:
    """Replay hook: rebuild the index of transcripts whose row came back or whose text changed."""
    ids: set[int] = set()
    for change in changes:
        if change["t"] != "transcript":
            continue
        if change["op"] in (INSERT, DELETE) or (
            change["op"] == UPDATE and "text" in change.get("new", {})
        ):
            ids.add(change["id"])
    for tid in sorted(ids):
        text = session.scalar(select(Transcript.text).where(Transcript.id == tid))
        if text is not None:
            write_index(session, tid, text)


def ensure_index(store: Store) -> int:
    """Index transcripts whose index is missing or of another :data:`INDEX_VERSION`;
    returns how many were indexed."""
    if store.readonly:
        return 0
    with store.read() as s:
        current = select(TextIndex.transcript_id).where(TextIndex.version == INDEX_VERSION)
        missing = s.execute(
            select(Transcript.id).where(Transcript.id.not_in(current)).order_by(Transcript.id)
        ).scalars().all()
    if not missing:
        return 0
    with store.derived() as s:
        for tid in missing:
            write_index(s, tid, s.scalar(select(Transcript.text).where(Transcript.id == tid)))
    return len(missing)


def occurrences(session: Session) -> Iterator[tuple[int, int, str, int, list[tuple[int, int, int, int]]]]:
    """Every posting decoded: (transcript, field, term, count, [(word number, start, end,
    turn key), …]), by transcript, term and field (for checks and tests)."""
    rows = session.execute(
        select(Posting.transcript_id, Posting.field, PostingTerm.term, Posting.count,
               Posting.data)
        .join(PostingTerm, PostingTerm.id == Posting.term_id)
        .order_by(Posting.transcript_id, PostingTerm.term, Posting.field)
    ).all()
    placed = layouts(session, {row[0] for row in rows})
    for tid, field, term, count, data in rows:
        numbers = decode_numbers(bytes(data))
        starts, ends, turns = placed[tid].locate(numbers)
        yield tid, field, term, count, list(zip(numbers, starts, ends, turns, strict=True))


def index_stats(session: Session) -> dict[str, int]:
    """Row counts of the index tables (for diagnostics and tests)."""
    return {name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in (("terms", PostingTerm), ("postings", Posting),
                                ("texts", TextIndex))}


__all__ = [
    "BOTH", "FIELDS_OF", "FORM", "INDEX_VERSION", "LEMMA", "Layout", "ensure_index",
    "find_postings", "index_stats", "layouts", "lemma_postings", "reindex_after_replay",
    "sentences", "TermKeys", "word_counts", "write_index",
]
