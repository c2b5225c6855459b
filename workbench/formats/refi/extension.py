"""Our own data in a REFI-QDA project: one extension note, JSON inside.

REFI has no place for speaker turns, a code's origin, the quote flag, theme status and
hierarchy, and the like. They travel in one ``Note`` named :data:`EXTENSION_NOTE_NAME`: one
sentence that says what it is (in the project's language), a blank line, then
``{"format": "workbench-refi", "version": 1, ...}``. It validates like any note and is
referenced from nothing; it is written inline only, so QualCoder (which reads notes from
files) does not see it, while NVivo, MAXQDA and ATLAS.ti list it among their memos under a
name that says it is not one. Our reader takes it out again (also the bare-JSON note of
earlier versions). What goes inside is the exchange service's business; this module only
wraps and unwraps it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from workbench.i18n import t

from .model import Note

EXTENSION_NOTE_NAME = "workbench: data for re-import (not a memo)"
_EARLIER_NAMES = frozenset({EXTENSION_NOTE_NAME, "workbench exchange data"})
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
    text = t("exchange.extension_intro") + "\n\n" + json.dumps(
        content, ensure_ascii=False, separators=(",", ":"))
    return Note(guid, EXTENSION_NOTE_NAME, text, user_guid, created, inline_only=True)


def take_extension(
    notes: list[Note], warnings: list[str]
) -> dict[str, Any] | None:
    """Remove our own extension note from ``notes`` and return its data (``None`` when
    there is none, or it is from a version this reader does not know: then a warning)."""
    for note in notes:
        if note.name not in _EARLIER_NAMES or "{" not in note.text:
            continue
        try:
            data = json.loads(note.text[note.text.index("{"):])
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
