"""What each kind of command may write, and which roles may run it.

Every recorded unit of work is opened with a command name (``store.command("code.create",
...)``). This module is the one registry of those names:

* :data:`COMMANDS` maps each name to the tables its unit of work may write. The store
  refuses (and rolls back) a unit of work that writes any other table, whoever runs it
  (see :mod:`workbench.storage.guard`). A name that is not here is refused too, so a new
  service method has to declare what it touches before it can change anything.
* :data:`ROLE_COMMANDS` says which command names each member role may run:

  - ``researcher``: everything, including managing members;
  - ``co-coder``: all analysis work (transcripts, codes, codings, themes, notes,
    journal, comments, snapshots, imports), but not the project's own settings: members,
    the analysis phase and the project title stay with the researcher, who leads;
  - ``supervisor``: comment, reply, resolve comments and freeze snapshots, nothing else.

  A project without members has no roles: everyone may run everything (as before schema 3).

Undo and redo replay a logged command under the same rules: the command's own
declaration (plus the derived search tables, rebuilt after a replay) and the role's
right to run that kind of command now.
"""

from __future__ import annotations

from collections.abc import Iterable

RESEARCHER, CO_CODER, SUPERVISOR = "researcher", "co-coder", "supervisor"
ROLES: tuple[str, ...] = (RESEARCHER, CO_CODER, SUPERVISOR)

DERIVED_TABLES: frozenset[str] = frozenset({"posting", "posting_term", "text_index"})
"""The search index: derived from transcript text, not recorded, rebuilt on replay."""

INTERNAL_TABLES: frozenset[str] = frozenset({"command", "workbench_meta"})
"""Written only by the store itself (the log, key allocation), never by a service."""


def _t(*names: str) -> frozenset[str]:
    return frozenset(names)


_INDEX = tuple(DERIVED_TABLES)

COMMANDS: dict[str, frozenset[str]] = {
    # the project itself
    "project.title": _t("project"),
    "phase.set": _t("project", "phase_change"),
    "member.add": _t("member"),
    "member.role": _t("member"),
    "member.remove": _t("member"),
    "project.kind": _t("project"),
    # who codes a transcript, and blind double coding (services/assignments.py)
    "assignment.set": _t("assignment"),
    "assignment.unblind": _t("assignment"),
    "assignment.remove": _t("assignment"),
    # transcripts and speakers (the index of a new transcript is written with it; a
    # deleted transcript's index rows go with it through ON DELETE CASCADE)
    "transcript.import": _t("transcript", "turn", "participant", *_INDEX),
    "transcript.rename": _t("transcript"),
    "transcript.group": _t("transcript"),
    "transcript.delete": _t("transcript", "turn", "coding", "note", "assignment"),
    "participant.update": _t("participant"),
    "participant.merge": _t("participant", "turn"),
    # codes
    "code.create": _t("code"),
    "code.rename": _t("code"),
    "code.update": _t("code"),
    "code.move": _t("code"),
    "code.delete": _t("code", "coding", "code_theme", "note"),
    "code.merge": _t("code", "coding", "code_theme", "note"),
    "codebook.import": _t("code", "theme", "code_theme"),
    # codings (coding with a new name creates the code in the same command)
    "coding.add": _t("coding", "code"),
    "coding.autocode": _t("coding", "code"),
    "coding.remove": _t("coding", "note"),
    "coding.memo": _t("coding"),
    "coding.quote": _t("coding"),
    "coding.recode": _t("coding"),
    # themes
    "theme.create": _t("theme", "code_theme"),
    "theme.rename": _t("theme"),
    "theme.update": _t("theme"),
    "theme.misc": _t("theme"),
    "theme.move": _t("theme"),
    "theme.indent": _t("theme"),
    "theme.outdent": _t("theme"),
    "theme.promote": _t("theme"),
    "theme.demote": _t("theme"),
    "theme.reorder": _t("theme"),
    "theme.merge": _t("theme", "code_theme", "note"),
    "theme.split": _t("theme", "code_theme"),
    "theme.delete": _t("theme", "code_theme", "note"),
    "theme.link_code": _t("code_theme"),
    "theme.unlink_code": _t("code_theme"),
    "theme.move_code": _t("code_theme"),
    "theme.reorder_code": _t("code_theme"),
    "theme.to_misc": _t("theme", "code_theme"),
    # journal and notes
    "journal.add": _t("journal_entry"),
    "journal.edit": _t("journal_entry"),
    "journal.delete": _t("journal_entry"),
    "note.add": _t("note"),
    "note.edit": _t("note"),
    "note.delete": _t("note"),
    # supervision
    "comment.add": _t("review_comment"),
    "comment.reply": _t("review_comment"),
    "comment.resolve": _t("review_comment"),
    "snapshot.create": _t("snapshot"),
    # privacy: not recorded (undo must not bring the data back), run by the researcher;
    # they write outside the change log and rewrite it (see services/privacy.py)
    "participant.withdraw": _t(
        "transcript", "turn", "participant", "coding", "note", "review_comment", "snapshot",
        "withdrawal", *_INDEX,
    ),
    "project.purge": _t(
        "transcript", "turn", "participant", "coding", "note", "review_comment", "snapshot",
        "code", "code_theme", "theme", "journal_entry", *_INDEX,
        "assignment",
    ),
    # REFI-QDA exchange
    "exchange.import_qdpx": _t(
        "transcript", "turn", "participant", "code", "coding", "theme", "code_theme",
        "note", "journal_entry", "project", "phase_change", "snapshot", "review_comment",
        *_INDEX,
    ),
    "exchange.import_qdc": _t("code", "theme", "code_theme"),
    # inter-coder agreement (services/agreement.py): a computation is kept for the audit
    # appendix; a consensus decision writes codings by the coder "consensus" and keeps the
    # decision as an agreement_run row (researcher and co-coder, like all analysis work)
    "agreement.compute": _t("agreement_run"),
    "consensus.settle": _t("coding", "agreement_run"),
    "consensus.agreed": _t("coding"),
    # a colleague's codings (.wbp or .qdpx) on our transcripts (services/merge.py)
    "merge.colleague": _t("coding", "code", "note"),
    # the benchmark's bulk set-up of a synthetic study (benchmarks/__main__.py)
    "benchmark.populate": _t("code", "coding", "theme", "code_theme"),
}

