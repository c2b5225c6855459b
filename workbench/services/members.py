"""Project members and their roles: researcher, co-coder, supervisor.

A project without members lets everyone do everything. The first person who adds a
member becomes the project's researcher (they are added first, in the same undoable
command). From then on every unit of work is done by a member, and what each role may
run is enforced by the store (:mod:`workbench.storage.commands`): only a researcher may
add, change or remove members. A project always keeps at least one researcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.i18n import UserError
from workbench.storage.commands import RESEARCHER, ROLES
from workbench.storage.models import Member

from .base import Service


@dataclass(frozen=True)
class MemberView:
    id: int
    guid: str
    name: str
    role: str
    added_at: datetime


def _view(m: Member) -> MemberView:
    return MemberView(m.id, m.guid, m.name, m.role, m.added_at)


def _clean(name: str) -> str:
    return " ".join((name or "").split())


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError("members.error.unknown_role", role=role)
    return role


def _find(s: Session, name: str) -> Member:
    member = s.scalars(select(Member).where(Member.name == name)).first()
    if member is None:
        names = ", ".join(s.scalars(select(Member.name).order_by(Member.name))) or "–"
        raise UserError("members.error.not_found", name=name, members=names)
    return member


def _keep_a_researcher(s: Session, member: Member) -> None:
    if member.role != RESEARCHER:
        return
    others = s.scalar(
        select(func.count()).where(Member.role == RESEARCHER, Member.id != member.id)
    )
    if not others:
        raise UserError("members.error.last_researcher", name=member.name)


class MemberService(Service):
    def list(self) -> list[MemberView]:
        with self.store.read() as s:
            return [_view(m) for m in s.scalars(select(Member).order_by(Member.added_at, Member.id))]

    def role_of(self, name: str | None = None) -> str | None:
        """A member's role (the actor's by default); ``None`` when not a member."""
        name = self.actor if name is None else name
        with self.store.read() as s:
            return s.scalar(select(Member.role).where(Member.name == name))

    def add(self, name: str, role: str = "co-coder") -> MemberView:
        """Add a member. In a project without members the actor is added first, as its
        researcher."""
        name = _clean(name)
        if not name:
            raise UserError("members.error.empty_name")
        _check_role(role)
        with self.store.command("member.add", name=name, role=role) as s:
            first = not s.scalar(select(func.count()).select_from(Member))
            if first and name == self.actor and role != RESEARCHER:
                raise UserError("members.error.first_is_researcher", name=name)
            if first and name != self.actor:
                s.add(Member(name=self.actor, role=RESEARCHER))
            existing = s.scalars(select(Member).where(Member.name == name)).first()
            if existing is not None:
                raise UserError("members.error.exists", name=name, role=existing.role)
            member = Member(name=name, role=role)
            s.add(member)
            s.flush()
            return _view(member)

    def set_role(self, name: str, role: str) -> MemberView:
        _check_role(role)
        with self.store.command("member.role", name=name, role=role) as s:
            member = _find(s, _clean(name))
            if role != RESEARCHER:
                _keep_a_researcher(s, member)
            member.role = role
            s.flush()
            return _view(member)

    def remove(self, name: str) -> None:
        with self.store.command("member.remove", name=name) as s:
            member = _find(s, _clean(name))
            _keep_a_researcher(s, member)
            s.delete(member)


__all__ = ["MemberService", "MemberView"]
