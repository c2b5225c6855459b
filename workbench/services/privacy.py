"""Privacy: the linking key kept apart from the project, and the one pseudonymisation step.

The *linking key* (Sikt: "koblingsnøkkel") is the list that links real names to
pseudonyms. It lives in its own file, by default beside the project (``studie.wbp.nokkel``),
or wherever the researcher puts it (``--key PATH`` or the ``WORKBENCH_KEY`` variable); it
is never stored in the project file, its change log or any export. The project keeps only
a fingerprint (a hash of the key's random id), which tells the right key from another
project's, and says nothing about the names.

Without the key, reading, coding, analysing and exporting all work. Importing new text
needs the key: without it the import is refused, unless the researcher says so
(``without_key``), in which case only the names given for this import are replaced.

Every way text enters the project goes through one :class:`Pseudonymiser` (transcript
files of every format, file names, speaker sheets, ``.qdpx`` projects): it replaces every
real name of the key by its pseudonym, in whole words with an optional genitive ``-s``.

The key file is not project data: undo and redo do not touch it (undoing an import keeps
the names the import added to the key), and it is not part of the change log.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import sys
import weakref
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from workbench.domain.codebook import CodebookSpec, CodeSpec, ThemeSpec
from workbench.domain.model import clean_name, name_key, new_guid
from workbench.domain.parsed import ParsedTranscript
from workbench.formats.atomic import (
    TEMP_NAME,
    add_output_check,
    remove_output_check,
    write_atomic,
)
from workbench.i18n import UserError, t
from workbench.storage import scrub
from workbench.storage.database import Store
from workbench.storage.models import Project

from .attribution import Attribution
from .base import Service

if TYPE_CHECKING:  # lxml: loaded when a REFI-QDA file is read, not when a project opens
    from workbench.formats.refi.reader import CodebookFile, ProjectFile

KEY_SUFFIX = ".nokkel"
KEY_ENV = "WORKBENCH_KEY"
FINGERPRINT = "linking_key.fingerprint"
KEY_FORMAT = "workbench-linking-key"

_KEY_PATHS: weakref.WeakKeyDictionary[Store, Path] = weakref.WeakKeyDictionary()
_WITHOUT_KEY: weakref.WeakSet[Store] = weakref.WeakSet()
_WARNINGS: weakref.WeakKeyDictionary[Store, list[str]] = weakref.WeakKeyDictionary()
_ATTRIBUTIONS: weakref.WeakKeyDictionary[Store, dict[str, Attribution]] = (
    weakref.WeakKeyDictionary())


def set_key_path(store: Store, path: str | Path | None) -> None:
    """Use the key file at ``path`` for this open project (``None``: the default)."""
    if path is None:
        _KEY_PATHS.pop(store, None)
    else:
        _KEY_PATHS[store] = Path(path)


# -- replacing names ------------------------------------------------------------------


def _pattern(finds: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first, so "Kari Ø." wins over "Kari"; whole words with an optional
    # Norwegian genitive -s ("Karis" → "Leder 1s").
    names = sorted({f for f in finds if f}, key=lambda f: (-len(f), f))
    if not names:
        return None
    alternatives = "|".join(re.escape(f) for f in names)
    return re.compile(rf"(?<!\w)({alternatives})(s?)(?!\w)")


class Pseudonymiser:
    """Replaces every real name of a key by its pseudonym, in one pass over the text."""

    def __init__(self, pairs: Iterable[tuple[str, str]], *, key_missing: bool = False) -> None:
        self.pairs: list[tuple[str, str]] = []
        seen: set[str] = set()
        for real, pseudonym in pairs:
            if real and name_key(real) not in seen:
                seen.add(name_key(real))
                self.pairs.append((real, pseudonym))
        self.key_missing = key_missing
        self._by_find = dict(self.pairs)
        self._re = _pattern(self._by_find)
        self._real = {name_key(real) for real, _ in self.pairs}
        self._by_key = {name_key(real): pseudonym for real, pseudonym in self.pairs}

    def with_pairs(self, pairs: Iterable[tuple[str, str]]) -> Pseudonymiser:
        """This key plus ``pairs`` (pairs for a name already in the key are ignored)."""
        return Pseudonymiser([*self.pairs, *pairs], key_missing=self.key_missing)

    def is_real_name(self, value: str) -> bool:
        return name_key(value) in self._real

    @property
    def real_names(self) -> list[str]:
        return [real for real, _ in self.pairs]

    def text(self, value: str) -> str:
        if self._re is None or not value:
            return value
        return self._re.sub(lambda m: self._by_find[m.group(1)] + m.group(2), value)

    __call__ = text

    def label(self, value: str) -> str:
        """A speaker or transcript name: replaced as text, then cleaned; a label that is a
        real name in another case («KARI») becomes its pseudonym too."""
        cleaned = clean_name(self.text(value))
        pseudonym = self._by_key.get(name_key(cleaned)) if cleaned else None
        return clean_name(pseudonym) if pseudonym else cleaned

    def filename(self, value: str) -> str:
        """A file name: its stem pseudonymised, the suffix kept (``intervju Kari.docx``)."""
        path = Path(value)
        return self.text(path.stem) + path.suffix if path.suffix else self.text(value)

    def refuse_real_label(self, value: str) -> None:
        """Refuse ``value`` as the name of a participant or transcript when it is a real
        name of the key (compared as names are: case and NFC insensitive)."""
        if value and (self.is_real_name(value) or self.is_real_name(clean_name(value))):
            raise UserError("privacy.error.real_name_label", label=value)

    def parsed(self, parsed: ParsedTranscript) -> ParsedTranscript:
        """A parsed transcript with every speaker label and turn pseudonymised."""
        if self._re is None:
            return parsed
        turns = [
            dataclasses.replace(turn, speaker=self.label(turn.speaker) if turn.speaker else None,
                                text=self.text(turn.text))
            for turn in parsed.turns
        ]
        return dataclasses.replace(parsed, turns=turns, warnings=list(parsed.warnings))

    def codebook(self, spec: CodebookSpec) -> CodebookSpec:
        """A codebook with every name, description and definition pseudonymised (the
        themes' code references follow the code names)."""
        if self._re is None:
            return spec

        def code(c: CodeSpec) -> CodeSpec:
            return dataclasses.replace(c, name=self.text(c.name), description=self.text(c.description),
                                       children=[code(x) for x in c.children])

        def theme(th: ThemeSpec) -> ThemeSpec:
            return dataclasses.replace(th, name=self.text(th.name), definition=self.text(th.definition),
                                       codes=[self.text(x) for x in th.codes],
                                       subthemes=[theme(x) for x in th.subthemes])

        return dataclasses.replace(spec, name=self.text(spec.name),
                                   description=self.text(spec.description),
                                   codes=[code(c) for c in spec.codes],
                                   themes=[theme(th) for th in spec.themes])

    def mapped(self, value: str) -> tuple[str, Callable[[int, int], tuple[int, int]]]:
        """The text pseudonymised, and a function mapping a span of the original text to
        the span of the same words in the new text (a span inside a replaced name grows to
        the whole pseudonym)."""
        if self._re is None or not value:
            return value, lambda a, b: (a, b)
        parts: list[str] = []
        edits: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
        last = 0
        delta = 0
        for m in self._re.finditer(value):
            new = self._by_find[m.group(1)] + m.group(2)
            parts.append(value[last:m.start()])
            edits.append((m.start(), m.end(), m.start() + delta, m.start() + delta + len(new)))
            parts.append(new)
            delta += len(new) - (m.end() - m.start())
            last = m.end()
        parts.append(value[last:])

        def point(pos: int, *, end: bool) -> int:
            shift = 0
            for old_a, old_b, new_a, new_b in edits:
                if end:
                    if pos <= old_a:
                        break
                    if pos <= old_b:
                        return new_b
                else:
                    if pos < old_a:
                        break
                    if pos < old_b:
                        return new_a
                shift = new_b - old_b
            return pos + shift

        def span(a: int, b: int) -> tuple[int, int]:
            return point(a, end=False), point(b, end=True)

        return "".join(parts), span


def apply_replacements(text: str, pairs: list[tuple[str, str]]) -> str:
    """Replace each real name by its pseudonym (see :class:`Pseudonymiser`)."""
    return Pseudonymiser(pairs).text(text)


# -- the key file ----------------------------------------------------------------------


def _fingerprint(key_id: str) -> str:
    return hashlib.sha256(f"{KEY_FORMAT}:{key_id}".encode()).hexdigest()


@dataclass
class LinkingKey:
    """The key file: real names and their pseudonyms, with a random id."""

    path: Path
    key_id: str
    project: str  # the project's GUID, to name the project in messages
    pairs: list[tuple[str, str]] = field(default_factory=list)
    created: str = ""

    @property
    def fingerprint(self) -> str:
        return _fingerprint(self.key_id)

    @classmethod
    def new(cls, path: Path, project: str) -> LinkingKey:
        return cls(path=path, key_id=new_guid(), project=project,
                   created=datetime.now(UTC).isoformat(timespec="seconds"))

    @classmethod
    def load(cls, path: Path) -> LinkingKey:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != KEY_FORMAT:
                raise ValueError("format")
            pairs = [(str(p["real"]), str(p["pseudonym"])) for p in data["pairs"]]
            return cls(path=path, key_id=str(data["id"]), project=str(data.get("project", "")),
                       pairs=pairs, created=str(data.get("created", "")))
        except OSError as exc:
            raise UserError("privacy.error.key_unreadable", path=path,
                            detail=exc.strerror or str(exc)) from None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise UserError("privacy.error.key_damaged", path=path) from None

    def add(self, real: str, pseudonym: str) -> bool:
        real, pseudonym = clean_name(real), clean_name(pseudonym)
        if not real or not pseudonym or name_key(real) == name_key(pseudonym):
            return False
        if any(name_key(f) == name_key(real) for f, _ in self.pairs):
            return False
        self.pairs.append((real, pseudonym))
        return True

    def save(self) -> None:
        data = {
            "format": KEY_FORMAT, "version": 1, "id": self.key_id, "project": self.project,
            "created": self.created,
            "pairs": [{"real": r, "pseudonym": p} for r, p in self.pairs],
        }
        body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, body.encode("utf-8"))
        try:
            os.chmod(self.path, 0o600)  # only the researcher reads the key
        except OSError:
            pass


