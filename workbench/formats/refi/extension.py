"""Our own data in a REFI-QDA project: one extension note, JSON inside.

REFI has no place for speaker turns, a code's origin, the quote flag, theme status and
hierarchy, and the like. They travel in one ``Note`` named :data:`EXTENSION_NOTE_NAME` whose
content is ``{"format": "workbench-refi", "version": 1, ...}``: it validates like any note,
other programs show it as a memo, and our reader takes it out again. What goes inside is
the exchange service's business; this module only wraps and unwraps it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from workbench.i18n import t

from .model import Note

EXTENSION_NOTE_NAME = "workbench exchange data"
EXTENSION_FORMAT = "workbench-refi"
EXTENSION_VERSION = 1


def text_digest(text: str) -> str:
    """SHA-256 of a text's UTF-8 bytes: how our extension data recognises an unchanged text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extension_note(
    guid: str, data: Mapping[str, Any], user_guid: str | None, created: datetime | None
) -> Note:
    """The note that carries ``data`` (format and version are added)."""
    content = {"format": EXTENSION_FORMAT, "version": EXTENSION_VERSION, **data}
    return Note(guid, EXTENSION_NOTE_NAME,
                json.dumps(content, ensure_ascii=False, separators=(",", ":")),
                user_guid, created)


def take_extension(
    notes: list[Note], warnings: list[str]
) -> dict[str, Any] | None:
    """Remove our own extension note from ``notes`` and return its data (``None`` when
    there is none, or it is from a version this reader does not know: then a warning)."""
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


__all__ = [
    "EXTENSION_FORMAT",
    "EXTENSION_NOTE_NAME",
    "EXTENSION_VERSION",
    "extension_note",
    "take_extension",
    "text_digest",
]
