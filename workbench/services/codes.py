"""Codes and codings: create, rename, nest, merge, apply to spans, memo, mark as quote."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from sqlalchemy import Integer, Table, bindparam, func, select
from sqlalchemy.orm import Session

from workbench.domain.codebook import PALETTE, normalise_colour
from workbench.domain.collation import sort_key
from workbench.domain.model import Origin, clean_name, name_key, new_guid
from workbench.i18n import UserError
from workbench.storage.changelog import bulk_insert
from workbench.storage.models import Code, Coding, Transcript

from . import labels
from .base import Service, get, next_position



@dataclass(frozen=True)
class CodeView:
    id: int
    guid: str
    name: str
    description: str
    colour: str
    parent_id: int | None
    origin: str
    codings: int = 0
    display_name: str = ""  # the name, with the parent path where another code shares it

    @property
    def label(self) -> str:
        """What to show for the code: :attr:`display_name` (filled by
        :meth:`CodeService.list`), else the name."""
        return self.display_name or self.name


class _NamedCode(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def parent_id(self) -> int | None: ...


PATH_SEPARATOR = " › "


def code_path(code_id: int, codes: dict[int, _NamedCode]) -> tuple[str, ...]:
    """The names from the top of the tree down to the code ``code_id`` (itself included)."""
    out: list[str] = []
    seen: set[int] = set()
    current: int | None = code_id
    while current is not None and current in codes and current not in seen:
        seen.add(current)
        out.append(codes[current].name)
        current = codes[current].parent_id
    return tuple(reversed(out))


def display_names(codes: Iterable[_NamedCode]) -> dict[int, str]:
    """The name to show for each code (by id): its name, and where another code has the
    same name (case and NFC insensitive, as REFI-QDA allows under different parents) its
    parent path in parentheses: the nearest parents, as many as it takes to tell it from
    every other code of that name, «citizenship (practices › digital_citizenship)». A code
    at the top level keeps its bare name (no sibling can share it). Rows or views alike."""
    by_id = {c.id: c for c in codes}
    groups: dict[str, list[_NamedCode]] = {}
    for c in by_id.values():
        groups.setdefault(name_key(c.name), []).append(c)
    out: dict[int, str] = {c.id: c.name for c in by_id.values()}
    for group in groups.values():
        if len(group) < 2:
            continue
        paths = {c.id: tuple(name_key(n) for n in code_path(c.id, by_id)[:-1]) for c in group}
        for c in group:
            parents = code_path(c.id, by_id)[:-1]
            if not parents:
                continue
            for k in range(1, len(parents) + 1):
                tail = paths[c.id][-k:]
                if all(paths[o.id][-k:] != tail for o in group if o.id != c.id):
                    break
            out[c.id] = f"{c.name} ({PATH_SEPARATOR.join(parents[-k:])})"
    return out


def scoped_name_key(name: str, guid: str) -> str:
    """The stored ``name_key`` of a code whose name another code (under another parent)
    already holds: the name's key plus the code's GUID. ``code.name_key`` is unique in the
    database; the code that had the name first keeps the bare key (so finding a code by
    name finds it), a second one keeps its name and gets this key. Names are unique among
    siblings only, which the services check."""
    return f"{name_key(name)}\x1f{guid}"


@dataclass(frozen=True)
class CodingView:
    id: int
    guid: str
    transcript_id: int
    code_id: int
    start: int
    end: int
    coder: str
    memo: str
    is_quote: bool


def _code_view(code: Code, count: int = 0) -> CodeView:
    return CodeView(
        code.id, code.guid, code.name, code.description, code.colour, code.parent_id,
        code.origin, count,
    )


_CODING_COLUMNS = (
    Coding.id, Coding.guid, Coding.transcript_id, Coding.code_id, Coding.start, Coding.end,
    Coding.coder, Coding.memo, Coding.is_quote,
)
"""The columns of a :class:`CodingView`, in its order."""


def coding_view(c: Coding) -> CodingView:
    """The plain value of a coding row (for services that change codings themselves)."""
    return CodingView(
        c.id, c.guid, c.transcript_id, c.code_id, c.start, c.end, c.coder, c.memo, c.is_quote
    )


# -- the statements of :meth:`CodeService.apply` ------------------------------------------
#
# The coding screen runs ``apply`` on every key that codes. Its statements are built once,
# with bound parameters, and run through Core on the session's connection: building a
# statement anew and running it through the ORM costs several times what SQLite needs to
# answer it. They read columns only (no codings are read for the labels, so the blind
# rule of :mod:`.assignments`, which filters codings in read sessions, has nothing to do).

_TRANSCRIPT: Table = Transcript.__table__  # type: ignore[assignment]
_CODE: Table = Code.__table__  # type: ignore[assignment]
_CODING: Table = Coding.__table__  # type: ignore[assignment]

_CODE_NAME = (
    select(_CODE.c.name).where(_CODE.c.id == bindparam("cid")).scalar_subquery()
)
_DUPLICATE = (
    select(_CODING.c.id)
    .where(_CODING.c.transcript_id == bindparam("tid"), _CODING.c.code_id == bindparam("cid"),
           _CODING.c.start == bindparam("start"), _CODING.c.end == bindparam("end"),
           _CODING.c.coder == bindparam("coder"))
    .limit(1)
)
"""The actor's own coding of the same span with the same code, if any."""

