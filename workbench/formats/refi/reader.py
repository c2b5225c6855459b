"""Reading REFI-QDA 1.0 files from other tools: ``.qdpx`` project archives and ``.qdc`` codebooks.

Bytes or a ZIP in, plain dataclasses out; nothing here touches the project database (the
service :mod:`workbench.services.exchange` maps the result into a project).

**Untrusted input.** An archive is checked before anything in it is used, and refused with
a :class:`~workbench.i18n.UserError` when it is unsafe: member paths that are absolute or
climb out with ``..``; more than :data:`MAX_MEMBERS` members; a declared uncompressed total
above :data:`MAX_TOTAL_SIZE` or a member that inflates more than :data:`MAX_RATIO` times
(zip bombs); a member this reader needs (the ``.qde``, a source text, a note) larger than
:data:`MAX_MEMBER_SIZE`, or more than :data:`MAX_READ_SIZE` read in all (checked while
inflating, so a lying header does not help). Media files that are never read (audio, video,
PDF) only count towards the declared total. XML is
parsed with entity substitution, DTD loading and network access off and without libxml2's
"huge tree" allowance, and a document that declares entities (``<!ENTITY``, the
"billion laughs" attack) is refused before it is parsed.

**Lenient reading.** Real files deviate from the standard, and the reader accepts:

- any namespace (``urn:QDA-XML:project:1.0``, other versions, none): elements and
  attributes are matched by local name, case-insensitively;
- ids that are not GUIDs (``c001``): they are turned into stable GUIDs (UUID 5 of the
  project name and the id), so the same file imported twice gives the same GUIDs; GUIDs
  are kept (lower case, without braces);
- a ``.qde`` not called ``project.qde`` (any single ``*.qde`` in the archive);
- source text in ``sources/…`` via ``internal://`` or inline as ``PlainTextContent``; a
  source whose text is missing is skipped with a warning, and the rest is imported;
- text in UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252;
- positions counted in Unicode code points *or* UTF-16 code units, with line breaks counted
  as written, as one character, or as two (CRLF). Every reading is tried on every
  selection; the one under which selections fit best (in range, on word boundaries, and
  matching the selection's ``name`` where a tool writes the selected text there) is used,
  with the standard reading (code points of the text as written) winning ties. Positions
  are then converted to the stored text's form (NFC, LF line ends, code points);
- memos as ``Description`` of a source, selection or project instead of a ``Note``.

Our own exports carry an extension note (see :data:`EXTENSION_NOTE_NAME`) with the SHA-256
of every text; while every text still matches, positions are read the standard way without
guessing.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import uuid
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from lxml import etree

from workbench.formats.refi.model import Code, Coding, Note, Set
from workbench.domain.parsed import normalise_text
from workbench.i18n import UserError, t

# -- limits (module attributes so that tests and unusual sites can adjust them) -----------

MAX_MEMBERS = 10_000
MAX_MEMBER_SIZE = 128 * 1024 * 1024  # any single member or file this reader inflates
MAX_READ_SIZE = 512 * 1024 * 1024  # all members this reader inflates, together
MAX_TOTAL_SIZE = 4 * 1024 * 1024 * 1024  # declared uncompressed size of the whole archive
MAX_RATIO = 100  # inflation factor allowed for members bigger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024

EXTENSION_NOTE_NAME = "workbench exchange data"
EXTENSION_FORMAT = "workbench-refi"
EXTENSION_VERSION = 1

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
_ID_NAMESPACE = uuid.UUID("5b0e6a56-55f1-4f57-9c43-2f3b0c6d7a10")
_RGB = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")

Progress = Callable[[str, int, int], None]


# -- what the reader returns ----------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """A coded (or only annotated) span; ``start``/``end`` are offsets in ``Source.text``."""

    guid: str
    start: int
    end: int
    name: str = ""
    user_guid: str | None = None
    created: datetime | None = None
    description: str = ""
    codings: tuple[Coding, ...] = ()
    note_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A text source. ``text`` is in stored form (NFC, LF); ``None`` when it was missing."""

    guid: str
    name: str
    text: str | None
    created: datetime | None = None
    description: str = ""
    selections: tuple[Selection, ...] = ()
    codings: tuple[Coding, ...] = ()  # codings of the whole source
    note_refs: tuple[str, ...] = ()
    values: dict[str, str] = field(default_factory=dict)  # variable GUID → value


