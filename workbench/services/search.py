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
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from itertools import chain, compress, repeat
from operator import and_, not_, sub
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
    Transcript,
    Turn,
)

from workbench.storage import commands
from workbench.storage import search_index

from .base import Service
from .codes import CodeService

CONTEXT = 45

#: Commands that may change a transcript's text or name: the cached texts are reloaded
#: when one of them runs or is undone or redone.
_TEXT_COMMANDS = tuple(
    name for name, tables in commands.COMMANDS.items() if "transcript" in tables
)


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
        self._texts_key: tuple | None = None
        self._texts: dict[int, tuple[str, str | None, str]] = {}
        self._order: list[int] = []
        self._people_key: tuple | None = None
        self._people: dict[int, tuple[str, str, str | None]] = {}
        self._turn_sets: dict[tuple, tuple[frozenset[int] | None, frozenset[int], frozenset[int]]] = {}

    def warm_up(self) -> None:
        """Read what every search needs first (the transcripts' texts and the index's word
        layouts) so the first search does not: the TUI calls it in a background thread
        after its first frame, with the NLP warm-up."""
        with self.store.read() as s:
            self._refresh(s)
            search_index.layouts(s, list(self._texts))
            self._turn_filter(s, SearchFilter())  # the default filter's left-out turns

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
        phrase = any(len(term.words) > 1 for term in terms)
        with self.store.read() as s:
            self._refresh(s)
            scope = self._transcript_id(s, filters.transcript) if filters.transcript else None
            found = self._match(s, terms, scope)
            selected, counts, left_out = self._select(s, found, filters, phrase)
            total = sum(len(starts) for _tid, starts, _ends, _turns in selected)
            hits = self._build(s, _page(selected, offset, size))
        forms = self._forms(counts, filters.exclude_forms, readings)
        return SearchResult(
            query=query, total=total, transcripts=sum(1 for x in selected if x[1]),
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
    #
    # Hits are kept per transcript as three parallel sequences (starts, ends, turn keys) in
    # reading order, and filtered with C-level map/compress, not one Python step per hit:
    # a frequent lemma has tens of thousands of hits, the screen shows one page.

    def _word(self, s: Session, term: str, kind: str, scope: int | None) -> dict[int, list[int]]:
        """transcript → the word numbers of one word of a term, ascending (several
        postings of a wildcard put together)."""
        return search_index.find_postings(s, kind, term, scope)

    def _match(self, s: Session, terms: list[Term], scope: int | None) -> dict[int, tuple]:
        """transcript → (starts, ends, turn keys) of every match, in reading order.

        Matching works on word numbers (a phrase: consecutive numbers); the index's layout
        of each transcript then gives the offsets and turns of the matches only."""
        parts: dict[int, list[tuple[list[int], list[int]]]] = defaultdict(list)
        for term in terms:
            words = [self._word(s, w, term.kind, scope) for w in term.words]
            for tid, first in words[0].items():
                if len(words) == 1:
                    parts[tid].append((first, first))
                    continue
                rest = [w.get(tid) for w in words[1:]]
                if any(r is None for r in rest):
                    continue
                starting = set(first)
                for k, following in enumerate(rest, start=1):
                    starting &= set(map(sub, following, repeat(k)))  # type: ignore[arg-type]
                if not starting:
                    continue
                chosen = sorted(starting)
                parts[tid].append((chosen, [n + len(rest) for n in chosen]))
        placed = search_index.layouts(s, parts)
        found: dict[int, tuple] = {}
        for tid, lists in parts.items():
            layout = placed.get(tid)
            if layout is None:
                continue
            if len(lists) == 1:
                first, last = lists[0]
            else:  # several terms: their union, each match once, in reading order
                merged = sorted(set(chain.from_iterable(zip(a, b) for a, b in lists)))
                first, last = [a for a, _ in merged], [b for _, b in merged]
            found[tid] = layout.locate(first, last)
        return found

    @staticmethod
    def _transcript_id(s: Session, ref: str) -> int:
        found = s.scalar(select(Transcript.id).where(Transcript.name == ref))
        if found is None:
            raise UserError("transcript.error.unknown", name=ref, names="")
        return int(found)

    # -- results -----------------------------------------------------------------------

    def _refresh(self, s: Session) -> None:
        """Reload the cached transcript texts when a command that writes transcripts ran or
        was undone or redone, and the people when any command did."""
        everything = tuple(s.execute(
            select(func.max(Command.seq), func.max(Command.changed_at), func.count())
        ).one())
        if everything == self._people_key:
            return
        texts_key = tuple(s.execute(
            select(func.max(Command.seq), func.max(Command.changed_at), func.count())
            .where(Command.name.in_(_TEXT_COMMANDS))
        ).one()) + (s.scalar(select(func.count()).select_from(Transcript)),)
        if texts_key != self._texts_key:
            self._texts = {
                tid: (name, group, text)
                for tid, name, group, text in s.execute(
                    select(Transcript.id, Transcript.name, Transcript.group_name, Transcript.text)
                )
            }
            self._order = sorted(self._texts, key=lambda tid: self._texts[tid][0])
            self._texts_key = texts_key
        self._people = {
            pid: (label, role, group)
            for pid, label, role, group in s.execute(
                select(Participant.id, Participant.label, Participant.role, Participant.group_name)
            )
        }
        self._turn_sets = {}
        self._people_key = everything

    def _turn_filter(self, s: Session, filters: SearchFilter):  # type: ignore[no-untyped-def]
        """(turn keys that pass the group/speaker/role filters, or None for all; per
        transcript the spans of the left-out roles' turns, in order; transcripts whose text
        outside turns passes), cached per filter."""
        key = (filters.group, filters.speaker, filters.role, filters.left_out_roles)
        cached = self._turn_sets.get(key)
        if cached is not None:
            return cached
        left_out_roles = filters.left_out_roles
        left: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if left_out_roles:
            for tid, start, end in s.execute(
                select(Turn.transcript_id, Turn.start, Turn.end)
                .join(Participant, Turn.participant_id == Participant.id)
                .where(Participant.role.in_(left_out_roles))
                .order_by(Turn.transcript_id, Turn.start)
            ):
                left[tid].append((start, end))
        passing: frozenset[int] | None = None
        outside: frozenset[int] = frozenset(self._texts)
        if filters.group or filters.speaker or filters.role:
            group_key = name_key(filters.group) if filters.group else None
            speaker_key = name_key(filters.speaker) if filters.speaker else None
            keep = []
            for turn, tid, pid in s.execute(select(Turn.id, Turn.transcript_id, Turn.participant_id)):
                label, role, pgroup = self._people.get(pid, (None, None, None)) if pid else (None, None, None)
                tgroup = self._texts[tid][1] if tid in self._texts else None
                if group_key is not None and name_key(pgroup or tgroup or "") != group_key:
                    continue
                if speaker_key is not None and name_key(label or "") != speaker_key:
                    continue
                if filters.role and role != filters.role:
                    continue
                keep.append(turn)
            passing = frozenset(keep)
            if speaker_key is not None or filters.role:
                outside = frozenset()
            elif group_key is not None:
                outside = frozenset(
                    tid for tid, (_n, g, _t) in self._texts.items() if name_key(g or "") == group_key
                )
        result = (passing, dict(left), outside)
        self._turn_sets[key] = result
        return result

    def _select(self, s: Session, found: dict[int, tuple], filters: SearchFilter, phrase: bool):  # type: ignore[no-untyped-def]
        """Per transcript in reading order, the (starts, ends, turns) that pass the filters;
        the count of every form found (excluded forms too); and how many hits the left-out
        roles held."""
        counts: Counter[str] = Counter()
        if not found:
            return [], counts, 0
        passing, left, outside = self._turn_filter(s, filters)
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
        excluded = filters.exclude_forms
        left_out = 0
        selected = []
        for tid in self._order:
            if tid not in found:
                continue
            starts, ends, turns = found[tid]
            mask: list[bool] | None = None
            if passing is not None:
                mask = list(map(passing.__contains__, turns))
                if tid in outside and 0 in turns:
                    mask = [m or turn == 0 for m, turn in zip(mask, turns, strict=True)]
            if coded is not None:
                inside_code = coded.get(tid, ())
                inside = [any(a < end and start < b for a, b in inside_code)
                          for start, end in zip(starts, ends, strict=True)]
                mask = inside if mask is None else list(map(and_, mask, inside))
            if mask is not None:
                starts, ends, turns = (list(compress(starts, mask)), list(compress(ends, mask)),
                                       list(compress(turns, mask)))
            spans = left.get(tid)
            if spans:  # drop the hits inside left-out turns, a slice per turn
                kept_starts, kept_ends, kept_turns = [], [], []
                pos = 0
                for a, b in spans:
                    lo = bisect_left(starts, a, pos)
                    hi = bisect_left(starts, b, lo)
                    if hi > lo:
                        kept_starts.extend(starts[pos:lo])
                        kept_ends.extend(ends[pos:lo])
                        kept_turns.extend(turns[pos:lo])
                        left_out += hi - lo
                        pos = hi
                if pos:
                    kept_starts.extend(starts[pos:])
                    kept_ends.extend(ends[pos:])
                    kept_turns.extend(turns[pos:])
                    starts, ends, turns = kept_starts, kept_ends, kept_turns
            text = self._texts[tid][2]
            surfaces = list(map(text.__getitem__, map(slice, starts, ends)))
            counts.update(surfaces)
            if excluded:
                forms = list(map(str.lower, surfaces))
                if phrase:
                    forms = [" ".join(f.split()) for f in forms]
                keep = list(map(not_, map(excluded.__contains__, forms)))
                starts, ends, turns = (list(compress(starts, keep)), list(compress(ends, keep)),
                                       list(compress(turns, keep)))
            selected.append((tid, starts, ends, turns))
        forms: Counter[str] = Counter()
        for surface, n in counts.items():  # a few distinct surfaces: merge them by form
            forms[" ".join(surface.lower().split()) if phrase else surface.lower()] += n
        return selected, forms, left_out

    def _build(self, s: Session, spans: list[tuple[int, int, int, int]]) -> list[Hit]:
        """Hits with keyword in context, for the given (page of) spans only."""
        if not spans:
            return []
        turn_ids = sorted({turn for _tid, _a, _b, turn in spans if turn})
        turns: dict[int, tuple[int | None, int, int]] = {}
        for chunk in _chunks(turn_ids, 900):
            for turn, pid, start, end in s.execute(
                select(Turn.id, Turn.participant_id, Turn.start, Turn.end).where(Turn.id.in_(chunk))
            ):
                turns[turn] = (pid, start, end)
        people = self._people
        hits: list[Hit] = []
        for tid, start, end, turn in spans:
            name, tgroup, text = self._texts[tid]
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
            sentences = search_index.sentences(s, tid)
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
            self._refresh(s)
            texts = self._texts
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
        return self._code_spans(spans, code_name, label=query, unit=unit)

    def code_previews(
        self, previews: list[Preview], *, code_name: str, label: str, unit: str = "hit",
    ) -> tuple[int, int]:
        """Code the spans of the accepted previews (made with ``unit``) in one undoable
        command."""
        spans = sorted({(p.hit.transcript_id, p.start, p.end) for p in previews})
        if not spans:
            raise UserError("search.error.nothing_accepted")
        return self._code_spans(spans, code_name, label=label, unit=unit)

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
            # only the actor's own codings count: another coder's coding of the same span
            # is theirs, never merged with this one
            existing = {
                (tid, a, b) for tid, a, b in s.execute(
                    select(Coding.transcript_id, Coding.start, Coding.end)
                    .where(Coding.code_id == code.id, Coding.coder == self.actor)
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


def _page(selected, offset: int, size: int | None) -> list[tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """The spans ``[offset, offset + size)`` of the selection, in order."""
    out: list[tuple[int, int, int, int]] = []
    skip = offset
    for tid, starts, ends, turns in selected:
        n = len(starts)
        if skip >= n:
            skip -= n
            continue
        stop = n if size is None else min(n, skip + size - len(out))
        out.extend((tid, starts[i], ends[i], turns[i]) for i in range(skip, stop))
        skip = 0
        if size is not None and len(out) >= size:
            break
    return out


def _chunks(items: list, size: int):  # type: ignore[no-untyped-def]
    for i in range(0, len(items), size):
        yield items[i:i + size]


__all__ = [
    "LEFT_OUT_ROLES", "FormCount", "Hit", "Preview", "SearchFilter", "SearchResult",
    "SearchService", "Term", "parse_query",
]
