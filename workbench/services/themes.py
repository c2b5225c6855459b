"""Themes: the theme map of main themes, sub-themes and the codes under them.

Every operation is one recorded command (undoable). Bad input raises :class:`UserError`
before anything is changed: an empty or duplicate name (names are unique among siblings),
a cycle, merging a theme into itself or its own sub-theme, a second miscellaneous bin.

Siblings are kept in order by ``position`` (renumbered 0, 1, 2 … whenever the order
changes), and so are the codes under a theme.

How the themes stand against the data (extracts, thin themes, matrices, the deductive
trap) is read by :class:`workbench.services.theme_metrics.ThemeMetricsService`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.model import ThemeStatus, clean_name, name_key
from workbench.i18n import UserError, t
from workbench.storage.models import Code, CodeTheme, Coding, Note, Theme

from . import labels
from .base import Service, get, next_position
from .codes import CodingView, coding_view

# The order the status key cycles through (discarded is set and cleared on its own).
STATUS_CYCLE = (
    ThemeStatus.CANDIDATE, ThemeStatus.REVIEWED, ThemeStatus.DEFINED, ThemeStatus.FINAL,
)


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

    def walk(self) -> Iterable[tuple[ThemeView, int]]:
        """This theme and every sub-theme below it, with depth (0 for this one)."""
        stack: list[tuple[ThemeView, int]] = [(self, 0)]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            stack.extend((c, depth + 1) for c in reversed(node.children))


def _view(theme: Theme, children: tuple[ThemeView, ...] = ()) -> ThemeView:
    return ThemeView(
        theme.id, theme.guid, theme.name, theme.definition, theme.status, theme.parent_id,
        theme.position, theme.is_misc,
        tuple(link.code_id for link in sorted(theme.code_links, key=lambda l: (l.position, l.id))),
        children,
    )


def theme_tree(s: Session) -> list[ThemeView]:
    """Main themes in map order, each with its sub-themes (recursively), read in an open
    unit of work ``s``."""
    themes = s.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()
    by_parent: dict[int | None, list[Theme]] = {}
    for theme in themes:
        by_parent.setdefault(theme.parent_id, []).append(theme)

    def build(parent: int | None) -> tuple[ThemeView, ...]:
        return tuple(_view(x, build(x.id)) for x in by_parent.get(parent, []))

    return list(build(None))


def walk(themes: Sequence[ThemeView]) -> Iterable[tuple[ThemeView, int]]:
    """Every theme of a tree in map order, with its depth (0 for main themes)."""
    for top in themes:
        yield from top.walk()


def next_status(status: str) -> str:
    """The status after ``status`` in the cycle candidate → reviewed → defined → final."""
    if status not in STATUS_CYCLE:
        return ThemeStatus.CANDIDATE
    return STATUS_CYCLE[(STATUS_CYCLE.index(ThemeStatus(status)) + 1) % len(STATUS_CYCLE)]


# -- helpers that work inside a unit of work ------------------------------------------------


def _siblings(s: Session, parent_id: int | None) -> list[Theme]:
    return list(
        s.scalars(
            select(Theme).where(Theme.parent_id == parent_id).order_by(Theme.position, Theme.id)
        )
    )


def _renumber(items: Sequence[Theme | CodeTheme]) -> None:
    for i, item in enumerate(items):
        if item.position != i:
            item.position = i


def _links(s: Session, theme_id: int) -> list[CodeTheme]:
    return list(
        s.scalars(
            select(CodeTheme).where(CodeTheme.theme_id == theme_id)
            .order_by(CodeTheme.position, CodeTheme.id)
        )
    )


def _is_descendant(s: Session, node_id: int | None, ancestor_id: int) -> bool:
    """Whether ``node_id`` is ``ancestor_id`` or lies below it."""
    seen: set[int] = set()
    while node_id is not None and node_id not in seen:
        if node_id == ancestor_id:
            return True
        seen.add(node_id)
        node = s.get(Theme, node_id)
        node_id = node.parent_id if node else None
    return False


def _place(s: Session, theme: Theme, parent_id: int | None, index: int | None) -> None:
    """Put ``theme`` under ``parent_id`` at ``index`` among its new siblings (end if None),
    closing the gap it leaves behind."""
    old_parent = theme.parent_id
    theme.parent_id = parent_id
    s.flush()
    if old_parent != parent_id:
        _renumber([x for x in _siblings(s, old_parent) if x.id != theme.id])
    siblings = [x for x in _siblings(s, parent_id) if x.id != theme.id]
    index = len(siblings) if index is None else max(0, min(index, len(siblings)))
    siblings.insert(index, theme)
    _renumber(siblings)


class ThemeService(Service):
    # -- queries -----------------------------------------------------------------------

    def tree(self) -> list[ThemeView]:
        """Main themes in map order, each with its sub-themes (recursively)."""
        with self.store.read() as s:
            return theme_tree(s)

    def get(self, theme_id: int) -> ThemeView:
        with self.store.read() as s:
            theme = get(s, Theme, theme_id)
            for view, _depth in walk(theme_tree(s)):
                if view.id == theme.id:
                    return view
        raise UserError("error.not_found", kind="theme", ref=theme_id)  # pragma: no cover

    def misc(self) -> ThemeView | None:
        """The miscellaneous bin, if the map has one."""
        with self.store.read() as s:
            theme = s.scalars(select(Theme).where(Theme.is_misc == True)).first()  # noqa: E712
            return _view(theme) if theme else None

    # -- checks --------------------------------------------------------------------------

    @staticmethod
    def _check_name(
        session: Session, name: str, parent_id: int | None, *, except_id: int | None = None
    ) -> str:
        name = clean_name(name)
        if not name:
            raise UserError("theme.error.empty_name")
        siblings = session.scalars(select(Theme).where(Theme.parent_id == parent_id)).all()
        for sibling in siblings:
            if sibling.id != except_id and name_key(sibling.name) == name_key(name):
                raise UserError("theme.error.duplicate", name=sibling.name)
        return name

    @staticmethod
    def _check_misc(session: Session, *, except_id: int | None = None) -> None:
        other = session.scalars(select(Theme).where(Theme.is_misc == True)).first()  # noqa: E712
        if other is not None and other.id != except_id:
            raise UserError("themes.error.misc_exists", name=other.name)

    # -- create, rename, describe ---------------------------------------------------------

    def create(
        self, name: str, *, parent_id: int | None = None, definition: str = "",
        code_ids: list[int] | tuple[int, ...] = (), is_misc: bool = False,
        after_id: int | None = None,
    ) -> ThemeView:
        """A new (candidate) theme, optionally from selected codes; at the end of its level,
        or right after sibling ``after_id``."""
        with self.store.command("theme.create", name=name, parent=parent_id,
                                **labels.lookup(self.store, themes={"parent_name": parent_id})) as s:
            if parent_id is not None:
                get(s, Theme, parent_id)
            if is_misc:
                self._check_misc(s)
            theme = Theme(
                name=self._check_name(s, name, parent_id),
                definition=definition.strip(),
                parent_id=parent_id,
                position=next_position(s, Theme.position, Theme.parent_id == parent_id),
                is_misc=is_misc,
            )
            s.add(theme)
            s.flush()
            if after_id is not None:
                after = get(s, Theme, after_id)
                siblings = [x for x in _siblings(s, parent_id) if x.id != theme.id]
                index = next((i for i, x in enumerate(siblings) if x.id == after.id), None)
                if index is not None:
                    siblings.insert(index + 1, theme)
                    _renumber(siblings)
            for i, code_id in enumerate(dict.fromkeys(code_ids)):
                s.add(CodeTheme(code_id=get(s, Code, code_id).id, theme_id=theme.id, position=i))
            s.flush()
            s.refresh(theme)
            return _view(theme)

    def rename(self, theme_id: int, name: str) -> ThemeView:
        with self.store.command("theme.rename", id=theme_id, name=name,
                                **labels.lookup(self.store, themes={"old": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            theme.name = self._check_name(s, name, theme.parent_id, except_id=theme.id)
            return _view(theme)

    def update(
        self, theme_id: int, *, definition: str | None = None, status: str | None = None
    ) -> ThemeView:
        with self.store.command("theme.update", id=theme_id, status=status,
                                what="status" if status is not None else "definition",
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            if definition is not None:
                theme.definition = definition.strip()
            if status is not None:
                if status not in ThemeStatus.__members__.values():
                    raise UserError("theme.error.status", status=status)
                theme.status = status
            return _view(theme)

    def set_definition(self, theme_id: int, definition: str) -> ThemeView:
        return self.update(theme_id, definition=definition)

    def set_status(self, theme_id: int, status: str) -> ThemeView:
        return self.update(theme_id, status=status)

    def cycle_status(self, theme_id: int) -> ThemeView:
        """candidate → reviewed → defined → final → candidate (a discarded theme comes
        back as a candidate)."""
        return self.update(theme_id, status=next_status(self.get(theme_id).status))

    def discard(self, theme_id: int, discarded: bool = True) -> ThemeView:
        """Set a theme aside (status *discarded*) or bring it back as a candidate."""
        status = ThemeStatus.DISCARDED if discarded else ThemeStatus.CANDIDATE
        return self.update(theme_id, status=status)

    def set_misc(self, theme_id: int, is_misc: bool = True) -> ThemeView:
        """Make a theme the miscellaneous bin ("Diverse"); there is at most one."""
        with self.store.command("theme.misc", id=theme_id, misc=is_misc, what="on" if is_misc else "off",
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            if is_misc:
                self._check_misc(s, except_id=theme.id)
            theme.is_misc = is_misc
            return _view(theme)

    # -- moving themes --------------------------------------------------------------------

    def move(self, theme_id: int, parent_id: int | None, position: int | None = None) -> ThemeView:
        """Re-parent a theme (``None`` makes it a main theme) at ``position`` among its new
        siblings (at the end when ``None``), refusing cycles and duplicate names."""
        with self.store.command("theme.move", id=theme_id, parent=parent_id,
                                what="top" if parent_id is None else None,
                                **labels.lookup(self.store, themes={"theme_name": theme_id, "parent_name": parent_id})) as s:
            theme = get(s, Theme, theme_id)
            if parent_id is not None:
                get(s, Theme, parent_id)
                if _is_descendant(s, parent_id, theme.id):
                    raise UserError("theme.error.cycle", name=theme.name)
            self._check_name(s, theme.name, parent_id, except_id=theme.id)
            _place(s, theme, parent_id, position)
            return _view(theme)

    def indent(self, theme_id: int) -> ThemeView:
        """Make a theme a sub-theme of the sibling above it (last among its sub-themes)."""
        with self.store.command("theme.indent", id=theme_id,
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            siblings = _siblings(s, theme.parent_id)
            index = next(i for i, x in enumerate(siblings) if x.id == theme.id)
            if index == 0:
                raise UserError("themes.error.no_previous", name=theme.name)
            new_parent = siblings[index - 1]
            self._check_name(s, theme.name, new_parent.id, except_id=theme.id)
            _place(s, theme, new_parent.id, None)
            return _view(theme)

    def outdent(self, theme_id: int) -> ThemeView:
        """Move a sub-theme up one level, right after its former parent."""
        with self.store.command("theme.outdent", id=theme_id,
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            parent = theme.parent
            if parent is None:
                raise UserError("themes.error.already_main", name=theme.name)
            self._check_name(s, theme.name, parent.parent_id, except_id=theme.id)
            siblings = [x for x in _siblings(s, parent.parent_id) if x.id != theme.id]
            index = next(i for i, x in enumerate(siblings) if x.id == parent.id)
            _place(s, theme, parent.parent_id, index + 1)
            return _view(theme)

    def promote(self, theme_id: int) -> ThemeView:
        """Make a sub-theme a main theme, placed right after the main theme it was under."""
        with self.store.command("theme.promote", id=theme_id,
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            if theme.parent_id is None:
                raise UserError("themes.error.already_main", name=theme.name)
            top = theme.parent
            assert top is not None
            while top.parent is not None:
                top = top.parent
            self._check_name(s, theme.name, None, except_id=theme.id)
            siblings = [x for x in _siblings(s, None) if x.id != theme.id]
            index = next(i for i, x in enumerate(siblings) if x.id == top.id)
            _place(s, theme, None, index + 1)
            return _view(theme)

    def demote(self, theme_id: int, parent_id: int | None = None) -> ThemeView:
        """Make a theme a sub-theme of ``parent_id`` (default: the main theme above it)."""
        with self.store.command("theme.demote", id=theme_id, parent=parent_id,
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            if parent_id is None:
                siblings = _siblings(s, theme.parent_id)
                index = next(i for i, x in enumerate(siblings) if x.id == theme.id)
                if index == 0:
                    raise UserError("themes.error.no_previous", name=theme.name)
                parent_id = siblings[index - 1].id
            get(s, Theme, parent_id)
            if _is_descendant(s, parent_id, theme.id):
                raise UserError("theme.error.cycle", name=theme.name)
            self._check_name(s, theme.name, parent_id, except_id=theme.id)
            _place(s, theme, parent_id, None)
            return _view(theme)

    def reorder(self, theme_id: int, delta: int) -> ThemeView:
        """Move a theme ``delta`` places up (negative) or down among its siblings."""
        with self.store.command("theme.reorder", id=theme_id, delta=delta,
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            siblings = _siblings(s, theme.parent_id)
            index = next(i for i, x in enumerate(siblings) if x.id == theme.id)
            target = index + delta
            if delta == 0 or not 0 <= target < len(siblings):
                raise UserError("themes.error.at_edge", name=theme.name)
            siblings.insert(target, siblings.pop(index))
            _renumber(siblings)
            return _view(theme)

    # -- merge, split, delete ------------------------------------------------------------

    def merge(self, source_id: int, target_id: int) -> ThemeView:
        """Merge ``source`` into ``target``: its codes, sub-themes and notes move to the
        target, its definition is added to the target's, and it is removed."""
        with self.store.command("theme.merge", source=source_id, target=target_id,
                                **labels.lookup(self.store, themes={"source_name": source_id, "target_name": target_id})) as s:
            source, target = get(s, Theme, source_id), get(s, Theme, target_id)
            if source.id == target.id:
                raise UserError("themes.error.merge_self", name=source.name)
            if _is_descendant(s, target.id, source.id):
                raise UserError("themes.error.merge_descendant", name=source.name, target=target.name)
            for child in _siblings(s, source.id):
                self._check_name(s, child.name, target.id)
            linked = {link.code_id for link in _links(s, target.id)}
            position = next_position(s, CodeTheme.position, CodeTheme.theme_id == target.id)
            for link in _links(s, source.id):
                if link.code_id in linked:
                    s.delete(link)
                else:
                    link.theme_id = target.id
                    link.position = position
                    position += 1
            position = next_position(s, Theme.position, Theme.parent_id == target.id)
            for child in _siblings(s, source.id):
                child.parent_id = target.id
                child.position = position
                position += 1
            for note in s.scalars(select(Note).where(Note.theme_id == source.id)):
                note.theme_id = target.id
            extra = source.definition.strip()
            if extra and extra not in target.definition:
                target.definition = f"{target.definition.strip()}\n\n{extra}".strip()
            s.flush()
            s.expire(source)
            parent_id = source.parent_id
            s.delete(source)
            s.flush()
            _renumber(_siblings(s, parent_id))
            s.flush()
            s.refresh(target)
            return _view(target)

    def split(
        self, theme_id: int, code_ids: Sequence[int], name: str, *,
        subtheme_ids: Sequence[int] = (),
    ) -> ThemeView:
        """Split a theme: the chosen codes (and sub-themes) go to a new sibling theme
        placed right after it. Returns the new theme."""
        with self.store.command("theme.split", id=theme_id, name=name, codes=list(code_ids),
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            if not code_ids and not subtheme_ids:
                raise UserError("themes.error.split_empty", name=theme.name)
            links = {link.code_id: link for link in _links(s, theme.id)}
            for code_id in code_ids:
                if code_id not in links:
                    raise UserError("theme.error.not_linked")
            children = {c.id: c for c in _siblings(s, theme.id)}
            for child_id in subtheme_ids:
                if child_id not in children:
                    raise UserError("themes.error.not_subtheme", name=theme.name)
            new = Theme(
                name=self._check_name(s, name, theme.parent_id),
                parent_id=theme.parent_id,
                position=theme.position + 1,
            )
            s.add(new)
            s.flush()
            siblings = [x for x in _siblings(s, theme.parent_id) if x.id != new.id]
            index = next(i for i, x in enumerate(siblings) if x.id == theme.id)
            siblings.insert(index + 1, new)
            _renumber(siblings)
            for i, code_id in enumerate(dict.fromkeys(code_ids)):
                links[code_id].theme_id = new.id
                links[code_id].position = i
            for i, child_id in enumerate(dict.fromkeys(subtheme_ids)):
                children[child_id].parent_id = new.id
                children[child_id].position = i
            s.flush()
            _renumber(_links(s, theme.id))
            _renumber(_siblings(s, theme.id))
            s.flush()
            s.refresh(new)
            return _view(new)

    def delete(self, theme_id: int) -> None:
        """Delete a theme; its sub-themes move up to its parent, its codes stay as codes."""
        with self.store.command("theme.delete", id=theme_id,
                                **labels.lookup(self.store, themes={"theme_name": theme_id})) as s:
            theme = get(s, Theme, theme_id)
            parent_id = theme.parent_id
            siblings = _siblings(s, parent_id)
            index = next(i for i, x in enumerate(siblings) if x.id == theme.id)
            children = _siblings(s, theme.id)
            for child in children:
                self._check_name(s, child.name, parent_id, except_id=theme.id)
            for child in children:
                child.parent_id = parent_id
            s.flush()
            s.expire(theme)
            s.delete(theme)
            s.flush()
            order = [x for x in siblings if x.id != theme.id]
            order[index:index] = children
            _renumber(order)

    # -- codes under themes --------------------------------------------------------------

    def link_code(self, theme_id: int, code_id: int) -> None:
        """Place a code under a theme (a code may sit under several themes)."""
        with self.store.command("theme.link_code", theme=theme_id, code=code_id,
                                **labels.lookup(self.store, themes={"theme_name": theme_id}, codes={"code_name": code_id})) as s:
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
        with self.store.command("theme.unlink_code", theme=theme_id, code=code_id,
                                **labels.lookup(self.store, themes={"theme_name": theme_id}, codes={"code_name": code_id})) as s:
            link = s.scalars(
                select(CodeTheme).where(
                    CodeTheme.theme_id == theme_id, CodeTheme.code_id == code_id
                )
            ).first()
            if link is None:
                raise UserError("theme.error.not_linked")
            s.delete(link)
            s.flush()
            _renumber(_links(s, theme_id))

    def move_code(
        self, code_id: int, from_theme_id: int | None, to_theme_id: int | None,
        position: int | None = None,
    ) -> None:
        """Move a code from one theme to another (cut and paste). ``from_theme_id=None``
        places a code that is under no theme; ``to_theme_id=None`` takes it out of its
        theme."""
        with self.store.command(
            "theme.move_code", code=code_id, source=from_theme_id, target=to_theme_id,
            what="place" if from_theme_id is None else "out" if to_theme_id is None else None,
            **labels.lookup(self.store, themes={"source_name": from_theme_id, "target_name": to_theme_id},
                              codes={"code_name": code_id}),
        ) as s:
            code = get(s, Code, code_id)
            if from_theme_id == to_theme_id:
                raise UserError("themes.error.same_place", code=code.name)
            link: CodeTheme | None = None
            if from_theme_id is not None:
                get(s, Theme, from_theme_id)
                link = s.scalars(
                    select(CodeTheme).where(
                        CodeTheme.theme_id == from_theme_id, CodeTheme.code_id == code.id
                    )
                ).first()
                if link is None:
                    raise UserError("theme.error.not_linked")
            if to_theme_id is None:
                assert link is not None
                s.delete(link)
                s.flush()
                _renumber(_links(s, from_theme_id))  # type: ignore[arg-type]
                return
            target = get(s, Theme, to_theme_id)
            if any(x.code_id == code.id for x in _links(s, target.id)):
                raise UserError("theme.error.already_linked", code=code.name, theme=target.name)
            if link is None:
                link = CodeTheme(code_id=code.id, theme_id=target.id, position=0)
                s.add(link)
            else:
                link.theme_id = target.id
            s.flush()
            if from_theme_id is not None:
                _renumber(_links(s, from_theme_id))
            order = [x for x in _links(s, target.id) if x.id != link.id]
            index = len(order) if position is None else max(0, min(position, len(order)))
            order.insert(index, link)
            _renumber(order)

    def reorder_code(self, theme_id: int, code_id: int, delta: int) -> None:
        """Move a code ``delta`` places up or down among the codes of a theme."""
        with self.store.command("theme.reorder_code", theme=theme_id, code=code_id, delta=delta,
                                **labels.lookup(self.store, themes={"theme_name": theme_id}, codes={"code_name": code_id})) as s:
            theme = get(s, Theme, theme_id)
            links = _links(s, theme.id)
            index = next((i for i, x in enumerate(links) if x.code_id == code_id), None)
            if index is None:
                raise UserError("theme.error.not_linked")
            target = index + delta
            if delta == 0 or not 0 <= target < len(links):
                raise UserError("themes.error.at_edge", name=links[index].code.name)
            links.insert(target, links.pop(index))
            _renumber(links)

    def move_extract(self, coding_id: int, theme_id: int, code_id: int | None = None) -> CodingView:
        """Move an extract to another theme: recode it to ``code_id``, a code under that
        theme (or its sub-themes); without ``code_id`` the theme must have exactly one
        code. Returns the coding."""
        with self.store.read() as s:
            theme = get(s, Theme, theme_id)
            view = next(v for v, _depth in walk(theme_tree(s)) if v.id == theme.id)
            under = list(dict.fromkeys(c for v, _depth in view.walk() for c in v.code_ids))
            if code_id is None:
                if not under:
                    raise UserError("themes.error.no_code_in_theme", theme=theme.name)
                if len(under) > 1:
                    raise UserError("themes.error.choose_code", theme=theme.name)
                code_id = under[0]
            code = get(s, Code, code_id)
            if code.id not in under:
                raise UserError("themes.error.code_not_in_theme", code=code.name, theme=theme.name)
        with self.store.read() as s:
            names = labels.coding(s, coding_id) | {
                "new_code": labels.code_name(s, code_id), "theme_name": labels.theme_name(s, theme_id)}
        with self.store.command("coding.recode", id=coding_id, code=code_id, theme=theme_id,
                                **names) as s:
            coding = get(s, Coding, coding_id)
            coding.code_id = code_id
            return coding_view(coding)

    def to_misc(self, code_id: int, from_theme_id: int | None = None) -> ThemeView:
        """Put a code in the miscellaneous bin (created as «Diverse» if the map has none),
        taking it out of ``from_theme_id`` if given. Returns the bin."""
        with self.store.command("theme.to_misc", code=code_id, source=from_theme_id,
                                **labels.lookup(self.store, themes={"source_name": from_theme_id}, codes={"code_name": code_id})) as s:
            code = get(s, Code, code_id)
            bin_ = s.scalars(select(Theme).where(Theme.is_misc == True)).first()  # noqa: E712
            if bin_ is None:
                bin_ = Theme(
                    name=self._check_name(s, t("themes.misc_name"), None),
                    position=next_position(s, Theme.position, Theme.parent_id.is_(None)),
                    is_misc=True,
                )
                s.add(bin_)
                s.flush()
            if from_theme_id == bin_.id:
                raise UserError("themes.error.same_place", code=code.name)
            if from_theme_id is not None:
                link = s.scalars(
                    select(CodeTheme).where(
                        CodeTheme.theme_id == from_theme_id, CodeTheme.code_id == code.id
                    )
                ).first()
                if link is None:
                    raise UserError("theme.error.not_linked")
                s.delete(link)
                s.flush()
                _renumber(_links(s, from_theme_id))
            if not any(x.code_id == code.id for x in _links(s, bin_.id)):
                s.add(
                    CodeTheme(
                        code_id=code.id, theme_id=bin_.id,
                        position=next_position(s, CodeTheme.position, CodeTheme.theme_id == bin_.id),
                    )
                )
            s.flush()
            s.refresh(bin_)
            return _view(bin_)
