"""Lemma-aware search across transcripts, keyword-in-context results, and autocoding.

Query syntax (terms are separated by spaces; a hit matches any of them):

- ``bruker``: every inflected form with the same lemma (brukeren, brukerne, brukere);
- ``"for lite tid"``: a phrase, word by word by lemma, in consecutive words;
- ``bruk*``, ``*het``, ``sam?ale``: wildcards on the word form (``*`` any letters,
  ``?`` one letter);
- ``=brukerne``: exactly this word form, not its other inflections.

Filters narrow the hits to a group, a speaker, a role, or text coded with a code. Turns of
the moderator and co-moderator are left out unless ``all_roles`` is set (or a role or a
speaker is asked for by name). Word forms can be left out one by one (``exclude_forms``):
a result lists the forms it found with their counts, and marks the ambiguous ones (see
:mod:`workbench.nlp.homographs`). The search runs on the index stored at import
(``posting`` table), so it needs no re-parsing; keyword-in-context snippets are built only
for the page asked for, while the counts cover every hit.
"""

from __future__ import annotations

import shlex
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.model import name_key
from workbench.i18n import UserError
from workbench.nlp import get_pipeline
from workbench.storage.models import (
    Code,
    Coding,
    Command,
    Participant,
    Posting,
    Sentence,
    Transcript,
    Turn,
)

from workbench.storage.search_index import FORM, LEMMA, unpack

from .base import Service
from .codes import CodeService

CONTEXT = 45


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # lemmas, word forms or patterns, one per word
    kind: str  # "lemma", "form" or "wildcard"


@dataclass(frozen=True)
class Hit:
    transcript_id: int
    transcript: str
    group: str | None
    turn_id: int | None
    speaker: str | None
    role: str | None
    start: int
    end: int
    left: str
    match: str
    right: str


#: Roles whose turns are left out of search and autocoding unless asked for.
LEFT_OUT_ROLES: tuple[str, ...] = ("moderator", "co-moderator")


@dataclass(frozen=True)
class SearchFilter:
    group: str | None = None
    speaker: str | None = None
    role: str | None = None
    code: str | None = None
    transcript: str | None = None
    all_roles: bool = False
    exclude_forms: frozenset[str] = frozenset()

    @property
    def left_out_roles(self) -> tuple[str, ...]:
        """The roles this filter leaves out: none when every role is asked for, or when a
        role or a speaker is named."""
        if self.all_roles or self.role or self.speaker:
            return ()
        return LEFT_OUT_ROLES


