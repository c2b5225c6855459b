"""ZIP containers from outside (.qdpx, .docx, .odt): checked before anything in them is used.

:class:`SafeArchive` opens an archive from a path or from bytes and refuses it with a
:class:`~workbench.domain.errors.UserError` when it is not a ZIP at all (the caller names
the format: ``not_zip``), or when it is unsafe: member paths that are absolute or climb out
with ``..``; more than :data:`MAX_MEMBERS` members; a declared uncompressed total above the
caller's limit (:data:`MAX_TOTAL_SIZE` unless given) or a member that inflates more than
:data:`MAX_RATIO` times (zip bombs). Members read through :meth:`SafeArchive.read` are
limited to :data:`MAX_MEMBER_SIZE` each and :data:`MAX_READ_SIZE` together, checked while
inflating, so a lying header does not help.

The limits are module attributes, read when an archive is opened, so that tests and
unusual sites can adjust them.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from workbench.domain.errors import UserError

MAX_MEMBERS = 10_000
MAX_MEMBER_SIZE = 128 * 1024 * 1024  # any single member read through SafeArchive.read
MAX_READ_SIZE = 512 * 1024 * 1024  # all members read through SafeArchive.read, together
MAX_TOTAL_SIZE = 4 * 1024 * 1024 * 1024  # declared uncompressed size of the whole archive
MAX_RATIO = 100  # inflation factor allowed for members bigger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024

ZIP_MAGIC = b"PK"
_DRIVE = re.compile(r"^[A-Za-z]:")


def megabytes(size: int) -> str:
    """``size`` in bytes as the messages show it (``"128 MB"``)."""
    return f"{size / (1024 * 1024):.0f} MB"


def unsafe_member_name(name: str) -> bool:
    """Whether a member path is absolute, names a drive, climbs out with ``..`` or holds NUL."""
    if "\x00" in name:
        return True
    path = name.replace("\\", "/")
    if path.startswith("/") or _DRIVE.match(path):
        return True
    return ".." in path.split("/")


class SafeArchive:
    """A ZIP archive that passed the safety checks; members are read with a size limit.

    ``source`` is a path (opened lazily by :mod:`zipfile`, so media members are never read)
    or the file's bytes; ``name`` is how messages call the file. A path that cannot be
    opened raises :class:`FileNotFoundError`, :class:`IsADirectoryError` or
    :class:`PermissionError` unchanged, for the caller to word.
    """

    def __init__(
        self, source: Path | bytes, name: str, *, not_zip: str, max_total: int | None = None
    ) -> None:
        self.name = name
        self._not_zip = not_zip
        try:
            head = source[:2] if isinstance(source, bytes) else _head(Path(source))
            if head != ZIP_MAGIC:
                raise UserError(not_zip, name=name)
            self.zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            raise UserError(not_zip, name=name) from None
        try:
            self._check(MAX_TOTAL_SIZE if max_total is None else max_total)
        except BaseException:
            self.zip.close()
            raise
        self.names = {info.filename: info for info in self.zip.infolist() if not info.is_dir()}
        self.read_so_far = 0

    def _check(self, max_total: int) -> None:
        infos = self.zip.infolist()
        name = self.name
        if len(infos) > MAX_MEMBERS:
            raise UserError("archive.error.too_many_members", name=name, n=len(infos),
                            limit=MAX_MEMBERS)
        total = 0
        for info in infos:
            if unsafe_member_name(info.filename):
                raise UserError("archive.error.unsafe_path", name=name, member=info.filename)
            total += info.file_size
            if (
                info.file_size > RATIO_FLOOR
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            ):
                raise UserError("archive.error.zip_bomb", name=name, member=info.filename)
        if total > max_total:
            raise UserError("archive.error.too_big", name=name, size=megabytes(total),
                            limit=megabytes(max_total))

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
        """The bytes of ``member`` (a name from :attr:`names`), within the read limits."""
        info = self.names[member]
        too_big = UserError("archive.error.member_too_big", name=self.name, member=member,
                            limit=megabytes(MAX_MEMBER_SIZE))
        if info.file_size > MAX_MEMBER_SIZE:
            raise too_big
        try:
            with self.zip.open(info) as fh:
                data = fh.read(MAX_MEMBER_SIZE + 1)
        except RuntimeError:  # encrypted member
            raise UserError("archive.error.encrypted", name=self.name) from None
        except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError …: damaged
            raise UserError("archive.error.damaged", name=self.name, member=member,
                            detail=str(exc)) from None
        if len(data) > MAX_MEMBER_SIZE:
            raise too_big
        self.read_so_far += len(data)
        if self.read_so_far > MAX_READ_SIZE:
            raise UserError("archive.error.too_big", name=self.name,
                            size=megabytes(self.read_so_far), limit=megabytes(MAX_READ_SIZE))
        return data


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(len(ZIP_MAGIC))


__all__ = [
    "MAX_MEMBERS",
    "MAX_MEMBER_SIZE",
    "MAX_RATIO",
    "MAX_READ_SIZE",
    "MAX_TOTAL_SIZE",
    "RATIO_FLOOR",
    "SafeArchive",
    "megabytes",
    "unsafe_member_name",
]
