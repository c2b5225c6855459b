"""Where things are in a ``.qdpx`` archive: ``project.qde`` and ``sources/<GUID>.txt``.

A source's ``plainTextPath`` is ``internal://<GUID>.txt``: a path inside the archive's
``sources`` folder. Other programs name members differently (another ``.qde`` name, text
at the top level, a different case), so reading looks in every place they use.
"""

from __future__ import annotations

import io
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
    """The member a ``plainTextPath`` points at; ``None`` when it points outside the
    archive (``relative://``, an absolute path, ``..``) or at nothing in it."""
    if not path:
        return None
    path = path.strip()
    if not path.casefold().startswith(INTERNAL):
        return None
    rest = unquote(path[len(INTERNAL):]).replace("\\", "/").lstrip("/")
    if not rest or ".." in rest.split("/"):
        return None
    for candidate in (f"{SOURCES_FOLDER}/{rest}", rest,
                      f"{SOURCES_FOLDER}/{PurePosixPath(rest).name}"):
        member = archive.find(candidate)
        if member is not None:
            return member
    return None


__all__ = [
    "INTERNAL",
    "PROJECT_MEMBER",
    "SOURCES_FOLDER",
    "find_qde",
    "find_text",
    "pack",
    "source_member",
    "source_path",
]
