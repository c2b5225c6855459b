"""Analysis tables: code frequencies, co-occurrence, code × transcript and code × group
matrices, and word frequencies per group. Each is a plain :class:`Table` that the TUI shows
and the CLI writes as CSV."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.collation import sort_key
from workbench.domain.marks import find_marks
from workbench.formats.csv import csv_text
from workbench.i18n import UserError, t
from workbench.nlp import STOP_WORDS
from workbench.storage import search_index
from workbench.storage.models import Code, Coding, Participant, Transcript, Turn

from .base import Service

KINDS = ("frequencies", "cooccurrence", "code-transcript", "code-group", "words")


@dataclass(frozen=True)
class Table:
    kind: str
    columns: list[str]
    rows: list[list[str | int | float]]

    def to_csv(self) -> str:
        return csv_text(self.columns, self.rows, line_end="\n")


@dataclass
class _Coded:
    code_id: int
    transcript_id: int
    start: int
    end: int
    turn_id: int | None
    participant_id: int | None
    by_informant: bool


class TableService(Service):
    def table(self, kind: str, *, same_turn: bool = False, top: int = 30) -> Table:
        if kind not in KINDS:
            raise UserError("tables.error.kind", kind=kind, kinds=", ".join(KINDS))
        with self.store.read() as s:
            if kind == "words":
                return self._words(s, top)
            codes = {c.id: c.name for c in s.scalars(select(Code))}
            coded = self._codings(s)
            if kind == "frequencies":
                return self._frequencies(codes, coded)
            if kind == "cooccurrence":
                return self._cooccurrence(codes, coded, same_turn)
            if kind == "code-transcript":
                names = dict(s.execute(select(Transcript.id, Transcript.name)).all())
                return self._matrix(kind, codes, coded, lambda c: names[c.transcript_id],
                                    [names[i] for i in sorted(names)])
            groups = self._groups(s)
            columns = sorted({g for g in groups.values() if g}, key=sort_key)
            no_group = t("tables.no_group")
            if any(not g for g in groups.values()):  # a transcript without a group
                columns.append(no_group)
            return self._matrix(
                kind, codes, coded,
                lambda c: groups.get((c.transcript_id, c.participant_id)) or no_group, columns)

    # -- data --------------------------------------------------------------------------

    @staticmethod
    def _codings(s: Session) -> list[_Coded]:
        turns: dict[int, tuple[list[int], list[tuple[int, int | None]]]] = {}
        for tid, start, turn_id, pid in s.execute(
            select(Turn.transcript_id, Turn.start, Turn.id, Turn.participant_id)
            .order_by(Turn.transcript_id, Turn.start)
        ):
            starts, info = turns.setdefault(tid, ([], []))
            starts.append(start)
            info.append((turn_id, pid))
        informants = set(
            s.scalars(select(Participant.id).where(Participant.role == "informant"))
        )
        out = []
        for code_id, tid, start, end in s.execute(
            select(Coding.code_id, Coding.transcript_id, Coding.start, Coding.end)
        ):
            starts, info = turns.get(tid, ([], []))
            i = bisect_right(starts, start) - 1
            turn_id, pid = info[i] if i >= 0 else (None, None)
            out.append(_Coded(code_id, tid, start, end, turn_id, pid, pid in informants))
        return out

    @staticmethod
    def _groups(s: Session) -> dict[tuple[int, int | None], str | None]:
        """Group of each (transcript, participant): the informant's group, else the transcript's."""
        people = dict(s.execute(select(Participant.id, Participant.group_name)).all())
        roles = dict(s.execute(select(Participant.id, Participant.role)).all())
        tgroups = dict(s.execute(select(Transcript.id, Transcript.group_name)).all())
        out: dict[tuple[int, int | None], str | None] = {}
        for tid, pid in s.execute(select(Turn.transcript_id, Turn.participant_id).distinct()):
            informant_group = people.get(pid) if pid and roles.get(pid) == "informant" else None
            out[(tid, pid)] = informant_group or tgroups.get(tid)
        return out

    # -- tables ------------------------------------------------------------------------

    def _frequencies(self, codes: dict[int, str], coded: list[_Coded]) -> Table:
        codings: Counter[int] = Counter()
        transcripts: dict[int, set[int]] = defaultdict(set)
        informants: dict[int, set[int]] = defaultdict(set)
        for c in coded:
            codings[c.code_id] += 1
            transcripts[c.code_id].add(c.transcript_id)
            if c.participant_id and c.by_informant:
                informants[c.code_id].add(c.participant_id)
        rows = [
            [name, codings[cid], len(transcripts[cid]), len(informants[cid])]
            for cid, name in codes.items()
        ]
        rows.sort(key=lambda r: (-int(r[1]), sort_key(str(r[0]))))
        return Table("frequencies", [t("tables.col.code"), t("tables.col.codings"),
                                     t("tables.col.transcripts"), t("tables.col.informants")], rows)

    def _cooccurrence(self, codes: dict[int, str], coded: list[_Coded], same_turn: bool) -> Table:
        pairs: Counter[tuple[int, int]] = Counter()
        by_transcript: dict[int, list[_Coded]] = defaultdict(list)
        for c in coded:
            by_transcript[c.transcript_id].append(c)
        for items in by_transcript.values():
            if same_turn:
                by_turn: dict[int | None, set[int]] = defaultdict(set)
                for c in items:
                    by_turn[c.turn_id].add(c.code_id)
                for turn, ids in by_turn.items():
                    if turn is None:
                        continue
                    ordered = sorted(ids)
                    for i, a in enumerate(ordered):
                        for b in ordered[i + 1:]:
                            pairs[(a, b)] += 1
                continue
            items.sort(key=lambda c: c.start)
            seen: set[tuple[int, int, int, int]] = set()
            for i, a in enumerate(items):  # sweep: later items start before a ends
                for b in items[i + 1:]:
                    if b.start >= a.end:
                        break
                    if a.code_id != b.code_id:
                        key = (min(a.code_id, b.code_id), max(a.code_id, b.code_id), a.start, b.start)
                        if key not in seen:
                            seen.add(key)
                            pairs[key[:2]] += 1
        rows = [[codes[a], codes[b], n] for (a, b), n in pairs.items()]
        rows.sort(key=lambda r: (-int(r[2]), sort_key(str(r[0])), sort_key(str(r[1]))))
        return Table("cooccurrence", [t("tables.col.code_a"), t("tables.col.code_b"),
                                      t("tables.col.count")], rows)

    def _matrix(self, kind, codes, coded, column_of, columns) -> Table:  # type: ignore[no-untyped-def]
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        for c in coded:
            counts[c.code_id][column_of(c)] += 1
        rows = [
            [name, *[counts[cid][col] for col in columns]]
            for cid, name in sorted(codes.items(), key=lambda kv: sort_key(kv[1]))
        ]
        return Table(kind, [t("tables.col.code"), *columns], rows)

    def _words(self, s: Session, top: int) -> Table:
        groups = self._groups(s)
        # Transcription marks ("(latter)", "(pause)") are not words the informants said.
        marks: dict[int, tuple[list[int], list[int]]] = {}
        for tid, text in s.execute(select(Transcript.id, Transcript.text)):
            found = find_marks(text)
            marks[tid] = ([m.start for m in found], [m.end for m in found])
        turn_people = dict(s.execute(select(Turn.id, Turn.participant_id)).all())
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        postings = [row for row in search_index.lemma_postings(s)
                    if not (row[1] in STOP_WORDS or len(row[1]) < 2 or row[1].isdigit())]
        placed = search_index.layouts(s, {tid for tid, _lemma, _numbers in postings})
        spans = {tid: layout.spans()[0] for tid, layout in placed.items()}
        no_group = t("tables.no_group")
        for tid, lemma, numbers in postings:
            layout = placed.get(tid)
            if layout is None:
                continue
            starts, ends = marks.get(tid, ([], []))
            word_starts = spans[tid]
            occurrence_starts = [word_starts[n] for n in numbers]
            for start, turn in zip(occurrence_starts, layout.turns(occurrence_starts), strict=True):
                i = bisect_right(starts, start) - 1
                if i >= 0 and start < ends[i]:
                    continue
                group = groups.get((tid, turn_people.get(turn))) or no_group
                counts[group][lemma] += 1
        columns = [t("tables.col.group"), t("tables.col.rank"), t("tables.col.word"),
                   t("tables.col.count")]
        rows: list[list[str | int | float]] = []
        for group in sorted(counts, key=sort_key):
            for rank, (word, n) in enumerate(counts[group].most_common(top), start=1):
                rows.append([group, rank, word, n])
        return Table("words", columns, rows)
