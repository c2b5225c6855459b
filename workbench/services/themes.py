"""Themes: the theme map of main themes, sub-themes and the codes under them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.model import ThemeStatus, clean_name, name_key
from workbench.i18n import UserError
from workbench.storage.models import Code, CodeTheme, Theme

from .base import Service, get, next_position


@dataclass(frozen=True)
class ThemeView:
    id: int
    guid: str
    name: str
    definition: str
    status: str
    parent_id: int | None
    position: int
    is_misc: bool
    code_ids: tuple[int, ...] = ()
    children: tuple["ThemeView", ...] = field(default=())


def _view(theme: Theme, children: tuple[ThemeView, ...] = ()) -> ThemeView:
    return ThemeView(
        theme.id, theme.guid, theme.name, theme.definition, theme.status, theme.parent_id,
        theme.position, theme.is_misc, tuple(link.code_id for link in theme.code_links),
        children,
    )


class ThemeService(Service):
    def tree(self) -> list[ThemeView]:
        """Main themes in map order, each with its sub-themes (recursively)."""
        with self.store.read() as s:
            themes = s.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()
            by_parent: dict[int | None, list[Theme]] = {}
            for theme in themes:
                by_parent.setdefault(theme.parent_id, []).append(theme)

            def build(parent: int | None) -> tuple[ThemeView, ...]:
                return tuple(_view(t, build(t.id)) for t in by_parent.get(parent, []))

            return list(build(None))

    @staticmethod
    def _check_name(
        session: Session, name: str, parent_id: int | None, *, except_id: int | None = None
    ) -> str:
        name = clean_name(name)
        if not name:
            raise UserError("theme.error.empty_name")
        siblings = session.scalars(select(Theme).where(Theme.parent_id.is_(parent_id))).all()
        for sibling in siblings:
            if sibling.id != except_id and name_key(sibling.name) == name_key(name):
                raise UserError("theme.error.duplicate", name=sibling.name)
        return name

    def create(
        self, name: str, *, parent_id: int | None = None, definition: str = "",
        code_ids: list[int] | tuple[int, ...] = (), is_misc: bool = False,
    ) -> ThemeView:
        with self.store.command("theme.create", name=name, parent=parent_id) as s:
            if parent_id is not None:
                get(s, Theme, parent_id)
            theme = Theme(
                name=self._check_name(s, name, parent_id),
                definition=definition,
                parent_id=parent_id,
                position=next_position(s, Theme.position, Theme.parent_id.is_(parent_id)),
                is_misc=is_misc,
            )
            s.add(theme)
            s.flush()
            for i, code_id in enumerate(code_ids):
                s.add(CodeTheme(code_id=get(s, Code, code_id).id, theme_id=theme.id, position=i))
            s.flush()
            s.refresh(theme)
            return _view(theme)

    def rename(self, theme_id: int, name: str) -> ThemeView:
        with self.store.command("theme.rename", id=theme_id, name=name) as s:
            theme = get(s, Theme, theme_id)
            theme.name = self._check_name(s, name, theme.parent_id, except_id=theme.id)
            return _view(theme)

    def update(
        self, theme_id: int, *, definition: str | None = None, status: str | None = None
    ) -> ThemeView:
        with self.store.command("theme.update", id=theme_id, status=status) as s:
            theme = get(s, Theme, theme_id)
            if definition is not None:
                theme.definition = definition
            if status is not None:
                if status not in ThemeStatus.__members__.values():
                    raise UserError("theme.error.status", status=status)
                theme.status = status
            return _view(theme)

    def move(self, theme_id: int, parent_id: int | None, position: int | None = None) -> ThemeView:
        """Re-parent a theme (``None`` makes it a main theme), refusing cycles."""
        with self.store.command("theme.move", id=theme_id, parent=parent_id) as s:
            theme = get(s, Theme, theme_id)
            node = get(s, Theme, parent_id) if parent_id is not None else None
            while node is not None:
                if node.id == theme.id:
                    raise UserError("theme.error.cycle", name=theme.name)
                node = node.parent
            self._check_name(s, theme.name, parent_id, except_id=theme.id)
            theme.parent_id = parent_id
            theme.position = (
                position if position is not None
                else next_position(s, Theme.position, Theme.parent_id.is_(parent_id))
            )
            return _view(theme)

    def delete(self, theme_id: int) -> None:
        """Delete a theme; its sub-themes move up to its parent, its codes stay as codes."""
        with self.store.command("theme.delete", id=theme_id) as s:
            theme = get(s, Theme, theme_id)
            for child in list(theme.children):
                child.parent_id = theme.parent_id
            s.delete(theme)

    def link_code(self, theme_id: int, code_id: int) -> None:
        with self.store.command("theme.link_code", theme=theme_id, code=code_id) as s:
            theme, code = get(s, Theme, theme_id), get(s, Code, code_id)
            if any(link.code_id == code.id for link in theme.code_links):
                raise UserError("theme.error.already_linked", code=code.name, theme=theme.name)
            s.add(
                CodeTheme(
                    code_id=code.id, theme_id=theme.id,
                    position=next_position(s, CodeTheme.position, CodeTheme.theme_id == theme.id),
                )
            )

    def unlink_code(self, theme_id: int, code_id: int) -> None:
        with self.store.command("theme.unlink_code", theme=theme_id, code=code_id) as s:
            link = s.scalars(
                select(CodeTheme).where(
                    CodeTheme.theme_id == theme_id, CodeTheme.code_id == code_id
                )
            ).first()
            if link is None:
                raise UserError("theme.error.not_linked")
            s.delete(link)
