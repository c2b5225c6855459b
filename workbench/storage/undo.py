"""Per-person undo and redo: which command is next, and whether replaying it is safe.

Each person has their own stack in the shared change log (the ``command`` table):
``undo`` takes the actor's latest *done* command, ``redo`` the actor's most recently
*undone* one. Other people's commands stay where they are, so undoing my command replays
its changes underneath theirs. That is only safe when no later change stands on what it
would take back; :func:`check_replay` refuses otherwise, naming who did what.

"Later" is the ``applied`` clock of the log: every time a command is done, undone or
redone it gets the next number, under the write lock. For a replay of command X the
candidates are the commands whose ``applied`` is above X's.

Two checks, both before anything is written:

1. **Log check** (a later *done* command by someone else depends on X; the actor's own
   commands keep their stack order): it touched one of the rows X
   touched (same table and key), or the values it wrote reference, through a foreign key,
   a row the replay of X would delete.
2. **State check** (the rows as they are now): rows the replay updates or deletes must
   exist; keys it inserts must be free; every foreign key it writes must point to a row
   that exists (or that the replay inserts); every unique value it writes must be free.
   A failure is pinned on the latest candidate (done, or undone: "X undid Y") that
   touched the row in question, or reported as "later changes depend on this".

Should the replay still fail on a constraint, the store rolls everything back and says
that later changes depend on the command; a replay never happens halfway.

Abandoning redo: my new command abandons all my undone commands. Another person's new
command abandons an undone command of mine only when it conflicts with redoing it
(:func:`conflicts_with_redo`), and with it everything above it on my redo stack (those
would be redone after it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, select, tuple_, update
from sqlalchemy.orm import Session

from workbench.domain.errors import UserError

from .changelog import DELETE, INSERT, UPDATE
from .models import Base, Command, utcnow

Key = tuple[str, int]
Change = dict[str, Any]
CHUNK = 500


# -- what a change list does -------------------------------------------------------------


def touched(changes: Iterable[Change]) -> set[Key]:
    return {(c["t"], int(c["id"])) for c in changes}


def removed_by(changes: Iterable[Change], *, backwards: bool) -> set[Key]:
    """Rows a replay deletes: inserted rows on undo, deleted rows on redo."""
    gone = INSERT if backwards else DELETE
    return {(c["t"], int(c["id"])) for c in changes if c["op"] == gone}


def written_by(changes: Iterable[Change], *, backwards: bool) -> list[tuple[str, int, dict, bool]]:
    """``(table, key, values, is_insert)`` for every row a replay inserts or updates."""
    out: list[tuple[str, int, dict, bool]] = []
    for c in changes:
        op = c["op"]
        if op == UPDATE:
            out.append((c["t"], int(c["id"]), c["old"] if backwards else c["new"], False))
        elif op == (DELETE if backwards else INSERT):
            out.append((c["t"], int(c["id"]), c["old"] if backwards else c["new"], True))
    return out


def references(table: str, values: dict[str, Any]) -> set[Key]:
    """Rows that ``values`` of a row in ``table`` point to through foreign keys."""
    out: set[Key] = set()
    for fk in Base.metadata.tables[table].foreign_keys:
        value = values.get(fk.parent.key)
        if value is not None:
            out.add((fk.column.table.name, int(value)))
    return out


def references_written(changes: Iterable[Change], *, backwards: bool) -> set[Key]:
    out: set[Key] = set()
    for table, _pk, values, _ins in written_by(changes, backwards=backwards):
        out |= references(table, values)
    return out


def depends_on(later: Sequence[Change], changes: Sequence[Change], *, backwards: bool) -> bool:
    """Whether a later (done) command stands on what replaying ``changes`` would alter."""
    if touched(later) & touched(changes):
        return True
    return bool(references_written(later, backwards=False) & removed_by(changes, backwards=backwards))


def conflicts_with_redo(new: Sequence[Change], undone: Sequence[Change]) -> bool:
    """Whether a new command makes an undone command impossible to redo cleanly."""
    if touched(new) & touched(undone):
        return True
    if references_written(new, backwards=False) & removed_by(undone, backwards=False):
        return True  # the new rows point to rows that redo would delete again
    return bool(references_written(undone, backwards=False) & removed_by(new, backwards=False))


# -- the state check -----------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _present(session: Session, table: str, ids: Iterable[int]) -> set[int]:
    t = Base.metadata.tables[table]
    found: set[int] = set()
    wanted = sorted(set(ids))
    for part in _chunks(wanted):
        found |= set(session.execute(select(t.c.id).where(t.c.id.in_(part))).scalars())
    return found


def _group(keys: Iterable[Key]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for table, pk in keys:
        out.setdefault(table, set()).add(pk)
    return out


def _unique_sets(table: Table) -> list[tuple[str, ...]]:
    sets: list[tuple[str, ...]] = []
    for constraint in table.constraints:
        cols = tuple(c.key for c in getattr(constraint, "columns", ()))
        if constraint.__class__.__name__ == "UniqueConstraint" and cols:
            sets.append(cols)
    for column in table.columns:
        if column.unique and (column.key,) not in sets:
            sets.append((column.key,))
    return sets


def state_problems(session: Session, changes: Sequence[Change], *, backwards: bool) -> set[Key]:
    """Rows, as they are now, that stand in the way of replaying ``changes``."""
    from .changelog import _from_json

    written = written_by(changes, backwards=backwards)
    removed = removed_by(changes, backwards=backwards)
    inserted = {(t, pk) for t, pk, _v, ins in written if ins}
    updated = {(t, pk) for t, pk, _v, ins in written if not ins}
    mine = touched(changes)
    problems: set[Key] = set()

    for table, ids in _group(removed | updated).items():
        problems |= {(table, pk) for pk in ids - _present(session, table, ids)}
    for table, ids in _group(inserted).items():
        problems |= {(table, pk) for pk in _present(session, table, ids)}

    targets: set[Key] = set()
    for table, _pk, values, _ins in written:
        targets |= references(table, values)
    targets -= inserted
    problems |= targets & removed
    for table, ids in _group(targets - removed).items():
        problems |= {(table, pk) for pk in ids - _present(session, table, ids)}

    # Unique values: the whole row after the replay, against rows this command leaves alone.
    by_table: dict[str, dict[int, dict[str, Any]]] = {}
    for table, pk, values, ins in written:
        by_table.setdefault(table, {})
        if ins:
            by_table[table][pk] = dict(values)
        else:
            by_table[table].setdefault(pk, {}).update(values)
    for table_name, rows in by_table.items():
        table = Base.metadata.tables[table_name]
        sets = _unique_sets(table)
        if not sets:
            continue
        partial = [pk for pk in rows if (table_name, pk) in updated]
        for part in _chunks(sorted(partial)):
            for row in session.execute(select(table).where(table.c.id.in_(part))).mappings():
                rows[row["id"]] = {**dict(row), **rows[row["id"]]}
        for cols in sets:
            wanted: dict[tuple, int] = {}
            for pk, values in rows.items():
                if all(c in values for c in cols):
                    native = _from_json(table, {c: values[c] for c in cols})
                    value = tuple(native[c] for c in cols)
                    if None not in value:
                        wanted[value] = pk
            keys = list(wanted)
            for part in _chunks(keys):
                if len(cols) == 1:
                    cond = table.c[cols[0]].in_([v[0] for v in part])
                    stmt = select(table.c.id, table.c[cols[0]]).where(cond)
                else:
                    cond = tuple_(*(table.c[c] for c in cols)).in_(list(part))
                    stmt = select(table.c.id, *(table.c[c] for c in cols)).where(cond)
                for found in session.execute(stmt):
                    other = (table_name, int(found[0]))
                    if other not in mine and wanted.get(tuple(found[1:])) != found[0]:
                        problems.add(other)
    return problems


# -- deciding --------------------------------------------------------------------------


_DECIMAL = re.compile(r"-?\d+\.\d+").fullmatch


class _Summary:
    """A command's one-line description, translated when the message is shown."""

    def __init__(self, name: str, args: dict[str, Any], actor: str = "", *, undid: bool = False) -> None:
        self.name, self.args, self.actor, self.undid = name, dict(args or {}), actor, undid

    def text(self) -> str:
        return describe(self.name, self.args)

    def __str__(self) -> str:
        return self.text()