@dataclass(frozen=True)
class FormCount:
    """One word form among the hits (lowercase; a phrase's words joined by spaces)."""

    form: str
    count: int
    readings: tuple[tuple[str, str], ...]  # (part of speech, lemma) when ambiguous
    excluded: bool

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, with exact counts over all of them."""

    query: str
    total: int  # hits after every filter, excluded forms left out
    transcripts: int  # transcripts with at least one of them
    forms: list[FormCount]  # every form found (excluded ones too), most frequent first
    hits: list[Hit]  # the page: hits[offset : offset + size]
    offset: int
    left_out_roles: tuple[str, ...]
    left_out: int  # hits in turns of the left-out roles


@dataclass(frozen=True)
class Preview:
    """What autocoding would code for one hit: the hit and the span of its unit."""

    hit: Hit
    form: str
    start: int
    end: int
    text: str  # the text of the span as it will be coded


def parse_query(query: str) -> list[Term]:
    """Split a query into terms (see the module docstring)."""
    try:
        parts = shlex.split(query)
    except ValueError:
        parts = query.replace('"', " ").split()
    nlp = get_pipeline()
    terms: list[Term] = []
    for part in parts:
        words = part.split()
        if not words:
            continue
        if any("*" in w or "?" in w for w in words):
            terms.append(Term(tuple(w.lower() for w in words), "wildcard"))
        elif part.startswith("="):
            terms.append(Term(tuple(w.lower().lstrip("=") for w in words), "form"))
        else:
            terms.append(Term(tuple(nlp.lemma(w) for w in words), "lemma"))
    return [t for t in terms if all(t.words)]


class SearchService(Service):
    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        super().__init__(store)
        self._cache_key: tuple | None = None
        self._cache: tuple[dict, dict, dict] = ({}, {}, {})

    def search(
        self, query: str, filters: SearchFilter | None = None, *, limit: int | None = None
    ) -> list[Hit]:
        """Every hit (or the first ``limit``), keyword in context included."""
        result = self.find(query, filters, size=limit, readings=False)
        return result.hits

    def find(
        self, query: str, filters: SearchFilter | None = None, *, offset: int = 0,
        size: int | None = 50, readings: bool = True,
    ) -> SearchResult:
        """One page of hits (``size`` None: all from ``offset``), exact counts and the word
        forms found. ``readings`` looks the forms up among the homographs (the table is
        read on first use)."""
        terms = parse_query(query)
        if not terms:
            raise UserError("search.error.empty")
        filters = filters or SearchFilter()
        with self.store.read() as s:
            spans = self._match(s, terms, filters)
            selected, counts, left_out = self._select(s, spans, filters)
            end = None if size is None else offset + size
            page = selected[offset:end]
            hits = self._build(s, page)
        forms = self._forms(counts, filters.exclude_forms, readings)
        return SearchResult(
            query=query, total=len(selected), transcripts=len({x[0] for x in selected}),
            forms=forms, hits=hits, offset=offset, left_out_roles=filters.left_out_roles,
            left_out=left_out,
        )

    @staticmethod
    def with_readings(result: SearchResult) -> SearchResult:
        """The result with its forms looked up among the homographs (reads the table on
        first use: call it off the UI thread)."""
        counts = {f.form: f.count for f in result.forms}
        excluded = frozenset(f.form for f in result.forms if f.excluded)
        return replace(result, forms=SearchService._forms(counts, excluded, True))

    @staticmethod
    def _forms(counts: dict[str, int], excluded: frozenset[str], readings: bool) -> list[FormCount]:
        from workbench.nlp import homographs

        out = []
        for form, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
            found = homographs.readings(form) if readings and " " not in form else ()
            out.append(FormCount(form, n, found, form in excluded))
        return out

    # -- matching ----------------------------------------------------------------------

    def _postings(
        self, s: Session, term: str, kind: str, scope: int | None
    ) -> dict[int, dict[int, tuple[int, int, int]]]:
        """transcript → word number → (start, end, turn key) for one word of a term."""
        if kind == "lemma":
            cond = (Posting.field == LEMMA) & (Posting.term == term)
        elif kind == "form":
            cond = (Posting.field == FORM) & (Posting.term == term)
        elif s.get_bind().dialect.name == "sqlite":
            cond = (Posting.field == FORM) & Posting.term.op("GLOB")(term)
        else:
            cond = (Posting.field == FORM) & Posting.term.like(
                term.replace("*", "%").replace("?", "_")
            )
        stmt = select(Posting.transcript_id, Posting.data).where(cond)
        if scope is not None:
            stmt = stmt.where(Posting.transcript_id == scope)
        out: dict[int, dict[int, tuple[int, int, int]]] = defaultdict(dict)
        for tid, data in s.execute(stmt):
            found = out[tid]
            for n, start, end, turn in unpack(data):
                found[n] = (start, end, turn)
        return out

    def _match(
        self, s: Session, terms: list[Term], filters: SearchFilter
    ) -> set[tuple[int, int, int, int]]:
        """(transcript_id, start, end, turn key) of every match."""
        scope = self._transcript_id(s, filters.transcript) if filters.transcript else None
        found: set[tuple[int, int, int, int]] = set()
        for term in terms:
            words = [self._postings(s, w, term.kind, scope) for w in term.words]
            for tid, first in words[0].items():
                rest = [w.get(tid, {}) for w in words[1:]]
                for n, (start, end, turn) in first.items():
                    last_end = end
                    for k, following in enumerate(rest, start=1):
                        nxt = following.get(n + k)
                        if nxt is None:
                            break
                        last_end = nxt[1]
                    else:
                        found.add((tid, start, last_end, turn))
        return found

    @staticmethod
    def _transcript_id(s: Session, ref: str) -> int:
        found = s.scalar(select(Transcript.id).where(Transcript.name == ref))
        if found is None:
            raise UserError("transcript.error.unknown", name=ref, names="")
        return int(found)

    # -- results -----------------------------------------------------------------------

    def _context(self, s: Session) -> tuple[dict, dict, dict]:
        """People, turns and transcript texts, cached until the project changes."""
        key = tuple(s.execute(
            select(func.max(Command.seq), func.max(Command.changed_at), func.count())
        ).one())
        if key != self._cache_key:
            people = {
                p.id: (p.label, p.role, p.group_name) for p in s.scalars(select(Participant))
            }
            turns = {
                tid: (pid, start, end)
                for tid, pid, start, end in s.execute(
                    select(Turn.id, Turn.participant_id, Turn.start, Turn.end)
                )
            }
            transcripts = {
                tid: (name, group, text)
                for tid, name, group, text in s.execute(
                    select(Transcript.id, Transcript.name, Transcript.group_name, Transcript.text)
                )
            }
            self._cache = (people, turns, transcripts)
            self._cache_key = key
        return self._cache

    def _select(self, s: Session, spans, filters: SearchFilter):  # type: ignore[no-untyped-def]
        """The spans that pass the filters, in reading order; the count of every form
        found (excluded forms too); and how many hits the left-out roles held."""
        counts: dict[str, int] = defaultdict(int)
        if not spans:
            return [], counts, 0
        people, turns, transcripts = self._context(s)
        coded: dict[int, list[tuple[int, int]]] | None = None
        if filters.code:
            code = s.scalar(select(Code).where(Code.name_key == name_key(filters.code)))
            if code is None:
                raise UserError("search.error.unknown_code", code=filters.code)
            coded = defaultdict(list)
            for tid, start, end in s.execute(
                select(Coding.transcript_id, Coding.start, Coding.end).where(Coding.code_id == code.id)
            ):
                coded[tid].append((start, end))
        group_key = name_key(filters.group) if filters.group else None
        speaker_key = name_key(filters.speaker) if filters.speaker else None
        left_out_roles = filters.left_out_roles
        excluded = filters.exclude_forms
        left_out = 0
        selected = []
        none = (None, None, None)
        for span in sorted(spans, key=lambda x: (transcripts[x[0]][0], x[1])):
            tid, start, end, turn = span
            _name, tgroup, text = transcripts[tid]
            pid = turns[turn][0] if turn in turns else None
            label, role, pgroup = people.get(pid, none) if pid else none
            if group_key is not None and name_key(pgroup or tgroup or "") != group_key:
                continue
            if speaker_key is not None and name_key(label or "") != speaker_key:
                continue
            if filters.role and role != filters.role:
                continue
            if coded is not None and not any(a < end and start < b for a, b in coded.get(tid, ())):
                continue
            if role in left_out_roles:
                left_out += 1
                continue
            form = " ".join(text[start:end].lower().split())
            counts[form] += 1
            if form in excluded:
                continue
            selected.append(span)
        return selected, counts, left_out

    def _build(self, s: Session, spans) -> list[Hit]:  # type: ignore[no-untyped-def]
        """Hits with keyword in context, for the given (page of) spans only."""
        if not spans:
            return []
        people, turns, transcripts = self._context(s)
        hits: list[Hit] = []
        for tid, start, end, turn in spans:
            name, tgroup, text = transcripts[tid]
            pid, tstart, tend = turns.get(turn, (None, 0, len(text)))
            label, role, pgroup = people.get(pid, (None, None, None)) if pid else (None, None, None)
            left = text[max(tstart, start - CONTEXT):start]
            right = text[end:min(tend, end + CONTEXT)]
            hits.append(
                Hit(tid, name, pgroup or tgroup, turn or None, label, role, start, end,
                    left.replace("\n", " "), text[start:end], right.replace("\n", " "))
            )
        return hits

    # -- autocoding --------------------------------------------------------------------

    def expand(self, hits: list[Hit], unit: str) -> list[tuple[int, int, int]]:
        """The spans to code for each hit: the hit itself, its sentence or its whole turn."""
        with self.store.read() as s:
            return sorted(set(self._units(s, hits, unit)))

    def _units(self, s: Session, hits: list[Hit], unit: str) -> list[tuple[int, int, int]]:
        """(transcript, start, end) of each hit's unit, one per hit, in the hits' order."""
        if unit not in ("hit", "sentence", "turn"):
            raise UserError("search.error.unit", unit=unit)
        if unit == "hit":
            return [(h.transcript_id, h.start, h.end) for h in hits]
        out: list[tuple[int, int, int]] = [(h.transcript_id, h.start, h.end) for h in hits]
        if unit == "turn":
            turn_ids = {h.turn_id for h in hits if h.turn_id}
            bounds: dict[int, tuple[int, int, int]] = {}
            for chunk in _chunks(sorted(turn_ids), 900):
                for turn, tid, start, end in s.execute(
                    select(Turn.id, Turn.transcript_id, Turn.start, Turn.end)
                    .where(Turn.id.in_(chunk))
                ):
                    if end > start:
                        bounds[turn] = (tid, start, end)
            for i, h in enumerate(hits):
                if h.turn_id in bounds:
                    out[i] = bounds[h.turn_id]
            return out
        by_transcript: dict[int, list[int]] = defaultdict(list)
        for i, h in enumerate(hits):
            by_transcript[h.transcript_id].append(i)
        for tid, indices in by_transcript.items():
            sentences = s.execute(
                select(Sentence.start, Sentence.end)
                .where(Sentence.transcript_id == tid).order_by(Sentence.start)
            ).all()
            starts = [a for a, _ in sentences]
            for i in indices:
                h = hits[i]
                k = bisect_right(starts, h.start) - 1
                if k >= 0 and sentences[k][1] >= h.end:
                    out[i] = (tid, sentences[k][0], sentences[k][1])
        return out

    def preview(
        self, query: str, *, unit: str = "hit", filters: SearchFilter | None = None,
    ) -> list[Preview]:
        """What autocoding would code, hit by hit, without changing anything."""
        hits = self.search(query, filters)
        if not hits:
            raise UserError("search.error.no_hits", query=query)
        with self.store.read() as s:
            units = self._units(s, hits, unit)
            texts = self._context(s)[2]
        return [
            Preview(hit, " ".join(hit.match.lower().split()), start, end,
                    texts[tid][2][start:end])
            for hit, (tid, start, end) in zip(hits, units, strict=True)
        ]

    def autocode(
        self, query: str, *, code_name: str, unit: str = "hit",
        filters: SearchFilter | None = None,
    ) -> tuple[int, int]:
        """Code every hit (or its sentence or turn) in one undoable command.

        Returns (codings added, spans already coded with that code).
        """
        hits = self.search(query, filters)
        if not hits:
            raise UserError("search.error.no_hits", query=query)
        spans = self.expand(hits, unit)
        return self._code_spans(spans, code_name, label=f"{query} ({unit})")

    def code_previews(
        self, previews: list[Preview], *, code_name: str, label: str,
    ) -> tuple[int, int]:
        """Code the spans of the accepted previews in one undoable command."""
        spans = sorted({(p.hit.transcript_id, p.start, p.end) for p in previews})
        if not spans:
            raise UserError("search.error.nothing_accepted")
        return self._code_spans(spans, code_name, label=label)

    def code_turns(
        self, *, code_name: str, speaker: str | None = None, role: str | None = None,
        transcript: str | None = None,
    ) -> tuple[int, int]:
        """Code every turn of a speaker or a role in one undoable command."""
        if not speaker and not role:
            raise UserError("search.error.turns_filter")
        with self.store.read() as s:
            stmt = select(Turn.transcript_id, Turn.start, Turn.end).join(
                Participant, Turn.participant_id == Participant.id
            )
            if speaker:
                stmt = stmt.where(Participant.label == speaker)
            if role:
                stmt = stmt.where(Participant.role == role)
            if transcript:
                stmt = stmt.where(Turn.transcript_id == self._transcript_id(s, transcript))
            spans = [(a, b, c) for a, b, c in s.execute(stmt) if c > b]
        if not spans:
            raise UserError("search.error.no_turns")
        return self._code_spans(spans, code_name, label=speaker or role or "")

    def _code_spans(self, spans: list[tuple[int, int, int]], code_name: str, *, label: str) -> tuple[int, int]:
        with self.store.command("coding.autocode", code=code_name, query=label, n=len(spans)) as s:
            code = s.scalar(select(Code).where(Code.name_key == name_key(code_name)))
            if code is None:
                if not code_name.strip():
                    raise UserError("code.error.empty_name")
                code = CodeService.new_code(s, " ".join(code_name.split()))
            existing = {
                (tid, a, b) for tid, a, b in s.execute(
                    select(Coding.transcript_id, Coding.start, Coding.end).where(Coding.code_id == code.id)
                )
            }
            added = 0
            for span in spans:
                if span in existing:
                    continue
                tid, start, end = span
                s.add(Coding(transcript_id=tid, code_id=code.id, start=start, end=end, coder=self.actor))
                added += 1
            return added, len(spans) - added


def _chunks(items: list, size: int):  # type: ignore[no-untyped-def]
    for i in range(0, len(items), size):
        yield items[i:i + size]


__all__ = [
    "LEFT_OUT_ROLES", "FormCount", "Hit", "Preview", "SearchFilter", "SearchResult",
    "SearchService", "Term", "parse_query",
]
