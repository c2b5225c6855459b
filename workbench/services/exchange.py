"""Exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA), and a segments CSV.

Only the mapping lives here: between the project's rows and the plain values of
:mod:`workbench.formats.refi.model`, which :mod:`workbench.formats.refi.writer` writes and
:mod:`workbench.formats.refi.reader` reads (XML, archive layout, GUIDs, positions, schema
validation and ZIP safety are all in :mod:`workbench.formats`).

How the project is expressed in REFI-QDA 1.0
--------------------------------------------
*Codes* are the ``CodeBook`` tree (``guid``, ``name``, ``isCodable="true"``, ``color``,
``Description``), with the project's own GUIDs.

*Themes* are ``Sets`` of codes (``MemberCode``), one set per theme and sub-theme, with the
definition as the set's ``Description`` and memos on the theme as ``MemberNote``. They are
deliberately not a second code tree: a code can belong to several themes and also has its
own parent code, while REFI's tree gives every code exactly one place (one GUID, one
parent). Copying codes under non-codable theme nodes would need new GUIDs and would split
their codings between copies in the other program, and a tree of empty theme nodes would
come back as junk codes. Sets express "these codes make up this theme" without either
problem. In a ``.qdc`` (which has no notes and no extension) the theme hierarchy, theme
status and code origin are therefore not carried; use the YAML codebook for those.

*Transcripts* are ``TextSource`` elements (``guid`` = transcript GUID,
``plainTextPath="internal://GUID.txt"``) whose stored text (NFC, LF) is written unchanged as
``sources/GUID.txt``, so positions are code points from 0 exactly as the standard says. The
transcript's group is the value of a text variable "Gruppe"/"Group" on the source, and
each group also goes out as a document set (``Set`` with ``MemberSource``, GUID derived from
the group's name), which MAXQDA and NVivo show as a document group.

*Codings* are one ``PlainTextSelection`` each (``guid`` = coding GUID, ``name`` = the start
of the coded text, ``creatingUser`` = the coder) holding one ``Coding`` → ``CodeRef``.

*Participants* are ``Cases`` (``guid`` = participant GUID, ``name`` = label) with text
variables for role, profession and group and a ``SourceRef`` to every transcript they speak
in. Aliases are not exported: they can hold the real names that pseudonyms replaced.

*Memos*: every note is a ``Note`` with ``PlainTextContent`` and the same text in
``sources/<GUID>.txt`` named by ``plainTextPath`` (QualCoder reads notes only from there),
referenced (``NoteRef``) from
what it is about: the project, a source, a code, a selection (notes on a coding), a set
(``MemberNote``, notes on a theme). A coding's own memo is a ``Note`` referenced from its
``Coding``. Reflexive-journal entries are notes referenced from the project.

*Users*: one per distinct coder, note author and journal author, with a GUID derived from
the name (UUID 5), so the same person has the same GUID in every export.

What REFI has no place for — speaker turns (spans, speaker, times), a code's origin
(inductive/deductive), the quote flag, theme status and hierarchy, which notes are coding
memos or journal entries (with their phase), the source format and original file name — is
kept in one extension ``Note`` named ``workbench: data for re-import (not a memo)``: a
sentence saying so, then JSON (``{"format": "workbench-refi", "version": 1, ...}``). It is
inline only and referenced from nothing: QualCoder does not show it, NVivo, MAXQDA and
ATLAS.ti list it among memos under that name, and our reader takes it out again. Turns are only used when the
text's SHA-256 still matches, so a text edited in another program never gets misplaced
turns. The note also carries the project's title and phase, the phase log, snapshots and
review comments; read into a new, empty project they come back whole (into a project with
content, snapshots and comments are added, title, phase and log are not). The linking key
(the replacement list of real names and pseudonyms) is never exported: the note says only
whether the project has one, and the import then says it did not travel. The few control characters XML 1.0 cannot hold at all are left out of names and
notes (transcript texts go to ``sources/`` unchanged).

Importing
---------
Everything a file holds is added in one recorded command (undoable), after the reader has
checked and read the whole archive, so a refused file changes nothing. Codes are matched to
existing ones by GUID, then by name (case and NFC insensitive). Names are unique among
siblings only, as in REFI-QDA: a code that shares its name with a code under another parent
keeps it (screens, the CLI and the Word codebook add the parent path, see
:func:`~workbench.services.codes.display_names`), so a re-export has exactly the file's
names; only a second code of one name under the same parent is numbered. A transcript already in the project (same
GUID and text, or the same text) is not duplicated: the file's codings are added to it. Our
own GUIDs are kept wherever they are free, so exports and re-imports line up.

From other programs: sets of codes become candidate themes; a document set (``Set`` with
``MemberSource``) becomes the group of its transcripts that have none yet (a transcript
already in another group keeps it, with a warning); cases with a role variable
("Rolle"/"Role") become participants; a source variable "Gruppe"/"Group" becomes the
transcript's group; a selection's ``Description`` and the notes it references become the
coding's memo, a source's or the project's ``Description`` a note. Their texts have no
speaker turns, so each paragraph becomes an unattributed turn (the text is never changed,
so positions stay right). Sources without text, codings of unknown codes and positions that
do not fit are skipped and reported as warnings; the rest is imported.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import __version__
from workbench.domain.collation import sort_key
from workbench.domain.model import Origin, Role, ThemeStatus, clean_name, name_key, new_guid
from workbench.domain.speakers import canonical_role
from workbench.formats.atomic import write_atomic
from workbench.formats.csv import SegmentRow, segments_csv
from workbench.formats.refi import model as refi
from workbench.formats.refi.extension import extension_note, text_digest
from workbench.formats.refi.positions import OFFSETS, utf16_counter
from workbench.formats.refi.reader import Progress, ProjectFile, read_qdc, read_qdpx
from workbench.formats.refi.writer import codebook_document, qdpx_archive
from workbench.i18n import UserError, t
from workbench.storage.changelog import bulk_insert
from workbench.storage.models import (
    Code,
    CodeTheme,
    Coding,
    Entity,
    JournalEntry,
    Meta,
    Note,
    Participant,
    PhaseChange,
    Project,
    ReviewComment,
    Snapshot,
    Theme,
    Transcript,
    Turn,
    utcnow,
)
from workbench.storage.search_index import write_index

from .base import Service, next_position
from workbench.domain.codebook import PALETTE

from .codes import scoped_name_key
from .attribution import Attribution
from .privacy import FINGERPRINT, PrivacyService
from .transcripts import TranscriptService

# Fixed GUIDs of the variables this program writes, so its own files are read back exactly
# whatever the interface language was when they were written.
VAR_GROUP = "2f6c1f0e-4a53-4d2b-9a0c-7c1c3c6b1a01"
VAR_ROLE = "2f6c1f0e-4a53-4d2b-9a0c-7c1c3c6b1a02"
VAR_PROFESSION = "2f6c1f0e-4a53-4d2b-9a0c-7c1c3c6b1a03"
_NS = uuid.UUID("0f7d8f8e-2a3b-4c5d-8e9f-a0b1c2d3e4f5")

# Variable names recognised in other programs' files (compared with name_key).
_GROUP_NAMES = {"gruppe", "group", "fokusgruppe", "focus group", "focus-group"}
_ROLE_NAMES = {"rolle", "role"}
_PROFESSION_NAMES = {"yrke", "profession", "profesjon", "occupation"}
PREVIEW = 80


@dataclass(frozen=True)
class ExchangeImportResult:
    """What an import of a ``.qdpx`` added, and what it could not."""

    path: Path
    transcripts_added: int = 0
    transcripts_merged: int = 0  # already in the project; the file's codings were added
    participants_added: int = 0
    codes_added: int = 0
    codes_existing: int = 0
    codings_added: int = 0
    themes_added: int = 0
    notes_added: int = 0
    journal_added: int = 0
    groups_set: int = 0  # transcripts that got their group from a document set
    phase_log_added: int = 0
    snapshots_added: int = 0
    comments_added: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdcImportResult:
    """Like :class:`~workbench.services.codebooks.CodebookImportResult`, plus warnings."""

    name: str
    codes_added: int
    codes_existing: int
    themes_added: int
    warnings: tuple[str, ...] = ()


def user_guid(name: str) -> str:
    return str(uuid.uuid5(_NS, f"user\x00{name}"))


def group_set_guid(name: str) -> str:
    """The GUID of the document set a group goes out as (the same in every export)."""
    return str(uuid.uuid5(_NS, f"group\x00{name_key(name)}"))


def _derived_guid(guid: str, what: str) -> str:
    return str(uuid.uuid5(_NS, f"{what}\x00{guid}"))


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each run of non-blank lines (trimmed): turns for a text that
    comes without any."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            if start is None:
                start = pos + (len(line) - len(line.lstrip()))
            end = pos + len(line.rstrip())
        elif start is not None:
            spans.append((start, end))
            start = None
        pos += len(line) + 1
    if start is not None:
        spans.append((start, end))
    return spans


class ExchangeService(Service):
    # -- export ------------------------------------------------------------------------

    def export_qdpx(self, path: Path, *, offsets: str = "codepoints") -> Path:
        """Write the whole project as a REFI-QDA ``.qdpx`` archive (validated first).

        ``offsets="utf16"`` counts positions in UTF-16 code units, as NVivo for Windows
        does (the standard, and the default, is code points); the two differ only where a
        text holds characters outside the Basic Multilingual Plane (emoji and the like)."""
        if offsets not in OFFSETS:
            raise UserError("exchange.error.offsets", offsets=offsets, known=", ".join(OFFSETS))
        with self.store.read() as s:
            document = self._project_document(s, offsets)
            # the cases carry each participant's profession and group
            attribution = Attribution.of(s)
            attribution.disclose_all(s.execute(
                select(Turn.participant_id, Turn.transcript_id).distinct()).all())
        PrivacyService(self.store).expect_attribution(path, attribution)
        return write_atomic(Path(path), qdpx_archive(document))

    def export_qdc(self, path: Path) -> Path:
        """Write the code tree and the themes (as sets of codes) as a REFI-QDA ``.qdc``."""
        with self.store.read() as s:
            codes = self._code_tree(s, {}, codebook=True)
            themes = _themes_in_map_order(s)
            sets = tuple(
                refi.Set(
                    guid=th.guid, name=th.name, description=th.definition,
                    member_codes=tuple(link.code.guid for link in th.code_links),
                )
                for th in themes
            )
        data = codebook_document(refi.Codebook(codes, sets, origin=f"workbench {__version__}"))
        return write_atomic(Path(path), data)

    def export_segments(self, path: Path) -> Path:
        """Write one CSV row per coding (UTF-8 with BOM, header row)."""
        with self.store.read() as s:
            rows = self._segment_rows(s)
            # each row shows its speakers' professions beside the group
            attribution = Attribution.of(s)
            attribution.disclose_all(_row_speakers(s, rows))
        PrivacyService(self.store).expect_attribution(path, attribution)
        return write_atomic(Path(path), segments_csv(rows))

    # -- export helpers -----------------------------------------------------------------

    @staticmethod
    def _code_tree(
        s: Session, note_refs: dict[int, list[str]], *, codebook: bool = False
    ) -> tuple[refi.Code, ...]:
        codes = list(s.scalars(select(Code)))
        by_parent: dict[int | None, list[Code]] = {}
        for code in codes:
            by_parent.setdefault(code.parent_id, []).append(code)

        def build(parent: int | None) -> tuple[refi.Code, ...]:
            ordered = sorted(by_parent.get(parent, []),
                             key=lambda c: (c.position, sort_key(c.name)))
            return tuple(
                refi.Code(
                    guid=c.guid, name=c.name, colour=c.colour, description=c.description,
                    note_refs=() if codebook else tuple(note_refs.get(c.id, ())),
                    children=build(c.id),
                )
                for c in ordered
            )

        return build(None)

    def _project_document(self, s: Session, offsets: str = "codepoints") -> refi.Project:
        project = s.scalars(select(Project)).one()
        transcripts = list(
            s.scalars(select(Transcript).order_by(Transcript.position, Transcript.id))
        )
        participants = sorted(s.scalars(select(Participant)), key=lambda p: sort_key(p.label))
        turns = list(s.scalars(select(Turn).order_by(Turn.transcript_id, Turn.position, Turn.id)))
        codings = list(s.scalars(select(Coding).order_by(Coding.transcript_id, Coding.start,
                                                         Coding.end, Coding.id)))
        notes = list(s.scalars(select(Note).order_by(Note.created, Note.id)))
        journal = list(s.scalars(select(JournalEntry).order_by(JournalEntry.created,
                                                               JournalEntry.id)))
        themes = _themes_in_map_order(s)
        codes = {c.id: c for c in s.scalars(select(Code))}
        now = utcnow()

        names = {self.actor} | {c.coder for c in codings} | {n.author for n in notes}
        names |= {j.author for j in journal}
        users = tuple(refi.User(user_guid(n), n) for n in sorted(names, key=sort_key))

        # Notes and what they are attached to.
        project_refs: list[str] = []
        by_target: dict[str, dict[int, list[str]]] = {
            k: {} for k in ("transcript", "code", "theme", "coding")
        }
        out_notes: list[refi.Note] = []
        for note in notes:
            out_notes.append(
                refi.Note(note.guid, note.title, note.text, user_guid(note.author),
                          note.created, note.updated)
            )
            for kind in by_target:
                target = getattr(note, f"{kind}_id")
                if target is not None:
                    by_target[kind].setdefault(target, []).append(note.guid)
                    break
            else:
                project_refs.append(note.guid)
        coding_memos: dict[str, str] = {}
        for coding in codings:
            if coding.memo:
                memo_guid = _derived_guid(coding.guid, "memo")
                coding_memos[memo_guid] = coding.guid
                title = t("exchange.memo_title", code=codes[coding.code_id].name)
                out_notes.append(refi.Note(memo_guid, title, coding.memo,
                                           user_guid(coding.coder), coding.created))
        journal_phases: dict[str, int] = {}
        for entry in journal:
            journal_phases[entry.guid] = entry.phase
            project_refs.append(entry.guid)
            out_notes.append(
                refi.Note(entry.guid, t("exchange.journal_title", phase=entry.phase),
                          entry.text, user_guid(entry.author), entry.created)
            )

        # Participants as cases.
        people = {p.id: p for p in participants}
        spoken_in: dict[int, list[int]] = {}
        turns_of: dict[int, list[Turn]] = {}
        for turn in turns:
            turns_of.setdefault(turn.transcript_id, []).append(turn)
            if turn.participant_id is not None:
                seen = spoken_in.setdefault(turn.participant_id, [])
                if turn.transcript_id not in seen:
                    seen.append(turn.transcript_id)
        transcript_guid = {tr.id: tr.guid for tr in transcripts}
        position_of = {tr.id: i for i, tr in enumerate(transcripts)}
        cases = []
        for p in participants:
            values = [(VAR_ROLE, p.role)]
            if p.profession:
                values.append((VAR_PROFESSION, p.profession))
            if p.group_name:
                values.append((VAR_GROUP, p.group_name))
            where = sorted(spoken_in.get(p.id, []), key=lambda tid: position_of[tid])
            cases.append(
                refi.Case(p.guid, p.label, tuple(values),
                          tuple(transcript_guid[tid] for tid in where))
            )

        # Transcripts as sources, codings as selections.
        codings_of: dict[int, list[Coding]] = {}
        for coding in codings:
            codings_of.setdefault(coding.transcript_id, []).append(coding)
        sources = []
        ext_transcripts: dict[str, Any] = {}
        for tr in transcripts:
            selections = []
            count = utf16_counter(tr.text) if offsets == "utf16" else (lambda offset: offset)
            for coding in codings_of.get(tr.id, []):
                memo_refs = (_derived_guid(coding.guid, "memo"),) if coding.memo else ()
                coder = user_guid(coding.coder)
                selections.append(
                    refi.Selection(
                        guid=coding.guid, start=count(coding.start), end=count(coding.end),
                        name=_preview(tr.text[coding.start:coding.end]), user_guid=coder,
                        created=coding.created,
                        codings=(
                            refi.Coding(
                                _derived_guid(coding.guid, "coding"), codes[coding.code_id].guid,
                                coder, coding.created, memo_refs,
                            ),
                        ),
                        note_refs=tuple(by_target["coding"].get(coding.id, ())),
                    )
                )
            sources.append(
                refi.TextSource(
                    guid=tr.guid, name=tr.name, text=tr.text, created=tr.created,
                    selections=tuple(selections),
                    note_refs=tuple(by_target["transcript"].get(tr.id, ())),
                    values=((VAR_GROUP, tr.group_name),) if tr.group_name else (),
                )
            )
            ext_transcripts[tr.guid] = {
                "sha256": text_digest(tr.text),
                "source_format": tr.source_format,
                "original_filename": tr.original_filename,
                "turns": [
                    [u.guid, people[u.participant_id].guid if u.participant_id else None,
                     u.start, u.end, u.start_ms, u.end_ms]
                    for u in turns_of.get(tr.id, [])
                ],
            }

        used = {var for case in cases for var, _ in case.values}
        used |= {var for src in sources for var, _ in src.values}
        variables = tuple(
            refi.Variable(guid, t(f"exchange.variable.{key}"))
            for guid, key in ((VAR_GROUP, "group"), (VAR_ROLE, "role"),
                              (VAR_PROFESSION, "profession"))
            if guid in used
        )

        sets = tuple(
            refi.Set(
                guid=th.guid, name=th.name, description=th.definition,
                member_codes=tuple(link.code.guid for link in th.code_links),
                member_notes=tuple(by_target["theme"].get(th.id, ())),
            )
            for th in themes
        )
        groups: dict[str, list[str]] = {}  # group -> its transcripts' GUIDs
        for tr in transcripts:
            if tr.group_name:
                groups.setdefault(tr.group_name, []).append(tr.guid)
        sets += tuple(
            refi.Set(guid=group_set_guid(name), name=name, member_sources=tuple(members))
            for name, members in groups.items()
        )
        theme_guid = {th.id: th.guid for th in themes}
        extension = {
            "offsets": offsets,
            **_project_history(s, project),
            "transcripts": ext_transcripts,
            "participants": [p.guid for p in participants],
            "codes": {c.guid: {"origin": c.origin} for c in codes.values()},
            "codings": {c.guid: {"quote": True} for c in codings if c.is_quote},
            "coding_memos": coding_memos,
            "journal": journal_phases,
            "themes": {
                th.guid: {"status": th.status, "is_misc": th.is_misc,
                          "parent": theme_guid.get(th.parent_id) if th.parent_id else None}
                for th in themes
            },
        }
        out_notes.append(extension_note(_derived_guid(project.guid, "exchange"), extension,
                                        user_guid(self.actor), now))
        return refi.Project(
            name=project.title, origin=f"workbench {__version__}",
            creating_user=user_guid(self.actor), created=project.created, modified=now,
            users=users, codes=self._code_tree(s, by_target["code"]), variables=variables,
            cases=tuple(cases), sources=tuple(sources), notes=tuple(out_notes), sets=sets,
            note_refs=tuple(project_refs),
        )

    @staticmethod
    def _segment_rows(s: Session) -> list[SegmentRow]:
        transcripts = {tr.id: tr for tr in s.scalars(select(Transcript))}
        codes = {c.id: c for c in s.scalars(select(Code))}
        people = {p.id: p for p in s.scalars(select(Participant))}
        themes_of: dict[int, list[str]] = {}
        for theme in _themes_in_map_order(s):
            for link in theme.code_links:
                themes_of.setdefault(link.code_id, []).append(theme.name)
        turns_of: dict[int, list[Turn]] = {}
        for turn in s.scalars(select(Turn).order_by(Turn.transcript_id, Turn.start, Turn.id)):
            turns_of.setdefault(turn.transcript_id, []).append(turn)
        ends_of = {tid: [u.end for u in turns] for tid, turns in turns_of.items()}
        order = {tid: (tr.position, tr.id) for tid, tr in transcripts.items()}
        codings = sorted(
            s.scalars(select(Coding)),
            key=lambda c: (order[c.transcript_id], c.start, c.end, sort_key(codes[c.code_id].name)),
        )
        rows = []
        for coding in codings:
            tr = transcripts[coding.transcript_id]
            speakers: list[Participant] = []
            turns = turns_of.get(tr.id, [])
            # Turns are ordered and do not overlap: start at the first that ends after the
            # coding's start.
            for turn in turns[bisect_right(ends_of.get(tr.id, []), coding.start):]:
                if turn.start >= coding.end:
                    break
                if turn.end > coding.start and turn.participant_id is not None:
                    person = people[turn.participant_id]
                    if person not in speakers:
                        speakers.append(person)
            code = codes[coding.code_id]
            rows.append(
                SegmentRow(
                    transcript=tr.name, group=tr.group_name or "",
                    speakers=tuple(p.label for p in speakers),
                    roles=tuple(p.role for p in speakers),
                    professions=tuple(p.profession or "" for p in speakers),
                    code=code.name, themes=tuple(themes_of.get(code.id, ())),
                    start=coding.start, end=coding.end,
                    text=tr.text[coding.start:coding.end], quote=coding.is_quote,
                    memo=coding.memo, coder=coding.coder, coding_guid=coding.guid,
                )
            )
        return rows

    # -- import ------------------------------------------------------------------------

    def import_qdpx(self, path: Path, *, progress: Progress | None = None) -> ExchangeImportResult:
        """Import a ``.qdpx`` from any REFI-QDA program as one undoable command.

        The archive is checked and read completely before anything is written; an unsafe
        or unreadable archive raises :class:`~workbench.i18n.UserError` and changes nothing.
        """
        path = Path(path)
        privacy = PrivacyService(self.store)
        document = privacy.pseudonymise_qdpx(read_qdpx(path, progress=progress))
        # the file's own name too («intervju Kari.qdpx»): in the log, and as the
        # original file name of its sources
        named = path.with_name(privacy.pseudonymiser().filename(path.name))
        with self.store.command("exchange.import_qdpx", file=named.name) as s:
            result = _ProjectImport(s, document, self.actor, named, progress).run()
        if progress:
            progress("done", 1, 1)
        return result

    def import_qdc(self, path: Path) -> QdcImportResult:
        """Add a ``.qdc`` codebook's codes (and sets of codes, as candidate themes)."""
        path = Path(path)
        privacy = PrivacyService(self.store)
        book = privacy.pseudonymise_qdc(read_qdc(path))
        warnings = list(book.warnings)
        name = privacy.pseudonymiser().filename(path.name)
        with self.store.command("exchange.import_qdc", file=name) as s:
            codes = _CodeImport(s, warnings)
            code_map = codes.add(book.codebook.codes, {})
            themes_added = _add_sets(s, book.codebook.sets, code_map, {}, warnings, {})
            return QdcImportResult(book.name, codes.added, codes.existing, themes_added,
                                   tuple(warnings))


