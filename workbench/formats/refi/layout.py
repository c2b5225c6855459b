"""Where things are in a ``.qdpx`` archive: ``project.qde`` and ``sources/<GUID>.txt``.

A source's ``plainTextPath`` is ``internal://<GUID>.txt``: a path inside the archive's
``sources`` folder. Other programs name members differently (another ``.qde`` name, text
at the top level, a bare file name, a different case), so reading looks in every place
they use, always inside the archive.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import unquote

from workbench.domain.errors import UserError
from workbench.formats.archive import SafeArchive

PROJECT_MEMBER = "project.qde"
SOURCES_FOLDER = "sources"
INTERNAL = "internal://"


def source_member(guid: str) -> str:
    """The archive member that holds a source's text."""
    return f"{SOURCES_FOLDER}/{guid}.txt"


def source_path(guid: str) -> str:
    """The ``plainTextPath`` that points at :func:`source_member`."""
    return f"{INTERNAL}{guid}.txt"


def pack(document: bytes, texts: Iterable[tuple[str, str]]) -> bytes:
    """The ``.qdpx`` ZIP: ``project.qde`` plus each ``(source GUID, text)`` as UTF-8."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PROJECT_MEMBER, document)
        for guid, text in texts:
            archive.writestr(source_member(guid), text.encode("utf-8"))
    return buffer.getvalue()


def find_qde(archive: SafeArchive) -> str:
    """The project document of an archive: the only ``.qde``, else ``project.qde``, else
    the only one at the top level."""
    candidates = [n for n in archive.names if n.casefold().endswith(".qde")]
    if not candidates:
        raise UserError("exchange.error.no_qde", name=archive.name)
    if len(candidates) == 1:
        return candidates[0]
    for name in candidates:
        if name.casefold() == PROJECT_MEMBER:
            return name
    top = [n for n in candidates if "/" not in n]
    if len(top) == 1:
        return top[0]
    raise UserError("exchange.error.several_qde", name=archive.name,
                    members=", ".join(sorted(candidates)))


def find_text(archive: SafeArchive, path: str | None) -> str | None:
    """The archive member a ``plainTextPath`` points at, however the writer spelled it:
    ``internal://GUID.txt`` (the standard), a bare or relative file name
    (``board_2017.txt``, ``sources/x.txt``, ``./Sources/x.txt``), ``relative://``, a
    ``file://`` URL or an absolute path whose file was packed into the archive. Only
    members of the archive are ever found (the path is a name to look up, never opened);
    ``None`` when the path climbs out (``..``) or names nothing in the archive."""
    if not path:
        return None
    rest = unquote(path.strip()).replace("\\", "/")
    scheme = re.match(r"^([a-z][a-z0-9+.-]*)://", rest, re.IGNORECASE)
    if scheme:
        rest = rest[scheme.end():]
    rest = re.sub(r"^[a-z]:/", "", rest, flags=re.IGNORECASE)  # a Windows drive
    parts = [p for p in rest.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    rest = "/".join(parts)
    base = parts[-1]
    for candidate in (f"{SOURCES_FOLDER}/{rest}", rest, f"{SOURCES_FOLDER}/{base}", base):
        member = archive.find(candidate)
        if member is not None:
            return member
    return None


def source_label(name: str | None, path: str | None, guid: str | None) -> str:
    """What to call a source in messages and as a transcript name: its ``name``, else the
    stem of its ``plainTextPath`` file, else its GUID."""
    if name and name.strip():
        return name.strip()
    if path and path.strip():
        stem = PurePosixPath(unquote(path.strip()).replace("\\", "/")).stem
        if stem:
            return stem
    return guid or ""


__all__ = [
    "INTERNAL",
    "PROJECT_MEMBER",
    "SOURCES_FOLDER",
    "find_qde",
    "find_text",
    "pack",
    "source_label",
    "source_member",
    "source_path",
]