# -- the check before anything is written out -------------------------------------------


def _more(n: int) -> str:
    """« (og 3 til)» after a list of places cut short; nothing when none were left out."""
    return t("privacy.more", n=n) if n > 0 else ""


class OutputGuard:
    """The one check of everything that leaves the program: files (Word, REFI, CSV, YAML,
    figures) and printed text (``show``, ``search``).

    (a) every real name of the key, as a whole word: refused, with the places; (b) common
    Norwegian first names (:mod:`workbench.domain.norwegian_names`) that are not
    pseudonyms: a warning with the places; (c) attribution labels that fit a single
    informant (:class:`~workbench.services.attribution.Attribution`): a warning."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        pairs = list(pairs)
        self.real = [real for real, _ in pairs if real]
        self.skip = {w for _, pseudonym in pairs for w in pseudonym.split()} | set(self.real)

    def check(self, target: Path | str, data: bytes, *, attribution: Attribution | None = None,
              printed: bool = False) -> list[str]:
        """Raise :class:`UserError` for (a); the warnings for (b) and (c). ``target`` is
        the file's path, or (``printed``) what prints the text (``workbench show fg1``)."""
        from workbench.domain.norwegian_names import FIRST_NAMES

        name = str(target) if printed else Path(target).name
        found = find_names(name, data, self.real)
        if found:
            places = list(dict.fromkeys(place for _, place in found))  # each place once
            raise UserError(
                "privacy.error.real_name_printed" if printed else "privacy.error.real_name_in_export",
                path=target, names=", ".join(sorted({n for n, _ in found})),
                places="; ".join(places[:8]), more=_more(len(places) - 8))
        warnings = []
        found = find_names(name, data, sorted(FIRST_NAMES - self.skip))
        if found:
            places = list(dict.fromkeys(place for _, place in found))
            warnings.append(t(
                "privacy.first_names_warning", path=target,
                names=", ".join(sorted({n for n, _ in found})[:10]),
                places="; ".join(places[:5]), more=_more(len(places) - 5)))
        if attribution is not None and attribution.single:
            labels = [t("privacy.single_label", label=label, who=attribution.who[label], n=n)
                      for label, n in sorted(attribution.single.items())]
            warnings.append(t("privacy.single_label_warning", path=target,
                              labels="; ".join(labels)))
        return warnings


