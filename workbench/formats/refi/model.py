"""A REFI-QDA 1.0 document as plain values: what the writer writes and the reader returns.

Frozen dataclasses, no XML: :mod:`workbench.formats.refi.writer` turns a :class:`Project` or
a :class:`Codebook` into a file, :mod:`workbench.formats.refi.reader` turns a file (ours or
another program's) back into the same values. Names follow the standard's elements
(``TextSource``, ``PlainTextSelection`` → :class:`Selection`, ``Set``, ``Case`` …).

Positions in a :class:`Selection` are ``[start, end)`` in Unicode code points of the
source's text: the text as stored (NFC, LF) when read, the text written to
``sources/<GUID>.txt`` when written. Variable values are ``(variable GUID, text)`` pairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

Values = tuple[tuple[str, str], ...]  # (variable GUID, text value)


@dataclass(frozen=True)
class User:
    guid: str
    name: str


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
    inline_only: bool = False  # written as PlainTextContent only, with no file in sources/


@dataclass(frozen=True)
class Set:
    """A set of codes (``MemberCode``), sources (``MemberSource``, a document set) and notes
    (``MemberNote``)."""

    guid: str
    name: str
    description: str = ""
    member_codes: tuple[str, ...] = ()
    member_notes: tuple[str, ...] = ()
    member_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variable:
    """A text attribute of cases or sources (``typeOfVariable="Text"``)."""

    guid: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Case:
    guid: str
    name: str
    values: Values = ()
    source_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    """A coded (or only annotated) span ``[start, end)`` of its source's text."""

    guid: str
    start: int
    end: int
    name: str = ""  # other programs (and we) put the start of the selected text here
    user_guid: str | None = None
    created: datetime | None = None
    description: str = ""
    codings: tuple[Coding, ...] = ()
    note_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextSource:
    """A text source; ``text`` is ``None`` only when a file read lacked it."""

    guid: str
    name: str
    text: str | None
    created: datetime | None = None
    description: str = ""
    selections: tuple[Selection, ...] = ()
    codings: tuple[Coding, ...] = ()  # codings of the whole source
    note_refs: tuple[str, ...] = ()
    values: Values = ()


@dataclass(frozen=True)
class Project:
    name: str
    origin: str = ""
    creating_user: str | None = None  # user GUID
    created: datetime | None = None
    modified: datetime | None = None
    description: str = ""
    users: tuple[User, ...] = ()
    codes: tuple[Code, ...] = ()
    variables: tuple[Variable, ...] = ()
    cases: tuple[Case, ...] = ()
    sources: tuple[TextSource, ...] = ()
    notes: tuple[Note, ...] = ()
    sets: tuple[Set, ...] = ()
    note_refs: tuple[str, ...] = ()  # notes about the project as a whole


@dataclass(frozen=True)
class Codebook:
    """A ``.qdc``: the code tree and sets of codes (the codebook schema has no notes)."""

    codes: tuple[Code, ...]
    sets: tuple[Set, ...] = ()
    origin: str = ""


def walk(codes: Iterable[Code]) -> Iterable[tuple[Code, Code | None]]:
    """Every code with its parent, parents before children."""
    stack: list[tuple[Code, Code | None]] = [(c, None) for c in reversed(list(codes))]
    while stack:
        code, parent = stack.pop()
        yield code, parent
        stack.extend((child, code) for child in reversed(code.children))


__all__ = [
    "Case",
    "Code",
    "Codebook",
    "Coding",
    "Note",
    "Project",
    "Selection",
    "Set",
    "TextSource",
    "User",
    "Values",
    "Variable",
    "walk",
]
