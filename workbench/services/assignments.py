"""Who codes which transcript, and blind double coding.

An assignment lists the coders of one transcript (``workbench assign P fg1 --coders
kari,ola [--blind]``). While it is *blind*, each listed coder works as if alone: their
reads of that transcript leave out the other listed coders' codings, until the
researcher unblinds it (``workbench unblind P fg1``). Members who are not listed (the
supervisor, a researcher who does not code it) see everything. A researcher who lists
themselves is blind like any other listed coder until they unblind.

The rule lives in one place, :func:`hidden_coders`, and is enforced for every read the
services make: :func:`install` adds it to each query of a :class:`Workbench`'s read
sessions (``with_loader_criteria`` on :class:`~workbench.storage.models.Coding`, applied
in SQLAlchemy's ``do_orm_execute`` event). A service cannot forget it: coding lists,
extracts, search by code, codebook counts, tables, theme figures and every export a blind
coder runs leave the hidden codings out, whatever query reads them (column queries,
counts, joins, relationship loads). Writing units of work (commands, undo, redo) are not
filtered: a command sees every row it changes, so the change log stays complete.

Assigning and unblinding are the researcher's (like the project's other settings) and are
undoable commands: ``assignment.set``, ``assignment.unblind``, ``assignment.remove``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, event, not_, or_, select, true
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from workbench.domain.collation import sort_key
from workbench.i18n import UserError
from workbench.storage.commands import SUPERVISOR
from workbench.storage.database import Store
from workbench.storage.models import Assignment, Coding, Member, Transcript, utcnow

from .base import Service, get


@dataclass(frozen=True)
class AssignmentView:
    transcript_id: int
    transcript: str
    coders: tuple[str, ...]
    blind: bool
    created: datetime
    unblinded_at: datetime | None


def hidden_coders(session: Session, actor: str) -> dict[int, frozenset[str]]:
    """The blind rule: per transcript, whose codings ``actor`` may not see now.

    A transcript is in the answer when its assignment is blind and lists ``actor``; the
    coders hidden on it are the other listed coders. Everyone else sees everything."""
    rows = session.connection().execute(
        select(Assignment.transcript_id, Assignment.coders).where(Assignment.blind == true())
    ).all()
    out: dict[int, frozenset[str]] = {}
    for tid, coders in rows:
        listed = frozenset(coders or ())
        if actor in listed and len(listed) > 1:
            out[int(tid)] = listed - {actor}
    return out


def visible_condition(hidden: dict[int, frozenset[str]]):  # type: ignore[no-untyped-def]
    """A WHERE condition on :class:`Coding` that leaves out the ``hidden`` codings."""
    return not_(or_(*(
        and_(Coding.transcript_id == tid, Coding.coder.in_(sorted(coders)))
        for tid, coders in sorted(hidden.items())
    )))


# -- the filter on every read of a Workbench -------------------------------------------------

_STORES: weakref.WeakKeyDictionary[Engine, Store] = weakref.WeakKeyDictionary()
_HIDDEN = "workbench_hidden_codings"


def install(store: Store) -> None:
    """Apply the blind rule to every query of ``store``'s read sessions."""
    _STORES[store.engine] = store


@event.listens_for(Session, "do_orm_execute")
def _leave_out_hidden(state: ORMExecuteState) -> None:
    session = state.session
    if not state.is_select or session.info.get("guard") is not None:
        return  # a command, undo or redo sees every row it may change
    store = _STORES.get(session.bind) if isinstance(session.bind, Engine) else None
    if store is None:
        return
    hidden = session.info.get(_HIDDEN)
    if hidden is None:  # once per read session: the rule for this actor, now
        hidden = session.info[_HIDDEN] = hidden_coders(session, store.actor)
    if hidden:
        state.statement = state.statement.options(
            with_loader_criteria(Coding, visible_condition(hidden), include_aliases=True)
        )


# -- the service ---------------------------------------------------------------------------


def _view(a: Assignment, name: str) -> AssignmentView:
    return AssignmentView(a.transcript_id, name, tuple(a.coders or ()), bool(a.blind),
                          a.created, a.unblinded_at)


