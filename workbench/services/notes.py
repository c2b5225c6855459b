"""Notes (memos) on the project, a transcript, a code, a theme or a coding."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from workbench.i18n import UserError
from workbench.storage.models import Code, Coding, Note, Theme, Transcript, utcnow

from . import labels
from .base import Service, get


@dataclass(frozen=True)
class NoteView:
    id: int
    guid: str
    target: str
    target_id: int | None
    title: str
    text: str
    author: str


NOTE_TARGETS = {"project": None, "transcript": Transcript, "code": Code, "theme": Theme,
                "coding": Coding}


class NoteService(Service):
    def add(self, target: str, target_id: int | None, text: str, title: str = "") -> NoteView:
        if target not in NOTE_TARGETS:
            raise UserError("note.error.target", target=target)
        with self.store.read() as s:
            names = {"target_name": labels.anchor_name(s, target, target_id)}
        with self.store.command("note.add", target=target, target_id=target_id, **names,
                                what="project" if target == "project" else None,
                                text=labels.first_words(title or text)) as s:
            note = Note(title=title, text=text, author=self.actor)
            cls = NOTE_TARGETS[target]
            if cls is not None:
                if target_id is None:
                    raise UserError("note.error.target", target=target)
                setattr(note, f"{target}_id", get(s, cls, target_id).id)
            s.add(note)
            s.flush()
            return NoteView(note.id, note.guid, target, target_id, title, text, self.actor)

    def edit(self, note_id: int, text: str, title: str | None = None) -> None:
        with self.store.command("note.edit", id=note_id, text=labels.first_words(title or text)) as s:
            note = get(s, Note, note_id)
            note.text = text
            if title is not None:
                note.title = title
            note.updated = utcnow()

    def delete(self, note_id: int) -> None:
        with self.store.read() as s:
            names = labels.note(s, note_id)
        with self.store.command("note.delete", id=note_id, **names) as s:
            s.delete(get(s, Note, note_id))

    def list(self, target: str = "project", target_id: int | None = None) -> list[NoteView]:
        with self.store.read() as s:
            stmt = select(Note).order_by(Note.created, Note.id)
            columns = {name: getattr(Note, f"{name}_id") for name in NOTE_TARGETS if name != "project"}
            if target == "project":
                for column in columns.values():
                    stmt = stmt.where(column.is_(None))
            else:
                stmt = stmt.where(columns[target] == target_id)
            return [
                NoteView(n.id, n.guid, target, target_id, n.title, n.text, n.author)
                for n in s.scalars(stmt)
            ]
