"""What changed in the theme map between two snapshots (supervisor review).

A snapshot's ``data`` is a plain dict (see :func:`workbench.services.snapshots.map_data`)::

    {"version": 2,
     "themes":  [{"guid", "name", "parent", "status", "definition", "position", "is_misc"}],
     "codes":   [{"guid", "name", "parent", "origin"}],
     "links":   [{"code", "theme"}],              # a code placed under a theme
     "codings": [{"guid", "code"}]}               # version 2 and later; used to see code merges

Everything is matched by GUID, so a renamed theme is *renamed*, not removed and added.
:func:`diff_snapshots` is a pure function: no database, no UI.

What is reported, for themes and for codes:

* **added** / **removed**: the GUID is only in the newer / only in the older map.
* **renamed**: same GUID, another name (compared after NFC and whitespace clean-up).
* **moved**: same GUID, another parent. A theme's parent is its parent theme (none for a
  main theme). In the theme map a *code's* parents are the themes it sits under (a code
  may sit under several), so a code is moved when that set of themes changes.
* **merged**: a theme that disappeared and whose codes now all sit under one theme that
  was in both maps and gained at least one of them (a theme without codes: whose
  sub-themes now all sit under one such theme). A code that disappeared and whose codings
  now all belong to one code that was in both maps (older snapshots without codings:
  whose sub-codes all sit under one such code). A merged item is not also *removed*, and
  the moves a merge explains (the codes and sub-themes that went along with it) are not
  listed again as *moved*.
* **changed**: same GUID, another status, definition, code origin or parent *code*
  (``field`` says which).

Results are sorted themes first, then codes, each in Norwegian order of name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .collation import sort_key
from .model import clean_name

THEME = "theme"
CODE = "code"


@dataclass(frozen=True)
class Added:
    entity: str
    guid: str
    name: str
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Removed:
    entity: str
    guid: str
    name: str
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Renamed:
    entity: str
    guid: str
    old: str
    new: str


@dataclass(frozen=True)
class Moved:
    entity: str
    guid: str
    name: str
    old_parents: tuple[str, ...]
    new_parents: tuple[str, ...]


@dataclass(frozen=True)
class Merged:
    entity: str
    guid: str
    name: str
    into_guid: str
    into_name: str


@dataclass(frozen=True)
class Changed:
    entity: str
    guid: str
    name: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class SnapshotDiff:
    added: tuple[Added, ...] = ()
    removed: tuple[Removed, ...] = ()
    renamed: tuple[Renamed, ...] = ()
    moved: tuple[Moved, ...] = ()
    merged: tuple[Merged, ...] = ()
    changed: tuple[Changed, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.renamed or self.moved or self.merged
            or self.changed
        )

    def of(self, entity: str) -> SnapshotDiff:
        """Only the changes to themes (``"theme"``) or to codes (``"code"``)."""
        return SnapshotDiff(
            *(tuple(x for x in getattr(self, f) if x.entity == entity) for f in _FIELDS)
        )

    def for_guid(self, guid: str) -> list[object]:
        """Every change that concerns one theme or code."""
        return [
            x for f in _FIELDS for x in getattr(self, f)
            if x.guid == guid or getattr(x, "into_guid", None) == guid
        ]

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {f: [asdict(x) for x in getattr(self, f)] for f in _FIELDS}


_FIELDS = ("added", "removed", "renamed", "moved", "merged", "changed")


# -- reading the data dicts ---------------------------------------------------------------


@dataclass
class _Map:
    themes: dict[str, Mapping[str, Any]]
    codes: dict[str, Mapping[str, Any]]
    theme_codes: dict[str, set[str]]  # theme guid -> code guids under it
    code_themes: dict[str, set[str]]  # code guid -> theme guids it sits under
    coding_code: dict[str, str]  # coding guid -> code guid
    has_codings: bool

    def theme_name(self, guid: str | None) -> str:
        return _name(self.themes[guid]) if guid in self.themes else ""

    def theme_children(self, guid: str) -> set[str]:
        return {g for g, th in self.themes.items() if th.get("parent") == guid}

    def code_children(self, guid: str) -> set[str]:
        return {g for g, c in self.codes.items() if c.get("parent") == guid}


def _read(data: Mapping[str, Any] | None) -> _Map:
    data = data or {}
    themes = {str(th["guid"]): th for th in data.get("themes", ())}
    codes = {str(c["guid"]): c for c in data.get("codes", ())}
    theme_codes: dict[str, set[str]] = {g: set() for g in themes}
    code_themes: dict[str, set[str]] = {g: set() for g in codes}
    for link in data.get("links", ()):
        code, theme = str(link["code"]), str(link["theme"])
        theme_codes.setdefault(theme, set()).add(code)
        code_themes.setdefault(code, set()).add(theme)
    coding_code = {str(c["guid"]): str(c["code"]) for c in data.get("codings", ())}
    return _Map(themes, codes, theme_codes, code_themes, coding_code, "codings" in data)


def _name(item: Mapping[str, Any]) -> str:
    return clean_name(str(item.get("name", "")))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _names(guids: Iterable[str], lookup: dict[str, Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(sorted((_name(lookup[g]) for g in guids if g in lookup), key=sort_key))


# -- merges -------------------------------------------------------------------------------


def _theme_merges(a: _Map, b: _Map) -> dict[str, str]:
    """Themes gone from ``b`` -> the surviving theme they were merged into."""
    out: dict[str, str] = {}
    surviving = set(a.themes) & set(b.themes)
    for guid in set(a.themes) - set(b.themes):
        codes = {c for c in a.theme_codes.get(guid, set()) if c in b.codes}
        if codes:
            candidates = {
                s for s in surviving if codes <= b.theme_codes.get(s, set())
                and not codes <= a.theme_codes.get(s, set())  # gained some of them
            }
        else:
            children = {k for k in a.theme_children(guid) if k in b.themes}
            parents = {b.themes[k].get("parent") for k in children}
            candidates = {p for p in parents if p in surviving} if len(parents) == 1 else set()
        if len(candidates) == 1:
            out[guid] = candidates.pop()
    return out


def _code_merges(a: _Map, b: _Map) -> dict[str, str]:
    """Codes gone from ``b`` -> the surviving code they were merged into."""
    out: dict[str, str] = {}
    surviving = set(a.codes) & set(b.codes)
    for guid in set(a.codes) - set(b.codes):
        targets: set[str] = set()
        if a.has_codings and b.has_codings:
            codings = [g for g, code in a.coding_code.items() if code == guid]
            targets = {b.coding_code[g] for g in codings if g in b.coding_code}
        if not targets:
            children = {k for k in a.code_children(guid) if k in b.codes}
            targets = {b.codes[k].get("parent") for k in children}  # type: ignore[misc]
        if len(targets) == 1:
            (target,) = targets
            if target in surviving:
                out[guid] = target
    return out


# -- the diff -----------------------------------------------------------------------------


def diff_snapshots(
    a: Mapping[str, Any] | None, b: Mapping[str, Any] | None
) -> SnapshotDiff:
    """What changed from snapshot data ``a`` (older) to ``b`` (newer, or the current map)."""
    old, new = _read(a), _read(b)
    theme_merges = _theme_merges(old, new)
    code_merges = _code_merges(old, new)

    added: list[Added] = []
    removed: list[Removed] = []
    renamed: list[Renamed] = []
    moved: list[Moved] = []
    merged: list[Merged] = []
    changed: list[Changed] = []

    # themes
    for guid, th in new.themes.items():
        if guid not in old.themes:
            parent = th.get("parent")
            added.append(Added(THEME, guid, _name(th), _names([parent] if parent else [], new.themes)))
    for guid, th in old.themes.items():
        if guid in new.themes:
            continue
        if guid in theme_merges:
            into = theme_merges[guid]
            merged.append(Merged(THEME, guid, _name(th), into, new.theme_name(into)))
        else:
            parent = th.get("parent")
            removed.append(Removed(THEME, guid, _name(th), _names([parent] if parent else [], old.themes)))
    for guid in old.themes.keys() & new.themes.keys():
        before, after = old.themes[guid], new.themes[guid]
        name = _name(after)
        if _name(before) != name:
            renamed.append(Renamed(THEME, guid, _name(before), name))
        p_old, p_new = before.get("parent"), after.get("parent")
        if p_old != p_new and not (p_old in theme_merges and theme_merges[p_old] == p_new):
            moved.append(
                Moved(
                    THEME, guid, name, _names([p_old] if p_old else [], old.themes),
                    _names([p_new] if p_new else [], new.themes),
                )
            )
        for key in ("status", "definition"):
            if _text(before.get(key)) != _text(after.get(key)):
                changed.append(
                    Changed(THEME, guid, name, key, _text(before.get(key)), _text(after.get(key)))
                )

    # codes
    for guid, code in new.codes.items():
        if guid not in old.codes:
            added.append(Added(CODE, guid, _name(code), _names(new.code_themes.get(guid, ()), new.themes)))
    for guid, code in old.codes.items():
        if guid in new.codes:
            continue
        if guid in code_merges:
            into = code_merges[guid]
            merged.append(Merged(CODE, guid, _name(code), into, _name(new.codes[into])))
        else:
            removed.append(
                Removed(CODE, guid, _name(code), _names(old.code_themes.get(guid, ()), old.themes))
            )
    for guid in old.codes.keys() & new.codes.keys():
        before, after = old.codes[guid], new.codes[guid]
        name = _name(after)
        if _name(before) != name:
            renamed.append(Renamed(CODE, guid, _name(before), name))
        t_old = old.code_themes.get(guid, set())
        t_new = new.code_themes.get(guid, set())
        explained = {theme_merges.get(x, x) for x in t_old}
        if t_old != t_new and explained != t_new:
            moved.append(
                Moved(CODE, guid, name, _names(t_old, old.themes), _names(t_new, new.themes))
            )
        p_old, p_new = before.get("parent"), after.get("parent")
        if p_old != p_new and code_merges.get(p_old or "") != p_new:
            changed.append(
                Changed(
                    CODE, guid, name, "parent_code",
                    _name(old.codes[p_old]) if p_old in old.codes else "",
                    _name(new.codes[p_new]) if p_new in new.codes else "",
                )
            )
        if _text(before.get("origin")) != _text(after.get("origin")) and before.get("origin") and after.get("origin"):
            changed.append(
                Changed(CODE, guid, name, "origin", _text(before.get("origin")), _text(after.get("origin")))
            )

    def order(item: Any) -> tuple:
        label = getattr(item, "name", None) or getattr(item, "new", "")
        return (0 if item.entity == THEME else 1, sort_key(label), getattr(item, "field", ""), item.guid)

    return SnapshotDiff(
        tuple(sorted(added, key=order)), tuple(sorted(removed, key=order)),
        tuple(sorted(renamed, key=order)), tuple(sorted(moved, key=order)),
        tuple(sorted(merged, key=order)), tuple(sorted(changed, key=order)),
    )


__all__ = [
    "Added", "Changed", "Merged", "Moved", "Removed", "Renamed", "SnapshotDiff",
    "diff_snapshots",
]