# -- the service -------------------------------------------------------------------------


class PrivacyService(Service):
    """The linking key of one open project."""

    def key_path(self) -> Path:
        explicit = _KEY_PATHS.get(self.store)
        if explicit is not None:
            return explicit
        if os.environ.get(KEY_ENV):
            return Path(os.environ[KEY_ENV])
        if self.store.target != self.store.label or "://" in self.store.label:
            # a database URL has no folder beside it: the key goes to this user's own data
            # folder (on the researcher's machine, apart from the shared database)
            from workbench.config import data_dir

            safe = re.sub(r"[^\w.-]+", "_", self.store.label.rsplit("/", 1)[-1]) or "prosjekt"
            return data_dir() / "nokler" / f"{safe}{KEY_SUFFIX}"
        return Path(f"{self.store.label}{KEY_SUFFIX}")

    def use_key(self, path: str | Path | None, *, without_key: bool = False) -> None:
        """Use the key file at ``path`` from now on (``None`` leaves the choice as it is);
        ``without_key``: imports go on when the key is not found (the researcher said so)."""
        if path is not None:
            set_key_path(self.store, path)
        if without_key:
            _WITHOUT_KEY.add(self.store)
        else:
            _WITHOUT_KEY.discard(self.store)

    def fingerprint(self) -> str | None:
        return scrub.meta_value(self.store.engine, FINGERPRINT)

    def _project_guid(self) -> str:
        with self.store.read() as s:
            project = s.scalars(select(Project)).first()
            return project.guid if project is not None else ""

    def key(self) -> LinkingKey | None:
        """The project's key file, ``None`` when the project has none or it is not there.
        A file that belongs to another project is refused."""
        fingerprint = self.fingerprint()
        if fingerprint is None:
            return None
        path = self.key_path()
        if not path.exists():
            return None
        key = LinkingKey.load(path)
        if key.fingerprint != fingerprint:
            raise UserError("privacy.error.wrong_key", path=path, project=self.store.label)
        return key

    def has_key(self) -> bool:
        return self.fingerprint() is not None

    def pseudonymiser(self, *, without_key: bool = False) -> Pseudonymiser:
        """The one pseudonymisation step for text entering the project.

        Raises when the project has a key that is not found, unless ``without_key`` (or
        :meth:`use_key` said so)."""
        without_key = without_key or self.store in _WITHOUT_KEY
        if not self.has_key():
            return Pseudonymiser([])
        key = self.key()
        if key is None:
            if without_key:
                return Pseudonymiser([], key_missing=True)
            raise UserError("privacy.error.key_missing", path=self.key_path())
        return Pseudonymiser(key.pairs)

    def remember(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Add real name → pseudonym pairs to the key file (made when the project has none
        yet). Returns how many were new. Not undoable: the key is not project data."""
        pairs = [(r, p) for r, p in pairs if clean_name(r) and clean_name(p)]
        if not pairs:
            return 0
        if self.store.readonly:
            raise UserError("privacy.error.readonly_key")
        key = self.key()
        created = False
        if key is None:
            if self.has_key():
                raise UserError("privacy.error.key_missing", path=self.key_path())
            path = self.key_path()
            if path.exists():
                raise UserError("privacy.error.key_exists", path=path)
            key = LinkingKey.new(path, self._project_guid())
            created = True
        added = sum(key.add(real, pseudonym) for real, pseudonym in pairs)
        if added or created:
            key.save()
        if created:
            scrub.set_meta_value(self.store.engine, FINGERPRINT, key.fingerprint)
        return added

    def pseudonymise_qdpx(self, read: ProjectFile) -> ProjectFile:
        """A read ``.qdpx`` with every real name of the key replaced: participants (cases),
        source names and texts (coded spans follow the text), notes, codes, themes,
        descriptions, and our extension data (turns follow the text, file names)."""
        pz = self.pseudonymiser()
        if not pz.pairs:
            return read
        digests: dict[str, tuple[str, str, Callable[[int, int], tuple[int, int]]]] = {}
        sources = []
        for source in read.project.sources:
            if source.text is None:
                sources.append(_walk(source, pz))
                continue
            new_text, span = pz.mapped(source.text)
            digests[source.guid] = (source.text, new_text, span)
            selections = tuple(
                dataclasses.replace(_walk(sel, pz), start=span(sel.start, sel.end)[0],
                                    end=span(sel.start, sel.end)[1])
                for sel in source.selections
            )
            walked = _walk(dataclasses.replace(source, text=None, selections=()), pz)
            sources.append(dataclasses.replace(walked, text=new_text, selections=selections))
        project = _walk(dataclasses.replace(read.project, sources=()), pz)
        # participants and transcripts are named by labels: a real name in another case
        # («KARI») becomes the pseudonym as well
        project = dataclasses.replace(
            project, sources=tuple(dataclasses.replace(x, name=pz.label(x.name)) if x.name else x
                                   for x in sources),
            cases=tuple(dataclasses.replace(c, name=pz.label(c.name)) if c.name else c
                        for c in project.cases))
        extension = read.extension
        if extension is not None:
            extension = _walk_json(extension, pz)
            infos = extension.get("transcripts")
            if isinstance(infos, dict):
                for guid, info in infos.items():
                    if not isinstance(info, dict):
                        continue
                    # (file names were replaced with the other strings)
                    if guid in digests:
                        _remap_turns(info, *digests[guid])
        return dataclasses.replace(read, project=project, extension=extension)

    def pseudonymise_qdc(self, book: CodebookFile) -> CodebookFile:
        """A read ``.qdc`` codebook with every real name of the key replaced: its name
        (the file's), codes, sets and their descriptions."""
        pz = self.pseudonymiser()
        if not pz.pairs:
            return book
        return dataclasses.replace(book, name=pz.text(book.name),
                                   codebook=_walk(book.codebook, pz))

    # -- checks before anything is written out -------------------------------------

    def install_output_check(self) -> None:
        """Check every file written while this project is open (Word, REFI, CSV, YAML,
        figures; see :func:`~workbench.formats.atomic.write_atomic`) with
        :meth:`check_output`."""
        store = self.store
        add_output_check(store, lambda path, data: self.check_output(path, data))
        store.close_hooks.append(lambda: remove_output_check(store))

    def output_guard(self) -> OutputGuard:
        """The one check for what leaves the program, with this project's key (a check
        without real names when the key is not at hand: there is nothing to compare)."""
        try:
            key = self.key()
        except UserError:
            key = None
        return OutputGuard(key.pairs if key is not None else [])

    def expect_attribution(self, path: Path | str, attribution: Attribution) -> None:
        """The attribution labels the file about to be written to ``path`` shows: its
        output check warns about those that fit a single informant."""
        _ATTRIBUTIONS.setdefault(self.store, {})[str(Path(path))] = attribution

    def check_output(self, path: Path, data: bytes) -> None:
        """The output check of a file: raise when ``data`` (to be written to ``path``)
        holds a real name of the key, listing the places; warn (see
        :meth:`take_output_warnings`) about common first names and attribution labels
        that fit a single informant."""
        attribution = _ATTRIBUTIONS.get(self.store, {}).pop(str(Path(path)), None)
        warnings = self.output_guard().check(Path(path), data, attribution=attribution)
        _WARNINGS.setdefault(self.store, []).extend(warnings)

    def text_check(self, what: str, shown: Iterable[tuple[int | None, int | None]] = ()
                   ) -> Callable[[str], list[str]]:
        """The output check for text printed on stdout (``workbench show``, ``search``):
        a function of the printed text that raises when it holds a real name of the key
        (nothing is printed then) and returns the warnings. ``shown``: the ``(participant
        id, transcript id)`` whose profession and group the text shows. Made while the
        project is open; usable after it is closed."""
        guard = self.output_guard()
        attribution = None
        shown = list(shown)
        if shown:
            with self.store.read() as s:
                attribution = Attribution.of(s)
            attribution.disclose_all(shown)

        def check(text: str) -> list[str]:
            return guard.check(what, text.encode("utf-8"), attribution=attribution,
                               printed=True)

        return check

    def take_output_warnings(self) -> list[str]:
        """The warnings of the output checks since the last call."""
        return _WARNINGS.pop(self.store, [])

    # -- withdrawal --------------------------------------------------------------------

    def withdraw(self, label: str) -> WithdrawalReceipt:
        """Delete a participant who withdrew consent, for good.

        Each of their turns becomes a marker (``[deltaker trukket]``); the codings that
        touch those turns go, with the notes on them; comments anchored to them lose their
        quoted label; the search index of the transcripts is rebuilt; snapshots forget the
        deleted codings; every row of the change log that held their words is rewritten
        so undo cannot bring them back. Other codings keep their exact text (their
        offsets move with the text). One log row "deltaker trukket" (label and counts, no
        content) and a row in ``withdrawal`` say what happened. Then the file is vacuumed.
        """
        from workbench.storage.models import (
            Coding,
            Command,
            Note,
            Participant,
            ReviewComment,
            Snapshot,
            Transcript,
            Turn,
            Withdrawal,
            utcnow,
        )
        from workbench.storage.search_index import write_index

        from .transcripts import TranscriptService

        if self.store.readonly:
            raise UserError("privacy.error.readonly")
        self.store.check_may_run("participant.withdraw", {"label": label})
        marker = t("privacy.withdrawn_marker")
        with self.store.read() as s:
            person = TranscriptService.find_participant(s, label)
            if person is None:
                raise UserError("privacy.error.no_participant", label=label)
            pid, plabel = person.id, person.label
        removed: list[str] = []  # their words, to find anywhere else
        deleted_codings: set[int] = set()
        deleted_coding_guids: set[str] = set()
        deleted_notes: set[int] = set()
        maps: dict[int, tuple[str, str, Callable[[int, bool], int]]] = {}
        turns_n = comments_n = 0
        names: list[str] = []
        now = utcnow()
        with scrub.unrecorded(self.store.engine) as s:
            theirs = s.scalars(select(Turn).where(Turn.participant_id == pid)
                               .order_by(Turn.transcript_id, Turn.start)).all()
            turns_n = len(theirs)
            by_transcript: dict[int, list[Turn]] = {}
            for turn in theirs:
                by_transcript.setdefault(turn.transcript_id, []).append(turn)
            for tid, turns in by_transcript.items():
                tr = s.get(Transcript, tid)
                assert tr is not None
                names.append(tr.name)
                old = tr.text
                spans = [(turn.start, turn.end) for turn in turns if turn.end > turn.start]
                removed.extend(old[a:b] for a, b in spans)
                parts, last = [], 0
                for a, b in spans:
                    parts += [old[last:a], marker]
                    last = b
                parts.append(old[last:])
                new = "".join(parts)
                move = _offset_map(spans, marker)
                maps[tid] = (old, new, move)
                for coding in s.scalars(select(Coding).where(Coding.transcript_id == tid)):
                    if any(coding.start < b and a < coding.end for a, b in spans) or any(
                            a == b == coding.start for a, b in spans):
                        deleted_codings.add(coding.id)
                        deleted_coding_guids.add(coding.guid)
                    else:
                        coding.start, coding.end = move(coding.start, False), move(coding.end, True)
                for turn in s.scalars(select(Turn).where(Turn.transcript_id == tid)):
                    turn.start, turn.end = move(turn.start, False), move(turn.end, True)
                    if turn.participant_id == pid:
                        turn.participant_id = None
                tr.text = new
            s.flush()
            for note in s.scalars(select(Note).where(Note.coding_id.in_(deleted_codings))):
                deleted_notes.add(note.id)
                s.delete(note)
            for comment in s.scalars(select(ReviewComment).where(
                    ReviewComment.anchor_guid.in_(deleted_coding_guids))):
                comment.anchor_label = marker
                comments_n += 1
            for coding in s.scalars(select(Coding).where(Coding.id.in_(deleted_codings))):
                s.delete(coding)
            s.flush()
            for participant in s.scalars(select(Participant).where(Participant.id == pid)):
                s.delete(participant)
            for snap in s.scalars(select(Snapshot)):
                data = dict(snap.data or {})
                codings = data.get("codings")
                if isinstance(codings, list):
                    kept = [c for c in codings if not (isinstance(c, dict)
                                                       and c.get("guid") in deleted_coding_guids)]
                    if len(kept) != len(codings):
                        data["codings"] = kept
                        snap.data = data
            s.flush()
            for tid, (_old, new, _move) in maps.items():
                write_index(s, tid, new)
            counts = {"turns": turns_n, "codings": len(deleted_codings),
                      "notes": len(deleted_notes)}
            s.add(Withdrawal(label=plabel, withdrawn_at=now, actor=self.actor, mode="marker",
                             log_rows=0, **counts))
            applied = int(s.scalar(select(func.coalesce(func.max(Command.applied), 0))) or 0)
            # the log's entry: no content; a final command is never undone or redone
            s.add(Command(name="participant.withdraw", args={"label": plabel, **counts},
                          actor=self.actor, created=now, state="done", changes=[],
                          applied=applied + 1))
        log_rows = scrub.rewrite_log(self.store.engine, _withdrawal_rewrite(
            pid, maps, deleted_codings, deleted_notes, removed, marker))
        with scrub.unrecorded(self.store.engine) as s:
            row = s.scalars(select(Withdrawal).order_by(Withdrawal.id.desc())).first()
            if row is not None:
                row.log_rows = log_rows
        scrub.vacuum(self.store.engine)
        return WithdrawalReceipt(plabel, now, turns_n, len(deleted_codings), len(deleted_notes),
                                 comments_n, log_rows, names)

    def withdrawals(self) -> list[dict[str, Any]]:
        """The withdrawals of this project (for the audit export): date, label, counts."""
        from workbench.storage.models import Withdrawal

        with self.store.read() as s:
            return [
                {"date": w.withdrawn_at.isoformat(timespec="seconds"), "label": w.label,
                 "turns": w.turns, "codings": w.codings, "notes": w.notes, "actor": w.actor}
                for w in s.scalars(select(Withdrawal).order_by(Withdrawal.id))
            ]

    # -- the study's end -----------------------------------------------------------------

    def purge(self, *, keep_map: bool = False, keep_published_quotes: bool = False) -> PurgeReceipt:
        """Delete the raw data at the study's end, for good.

        Deletes every transcript's text with its turns, participants, codings, notes on
        transcripts and codings, and search index; without ``keep_map`` also the codes,
        themes, their links, notes and snapshots. ``keep_published_quotes`` keeps the text
        of the codings marked as quotes (each transcript keeps only those, one after the
        other). Then the change log is emptied (it holds the deleted text) but for one row
        saying what was purged, the file is vacuumed, and the linking key, the schema
        backups and leftover export temp files beside the project are deleted. The
        receipt lists what went, when and how big it was.
        """
        from workbench.storage.models import (
            Code,
            CodeTheme,
            Coding,
            Command,
            Note,
            Participant,
            ReviewComment,
            Snapshot,
            Theme,
            Transcript,
            Turn,
            utcnow,
        )
        from workbench.storage.search_index import write_index

        if self.store.readonly:
            raise UserError("privacy.error.readonly")
        self.store.check_may_run("project.purge")
        now = utcnow()
        project_path = None if self.store.target != self.store.label else Path(self.store.label)
        size_before = project_path.stat().st_size if project_path else 0
        counts: dict[str, int] = {}
        key_path = self.key_path() if self.has_key() else None
        with scrub.unrecorded(self.store.engine) as s:
            quotes: dict[int, list[Coding]] = {}
            if keep_published_quotes:
                for c in s.scalars(select(Coding).where(Coding.is_quote.is_(True))
                                   .order_by(Coding.transcript_id, Coding.start)):
                    quotes.setdefault(c.transcript_id, []).append(c)
            kept_quotes = sum(len(v) for v in quotes.values())
            keep_ids = {c.id for v in quotes.values() for c in v}
            notes = select(Note).where(Note.transcript_id.is_not(None) | Note.coding_id.is_not(None))
            counts["notes"] = 0
            for note in s.scalars(notes):
                if note.coding_id in keep_ids:
                    continue
                s.delete(note)
                counts["notes"] += 1
            s.flush()
            counts["codings"] = 0
            for c in s.scalars(select(Coding)):
                if c.id not in keep_ids:
                    s.delete(c)
                    counts["codings"] += 1
            s.flush()
            for comment in s.scalars(select(ReviewComment)):
                if comment.anchor_kind in ("coding", "transcript", "turn"):
                    comment.anchor_label = ""
            counts["turns"] = len(s.scalars(select(Turn.id)).all())
            s.execute(Turn.__table__.update().values(participant_id=None))
            counts["transcripts"] = 0
            counts["words"] = 0
            for tr in s.scalars(select(Transcript)):
                counts["words"] += len(tr.text.split())
                kept = quotes.get(tr.id, [])
                s.execute(Turn.__table__.delete().where(Turn.transcript_id == tr.id))
                if not kept:
                    s.delete(tr)
                    counts["transcripts"] += 1
                    continue
                parts: list[str] = []
                pos = 0
                for i, c in enumerate(kept):
                    piece = tr.text[c.start:c.end]
                    if i:
                        parts.append("\n\n")
                        pos += 2
                    c.start, c.end = pos, pos + len(piece)
                    parts.append(piece)
                    pos += len(piece)
                tr.text = "".join(parts)
                tr.original_filename = None
                s.add(Turn(transcript_id=tr.id, position=0, start=0, end=len(tr.text)))
            s.flush()
            counts["participants"] = 0
            for p in s.scalars(select(Participant)):
                s.delete(p)
                counts["participants"] += 1
            if not keep_map:
                for model, key in ((Snapshot, "snapshots"), (CodeTheme, "links")):
                    counts[key] = 0
                    for row in s.scalars(select(model)):
                        s.delete(row)
                        counts[key] += 1
                s.flush()
                for note in s.scalars(select(Note).where(Note.code_id.is_not(None)
                                                         | Note.theme_id.is_not(None))):
                    s.delete(note)
                    counts["notes"] += 1
                s.flush()
                if not keep_ids:
                    counts["codes"] = 0
                    s.execute(Code.__table__.update().values(parent_id=None))
                    for row in s.scalars(select(Code)):
                        s.delete(row)
                        counts["codes"] += 1
                s.execute(Theme.__table__.update().values(parent_id=None))
                counts["themes"] = 0
                for row in s.scalars(select(Theme)):
                    s.delete(row)
                    counts["themes"] += 1
            s.flush()
            for tr in s.scalars(select(Transcript)):
                write_index(s, tr.id, tr.text)
            counts["log_rows"] = len(s.scalars(select(Command.seq)).all())
            s.execute(Command.__table__.delete())
            args = {"keep_map": keep_map, "keep_published_quotes": keep_published_quotes,
                    "quotes": kept_quotes, **counts}
            s.add(Command(name="project.purge", args=args, actor=self.actor, created=now,
                          state="done", changes=[], applied=1))
        scrub.set_meta_value(self.store.engine, FINGERPRINT, None)
        scrub.vacuum(self.store.engine)
        files: list[tuple[str, int]] = []

        def remove(path: Path) -> None:
            try:
                size = path.stat().st_size
                path.unlink()
            except FileNotFoundError:
                return
            files.append((str(path), size))

        if key_path is not None:
            remove(key_path)
        if project_path is not None:
            folder = project_path.parent
            for path in sorted(folder.glob(f"{project_path.name}.schema*.bak*")):
                remove(path)
            for path in sorted(folder.glob(".*.tmp")):
                if TEMP_NAME.match(path.name):
                    remove(path)  # export temp files left by a killed export
        size_after = project_path.stat().st_size if project_path else 0
        return PurgeReceipt(when=now, counts=counts, quotes=kept_quotes, files=files,
                            project=str(project_path or self.store.label),
                            size_before=size_before, size_after=size_after)

    # -- projects made before the key file -------------------------------------------

    def move_legacy_key(self) -> str | None:
        """Move the name list of a project made before the key file out into a key file,
        remove it from the project and from its change log, and vacuum. Returns the
        message to show, ``None`` when there was nothing to move."""
        legacy = scrub.legacy_replacements(self.store.engine)
        if legacy is None or self.store.readonly:
            return None
        pz = Pseudonymiser(legacy)
        if legacy:
            key = self.key() if self.has_key() else None
            if key is None:
                path = self.key_path()
                key = LinkingKey.load(path) if path.exists() else None
                if key is not None and key.project != self._project_guid():
                    raise UserError("privacy.error.key_exists", path=path)
                key = key or LinkingKey.new(path, self._project_guid())
            for real, pseudonym in legacy:
                key.add(real, pseudonym)
            key.save()
            scrub.set_meta_value(self.store.engine, FINGERPRINT, key.fingerprint)
        engine = self.store.engine
        renamed = scrub.clean_column(engine, "transcript", "name", pz.label)
        scrub.clean_column(engine, "transcript", "original_filename", pz.filename)
        rows = scrub.drop_legacy_replacements(engine, pz.text)
        scrub.vacuum(engine)
        if not legacy:
            return None
        return t("privacy.moved_key", path=self.key_path(), names=len(legacy), rows=rows,
                 renamed=renamed)


_STRUCTURAL = ("guid", "colour")


def _walk(value: Any, pz: Pseudonymiser) -> Any:
    """``value`` (a REFI dataclass, tuple or string) with every text pseudonymised; GUIDs
    and references are left alone."""
    if isinstance(value, str):
        return pz.text(value)
    if isinstance(value, tuple):
        return tuple(_walk(v, pz) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name in _STRUCTURAL or f.name.endswith(("_guid", "_refs", "_codes", "_notes")):
                continue
            old = getattr(value, f.name)
            new = _walk(old, pz)
            if new is not old and new != old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def _walk_json(value: Any, pz: Pseudonymiser) -> Any:
    if isinstance(value, str):
        return pz.text(value)
    if isinstance(value, list):
        return [_walk_json(v, pz) for v in value]
    if isinstance(value, dict):
        return {k: _walk_json(v, pz) for k, v in value.items()}
    return value


def _remap_turns(info: dict[str, Any], old: str, text: str,
                 span: Callable[[int, int], tuple[int, int]]) -> None:
    """Our extension's turns of a source whose text was pseudonymised: spans follow."""
    from workbench.formats.refi.extension import text_digest

    turns = info.get("turns")
    if not isinstance(turns, list) or info.get("sha256") != text_digest(old):
        return  # turns of another text: the importer reports them
    out = []
    for item in turns:
        try:
            guid, person, start, end, start_ms, end_ms = item
            start, end = span(int(start), int(end))
        except (TypeError, ValueError):
            return  # the importer reports turns it cannot use
        out.append([guid, person, start, end, start_ms, end_ms])
    info["turns"] = out
    info["sha256"] = text_digest(text)


@dataclass(frozen=True)
class WithdrawalReceipt:
    label: str
    when: datetime
    turns: int
    codings: int
    notes: int
    comments: int
    log_rows: int
    transcripts: list[str]


@dataclass(frozen=True)
class PurgeReceipt:
    when: datetime
    counts: dict[str, int]
    quotes: int
    files: list[tuple[str, int]]  # deleted files beside the project, with sizes
    project: str
    size_before: int
    size_after: int


def _offset_map(spans: list[tuple[int, int]], marker: str) -> Callable[[int, bool], int]:
    """Where a position of the old text is after ``spans`` became ``marker``: positions
    inside a span go to the marker's start (or end, for the end of a span)."""
    edits = []
    delta = 0
    for a, b in spans:
        edits.append((a, b, a + delta, a + delta + len(marker)))
        delta += len(marker) - (b - a)

    def move(pos: int, end: bool) -> int:
        shift = 0
        for old_a, old_b, new_a, new_b in edits:
            if pos < old_a or (end and pos == old_a):
                break
            if pos < old_b or (end and pos == old_b):
                return new_b if end else new_a
            shift = new_b - old_b
        return pos + shift

    return move


def _withdrawal_rewrite(
    pid: int, maps: dict[int, tuple[str, str, Callable[[int, bool], int]]],
    codings: set[int], notes: set[int], removed: list[str], marker: str,
) -> scrub.LogRewrite:
    """How each change-log row changes when participant ``pid`` withdraws."""
    words = sorted({w for w in removed if w.strip()}, key=len, reverse=True)

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for old, new, _move in maps.values():
                if value == old:
                    return new
            for w in words:
                if w in value:
                    value = value.replace(w, marker)
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    def values(table: str, row_id: int, vals: dict[str, Any], tid: int | None) -> dict[str, Any]:
        vals = dict(vals)
        if table in ("turn", "coding") and tid in maps:
            move = maps[tid][2]
            if isinstance(vals.get("start"), int):
                vals["start"] = move(vals["start"], False)
            if isinstance(vals.get("end"), int):
                vals["end"] = move(vals["end"], True)
        if table == "turn" and vals.get("participant_id") == pid:
            vals["participant_id"] = None
        return clean(vals)

    def rewrite(_name: str, args: dict[str, Any], changes: list[Any]):  # type: ignore[no-untyped-def]
        out = []
        for change in changes:
            if not isinstance(change, dict):
                continue
            table, row_id = change.get("t"), change.get("id")
            if (table == "participant" and row_id == pid) or (
                    table == "coding" and row_id in codings) or (table == "note" and row_id in notes):
                continue
            change = dict(change)
            tid = None
            for part in ("new", "old"):
                if isinstance(change.get(part), dict) and "transcript_id" in change[part]:
                    tid = change[part]["transcript_id"]
            if table == "transcript":
                tid = row_id
            for part in ("new", "old"):
                if isinstance(change.get(part), dict):
                    change[part] = values(str(table), int(row_id or 0), change[part], tid)
            out.append(change)
        new_args = clean(args)
        # the log's label of an excerpt (services/labels.py: its first words) holds their
        # words too when it was taken from their turns
        excerpt = new_args.get("text")
        if isinstance(excerpt, str) and excerpt.rstrip("…").strip() and any(
                excerpt.rstrip("…").strip() in w for w in words):
            new_args["text"] = marker
        if out == changes and new_args == args:
            return None
        return new_args, out

    return rewrite


def _output_texts(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    """The text of an output file, part by part: each member of a zip (.docx, .qdpx),
    XML with its tags taken out, or the file itself."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for member in zf.namelist():
                    body = zf.read(member).decode("utf-8", "replace")
                    if member.endswith((".xml", ".qde", ".rels")) or body.startswith("<?xml"):
                        yield f"{name}:{member}", _XML_TAG.sub("", body)
                        yield f"{name}:{member}", _XML_TAG.sub(" ", body)
                    else:
                        yield f"{name}:{member}", body
        except zipfile.BadZipFile:
            yield name, data.decode("utf-8", "replace")
        return
    yield name, data.decode("utf-8-sig", "replace")


_XML_TAG = re.compile(r"<[^>]*>")


def find_names(name: str, data: bytes, names: Iterable[str]) -> list[tuple[str, str]]:
    """Where each of ``names`` occurs as a whole word (case as written, an optional
    genitive -s) in an output file: ``(name, "file:part, line n")`` pairs."""
    pattern = _pattern(names)
    if pattern is None:
        return []
    found: list[tuple[str, str]] = []
    seen: set[tuple[str, str, int]] = set()
    for place, text in _output_texts(name, data):
        for m in pattern.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            if (m.group(1), place, line) in seen:
                continue
            seen.add((m.group(1), place, line))
            found.append((m.group(1), t("privacy.place", place=place, line=line)))
    return found


def remove_journal_files(project: str | Path) -> list[tuple[str, int]]:
    """Delete the SQLite journal files (``-wal``, ``-shm``) a closed project left; the
    deleted files with their sizes."""
    removed = []
    for suffix in ("-wal", "-shm"):
        path = Path(f"{project}{suffix}")
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append((str(path), size))
    return removed


def announce(message: str | None) -> None:
    """Tell the researcher about something done on opening (before any screen starts)."""
    if message:
        print(message, file=sys.stderr)


__all__ = [
    "FINGERPRINT", "KEY_ENV", "KEY_SUFFIX", "LinkingKey", "OutputGuard", "PrivacyService",
    "Pseudonymiser",
    "PurgeReceipt", "WithdrawalReceipt", "announce", "apply_replacements",
    "remove_journal_files", "set_key_path",
]
