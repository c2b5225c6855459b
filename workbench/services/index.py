"""The search index: sentences and lemmatised tokens of each transcript, stored at import.

The index is derived from the stored text, so it is not part of the change log. It is
written in the same transaction as the text it belongs to, rebuilt when undo/redo brings a
transcript back or changes its text, and filled for transcripts that lack one (a project
upgraded from schema 1).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from workbench.nlp import get_pipeline
from workbench.storage.changelog import DELETE, INSERT, UPDATE
from workbench.storage.database import Store
from workbench.storage.models import Sentence, Token, Transcript, Turn


def write_index(session: Session, transcript_id: int, text: str) -> int:
    """(Re)build the index of one transcript inside the caller's transaction."""
    session.execute(delete(Token).where(Token.transcript_id == transcript_id))
    session.execute(delete(Sentence).where(Sentence.transcript_id == transcript_id))
    analysis = get_pipeline().analyse(text)
    if analysis.sentences:
        session.execute(
            insert(Sentence),
            [{"transcript_id": transcript_id, "start": s, "end": e} for s, e in analysis.sentences],
        )
    turns = session.execute(
        select(Turn.start, Turn.id).where(Turn.transcript_id == transcript_id).order_by(Turn.start)
    ).all()
    starts = [start for start, _ in turns]
    ids = [tid for _, tid in turns]

    def turn_of(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        return ids[i] if i >= 0 else None

    words = [
        {"transcript_id": transcript_id, "turn_id": turn_of(t.start), "start": t.start,
         "end": t.end, "norm": t.norm, "lemma": t.lemma}
        for t in analysis.tokens if t.is_word
    ]
    if words:
        session.execute(insert(Token), words)
    return len(words)


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
    for tid in ids:
        text = session.scalar(select(Transcript.text).where(Transcript.id == tid))
        if text is not None:
            write_index(session, tid, text)


def ensure_index(store: Store) -> int:
    """Index transcripts that have none; returns how many were indexed."""
    if store.readonly:
        return 0
    with store.read() as s:
        missing = s.execute(
            select(Transcript.id).where(
                ~exists().where(Token.transcript_id == Transcript.id),
                Transcript.text != "",
            )
        ).scalars().all()
    if not missing:
        return 0
    with store.derived() as s:
        for tid in missing:
            write_index(s, tid, s.scalar(select(Transcript.text).where(Transcript.id == tid)))
    return len(missing)
