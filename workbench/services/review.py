"""Supervisor review: comments anchored to a theme, a code, a coding, a transcript or the
project, with replies, and resolving them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.model import AnchorKind, CommentStatus
from workbench.i18n import UserError
from workbench.storage.models import Code, Coding, ReviewComment, Theme, Transcript, utcnow

from . import labels
from .base import Service, get


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


def _comment_view(c: ReviewComment) -> CommentView:
    return CommentView(
        c.id, c.guid, c.anchor_kind, c.anchor_guid, c.anchor_label, c.author, c.text,
        c.status, c.created, tuple(_comment_view(r) for r in c.replies),
    )


def open_comment_counts(s: Session) -> dict[str, int]:
    """Anchor GUID -> number of open top-level comments on it, read in an open unit of
    work ``s`` (the theme map and the theme review show these beside each item)."""
    rows = s.execute(
        select(ReviewComment.anchor_guid, func.count())
        .where(
            ReviewComment.status == "open", ReviewComment.parent_id.is_(None),
            ReviewComment.anchor_guid.is_not(None),
        )
        .group_by(ReviewComment.anchor_guid)
    )
    return {guid: int(n) for guid, n in rows}


class ReviewService(Service):
    """Comments from a supervisor (or anyone on the project) and their replies."""

    ANCHORS = {AnchorKind.THEME: Theme, AnchorKind.CODE: Code, AnchorKind.CODING: Coding,
               AnchorKind.TRANSCRIPT: Transcript}

    def comment(
        self, anchor_kind: str, anchor_id: int | None, text: str, *, label: str = ""
    ) -> CommentView:
        if not text.strip():
            raise UserError("comment.error.empty")
        with self.store.command("comment.add", anchor=anchor_kind, anchor_id=anchor_id,
                                what="project" if anchor_kind == AnchorKind.PROJECT else None,
                                text=labels.first_words(text), anchor_label=label or labels.anchor(self.store, anchor_kind, anchor_id)) as s:
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
        with self.store.read() as s:
            names = labels.comment(s, comment_id)
        with self.store.command("comment.reply", id=comment_id, **names, reply=labels.first_words(text)) as s:
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
        with self.store.read() as s:
            names = labels.comment(s, comment_id)
        with self.store.command("comment.resolve", id=comment_id, resolved=resolved, **names,
                                what="on" if resolved else "off") as s:
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
        with self.store.read() as s:
            return open_comment_counts(s)
