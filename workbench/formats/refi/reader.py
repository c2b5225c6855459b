"""Reading REFI-QDA 1.0 files from other tools: ``.qdpx`` project archives and ``.qdc`` codebooks.

A file in, the values of :mod:`workbench.formats.refi.model` out; nothing here touches the
project database (the service :mod:`workbench.services.exchange` maps the result into a
project).

**Untrusted input.** An archive is checked by :class:`~workbench.formats.archive.SafeArchive`
before anything in it is used (unsafe member paths, too many members, zip bombs, size
limits while inflating), and XML is parsed by :func:`~workbench.formats.refi.xml.parse_xml`
(no entities, no DTD, no network). Media files that are never read (audio, video, PDF)
only count towards the declared total.

**Lenient reading.** Real files deviate from the standard, and the reader accepts:

- any namespace (``urn:QDA-XML:project:1.0``, other versions, none): elements and
  attributes are matched by local name, case-insensitively;
- ids that are not GUIDs (``c001``): they are turned into stable GUIDs (UUID 5 of the
  project name and the id), so the same file imported twice gives the same GUIDs; GUIDs
  are kept (lower case, without braces);
- a ``.qde`` not called ``project.qde`` (see :mod:`~workbench.formats.refi.layout`);
- source text in the archive however ``plainTextPath`` names it (``internal://``, a bare or
  relative file name, any case; see :func:`~workbench.formats.refi.layout.find_text`) or
  inline as ``PlainTextContent``; a source without a name is called after its file; a
  source whose text is missing is kept with ``text=None`` and a warning, and the rest is
  read;
- text in UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252
  (:mod:`workbench.formats.decoding`);
- positions counted in Unicode code points *or* UTF-16 code units, with line breaks counted
  as written, as one character, or as two (CRLF). Every reading is tried on every
  selection; the one under which selections fit best (in range, on word boundaries, and
  matching the selection's ``name`` where a tool writes the selected text there) is used,
  with the standard reading (code points of the text as written) winning ties. Positions
  are then converted to the stored text's form (NFC, LF line ends, code points)
  (:mod:`~workbench.formats.refi.positions`);
- memos as ``Description`` of a source, selection or project instead of a ``Note``.

Our own exports carry an extension note (:mod:`~workbench.formats.refi.extension`) with the
SHA-256 of every text; while every text still matches, positions are read the standard way
without guessing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree

from workbench.domain.codebook import normalise_colour
from workbench.domain.errors import UserError
from workbench.domain.parsed import normalise_text
from workbench.formats import archive as zip_safety
from workbench.formats.archive import SafeArchive
from workbench.formats.decoding import LEGACY, DecodeError, decode
from workbench.i18n import t

from .extension import take_extension, text_digest
from .layout import find_qde, find_text, source_label
from .model import (
    Case,
    Code,
    Codebook,
    Coding,
    Note,
    Project,
    Selection,
    Set,
    TextSource,
    User,
    Values,
    Variable,
)
from .positions import STANDARD, OffsetMap, Reading, choose_reading
from .xml import (
    attr,
    child,
    child_text,
    children,
    local_name,
    parse_bool,
    parse_int,
    parse_time,
    parse_xml,
    text_of,
)

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
_ID_NAMESPACE = uuid.UUID("5b0e6a56-55f1-4f57-9c43-2f3b0c6d7a10")
_OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")

Progress = Callable[[str, int, int], None]


# -- what the reader returns ----------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFile:
    """A read ``.qdpx``: the project (without our extension note), our extension data if
    the file carries it, the position reading used (``"standard"`` or a
    :attr:`~workbench.formats.refi.positions.Reading.key`), and what the reader noticed."""

    project: Project
    extension: dict[str, Any] | None = None
    reading: str = "standard"
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodebookFile:
    """A read ``.qdc``, named after the file."""

    name: str
    codebook: Codebook
    warnings: tuple[str, ...] = ()


# -- ids ----------------------------------------------------------------------------------


class Ids:
    """Turns the ids a file uses into GUIDs: GUIDs are kept, anything else is hashed."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def __call__(self, raw: str | None) -> str | None:
        if raw is None:
            return None
        raw = raw.strip()
        if not raw:
            return None
        match = _GUID.match(raw)
        if match:
            return match.group(1).lower()
        return str(uuid.uuid5(_ID_NAMESPACE, f"{self.scope}\x00{raw}"))

    def ref(self, el: etree._Element | None) -> str | None:
        """The target of a reference element (``targetGUID``, or ``guid`` as in codebooks)."""
        if el is None:
            return None
        return self(attr(el, "targetGUID") or attr(el, "guid"))

    def refs(self, el: etree._Element, tag: str) -> tuple[str, ...]:
        return tuple(g for g in (self.ref(r) for r in children(el, tag)) if g is not None)