def _transcript(s: Session, ref: int | str) -> Transcript:
    """A transcript by id, name or GUID (the same error as the transcript service's)."""
    if isinstance(ref, int):
        return get(s, Transcript, ref)
    found = s.scalars(select(Transcript).where(
        (Transcript.name == ref) | (Transcript.guid == ref))).first()
    if found is None:
        names = sorted(s.scalars(select(Transcript.name)), key=sort_key)
        raise UserError("transcript.error.unknown", name=ref, names=", ".join(names) or "–")
    return found


def _clean_coders(s: Session, coders: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(" ".join(c.split()) for c in coders if c and c.strip()))
    if not names:
        raise UserError("team_views.error.no_coders")
    members = dict(s.execute(select(Member.name, Member.role)).all())
    if members:
        for name in names:
            if name not in members:
                raise UserError("team_views.error.not_member", name=name,
                                members=", ".join(sorted(members, key=sort_key)))
            if members[name] == SUPERVISOR:
                raise UserError("team_views.error.supervisor", name=name)
    return names


class AssignmentService(Service):
    # -- queries -----------------------------------------------------------------------

    def list(self) -> list[AssignmentView]:
        """Every assignment, in transcript order."""
        with self.store.read() as s:
            rows = s.execute(
                select(Assignment, Transcript.name)
                .join(Transcript, Transcript.id == Assignment.transcript_id)
                .order_by(Transcript.position, Transcript.id)
            ).all()
            return [_view(a, name) for a, name in rows]

    def of(self, transcript: int | str) -> AssignmentView | None:
        """The assignment of one transcript (by id or name), or ``None``."""
        with self.store.read() as s:
            tr = _transcript(s, transcript)
            a = s.scalars(select(Assignment).where(Assignment.transcript_id == tr.id)).first()
            return _view(a, tr.name) if a else None

    def hidden(self) -> dict[int, frozenset[str]]:
        """:func:`hidden_coders` for the actor: per blind transcript, whose codings the
        actor does not see."""
        with self.store.read() as s:
            return hidden_coders(s, self.actor)

    def is_blind_for_me(self, transcript_id: int) -> bool:
        return transcript_id in self.hidden()

    # -- commands ----------------------------------------------------------------------

    def assign(
        self, transcript: int | str, coders: Iterable[str], *, blind: bool = False,
    ) -> AssignmentView:
        """Give a transcript its coders (replacing any earlier assignment), blind or not."""
        coders = list(coders)
        with self.store.read() as s:
            name = _transcript(s, transcript).name
        with self.store.command("assignment.set", doc=name, coders=", ".join(coders),
                                blind=blind, what="blind" if blind else None) as s:
            tr = _transcript(s, transcript)
            names = _clean_coders(s, coders)
            a = s.scalars(select(Assignment).where(Assignment.transcript_id == tr.id)).first()
            if a is None:
                a = Assignment(transcript_id=tr.id, coders=names, blind=blind)
                s.add(a)
            else:
                a.coders, a.blind, a.unblinded_at = names, blind, None
            s.flush()
            return _view(a, tr.name)

    def unblind(self, transcript: int | str) -> AssignmentView:
        """End blind coding of a transcript: every coder sees every coding again."""
        with self.store.read() as s:
            name = _transcript(s, transcript).name
        with self.store.command("assignment.unblind", doc=name) as s:
            tr = _transcript(s, transcript)
            a = s.scalars(select(Assignment).where(Assignment.transcript_id == tr.id)).first()
            if a is None or not a.blind:
                raise UserError("team_views.error.not_blind", name=tr.name)
            a.blind, a.unblinded_at = False, utcnow()
            s.flush()
            return _view(a, tr.name)

    def remove(self, transcript: int | str) -> None:
        """Take a transcript's assignment away (its codings stay)."""
        with self.store.read() as s:
            name = _transcript(s, transcript).name
        with self.store.command("assignment.remove", doc=name) as s:
            tr = _transcript(s, transcript)
            a = s.scalars(select(Assignment).where(Assignment.transcript_id == tr.id)).first()
            if a is None:
                raise UserError("team_views.error.no_assignment", name=tr.name)
            s.delete(a)


__all__ = ["AssignmentService", "AssignmentView", "hidden_coders", "install", "visible_condition"]