_CHECKS = select(
    func.length(_TRANSCRIPT.c.text), _CODE_NAME, _DUPLICATE.scalar_subquery(),
).where(_TRANSCRIPT.c.id == bindparam("tid"))
"""What ``apply`` checks under the write lock, in one query: the text's length (no row:
no such transcript), the code's name (NULL: no such code) and a duplicate coding."""


def _valid_colour(colour: str) -> str:
    value = normalise_colour(colour)
    if value is None:
        raise UserError("code.error.colour", colour=colour)
    return value


class CodeService(Service):
    # -- queries -----------------------------------------------------------------------

    def list(self) -> list[CodeView]:
        """All codes with their number of codings, in Norwegian order of name."""
        with self.store.read() as s:
            counts = dict(
                s.execute(select(Coding.code_id, func.count()).group_by(Coding.code_id)).all()
            )
            codes = s.scalars(select(Code)).all()
            views = [_code_view(c, counts.get(c.id, 0)) for c in codes]
        labels = display_names(views)
        views = [replace(v, display_name=labels[v.id]) for v in views]
        return sorted(views, key=lambda v: sort_key(v.label))

    def display_names(self) -> dict[int, str]:
        """:func:`display_names` of every code in the project."""
        with self.store.read() as s:
            return display_names(s.scalars(select(Code)).all())

    def find(self, name: str) -> CodeView | None:
        with self.store.read() as s:
            code = s.scalars(select(Code).where(Code.name_key == name_key(name))).first()
            return _code_view(code) if code else None

    def codings(
        self, *, transcript_id: int | None = None, code_id: int | None = None,
        coders: Iterable[str] | None = None, disagreements: bool = False,
    ) -> list[CodingView]:
        """Codings in reading order, optionally of one transcript or code.

        ``coders`` keeps only those coders' codings (``[wb.store.actor]``: mine).
        ``disagreements`` keeps only the codings no other coder backs: no coding of the
        same code by another coder overlaps it (:func:`workbench.domain.coders.disagreements`).
        The coders compared are ``coders`` when given, else each transcript's assigned
        coders, else everyone who coded it. A blind coder never sees the other listed
        coders' codings (:mod:`workbench.services.assignments`)."""
        from workbench.domain.coders import disagreements as disagreeing
        from workbench.storage.models import Assignment

        wanted = None if coders is None else sorted(set(coders))
        with self.store.read() as s:
            # the columns, not the entities: a transcript's 600 codings in a few ms
            stmt = select(*_CODING_COLUMNS).order_by(Coding.transcript_id, Coding.start,
                                                     Coding.id)
            if transcript_id is not None:
                stmt = stmt.where(Coding.transcript_id == transcript_id)
            if code_id is not None:
                stmt = stmt.where(Coding.code_id == code_id)
            if wanted is not None:
                stmt = stmt.where(Coding.coder.in_(wanted))
            views = [CodingView(*row[:8], bool(row[8])) for row in s.execute(stmt)]
            if not disagreements:
                return views
            assigned = dict(s.execute(select(Assignment.transcript_id, Assignment.coders)).all())
        out: list[CodingView] = []
        by_transcript: dict[int, list[CodingView]] = {}
        for v in views:
            by_transcript.setdefault(v.transcript_id, []).append(v)
        for tid, here in by_transcript.items():
            compared = wanted or assigned.get(tid) or sorted({v.coder for v in here})
            out.extend(disagreeing(here, compared))
        return out

    def coders(self, *, transcript_id: int | None = None) -> list[str]:
        """Who has codings (that the actor may see), in Norwegian order of name."""
        with self.store.read() as s:
            stmt = select(Coding.coder).distinct()
            if transcript_id is not None:
                stmt = stmt.where(Coding.transcript_id == transcript_id)
            return sorted(s.scalars(stmt), key=sort_key)

    def counts_by_coder(self, *, transcript_id: int | None = None) -> dict[int, dict[str, int]]:
        """Codebook counts split by coder: code id → coder → number of codings."""
        with self.store.read() as s:
            stmt = select(Coding.code_id, Coding.coder, func.count()).group_by(
                Coding.code_id, Coding.coder
            )
            if transcript_id is not None:
                stmt = stmt.where(Coding.transcript_id == transcript_id)
            out: dict[int, dict[str, int]] = {}
            for code_id, coder, n in s.execute(stmt):
                out.setdefault(int(code_id), {})[coder] = int(n)
            return out

    # -- code commands ---------------------------------------------------------------

    @staticmethod
    def _check_name(session: Session, name: str, *, except_id: int | None = None) -> str:
        name = clean_name(name)
        if not name:
            raise UserError("code.error.empty_name")
        clash = session.scalars(select(Code).where(Code.name_key == name_key(name))).first()
        if clash is not None and clash.id != except_id:
            raise UserError("code.error.duplicate", name=clash.name)
        return name

    @staticmethod
    def new_code(
        session: Session, name: str, *, description: str = "", colour: str | None = None,
        parent_id: int | None = None, origin: str = Origin.INDUCTIVE,
    ) -> Code:
        """Add a code named ``name`` (already cleaned and checked) inside the open command
        ``session``, with the next palette colour unless ``colour`` is given. For services
        that create codes as part of their own command (auto-coding)."""
        if origin not in (Origin.INDUCTIVE, Origin.DEDUCTIVE):
            raise UserError("code.error.origin", origin=origin)
        count = session.scalar(select(func.count()).select_from(Code)) or 0
        code = Code(
            name=name,
            name_key=name_key(name),
            description=description,
            colour=_valid_colour(colour) if colour else PALETTE[count % len(PALETTE)],
            parent_id=parent_id,
            origin=str(origin),
            position=next_position(session, Code.position, Code.parent_id == parent_id),
        )
        session.add(code)
        session.flush()
        return code

    def create(
        self, name: str, *, description: str = "", colour: str | None = None,
        parent_id: int | None = None, origin: str = Origin.INDUCTIVE,
    ) -> CodeView:
        with self.store.command("code.create", name=name) as s:
            name = self._check_name(s, name)
            if parent_id is not None:
                get(s, Code, parent_id)
            code = self.new_code(
                s, name, description=description, colour=colour, parent_id=parent_id,
                origin=origin,
            )
            return _code_view(code)

    def rename(self, code_id: int, name: str) -> CodeView:
        with self.store.read() as s:
            old = labels.code_name(s, code_id)
        with self.store.command("code.rename", id=code_id, name=name, old=old) as s:
            code = get(s, Code, code_id)
            code.name = self._check_name(s, name, except_id=code.id)
            code.name_key = name_key(code.name)
            return _code_view(code)

    def update(
        self, code_id: int, *, description: str | None = None, colour: str | None = None,
        origin: str | None = None,
    ) -> CodeView:
        what = "description" if description is not None else "colour" if colour is not None else "origin"
        with self.store.read() as s:
            code_name = labels.code_name(s, code_id)
        with self.store.command("code.update", id=code_id, code_name=code_name, what=what) as s:
            code = get(s, Code, code_id)
            if description is not None:
                code.description = description
            if colour is not None:
                code.colour = _valid_colour(colour)
            if origin is not None:
                if origin not in (Origin.INDUCTIVE, Origin.DEDUCTIVE):
                    raise UserError("code.error.origin", origin=origin)
                code.origin = origin
            return _code_view(code)

    def move(self, code_id: int, parent_id: int | None) -> CodeView:
        """Nest a code under another (or make it top-level with ``None``)."""
        with self.store.read() as s:
            names = {"code_name": labels.code_name(s, code_id),
                     "parent_name": labels.code_name(s, parent_id)}
        with self.store.command("code.move", id=code_id, parent=parent_id, **names,
                                what="top" if parent_id is None else None) as s:
            code = get(s, Code, code_id)
            if parent_id is not None:
                ancestor: Code | None = get(s, Code, parent_id)
                while ancestor is not None:
                    if ancestor.id == code.id:
                        raise UserError("code.error.cycle", name=code.name)
                    ancestor = ancestor.parent
            code.parent_id = parent_id
            code.position = next_position(s, Code.position, Code.parent_id == parent_id)
            return _code_view(code)

    def delete(self, code_id: int) -> None:
        """Delete a code with its codings; its children move up to its parent."""
        with self.store.read() as s:
            code_name = labels.code_name(s, code_id)
        with self.store.command("code.delete", id=code_id, code_name=code_name) as s:
            code = get(s, Code, code_id)
            for child in list(code.children):
                child.parent_id = code.parent_id
            s.delete(code)

    def merge(self, source_id: int, target_id: int) -> CodeView:
        """Merge ``source`` into ``target``: codings, children and theme links move."""
        with self.store.read() as s:
            names = {"source_name": labels.code_name(s, source_id),
                     "target_name": labels.code_name(s, target_id)}
        with self.store.command("code.merge", source=source_id, target=target_id, **names) as s:
            source, target = get(s, Code, source_id), get(s, Code, target_id)
            if source.id == target.id:
                raise UserError("code.error.merge_self")
            node: Code | None = target
            while node is not None:
                if node.id == source.id:
                    raise UserError("code.error.merge_descendant", name=source.name)
                node = node.parent
            # one coder's codings are never merged with another's: a span drops out only
            # where the same coder already coded it with the target
            existing = {(c.transcript_id, c.start, c.end, c.coder) for c in target.codings}
            for coding in list(source.codings):
                if (coding.transcript_id, coding.start, coding.end, coding.coder) in existing:
                    s.delete(coding)  # the same coder's span already carries the target
                else:
                    coding.code = target
            for child in list(source.children):
                child.parent_id = target.id
            linked = {link.theme_id for link in target.theme_links}
            for link in list(source.theme_links):
                if link.theme_id in linked:
                    s.delete(link)
                else:
                    link.code = target
            s.flush()
            s.expire(source)
            s.delete(source)
            return _code_view(target)

    # -- coding commands -------------------------------------------------------------

    def apply(
        self, transcript_id: int, start: int, end: int, *, code_id: int | None = None,
        name: str | None = None, memo: str = "",
    ) -> CodingView:
        """Code ``[start, end)`` of a transcript with an existing code or a new one by name.

        A name that matches an existing code (case and NFC insensitive) reuses that code.

        The coding screen runs this on every key that codes, so it reads no more than it
        needs: the log's labels in one query before the command, the checks in one query
        under the write lock (prepared statements through Core, see :data:`_CHECKS`), and
        the row goes in through :func:`~workbench.storage.changelog.bulk_insert`
        (recorded like any other insertion, so undo, redo and the change log treat it the
        same).
        """
        if code_id is None and not name:
            raise UserError("code.error.no_code")
        args: dict[str, object] = {"transcript": transcript_id, "start": start, "end": end}
        args |= {"code": code_id} if code_id is not None else {"name": name}
        with self.store.read() as s:
            args |= labels.span_labels(s, transcript_id, start, end, code_id=code_id)
        if code_id is None:
            args["code_name"] = clean_name(name or "")
        with self.store.command("coding.add", **args) as s:
            conn = s.connection()
            params = {"tid": transcript_id, "cid": code_id, "start": start, "end": end,
                      "coder": self.actor}
            row = conn.execute(_CHECKS, params).first()
            if row is None:
                raise UserError("error.not_found", kind=Transcript.__tablename__,
                                ref=transcript_id)
            length, code_name, dup = row
            if end <= start:
                raise UserError("coding.error.empty_span")
            if start < 0 or end > length:
                raise UserError("coding.error.out_of_range", start=start, end=end)
            if code_id is not None:
                if code_name is None:
                    raise UserError("error.not_found", kind=Code.__tablename__, ref=code_id)
                chosen = code_id
            else:
                assert name is not None
                cleaned = clean_name(name)
                if not cleaned:
                    raise UserError("code.error.empty_name")
                code = s.scalars(select(Code).where(Code.name_key == name_key(cleaned))).first()
                if code is None:
                    code = self.new_code(s, cleaned)
                    dup = None  # a new code has no codings
                else:
                    dup = conn.execute(_DUPLICATE, params | {"cid": code.id}).scalar()
                chosen, code_name = code.id, code.name
            # per coder: another coder's coding of the same span with the same code is
            # theirs, and this one is the actor's own (team coding keeps both)
            if dup is not None:
                raise UserError("coding.error.duplicate", name=code_name)
            guid = new_guid()
            (coding_id,) = bulk_insert(s, Coding, [{
                "guid": guid, "transcript_id": transcript_id, "code_id": chosen,
                "start": start, "end": end, "coder": self.actor, "memo": memo,
                "is_quote": False,
            }])
            return CodingView(coding_id, guid, transcript_id, chosen, start, end, self.actor,
                              memo, False)

    def remove_coding(self, coding_id: int) -> None:
        with self.store.read() as s:
            names = labels.coding(s, coding_id)
        with self.store.command("coding.remove", id=coding_id, **names) as s:
            s.delete(get(s, Coding, coding_id))

    def set_memo(self, coding_id: int, memo: str) -> CodingView:
        with self.store.read() as s:
            names = labels.coding(s, coding_id)
        with self.store.command("coding.memo", id=coding_id, **names) as s:
            coding = get(s, Coding, coding_id)
            coding.memo = memo
            return coding_view(coding)

    def set_quote(self, coding_id: int, is_quote: bool) -> CodingView:
        with self.store.read() as s:
            names = labels.coding(s, coding_id)
        with self.store.command("coding.quote", id=coding_id, quote=is_quote, **names,
                                what="on" if is_quote else "off") as s:
            coding = get(s, Coding, coding_id)
            coding.is_quote = is_quote
            return coding_view(coding)

    def recode(self, coding_id: int, code_id: int) -> CodingView:
        """Move a coding to another code."""
        with self.store.read() as s:
            names = labels.coding(s, coding_id) | {"new_code": labels.code_name(s, code_id)}
        with self.store.command("coding.recode", id=coding_id, code=code_id, **names) as s:
            coding = get(s, Coding, coding_id)
            coding.code_id = get(s, Code, code_id).id
            return coding_view(coding)