# -- decoding source texts ----------------------------------------------------------------


def decode_text(data: bytes, name: str, warnings: list[str]) -> str:
    """Text of a source or note file as written (positions count in it). A text that is
    not Unicode is read as Windows-1252, with a warning; bytes no encoding fits are taken
    one character each, so that a source is never lost."""
    try:
        decoded = decode(data)
    except DecodeError:
        warnings.append(t("exchange.warning.encoding", name=name))
        return data.decode("latin-1")
    if decoded.encoding in LEGACY:
        warnings.append(t("exchange.warning.encoding", name=name))
    return decoded.text


# -- the project document -------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """A text source as found, before positions are converted."""

    el: etree._Element
    raw: str | None  # the text as written
    stored: str | None  # the text in stored form
    selections: tuple[Selection, ...]  # positions as the file counts them


class _ProjectReader:
    def __init__(self, archive: SafeArchive | None, root: etree._Element, label: str) -> None:
        self.archive = archive
        self.root = root
        self.name = attr(root, "name") or label
        self.ids = Ids(self.name)
        self.warnings: list[str] = []

    # codes --------------------------------------------------------------------------

    def codes(self, parent: etree._Element, seen: set[str]) -> tuple[Code, ...]:
        out: list[Code] = []
        for el in children(parent, "Code"):
            guid = self.ids(attr(el, "guid")) or self.ids(attr(el, "id"))
            name = attr(el, "name") or ""
            if guid is None:
                guid = self.ids(f"code\x00{name}\x00{len(seen)}")
                assert guid is not None
            if guid in seen:
                self.warnings.append(t("exchange.warning.duplicate_guid", name=name))
                guid = self.ids(f"dup\x00{guid}\x00{len(seen)}")
                assert guid is not None
            seen.add(guid)
            out.append(
                Code(
                    guid=guid, name=name, codable=parse_bool(attr(el, "isCodable")),
                    colour=normalise_colour(attr(el, "color") or attr(el, "colour")),
                    description=child_text(el, "Description"),
                    note_refs=self.ids.refs(el, "NoteRef"),
                    children=self.codes(el, seen),
                )
            )
        return tuple(out)

    def sets(self, parent: etree._Element | None) -> tuple[Set, ...]:
        if parent is None:
            return ()
        out = []
        for el in children(parent, "Set"):
            guid = self.ids(attr(el, "guid")) or self.ids(f"set\x00{attr(el, 'name')}")
            assert guid is not None
            out.append(
                Set(
                    guid=guid, name=attr(el, "name") or "",
                    description=child_text(el, "Description"),
                    member_codes=self.ids.refs(el, "MemberCode"),
                    member_notes=self.ids.refs(el, "MemberNote"),
                    member_sources=self.ids.refs(el, "MemberSource"),
                )
            )
        return tuple(out)

    # users, variables and cases -----------------------------------------------------

    def listed(self, container: str, tag: str) -> Iterator[tuple[etree._Element, str]]:
        """The ``tag`` elements in the document's ``container`` that have a GUID."""
        parent = child(self.root, container)
        for el in children(parent, tag) if parent is not None else ():
            guid = self.ids(attr(el, "guid"))
            if guid is not None:
                yield el, guid

    def users(self) -> tuple[User, ...]:
        names = {guid: attr(el, "name") or attr(el, "id") or ""
                 for el, guid in self.listed("Users", "User")}
        return tuple(User(guid, name) for guid, name in names.items())

    def values(self, el: etree._Element) -> Values:
        out: dict[str, str] = {}
        for value in children(el, "VariableValue"):
            guid = self.ids.ref(child(value, "VariableRef"))
            if guid is None:
                continue
            for part in value:
                if local_name(part).endswith("value"):
                    out[guid] = text_of(part)
                    break
        return tuple(out.items())

    def variables(self) -> tuple[Variable, ...]:
        return tuple(Variable(guid, attr(el, "name") or "", child_text(el, "Description"))
                     for el, guid in self.listed("Variables", "Variable"))

    def cases(self) -> tuple[Case, ...]:
        return tuple(Case(guid, attr(el, "name") or "", self.values(el),
                          self.ids.refs(el, "SourceRef"))
                     for el, guid in self.listed("Cases", "Case"))

    # text of sources and notes ----------------------------------------------------------

    def file_text(self, path: str | None, name: str) -> str | None:
        """Text behind a ``plainTextPath``; ``None`` when it is not in the archive."""
        if self.archive is None:
            return None
        member = find_text(self.archive, path)
        if member is None:
            return None
        return decode_text(self.archive.read(member), name, self.warnings)

    def notes(self) -> list[Note]:
        out: list[Note] = []
        notes = child(self.root, "Notes")
        if notes is None:
            return out
        for i, el in enumerate(children(notes, "Note")):
            guid = self.ids(attr(el, "guid")) or self.ids(f"note\x00{i}")
            assert guid is not None
            name = attr(el, "name") or ""
            content = child(el, "PlainTextContent")
            text = text_of(content) if content is not None else None
            if text is None:
                text = self.file_text(attr(el, "plainTextPath"), name)
            if text is None:
                text = child_text(el, "Description")
            out.append(
                Note(
                    guid=guid, name=name, text=text,
                    user_guid=self.ids(attr(el, "creatingUser")),
                    created=parse_time(attr(el, "creationDateTime")),
                    modified=parse_time(attr(el, "modifiedDateTime")),
                )
            )
        return out

    # sources --------------------------------------------------------------------------

    def codings(self, el: etree._Element, seed: str) -> tuple[Coding, ...]:
        out: list[Coding] = []
        for i, coding in enumerate(children(el, "Coding")):
            code = self.ids.ref(child(coding, "CodeRef"))
            if code is None:
                continue
            guid = self.ids(attr(coding, "guid")) or self.ids(f"coding\x00{seed}\x00{i}")
            assert guid is not None
            out.append(
                Coding(
                    guid=guid, code_guid=code,
                    user_guid=self.ids(attr(coding, "creatingUser")),
                    created=parse_time(attr(coding, "creationDateTime")),
                    note_refs=self.ids.refs(coding, "NoteRef"),
                )
            )
        return tuple(out)

    def find_sources(self, progress: Progress | None) -> list[_Found]:
        """Every text source with its texts and its selections as the file counts them."""
        found: list[_Found] = []
        container = child(self.root, "Sources")
        if container is None:
            return found
        skipped: dict[str, int] = {}
        elements = list(container)
        for i, el in enumerate(elements):
            kind = local_name(el)
            if kind != "textsource":
                if kind:
                    label = next((k for k in _OTHER_SOURCES if k.casefold() == kind), kind)
                    skipped[label] = skipped.get(label, 0) + 1
                continue
            name = self.source_name(el)
            raw = self.file_text(attr(el, "plainTextPath"), name)
            if raw is None:
                content = child(el, "PlainTextContent")
                raw = text_of(content) if content is not None else None
            if raw is None:
                self.warnings.append(
                    t("exchange.warning.missing_source", name=name,
                      path=attr(el, "plainTextPath") or "–")
                )
            selections: list[Selection] = []
            for j, sel in enumerate(children(el, "PlainTextSelection")):
                start, end = parse_int(attr(sel, "startPosition")), parse_int(attr(sel, "endPosition"))
                guid = self.ids(attr(sel, "guid")) or self.ids(f"selection\x00{i}\x00{j}")
                assert guid is not None
                if start is None or end is None:
                    self.warnings.append(t("exchange.warning.bad_position", source=name))
                    continue
                if end < start:
                    start, end = end, start
                selections.append(
                    Selection(
                        guid=guid, start=start, end=end, name=attr(sel, "name") or "",
                        user_guid=self.ids(attr(sel, "creatingUser")),
                        created=parse_time(attr(sel, "creationDateTime")),
                        description=child_text(sel, "Description"),
                        codings=self.codings(sel, guid), note_refs=self.ids.refs(sel, "NoteRef"),
                    )
                )
            stored = normalise_text(raw) if raw is not None else None
            found.append(_Found(el, raw, stored, tuple(selections)))
            if progress:
                progress("read", i + 1, len(elements))
        for kind, n in skipped.items():
            self.warnings.append(t("exchange.warning.skipped_sources", kind=kind, n=n))
        return found

    def source_name(self, el: etree._Element) -> str:
        """A source's name; a source without one is called after its text file."""
        return source_label(attr(el, "name"), attr(el, "plainTextPath"), attr(el, "guid"))

    def source(self, found: _Found, mapping: OffsetMap | None) -> TextSource:
        """The source with its selections converted to stored offsets."""
        el = found.el
        name = self.source_name(el)
        guid = self.ids(attr(el, "guid")) or self.ids(f"source\x00{name}")
        assert guid is not None
        selections: list[Selection] = []
        if mapping is not None:
            dropped = 0
            for sel in found.selections:
                a = mapping.to_stored(sel.start, end=False)
                b = mapping.to_stored(sel.end, end=True)
                if a is None or b is None or a[0] >= b[0]:
                    dropped += 1
                    continue
                selections.append(replace(sel, start=a[0], end=b[0]))
            if dropped:
                self.warnings.append(t("exchange.warning.out_of_range", source=name, n=dropped))
        return TextSource(
            guid=guid, name=name, text=found.stored,
            created=parse_time(attr(el, "creationDateTime")),
            description=child_text(el, "Description"),
            selections=tuple(selections), codings=self.codings(el, guid),
            note_refs=self.ids.refs(el, "NoteRef"), values=self.values(el),
        )

    # the whole document ------------------------------------------------------------

    def read(self, progress: Progress | None) -> ProjectFile:
        root = self.root
        codebook = child(root, "CodeBook")
        codes = child(codebook, "Codes") if codebook is not None else None
        users = self.users()
        code_tree = self.codes(codes, set()) if codes is not None else ()
        variables, cases = self.variables(), self.cases()
        notes = self.notes()
        extension = take_extension(notes, self.warnings)

        found = self.find_sources(progress)
        texts = [(f.raw, f.stored, [(s.start, s.end, s.name) for s in f.selections])
                 for f in found if f.raw is not None and f.stored is not None]
        untouched = self._untouched(extension, found)
        if untouched and extension is not None and extension.get("offsets") == "utf16":
            reading = Reading("written", "utf16")  # our own export for NVivo for Windows
        else:
            reading = choose_reading(texts, guess=not untouched)
        if reading != STANDARD and not untouched:
            self.warnings.append(t("exchange.warning.reading",
                                   reading=t(f"exchange.reading.{reading.key}")))
        sources = tuple(
            self.source(f, OffsetMap(f.raw, reading)
                        if f.raw is not None and f.stored is not None else None)
            for f in found
        )
        project = Project(
            name=self.name, origin=attr(root, "origin") or "",
            creating_user=self.ids(attr(root, "creatingUserGUID")),
            created=parse_time(attr(root, "creationDateTime")),
            modified=parse_time(attr(root, "modifiedDateTime")),
            description=child_text(root, "Description"),
            users=users, codes=code_tree, variables=variables, cases=cases, sources=sources,
            notes=tuple(notes), sets=self.sets(child(root, "Sets")),
            note_refs=self.ids.refs(root, "NoteRef"),
        )
        return ProjectFile(project, extension,
                           "standard" if reading == STANDARD else reading.key,
                           tuple(self.warnings))

    def _untouched(self, extension: dict[str, Any] | None, found: list[_Found]) -> bool:
        """Whether this is our own export with every text as we wrote it: its positions are
        standard code points, and guessing another reading could only go wrong."""
        if extension is None:
            return False
        transcripts = extension.get("transcripts")
        if not isinstance(transcripts, dict):
            return False
        for f in found:
            if f.raw is None:
                continue
            info = transcripts.get(self.ids(attr(f.el, "guid")))
            if not isinstance(info, dict):
                return False
            if info.get("sha256") != text_digest(f.raw):
                return False
        return True


