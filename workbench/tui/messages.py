"""Every typed message of the terminal UI.

Two kinds live here:

- :class:`DataChanged`, the one refresh path: the app posts it to every screen on the stack
  after each command, undo and redo done from this process, and when the project watcher
  sees another process's commit (source ``"external"``). Screens re-read what they show when it arrives
  (:class:`workbench.tui.screens.base.ProjectScreen`).
- The results of thread workers. A worker never touches a widget; it posts one of these to
  the screen that started it, and the screen's handler updates the widgets on the UI thread.

Worker results do not bubble: the screen that started the worker is the one that handles
them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from pathlib import Path

    from textual.screen import Screen

    from workbench.services.codes import CodeView, CodingView
    from workbench.services.project import Change
    from workbench.services.exports import ExportPreview, ExportResult
    from workbench.services.extracts import ExtractView
    from workbench.services.importing import ImportPlan, ImportResult
    from workbench.services.search import Hit, SearchFilter
    from workbench.services.tables import Table
    from workbench.services.transcripts import TranscriptView

    from .screens.coding.layout import DisplayDoc


# -- the refresh path ----------------------------------------------------------------------


class DataChanged(Message, bubble=False):
    """The project changed: re-read what you show.

    ``source`` says how: ``"command"`` (a change made from a screen of this app),
    ``"undo"``, ``"redo"``, or ``"external"`` (another process committed; the app's project
    watcher posts it, or the app after an action found its target gone). ``command`` is the change-log name when known (``"coding.add"``)
    and ``actor`` who made it. ``origin`` is the screen that made the change and already
    shows it, or ``None``.
    """

    def __init__(
        self, source: str, command: str | None = None, actor: str | None = None, *,
        origin: Screen[Any] | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.command = command
        self.actor = actor
        self.origin = origin


# -- worker results: the app ---------------------------------------------------------------


class PipelineReady(Message, bubble=False):
    """The Norwegian text pipeline has loaded its data (the app's warm-up worker)."""


class ExternalChanges(Message, bubble=False):
    """The project watcher saw commits: ``changes`` (``workbench.services.project.Change``,
    oldest first; this process's own ones are marked ``own``)."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self.changes = changes


# -- worker results: the coding screen -----------------------------------------------------


class TranscriptLoaded(Message, bubble=False):
    """A transcript, its codings and the codebook, laid out for reading.

    ``reload``: a re-read after a change (keep the selection) rather than a first show.
    ``generation`` is the screen's load counter when the worker started.
    """

    def __init__(
        self, transcript: TranscriptView, codings: list[CodingView], codes: list[CodeView],
        doc: DisplayDoc, select: tuple[int, int] | None, *, reload: bool, generation: int,
    ) -> None:
        super().__init__()
        self.transcript = transcript
        self.codings = codings
        self.codes = codes
        self.doc = doc
        self.select = select
        self.reload = reload
        self.generation = generation


class TranscriptLoadFailed(Message, bubble=False):
    """The transcript could not be read (for a reload: it is gone, e.g. an undone import)."""

    def __init__(self, transcript_id: int, error: str, *, reload: bool, generation: int) -> None:
        super().__init__()
        self.transcript_id = transcript_id
        self.error = error
        self.reload = reload
        self.generation = generation


class ExtractsLoaded(Message, bubble=False):
    """A code's extracts across transcripts (``extracts`` is None when reading failed)."""

    def __init__(self, extracts: list[ExtractView] | None, error: str | None = None) -> None:
        super().__init__()
        self.extracts = extracts
        self.error = error


# -- worker results: themes ----------------------------------------------------------------


class ThemeMapLoaded(Message, bubble=False):
    """Everything the theme map shows (``data`` is a ThemeMap) and the current phase."""

    def __init__(self, data: Any, phase: int, *, generation: int) -> None:
        super().__init__()
        self.data = data
        self.phase = phase
        self.generation = generation


class ThemeReviewLoaded(Message, bubble=False):
    """One theme's extracts, the theme × group and theme × informant matrices, the tree."""

    def __init__(self, review: Any, by_group: Any, by_informant: Any, tree: list[Any],
                 phase: int, *, generation: int) -> None:
        super().__init__()
        self.review = review
        self.by_group = by_group
        self.by_informant = by_informant
        self.tree = tree
        self.phase = phase
        self.generation = generation


class ThemeReviewGone(Message, bubble=False):
    """The reviewed theme no longer exists (an undo of its creation, a merge)."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


# -- worker results: search and tables -----------------------------------------------------


class SearchDone(Message, bubble=False):
    def __init__(self, query: str, filters: SearchFilter, hits: list[Hit]) -> None:
        super().__init__()
        self.query = query
        self.filters = filters
        self.hits = hits


class SearchFailed(Message, bubble=False):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class AutocodeDone(Message, bubble=False):
    """Search hits coded: ``added`` new codings, ``existing`` already there."""

    def __init__(self, added: int, existing: int, code: str) -> None:
        super().__init__()
        self.added = added
        self.existing = existing
        self.code = code


class AutocodeFailed(Message, bubble=False):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class TableLoaded(Message, bubble=False):
    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table


# -- worker results: export ----------------------------------------------------------------


class ExportPreviewReady(Message, bubble=False):
    def __init__(self, preview: ExportPreview, generation: int) -> None:
        super().__init__()
        self.preview = preview
        self.generation = generation


class ExportPreviewFailed(Message, bubble=False):
    def __init__(self, error: str, generation: int) -> None:
        super().__init__()
        self.error = error
        self.generation = generation


class ExportWritten(Message, bubble=False):
    def __init__(self, result: ExportResult) -> None:
        super().__init__()
        self.result = result


class ExportFailed(Message, bubble=False):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


# -- worker results: import ----------------------------------------------------------------


class ImportProgress(Message, bubble=False):
    """How far reading or storing a file has come (``total`` None: not known yet)."""

    def __init__(self, stage: str, done: int, total: int | None) -> None:
        super().__init__()
        self.stage = stage
        self.done = done
        self.total = total


class ImportPlanned(Message, bubble=False):
    """A file was read: the plan (speakers, turns) to review before storing it."""

    def __init__(self, path: Path, plan: ImportPlan) -> None:
        super().__init__()
        self.path = path
        self.plan = plan


class ImportStored(Message, bubble=False):
    def __init__(self, result: ImportResult) -> None:
        super().__init__()
        self.result = result


class ImportFailed(Message, bubble=False):
    """Reading or storing failed and nothing changed; ``keep_plan``: storing failed."""

    def __init__(self, error: str, *, keep_plan: bool) -> None:
        super().__init__()
        self.error = error
        self.keep_plan = keep_plan