def _row_speakers(s: Session, rows: list[SegmentRow]) -> Iterator[tuple[int, int | None]]:
    """(participant id, transcript id) of every speaker the segment rows show."""
    people = dict(s.execute(select(Participant.label, Participant.id)).all())
    transcripts = dict(s.execute(select(Transcript.name, Transcript.id)).all())
    for row in rows:
        for label in row.speakers:
            if label in people:
                yield people[label], transcripts.get(row.transcript)


# -- shared import helpers ------------------------------------------------------------------


def _themes_in_map_order(s: Session) -> list[Theme]:
    """Themes parents first, siblings in map order."""
    themes = list(s.scalars(select(Theme).order_by(Theme.position, Theme.id)))
    by_parent: dict[int | None, list[Theme]] = {}
    for theme in themes:
        by_parent.setdefault(theme.parent_id, []).append(theme)
    out: list[Theme] = []

    def visit(parent: int | None) -> None:
        for theme in by_parent.get(parent, []):
            out.append(theme)
            visit(theme.id)

    visit(None)
    return out


class _Guids:
    """GUIDs already used per table, so an imported GUID is kept only where it is free."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.taken: dict[type[Entity], set[str]] = {}

    def free(self, cls: type[Entity], guid: str | None) -> str | None:
        taken = self.taken.get(cls)
        if taken is None:
            taken = self.taken[cls] = set(self.s.scalars(select(cls.guid)))
        if guid is None or guid in taken:
            return None
        taken.add(guid)
        return guid

    def exists(self, cls: type[Entity], guid: str) -> bool:
        if cls not in self.taken:
            self.taken[cls] = set(self.s.scalars(select(cls.guid)))
        return guid in self.taken[cls]

    def claim(self, cls: type[Entity], guid: str) -> None:
        self.exists(cls, guid)
        self.taken[cls].add(guid)


class _CodeImport:
    """Adds a REFI code tree, reusing codes by GUID and then by name."""

    def __init__(self, s: Session, warnings: list[str], guids: _Guids | None = None) -> None:
        self.s = s
        self.warnings = warnings
        self.guids = guids or _Guids(s)
        self.added = self.existing = 0

    def add(self, tree: Iterable[refi.Code], origins: dict[str, str]) -> dict[str, Code]:
        """Add the codes of ``tree``; returns the project's code for every file GUID.

        A code is the project's code of the same GUID, else (the first time the file uses
        a name) the project's code of that name. Otherwise it is added under its parent
        with its own name: names are unique among siblings only, as in REFI-QDA, so a code
        that shares its name with one under another parent keeps it (the interface tells
        them apart by their parent path); only a second code of one name under the same
        parent gets a number."""
        s = self.s
        by_guid = {c.guid: c for c in s.scalars(select(Code))}
        by_key = {c.name_key: c for c in by_guid.values()}
        claimed: set[str] = set()  # name keys used by a code of this file
        count = len(by_guid)
        out: dict[str, Code] = {}
        for node, parent in refi.walk(tree):
            name = clean_name(node.name) or t("exchange.unnamed_code")
            code = by_guid.get(node.guid)
            if code is None and name_key(name) not in claimed:
                code = by_key.get(name_key(name))
            if code is not None:
                out[node.guid] = code
                claimed.add(name_key(code.name))
                self.existing += 1
                continue
            parent_id = out[parent.guid].id if parent is not None else None
            siblings = {name_key(c.name) for c in by_guid.values() if c.parent_id == parent_id}
            if name_key(name) in siblings:
                wanted = name
                name = next(c for c in (f"{wanted} ({n})" for n in range(2, 10_000))
                            if name_key(c) not in siblings and name_key(c) not in by_key)
                self.warnings.append(t("exchange.warning.renamed_code", name=wanted, new=name))
            origin = origins.get(node.guid, Origin.INDUCTIVE)
            if origin not in (Origin.INDUCTIVE, Origin.DEDUCTIVE):
                origin = Origin.INDUCTIVE
            guid = self.guids.free(Code, node.guid) or new_guid()
            self.guids.claim(Code, guid)
            key = name_key(name)
            code = Code(
                guid=guid, name=name,
                name_key=scoped_name_key(name, guid) if key in by_key else key,
                description=node.description,
                colour=node.colour or PALETTE[count % len(PALETTE)], parent_id=parent_id,
                origin=str(origin),
                position=next_position(s, Code.position, Code.parent_id == parent_id),
            )
            s.add(code)
            s.flush()
            count += 1
            self.added += 1
            by_key.setdefault(key, code)
            by_guid[code.guid] = code
            claimed.add(key)
            out[node.guid] = code
        return out


def _add_sets(
    s: Session, sets: Iterable[refi.Set], code_map: dict[str, Code],
    known: dict[str, dict[str, Any]], warnings: list[str], theme_map: dict[str, Theme],
    guids: _Guids | None = None,
) -> int:
    """Sets of codes become themes; ``known`` holds our own theme data by GUID (status,
    parent, is_misc). Fills ``theme_map`` (set GUID → theme); returns themes added."""
    guids = guids or _Guids(s)
    existing = {th.guid: th for th in s.scalars(select(Theme))}
    parents: dict[str, str | None] = {
        item.guid: (known.get(item.guid) or {}).get("parent") for item in sets
    }
    pending = list(sets)
    added = skipped = 0
    while pending:
        waiting = {item.guid for item in pending}
        ready = [item for item in pending if parents[item.guid] not in waiting]
        if not ready:  # a cycle of parents: the rest become main themes
            parents.update(dict.fromkeys(waiting))
            continue
        for item in ready:
            info = known.get(item.guid) or {}
            parent_guid = parents[item.guid]
            pending.remove(item)
            members = [code_map[g] for g in item.member_codes if g in code_map]
            if not members and item.guid not in known:
                if not item.member_sources:  # a document set is the transcripts' group
                    skipped += 1
                continue
            parent = theme_map.get(parent_guid) if parent_guid else None
            parent_id = parent.id if parent is not None else None
            theme = existing.get(item.guid)
            if theme is None:
                name = clean_name(item.name) or t("exchange.unnamed_theme")
                theme = next(
                    (th for th in s.scalars(select(Theme).where(Theme.parent_id == parent_id))
                     if name_key(th.name) == name_key(name)),
                    None,
                )
                if theme is None:
                    status = info.get("status", ThemeStatus.CANDIDATE)
                    if status not in ThemeStatus.__members__.values():
                        status = ThemeStatus.CANDIDATE
                    theme = Theme(
                        name=name, definition=item.description, status=str(status),
                        parent_id=parent_id, is_misc=bool(info.get("is_misc", False)),
                        position=next_position(s, Theme.position, Theme.parent_id == parent_id),
                    )
                    guid = guids.free(Theme, item.guid)
                    if guid:
                        theme.guid = guid
                    s.add(theme)
                    s.flush()
                    existing[theme.guid] = theme
                    added += 1
            theme_map[item.guid] = theme
            linked = {link.code_id for link in theme.code_links}
            for code in members:
                if code.id not in linked:
                    position = next_position(s, CodeTheme.position,
                                             CodeTheme.theme_id == theme.id)
                    s.add(CodeTheme(code_id=code.id, theme_id=theme.id, position=position))
                    s.flush()
                    linked.add(code.id)
            s.expire(theme, ["code_links"])
    if skipped:
        warnings.append(t("exchange.warning.empty_sets", n=skipped))
    return added


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _project_history(s: Session, project: Project) -> dict[str, Any]:
    """What the extension note carries of the project itself: title, phase, the phase log,
    snapshots and review comments. Never the linking key (real names and their pseudonyms,
    the ``replacement`` table): only whether the project has one, so that the import can
    say it did not travel."""
    snapshots = list(s.scalars(select(Snapshot).order_by(Snapshot.created, Snapshot.id)))
    snapshot_guid = {snap.id: snap.guid for snap in snapshots}
    comments = list(s.scalars(select(ReviewComment).order_by(ReviewComment.created,
                                                             ReviewComment.id)))
    comment_guid = {c.id: c.guid for c in comments}
    return {
        "project": {"title": project.title, "phase": project.phase},
        "phase_log": [
            {"guid": r.guid, "from": r.from_phase, "to": r.to_phase, "reason": r.reason,
             "actor": r.actor, "created": _when(r.created)}
            for r in s.scalars(select(PhaseChange).order_by(PhaseChange.created,
                                                            PhaseChange.id))
        ],
        "snapshots": [
            {"guid": snap.guid, "name": snap.name, "author": snap.author,
             "created": _when(snap.created), "data": snap.data}
            for snap in snapshots
        ],
        "review_comments": [
            {"guid": c.guid, "anchor_kind": c.anchor_kind, "anchor_guid": c.anchor_guid,
             "anchor_label": c.anchor_label, "snapshot": snapshot_guid.get(c.snapshot_id),
             "parent": comment_guid.get(c.parent_id), "author": c.author, "text": c.text,
             "status": c.status, "created": _when(c.created), "resolved_by": c.resolved_by,
             "resolved_at": _when(c.resolved_at)}
            for c in comments
        ],
        "linking_key_left_out": s.get(Meta, FINGERPRINT) is not None,
    }


def _variable_value(
    pairs: refi.Values, variables: dict[str, str], fixed: str, names: set[str]
) -> str | None:
    """A variable's value by our fixed GUID, else by a known name."""
    values = dict(pairs)
    if fixed in values:
        value: str | None = values[fixed]
    else:
        value = next((v for g, v in values.items() if name_key(variables.get(g, "")) in names),
                     None)
    return value if value and value.strip() else None


