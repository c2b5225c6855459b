"""The reflexive journal: dated entries, each filed under the phase it was written in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workbench.i18n import UserError
from workbench.storage.models import JournalEntry, Project

from . import labels
from .base import Service, get


@dataclass(frozen=True)
class JournalView:
    id: int
    phase: int
    text: str
    author: str
    created: datetime


class JournalService(Service):
    def add(self, text: str) -> JournalView:
        if not text.strip():
            raise UserError("journal.error.empty")
        with self.store.command("journal.add", text=labels.first_words(text)) as s:
            phase = s.scalars(select(Project)).one().phase
            entry = JournalEntry(phase=phase, text=text.strip(), author=self.actor)
            s.add(entry)
            s.flush()
            return JournalView(entry.id, entry.phase, entry.text, entry.author, entry.created)

    def edit(self, entry_id: int, text: str) -> None:
        if not text.strip():
            raise UserError("journal.error.empty")
        with self.store.command("journal.edit", id=entry_id, text=labels.first_words(text)) as s:
            get(s, JournalEntry, entry_id).text = text.strip()

    def delete(self, entry_id: int) -> None:
        with self.store.read() as s:
            names = labels.journal_entry(s, entry_id)
        with self.store.command("journal.delete", id=entry_id, **names) as s:
            s.delete(get(s, JournalEntry, entry_id))

    def list(self, phase: int | None = None) -> list[JournalView]:
        with self.store.read() as s:
            stmt = select(JournalEntry).order_by(JournalEntry.created, JournalEntry.id)
            if phase is not None:
                stmt = stmt.where(JournalEntry.phase == phase)
            return [
                JournalView(e.id, e.phase, e.text, e.author, e.created) for e in s.scalars(stmt)
            ]
