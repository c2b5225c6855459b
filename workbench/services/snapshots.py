"""Snapshots of the theme map: freeze it under a name (for a supervisor to look at), and
see what changed between two snapshots or since one.

:func:`map_data` is what a snapshot freezes; :func:`workbench.domain.snapshot_diff.diff_snapshots`
compares two of them; :func:`describe_diff` turns a diff into readable lines for the
``workbench diff`` command, the theme map's diff view and the Word audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.snapshot_diff import CODE, THEME, SnapshotDiff, diff_snapshots
from workbench.i18n import UserError, t
from workbench.storage.models import Code, CodeTheme, Coding, Snapshot, Theme

from .base import Service, get

SNAPSHOT_VERSION = 2

# Changed values (a definition) longer than this are cut short in a diff line.
DIFF_VALUE_CHARS = 60


@dataclass(frozen=True)
class SnapshotView:
    id: int
    guid: str
    name: str
    author: str
    created: datetime


def map_data(s: Session) -> dict[str, Any]:
    """The theme map as plain data, read in an open unit of work ``s``: what a snapshot
    freezes and what diffs compare (see :mod:`workbench.domain.snapshot_diff`)."""
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


class SnapshotService(Service):
    """Named, frozen copies of the theme map and the diffs between them."""

    def create(self, name: str) -> SnapshotView:
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

    def list(self) -> list[SnapshotView]:
        """Every snapshot, oldest first."""
        with self.store.read() as s:
            return [
                SnapshotView(x.id, x.guid, x.name, x.author, x.created)
                for x in s.scalars(select(Snapshot).order_by(Snapshot.created, Snapshot.id))
            ]

    def data(self, ref: int | str | None = None) -> dict[str, Any]:
        """The frozen data of a snapshot (by id or name), or of the current map (``None``)."""
        with self.store.read() as s:
            if ref is None:
                return map_data(s)
            return self._find(s, ref).data

    def diff(self, a: int | str, b: int | str | None = None) -> SnapshotDiff:
        """What changed from snapshot ``a`` to snapshot ``b`` (default: the current map)."""
        return diff_snapshots(self.data(a), self.data(b))

    @staticmethod
    def _find(s: Session, ref: int | str) -> Snapshot:
        if isinstance(ref, int):
            return get(s, Snapshot, ref)
        snap = s.scalars(select(Snapshot).where(Snapshot.name == ref.strip())).first()
        if snap is None:
            names = [n for (n,) in s.execute(select(Snapshot.name).order_by(Snapshot.created))]
            raise UserError("review.error.no_snapshot", name=ref, names=", ".join(names) or "–")
        return snap


def describe_diff(
    diff: SnapshotDiff, *, lang: str | None = None, count_codes: bool = False
) -> list[str]:
    """A snapshot diff as readable lines in ``lang`` (default: the current language):
    every change to a theme, then every change to a code. With ``count_codes`` (the audit
    trail) the code changes are one line of counts instead."""

    def say(key: str, **params: object) -> str:
        return t(f"diff.{key}", lang=lang, **params)

    def places(entity: str, names: tuple[str, ...]) -> str:
        if not names:
            return say(f"{entity}.top")
        return ", ".join(say("quoted", name=n) for n in names)

    def value(field: str, text: str) -> str:
        if not text:
            return "–"
        if field == "status":
            return t(f"themes.status.{text}", lang=lang)
        if field == "origin":
            return t(f"themes_ui.origin.{text}", lang=lang)
        return text if len(text) < DIFF_VALUE_CHARS else text[: DIFF_VALUE_CHARS - 3] + "…"

    lines: list[str] = []
    for entity in (THEME, CODE):
        part = diff.of(entity)
        if entity == CODE and count_codes:
            kinds = (("added", part.added), ("removed", part.removed), ("renamed", part.renamed),
                     ("moved", part.moved), ("merged", part.merged), ("changed", part.changed))
            counts = [say(f"counted.{kind}", n=len(items)) for kind, items in kinds if items]
            if counts:
                lines.append(say("codes", parts=", ".join(counts)))
            continue
        for x in part.added:
            line = say(f"{entity}.added", name=x.name)
            if x.parents:
                line += " " + say("under", parents=places(entity, x.parents))
            lines.append(line)
        for x in part.removed:
            lines.append(say(f"{entity}.removed", name=x.name))
        for x in part.renamed:
            lines.append(say(f"{entity}.renamed", old=x.old, new=x.new))
        for x in part.moved:
            lines.append(say(f"{entity}.moved", name=x.name, old=places(entity, x.old_parents),
                             new=places(entity, x.new_parents)))
        for x in part.merged:
            lines.append(say(f"{entity}.merged", name=x.name, into=x.into_name))
        for x in part.changed:
            lines.append(say(f"changed.{x.field}", name=x.name, old=value(x.field, x.old),
                             new=value(x.field, x.new)))
    return lines
