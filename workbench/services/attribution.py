"""Who said it, as an export may say it: attribution labels, and the ones that point at a
single informant.

An attribution label is made of a speaker's base profession and group by a pattern
(:mod:`workbench.formats.word.attribution`; the default is ``({profession}, {group})``),
never of a name. A label that fits only one informant in the whole project identifies
that person to anyone who knows the setting («the only psychologist among the leaders»),
so every export that shows a speaker's profession and group (the Word report's quotes,
the segments CSV, the ``.qdpx``'s cases, ``workbench show --json``) reports the labels it
used that fit one informant only; the output check (:mod:`workbench.services.privacy`)
turns them into a warning with the places.

:class:`Attribution` is the one place that counts labels over the project and finds the
speaker of an offset (the turn containing it).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.model import Role
from workbench.formats.word.attribution import attribution_parts, format_attribution
from workbench.formats.word.kinds import DEFAULT_ATTRIBUTION
from workbench.i18n import get_language
from workbench.storage.models import Participant, Transcript, Turn


@dataclass(frozen=True)
class Person:
    """What an attribution needs of a participant."""

    id: int
    label: str
    role: str
    profession: str | None
    group: str | None


@dataclass
class Attribution:
    """Attribution labels of one project under one pattern, and which labels an output
    used that fit a single informant (``single``: label → how often it was used)."""

    pattern: str
    lang: str
    people: dict[int, Person]
    transcript_groups: dict[int, str | None]
    counts: dict[str, int]
    single: Counter[str] = field(default_factory=Counter)
    who: dict[str, str] = field(default_factory=dict)  # single label → the speaker's label

    @classmethod
    def of(cls, s: Session, pattern: str = DEFAULT_ATTRIBUTION, lang: str | None = None
           ) -> Attribution:
        """The labels of the project open in ``s``: how many participants each fits, over
        the whole project (a participant without a group of their own takes the groups
        of the transcripts they speak in)."""
        lang = lang or get_language()
        people = {p.id: Person(p.id, p.label, p.role, p.profession, p.group_name)
                  for p in s.scalars(select(Participant))}
        groups = dict(s.execute(select(Transcript.id, Transcript.group_name)).all())
        spoken: dict[int, set[int]] = {}
        for tid, pid in s.execute(select(Turn.transcript_id, Turn.participant_id).distinct()):
            if pid is not None:
                spoken.setdefault(pid, set()).add(tid)
        counts: Counter[str] = Counter()
        made = cls(pattern, lang, people, groups, {})
        for person in people.values():
            own = {person.group} if person.group else {
                groups.get(tid) for tid in spoken.get(person.id, set())} or {None}
            counts.update({made.label(person, g) for g in own})
        made.counts = dict(counts)
        return made

    def label(self, person: Person | None, group: str | None) -> str:
        parts = attribution_parts(person.profession if person else None, group,
                                  person.role if person else None, self.lang)
        return format_attribution(self.pattern, parts)

    def group_of(self, person: Person | None, transcript_id: int | None) -> str | None:
        """The group a speaker speaks for: their own, else the transcript's."""
        own = person.group if person else None
        return own or (self.transcript_groups.get(transcript_id) if transcript_id else None)

    def disclose(self, participant_id: int | None, transcript_id: int | None = None) -> str:
        """The label an output shows for this speaker (in this transcript); a label that
        fits one informant only is remembered for the output check."""
        person = self.people.get(participant_id) if participant_id is not None else None
        label = self.label(person, self.group_of(person, transcript_id))
        if person is not None and person.role == Role.INFORMANT and self.counts.get(label) == 1:
            self.single[label] += 1
            self.who[label] = person.label
        return label

    def disclose_all(self, speakers: Iterable[tuple[int | None, int | None]]) -> None:
        """:meth:`disclose` for each ``(participant id, transcript id)``."""
        for pid, tid in speakers:
            self.disclose(pid, tid)


class Speakers:
    """Finds the speaker of an offset in a transcript: the turn that contains it."""

    def __init__(self, s: Session, transcript_ids: Iterable[int] | None = None) -> None:
        stmt = select(Turn.transcript_id, Turn.start, Turn.participant_id).order_by(
            Turn.transcript_id, Turn.start, Turn.position
        )
        ids = None if transcript_ids is None else set(transcript_ids)
        if ids is not None:
            stmt = stmt.where(Turn.transcript_id.in_(ids))
        self.turns: dict[int, tuple[list[int], list[int | None]]] = {}
        for tid, start, pid in s.execute(stmt):
            starts, pids = self.turns.setdefault(tid, ([], []))
            starts.append(start)
            pids.append(pid)

    def __call__(self, transcript_id: int, offset: int) -> int | None:
        """The participant id of the turn containing ``offset`` (``None``: no speaker)."""
        starts, pids = self.turns.get(transcript_id, ([], []))
        i = bisect_right(starts, offset) - 1
        return pids[i] if i >= 0 else None


__all__ = ["Attribution", "Person", "Speakers"]