@dataclass
class _Target:
    kind: str  # project | transcript | code | theme | coding | memo | journal | consumed
    entity: Any = None


class _ProjectImport:
    """Maps one read ``.qdpx`` into the project, inside the caller's command."""

    def __init__(
        self, s: Session, read: ProjectFile, actor: str, path: Path,
        progress: Progress | None,
    ) -> None:
        self.s = s
        self.doc = doc = read.project
        self.actor = actor
        self.path = path
        self.progress = progress
        self.ext: dict[str, Any] = read.extension or {}
        self.ours = read.extension is not None
        self.warnings: list[str] = list(read.warnings)
        self.guids = _Guids(s)
        self.counts: Counter[str] = Counter()  # fields of ExchangeImportResult
        self.targets: dict[str, _Target] = {}
        self.notes = {note.guid: note for note in doc.notes}
        self.variables = {v.guid: v.name for v in doc.variables}
        self.users = {user.guid: user.name for user in doc.users}
        self.transcript_of: dict[str, Transcript] = {}  # source GUID -> transcript

    def author(self, *guids: str | None) -> str:
        for guid in guids:
            if guid and self.users.get(guid):
                return self.users[guid]
        return self.actor

    def target(self, guids: Iterable[str], kind: str, entity: Any = None) -> None:
        for guid in guids:
            self.targets.setdefault(guid, _Target(kind, entity))

    def _ext(self, key: str) -> dict[str, Any]:
        value = self.ext.get(key)
        return value if isinstance(value, dict) else {}

    # -- steps ------------------------------------------------------------------------

    def run(self) -> ExchangeImportResult:
        s = self.s
        fresh = all(s.scalar(select(cls.id).limit(1)) is None
                    for cls in (Transcript, Code, Theme, Note, JournalEntry, PhaseChange))
        for memo_guid in self._ext("coding_memos"):
            self.targets[memo_guid] = _Target("memo")
        for journal_guid in self._ext("journal"):
            self.targets[journal_guid] = _Target("journal")
        codes = _CodeImport(self.s, self.warnings, self.guids)
        origins = {g: v.get("origin", "") for g, v in self._ext("codes").items()
                   if isinstance(v, dict)}
        code_map = codes.add(self.doc.codes, origins)
        for node, _parent in refi.walk(self.doc.codes):
            self.target(node.note_refs, "code", code_map[node.guid])
        theme_map: dict[str, Theme] = {}
        self.counts["themes_added"] = _add_sets(
            self.s, self.doc.sets, code_map, self._ext("themes"), self.warnings, theme_map,
            self.guids,
        )
        for item in self.doc.sets:
            if item.guid in theme_map:
                self.target(item.member_notes, "theme", theme_map[item.guid])
        people = self.participants()
        self.sources(code_map, people)
        self.document_sets()
        self.target(self.doc.note_refs, "project")
        if self.doc.description.strip():
            self.s.add(Note(title=t("exchange.description_title"), text=self.doc.description,
                            author=self.actor))
            self.counts["notes_added"] += 1
        self.add_notes()
        if self.ours:
            self.history(fresh)
        return ExchangeImportResult(
            path=self.path, codes_added=codes.added, codes_existing=codes.existing,
            warnings=tuple(self.warnings), **self.counts,
        )

    def history(self, fresh: bool) -> None:
        """Our own file: the project's title, phase and phase log (into a new, empty
        project only: they are another project's history otherwise), its snapshots and
        review comments (kept by GUID). The linking key never travels; say so."""
        s = self.s
        if self.ext.get("linking_key_left_out"):
            self.warnings.append(t("exchange.warning.linking_key"))
        info = self._ext("project")
        if fresh and info:
            project = s.scalars(select(Project)).one()
            title = clean_name(str(info.get("title") or ""))
            if title:
                project.title = title
            if info.get("phase") in range(1, 7):
                project.phase = int(info["phase"])
            log = self.ext.get("phase_log")
            for item in log if isinstance(log, list) else []:
                if not isinstance(item, dict) or item.get("from") not in range(1, 7) or \
                        item.get("to") not in range(1, 7):
                    continue
                row = PhaseChange(from_phase=item["from"], to_phase=item["to"],
                                  reason=str(item.get("reason") or ""),
                                  actor=str(item.get("actor") or self.actor),
                                  created=_parse_when(item.get("created")) or utcnow())
                guid = self.guids.free(PhaseChange, item.get("guid"))
                if guid:
                    row.guid = guid
                s.add(row)
                self.counts["phase_log_added"] += 1
        elif info:
            project = s.scalars(select(Project)).one()
            log = self.ext.get("phase_log")
            known = set(s.scalars(select(PhaseChange.guid)))
            other_log = any(isinstance(item, dict) and item.get("guid") not in known
                            for item in (log if isinstance(log, list) else []))
            if (info.get("title"), info.get("phase")) != (project.title, project.phase) or \
                    other_log:
                self.warnings.append(t("exchange.warning.history_not_merged"))
        snapshot_id: dict[str, int] = {}
        names = set(s.scalars(select(Snapshot.name)))
        snaps = self.ext.get("snapshots")
        for item in snaps if isinstance(snaps, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
                continue
            name = clean_name(str(item.get("name") or ""))
            guid = self.guids.free(Snapshot, item.get("guid"))
            if not name or name in names or guid is None:
                continue
            snap = Snapshot(guid=guid, name=name, author=str(item.get("author") or self.actor),
                            created=_parse_when(item.get("created")) or utcnow(),
                            data=item["data"])
            s.add(snap)
            s.flush()
            names.add(name)
            snapshot_id[guid] = snap.id
            self.counts["snapshots_added"] += 1
        comment_id: dict[str, int] = {}
        comments = self.ext.get("review_comments")
        for item in comments if isinstance(comments, list) else []:  # parents come first
            if not isinstance(item, dict) or not str(item.get("text") or "").strip():
                continue
            status = item.get("status") if item.get("status") in ("open", "resolved") else "open"
            parent = item.get("parent")
            if parent is not None and parent not in comment_id:
                continue  # a reply to a comment that is not here
            guid = self.guids.free(ReviewComment, item.get("guid"))
            if guid is None:
                continue
            row = ReviewComment(
                guid=guid, anchor_kind=str(item.get("anchor_kind") or "project"),
                anchor_guid=item.get("anchor_guid") if isinstance(item.get("anchor_guid"), str)
                else None,
                anchor_label=str(item.get("anchor_label") or ""),
                snapshot_id=snapshot_id.get(item.get("snapshot") or ""),
                parent_id=comment_id.get(parent) if parent else None,
                author=str(item.get("author") or self.actor), text=str(item["text"]),
                status=status, created=_parse_when(item.get("created")) or utcnow(),
                resolved_by=item.get("resolved_by") if isinstance(item.get("resolved_by"), str)
                else None,
                resolved_at=_parse_when(item.get("resolved_at")),
            )
            s.add(row)
            s.flush()
            comment_id[guid] = row.id
            self.counts["comments_added"] += 1
        s.flush()

    def participants(self) -> dict[str, Participant]:
        given = self.ext.get("participants")
        listed = set(given) if isinstance(given, list) else set()
        out: dict[str, Participant] = {}
        existing = {p.guid: p for p in self.s.scalars(select(Participant))}
        ignored = 0
        for case in self.doc.cases:
            role_value = _variable_value(case.values, self.variables, VAR_ROLE, _ROLE_NAMES)
            role = canonical_role(role_value or "")
            label = clean_name(case.name)
            if not label or (case.guid not in listed and role is None):
                ignored += 1
                continue
            person = existing.get(case.guid) or TranscriptService.find_participant(self.s, label)
            if person is None:
                profession = _variable_value(case.values, self.variables, VAR_PROFESSION,
                                             _PROFESSION_NAMES)
                group = _variable_value(case.values, self.variables, VAR_GROUP, _GROUP_NAMES)
                person = Participant(
                    label=label, role=str(role or Role.INFORMANT),
                    profession=profession, group_name=group, aliases=[],
                )
                guid = self.guids.free(Participant, case.guid)
                if guid:
                    person.guid = guid
                self.s.add(person)
                self.s.flush()
                self.counts["participants_added"] += 1
            out[case.guid] = person
        if ignored:
            self.warnings.append(t("exchange.warning.cases_ignored", n=ignored))
        return out

    def sources(self, code_map: dict[str, Code], people: dict[str, Participant]) -> None:
        s = self.s
        by_guid = {tr.guid: tr for tr in s.scalars(select(Transcript))}
        # Only transcripts that were here before: a project may hold two equal texts.
        by_text = {tr.text: tr for tr in by_guid.values()}
        names = {tr.name for tr in by_guid.values()}
        total = len(self.doc.sources)
        for i, source in enumerate(self.doc.sources):
            if self.progress:
                self.progress("store", i, total)
            if source.text is None:
                continue  # reported by the reader
            if not source.text.strip():
                self.warnings.append(t("exchange.warning.empty_source", name=source.name))
                continue
            transcript = by_guid.get(source.guid)
            if transcript is not None and transcript.text != source.text:
                transcript = None
            transcript = transcript or by_text.get(source.text)
            if transcript is not None:
                self.warnings.append(t("exchange.warning.merged_source", name=source.name,
                                       existing=transcript.name))
                self.counts["transcripts_merged"] += 1
            else:
                transcript = self.new_transcript(source, people, names, i)
                by_guid[transcript.guid] = transcript
            self.transcript_of[source.guid] = transcript
            self.target(source.note_refs, "transcript", transcript)
            if source.description.strip():
                s.add(Note(transcript_id=transcript.id, title=t("exchange.description_title"),
                           text=source.description, author=self.actor))
                self.counts["notes_added"] += 1
            self.codings(source, transcript, code_map)

    def document_sets(self) -> None:
        """A set of sources (``MemberSource``) is a group: its transcripts get its name as
        their group, unless they have another one already (then a warning)."""
        for item in self.doc.sets:
            name = clean_name(item.name)
            if not item.member_sources or not name:
                continue
            for guid in item.member_sources:
                transcript = self.transcript_of.get(guid)
                if transcript is None:
                    continue
                if transcript.group_name is None or not transcript.group_name.strip():
                    transcript.group_name = name
                    self.counts["groups_set"] += 1
                elif name_key(transcript.group_name) != name_key(name):
                    self.warnings.append(t("exchange.warning.set_group_conflict", set=name,
                                           name=transcript.name, group=transcript.group_name))
        self.s.flush()

    def new_transcript(
        self, source: refi.TextSource, people: dict[str, Participant], names: set[str], index: int
    ) -> Transcript:
        s = self.s
        text = source.text
        assert text is not None
        info = self._ext("transcripts").get(source.guid)
        info = info if isinstance(info, dict) else {}
        wanted = clean_name(source.name) or t("exchange.unnamed_source", n=index + 1)
        name = wanted
        n = 2
        while name in names:
            name = f"{wanted} ({n})"
            n += 1
        if name != wanted:
            self.warnings.append(t("exchange.warning.renamed_source", name=wanted, new=name))
        names.add(name)
        group = _variable_value(source.values, self.variables, VAR_GROUP, _GROUP_NAMES)
        transcript = Transcript(
            name=name, group_name=group,
            source_format=str(info.get("source_format") or "refi-qda"),
            original_filename=info.get("original_filename") if info else self.path.name,
            text=text,
            position=next_position(s, Transcript.position),
        )
        if source.created is not None:
            transcript.created = source.created
        guid = self.guids.free(Transcript, source.guid)
        if guid:
            transcript.guid = guid
        s.add(transcript)
        s.flush()
        bulk_insert(s, Turn, [
            {"guid": self.guids.free(Turn, guid) or new_guid(), "transcript_id": transcript.id,
             "participant_id": participant, "position": position, "start": start, "end": end,
             "start_ms": start_ms, "end_ms": end_ms}
            for position, (guid, participant, start, end, start_ms, end_ms)
            in enumerate(self.turns(text, info, people, source.name))
        ])
        if self.progress:
            self.progress("index", index, len(self.doc.sources))
        write_index(s, transcript.id, text)
        self.counts["transcripts_added"] += 1
        return transcript

    def turns(
        self, text: str, info: dict[str, Any], people: dict[str, Participant], name: str
    ) -> list[tuple[str | None, int | None, int, int, int | None, int | None]]:
        stored = info.get("turns")
        if isinstance(stored, list) and info.get("sha256") == text_digest(text):
            out = []
            valid = True
            for item in stored:
                try:
                    guid, person, start, end, start_ms, end_ms = item
                    start, end = int(start), int(end)
                except (TypeError, ValueError):
                    valid = False
                    break
                if not 0 <= start <= end <= len(text):
                    valid = False
                    break
                participant = people.get(person) if person else None
                out.append((
                    guid if isinstance(guid, str) else None,
                    participant.id if participant is not None else None, start, end,
                    start_ms if isinstance(start_ms, int) else None,
                    end_ms if isinstance(end_ms, int) else None,
                ))
            if valid:
                return out
        if stored:
            self.warnings.append(t("exchange.warning.turns_lost", name=name))
        return [(None, None, a, b, None, None) for a, b in paragraph_spans(text)]

    def codings(self, source: refi.TextSource, transcript: Transcript,
                code_map: dict[str, Code]) -> None:
        s = self.s
        quotes = self._ext("codings")
        memos = self._ext("coding_memos")
        existing = {
            (c.code_id, c.start, c.end)
            for c in s.scalars(select(Coding).where(Coding.transcript_id == transcript.id))
        }
        selections = list(source.selections)
        if source.codings:  # codings of the whole source
            selections.append(refi.Selection(guid="", start=0, end=len(transcript.text),
                                             codings=source.codings))
        unknown = 0
        rows: list[dict[str, Any]] = []
        for selection in selections:
            for coding in selection.codings:
                code = code_map.get(coding.code_guid)
                if code is None:
                    unknown += 1
                    continue
                # Our own files: one coding per selection, sharing the coding's GUID.
                single = len(selection.codings) == 1 and selection.guid
                guid = selection.guid if single else coding.guid
                refs = [*coding.note_refs, *selection.note_refs]
                if self.ours:
                    memo = "\n\n".join(
                        self.notes[r].text for r in refs if memos.get(r) == guid and r in self.notes
                    )
                    self.target(selection.note_refs, "coding", guid)
                else:  # other programs: comments on a quotation are its memo
                    parts = [selection.description, *(self.notes[r].text for r in refs
                                                       if r in self.notes)]
                    memo = "\n\n".join(p for p in parts if p.strip())
                    self.target(refs, "consumed")
                key = (code.id, selection.start, selection.end)
                if self.guids.exists(Coding, guid) or key in existing:
                    continue  # already in the project
                self.guids.claim(Coding, guid)
                rows.append({
                    "guid": guid, "transcript_id": transcript.id, "code_id": code.id,
                    "start": selection.start, "end": selection.end,
                    "coder": self.author(coding.user_guid, selection.user_guid),
                    "created": coding.created or selection.created or utcnow(), "memo": memo,
                    "is_quote": bool((quotes.get(guid) or {}).get("quote", False)),
                })
                existing.add(key)
        bulk_insert(s, Coding, rows)
        self.counts["codings_added"] += len(rows)
        if unknown:
            self.warnings.append(t("exchange.warning.unknown_code", source=source.name, n=unknown))

    def add_notes(self) -> None:
        s = self.s
        journal = self._ext("journal")
        phase = s.scalars(select(Project)).one().phase
        for note in self.doc.notes:
            target = self.targets.get(note.guid, _Target("project"))
            if target.kind in ("memo", "consumed"):
                continue
            author = self.author(note.user_guid)
            created = note.created or utcnow()
            if target.kind == "journal":
                if not self.guids.free(JournalEntry, note.guid):
                    continue
                entry_phase = journal.get(note.guid)
                s.add(JournalEntry(
                    guid=note.guid,
                    phase=entry_phase if entry_phase in range(1, 7) else phase,
                    text=note.text, author=author, created=created,
                ))
                self.counts["journal_added"] += 1
                continue
            if not self.guids.free(Note, note.guid):
                continue
            row = Note(guid=note.guid, title=note.name, text=note.text, author=author,
                       created=created, updated=note.modified or created)
            if target.kind == "coding":
                coding = s.scalars(select(Coding).where(Coding.guid == target.entity)).first()
                if coding is not None:
                    row.coding_id = coding.id
            elif target.kind in ("transcript", "code", "theme"):
                setattr(row, f"{target.kind}_id", target.entity.id)
            s.add(row)
            self.counts["notes_added"] += 1
        s.flush()


__all__ = [
    "ExchangeImportResult",
    "ExchangeService",
    "QdcImportResult",
    "paragraph_spans",
    "user_guid",
]
