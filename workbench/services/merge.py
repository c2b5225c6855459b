"""Merging a colleague's work: their codings on our transcripts, under their own names.

``MergeService.merge(path)`` reads a colleague's project file (``.wbp``, any schema this
program can open) or a ``.qdpx`` from this or another REFI-QDA program, and adds their
codings, with their memos and the notes on them, to the transcripts we share, as one
undoable command (``merge.colleague``, a researcher's command).

What is matched, and how
------------------------
*Coders.* Every coding keeps the coder its file names (a ``.qdpx`` coding without a user
gets the file's creating user, else the file's name). One coder's codings are never merged
with another's: a colleague's coding of the same span with the same code as one of ours is
a coding of its own. Only the very same coding is recognised (its GUID, or the same
transcript, code, span *and* coder), which is why a second merge of the same file adds
nothing ("already merged"), and why our own codings in a copy of our project that the
colleague worked on are not doubled.

*Transcripts* are matched by their text, never by GUID or name: a SHA-256 of the stored
text (NFC, LF, after our pseudonymisation, see below) finds the exact copies at once.
A colleague's transcript whose text is not one of ours is paired, only to say where it
differs, with our transcript of the same GUID, else the same name, else the most similar
text (at least :data:`SIMILAR` of its lines alike). Its codings are then mapped through
:func:`workbench.domain.text_diff.diff_texts`: a coding that lies wholly in a stretch both
texts share comes in at our offsets (its text is checked to be the same character for
character); a coding that touches a changed part is skipped and listed. The report names
each change by our line and turn number, with the first words of our and their version.
A transcript the colleague has and we have not is reported and not imported (import it
first, then merge again).

*Codes* are matched by GUID, then by name (case and NFC insensitive, as the codebook
compares names; each of our codes matches one of theirs at most). A code that matches
neither is created with its colour, description and origin under its parent (matched or
created in turn, so their tree keeps its shape). Only codes that the merged codings use
(and their parents) are created: their codebook otherwise stays theirs.

*Privacy.* Everything from the colleague's file that enters the project (texts compared,
memos, notes, code names and descriptions, coder names) first goes through the project's
one pseudonymisation step (:meth:`PrivacyService.pseudonymiser`, the linking key), exactly
as an import does; coded spans follow the replaced names.

The colleague's file is never written: a ``.wbp`` is copied to a temporary folder and the
copy is opened (and upgraded when it has an older schema).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.codebook import PALETTE
from workbench.domain.model import Origin, clean_name, name_key, new_guid
from workbench.domain.text_diff import TextDiff, diff_texts, first_words
from workbench.formats.refi import model as refi
from workbench.formats.refi.extension import text_digest
from workbench.formats.refi.reader import read_qdpx
from workbench.i18n import UserError, t
from workbench.storage.changelog import bulk_insert
from workbench.storage.database import Store, check_project_file
from workbench.storage.models import Code, Coding, Member, Note, Transcript, Turn, utcnow

from .base import Service, next_position
from .codes import scoped_name_key
from .privacy import PrivacyService, Pseudonymiser

COMMAND = "merge.colleague"
SIMILAR = 0.6
"""How alike (difflib ratio of lines) a colleague's changed transcript must be to one of
ours to be reported as a changed version of it rather than as a transcript we lack."""
PREVIEW_WORDS = 8
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


# -- what the colleague's file holds ----------------------------------------------------------


@dataclass(frozen=True)
class TheirNote:
    guid: str
    title: str
    text: str
    author: str
    created: datetime | None = None
    updated: datetime | None = None


@dataclass(frozen=True)
class TheirCoding:
    guid: str
    code_guid: str
    start: int
    end: int
    coder: str
    created: datetime | None = None
    memo: str = ""
    is_quote: bool = False
    notes: tuple[TheirNote, ...] = ()


@dataclass(frozen=True)
class TheirTranscript:
    guid: str
    name: str
    text: str
    codings: tuple[TheirCoding, ...] = ()


@dataclass(frozen=True)
class ColleagueWork:
    """A colleague's file as plain values: their code tree (REFI values, with each code's
    origin), and their transcripts with their codings."""

    codes: tuple[refi.Code, ...]
    origins: dict[str, str]
    transcripts: tuple[TheirTranscript, ...]
    warnings: tuple[str, ...] = ()


# -- what a merge did -----------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """Where our transcript and their copy differ: our line and turn (1-based; ``None``
    for a transcript without turns) and the first words of each version from there."""

    line: int
    turn: int | None
    ours: str
    theirs: str


@dataclass(frozen=True)
class SkippedCoding:
    """A coding of theirs that touches a changed part (left out)."""

    code: str
    coder: str
    line: int  # in their text
    text: str  # the first words of what they coded


@dataclass(frozen=True)
class TranscriptMerge:
    name: str  # ours
    their_name: str
    changed: bool
    added: int = 0
    present: int = 0  # already in the project (merged before, or our own)
    differences: tuple[Difference, ...] = ()
    skipped: tuple[SkippedCoding, ...] = ()


@dataclass(frozen=True)
class MergeResult:
    path: Path
    transcripts: tuple[TranscriptMerge, ...]
    missing: tuple[str, ...]
    """Their transcripts we do not have (by their names): reported, not imported."""
    coders: tuple[tuple[str, int], ...]
    """Each coder of theirs and how many codings of theirs came in."""
    codes_added: tuple[str, ...]
    codes_by_guid: int
    codes_by_name: int
    codings_added: int
    codings_present: int
    codings_skipped: int
    notes_added: int
    warnings: tuple[str, ...] = ()

    @property
    def already_merged(self) -> bool:
        """Nothing new, and the file's codings are all in the project already."""
        return self.codings_added == 0 and self.notes_added == 0 and self.codings_present > 0


