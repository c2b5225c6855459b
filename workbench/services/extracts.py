"""Coded extracts: the text a coding covers, with where it comes from and who said it.

Used by the coding screen's extract list (all extracts of a code across transcripts) and
by anything else that needs a code's data "collated" (Braun & Clarke's phase 2–3).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import select

from workbench.storage.models import Code, Coding, Participant, Transcript, Turn

from .base import Service, get


@dataclass(frozen=True)
class ExtractView:
    coding_id: int
    code_id: int
    code_name: str
    transcript_id: int
    transcript_name: str
    start: int
    end: int
    text: str
    speaker: str | None
    role: str | None
    memo: str


class ExtractService(Service):
    def for_code(self, code_id: int, *, include_children: bool = False) -> list[ExtractView]:
        """Every extract of a code (optionally with its sub-codes), in transcript order."""
        with self.store.read() as s:
            code = get(s, Code, code_id)
            ids = {code.id}
            if include_children:
                stack = [code]
                while stack:
                    node = stack.pop()
                    for child in node.children:
                        if child.id not in ids:
                            ids.add(child.id)
                            stack.append(child)
            rows = s.execute(
                select(Coding, Transcript.name, Transcript.position, Code.name)
                .join(Transcript, Coding.transcript_id == Transcript.id)
                .join(Code, Coding.code_id == Code.id)
                .where(Coding.code_id.in_(ids))
                .order_by(Transcript.position, Transcript.id, Coding.start, Coding.id)
            ).all()
            transcript_ids = {c.transcript_id for c, *_ in rows}
            texts = dict(
                s.execute(
                    select(Transcript.id, Transcript.text).where(Transcript.id.in_(transcript_ids))
                ).all()
            )
            people = {p.id: (p.label, p.role) for p in s.scalars(select(Participant))}
            turns: dict[int, tuple[list[int], list[tuple[int, int | None]]]] = {}
            for tid, start, end, pid in s.execute(
                select(Turn.transcript_id, Turn.start, Turn.end, Turn.participant_id)
                .where(Turn.transcript_id.in_(transcript_ids))
                .order_by(Turn.transcript_id, Turn.start)
            ):
                starts, info = turns.setdefault(tid, ([], []))
                starts.append(start)
                info.append((end, pid))
            out: list[ExtractView] = []
            for coding, transcript_name, _position, code_name in rows:
                speaker = role = None
                starts, info = turns.get(coding.transcript_id, ([], []))
                i = bisect_right(starts, coding.start) - 1
                if i >= 0 and info[i][1] is not None:
                    speaker, role = people.get(info[i][1], (None, None))
                text = texts.get(coding.transcript_id, "")
                out.append(
                    ExtractView(
                        coding.id, coding.code_id, code_name, coding.transcript_id,
                        transcript_name, coding.start, coding.end,
                        text[coding.start : coding.end], speaker, role, coding.memo,
                    )
                )
            return out
