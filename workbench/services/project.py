"""The open project: :class:`Workbench` wires one store to every service, and holds what
belongs to the project as a whole (its info and title, undo, redo, the change log).

Open a project with :meth:`Workbench.open` (or create one with :meth:`Workbench.create`)
and reach the operations through its services::

    wb = Workbench.open("studie.wbp")
    code = wb.codes.create("håp om bedring")
    wb.codes.apply(transcript_id, 120, 180, code_id=code.id)
    wb.undo()

Every method returns plain values (frozen dataclasses), never database objects.
"""

from __future__ import annotations

import getpass
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import func, select

from workbench.domain.collation import sort_key
from workbench.domain.model import CommandInfo, ProjectInfo
from workbench.i18n import UserError, t
from workbench.storage import migrations
from workbench.storage.database import Store
from workbench.storage.undo import describe
from workbench.storage.models import (
    Code,
    Coding,
    Command,
    Participant,
    Project,
    ReviewComment,
    Theme,
    Transcript,
)

from workbench.storage.search_index import ensure_index, reindex_after_replay
from workbench.storage.watch import Watcher, open_watcher

from . import assignments
from .assignments import AssignmentService
from .codes import CodeService
from .extracts import ExtractService
from .journal import JournalService
from .members import MemberService
from .notes import NoteService
from .phases import PhaseService
from .privacy import PrivacyService, announce
from .review import ReviewService
from .themes import ThemeService
from .transcripts import TranscriptService


SEARCH_CODING = frozenset({"coding.autocode"})
"""Coding commands run from a search over many transcripts (their log rows name the code
and the query, not the transcripts)."""

ANALYSIS_KINDS: tuple[str, ...] = ("reflexive", "codebook", "reliability")
"""The kinds of thematic analysis a project can record (Braun & Clarke): reflexive (the
default; coder agreement is not a quality measure there), codebook, and coding
reliability."""


if TYPE_CHECKING:
    from .agreement import AgreementService
    from .checklist import ChecklistService
    from .codebooks import CodebookService
    from .exchange import ExchangeService
    from .exports import ExportService
    from .importing import ImportService
    from .merge import MergeService
    from .search import SearchService
    from .snapshots import SnapshotService
    from .tables import TableService
    from .theme_metrics import ThemeMetricsService

S = TypeVar("S")


