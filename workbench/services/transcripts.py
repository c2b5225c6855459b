"""Transcripts, their speaker turns, and the participants who speak them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.collation import sort_key
from workbench.domain.model import Role, TranscriptSummary, clean_name, name_key
from workbench.domain.parsed import ParsedTranscript, assemble
from workbench.i18n import UserError
from workbench.storage.changelog import bulk_insert
from workbench.storage.models import Coding, Participant, Transcript, Turn

from workbench.storage.search_index import word_counts, write_index

from . import labels
from .base import Service, get, next_position


@dataclass(frozen=True)
class ParticipantView:
    id: int
    guid: str
    label: str
    role: str
    profession: str | None
    group: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TurnView:
    id: int
    position: int
    start: int
    end: int
    start_ms: int | None
    end_ms: int | None
    participant_id: int | None
    speaker: str | None
    role: str | None


@dataclass(frozen=True)
class ParticipantTurn:
    """One turn of a participant, with the codes on it (for the participant view)."""

    transcript_id: int
    transcript: str
    index: int  # the turn's place in its transcript (0-based)
    turns: int  # how many turns the transcript has
    start: int
    end: int
    start_ms: int | None
    text: str
    codes: tuple[str, ...]  # names of the codes whose codings touch the turn
    coding_spans: tuple[tuple[int, int], ...]  # those codings, stored [start, end)


@dataclass(frozen=True)
class TranscriptView:
    id: int
    guid: str
    name: str
    group: str | None
    source_format: str
    original_filename: str | None
    text: str
    turns: tuple[TurnView, ...]


def _participant_view(p: Participant) -> ParticipantView:
    return ParticipantView(
        p.id, p.guid, p.label, p.role, p.profession, p.group_name, tuple(p.aliases or ())
    )


def coded_share(text_length: int, spans: list[tuple[int, int]]) -> float:
    """Share of a text's characters covered by at least one coding (0..1)."""
    if text_length <= 0 or not spans:
        return 0.0
    covered = 0
    cur_start, cur_end = -1, -1
    for start, end in sorted(spans):
        if start > cur_end:
            covered += cur_end - cur_start if cur_end > cur_start else 0
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    covered += cur_end - cur_start if cur_end > cur_start else 0
    return min(1.0, covered / text_length)