def read_qdpx(path: Path, *, progress: Progress | None = None) -> ProjectFile:
    """Read a ``.qdpx`` archive (safety checks first); raise ``UserError`` when refused."""
    path = Path(path)
    if progress:
        progress("check", 0, 1)
    try:
        archive = SafeArchive(path, path.name, not_zip="exchange.error.not_zip")
    except (FileNotFoundError, IsADirectoryError):
        raise UserError("exchange.error.missing", path=path) from None
    except PermissionError:
        raise UserError("exchange.error.unreadable", path=path) from None
    with archive:
        member = find_qde(archive)
        root = parse_xml(archive.read(member), f"{path.name}/{member}")
        if local_name(root) != "project":
            raise UserError("exchange.error.not_project", name=path.name, root=local_name(root))
        return _ProjectReader(archive, root, path.stem).read(progress)


def read_qdc(path: Path) -> CodebookFile:
    """Read a ``.qdc`` codebook (a bare ``CodeBook`` document, or a ``Project``'s codebook)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > zip_safety.MAX_MEMBER_SIZE:
            raise UserError("archive.error.member_too_big", name=path.name, member=path.name,
                            limit=zip_safety.megabytes(zip_safety.MAX_MEMBER_SIZE))
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise UserError("exchange.error.missing", path=path) from None
    except PermissionError:
        raise UserError("exchange.error.unreadable", path=path) from None
    if data.startswith(b"PK\x03\x04"):
        raise UserError("exchange.error.archive_as_codebook", name=path.name)
    root = parse_xml(data, path.name)
    kind = local_name(root)
    if kind == "project":
        codebook_el = child(root, "CodeBook")
    elif kind == "codebook":
        codebook_el = root
    else:
        raise UserError("exchange.error.not_codebook", name=path.name, root=kind)
    reader = _ProjectReader(None, root, path.stem)
    codes_el = child(codebook_el, "Codes") if codebook_el is not None else None
    codes = reader.codes(codes_el, set()) if codes_el is not None else ()
    book = Codebook(codes=codes, sets=reader.sets(child(root, "Sets")),
                    origin=attr(root, "origin") or "")
    return CodebookFile(path.stem, book, tuple(reader.warnings))


__all__ = [
    "CodebookFile",
    "Ids",
    "Progress",
    "ProjectFile",
    "decode_text",
    "read_qdc",
    "read_qdpx",
]