def describe(name: str, raw: dict[str, Any] | None, lang: str | None = None) -> str:
    """A logged command in the reader's language: ``command.<name>.<what>`` (a variant the
    command chose), else ``command.<name>``, else ``command_old.<name>`` (for entries logged
    before the names were recorded), taking the first whose fields all have a value."""
    from string import Formatter

    from workbench.i18n import DEFAULT_LANGUAGE, catalogue, format_template, get_language, t

    args = {k: ("" if v is None else v) for k, v in (raw or {}).items()}
    if name == "coding.autocode" and "unit" not in args:  # logged before the unit had its own arg
        query, _, unit = str(args.get("query", "")).rpartition(" (")
        if query and unit.rstrip(")") in ("hit", "sentence", "turn"):
            args["query"], args["unit"] = query, unit.rstrip(")")
    for field, prefix in (("status", "themes.status"), ("role", "role"), ("unit", "command_unit")):
        value = args.get(field)
        if isinstance(value, str) and value:
            known = f"{prefix}.{value}" in catalogue(DEFAULT_LANGUAGE)
            args[field] = t(f"{prefix}.{value}", lang=lang) if known else value
    alpha = args.get("alpha")  # logged as "0.82" (language-neutral): the reader's decimal sign
    if isinstance(alpha, str) and (lang or get_language()) == "nb" and _DECIMAL(alpha):
        args["alpha"] = alpha.replace(".", ",")
    for field in ("phase", "previous"):
        if isinstance(args.get(field), int):
            args[f"{field}_name"] = t(f"phase.{args[field]}", lang=lang)
    if isinstance(args.get("n"), int):
        one = "one" if args["n"] == 1 else "other"
        args["n_extracts"] = t(f"command_count.extracts_{one}", lang=lang, n=args["n"])
    if "doc" in args:
        args["where"] = ", ".join(str(x) for x in (args.get("speaker"), args["doc"]) if x)
    keys = [f"command.{name}", f"command_old.{name}"]
    if args.get("what"):
        keys.insert(0, f"command.{name}.{args['what']}")
    for key in keys:
        template = catalogue(lang or get_language()).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
        if template is None:
            continue
        fields = {f for _, f, _, _ in Formatter().parse(template) if f}
        if all(args.get(f) not in (None, "") for f in fields):
            return format_template(template, **args)
    return t(f"command.{name}", lang=lang, **args)


