"""The search index: sentences and the postings of every lemma and word form, per transcript.

The index is derived from the stored text, so it is not part of the change log. It is
written in the same transaction as the text it belongs to, rebuilt when undo/redo brings a
transcript back or changes its text, and filled for transcripts that lack one (a project
upgraded from schema 1).

Transcription marks («(latter)», «[ler]», «(pause)», time codes; see
:mod:`workbench.domain.marks`) are not indexed as words: a token that lies wholly inside a
mark is skipped, so an elongated word (``jaaa``) stays a word.

Every transcript's index carries a version row (field :data:`VERSION`, term
:data:`INDEX_VERSION`); :func:`ensure_index` rebuilds, through ``Store.derived()``, every
transcript whose index is missing or of another version, so a change to what is indexed
reaches existing projects when they are next opened for writing.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.orm import Session

from workbench.nlp.postings import FIELDS, FORM, LEMMA, IndexPayload, index_payload
from workbench.storage.changelog import DELETE, INSERT, UPDATE
from workbench.storage.database import Store
from workbench.storage.models import Posting, Sentence, Transcript, Turn

VERSION = "v"
#: Bumped whenever what the index holds changes (2: transcription marks left out; 3: spaCy's
#: tokenizer per turn).
INDEX_VERSION = "3"


def pack(occurrences: list[int]) -> bytes:
    return array("i", occurrences).tobytes()


def unpack(data: bytes) -> Iterator[tuple[int, int, int, int]]:
    """Occurrences of a posting: (word number, start, end, turn key; 0 = no turn)."""
    values = array("i")
    values.frombytes(data)
    it = iter(values)
    return zip(it, it, it, it, strict=True)


def write_index(session: Session, transcript_id: int, text: str,
                payload: IndexPayload | None = None) -> int:
    """(Re)build the index of one transcript inside the caller's transaction.

    ``payload``: the text processing done already (:func:`workbench.nlp.postings.
    index_payload` of this text and its turns' starts, e.g. in a worker process); computed
    here otherwise. Every statement goes through SQLAlchemy, so the write guard sees it and
    a storage error (a full disk) reaches the store's translation like any other.
    """
    session.execute(delete(Posting).where(Posting.transcript_id == transcript_id))
    session.execute(delete(Sentence).where(Sentence.transcript_id == transcript_id))
    turns = session.execute(
        select(Turn.start, Turn.id).where(Turn.transcript_id == transcript_id).order_by(Turn.start)
    ).all()
    if payload is None:
        payload = index_payload(text, [start for start, _ in turns])
    conn = session.connection()
    if payload.sentences:
        conn.execute(
            insert(Sentence),
            [{"transcript_id": transcript_id, "start": s, "end": e} for s, e in payload.sentences],
        )
    # turn places (1-based; 0 = none) -> turn row ids
    data = array("i")
    data.frombytes(payload.data)
    ids = [0, *(tid for _, tid in turns)]
    data[3::FIELDS] = array("i", [ids[k] for k in data[3::FIELDS]])
    raw = data.tobytes()
    width = FIELDS * data.itemsize
    rows = [
        (transcript_id, field, term, count, raw[first * width:(first + count) * width])
        for field, term, first, count in payload.terms
    ]
    rows.append((transcript_id, VERSION, INDEX_VERSION, payload.words, b""))  # count: words
    if conn.dialect.name == "sqlite":  # one executemany, no per-row compilation
        conn.exec_driver_sql(
            "INSERT INTO posting (transcript_id, field, term, count, data) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    else:
        keys = ("transcript_id", "field", "term", "count", "data")
        conn.execute(insert(Posting), [dict(zip(keys, r, strict=True)) for r in rows])
    return payload.words


def word_counts(session: Session) -> dict[int, int]:
    """Indexed words per transcript id (transcripts with an index).

    Read from the version rows (their ``count`` is the number of indexed words), which is
    one small row per transcript; an index written before the version row carried it
    (count 0) is summed over its lemma rows instead, as before."""
    counts = {tid: int(count) for tid, count in session.execute(
        select(Posting.transcript_id, Posting.count).where(Posting.field == VERSION))}
    older = [tid for tid, count in counts.items() if count == 0]
    if older:
        counts.update({tid: int(total or 0) for tid, total in session.execute(
            select(Posting.transcript_id, func.sum(Posting.count))
            .where(Posting.field == LEMMA, Posting.transcript_id.in_(older))
            .group_by(Posting.transcript_id))})
    return counts


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
    """Index transcripts whose index is missing or of another :data:`INDEX_VERSION`;
    returns how many were indexed."""
    if store.readonly:
        return 0
    with store.read() as s:
        missing = s.execute(
            select(Transcript.id).where(
                ~exists().where(
                    Posting.transcript_id == Transcript.id,
                    Posting.field == VERSION,
                    Posting.term == INDEX_VERSION,
                ),
            )
        ).scalars().all()
    if not missing:
        return 0
    with store.derived() as s:
        for tid in missing:
            write_index(s, tid, s.scalar(select(Transcript.text).where(Transcript.id == tid)))
    return len(missing)


__all__ = [
    "FIELDS", "FORM", "INDEX_VERSION", "LEMMA", "VERSION", "ensure_index", "pack",
    "reindex_after_replay", "unpack", "word_counts", "write_index",
]
