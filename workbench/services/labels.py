"""The researcher's words for a command's log entry: names, not ids.

A service looks these up (in a read) just before it runs a command and records them in
the command's args, so the history, the undo and redo messages and the audit export can
say «Kodet «Vi har jo ildsjeler…» (Kari, Fokusgruppe 1) med «Ildsjeler»» long after the
rows themselves have been renamed or deleted. Nothing here raises: an id that does not
resolve gives an empty label and the command reports its own error.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Table, bindparam, func, select
from sqlalchemy.orm import Session

from workbench.storage.models import (
    Code,
    Coding,
    JournalEntry,
    Note,
    Participant,
    ReviewComment,
    Theme,
    Transcript,
    Turn,
)

#: How many words of an excerpt the log keeps.
FIRST_WORDS = 6


def first_words(text: str, n: int = FIRST_WORDS) -> str:
    """The first ``n`` words of ``text``, with «…» when something was left out."""
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def _row(s: Session, cls: type, ref: Any) -> Any:
    if ref is None:
        return None
    try:
        if isinstance(ref, int):
            return s.get(cls, ref)
        return s.scalars(select(cls).where(cls.guid == str(ref))).first()
    except Exception:  # noqa: BLE001 - a label is best effort, the command checks
        return None


def code_name(s: Session, ref: Any) -> str:
    row = _row(s, Code, ref)
    return row.name if row is not None else ""


def theme_name(s: Session, ref: Any) -> str:
    row = _row(s, Theme, ref)
    return row.name if row is not None else ""


def transcript_name(s: Session, ref: Any) -> str:
    row = _row(s, Transcript, ref)
    return row.name if row is not None else ""


def participant_name(s: Session, ref: Any) -> str:
    row = _row(s, Participant, ref)
    return row.label if row is not None else ""


def excerpt(s: Session, transcript_ref: Any, start: int, end: int) -> dict[str, str]:
    """``text`` (first words), ``speaker`` and ``doc`` (transcript name) of a span."""
    transcript = _row(s, Transcript, transcript_ref)
    if transcript is None:
        return {}
    speaker = s.scalars(
        select(Participant.label).join(Turn, Turn.participant_id == Participant.id)
        .where(Turn.transcript_id == transcript.id, Turn.start <= start, Turn.end > start)
        .limit(1)
    ).first()
    return {
        "text": first_words(transcript.text[start:end]),
        "speaker": speaker or "",
        "doc": transcript.name,
    }


_TRANSCRIPT: Table = Transcript.__table__  # type: ignore[assignment]
_TURN: Table = Turn.__table__  # type: ignore[assignment]
_PARTICIPANT: Table = Participant.__table__  # type: ignore[assignment]
_CODE: Table = Code.__table__  # type: ignore[assignment]

_SPAN_LABELS = select(
    _TRANSCRIPT.c.name,
    select(_PARTICIPANT.c.label)
    .join(_TURN, _TURN.c.participant_id == _PARTICIPANT.c.id)
    .where(_TURN.c.transcript_id == bindparam("tid"), _TURN.c.start <= bindparam("start"),
           _TURN.c.end > bindparam("start"))
    .limit(1).scalar_subquery(),
    func.substr(_TRANSCRIPT.c.text, bindparam("from", type_=Integer),
                bindparam("n", type_=Integer)),
    select(_CODE.c.name).where(_CODE.c.id == bindparam("cid")).scalar_subquery(),
).where(_TRANSCRIPT.c.id == bindparam("tid"))
"""The labels of a span in one query, built once (the coding screen runs it on every key
that codes): the transcript's name, the speaker of the turn the span starts in, the span's
characters and the code's name. It reads columns only, through Core."""


def span_labels(s: Session, transcript_id: int, start: int, end: int, *,
                code_id: int | None = None) -> dict[str, str]:
    """What :func:`excerpt` and :func:`code_name` give for a span and a code, read in one
    small query (the span's characters, not the whole transcript text)."""
    try:
        row = s.connection().execute(_SPAN_LABELS, {
            "tid": transcript_id, "start": start, "from": start + 1,
            "n": max(0, end - start), "cid": code_id,
        }).first()
    except Exception:  # noqa: BLE001 - a label is best effort, the command checks
        row = None
    out: dict[str, str] = {}
    if row is not None:
        out = {"text": first_words(row[2] or "") if start >= 0 else "",
               "speaker": row[1] or "", "doc": row[0]}
    if code_id is not None:
        out["code_name"] = (row[3] if row is not None else None) or ""
    return out


def coding(s: Session, ref: Any) -> dict[str, str]:
    """The excerpt labels of a coding plus ``code_name``."""
    row = _row(s, Coding, ref)
    if row is None:
        return {}
    return {**excerpt(s, row.transcript_id, row.start, row.end), "code_name": row.code.name}


def journal_entry(s: Session, ref: Any) -> dict[str, str]:
    row = _row(s, JournalEntry, ref)
    return {"text": first_words(row.text)} if row is not None else {}


def note(s: Session, ref: Any) -> dict[str, str]:
    row = _row(s, Note, ref)
    if row is None:
        return {}
    return {"text": first_words(row.title or row.text)}


def comment(s: Session, ref: Any) -> dict[str, str]:
    row = _row(s, ReviewComment, ref)
    if row is None:
        return {}
    return {"text": first_words(row.text), "author": row.author, "anchor_label": row.anchor_label}


def lookup(
    store: Any, *, themes: dict[str, Any] | None = None, codes: dict[str, Any] | None = None,
    transcripts: dict[str, Any] | None = None, participants: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Names by arg key, in one read: ``lookup(store, themes={"theme_name": 8})``."""
    out: dict[str, str] = {}
    with store.read() as s:
        for refs, fn in ((themes, theme_name), (codes, code_name),
                         (transcripts, transcript_name), (participants, participant_name)):
            for key, ref in (refs or {}).items():
                out[key] = fn(s, ref)
    return out


def anchor_name(s: Session, kind: str, ref: Any) -> str:
    """The name of what a note or a comment is about (empty for the project)."""
    kind = str(getattr(kind, "value", kind))
    if kind == "transcript":
        return transcript_name(s, ref)
    if kind == "code":
        return code_name(s, ref)
    if kind == "theme":
        return theme_name(s, ref)
    if kind == "coding":
        return coding(s, ref).get("text", "")
    return ""


def anchor(store: Any, kind: str, ref: Any) -> str:
    with store.read() as s:
        return anchor_name(s, kind, ref)