class _OnFirstUse(Generic[S]):
    """A service whose module is imported when it is first used, not when a project opens:
    Word, REFI-QDA and codebook files pull in python-docx, lxml and YAML, and the services
    the first screen does not call (import, search, snapshots, tables, merge, agreement)
    would otherwise slow every start of the program."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self.attribute = ""
        self._lock = threading.Lock()  # the watcher thread may ask at the same moment

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, wb: Workbench | None, owner: type) -> S:
        if wb is None:
            return self  # type: ignore[return-value]
        import importlib

        with self._lock:
            service = wb.__dict__.get(self.attribute)
            if service is None:
                module = importlib.import_module(self.module, __package__)
                service = getattr(module, self.name)(wb.store)
                wb.__dict__[self.attribute] = service  # from now on a plain attribute
        return service  # type: ignore[no-any-return]


def default_actor() -> str:
    """Who is working: ``WORKBENCH_USER``, else the login name."""
    env = os.environ.get("WORKBENCH_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "researcher"


@dataclass(frozen=True)
class Change:
    """One entry of :meth:`Workbench.changes_since`: a command done (``info.state`` is
    ``done``), undone (``undone``) or whose undo was superseded (``abandoned``)."""

    applied: int
    own: bool
    """Made by this process (this store), not by another one."""
    step: str
    """``done``, ``undone`` or ``redone``: what happened at ``applied``."""
    info: CommandInfo


def _step_of(cmd: Any) -> str:
    if cmd.state == "done":
        return "redone" if cmd.changed_at is not None else "done"
    return "undone"


def command_summary(cmd: Command | CommandInfo) -> str:
    """A readable one-line description of a command for history and audit views."""
    return describe(cmd.name, cmd.args or {})


class Workbench:
    """One open project and its services."""

    metrics: _OnFirstUse[ThemeMetricsService] = _OnFirstUse(".theme_metrics", "ThemeMetricsService")
    checklist: _OnFirstUse[ChecklistService] = _OnFirstUse(".checklist", "ChecklistService")
    codebooks: _OnFirstUse[CodebookService] = _OnFirstUse(".codebooks", "CodebookService")
    exports: _OnFirstUse[ExportService] = _OnFirstUse(".exports", "ExportService")
    exchange: _OnFirstUse[ExchangeService] = _OnFirstUse(".exchange", "ExchangeService")
    snapshots: _OnFirstUse[SnapshotService] = _OnFirstUse(".snapshots", "SnapshotService")
    imports: _OnFirstUse[ImportService] = _OnFirstUse(".importing", "ImportService")
    search: _OnFirstUse[SearchService] = _OnFirstUse(".search", "SearchService")
    tables: _OnFirstUse[TableService] = _OnFirstUse(".tables", "TableService")
    merge: _OnFirstUse[MergeService] = _OnFirstUse(".merge", "MergeService")
    agreement: _OnFirstUse[AgreementService] = _OnFirstUse(".agreement", "AgreementService")

    def __init__(self, store: Store) -> None:
        self.store = store
        self.transcripts = TranscriptService(store)
        self.codes = CodeService(store)
        self.themes = ThemeService(store)
        self.phases = PhaseService(store)
        self.journal = JournalService(store)
        self.notes = NoteService(store)
        self.review = ReviewService(store)
        self.extracts = ExtractService(store)
        self.members = MemberService(store)
        self.assignments = AssignmentService(store)
        assignments.install(store)  # blind coders' reads leave the others' codings out
        self.privacy = PrivacyService(store)
        self.privacy.install_output_check()  # no real name of the key in any export
        store.replay_hooks.append(reindex_after_replay)

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def create(
        cls, target: str | Path, *, title: str | None = None, actor: str | None = None,
        language: str = "nb",
    ) -> Workbench:
        # the project row is the container, not an undoable act: made with the schema
        store = Store.create(target, actor=actor or default_actor(), title=title, language=language)
        return cls(store)

    @classmethod
    def open(
        cls, target: str | Path, *, actor: str | None = None, readonly: bool = False
    ) -> Workbench:
        store = Store.open(target, actor=actor or default_actor(), readonly=readonly)
        wb = cls(store)
        try:
            with store.read() as s:
                if s.scalars(select(Project)).first() is None:
                    raise UserError("project.error.not_project", path=store.label)
            ensure_index(store)  # e.g. a project upgraded from schema 1
            announce(wb.privacy.move_legacy_key())  # the name list of a project before schema 4
        except UserError:
            store.close()
            raise
        return wb

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    @property
    def editable(self) -> bool:
        """Whether codes, codings and themes may change (not read-only, not review mode)."""
        return not self.store.readonly and not self.store.review_mode

    # -- project -----------------------------------------------------------------------

    def info(self) -> ProjectInfo:
        with self.store.read() as s:
            project = s.scalars(select(Project)).one()
            groups = {g for (g,) in s.execute(select(Participant.group_name)) if g}
            summaries = TranscriptService.summaries_in(s)
            groups |= {x.group for x in summaries if x.group}

            def count(model: type) -> int:
                return int(s.scalar(select(func.count()).select_from(model)) or 0)

            open_comments = s.scalar(
                select(func.count()).where(
                    ReviewComment.status == "open", ReviewComment.parent_id.is_(None)
                )
            )
            return ProjectInfo(
                title=project.title,
                language=project.language,
                phase=project.phase,
                schema_version=migrations.SCHEMA_VERSION,
                transcripts=summaries,
                participants=count(Participant),
                groups=sorted(groups, key=sort_key),
                codes=count(Code),
                codings=count(Coding),
                themes=count(Theme),
                open_comments=int(open_comments or 0),
            )

    def set_title(self, title: str) -> None:
        title = title.strip()
        if not title:
            raise UserError("project.error.empty_title")
        with self.store.command("project.title", title=title) as s:
            s.scalars(select(Project)).one().title = title

    @property
    def analysis_kind(self) -> str:
        """The project's kind of thematic analysis: one of :data:`ANALYSIS_KINDS`."""
        with self.store.read() as s:
            return s.scalars(select(Project)).one().analysis_kind or ANALYSIS_KINDS[0]

    def set_analysis_kind(self, kind: str) -> str:
        """Record the project's kind of thematic analysis (the researcher's, undoable)."""
        if kind not in ANALYSIS_KINDS:
            raise UserError("team_views.error.kind", kind=kind, kinds=", ".join(ANALYSIS_KINDS))
        with self.store.command("project.kind", kind=kind, what=kind) as s:
            s.scalars(select(Project)).one().analysis_kind = kind
        return kind

    # -- undo, redo, history -----------------------------------------------------------

    def undo(self) -> CommandInfo | None:
        cmd = self.store.undo()
        return self._info(cmd) if cmd else None

    def redo(self) -> CommandInfo | None:
        cmd = self.store.redo()
        return self._info(cmd) if cmd else None

    def can_undo_redo(self) -> tuple[bool, bool]:
        done, undone = self.store.counts()
        return done > 0, undone > 0

    def history(self, limit: int | None = None) -> list[CommandInfo]:
        """The change log, newest first: the audit trail."""
        with self.store.read() as s:
            stmt = select(Command).order_by(Command.seq.desc())
            if limit:
                stmt = stmt.limit(limit)
            infos = [self._info(c) for c in s.scalars(stmt)]
        return self._blind_redacted(infos)

    def watcher(self) -> Watcher:
        """A watcher on this project with its own connection (:mod:`workbench.storage.watch`):
        ``wait(timeout)`` says whether anyone may have committed since; then ask
        :meth:`changes_since`. Close it when done."""
        return open_watcher(self.store)

    def change_clock(self) -> int:
        """The change log's ``applied`` clock now: the number of the latest command, undo
        or redo anyone committed (0 for a new project)."""
        with self.store.read() as s:
            return int(s.scalar(select(func.coalesce(func.max(Command.applied), 0))) or 0)

    def changes_since(self, clock: int, *, limit: int = 50) -> tuple[int, list[Change]]:
        """What was done, undone or redone after ``clock`` (see :meth:`change_clock`),
        oldest first, and the clock to ask from next time. Each change says whether this
        process made it (``own``), so a front end can name only other people's work.
        At most ``limit`` changes are returned; the clock still moves past them all."""
        own = self.store.own_applied
        columns = (Command.seq, Command.name, Command.args, Command.actor, Command.created,
                   Command.state, Command.changed_at, Command.applied)  # not the row changes
        with self.store.read() as s:
            rows = s.execute(
                select(*columns).where(Command.applied > clock)
                .order_by(Command.applied.desc()).limit(limit)
            ).all()
            latest = int(s.scalar(select(func.coalesce(func.max(Command.applied), 0))) or 0)
        infos = self._blind_redacted([self._info(row) for row in reversed(rows)])
        changes = [Change(row.applied, row.applied in own, _step_of(row), info)
                   for row, info in zip(reversed(rows), infos, strict=True)]
        return max(latest, clock), changes

    def _blind_redacted(self, infos: list[CommandInfo]) -> list[CommandInfo]:
        """The log as a blind coder may read it: another listed coder's coding commands
        on a transcript that is blind for the actor say only that they coded there (no
        text, no code), so the history and the live toasts do not give them away."""
        hidden = self.assignments.hidden()
        if not hidden:
            return infos
        with self.store.read() as s:
            names = dict(s.execute(select(Transcript.id, Transcript.name)
                                   .where(Transcript.id.in_(sorted(hidden)))).all())
        out = []
        for info in infos:
            doc = next((names.get(tid) for tid, coders in hidden.items()
                        if info.actor in coders and info.name.startswith("coding.")
                        and (info.args.get("transcript") == tid
                             or info.args.get("doc") == names.get(tid))), None)
            if doc is not None:
                info = CommandInfo(**{**info.__dict__, "args": {"doc": doc},
                                      "summary": t("team_views.hidden_change", doc=doc)})
            elif info.name in SEARCH_CODING and any(
                    info.actor in coders for coders in hidden.values()):
                # the log does not say which transcripts a search coded: never what or where
                info = CommandInfo(**{**info.__dict__, "args": {},
                                      "summary": t("team_views.hidden_search_coding")})
            out.append(info)
        return out

    @staticmethod
    def _info(cmd: Any) -> CommandInfo:
        """A log entry (a Command, or a row with its columns) as a plain value."""
        info = CommandInfo(
            seq=cmd.seq, name=cmd.name, args=dict(cmd.args or {}), actor=cmd.actor,
            created=cmd.created.isoformat(timespec="seconds"), state=cmd.state,
        )
        return CommandInfo(**{**info.__dict__, "summary": command_summary(info)})