@dataclass(frozen=True)
class Variable:
    guid: str
    name: str


@dataclass(frozen=True)
class Case:
    guid: str
    name: str
    values: dict[str, str] = field(default_factory=dict)  # variable GUID → value
    source_refs: tuple[str, ...] = ()


@dataclass
class Project:
    name: str
    users: dict[str, str] = field(default_factory=dict)  # GUID → name
    codes: list[Code] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sets: list[Set] = field(default_factory=list)
    note_refs: tuple[str, ...] = ()
    description: str = ""
    extension: dict[str, Any] | None = None
    reading: str = "standard"
    warnings: list[str] = field(default_factory=list)


@dataclass
class Codebook:
    name: str
    codes: list[Code] = field(default_factory=list)
    sets: list[Set] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- safety -------------------------------------------------------------------------------


def _unsafe_member_name(name: str) -> bool:
    if "\x00" in name:
        return True
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return True
    return ".." in path.split("/")


class SafeArchive:
    """A ZIP archive that passed the safety checks; members are read with a size limit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise UserError("exchange.error.missing", path=path) from None
        except IsADirectoryError:
            raise UserError("exchange.error.missing", path=path) from None
        except PermissionError:
            raise UserError("exchange.error.unreadable", path=path) from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise UserError("exchange.error.not_zip", name=path.name) from None
        try:
            self._check()
        except BaseException:
            self.zip.close()
            raise
        self.names = {info.filename: info for info in self.zip.infolist() if not info.is_dir()}
        self.read_so_far = 0

    def _check(self) -> None:
        infos = self.zip.infolist()
        name = self.path.name
        if len(infos) > MAX_MEMBERS:
            raise UserError("exchange.error.too_many_members", name=name, n=len(infos),
                            limit=MAX_MEMBERS)
        total = 0
        for info in infos:
            if _unsafe_member_name(info.filename):
                raise UserError("exchange.error.unsafe_path", name=name, member=info.filename)
            total += info.file_size
            if (
                info.file_size > RATIO_FLOOR
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            ):
                raise UserError("exchange.error.zip_bomb", name=name, member=info.filename)
        if total > MAX_TOTAL_SIZE:
            raise UserError("exchange.error.too_big", name=name, size=_mb(total),
                            limit=_mb(MAX_TOTAL_SIZE))

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def find(self, member: str) -> str | None:
        """The archive's name for ``member``, matched case-insensitively."""
        member = member.replace("\\", "/").lstrip("/")
        if member in self.names:
            return member
        lower = member.casefold()
        for name in self.names:
            if name.casefold() == lower:
                return name
        return None

    def read(self, member: str) -> bytes:
        info = self.names[member]
        if info.file_size > MAX_MEMBER_SIZE:
            raise UserError("exchange.error.member_too_big", name=self.path.name,
                            member=member, limit=_mb(MAX_MEMBER_SIZE))
        try:
            with self.zip.open(info) as fh:
                data = fh.read(MAX_MEMBER_SIZE + 1)
        except RuntimeError:  # encrypted member
            raise UserError("exchange.error.encrypted", name=self.path.name) from None
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
            raise UserError("exchange.error.damaged", name=self.path.name, member=member,
                            detail=str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - zlib.error and friends: a damaged member
            raise UserError("exchange.error.damaged", name=self.path.name, member=member,
                            detail=str(exc)) from None
        if len(data) > MAX_MEMBER_SIZE:
            raise UserError("exchange.error.member_too_big", name=self.path.name,
                            member=member, limit=_mb(MAX_MEMBER_SIZE))
        self.read_so_far += len(data)
        if self.read_so_far > MAX_READ_SIZE:
            raise UserError("exchange.error.too_big", name=self.path.name,
                            size=_mb(self.read_so_far), limit=_mb(MAX_READ_SIZE))
        return data


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _scan_text(data: bytes) -> str:
    """``data`` decoded just well enough to look for markup (any ASCII-compatible encoding)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data.decode("utf-32", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", errors="replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", errors="replace")
    return data.decode("latin-1")


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse untrusted XML: no entities, no DTD loading, no network, no huge trees."""
    if len(data) > MAX_MEMBER_SIZE:
        raise UserError("exchange.error.member_too_big", name=name, member=name,
                        limit=_mb(MAX_MEMBER_SIZE))
    if "<!ENTITY" in _scan_text(data):
        raise UserError("exchange.error.entities", name=name)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UserError("exchange.error.xml", name=name, detail=str(exc)) from None
    if root is None:
        raise UserError("exchange.error.xml", name=name, detail="")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UserError("exchange.error.entities", name=name)
    if any(True for _ in root.iter(etree.Entity)):
        raise UserError("exchange.error.entities", name=name)
    return root


# -- lenient XML access -------------------------------------------------------------------


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname.casefold() if isinstance(el.tag, str) else ""


def _kids(el: etree._Element, name: str) -> list[etree._Element]:
    key = name.casefold()
    return [c for c in el if _local(c) == key]


def _kid(el: etree._Element, name: str) -> etree._Element | None:
    found = _kids(el, name)
    return found[0] if found else None


def _attr(el: etree._Element, name: str) -> str | None:
    value = el.get(name)
    if value is not None:
        return value
    key = name.casefold()
    for attr, value in el.attrib.items():
        if etree.QName(attr).localname.casefold() == key:
            return value
    return None


def _text(el: etree._Element | None) -> str:
    return "".join(el.itertext()) if el is not None else ""


def _child_text(el: etree._Element, name: str) -> str:
    return _text(_kid(el, name))


def _bool(value: str | None, default: bool = True) -> bool:
    if value is None:
        return default
    return value.strip().casefold() not in ("false", "0", "no")


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def parse_time(value: str | None) -> datetime | None:
    """An ``xsd:dateTime`` as a naive UTC time (how the project stores times)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def colour(value: str | None) -> str | None:
    """``#rrggbb`` (lower case) from ``#rgb``/``#rrggbb``/``rrggbb``; ``None`` otherwise."""
    if not value:
        return None
    match = _RGB.match(value.strip())
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return f"#{digits}"


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
        return self(_attr(el, "targetGUID") or _attr(el, "guid"))

    def refs(self, el: etree._Element, tag: str) -> tuple[str, ...]:
        return tuple(g for g in (self.ref(r) for r in _kids(el, tag)) if g is not None)


# -- positions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """How a tool counted positions: line breaks as written/one/two; code points or UTF-16."""

    breaks: str  # "written" | "lf" | "crlf"
    units: str  # "cp" | "utf16"

    @property
    def key(self) -> str:
        return f"{self.breaks}_{self.units}"


READINGS = tuple(Reading(b, u) for u in ("cp", "utf16") for b in ("written", "lf", "crlf"))
STANDARD = READINGS[0]


def _line_pieces(line: str) -> list[tuple[str, str]]:
    """(raw, stored) pieces of one line, fine enough that NFC never crosses a boundary."""
    if line.isascii() or (
        "\ufeff" not in line and max(line) <= "\uffff" and unicodedata.is_normalized("NFC", line)
    ):
        return [(line, line)]
    clusters: list[str] = []
    for ch in line:
        if clusters and ch != "\ufeff" and unicodedata.combining(ch) and clusters[-1] != "\ufeff":
            clusters[-1] += ch
        else:
            clusters.append(ch)
    pieces = [(c, unicodedata.normalize("NFC", c.replace("\ufeff", ""))) for c in clusters]
    if "".join(s for _, s in pieces) != unicodedata.normalize("NFC", line.replace("\ufeff", "")):
        return [(line, unicodedata.normalize("NFC", line.replace("\ufeff", "")))]
    return pieces


class OffsetMap:
    """Maps positions of one reading of a raw text to offsets in its stored form."""

    def __init__(self, raw: str, reading: Reading) -> None:
        starts: list[int] = []
        stored_starts: list[int] = []
        lengths: list[int] = []
        stored_lengths: list[int] = []
        linear: list[bool] = []
        pos = stored = 0
        for kind, raw_piece, stored_piece in _pieces(raw):
            if kind == "break":
                size = {"written": len(raw_piece), "lf": 1, "crlf": 2}[reading.breaks]
            elif reading.units == "utf16":
                size = len(raw_piece.encode("utf-16-le")) // 2
            else:
                size = len(raw_piece)
            stored_size = len(stored_piece)
            is_linear = size == stored_size
            if size == 0 and stored_size == 0:
                continue
            if is_linear and linear and linear[-1]:
                lengths[-1] += size
                stored_lengths[-1] += stored_size
            else:
                starts.append(pos)
                stored_starts.append(stored)
                lengths.append(size)
                stored_lengths.append(stored_size)
                linear.append(is_linear)
            pos += size
            stored += stored_size
        self.total = pos
        self.stored_total = stored
        self._starts, self._stored_starts = starts, stored_starts
        self._lengths, self._stored_lengths, self._linear = lengths, stored_lengths, linear

    def to_stored(self, pos: int, *, end: bool) -> tuple[int, bool] | None:
        """Stored offset of ``pos`` and whether it fell on a clean boundary; ``None`` if
        out of range. A position inside a piece that changes length (a CRLF counted as two,
        a decomposed letter, a surrogate pair) snaps outwards: starts down, ends up."""
        if pos < 0 or pos > self.total:
            return None
        if pos == self.total:
            return self.stored_total, True
        k = bisect_right(self._starts, pos) - 1
        offset = pos - self._starts[k]
        if offset == 0:
            return self._stored_starts[k], True
        if self._linear[k]:
            return self._stored_starts[k] + offset, True
        return self._stored_starts[k] + (self._stored_lengths[k] if end else 0), False


def _pieces(raw: str) -> list[tuple[str, str, str]]:
    parts = re.split(r"(\r\n|\r|\n)", raw)
    out: list[tuple[str, str, str]] = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(("break", part, "\n"))
        elif part:
            out.extend(("text", r, s) for r, s in _line_pieces(part))
    return out


def _word_boundary(text: str, pos: int) -> bool:
    if pos <= 0 or pos >= len(text):
        return True
    return not (text[pos - 1].isalnum() and text[pos].isalnum())


def _squash(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _name_fits(name: str, selected: str) -> bool:
    wanted = _squash(name).removesuffix("…").removesuffix("...").rstrip()
    if not wanted:
        return False
    got = _squash(selected)
    return got == wanted or (len(wanted) >= 20 and got.startswith(wanted))


@dataclass
class _RawSelection:
    guid: str
    start: int
    end: int
    name: str
    user_guid: str | None
    created: datetime | None
    description: str
    codings: tuple[Coding, ...]
    note_refs: tuple[str, ...]


def choose_reading(
    texts: list[tuple[str, str, list[tuple[int, int, str]]]], *, guess: bool = True
) -> Reading:
    """The reading under which the selections fit the texts best.

    ``texts`` holds (raw text, stored text, [(start, end, name)]) per source. Each reading
    scores one point per selection in range, one per boundary on a clean position and one
    per boundary on a word boundary, four when the selection's name is the selected text;
    the reading with most selections in range and then the best score wins, the standard
    reading first among equals.
    """
    if not guess:
        return STANDARD
    best: tuple[int, int, int] | None = None
    chosen = STANDARD
    for rank, reading in enumerate(READINGS):
        valid = score = 0
        for raw, stored, selections in texts:
            mapping = OffsetMap(raw, reading)
            for start, end, name in selections:
                a = mapping.to_stored(start, end=False)
                b = mapping.to_stored(end, end=True)
                if a is None or b is None or a[0] >= b[0]:
                    continue
                valid += 1
                score += 1 + a[1] + b[1]
                score += _word_boundary(stored, a[0]) + _word_boundary(stored, b[0])
                if name and _name_fits(name, stored[a[0]:b[0]]):
                    score += 4
        key = (valid, score, -rank)
        if best is None or key > best:
            best, chosen = key, reading
    return chosen


# -- decoding source texts ----------------------------------------------------------------


def decode_text(data: bytes, name: str, warnings: list[str]) -> str:
    """Text of a source or note file: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.append(t("exchange.warning.encoding", name=name))
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


# -- the project document -------------------------------------------------------------------


class _ProjectReader:
    def __init__(self, archive: SafeArchive | None, root: etree._Element, label: str) -> None:
        self.archive = archive
        self.root = root
        self.label = label
        name = _attr(root, "name") or label
        self.ids = Ids(name)
        self.project = Project(name=name)
        self.warnings = self.project.warnings

    # codes --------------------------------------------------------------------------

    def codes(self, parent: etree._Element, seen: set[str]) -> list[Code]:
        out: list[Code] = []
        for el in _kids(parent, "Code"):
            guid = self.ids(_attr(el, "guid")) or self.ids(_attr(el, "id"))
            name = _attr(el, "name") or ""
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
                    guid=guid, name=name, codable=_bool(_attr(el, "isCodable")),
                    colour=colour(_attr(el, "color") or _attr(el, "colour")),
                    description=_child_text(el, "Description"),
                    note_refs=self.ids.refs(el, "NoteRef"),
                    children=tuple(self.codes(el, seen)),
                )
            )
        return out

    def sets(self, parent: etree._Element | None) -> list[Set]:
        if parent is None:
            return []
        out = []
        for el in _kids(parent, "Set"):
            guid = self.ids(_attr(el, "guid")) or self.ids(f"set\x00{_attr(el, 'name')}")
            assert guid is not None
            out.append(
                Set(
                    guid=guid, name=_attr(el, "name") or "",
                    description=_child_text(el, "Description"),
                    member_codes=self.ids.refs(el, "MemberCode"),
                    member_notes=self.ids.refs(el, "MemberNote"),
                )
            )
        return out

    # variables and cases ------------------------------------------------------------

    def values(self, el: etree._Element) -> dict[str, str]:
        out: dict[str, str] = {}
        for value in _kids(el, "VariableValue"):
            guid = self.ids.ref(_kid(value, "VariableRef"))
            if guid is None:
                continue
            for child in value:
                if _local(child).endswith("value"):
                    out[guid] = _text(child)
                    break
        return out

    # text of sources and notes ----------------------------------------------------------

    def file_text(self, path: str | None, name: str) -> str | None:
        """Text behind a ``plainTextPath``; ``None`` when it is not in the archive."""
        if not path or self.archive is None:
            return None
        path = path.strip()
        if not path.casefold().startswith("internal://"):
            return None  # relative:// or absolute paths point outside the archive
        rest = unquote(path[len("internal://"):]).replace("\\", "/").lstrip("/")
        if not rest or ".." in rest.split("/"):
            return None
        candidates = [f"sources/{rest}", rest, f"sources/{PurePosixPath(rest).name}"]
        for candidate in candidates:
            member = self.archive.find(candidate)
            if member is not None:
                return decode_text(self.archive.read(member), name, self.warnings)
        return None

    def notes(self) -> list[Note]:
        out: list[Note] = []
        notes = _kid(self.root, "Notes")
        if notes is None:
            return out
        for i, el in enumerate(_kids(notes, "Note")):
            guid = self.ids(_attr(el, "guid")) or self.ids(f"note\x00{i}")
            assert guid is not None
            name = _attr(el, "name") or ""
            content = _kid(el, "PlainTextContent")
            text = _text(content) if content is not None else None
            if text is None:
                text = self.file_text(_attr(el, "plainTextPath"), name)
            if text is None:
                text = _child_text(el, "Description")
            out.append(
                Note(
                    guid=guid, name=name, text=text,
                    user_guid=self.ids(_attr(el, "creatingUser")),
                    created=parse_time(_attr(el, "creationDateTime")),
                    modified=parse_time(_attr(el, "modifiedDateTime")),
                )
            )
        return out

    # sources --------------------------------------------------------------------------

    def codings(self, el: etree._Element, seed: str) -> tuple[Coding, ...]:
        out: list[Coding] = []
        for i, coding in enumerate(_kids(el, "Coding")):
            code = self.ids.ref(_kid(coding, "CodeRef"))
            if code is None:
                continue
            guid = self.ids(_attr(coding, "guid")) or self.ids(f"coding\x00{seed}\x00{i}")
            assert guid is not None
            out.append(
                Coding(
                    guid=guid, code_guid=code,
                    user_guid=self.ids(_attr(coding, "creatingUser")),
                    created=parse_time(_attr(coding, "creationDateTime")),
                    note_refs=self.ids.refs(coding, "NoteRef"),
                )
            )
        return tuple(out)

    def sources(
        self, progress: Progress | None
    ) -> list[tuple[etree._Element, str | None, str | None, list[_RawSelection]]]:
        """(element, raw text, stored text, raw selections) of every text source."""
        found = []
        container = _kid(self.root, "Sources")
        if container is None:
            return found
        skipped: dict[str, int] = {}
        elements = list(container)
        for i, el in enumerate(elements):
            kind = _local(el)
            if kind != "textsource":
                if kind:
                    label = next((k for k in _OTHER_SOURCES if k.casefold() == kind), kind)
                    skipped[label] = skipped.get(label, 0) + 1
                continue
            name = _attr(el, "name") or ""
            raw = self.file_text(_attr(el, "plainTextPath"), name)
            if raw is None:
                content = _kid(el, "PlainTextContent")
                raw = _text(content) if content is not None else None
            if raw is None:
                self.warnings.append(
                    t("exchange.warning.missing_source", name=name or "?",
                      path=_attr(el, "plainTextPath") or "–")
                )
            selections: list[_RawSelection] = []
            for j, sel in enumerate(_kids(el, "PlainTextSelection")):
                start, end = _int(_attr(sel, "startPosition")), _int(_attr(sel, "endPosition"))
                guid = self.ids(_attr(sel, "guid")) or self.ids(f"selection\x00{i}\x00{j}")
                assert guid is not None
                if start is None or end is None:
                    self.warnings.append(t("exchange.warning.bad_position", source=name))
                    continue
                if end < start:
                    start, end = end, start
                selections.append(
                    _RawSelection(
                        guid=guid, start=start, end=end, name=_attr(sel, "name") or "",
                        user_guid=self.ids(_attr(sel, "creatingUser")),
                        created=parse_time(_attr(sel, "creationDateTime")),
                        description=_child_text(sel, "Description"),
                        codings=self.codings(sel, guid), note_refs=self.ids.refs(sel, "NoteRef"),
                    )
                )
            stored = normalise_text(raw) if raw is not None else None
            found.append((el, raw, stored, selections))
            if progress:
                progress("read", i + 1, len(elements))
        for kind, n in skipped.items():
            self.warnings.append(t("exchange.warning.skipped_sources", kind=kind, n=n))
        return found

    # the whole document ------------------------------------------------------------

    def read(self, progress: Progress | None) -> Project:
        project = self.project
        users = _kid(self.root, "Users")
        if users is not None:
            for el in _kids(users, "User"):
                guid = self.ids(_attr(el, "guid"))
                if guid is not None:
                    project.users[guid] = _attr(el, "name") or _attr(el, "id") or ""
        codebook = _kid(self.root, "CodeBook")
        codes = _kid(codebook, "Codes") if codebook is not None else None
        if codes is not None:
            project.codes = self.codes(codes, set())
        variables = _kid(self.root, "Variables")
        if variables is not None:
            for el in _kids(variables, "Variable"):
                guid = self.ids(_attr(el, "guid"))
                if guid is not None:
                    project.variables.append(Variable(guid, _attr(el, "name") or ""))
        cases = _kid(self.root, "Cases")
        if cases is not None:
            for el in _kids(cases, "Case"):
                guid = self.ids(_attr(el, "guid"))
                if guid is not None:
                    project.cases.append(
                        Case(guid, _attr(el, "name") or "", self.values(el),
                             self.ids.refs(el, "SourceRef"))
                    )
        project.notes = self.notes()
        project.extension = _take_extension(project.notes, self.warnings)
        project.sets = self.sets(_kid(self.root, "Sets"))
        project.note_refs = self.ids.refs(self.root, "NoteRef")
        project.description = _child_text(self.root, "Description")

        found = self.sources(progress)
        texts = [(raw, stored, [(s.start, s.end, s.name) for s in sels])
                 for _, raw, stored, sels in found if raw is not None and stored is not None]
        reading = choose_reading(texts, guess=not _untouched(project.extension, found, self.ids))
        project.reading = "standard" if reading == STANDARD else reading.key
        if reading != STANDARD:
            self.warnings.append(t("exchange.warning.reading",
                                   reading=t(f"exchange.reading.{reading.key}")))
        for el, raw, stored, raw_selections in found:
            name = _attr(el, "name") or ""
            guid = self.ids(_attr(el, "guid")) or self.ids(f"source\x00{name}")
            assert guid is not None
            selections: list[Selection] = []
            if raw is not None and stored is not None:
                mapping = OffsetMap(raw, reading)
                dropped = 0
                for sel in raw_selections:
                    a = mapping.to_stored(sel.start, end=False)
                    b = mapping.to_stored(sel.end, end=True)
                    if a is None or b is None or a[0] >= b[0]:
                        dropped += 1
                        continue
                    selections.append(
                        Selection(
                            guid=sel.guid, start=a[0], end=b[0], name=sel.name,
                            user_guid=sel.user_guid, created=sel.created,
                            description=sel.description, codings=sel.codings,
                            note_refs=sel.note_refs,
                        )
                    )
                if dropped:
                    self.warnings.append(
                        t("exchange.warning.out_of_range", source=name, n=dropped)
                    )
            project.sources.append(
                Source(
                    guid=guid, name=name, text=stored,
                    created=parse_time(_attr(el, "creationDateTime")),
                    description=_child_text(el, "Description"),
                    selections=tuple(selections), codings=self.codings(el, guid),
                    note_refs=self.ids.refs(el, "NoteRef"), values=self.values(el),
                )
            )
        return project


def _take_extension(notes: list[Note], warnings: list[str]) -> dict[str, Any] | None:
    """Remove our own extension note from ``notes`` and return its data."""
    for note in notes:
        if note.name != EXTENSION_NOTE_NAME:
            continue
        try:
            data = json.loads(note.text)
        except ValueError:
            continue
        if not isinstance(data, dict) or data.get("format") != EXTENSION_FORMAT:
            continue
        notes.remove(note)
        if data.get("version") != EXTENSION_VERSION:
            warnings.append(t("exchange.warning.extension_version", version=data.get("version")))
            return None
        return data
    return None


def text_digest(text: str) -> str:
    """SHA-256 of a text's UTF-8 bytes: how our extension data recognises an unchanged text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _untouched(
    extension: dict[str, Any] | None,
    found: list[tuple[etree._Element, str | None, str | None, list[_RawSelection]]],
    ids: Ids,
) -> bool:
    """Whether this is our own export with every text as we wrote it: its positions are
    standard code points, and guessing another reading could only go wrong."""
    if extension is None:
        return False
    transcripts = extension.get("transcripts")
    if not isinstance(transcripts, dict):
        return False
    for el, raw, _stored, _selections in found:
        if raw is None:
            continue
        info = transcripts.get(ids(_attr(el, "guid")))
        if not isinstance(info, dict):
            return False
        if info.get("sha256") != text_digest(raw):
            return False
    return True


def _find_qde(archive: SafeArchive) -> str:
    candidates = [n for n in archive.names if n.casefold().endswith(".qde")]
    if not candidates:
        raise UserError("exchange.error.no_qde", name=archive.path.name)
    if len(candidates) == 1:
        return candidates[0]
    for name in candidates:
        if name.casefold() == "project.qde":
            return name
    top = [n for n in candidates if "/" not in n]
    if len(top) == 1:
        return top[0]
    raise UserError("exchange.error.several_qde", name=archive.path.name,
                    members=", ".join(sorted(candidates)))


def read_qdpx(path: Path, *, progress: Progress | None = None) -> Project:
    """Read a ``.qdpx`` archive (safety checks first); raise ``UserError`` when refused."""
    path = Path(path)
    if progress:
        progress("check", 0, 1)
    with SafeArchive(path) as archive:
        member = _find_qde(archive)
        root = parse_xml(archive.read(member), f"{path.name}/{member}")
        if _local(root) != "project":
            raise UserError("exchange.error.not_project", name=path.name, root=_local(root))
        return _ProjectReader(archive, root, path.stem).read(progress)


def read_qdc(path: Path) -> Codebook:
    """Read a ``.qdc`` codebook (a bare ``CodeBook`` document, or a ``Project``'s codebook)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_MEMBER_SIZE:
            raise UserError("exchange.error.member_too_big", name=path.name, member=path.name,
                            limit=_mb(MAX_MEMBER_SIZE))
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError("exchange.error.missing", path=path) from None
    except IsADirectoryError:
        raise UserError("exchange.error.missing", path=path) from None
    except PermissionError:
        raise UserError("exchange.error.unreadable", path=path) from None
    if data.startswith(b"PK\x03\x04"):
        raise UserError("exchange.error.archive_as_codebook", name=path.name)
    root = parse_xml(data, path.name)
    kind = _local(root)
    if kind == "project":
        codebook_el = _kid(root, "CodeBook")
        sets_el = _kid(root, "Sets")
    elif kind == "codebook":
        codebook_el, sets_el = root, _kid(root, "Sets")
    else:
        raise UserError("exchange.error.not_codebook", name=path.name, root=kind)
    reader = _ProjectReader(None, root, path.stem)
    codes_el = _kid(codebook_el, "Codes") if codebook_el is not None else None
    book = Codebook(name=path.stem, warnings=reader.warnings)
    book.codes = reader.codes(codes_el, set()) if codes_el is not None else []
    book.sets = reader.sets(sets_el)
    return book


def walk(codes: Iterable[Code]) -> Iterable[tuple[Code, Code | None]]:
    """Every code with its parent, parents before children."""
    stack: list[tuple[Code, Code | None]] = [(c, None) for c in reversed(list(codes))]
    while stack:
        code, parent = stack.pop()
        yield code, parent
        stack.extend((child, code) for child in reversed(code.children))


__all__ = [
    "EXTENSION_FORMAT",
    "EXTENSION_NOTE_NAME",
    "EXTENSION_VERSION",
    "READINGS",
    "STANDARD",
    "Case",
    "Code",
    "Codebook",
    "Coding",
    "Note",
    "OffsetMap",
    "Project",
    "Reading",
    "SafeArchive",
    "Selection",
    "Set",
    "Source",
    "Variable",
    "choose_reading",
    "colour",
    "decode_text",
    "parse_time",
    "parse_xml",
    "read_qdc",
    "read_qdpx",
    "text_digest",
    "walk",
]
