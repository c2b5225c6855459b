"""What every transcript reader does with its input: decode the bytes, check a ZIP
container, and report progress.

* :func:`decode_text` turns file bytes into normalised text with the shared decoder
  (:mod:`workbench.formats.decoding`: UTF-8, UTF-8 with BOM, UTF-16 with BOM,
  Windows-1252) and refuses binary files;
* :func:`check_zip` refuses what is not a sound ZIP container (an old binary Office file, a
  damaged or unsafe archive) before python-docx or odfpy opens it;
* :class:`Ticker` calls ``progress(done, total)`` now and then.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from workbench.domain.errors import UserError
from workbench.domain.parsed import normalise_text
from workbench.formats.archive import SafeArchive
from workbench.formats.decoding import UTF16_BOMS, DecodeError, decode

Progress = Callable[[int, int], None]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A transcript's XML never unpacks to anything near this; more means a damaged or hostile file.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode file bytes to normalised text; return ``(text, encoding)``.

    UTF-8 (strict, BOM-aware) first, then Windows-1252 (not Latin-1: 0x96 is an en dash).
    UTF-16 is accepted when it carries a BOM (Word's "Unicode text"). Bytes with NUL and no
    byte-order mark are not text.
    """
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF8, *UTF16_BOMS)):
        raise UserError("import.error.binary_file", name=name)
    try:
        decoded = decode(data)
    except DecodeError as exc:
        raise UserError(
            "import.error.undecodable", name=name, byte=exc.byte, position=exc.position
        ) from None
    return normalise_text(decoded.text), decoded.encoding


def check_zip(data: bytes, name: str, *, invalid_key: str) -> None:
    """Refuse what is not a sound ZIP container before a library tries to open it."""
    if data.startswith(OLE_MAGIC):
        raise UserError("import.error.legacy_office", name=name)
    SafeArchive(data, name, not_zip=invalid_key, max_total=MAX_UNPACKED_BYTES).close()


class Ticker:
    """Calls ``progress(done, total)`` at most every ``every`` steps, and once at the end."""

    __slots__ = ("_progress", "total", "_every", "_next")

    def __init__(self, progress: Progress | None, total: int, every: int) -> None:
        self._progress = progress
        self.total = total
        self._every = max(1, every)
        self._next = 0

    def tick(self, done: int) -> None:
        if self._progress is not None and done >= self._next:
            self._progress(done, self.total)
            self._next = done + self._every

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self.total, self.total)
