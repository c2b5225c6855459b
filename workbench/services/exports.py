"""Exports for the thesis: the theme table, the results chapter, the codebook and the
audit trail as Word documents, plus dispatch to the exchange formats (REFI-QDA, segments).

Everything comes from one source, the theme map: the table and the chapter's headings use
exactly the same theme names. Discarded themes and the «miscellaneous» bin are left out,
with everything under them.

A document is built in memory and written with :func:`workbench.formats.atomic.write_atomic`, so a
failed export leaves no half-written file. Nothing here changes the project: every export
works on a read-only project too.

Counting rules (documented for the theme table's extra columns):

- a main theme's *codes* are the codes placed under it and under its sub-themes (codes
  placed directly, not their sub-codes);
- *extracts* are the distinct codings of those codes;
- *groups* are the groups the extracts were said in (the speaker's group, else the
  transcript's group), sorted in Norwegian order;
- *informants* are the distinct speakers with the informant role among the extracts,
  shown as «5 av 14» against all informants in the project.

Quotes (codings marked ``is_quote``) go under each theme whose own codes they carry, in
transcript order, as clean reading text (no transcription marks), attributed by the
pattern in :mod:`workbench.formats.word.attribution` — never by name or speaker label.
"""

from __future__ import annotations

import errno
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.config import data_dir
from workbench.domain.collation import sort_key
from workbench.domain.marks import clean_view
from workbench.domain.snapshot_diff import diff_snapshots
from workbench.formats.atomic import write_atomic
from workbench.formats.word import docx as word
from workbench.formats.word import figure, outline
from workbench.formats.word.agreement_appendix import add_agreement_appendix, appendix_outline
from workbench.formats.word.attribution import check_pattern
from workbench.formats.word.kinds import (
    DEFAULT_ATTRIBUTION,
    DEFAULT_BLOCK_WORDS,
    EXCHANGE_KINDS,
    FIGURE_KINDS,
    FIGURE_SUFFIXES,
    KINDS,
    TABLE_COLUMNS,
    WORD_KINDS,
)
from workbench.i18n import UserError, t
from workbench.storage.undo import describe
from workbench.storage.models import (
    Code,
    CodeTheme,
    Coding,
    Command,
    JournalEntry,
    Participant,
    PhaseChange,
    Project,
    ReviewComment,
    Snapshot,
    Theme,
    Transcript,
)

from .agreement import AgreementService
from .attribution import Attribution, Speakers
from .base import Service
from .codes import display_names
from .exchange import ExchangeService
from .phases import phase_times
from .privacy import PrivacyService
from .snapshots import describe_diff, map_data

EXPORT_FOLDER = "exports"
EXCHANGE_SUFFIXES = {"qdc": ".qdc", "qdpx": ".qdpx", "segments": "-segments.csv"}


@dataclass(frozen=True)
class ExportOptions:
    """Everything the user can choose about an export."""

    lang: str = "nb"
    """Language of the document's labels and its language tag: ``nb`` or ``en``."""
    caption: str | None = None
    """Theme-table caption; ``None`` gives «Tabell 1. Oversikt tema»."""
    columns: tuple[str, ...] = ()
    """Extra theme-table columns (``definition, codes, extracts, groups, informants``)."""
    attribution: str = DEFAULT_ATTRIBUTION
    block_words: int = DEFAULT_BLOCK_WORDS
    heading_level: int = 1
    include_table: bool = True
    """Put the theme table at the top of the results chapter."""
    block_quote_marks: bool = True
    offsets: str = "codepoints"
    """How a ``.qdpx`` counts positions: ``codepoints`` (the standard) or ``utf16``."""

    def checked(self) -> ExportOptions:
        if self.lang not in word.LANGUAGE_TAGS:
            raise UserError("export.error.lang", lang=self.lang,
                            langs=", ".join(word.LANGUAGE_TAGS))
        for column in self.columns:
            if column not in TABLE_COLUMNS:
                raise UserError("export.error.column", column=column,
                                columns=", ".join(TABLE_COLUMNS))
        if self.block_words < 1:
            raise UserError("export.error.block_words", n=self.block_words)
        if not 1 <= self.heading_level <= 8:
            raise UserError("export.error.heading_level", n=self.heading_level)
        if self.caption is not None and "\n" in self.caption.strip():
            raise UserError("export.error.caption")
        check_pattern(self.attribution)
        return self

    def table(self) -> word.TableOptions:
        return word.TableOptions(caption=self.caption, columns=tuple(self.columns))

    def report(self) -> word.ReportOptions:
        return word.ReportOptions(
            table=self.table() if self.include_table else None, block_words=self.block_words,
            heading_level=self.heading_level, block_quote_marks=self.block_quote_marks,
        )