FINAL_COMMANDS: frozenset[str] = _t("participant.withdraw", "project.purge")
"""Logged (done, for the audit trail) but never undone or redone: their log rows hold no
changes, only what was deleted and how much."""

SUPERVISOR_COMMANDS: frozenset[str] = _t(
    "comment.add", "comment.reply", "comment.resolve", "snapshot.create"
)
RESEARCHER_ONLY: frozenset[str] = _t(
    "member.add", "member.role", "member.remove", "phase.set", "project.title",
    "participant.withdraw", "project.purge",
    "project.kind", "assignment.set", "assignment.unblind", "assignment.remove",
    "merge.colleague",
)

ROLE_COMMANDS: dict[str, frozenset[str]] = {
    RESEARCHER: frozenset(COMMANDS),
    CO_CODER: frozenset(COMMANDS) - RESEARCHER_ONLY,
    SUPERVISOR: SUPERVISOR_COMMANDS,
}


def is_declared(name: str) -> bool:
    return name in COMMANDS


def declared_tables(name: str) -> frozenset[str]:
    """The tables a command may write; ``KeyError`` for an undeclared name."""
    return COMMANDS[name]


def may_run(role: str | None, name: str) -> bool:
    """Whether a member with ``role`` may run (or undo, or redo) command ``name``.

    ``None`` is a project without members: everything is allowed.
    """
    if role is None:
        return name in COMMANDS
    return name in ROLE_COMMANDS.get(role, frozenset())


def writing_commands(tables: Iterable[str]) -> list[str]:
    """Command names that may write any of ``tables`` (for docs and tests)."""
    wanted = set(tables)
    return sorted(name for name, written in COMMANDS.items() if written & wanted)


__all__ = [
    "CO_CODER", "COMMANDS", "DERIVED_TABLES", "FINAL_COMMANDS", "INTERNAL_TABLES", "RESEARCHER", "ROLES",
    "ROLE_COMMANDS", "SUPERVISOR", "SUPERVISOR_COMMANDS", "declared_tables", "is_declared",
    "may_run", "writing_commands",
]