class TranscriptService(Service):
    # -- queries -----------------------------------------------------------------------

    def summaries(self) -> list[TranscriptSummary]:
        with self.store.read() as s:
            return self.summaries_in(s)

    @staticmethod
    def summaries_in(s: Session) -> list[TranscriptSummary]:
        """The overview of every transcript (turns, speakers, words, coded share), read in
        an open unit of work ``s`` (for services that need it inside their own read)."""
        spans: dict[int, list[tuple[int, int]]] = {}
        for tid, start, end in s.execute(select(Coding.transcript_id, Coding.start, Coding.end)):
            spans.setdefault(tid, []).append((start, end))
        turn_stats = {
            tid: (turns, speakers)
            for tid, turns, speakers in s.execute(
                select(
                    Turn.transcript_id, func.count(), func.count(func.distinct(Turn.participant_id))
                ).group_by(Turn.transcript_id)
            )
        }
        # Word counts come from the search index (one row per lemma), so the texts
        # themselves are never loaded for an overview.
        words = word_counts(s)
        out = []
        for tid, guid, name, group, fmt, length in s.execute(
            select(Transcript.id, Transcript.guid, Transcript.name, Transcript.group_name,
                   Transcript.source_format, func.length(Transcript.text))
            .order_by(Transcript.position, Transcript.id)
        ):
            turns, speakers = turn_stats.get(tid, (0, 0))
            out.append(
                TranscriptSummary(
                    id=tid, guid=guid, name=name, group=group, source_format=fmt,
                    speakers=speakers, turns=turns, words=int(words.get(tid) or 0),
                    coded_share=coded_share(int(length or 0), spans.get(tid, [])),
                )
            )
        return out

    def get(self, ref: int | str) -> TranscriptView:
        """A transcript with its text and turns, by id, GUID or name."""
        with self.store.read() as s:
            t = self._resolve(s, ref)
            # columns, not entities: a transcript has a thousand turns
            participants = {pid: (label, role) for pid, label, role in s.execute(
                select(Participant.id, Participant.label, Participant.role))}
            turns = tuple(
                TurnView(
                    tid, position, start, end, start_ms, end_ms, pid,
                    participants[pid][0] if pid else None,
                    participants[pid][1] if pid else None,
                )
                for tid, position, start, end, start_ms, end_ms, pid in s.execute(
                    select(Turn.id, Turn.position, Turn.start, Turn.end, Turn.start_ms,
                           Turn.end_ms, Turn.participant_id)
                    .where(Turn.transcript_id == t.id).order_by(Turn.position)
                )
            )
            return TranscriptView(
                t.id, t.guid, t.name, t.group_name, t.source_format, t.original_filename,
                t.text, turns,
            )

    @staticmethod
    def _resolve(s: Session, ref: int | str) -> Transcript:
        if isinstance(ref, int):
            return get(s, Transcript, ref)
        found = s.scalars(select(Transcript).where(Transcript.name == ref)).first()
        if found is None:
            found = s.scalars(select(Transcript).where(Transcript.guid == ref)).first()
        if found is None:
            names = [n for (n,) in s.execute(select(Transcript.name))]
            raise UserError(
                "transcript.error.unknown", name=ref,
                names=", ".join(sorted(names, key=sort_key)) or "–",
            )
        return found

    def participants(self) -> list[ParticipantView]:
        with self.store.read() as s:
            views = [_participant_view(p) for p in s.scalars(select(Participant))]
        return sorted(views, key=lambda v: sort_key(v.label))

    def participant_turns(self, participant_id: int) -> list[ParticipantTurn]:
        """Every turn of one participant across all transcripts (in transcript and turn
        order), each with the codes on it: the case view of one informant."""
        from workbench.storage.models import Code

        with self.store.read() as s:
            get(s, Participant, participant_id)
            rows = s.execute(
                select(Turn, Transcript.name, Transcript.text)
                .join(Transcript, Transcript.id == Turn.transcript_id)
                .where(Turn.participant_id == participant_id)
                .order_by(Transcript.name, Turn.position)
            ).all()
            tids = {turn.transcript_id for turn, _, _ in rows}
            counts = dict(s.execute(
                select(Turn.transcript_id, func.count(Turn.id))
                .where(Turn.transcript_id.in_(tids)).group_by(Turn.transcript_id)
            ).all()) if tids else {}
            positions: dict[int, list[int]] = {}
            for tid, position in s.execute(
                select(Turn.transcript_id, Turn.position).where(Turn.transcript_id.in_(tids))
            ) if tids else ():
                positions.setdefault(tid, []).append(position)
            codings: dict[int, list[tuple[int, int, str]]] = {}
            if tids:
                for tid, start, end, name in s.execute(
                    select(Coding.transcript_id, Coding.start, Coding.end, Code.name)
                    .join(Code, Code.id == Coding.code_id)
                    .where(Coding.transcript_id.in_(tids))
                    .order_by(Coding.start)
                ):
                    codings.setdefault(tid, []).append((start, end, name))
            place = {tid: {pos: i for i, pos in enumerate(sorted(found))}
                     for tid, found in positions.items()}
            out = []
            for turn, name, text in rows:
                here = [c for c in codings.get(turn.transcript_id, [])
                        if c[0] < turn.end and c[1] > turn.start]
                names = tuple(dict.fromkeys(c[2] for c in here))
                index = place[turn.transcript_id][turn.position]
                out.append(ParticipantTurn(
                    turn.transcript_id, name, index, int(counts[turn.transcript_id]),
                    turn.start, turn.end, turn.start_ms, text[turn.start:turn.end], names,
                    tuple((c[0], c[1]) for c in here),
                ))
            out.sort(key=lambda p: (sort_key(p.transcript), p.index))
            return out

    # -- commands ----------------------------------------------------------------------

    @staticmethod
    def find_participant(s: Session, label: str) -> Participant | None:
        key = name_key(label)
        for p in s.scalars(select(Participant)):
            if name_key(p.label) == key or key in {name_key(a) for a in p.aliases or ()}:
                return p
        return None

    def add_parsed(
        self, parsed: ParsedTranscript, *, name: str, group: str | None = None,
        original_filename: str | None = None, without_key: bool = False,
    ) -> TranscriptSummary:
        """Store a parsed transcript: text, turns, and participants for new speaker labels.

        Everything goes through the project's one pseudonymisation step first (speaker
        labels, text, the name and the file name); the project's linking key is needed
        when it has one (``without_key`` goes on without it)."""
        from .privacy import PrivacyService

        pz = PrivacyService(self.store).pseudonymiser(without_key=without_key)
        parsed = pz.parsed(parsed)
        name = pz.label(name)
        if original_filename:
            original_filename = pz.filename(original_filename)
        if group:
            group = pz.text(group)
        if not name:
            raise UserError("transcript.error.empty_name")
        pz.refuse_real_label(name)
        for label in parsed.speakers:
            pz.refuse_real_label(label)
        with self.store.command("transcript.import", name=name, file=original_filename) as s:
            if s.scalars(select(Transcript).where(Transcript.name == name)).first():
                raise UserError("transcript.error.exists", name=name)
            text, spans = assemble(parsed.turns)
            transcript = Transcript(
                name=name, group_name=group, source_format=parsed.source_format,
                original_filename=original_filename, text=text,
                position=next_position(s, Transcript.position),
            )
            s.add(transcript)
            s.flush()
            by_label: dict[str, Participant] = {}
            for label in parsed.speakers:
                p = self.find_participant(s, label)
                if p is None:
                    p = Participant(label=clean_name(label), role=Role.INFORMANT, group_name=group,
                                    aliases=[])
                    s.add(p)
                by_label[label] = p
            s.flush()
            bulk_insert(s, Turn, [
                {"transcript_id": transcript.id,
                 "participant_id": by_label[turn.speaker].id if turn.speaker else None,
                 "position": i, "start": start, "end": end, "start_ms": turn.start_ms,
                 "end_ms": turn.end_ms}
                for i, (turn, (start, end)) in enumerate(zip(parsed.turns, spans, strict=True))
            ])
            write_index(s, transcript.id, text)
            return next(x for x in self.summaries_in(s) if x.id == transcript.id)

    def _refuse_real_name(self, value: str) -> None:
        """A name from the linking key (when it is at hand) never names a participant or
        a transcript, nor appears in the name of one."""
        from .privacy import PrivacyService

        pz = PrivacyService(self.store).pseudonymiser(without_key=True)
        pz.refuse_real_label(value)
        if pz.text(value) != value:
            raise UserError("privacy.error.real_name_label", label=value)

    def rename(self, transcript_id: int, name: str) -> None:
        name = clean_name(name)
        if not name:
            raise UserError("transcript.error.empty_name")
        self._refuse_real_name(name)
        with self.store.command("transcript.rename", id=transcript_id, name=name,
                                **labels.lookup(self.store, transcripts={"old": transcript_id})) as s:
            t = get(s, Transcript, transcript_id)
            clash = s.scalars(select(Transcript).where(Transcript.name == name)).first()
            if clash is not None and clash.id != t.id:
                raise UserError("transcript.error.exists", name=name)
            t.name = name

    def set_group(self, transcript_id: int, group: str | None) -> None:
        with self.store.command("transcript.group", id=transcript_id, group=group,
                                what=None if group else "none",
                                **labels.lookup(self.store, transcripts={"doc": transcript_id})) as s:
            get(s, Transcript, transcript_id).group_name = clean_name(group) if group else None

    def delete(self, transcript_id: int) -> None:
        """Delete a transcript with its turns and codings (undoable)."""
        with self.store.command("transcript.delete", id=transcript_id,
                                **labels.lookup(self.store, transcripts={"doc": transcript_id})) as s:
            s.delete(get(s, Transcript, transcript_id))

    def update_participant(
        self, participant_id: int, *, label: str | None = None, role: str | None = None,
        profession: str | None = None, group: str | None = None,
    ) -> ParticipantView:
        if label is not None and clean_name(label):
            self._refuse_real_name(clean_name(label))
        with self.store.command("participant.update", id=participant_id, label=label,
                                role=role, profession=profession, group=group,
                                **labels.lookup(self.store, participants={"speaker": participant_id})) as s:
            p = get(s, Participant, participant_id)
            if label is not None:
                label = clean_name(label)
                if not label:
                    raise UserError("participant.error.empty_label")
                other = self.find_participant(s, label)
                if other is not None and other.id != p.id:
                    raise UserError("participant.error.exists", label=label)
                p.label = label
            if role is not None:
                if role not in Role.__members__.values():
                    raise UserError("participant.error.role", role=role)
                p.role = role
            if profession is not None:
                p.profession = profession.strip() or None
            if group is not None:
                p.group_name = group.strip() or None
            return _participant_view(p)

    def merge_participants(self, source_id: int, target_id: int) -> ParticipantView:
        """Merge two speaker labels (``Kari`` and ``Kari Ø.``): turns move to the target."""
        with self.store.command("participant.merge", source=source_id, target=target_id,
                                **labels.lookup(self.store, participants={"source_name": source_id, "target_name": target_id})) as s:
            source, target = get(s, Participant, source_id), get(s, Participant, target_id)
            if source.id == target.id:
                raise UserError("participant.error.merge_self")
            for turn in s.scalars(select(Turn).where(Turn.participant_id == source.id)):
                turn.participant_id = target.id
            aliases = list(target.aliases or [])
            for alias in [source.label, *(source.aliases or [])]:
                if name_key(alias) not in {name_key(a) for a in aliases}:
                    aliases.append(alias)
            target.aliases = aliases
            s.flush()
            s.delete(source)
            return _participant_view(target)