# -- reading the colleague's file ----------------------------------------------------------


def read_colleague(path: Path, *, progress: Callable[[str, int, int], None] | None = None
                   ) -> ColleagueWork:
    """Read a ``.qdpx`` or a project file (never writing to it)."""
    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        return _read_qdpx(path, progress)
    return _read_project(path)


def _reader_name(copy: Path) -> str:
    """Who reads the copy: a project with members opens only for one of them."""
    try:
        con = sqlite3.connect(copy)
        try:
            row = con.execute(
                "SELECT name FROM member ORDER BY role = 'researcher' DESC, name LIMIT 1"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:  # before schema 3: no members
        return "merge"
    return str(row[0]) if row else "merge"


def _read_project(path: Path) -> ColleagueWork:
    check_project_file(path)
    with tempfile.TemporaryDirectory(prefix="workbench-merge-") as tmp:
        copy = Path(tmp) / "colleague.wbp"
        try:
            shutil.copyfile(path, copy)
            wal = Path(f"{path}-wal")
            if wal.exists():  # commits not yet checkpointed into the file
                shutil.copyfile(wal, Path(f"{copy}-wal"))
        except OSError as exc:
            raise UserError("project.error.unreadable", path=path) from exc
        try:
            store = Store.open(copy, actor=_reader_name(copy))
        except UserError as exc:  # name their file, not the copy
            raise UserError(exc.key, **{**exc.params, "path": path}) from None
        try:
            with store.read() as s:
                return _project_work(s)
        finally:
            store.close()


def _project_work(s: Session) -> ColleagueWork:
    codes = list(s.scalars(select(Code).order_by(Code.position, Code.id)))
    by_parent: dict[int | None, list[Code]] = {}
    for code in codes:
        by_parent.setdefault(code.parent_id, []).append(code)

    def tree(parent: int | None) -> tuple[refi.Code, ...]:
        return tuple(
            refi.Code(guid=c.guid, name=c.name, colour=c.colour, description=c.description,
                      children=tree(c.id))
            for c in by_parent.get(parent, [])
        )

    guid_of = {c.id: c.guid for c in codes}
    notes_of: dict[int, list[TheirNote]] = {}
    for note in s.scalars(select(Note).where(Note.coding_id.is_not(None))
                          .order_by(Note.created, Note.id)):
        notes_of.setdefault(note.coding_id, []).append(  # type: ignore[arg-type]
            TheirNote(note.guid, note.title, note.text, note.author, note.created, note.updated))
    codings_of: dict[int, list[TheirCoding]] = {}
    for c in s.scalars(select(Coding).order_by(Coding.transcript_id, Coding.start, Coding.id)):
        codings_of.setdefault(c.transcript_id, []).append(TheirCoding(
            c.guid, guid_of[c.code_id], c.start, c.end, c.coder, c.created, c.memo or "",
            bool(c.is_quote), tuple(notes_of.get(c.id, ())),
        ))
    transcripts = tuple(
        TheirTranscript(tr.guid, tr.name, tr.text, tuple(codings_of.get(tr.id, ())))
        for tr in s.scalars(select(Transcript).order_by(Transcript.position, Transcript.id))
    )
    return ColleagueWork(tree(None), {c.guid: c.origin for c in codes}, transcripts)


def _read_qdpx(path: Path, progress: Callable[[str, int, int], None] | None) -> ColleagueWork:
    read = read_qdpx(path, progress=progress)
    doc = read.project
    ext = read.extension or {}
    ours = read.extension is not None

    def table(key: str) -> dict[str, Any]:
        value = ext.get(key)
        return value if isinstance(value, dict) else {}

    users = {u.guid: u.name for u in doc.users if u.name.strip()}
    fallback = users.get(doc.creating_user or "") or path.stem
    notes = {n.guid: n for n in doc.notes}
    memos, quotes = table("coding_memos"), table("codings")

    def author(*guids: str | None) -> str:
        return next((users[g] for g in guids if g and g in users), fallback)

    transcripts = []
    for source in doc.sources:
        if source.text is None:
            continue  # the reader said why
        selections = list(source.selections)
        if source.codings:  # codings of the whole source
            selections.append(refi.Selection(guid="", start=0, end=len(source.text),
                                             codings=source.codings))
        codings: list[TheirCoding] = []
        for sel in selections:
            for coding in sel.codings:
                # our own files: one coding per selection, sharing the coding's GUID
                guid = sel.guid if len(sel.codings) == 1 and sel.guid else coding.guid
                refs = [*coding.note_refs, *sel.note_refs]
                on_coding: list[TheirNote] = []
                if ours:
                    memo = "\n\n".join(notes[r].text for r in refs
                                       if memos.get(r) == guid and r in notes)
                    for r in sel.note_refs:
                        if r in notes and r not in memos:
                            n = notes[r]
                            on_coding.append(TheirNote(n.guid, n.name, n.text,
                                                       author(n.user_guid), n.created,
                                                       n.modified or n.created))
                else:  # other programs: the comments on a quotation are its memo
                    parts = [sel.description, *(notes[r].text for r in refs if r in notes)]
                    memo = "\n\n".join(p for p in parts if p.strip())
                codings.append(TheirCoding(
                    guid or new_guid(), coding.code_guid, sel.start, sel.end,
                    author(coding.user_guid, sel.user_guid), coding.created or sel.created,
                    memo, bool((quotes.get(guid) or {}).get("quote", False)), tuple(on_coding),
                ))
        transcripts.append(TheirTranscript(source.guid, source.name, source.text,
                                           tuple(codings)))
    origins = {g: str(v.get("origin", "")) for g, v in table("codes").items()
               if isinstance(v, dict)}
    return ColleagueWork(doc.codes, origins, tuple(transcripts), tuple(read.warnings))


def pseudonymise(work: ColleagueWork, pz: Pseudonymiser) -> ColleagueWork:
    """The colleague's work with every real name of our key replaced (texts, spans that
    follow them, memos, notes, code names and descriptions). Coder names are kept: they
    name team members, not informants, and a coder who shares a first name with an
    informant must not have their work put under that informant's pseudonym."""
    if not pz.pairs:
        return work

    def note(n: TheirNote) -> TheirNote:
        return dataclasses.replace(n, title=pz.text(n.title), text=pz.text(n.text),
                                   author=n.author)

    def code(c: refi.Code) -> refi.Code:
        return dataclasses.replace(c, name=pz.text(c.name), description=pz.text(c.description),
                                   children=tuple(code(child) for child in c.children))

    transcripts = []
    for tr in work.transcripts:
        text, span = pz.mapped(tr.text)
        codings = []
        for c in tr.codings:
            start, end = span(c.start, c.end)
            codings.append(dataclasses.replace(
                c, start=start, end=end, coder=c.coder, memo=pz.text(c.memo),
                notes=tuple(note(n) for n in c.notes)))
        transcripts.append(dataclasses.replace(tr, name=pz.label(tr.name), text=text,
                                               codings=tuple(codings)))
    return dataclasses.replace(work, codes=tuple(code(c) for c in work.codes),
                               transcripts=tuple(transcripts))


# -- planning -----------------------------------------------------------------------------


@dataclass
class _NewCode:
    guid: str
    name: str
    key: str
    description: str
    colour: str | None
    origin: str
    parent: int | _NewCode | None  # our code's id, or a code made in this merge
    code: Code | None = None  # once made

    @property
    def parent_id(self) -> int | None:
        if isinstance(self.parent, _NewCode):
            assert self.parent.code is not None
            return self.parent.code.id
        return self.parent


@dataclass
class _Row:
    transcript_id: int
    coding: TheirCoding
    start: int
    end: int


@dataclass
class _Plan:
    rows: list[_Row] = field(default_factory=list)
    codes: dict[str, int | _NewCode] = field(default_factory=dict)  # their GUID -> ours
    new_codes: list[_NewCode] = field(default_factory=list)
    by_guid: int = 0
    by_name: int = 0
    notes: int = 0
    present: int = 0
    transcripts: list[TranscriptMerge] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> tuple[Any, ...]:
        return (len(self.rows), self.notes, [c.name for c in self.new_codes],
                sorted(self.coders().items()), self.present)

    def coders(self) -> Counter[str]:
        return Counter(row.coding.coder for row in self.rows)


class _Planner:
    """Decides what a merge adds, from the project's rows as they are now (run again
    inside the command, under the write lock, so the decision is the one recorded)."""

    def __init__(self, work: ColleagueWork, coders: set[str] | None) -> None:
        self.work = work
        self.coders = coders
        self._diffs: dict[tuple[str, str], TextDiff] = {}

    def diff(self, theirs: str, ours: str) -> TextDiff:
        key = (text_digest(theirs), text_digest(ours))
        if key not in self._diffs:
            self._diffs[key] = diff_texts(theirs, ours)
        return self._diffs[key]

    def plan(self, s: Session) -> _Plan:
        plan = _Plan(warnings=list(self.work.warnings))
        ours = list(s.scalars(select(Transcript).order_by(Transcript.position, Transcript.id)))
        by_digest: dict[str, list[Transcript]] = {}
        for tr in ours:
            by_digest.setdefault(text_digest(tr.text), []).append(tr)
        their_codes = {node.guid: node for node, _ in refi.walk(self.work.codes)}
        pairs: list[tuple[TheirTranscript, Transcript, TextDiff | None]] = []
        unmatched: list[TheirTranscript] = []
        exact: set[int] = set()
        for theirs in self.work.transcripts:
            same = by_digest.get(text_digest(theirs.text))
            if same:
                tr = next((x for x in same if x.guid == theirs.guid), same[0])
                pairs.append((theirs, tr, None))
                exact.add(tr.id)
            else:
                unmatched.append(theirs)
        others = [tr for tr in ours if tr.id not in exact]
        for theirs in unmatched:
            tr = self._counterpart(theirs, others)
            if tr is None:
                plan.missing.append(theirs.name)
                continue
            others.remove(tr)
            pairs.append((theirs, tr, self.diff(theirs.text, tr.text)))

        # which codings would come in, and the codes they need
        def wanted(theirs: TheirTranscript) -> list[TheirCoding]:
            return [c for c in theirs.codings
                    if self.coders is None or name_key(c.coder) in self.coders]

        unknown = Counter(theirs.name for theirs, _tr, _d in pairs for c in wanted(theirs)
                          if c.code_guid not in their_codes)
        for name, n in unknown.items():
            plan.warnings.append(t("exchange.warning.unknown_code", source=name, n=n))
        self._plan_codes(s, plan, {c.code_guid for theirs, _tr, _d in pairs
                                   for c in wanted(theirs) if c.code_guid in their_codes})

        guids = set(s.scalars(select(Coding.guid)))
        ids = [tr.id for _t, tr, _d in pairs]
        keys: set[tuple[Any, ...]] = set()
        for chunk in range(0, len(ids), 500):
            keys |= {tuple(row) for row in s.execute(
                select(Coding.transcript_id, Coding.code_id, Coding.start, Coding.end,
                       Coding.coder).where(Coding.transcript_id.in_(ids[chunk:chunk + 500]))
            )}
        note_guids = set(s.scalars(select(Note.guid)))
        names = {c.id: c.name for c in s.scalars(select(Code))}
        for theirs, tr, diff in pairs:
            added = present = 0
            skipped: list[SkippedCoding] = []
            for c in wanted(theirs):
                if c.code_guid not in their_codes:
                    continue
                if not 0 <= c.start < c.end <= len(theirs.text):
                    plan.warnings.append(t("exchange.warning.bad_position", source=theirs.name,
                                           start=c.start, end=c.end))
                    continue
                span = (c.start, c.end) if diff is None else diff.map_span(c.start, c.end)
                if span is not None and tr.text[span[0]:span[1]] != theirs.text[c.start:c.end]:
                    span = None  # cannot happen: the regions are the same text
                target = plan.codes[c.code_guid]
                if span is None:
                    code_name = target.name if isinstance(target, _NewCode) else names[target]
                    skipped.append(SkippedCoding(
                        code_name, c.coder, theirs.text.count("\n", 0, c.start) + 1,
                        first_words(theirs.text[c.start:c.end], 0, words=PREVIEW_WORDS)))
                    continue
                code_id = target if isinstance(target, int) else None
                key = (tr.id, code_id, span[0], span[1], c.coder)
                if c.guid in guids or (code_id is not None and key in keys):
                    present += 1
                    continue
                guids.add(c.guid)
                keys.add(key)
                plan.rows.append(_Row(tr.id, c, span[0], span[1]))
                plan.notes += sum(1 for n in c.notes if n.guid not in note_guids)
                note_guids |= {n.guid for n in c.notes}
                added += 1
            plan.present += present
            plan.transcripts.append(TranscriptMerge(
                tr.name, theirs.name, diff is not None, added, present,
                self._differences(s, tr, theirs, diff) if diff is not None else (),
                tuple(skipped)))
        # codes made only for codings that are all present already are not needed
        used = {row.coding.code_guid for row in plan.rows}
        needed = self._with_parents(used)
        plan.new_codes = [c for c in plan.new_codes if c.guid in needed]
        ours_coders = set(s.scalars(select(Coding.coder).distinct())) | set(
            s.scalars(select(Member.name)))
        for coder in sorted(plan.coders()):
            if coder in ours_coders:
                plan.warnings.append(t("merge.warning.same_coder", coder=coder))
        return plan

    def _with_parents(self, guids: set[str]) -> set[str]:
        parent_of = {node.guid: parent.guid if parent else None
                     for node, parent in refi.walk(self.work.codes)}
        out: set[str] = set()
        for guid in guids:
            while guid is not None and guid not in out:
                out.add(guid)
                guid = parent_of.get(guid)
        return out

    @staticmethod
    def _counterpart(theirs: TheirTranscript, ours: list[Transcript]) -> Transcript | None:
        for tr in ours:
            if tr.guid == theirs.guid:
                return tr
        for tr in ours:
            if name_key(tr.name) == name_key(theirs.name):
                return tr
        lines = theirs.text.splitlines()
        best, best_ratio = None, SIMILAR
        for tr in ours:
            sm = SequenceMatcher(None, lines, tr.text.splitlines(), autojunk=False)
            if sm.real_quick_ratio() < best_ratio or sm.quick_ratio() < best_ratio:
                continue
            ratio = sm.ratio()
            if ratio >= best_ratio:
                best, best_ratio = tr, ratio
        return best

    def _plan_codes(self, s: Session, plan: _Plan, used: set[str]) -> None:
        """Their codes (the used ones and their parents) to our codes or new ones: by
        GUID, then by name; new ones keep their name unless a sibling has it."""
        needed = self._with_parents(used)
        codes = list(s.scalars(select(Code)))
        by_guid = {c.guid: c for c in codes}
        by_key = {c.name_key: c for c in codes}
        taken_keys = set(by_key)
        siblings: dict[tuple[str, Any], set[str]] = {}  # parent -> its children's names
        for c in codes:
            siblings.setdefault(("ours", c.parent_id), set()).add(name_key(c.name))
        claimed: set[str] = set()
        for node, parent in refi.walk(self.work.codes):
            if node.guid not in needed:
                continue
            name = clean_name(node.name) or t("exchange.unnamed_code")
            ours = by_guid.get(node.guid)
            if ours is not None:
                plan.by_guid += 1
            elif name_key(name) not in claimed and name_key(name) in by_key:
                ours = by_key[name_key(name)]
                plan.by_name += 1
            if ours is not None:
                plan.codes[node.guid] = ours.id
                claimed.add(name_key(ours.name))
                continue
            parent_target = plan.codes[parent.guid] if parent is not None else None
            parent_key = (("new", parent_target.guid) if isinstance(parent_target, _NewCode)
                          else ("ours", parent_target))
            here = siblings.setdefault(parent_key, set())
            if name_key(name) in here:
                wanted = name
                name = next(n for n in (f"{wanted} ({i})" for i in range(2, 10_000))
                            if name_key(n) not in here and name_key(n) not in taken_keys)
                plan.warnings.append(t("exchange.warning.renamed_code", name=wanted, new=name))
            guid = node.guid if node.guid not in by_guid else new_guid()
            key = name_key(name)
            stored_key = scoped_name_key(name, guid) if key in taken_keys else key
            taken_keys.add(stored_key)
            here.add(key)
            claimed.add(key)
            origin = self.work.origins.get(node.guid, Origin.INDUCTIVE)
            if origin not in (Origin.INDUCTIVE, Origin.DEDUCTIVE):
                origin = Origin.INDUCTIVE
            colour = node.colour if node.colour and _COLOUR.match(node.colour) else None
            new = _NewCode(guid, name, stored_key, node.description, colour, str(origin),
                           parent_target)
            plan.codes[node.guid] = new
            plan.new_codes.append(new)

    @staticmethod
    def _differences(s: Session, tr: Transcript, theirs: TheirTranscript,
                     diff: TextDiff) -> tuple[Difference, ...]:
        starts = [u.start for u in s.scalars(
            select(Turn).where(Turn.transcript_id == tr.id).order_by(Turn.position, Turn.id))]
        out = []
        for change in diff.changes:
            turn = None
            if starts:
                turn = max(1, sum(1 for a in starts if a <= change.our_start))
            out.append(Difference(
                line=tr.text.count("\n", 0, change.our_start) + 1, turn=turn,
                ours=first_words(tr.text, change.our_start, words=PREVIEW_WORDS),
                theirs=first_words(theirs.text, change.their_start, words=PREVIEW_WORDS),
            ))
        return tuple(out)


# -- the service ----------------------------------------------------------------------------


class MergeService(Service):
    def merge(
        self, path: Path, *, coders: Iterable[str] | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> MergeResult:
        """Merge the codings of a colleague's ``.wbp`` or ``.qdpx`` (see the module
        docstring) as one undoable command; ``coders`` limits it to those coders of theirs."""
        path = Path(path)
        self.store.check_may_run(COMMAND)
        # refused before anything is read when the project has a key that is not found
        pz = PrivacyService(self.store).pseudonymiser()
        work = pseudonymise(read_colleague(path, progress=progress), pz)
        wanted = None
        if coders is not None:
            wanted = {name_key(c) for c in coders if c.strip()}
            theirs = {name_key(c.coder): c.coder for tr in work.transcripts for c in tr.codings}
            unknown = sorted(c for c in wanted if c not in theirs)
            if unknown:
                raise UserError("merge.error.unknown_coder", coders=", ".join(unknown),
                                known=", ".join(sorted(theirs.values())) or "–")
        planner = _Planner(work, wanted)
        with self.store.read() as s:
            plan = planner.plan(s)
        for _attempt in range(5):
            if not plan.rows:
                return self._result(path, plan)
            expected = plan.summary()
            coders_text = ", ".join(sorted(plan.coders()))
            with self.store.command("merge.colleague", file=pz.filename(path.name),
                                    n=len(plan.rows), coders=coders_text,
                                    codes=len(plan.new_codes),
                                    what="codes" if plan.new_codes else None) as s:
                plan = planner.plan(s)  # under the write lock: what is recorded
                if plan.summary() == expected:
                    self._apply(s, plan)
                    return self._result(path, plan)
            # someone changed the project in between: plan again (nothing was written)
        raise UserError("merge.error.busy")

    @staticmethod
    def _apply(s: Session, plan: _Plan) -> None:
        count = int(s.scalar(select(func.count()).select_from(Code)) or 0)
        for new in plan.new_codes:
            code = Code(
                guid=new.guid, name=new.name, name_key=new.key, description=new.description,
                colour=new.colour or PALETTE[count % len(PALETTE)], parent_id=new.parent_id,
                origin=new.origin,
                position=next_position(s, Code.position, Code.parent_id == new.parent_id),
            )
            s.add(code)
            s.flush()
            new.code = code
            count += 1

        def code_id(guid: str) -> int:
            target = plan.codes[guid]
            if isinstance(target, _NewCode):
                assert target.code is not None
                return target.code.id
            return target

        now = utcnow()
        ids = bulk_insert(s, Coding, [
            {"guid": row.coding.guid, "transcript_id": row.transcript_id,
             "code_id": code_id(row.coding.code_guid), "start": row.start, "end": row.end,
             "coder": row.coding.coder, "created": row.coding.created or now,
             "memo": row.coding.memo, "is_quote": row.coding.is_quote}
            for row in plan.rows
        ])
        taken = set(s.scalars(select(Note.guid)))
        for row, coding_id in zip(plan.rows, ids, strict=True):
            for note in row.coding.notes:
                if note.guid in taken:
                    continue
                taken.add(note.guid)
                s.add(Note(guid=note.guid, coding_id=coding_id, title=note.title,
                           text=note.text, author=note.author, created=note.created or now,
                           updated=note.updated or note.created or now))
        s.flush()

    @staticmethod
    def _result(path: Path, plan: _Plan) -> MergeResult:
        skipped = sum(len(x.skipped) for x in plan.transcripts)
        return MergeResult(
            path=path, transcripts=tuple(plan.transcripts), missing=tuple(plan.missing),
            coders=tuple(sorted(plan.coders().items())),
            codes_added=tuple(c.name for c in plan.new_codes),
            codes_by_guid=plan.by_guid, codes_by_name=plan.by_name,
            codings_added=len(plan.rows), codings_present=plan.present,
            codings_skipped=skipped, notes_added=plan.notes if plan.rows else 0,
            warnings=tuple(plan.warnings),
        )


# -- the report -----------------------------------------------------------------------------

SHOWN = 20
"""Differences and skipped codings listed per transcript (all of them are in the result)."""


def _count(what: str, n: int) -> str:
    return t(f"merge.count.{what}_{'one' if n == 1 else 'other'}", n=n)


def _words(text: str) -> str:
    return t("merge.report.quoted", text=text) if text else t("merge.report.nothing")


def report_lines(result: MergeResult) -> list[str]:
    """The merge report in the reader's language, line by line (the CLI prints it, the
    TUI shows it)."""
    lines: list[str] = []
    file = result.path.name
    if result.already_merged:
        lines.append(t("merge.report.already", file=file,
                       codings=_count("codings", result.codings_present)))
    elif not result.codings_added:
        lines.append(t("merge.report.nothing_to_merge", file=file))
    else:
        shared = sum(1 for x in result.transcripts if x.added)
        coders = ", ".join(f"{name} ({n})" for name, n in result.coders)
        lines.append(t("merge.report.done", file=file,
                       codings=_count("codings", result.codings_added),
                       transcripts=_count("transcripts", shared), coders=coders))
        if result.notes_added:
            lines.append("  " + t("merge.report.notes", notes=_count("notes", result.notes_added)))
        if result.codings_present:
            lines.append("  " + t("merge.report.present",
                                  codings=_count("codings", result.codings_present)))
    if result.codes_added:
        lines.append("  " + t("merge.report.codes_added", n=len(result.codes_added),
                              names=", ".join(_words(n) for n in result.codes_added)))
    if result.codes_by_guid or result.codes_by_name:
        lines.append("  " + t("merge.report.codes_matched", guid=result.codes_by_guid,
                              name=result.codes_by_name))
    for tr in result.transcripts:
        head = tr.name if tr.name == tr.their_name else t(
            "merge.report.their_name", name=tr.name, their=tr.their_name)
        if not tr.changed:
            if tr.added or tr.present:
                lines.append("  " + t("merge.report.same", name=head,
                                      added=_count("new_codings", tr.added), present=tr.present))
            continue
        lines.append("  " + t("merge.report.changed", name=head,
                              places=_count("places", len(tr.differences)),
                              added=_count("codings", tr.added), skipped=len(tr.skipped)))
        for diff in tr.differences[:SHOWN]:
            where = (t("merge.report.where_turn", line=diff.line, turn=diff.turn)
                     if diff.turn is not None else t("merge.report.where", line=diff.line))
            lines.append("    " + t("merge.report.difference", where=where,
                                    ours=_words(diff.ours), theirs=_words(diff.theirs)))
        if len(tr.differences) > SHOWN:
            lines.append("    " + t("merge.report.more", n=len(tr.differences) - SHOWN))
        for skip in tr.skipped[:SHOWN]:
            lines.append("    " + t("merge.report.skipped", code=skip.code, coder=skip.coder,
                                    line=skip.line, text=skip.text))
        if len(tr.skipped) > SHOWN:
            lines.append("    " + t("merge.report.more", n=len(tr.skipped) - SHOWN))
    if result.missing:
        lines.append("  " + t("merge.report.missing",
                              transcripts=_count("transcripts", len(result.missing)),
                              names=", ".join(_words(n) for n in result.missing)))
    for warning in result.warnings:
        lines.append("  " + t("cli.import.warning", warning=warning))
    return lines


__all__ = [
    "COMMAND", "ColleagueWork", "Difference", "MergeResult", "MergeService", "SkippedCoding",
    "TheirCoding", "TheirNote", "TheirTranscript", "TranscriptMerge", "pseudonymise",
    "read_colleague", "report_lines",
]