class _Others:
    """"kari: Opprettet koden «x»; per angret: …", translated when shown."""

    LIMIT = 3

    def __init__(self, cmds: list[tuple[Command, bool]]) -> None:
        self.items = [_Summary(c.name, c.args, c.actor, undid=u) for c, u in cmds]

    def __str__(self) -> str:
        from workbench.i18n import t

        parts = [
            t("storage.conflict.undid" if s.undid else "storage.conflict.did",
              actor=s.actor, what=s.text())
            for s in self.items[: self.LIMIT]
        ]
        if len(self.items) > self.LIMIT:
            parts.append(t("storage.conflict.more", n=len(self.items) - self.LIMIT))
        return "; ".join(parts)


def summary(cmd: Command) -> _Summary:
    """``t(f"command.{name}", **args)`` of a logged command, translated when shown."""
    return _Summary(cmd.name, cmd.args or {}, cmd.actor)


def command_text(name: str, args: dict[str, Any]) -> _Summary:
    return _Summary(name, args)


def check_replay(session: Session, cmd: Command, *, backwards: bool) -> None:
    """Raise a :class:`UserError` naming who did what when ``cmd`` cannot be replayed."""
    key = "storage.undo.conflict" if backwards else "storage.redo.conflict"
    later = (Command.applied > cmd.applied, Command.seq != cmd.seq)
    changes = cmd.changes or []
    # The actor's own commands keep their stack order (redo replays them in turn), so
    # only other people's later commands can stand on this one.
    others_done = session.execute(
        select(Command).where(*later, Command.state == "done", Command.actor != cmd.actor)
        .order_by(Command.applied)
    ).scalars()
    blocking = [
        (c, False) for c in others_done
        if depends_on(c.changes or [], changes, backwards=backwards)
    ]
    if blocking:
        raise UserError(key, what=summary(cmd), others=_Others(blocking))
    problems = state_problems(session, changes, backwards=backwards)
    if not problems:
        return
    candidates = session.execute(
        select(Command).where(*later, Command.state.in_(("done", "undone")))
        .order_by(Command.applied.desc())
    ).scalars()
    who = [(c, c.state == "undone") for c in candidates if touched(c.changes or []) & problems]
    if who:
        raise UserError(key, what=summary(cmd), others=_Others(who))
    raise UserError("storage.undo.depends" if backwards else "storage.redo.depends",
                    what=summary(cmd))


_LOG: Table = Command.__table__  # type: ignore[assignment]
_UNDONE = select(_LOG.c.seq, _LOG.c.actor).where(_LOG.c.state == "undone").order_by(_LOG.c.seq)
"""Built once: every command runs it (Core on the connection, no ORM work per call)."""


def abandon_after(session: Session, actor: str, changes: Sequence[Change]) -> None:
    """A new command by ``actor``: abandon their redo stack, and other people's undone
    commands where the new changes conflict with redoing them."""
    undone = session.connection().execute(_UNDONE).all()
    if not undone:
        return
    now = utcnow()
    lowest: dict[str, int] = {}
    for seq, other in undone:
        if other == actor and actor not in lowest:
            lowest[actor] = seq  # my new command: my whole redo stack goes
    for seq, other in undone:
        if other in lowest:
            continue  # its stack is cut below this one already
        redo = session.scalar(select(Command.changes).where(Command.seq == seq))
        if conflicts_with_redo(changes, redo or []):
            lowest[other] = seq
    for other, seq in lowest.items():
        session.execute(
            update(Command)
            .where(Command.state == "undone", Command.actor == other, Command.seq >= seq)
            .values(state="abandoned", changed_at=now)
        )


__all__ = [
    "abandon_after", "check_replay", "command_text", "describe", "conflicts_with_redo", "depends_on", "references",
    "removed_by", "state_problems", "summary", "touched", "written_by",
]