@dataclass(frozen=True)
class ExportPreview:
    kind: str
    lines: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportResult:
    kind: str
    path: Path
    warnings: tuple[str, ...] = ()


@dataclass
class ThemeMapNotes:
    """What the researcher should know about the theme map before publishing it."""

    unique_labels: dict[str, int] = field(default_factory=dict)
    """Attribution label → quotes using it, for labels that fit one informant only."""
    no_profession: set[str] = field(default_factory=set)
    repeated: list[str] = field(default_factory=list)
    unplaced: int = 0
    no_definition: list[str] = field(default_factory=list)
    no_quotes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    """Themes with neither a definition nor quotes: the report leaves their headings out."""

    def warnings(self, kind: str) -> list[str]:
        out: list[str] = []
        if kind != "report":
            return out
        for text, n in self.unique_labels.items():
            out.append(t("export.warn.unique_label", label=text, n=n))
        if self.no_profession:
            out.append(t("export.warn.no_profession",
                         speakers=", ".join(sorted(self.no_profession, key=sort_key))))
        for excerpt in self.repeated:
            out.append(t("export.warn.repeated", quote=excerpt))
        if self.unplaced:
            out.append(t("export.warn.unplaced_one" if self.unplaced == 1 else "export.warn.unplaced",
                         n=self.unplaced))
        if self.no_definition:
            out.append(t("export.warn.no_definition", themes=_names(self.no_definition)))
        if self.no_quotes:
            out.append(t("export.warn.no_quotes", themes=_names(self.no_quotes)))
        if self.left_out:
            out.append(t("export.warn.left_out", themes=_names(self.left_out)))
        return out


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"«{n}»" for n in names[:limit])
    return shown + (f" … (+{len(names) - limit})" if len(names) > limit else "")


@dataclass(frozen=True)
class _Extract:
    coding_id: int
    code_id: int
    transcript_id: int
    start: int
    end: int
    is_quote: bool
    participant_id: int | None
    group: str | None


def _excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _tidy_quote(text: str) -> str:
    """One line, no stray separators at the ends."""
    text = " ".join(text.split())
    return text.strip(" ,;:–-")


def check_not_open(path: Path) -> None:
    """Refuse to overwrite a document that Word or LibreOffice has open (their lock files)."""
    name = path.name
    folder = path.parent
    candidates = [f".~lock.{name}#", f"~${name}", f"~${name[1:]}", f"~${name[2:]}"]
    if any((folder / c).exists() for c in candidates):
        raise UserError("file.error.busy", path=path)


