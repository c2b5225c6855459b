"""The analysis record around the codes: phases, reflexive journal, notes, review comments,
snapshots of the theme map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.model import PHASES, AnchorKind, CommentStatus
from workbench.domain.snapshot_diff import SnapshotDiff, diff_snapshots
from workbench.i18n import UserError, t
from workbench.storage.models import (
    Code,
    CodeTheme,
    Coding,
    JournalEntry,
    Note,
    PhaseChange,
    Project,
    ReviewComment,
    Snapshot,
    Theme,
    Transcript,
    utcnow,
)

from .base import Service, get
from .checklist import ChecklistItem, PhaseTime


@dataclass(frozen=True)
class JournalView:
    id: int
    phase: int
    text: str
    author: str
    created: datetime


@dataclass(frozen=True)
class PhaseChangeView:
    from_phase: int
    to_phase: int
    reason: str
    actor: str
    created: datetime


@dataclass(frozen=True)
class NoteView:
    id: int
    guid: str
    target: str
    target_id: int | None
    title: str
    text: str
    author: str


@dataclass(frozen=True)
class CommentView:
    id: int
    guid: str
    anchor_kind: str
    anchor_guid: str | None
    anchor_label: str
    author: str
    text: str
    status: str
    created: datetime
    replies: tuple["CommentView", ...] = ()


@dataclass(frozen=True)
class SnapshotView:
    id: int
    guid: str
    name: str
    author: str
    created: datetime


SNAPSHOT_VERSION = 2

NOTE_TARGETS = {"project": None, "transcript": Transcript, "code": Code, "theme": Theme,
                "coding": Coding}


def _comment_view(c: ReviewComment) -> CommentView:
    return CommentView(
        c.id, c.guid, c.anchor_kind, c.anchor_guid, c.anchor_label, c.author, c.text,
        c.status, c.created, tuple(_comment_view(r) for r in c.replies),
    )


class PhaseService(Service):
    def current(self) -> int:
        with self.store.read() as s:
            return s.scalars(select(Project)).one().phase

    def set(self, phase: int, reason: str = "") -> int:
        """Move to ``phase``. Going back needs a reason, which is logged."""
        if phase not in PHASES:
            raise UserError("phase.error.range", phase=phase)
        with self.store.command("phase.set", phase=phase, reason=reason) as s:
            project = s.scalars(select(Project)).one()
            if phase == project.phase:
                raise UserError("phase.error.same", phase=phase)
            if phase < project.phase and not reason.strip():
                raise UserError("phase.error.reason_needed")
            s.add(
                PhaseChange(
                    from_phase=project.phase, to_phase=phase, reason=reason.strip(),
                    actor=self.actor,
                )
            )
            project.phase = phase
            return phase

    def advance(self) -> int:
        """Move on to the next phase (one action)."""
        current = self.current()
        if current >= PHASES[-1]:
            raise UserError("phases.error.last")
        return self.set(current + 1)

    def back(self, reason: str, to: int | None = None) -> int:
        """Go back to phase ``to`` (default: the one before), with the reason logged."""
        current = self.current()
        target = current - 1 if to is None else to
        if target < PHASES[0]:
            raise UserError("phases.error.first")
        if target >= current:
            raise UserError("phases.error.not_back", phase=target, current=current)
        return self.set(target, reason)

    def history(self) -> list[PhaseChangeView]:
        with self.store.read() as s:
            rows = s.scalars(select(PhaseChange).order_by(PhaseChange.created, PhaseChange.id))
            return [
                PhaseChangeView(r.from_phase, r.to_phase, r.reason, r.actor, r.created)
                for r in rows
            ]

    def durations(self, *, now: datetime | None = None) -> list[PhaseTime]:
        """Time spent in each phase (from the project's creation and the logged moves),
        in phase order; the current phase counts up to ``now``."""
        from .checklist import phase_times

        with self.store.read() as s:
            return phase_times(s, now=now)

    def checklist(self, phase: int | None = None, *, now: datetime | None = None) -> list[ChecklistItem]:
        """Braun & Clarke's 15-point checklist for a phase (default: the current one),
        filled in from the data where it can be measured."""
        from .checklist import build_checklist

        with self.store.read() as s:
            current = s.scalars(select(Project)).one().phase
            phase = current if phase is None else phase
            if phase not in PHASES:
                raise UserError("phase.error.range", phase=phase)
            return build_checklist(s, phase, now=now)


class JournalService(Service):
    def add(self, text: str) -> JournalView:
        if not text.strip():
            raise UserError("journal.error.empty")
        with self.store.command("journal.add") as s:
            phase = s.scalars(select(Project)).one().phase
            entry = JournalEntry(phase=phase, text=text.strip(), author=self.actor)
            s.add(entry)
            s.flush()
            return JournalView(entry.id, entry.phase, entry.text, entry.author, entry.created)

    def edit(self, entry_id: int, text: str) -> None:
        if not text.strip():
            raise UserError("journal.error.empty")
        with self.store.command("journal.edit", id=entry_id) as s:
            get(s, JournalEntry, entry_id).text = text.strip()

    def delete(self, entry_id: int) -> None:
        with self.store.command("journal.delete", id=entry_id) as s:
            s.delete(get(s, JournalEntry, entry_id))

    def list(self, phase: int | None = None) -> list[JournalView]:
        with self.store.read() as s:
            stmt = select(JournalEntry).order_by(JournalEntry.created, JournalEntry.id)
            if phase is not None:
                stmt = stmt.where(JournalEntry.phase == phase)
            return [
                JournalView(e.id, e.phase, e.text, e.author, e.created) for e in s.scalars(stmt)
            ]


class NoteService(Service):
    def add(self, target: str, target_id: int | None, text: str, title: str = "") -> NoteView:
        if target not in NOTE_TARGETS:
            raise UserError("note.error.target", target=target)
        with self.store.command("note.add", target=target, target_id=target_id) as s:
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
        with self.store.command("note.edit", id=note_id) as s:
            note = get(s, Note, note_id)
            note.text = text
            if title is not None:
                note.title = title
            note.updated = utcnow()

    def delete(self, note_id: int) -> None:
        with self.store.command("note.delete", id=note_id) as s:
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


class ReviewService(Service):
    """Supervisor review: named snapshots of the theme map and comments anchored to it."""

    ANCHORS = {AnchorKind.THEME: Theme, AnchorKind.CODE: Code, AnchorKind.CODING: Coding,
               AnchorKind.TRANSCRIPT: Transcript}

    def snapshot(self, name: str) -> SnapshotView:
        """Freeze the theme map (themes, codes, links, which code each coding has) under a
        name, for a supervisor to look at and for later diffs."""
        name = name.strip()
        if not name:
            raise UserError("snapshot.error.empty_name")
        with self.store.command("snapshot.create", name=name) as s:
            if s.scalars(select(Snapshot).where(Snapshot.name == name)).first():
                raise UserError("snapshot.error.duplicate", name=name)
            snap = Snapshot(name=name, author=self.actor, data=map_data(s))
            s.add(snap)
            s.flush()
            return SnapshotView(snap.id, snap.guid, snap.name, snap.author, snap.created)

    def snapshot_data(self, ref: int | str | None = None) -> dict[str, Any]:
        """The frozen data of a snapshot (by id or name), or of the current map (``None``)."""
        with self.store.read() as s:
            if ref is None:
                return map_data(s)
            return self._find_snapshot(s, ref).data

    @staticmethod
    def _find_snapshot(s: Session, ref: int | str) -> Snapshot:
        if isinstance(ref, int):
            return get(s, Snapshot, ref)
        snap = s.scalars(select(Snapshot).where(Snapshot.name == ref.strip())).first()
        if snap is None:
            names = [n for (n,) in s.execute(select(Snapshot.name).order_by(Snapshot.created))]
            raise UserError("review.error.no_snapshot", name=ref, names=", ".join(names) or "–")
        return snap

    def diff(self, a: int | str, b: int | str | None = None) -> SnapshotDiff:
        """What changed from snapshot ``a`` to snapshot ``b`` (default: the current map)."""
        return diff_snapshots(self.snapshot_data(a), self.snapshot_data(b))

    def snapshots(self) -> list[SnapshotView]:
        with self.store.read() as s:
            return [
                SnapshotView(x.id, x.guid, x.name, x.author, x.created)
                for x in s.scalars(select(Snapshot).order_by(Snapshot.created, Snapshot.id))
            ]

    def comment(
        self, anchor_kind: str, anchor_id: int | None, text: str, *, label: str = ""
    ) -> CommentView:
        if not text.strip():
            raise UserError("comment.error.empty")
        with self.store.command("comment.add", anchor=anchor_kind, anchor_id=anchor_id) as s:
            guid = None
            if anchor_kind != AnchorKind.PROJECT:
                cls = self.ANCHORS.get(AnchorKind(anchor_kind))
                if cls is None or anchor_id is None:
                    raise UserError("comment.error.anchor", anchor=anchor_kind)
                target = get(s, cls, anchor_id)
                guid = target.guid
                if not label and isinstance(target, Coding):
                    excerpt = " ".join(target.transcript.text[target.start : target.end].split())
                    label = excerpt if len(excerpt) <= 80 else excerpt[:79] + "…"
                label = label or getattr(target, "name", "") or ""
            comment = ReviewComment(
                anchor_kind=str(anchor_kind), anchor_guid=guid, anchor_label=label,
                author=self.actor, text=text.strip(),
            )
            s.add(comment)
            s.flush()
            return _comment_view(comment)

    def reply(self, comment_id: int, text: str) -> CommentView:
        if not text.strip():
            raise UserError("comment.error.empty")
        with self.store.command("comment.reply", id=comment_id) as s:
            parent = get(s, ReviewComment, comment_id)
            reply = ReviewComment(
                anchor_kind=parent.anchor_kind, anchor_guid=parent.anchor_guid,
                anchor_label=parent.anchor_label, parent_id=parent.id, author=self.actor,
                text=text.strip(),
            )
            s.add(reply)
            s.flush()
            return _comment_view(reply)

    def resolve(self, comment_id: int, resolved: bool = True) -> None:
        with self.store.command("comment.resolve", id=comment_id, resolved=resolved) as s:
            comment = get(s, ReviewComment, comment_id)
            comment.status = CommentStatus.RESOLVED if resolved else CommentStatus.OPEN
            comment.resolved_by = self.actor if resolved else None
            comment.resolved_at = utcnow() if resolved else None

    def comments(
        self, *, status: str | None = None, anchor_guid: str | None = None
    ) -> list[CommentView]:
        """Top-level comments (with their replies), oldest first; only those on one anchor
        when ``anchor_guid`` is given."""
        with self.store.read() as s:
            stmt = select(ReviewComment).where(ReviewComment.parent_id.is_(None))
            if status is not None:
                stmt = stmt.where(ReviewComment.status == status)
            if anchor_guid is not None:
                stmt = stmt.where(ReviewComment.anchor_guid == anchor_guid)
            stmt = stmt.order_by(ReviewComment.created, ReviewComment.id)
            return [_comment_view(c) for c in s.scalars(stmt)]

    def open_counts(self) -> dict[str, int]:
        """Anchor GUID -> number of open top-level comments on it."""
        from .theme_metrics import _open_comment_counts

        with self.store.read() as s:
            return _open_comment_counts(s)


def describe_diff(diff: SnapshotDiff) -> list[str]:
    """A diff as readable lines, in the current language (for the CLI and the TUI)."""
    lines: list[str] = []

    def kind(entity: str) -> str:
        return t(f"diff.{entity}")

    def parents(names: tuple[str, ...]) -> str:
        return ", ".join(f"«{n}»" for n in names) if names else t("diff.top")

    for x in diff.added:
        lines.append(t("diff.added", kind=kind(x.entity), name=x.name)
                     + (f" ({t('diff.under', parents=parents(x.parents))})" if x.parents else ""))
    for x in diff.removed:
        lines.append(t("diff.removed", kind=kind(x.entity), name=x.name))
    for x in diff.renamed:
        lines.append(t("diff.renamed", kind=kind(x.entity), old=x.old, new=x.new))
    for x in diff.moved:
        lines.append(t("diff.moved", kind=kind(x.entity), name=x.name,
                       old=parents(x.old_parents), new=parents(x.new_parents)))
    for x in diff.merged:
        lines.append(t("diff.merged", kind=kind(x.entity), name=x.name, into=x.into_name))
    for x in diff.changed:
        old = x.old if len(x.old) < 60 else x.old[:57] + "…"
        new = x.new if len(x.new) < 60 else x.new[:57] + "…"
        if x.field == "status":
            old, new = t(f"themes.status.{old}"), t(f"themes.status.{new}")
        lines.append(t("diff.changed", kind=kind(x.entity), name=x.name,
                       field=t(f"diff.field.{x.field}"), old=old or "–", new=new or "–"))
    return lines


def map_data(s: Session) -> dict[str, Any]:
    """The theme map as plain data: what a snapshot freezes and what diffs compare
    (see :mod:`workbench.domain.snapshot_diff`)."""
    codes = {c.id: c for c in s.scalars(select(Code).order_by(Code.id))}
    themes = {th.id: th for th in s.scalars(select(Theme).order_by(Theme.position, Theme.id))}
    return {
        "version": SNAPSHOT_VERSION,
        "themes": [
            {
                "guid": th.guid, "name": th.name,
                "parent": themes[th.parent_id].guid if th.parent_id in themes else None,
                "status": th.status, "definition": th.definition, "position": th.position,
                "is_misc": bool(th.is_misc),
            }
            for th in themes.values()
        ],
        "codes": [
            {
                "guid": c.guid, "name": c.name,
                "parent": codes[c.parent_id].guid if c.parent_id in codes else None,
                "origin": c.origin,
            }
            for c in codes.values()
        ],
        "links": [
            {"code": codes[link.code_id].guid, "theme": themes[link.theme_id].guid,
             "position": link.position}
            for link in s.scalars(select(CodeTheme).order_by(CodeTheme.theme_id, CodeTheme.position, CodeTheme.id))
        ],
        "codings": [
            {"guid": guid, "code": codes[code_id].guid}
            for guid, code_id in s.execute(select(Coding.guid, Coding.code_id).order_by(Coding.id))
        ],
    }
