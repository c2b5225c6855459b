"""Braun & Clarke's (2006) 15-point checklist, per phase, filled in from the project.

Each phase gets the points that matter in it. A point that the data can speak to is
measured (coverage per transcript, codes with one extract, themes voiced by one informant
or one group, thin themes, codes never collated into a theme, themes without a
definition, main themes without a quote, the deductive trap, time per phase); the others
are listed as questions for the researcher (status ``info``).

Reach it through :class:`ChecklistService` (``wb.checklist.items(phase)``).
``ChecklistItem.key`` is a catalogue key (``checklist.item.<name>``) for the item's text;
``detail`` is already translated, ``params`` holds the figures for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.collation import sort_key
from workbench.domain.model import PHASES, ThemeStatus
from workbench.i18n import UserError, t
from workbench.storage.models import Code, CodeTheme, Coding, JournalEntry, Project, Theme, Transcript

from .base import Service
from .phases import phase_times
from .theme_metrics import THIN_EXTRACTS, mirror_check, project_groups, theme_stats
from .transcripts import coded_share

OK, WARN, INFO = "ok", "warn", "info"

# A transcript coded to less than this share of the best-covered one has not had equal
# attention (Braun & Clarke point 2).
EQUAL_ATTENTION = 0.5
# A phase left in less than this many seconds was rushed (point 11).
MIN_PHASE_SECONDS = 3600
# How many names a detail line lists before "…".
LIST_NAMES = 5


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # catalogue key of the item's text, e.g. "checklist.item.coverage"
    point: int  # the number in Braun & Clarke's 15-point checklist
    status: str  # "ok", "warn" or "info"
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        return t(self.key)


def format_duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return t("checklist.duration.minutes", n=minutes)
    hours = minutes // 60
    if hours < 48:
        return t("checklist.duration.hours", n=hours)
    return t("checklist.duration.days", n=hours // 24)


def _names(names: list[str]) -> str:
    names = sorted(names, key=sort_key)
    shown = ", ".join(f"«{n}»" for n in names[:LIST_NAMES])
    return shown + (", …" if len(names) > LIST_NAMES else "")


class _Facts:
    """What the checks need, read once."""

    def __init__(self, s: Session, now: datetime | None) -> None:
        self.project = s.scalars(select(Project)).one()
        spans: dict[int, list[tuple[int, int]]] = {}
        for tid, start, end in s.execute(select(Coding.transcript_id, Coding.start, Coding.end)):
            spans.setdefault(tid, []).append((start, end))
        self.coverage = [
            (tr.name, coded_share(len(tr.text), spans.get(tr.id, [])), len(spans.get(tr.id, [])))
            for tr in s.scalars(select(Transcript).order_by(Transcript.position, Transcript.id))
        ]
        counts = dict(s.execute(select(Coding.code_id, func.count()).group_by(Coding.code_id)).all())
        self.codes = list(s.scalars(select(Code)))
        self.code_counts = {c.id: int(counts.get(c.id, 0)) for c in self.codes}
        linked = {cid for (cid,) in s.execute(select(CodeTheme.code_id))}
        self.uncollated = [c.name for c in self.codes if self.code_counts[c.id] and c.id not in linked]
        self.themes = [
            th for th in s.scalars(select(Theme).order_by(Theme.position, Theme.id))
            if th.status != ThemeStatus.DISCARDED and not th.is_misc
        ]
        self.stats = theme_stats(s)
        self.groups = project_groups(s)
        self.mirror = mirror_check(s)
        self.journal = dict(
            s.execute(select(JournalEntry.phase, func.count()).group_by(JournalEntry.phase)).all()
        )
        self.times = phase_times(s, now=now)


def _item(key: str, point: int, status: str, detail_key: str = "", **params: Any) -> ChecklistItem:
    detail = t(detail_key, **params) if detail_key else ""
    return ChecklistItem(f"checklist.item.{key}", point, status, detail, params)


def _manual(key: str, point: int) -> ChecklistItem:
    return ChecklistItem(f"checklist.item.{key}", point, INFO, t("checklist.detail.manual"))


# -- measured checks -----------------------------------------------------------------------


def _transcripts(f: _Facts) -> ChecklistItem:
    if not f.coverage:
        return _item("transcribed", 1, WARN, "checklist.detail.no_transcripts")
    return _item("transcribed", 1, INFO, "checklist.detail.transcribed", n=len(f.coverage))


def _coverage(f: _Facts) -> ChecklistItem:
    if not f.coverage:
        return _item("coverage", 2, WARN, "checklist.detail.no_transcripts")
    best = max(share for _, share, _n in f.coverage)
    rows = ", ".join(f"{name} {share * 100:.0f} %" for name, share, _n in f.coverage)
    behind = [name for name, share, _n in f.coverage if best and share < EQUAL_ATTENTION * best]
    if best == 0:
        return _item("coverage", 2, WARN, "checklist.detail.nothing_coded", rows=rows)
    if behind:
        return _item("coverage", 2, WARN, "checklist.detail.coverage_uneven", rows=rows, names=_names(behind))
    return _item("coverage", 2, OK, "checklist.detail.coverage", rows=rows)


def _uncoded(f: _Facts) -> ChecklistItem:
    never = [name for name, _share, n in f.coverage if n == 0]
    if never:
        return _item("uncoded", 2, WARN, "checklist.detail.uncoded", n=len(never), names=_names(never))
    return _item("uncoded", 2, OK, "checklist.detail.all_coded")


def _single_extract_codes(f: _Facts) -> ChecklistItem:
    single = [c.name for c in f.codes if f.code_counts[c.id] == 1]
    used = sum(1 for c in f.codes if f.code_counts[c.id])
    if single:
        return _item("single_extract", 3, INFO, "checklist.detail.single_extract",
                     n=len(single), total=used, names=_names(single))
    return _item("single_extract", 3, OK, "checklist.detail.none")


def _uncollated(f: _Facts) -> ChecklistItem:
    if not f.themes:
        return _item("collated", 4, WARN, "checklist.detail.no_themes")
    if f.uncollated:
        return _item("collated", 4, WARN, "checklist.detail.uncollated",
                     n=len(f.uncollated), names=_names(f.uncollated))
    return _item("collated", 4, OK, "checklist.detail.all_collated")


def _few_extracts(f: _Facts) -> ChecklistItem:
    if not f.themes:
        return _item("vivid", 3, WARN, "checklist.detail.no_themes")
    few = [th.name for th in f.themes if f.stats[th.id].extracts < THIN_EXTRACTS]
    if few:
        return _item("vivid", 3, WARN, "checklist.detail.few_extracts",
                     n=len(few), min=THIN_EXTRACTS, names=_names(few))
    return _item("vivid", 3, OK, "checklist.detail.none")


def _empty_themes(f: _Facts) -> ChecklistItem:
    empty = [th.name for th in f.themes if f.stats[th.id].codes == 0]
    if empty:
        return _item("empty_themes", 6, WARN, "checklist.detail.empty_themes", n=len(empty), names=_names(empty))
    return _item("empty_themes", 6, OK, "checklist.detail.none")


def _one_informant(f: _Facts) -> ChecklistItem:
    one = [th.name for th in f.themes if f.stats[th.id].extracts and f.stats[th.id].informants <= 1]
    if one:
        return _item("one_informant", 5, WARN, "checklist.detail.one_informant", n=len(one), names=_names(one))
    return _item("one_informant", 5, OK, "checklist.detail.none")


def _one_group(f: _Facts) -> ChecklistItem:
    if len(f.groups) < 2:
        return _item("one_group", 5, INFO, "checklist.detail.single_group_project")
    one = [th.name for th in f.themes if f.stats[th.id].extracts and f.stats[th.id].groups <= 1]
    if one:
        return _item("one_group", 5, WARN, "checklist.detail.one_group", n=len(one), names=_names(one))
    return _item("one_group", 5, OK, "checklist.detail.none")


def _mirror(f: _Facts) -> ChecklistItem:
    if f.mirror.warn:
        pairs = "; ".join(f"«{m.theme_name}» ≈ «{m.code_name}»" for m in f.mirror.mirrors)
        return _item("inductive", 3, WARN, "checklist.detail.mirror",
                     n=len(f.mirror.mirrors), total=f.mirror.main_themes, pairs=pairs)
    return _item("inductive", 3, OK, "checklist.detail.no_mirror")


def _definitions(f: _Facts) -> ChecklistItem:
    missing = [th.name for th in f.themes if not th.definition.strip()]
    if not f.themes:
        return _item("defined", 6, WARN, "checklist.detail.no_themes")
    if missing:
        return _item("defined", 6, WARN, "checklist.detail.undefined", n=len(missing), names=_names(missing))
    return _item("defined", 6, OK, "checklist.detail.all_defined")


def _statuses(f: _Facts) -> ChecklistItem:
    open_ = [th.name for th in f.themes if th.status == ThemeStatus.CANDIDATE]
    if open_:
        return _item("status", 6, INFO, "checklist.detail.candidates", n=len(open_), names=_names(open_))
    return _item("status", 6, OK, "checklist.detail.none")


def _quotes(f: _Facts) -> ChecklistItem:
    mains = [th for th in f.themes if th.parent_id is None]
    none = [th.name for th in mains if f.stats[th.id].quotes == 0]
    if not mains:
        return _item("quotes", 8, WARN, "checklist.detail.no_themes")
    if none:
        return _item("quotes", 8, WARN, "checklist.detail.no_quotes", n=len(none), names=_names(none))
    return _item("quotes", 8, OK, "checklist.detail.quotes")


def _journal(f: _Facts, phase: int) -> ChecklistItem:
    n = int(f.journal.get(phase, 0))
    if n:
        return _item("active", 15, OK, "checklist.detail.journal", n=n)
    return _item("active", 15, INFO, "checklist.detail.no_journal")


def _time(f: _Facts, phase: int) -> ChecklistItem:
    parts = [
        f"{x.phase}: {format_duration(x.seconds)}" for x in f.times if x.visits
    ]
    rushed = [
        x.phase for x in f.times
        if x.visits and x.phase != f.project.phase and x.seconds < MIN_PHASE_SECONDS
    ]
    if rushed:
        return _item("time", 11, WARN, "checklist.detail.rushed",
                     times="; ".join(parts), phases=", ".join(map(str, rushed)))
    return _item("time", 11, OK if f.project.phase > 1 else INFO, "checklist.detail.times",
                 times="; ".join(parts))


def _checklist(s: Session, phase: int, *, now: datetime | None = None) -> list[ChecklistItem]:
    """The checklist of one phase, measured where the data allows."""
    f = _Facts(s, now)
    items: list[ChecklistItem]
    if phase == 1:
        items = [_transcripts(f), _manual("checked", 1), _manual("read_all", 2)]
    elif phase == 2:
        items = [_coverage(f), _uncoded(f), _single_extract_codes(f), _manual("thorough", 3)]
    elif phase == 3:
        items = [_uncollated(f), _few_extracts(f), _empty_themes(f), _mirror(f), _coverage(f)]
    elif phase == 4:
        items = [
            _one_informant(f), _one_group(f), _few_extracts(f), _uncollated(f), _mirror(f),
            _manual("coherent", 6),
        ]
    elif phase == 5:
        items = [_definitions(f), _statuses(f), _one_informant(f), _manual("interpreted", 7)]
    else:
        items = [
            _quotes(f), _manual("match", 8), _manual("story", 9), _manual("balance", 10),
            _manual("approach", 12), _manual("fit", 13), _manual("epistemology", 14),
        ]
    return [*items, _journal(f, phase), _time(f, phase)]


class ChecklistService(Service):
    def items(self, phase: int | None = None, *, now: datetime | None = None) -> list[ChecklistItem]:
        """Braun & Clarke's 15-point checklist for a phase (default: the current one),
        filled in from the data where it can be measured."""
        with self.store.read() as s:
            current = s.scalars(select(Project)).one().phase
            phase = current if phase is None else phase
            if phase not in PHASES:
                raise UserError("phase.error.range", phase=phase)
            return _checklist(s, phase, now=now)