class ExportService(Service):
    """Build exports from the project; never changes it."""

    # -- where ----------------------------------------------------------------------------

    def project_folder(self) -> Path:
        """The folder beside the project file; the working folder for a server project
        or one kept in the program's hidden data folder (the demo), so that exports are
        where the researcher looks for them."""
        label = self.store.label
        if "://" in label:
            return Path.cwd()
        folder = Path(label).resolve().parent
        if folder.is_relative_to(data_dir().resolve()):
            return Path.cwd()
        return folder

    def project_stem(self) -> str:
        label = self.store.label
        if "://" not in label:
            return Path(label).stem
        with self.store.read() as s:
            title = s.scalars(select(Project)).one().title
        return re.sub(r"[^\w-]+", "-", title).strip("-").lower() or "prosjekt"

    def default_path(self, kind: str) -> Path:
        """``exports/<project-stem>-<kind>.docx`` next to the project file."""
        self._check_kind(kind)
        folder = self.project_folder() / EXPORT_FOLDER
        stem = self.project_stem()
        if kind in EXCHANGE_KINDS:
            return folder / f"{stem}{EXCHANGE_SUFFIXES[kind]}"
        if kind in FIGURE_KINDS:
            return folder / f"{stem}-{kind}.png"
        return folder / f"{stem}-{kind}.docx"

    def target_path(self, kind: str, path: Path | str | None) -> Path:
        """Where an export goes: the default (its folder made if need be) or ``path``."""
        if path is None or not str(path).strip():
            target = self.default_path(kind)
            try:
                target.parent.mkdir(exist_ok=True)
            except PermissionError:
                raise UserError("file.error.permission", path=target.parent) from None
            except OSError as exc:
                if exc.errno == errno.ENOENT:
                    raise UserError("file.error.no_folder", path=target.parent.parent) from None
                raise UserError("file.error.other", path=target.parent,
                                detail=exc.strerror or str(exc)) from None
            return target
        target = Path(os.path.expanduser(str(path).strip()))
        if kind in FIGURE_KINDS:
            if target.suffix == "":
                target = target.with_name(target.name + ".png")
            elif target.suffix.lower() not in FIGURE_SUFFIXES:
                raise UserError("export.error.figure_suffix", path=target)
        if kind in WORD_KINDS:
            if target.suffix == "":
                target = target.with_name(target.name + ".docx")
            elif target.suffix.lower() != ".docx":
                raise UserError("export.error.suffix", path=target)
        return target

    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in KINDS:
            raise UserError("export.error.kind", kind=kind, kinds=", ".join(KINDS))

    # -- what -----------------------------------------------------------------------------

    def preview(self, kind: str, options: ExportOptions | None = None) -> ExportPreview:
        """A text preview of a Word export (what the document will hold) and its warnings.
        It goes through the output check as the export would: a real name from the
        linking key refuses it, common first names add a warning."""
        preview = self._preview(kind, options)
        check = PrivacyService(self.store).text_check(t("privacy.preview_what", kind=kind))
        warnings = check("\n".join(preview.lines))
        return ExportPreview(preview.kind, preview.lines, (*preview.warnings, *warnings))

    def _preview(self, kind: str, options: ExportOptions | None = None) -> ExportPreview:
        self._check_kind(kind)
        options = (options or ExportOptions()).checked()
        lang = options.lang
        if kind in EXCHANGE_KINDS:
            return ExportPreview(kind, (t("export.preview.exchange", kind=kind),))
        if kind in FIGURE_KINDS:
            data, _notes = self.theme_map(options)
            caption = word.label("figure.caption", lang)
            return ExportPreview(kind, (caption, "", *figure.outline_lines(data.themes)))
        if kind in ("theme-table", "report"):
            data, notes = self.theme_map(options)
            if kind == "theme-table":
                lines = outline.theme_table_outline(data, options.table(), lang)
            else:
                lines = outline.report_outline(data, options.report(), lang)
            return ExportPreview(kind, tuple(lines), tuple(notes.warnings(kind)))
        if kind == "codebook":
            return ExportPreview(kind, tuple(outline.codebook_outline(self.codebook(), lang)))
        return ExportPreview(kind, tuple(outline.audit_outline(self.audit(lang), lang)
                                         + appendix_outline(AgreementService(self.store).appendix(lang), lang)))

    def build(self, kind: str, options: ExportOptions | None = None) -> tuple[bytes, tuple[str, ...]]:
        """The finished ``.docx`` in memory, and the warnings to show."""
        if kind not in WORD_KINDS:
            self._check_kind(kind)
            raise UserError("export.error.not_word", kind=kind)
        options = (options or ExportOptions()).checked()
        lang = options.lang
        warnings: list[str] = []
        if kind in ("theme-table", "report"):
            data, notes = self.theme_map(options)
            warnings = notes.warnings(kind)
            if kind == "theme-table":
                doc = word.theme_table_document(data, options.table(), lang)
            else:
                doc = word.report_document(data, options.report(), lang)
        elif kind == "codebook":
            doc = word.codebook_document(self.codebook(), lang)
        else:
            doc = word.audit_document(self.audit(lang), lang)
            add_agreement_appendix(doc, AgreementService(self.store).appendix(lang), lang)
        return word.to_bytes(doc), tuple(warnings)

    def export(
        self, kind: str, path: Path | str | None = None, options: ExportOptions | None = None
    ) -> ExportResult:
        """Write an export to ``path`` (default: :meth:`default_path`). Its warnings
        include those of the output check (common first names, attribution labels that
        fit one informant), for the CLI and the TUI alike."""
        privacy = PrivacyService(self.store)
        privacy.take_output_warnings()  # left by a file written elsewhere (a table's CSV)
        result = self._export(kind, path, options)
        checked = privacy.take_output_warnings()
        return ExportResult(result.kind, result.path, (*result.warnings, *checked))

    def _export(
        self, kind: str, path: Path | str | None = None, options: ExportOptions | None = None
    ) -> ExportResult:
        self._check_kind(kind)
        options = (options or ExportOptions()).checked()
        if kind in EXCHANGE_KINDS:
            return self._exchange(kind, path, options.offsets)
        if kind in FIGURE_KINDS:
            return self._figure(kind, path, options)
        data, warnings = self.build(kind, options)  # everything that can fail, before writing
        target = self.target_path(kind, path)
        check_not_open(target)
        written = write_atomic(target, data)
        return ExportResult(kind, written, warnings)

    def _figure(self, kind: str, path: Path | str | None, options: ExportOptions) -> ExportResult:
        """The thematic map on its own: PNG (for Word, 300 dpi) or SVG (for print)."""
        themes, _notes = self.theme_map(options)
        plan = figure.layout(themes.themes, [t.colour for t in themes.themes])
        target = self.target_path(kind, path)
        if target.suffix.lower() == ".svg":
            data = figure.to_svg(plan, title=word.label("figure.caption", options.lang)).encode()
        else:
            data = figure.to_png(plan)
        check_not_open(target)
        return ExportResult(kind, write_atomic(target, data))

    def _exchange(self, kind: str, path: Path | str | None, offsets: str = "codepoints"
                  ) -> ExportResult:
        target = self.target_path(kind, path)
        service = ExchangeService(self.store)
        writers = {"qdpx": partial(service.export_qdpx, offsets=offsets),
                   "qdc": service.export_qdc,
                   "segments": service.export_segments}
        written = writers[kind](target)
        return ExportResult(kind, Path(written or target))

    # -- the theme map --------------------------------------------------------------------

    def theme_map(self, options: ExportOptions | None = None) -> tuple[word.ThemeMapData, ThemeMapNotes]:
        """The theme map as plain data, with quotes attributed, and notes for warnings."""
        options = options or ExportOptions()
        pattern = check_pattern(options.attribution)
        lang = options.lang
        notes = ThemeMapNotes()
        with self.store.read() as s:
            title = s.scalars(select(Project)).one().title
            themes = s.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()
            by_parent: dict[int | None, list[Theme]] = {}
            for theme in themes:
                by_parent.setdefault(theme.parent_id, []).append(theme)
            links: dict[int, list[int]] = {}
            for theme_id, code_id in s.execute(
                select(CodeTheme.theme_id, CodeTheme.code_id)
                .order_by(CodeTheme.theme_id, CodeTheme.position, CodeTheme.id)
            ):
                links.setdefault(theme_id, []).append(code_id)
            code_names = dict(s.execute(select(Code.id, Code.name)).all())
            code_colours = dict(s.execute(select(Code.id, Code.colour)).all())
            people = {p.id: p for p in s.scalars(select(Participant))}
            transcripts = {
                tid: (group, position)
                for tid, group, position in s.execute(
                    select(Transcript.id, Transcript.group_name, Transcript.position)
                )
            }
            extracts = self._extracts(s, people, transcripts)
            informants_total = sum(1 for p in people.values() if p.role == "informant")

            by_code: dict[int, list[_Extract]] = {}
            for extract in extracts:
                by_code.setdefault(extract.code_id, []).append(extract)

            attribution = Attribution.of(s, pattern, lang)
            clean_cache: dict[int, Any] = {}
            placed: Counter[int] = Counter()

            def keep(theme: Theme) -> bool:
                return theme.status != "discarded" and not theme.is_misc

            quotes_made: dict[int, word.QuoteData | None] = {}

            def quote(extract: _Extract) -> word.QuoteData | None:
                if extract.coding_id in quotes_made:
                    return quotes_made[extract.coding_id]
                made = quotes_made[extract.coding_id] = make_quote(extract)
                return made

            def make_quote(extract: _Extract) -> word.QuoteData | None:
                view = clean_cache.get(extract.transcript_id)
                if view is None:
                    text = s.scalar(
                        select(Transcript.text).where(Transcript.id == extract.transcript_id)
                    ) or ""
                    view = clean_cache[extract.transcript_id] = clean_view(text)
                start, end = view.span_to_clean(extract.start, extract.end)
                text = _tidy_quote(view.text[start:end])
                if not text:
                    return None
                person = people.get(extract.participant_id) if extract.participant_id else None
                if (person is not None and person.role == "informant"
                        and not (person.profession or "").strip()):
                    notes.no_profession.add(person.label)
                # labels that fit one informant only are counted by the shared check
                label = attribution.disclose(extract.participant_id, extract.transcript_id)
                return word.QuoteData(text, label)

            def build(theme: Theme) -> tuple[word.ThemeData, list[int]]:
                children: list[word.ThemeData] = []
                codes: list[int] = list(dict.fromkeys(links.get(theme.id, [])))
                own = list(codes)
                for child in by_parent.get(theme.id, []):
                    if keep(child):
                        data, child_codes = build(child)
                        children.append(data)
                        codes.extend(c for c in child_codes if c not in codes)
                covered = {e.coding_id: e for c in codes for e in by_code.get(c, [])}
                groups = {e.group for e in covered.values() if e.group}
                voices = {
                    e.participant_id for e in covered.values()
                    if e.participant_id and people[e.participant_id].role == "informant"
                }
                quotes: list[word.QuoteData] = []
                seen: set[tuple[int, int, int]] = set()
                marked = sorted(
                    (e for c in own for e in by_code.get(c, []) if e.is_quote),
                    key=lambda e: (transcripts[e.transcript_id][1], e.transcript_id, e.start,
                                   e.end, e.coding_id),
                )
                for extract in marked:
                    span = (extract.transcript_id, extract.start, extract.end)
                    if span in seen:
                        continue
                    seen.add(span)
                    placed[extract.coding_id] += 1
                    q = quote(extract)
                    if q is not None:
                        quotes.append(q)
                if not theme.definition.strip():
                    notes.no_definition.append(theme.name)
                if not quotes and not children:
                    notes.no_quotes.append(theme.name)
                data = word.ThemeData(
                    name=theme.name, definition=theme.definition,
                    codes=tuple(code_names[c] for c in codes if c in code_names),
                    extracts=len(covered), groups=tuple(sorted(groups, key=sort_key)),
                    informants=len(voices), quotes=tuple(quotes), children=tuple(children),
                    own_codes=tuple(code_names[c] for c in own if c in code_names),
                    colour=next((code_colours[c] for c in codes if code_colours.get(c)), ""),
                )
                return data, codes

            roots = [build(theme)[0] for theme in by_parent.get(None, []) if keep(theme)]
            if not roots:
                raise UserError("export.error.no_themes")

            def empty(theme: word.ThemeData) -> None:
                if theme.is_empty():
                    notes.left_out.append(theme.name)
                    return
                for child in theme.children:
                    empty(child)

            for root in roots:
                empty(root)
            roots = _distinct_colours(roots)
            quote_texts = {e.coding_id: e for e in extracts if e.is_quote}
            for coding_id, n in placed.items():
                if n > 1:
                    q = quote(quote_texts[coding_id])
                    if q is not None:
                        notes.repeated.append(_excerpt(q.text))
            notes.unplaced = sum(1 for cid in quote_texts if cid not in placed)
            notes.unique_labels = dict(attribution.single)
        return word.ThemeMapData(title, tuple(roots), informants_total), notes

    @staticmethod
    def _extracts(
        s: Session, people: dict[int, Participant], transcripts: dict[int, tuple[str | None, int]]
    ) -> list[_Extract]:
        speaker = Speakers(s)
        out: list[_Extract] = []
        for cid, code_id, tid, start, end, is_quote in s.execute(
            select(Coding.id, Coding.code_id, Coding.transcript_id, Coding.start, Coding.end,
                   Coding.is_quote)
        ):
            pid = speaker(tid, start)
            person = people.get(pid) if pid else None
            own_group = person.group_name if person and person.role == "informant" else None
            out.append(
                _Extract(cid, code_id, tid, start, end, bool(is_quote), pid,
                         own_group or transcripts.get(tid, (None, 0))[0])
            )
        return out

    # -- the codebook ---------------------------------------------------------------------

    def codebook(self) -> word.CodebookData:
        with self.store.read() as s:
            title = s.scalars(select(Project)).one().title
            codes = s.scalars(select(Code)).all()
            if not codes:
                raise UserError("export.error.no_codes")
            counts = Counter(code_id for (code_id,) in s.execute(select(Coding.code_id)))
            themes = {th.id: th for th in s.scalars(select(Theme))}

            def exported(theme: Theme | None) -> bool:
                while theme is not None:
                    if theme.status == "discarded" or theme.is_misc:
                        return False
                    theme = themes.get(theme.parent_id) if theme.parent_id else None
                return True

            order = {th.id: i for i, th in enumerate(self._map_order(themes))}
            theme_names: dict[int, list[tuple[int, str]]] = {}
            for code_id, theme_id in s.execute(select(CodeTheme.code_id, CodeTheme.theme_id)):
                theme = themes.get(theme_id)
                if theme is not None and exported(theme):
                    theme_names.setdefault(code_id, []).append((order[theme.id], theme.name))
            children: dict[int | None, list[Code]] = {}
            for code in codes:
                children.setdefault(code.parent_id, []).append(code)
            rows: list[word.CodeRow] = []
            labels = display_names(codes)

            def walk(parent: int | None, depth: int) -> None:
                for code in sorted(children.get(parent, []), key=lambda c: sort_key(c.name)):
                    rows.append(
                        word.CodeRow(
                            name=labels[code.id], description=code.description or "",
                            origin=code.origin, codings=counts.get(code.id, 0),
                            themes=tuple(n for _o, n in sorted(theme_names.get(code.id, []))),
                            depth=depth,
                        )
                    )
                    walk(code.id, depth + 1)

            walk(None, 0)
        return word.CodebookData(title, tuple(rows))

    @staticmethod
    def _map_order(themes: dict[int, Theme]) -> list[Theme]:
        by_parent: dict[int | None, list[Theme]] = {}
        for theme in sorted(themes.values(), key=lambda th: (th.position, th.id)):
            by_parent.setdefault(theme.parent_id, []).append(theme)
        out: list[Theme] = []

        def walk(parent: int | None) -> None:
            for theme in by_parent.get(parent, []):
                out.append(theme)
                walk(theme.id)

        walk(None)
        return out

    # -- the audit trail ------------------------------------------------------------------

    def audit(self, lang: str = "nb") -> word.AuditData:
        with self.store.read() as s:
            project = s.scalars(select(Project)).one()
            phases = tuple(
                word.PhaseStep(r.created, r.from_phase, r.to_phase, r.reason, r.actor)
                for r in s.scalars(select(PhaseChange).order_by(PhaseChange.created, PhaseChange.id))
            )
            journal = tuple(
                word.JournalItem(e.created, e.phase, e.author, e.text)
                for e in s.scalars(
                    select(JournalEntry).order_by(JournalEntry.phase, JournalEntry.created,
                                                  JournalEntry.id)
                )
            )
            snapshots, current = self._snapshots(s, lang)
            comments = tuple(
                self._comment(c, lang)
                for c in s.scalars(
                    select(ReviewComment)
                    .where(ReviewComment.parent_id.is_(None))
                    .order_by(ReviewComment.created, ReviewComment.id)
                )
            )
            log = self._log(s, lang)
            now = datetime.now(UTC).replace(tzinfo=None)
            periods = _periods(project.created, phases, project.phase, now, lang)
            totals = tuple(
                (p.phase, _duration(p.seconds, lang), p.visits)
                for p in phase_times(s, now=now) if p.visits
            )
            return word.AuditData(
                title=project.title, phase=project.phase,
                exported=now, phases=phases,
                journal=journal, snapshots=snapshots, current_changes=current, comments=comments,
                log=log, periods=periods, phase_totals=totals,
                codebook=self._codebook_growth(s, lang),
            )

    #: The commands that tell how the codebook grew.
    CODEBOOK_COMMANDS = ("codebook.import", "exchange.import_qdc", "code.create", "code.rename",
                         "code.merge", "code.delete", "code.move")

    @classmethod
    def _codebook_growth(cls, s: Session, lang: str) -> tuple[word.GrowthItem, ...]:
        """Imports, merges, renames and deletions one by one; codes created by hand
        gathered per day and person (a codebook grows by dozens of codes a day)."""
        rows = s.scalars(
            select(Command).where(Command.name.in_(cls.CODEBOOK_COMMANDS), Command.state == "done")
            .order_by(Command.applied, Command.seq)
        ).all()
        out: list[word.GrowthItem] = []
        created: dict[tuple[str, str], list[Any]] = {}
        for cmd in rows:
            if cmd.name == "code.create":
                day = word.format_date(cmd.created, lang, time=False)
                created.setdefault((day, cmd.actor), []).append(cmd)
                continue
            out.append(word.GrowthItem(cmd.created, cmd.actor, describe(cmd.name, cmd.args, lang)))
        for (_day, actor), cmds in created.items():
            names = [str((c.args or {}).get("name", "")) for c in cmds]
            n = len(names)
            text = t("export.audit.codes_created_one" if n == 1 else "export.audit.codes_created",
                     lang=lang, n=n, names=_names(names, limit=12))
            out.append(word.GrowthItem(cmds[0].created, actor, text))
        return tuple(sorted(out, key=lambda g: g.when))

    def _comment(self, c: ReviewComment, lang: str) -> word.CommentItem:
        kind = t(f"export.audit.anchor.{c.anchor_kind}", lang=lang)
        anchor = f"{kind} «{c.anchor_label}»" if c.anchor_label else kind
        return word.CommentItem(
            anchor=anchor, author=c.author, when=c.created, text=c.text,
            resolved_by=c.resolved_by, resolved_at=c.resolved_at,
            replies=tuple(self._comment(r, lang) for r in c.replies),
        )

    def _snapshots(
        self, s: Session, lang: str
    ) -> tuple[tuple[word.SnapshotItem, ...], tuple[str, ...] | None]:
        """Each snapshot with its themes and what changed since the one before; and what
        changed from the last snapshot to the current map (``None`` without snapshots)."""
        rows = s.scalars(select(Snapshot).order_by(Snapshot.created, Snapshot.id)).all()
        out: list[word.SnapshotItem] = []
        previous: dict[str, Any] | None = None
        for snap in rows:
            data = dict(snap.data or {})
            changes: tuple[str, ...] | None = None
            if previous is not None:
                changes = _changes(previous, data, lang)
            out.append(word.SnapshotItem(snap.name, snap.author, snap.created,
                                         tuple(_snapshot_themes(data, lang)), changes))
            previous = data
        current: tuple[str, ...] | None = None
        if previous is not None:
            current = _changes(previous, map_data(s), lang)
        return tuple(out), current

    @staticmethod
    def _log(s: Session, lang: str) -> word.LogSummary:
        rows = s.execute(select(Command.name, Command.actor, Command.created, Command.state)).all()
        done = [r for r in rows if r.state == "done"]
        if not rows:
            return word.LogSummary()
        actors = Counter(r.actor for r in done)

        def kind_label(name: str) -> str:
            key = f"export.audit.kind.{name}"
            text = t(key, lang=lang)
            return t("export.audit.kind_other", lang=lang) if text == key else text

        kinds = Counter(kind_label(r.name) for r in done)  # one row per label
        times = [r.created for r in rows]
        return word.LogSummary(
            total=len(done), undone=len(rows) - len(done), first=min(times), last=max(times),
            kinds=tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], sort_key(kv[0])))),
            actors=tuple(sorted(actors.items(), key=lambda kv: (-kv[1], sort_key(kv[0])))),
        )


