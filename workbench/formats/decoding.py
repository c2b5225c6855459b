"""Bytes of a text file to text: the one decoder every reader uses.

UTF-8 with or without byte-order mark first; UTF-16 when it carries a byte-order mark (Word's
"Unicode text", Excel's "Unicode text"); then Windows-1252, what Norwegian Word and Excel
write when they do not write UTF-8 (not Latin-1: 0x96 is an en dash). Each reader decides
what a legacy encoding means for its file (a warning, or a refusal) and words the error
itself: :class:`DecodeError` says where decoding failed, not what the file was.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
CP1252 = "cp1252"
#: Encodings the reader of a file should mention, because characters may have been guessed.
LEGACY = frozenset({CP1252})
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class DecodeError(ValueError):
    """No encoding fits: ``position`` is the offset of the first bad byte in the file."""

    def __init__(self, data: bytes, position: int) -> None:
        self.position = position
        self.byte = f"0x{data[position]:02X}" if 0 <= position < len(data) else "?"
        super().__init__(f"undecodable byte {self.byte} at position {position}")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # one of UTF8, UTF8_BOM, UTF16, CP1252


def decode(data: bytes, *, legacy: bool = True) -> Decoded:
    """Decode ``data``; ``legacy=False`` refuses what is not Unicode (no Windows-1252 guess).

    The text comes back as written (no NFC, line ends untouched); a byte-order mark is
    removed.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data[len(codecs.BOM_UTF8) :].decode(UTF8), UTF8_BOM)
        except UnicodeDecodeError as exc:
            raise DecodeError(data, exc.start + len(codecs.BOM_UTF8)) from None
    if data.startswith(UTF16_BOMS):
        try:
            return Decoded(data.decode(UTF16), UTF16)
        except UnicodeDecodeError as exc:
            raise DecodeError(data, exc.start) from None
    try:
        return Decoded(data.decode(UTF8), UTF8)
    except UnicodeDecodeError as exc:
        if not legacy:
            raise DecodeError(data, exc.start) from None
    try:
        return Decoded(data.decode(CP1252), CP1252)
    except UnicodeDecodeError as exc:
        raise DecodeError(data, exc.start) from None


__all__ = [
    "CP1252", "LEGACY", "UTF8", "UTF8_BOM", "UTF16", "UTF16_BOMS", "DecodeError", "Decoded", "decode",
]
