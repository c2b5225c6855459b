"""Lemma-aware search across transcripts, keyword-in-context results, and autocoding.

Query syntax (terms are separated by spaces; a hit matches any of them):

- ``bruker``: every inflected form with the same lemma (brukeren, brukerne, brukere);
- ``"for lite tid"``: a phrase, word by word by lemma, in consecutive words;
- ``bruk*``, ``*het``, ``sam?ale``: wildcards on the word form (``*`` any letters,
  ``?`` one letter);
- ``=brukerne``: exactly this word form, not its other inflections.

Filters narrow the hits to a group, a speaker, a role, or text coded with a code. The
search runs on the index stored at import (``token`` table), so it needs no re-parsing.
"""

from __future__ import annotations

import shlex
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

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


@dataclass(frozen=True)
class SearchFilter:
    group: str | None = None
    speaker: str | None = None
    role: str | None = None
    code: str | None = None
    transcript: str | None = None


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
        terms = parse_query(query)
        if not terms:
            raise UserError("search.error.empty")
        filters = filters or SearchFilter()
        with self.store.read() as s:
            spans = self._match(s, terms, filters)
            return self._hits(s, spans, filters, limit)

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

    def _hits(self, s: Session, spans, filters: SearchFilter, limit: int | None) -> list[Hit]:  # type: ignore[no-untyped-def]
        if not spans:
            return []
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
        hits: list[Hit] = []
        for tid, start, end, turn in sorted(spans, key=lambda x: (transcripts[x[0]][0], x[1])):
            name, tgroup, text = transcripts[tid]
            pid, tstart, tend = turns.get(turn, (None, 0, len(text)))
            label, role, pgroup = people.get(pid, (None, None, None)) if pid else (None, None, None)
            group = pgroup or tgroup
            if filters.group and name_key(group or "") != name_key(filters.group):
                continue
            if filters.speaker and name_key(label or "") != name_key(filters.speaker):
                continue
            if filters.role and role != filters.role:
                continue
            if coded is not None and not any(a < end and start < b for a, b in coded.get(tid, ())):
                continue
            left = text[max(tstart, start - CONTEXT):start]
            right = text[end:min(tend, end + CONTEXT)]
            hits.append(
                Hit(tid, name, group, turn or None, label, role, start, end,
                    left.replace("\n", " "), text[start:end], right.replace("\n", " "))
            )
            if limit and len(hits) >= limit:
                break
        return hits

    # -- autocoding --------------------------------------------------------------------

    def expand(self, hits: list[Hit], unit: str) -> list[tuple[int, int, int]]:
        """The spans to code for each hit: the hit itself, its sentence or its whole turn."""
        if unit not in ("hit", "sentence", "turn"):
            raise UserError("search.error.unit", unit=unit)
        spans: set[tuple[int, int, int]] = set()
        with self.store.read() as s:
            if unit == "hit":
                spans = {(h.transcript_id, h.start, h.end) for h in hits}
            elif unit == "turn":
                turn_ids = {h.turn_id for h in hits if h.turn_id}
                for chunk in _chunks(sorted(turn_ids), 900):
                    for tid, start, end in s.execute(
                        select(Turn.transcript_id, Turn.start, Turn.end).where(Turn.id.in_(chunk))
                    ):
                        if end > start:
                            spans.add((tid, start, end))
            else:
                by_transcript: dict[int, list[Hit]] = defaultdict(list)
                for h in hits:
                    by_transcript[h.transcript_id].append(h)
                for tid, group in by_transcript.items():
                    sentences = s.execute(
                        select(Sentence.start, Sentence.end)
                        .where(Sentence.transcript_id == tid).order_by(Sentence.start)
                    ).all()
                    starts = [a for a, _ in sentences]
                    for h in group:
                        i = bisect_right(starts, h.start) - 1
                        if i >= 0 and sentences[i][1] >= h.end:
                            spans.add((tid, sentences[i][0], sentences[i][1]))
                        else:
                            spans.add((tid, h.start, h.end))
        return sorted(spans)

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
        return self._code_spans(spans, code_name, label=query, unit=unit)

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
        return self._code_spans(spans, code_name, label=speaker or role or "", unit="turns")

    def _code_spans(
        self, spans: list[tuple[int, int, int]], code_name: str, *, label: str, unit: str,
    ) -> tuple[int, int]:
        with self.store.command("coding.autocode", code=code_name, query=label, n=len(spans),
                                unit=unit, what="turns" if unit == "turns" else None) as s:
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


__all__ = ["Hit", "SearchFilter", "SearchService", "Term", "parse_query"]
