"""The parts of a REFI-QDA document that the reader and the writer describe the same way.

Plain values, no XML: ``workbench.formats.refi.writer`` writes them and
``workbench.formats.refi.reader`` reads them. (Sources, selections, cases and variables stay
with each side: the reader must also carry what other tools put there, the writer only
what it writes.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    codable: bool = True
    colour: str | None = None  # "#rrggbb" or None
    description: str = ""
    note_refs: tuple[str, ...] = ()
    children: tuple[Code, ...] = ()


@dataclass(frozen=True)
class Coding:
    guid: str
    code_guid: str
    user_guid: str | None = None
    created: datetime | None = None
    note_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    guid: str
    name: str
    text: str
    user_guid: str | None = None
    created: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True)
class Set:
    guid: str
    name: str
    description: str = ""
    member_codes: tuple[str, ...] = ()
    member_notes: tuple[str, ...] = ()