def _distinct_colours(roots: list[word.ThemeData]) -> list[word.ThemeData]:
    """Each main theme in its own colour for the figure: the colour of its first code, or
    the palette's next free colour when another main theme already has that one."""
    from dataclasses import replace

    from workbench.domain.codebook import PALETTE

    used: set[str] = set()
    out: list[word.ThemeData] = []
    for root in roots:
        colour = (root.colour or "").lower()
        if not colour or colour in used:
            colour = next((c for c in PALETTE if c not in used), PALETTE[len(out) % len(PALETTE)])
        used.add(colour)
        out.append(replace(root, colour=colour))
    return out


def _duration(seconds: float, lang: str) -> str:
    """«2 t 15 min», «3 dager», «under 1 min»: how long a phase lasted."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return t("export.audit.duration.none", lang=lang)
    if minutes < 60:
        return t("export.audit.duration.minutes", lang=lang, n=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return t("export.audit.duration.hours", lang=lang, h=hours, m=rest)
    days = hours // 24
    return t("export.audit.duration.day" if days == 1 else "export.audit.duration.days",
             lang=lang, n=days)


def _periods(
    started: datetime, steps: tuple[word.PhaseStep, ...], current: int, now: datetime, lang: str,
) -> tuple[word.PhasePeriod, ...]:
    """Each stay in a phase, in order: the project starts in the first step's phase."""
    phase = steps[0].from_phase if steps else current
    since, reason = started, ""
    out: list[word.PhasePeriod] = []
    for step in steps:
        seconds = max(0.0, (step.when - since).total_seconds())
        out.append(word.PhasePeriod(phase, since, step.when, _duration(seconds, lang), reason))
        phase, since = step.to_phase, step.when
        reason = step.reason if step.to_phase < step.from_phase else ""
    seconds = max(0.0, (now - since).total_seconds())
    out.append(word.PhasePeriod(phase, since, None, _duration(seconds, lang), reason))
    return tuple(out)


def _snapshot_themes(data: dict[str, Any], lang: str) -> list[tuple[int, str]]:
    """(depth, name) of a snapshot's themes in map order; discarded ones marked."""
    by_parent: dict[str | None, list[dict[str, Any]]] = {}
    for theme in sorted(data.get("themes", []), key=lambda d: d.get("position", 0)):
        by_parent.setdefault(theme.get("parent"), []).append(theme)
    listed: list[tuple[int, str]] = []

    def walk(parent: str | None, depth: int) -> None:
        for theme in by_parent.get(parent, []):
            name = str(theme.get("name", ""))
            if theme.get("status") == "discarded":
                name += " " + t("export.audit.discarded", lang=lang)
            listed.append((depth, name))
            walk(theme.get("guid"), depth + 1)

    walk(None, 0)
    return listed


def _changes(old: dict[str, Any], new: dict[str, Any], lang: str) -> tuple[str, ...]:
    """What changed between two snapshots' data: every theme change, code changes as counts."""
    return tuple(describe_diff(diff_snapshots(old, new), lang=lang, count_codes=True))
