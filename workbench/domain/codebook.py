"""A codebook as plain values: codes (nested) with origin and colour, and optional themes.

A codebook is how a researcher brings a framework (CHIME, the interview guide's focus
areas) or a code list from an earlier project into the workbench, and how one is handed on.
The YAML file form is read and written by :mod:`workbench.formats.codebook_yaml`; this
module holds the values and the rules for colours (:func:`normalise_colour`, :func:`tint`),
and reads no files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from workbench.domain.model import Origin, ThemeStatus, name_key

ORIGINS: tuple[str, ...] = tuple(origin.value for origin in Origin)
STATUSES: tuple[str, ...] = tuple(status.value for status in ThemeStatus)
DEFAULT_ORIGIN = Origin.INDUCTIVE.value
DEFAULT_STATUS = ThemeStatus.CANDIDATE.value

# The palette codes without a colour get (Tableau 10: calm, distinct, readable on dark and light).
PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)

_HEX = frozenset("0123456789abcdef")


@dataclass
class CodeSpec:
    """One code as the file defines it. ``origin`` and ``colour`` are always resolved."""

    name: str
    description: str = ""
    colour: str = PALETTE[0]
    origin: str = DEFAULT_ORIGIN
    guid: str | None = None
    children: list[CodeSpec] = field(default_factory=list)

    def walk(self) -> Iterator[CodeSpec]:
        """This code and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ThemeSpec:
    """A (candidate) theme: a name, what it is about, and the codes collated under it."""

    name: str
    definition: str = ""
    status: str = DEFAULT_STATUS
    codes: list[str] = field(default_factory=list)
    subthemes: list[ThemeSpec] = field(default_factory=list)
    guid: str | None = None

    def walk(self) -> Iterator[ThemeSpec]:
        yield self
        for sub in self.subthemes:
            yield from sub.walk()


@dataclass
class CodebookSpec:
    """A whole codebook file. ``origin`` is the default the file declares for its codes."""

    name: str
    description: str = ""
    origin: str = DEFAULT_ORIGIN
    codes: list[CodeSpec] = field(default_factory=list)
    themes: list[ThemeSpec] = field(default_factory=list)

    def all_codes(self) -> Iterator[CodeSpec]:
        for code in self.codes:
            yield from code.walk()

    def all_themes(self) -> Iterator[ThemeSpec]:
        for theme in self.themes:
            yield from theme.walk()

    def find_code(self, name: str) -> CodeSpec | None:
        """The code with this name, compared as the duplicate check compares (case, NFC)."""
        key = name_key(name)
        return next((c for c in self.all_codes() if name_key(c.name) == key), None)


def normalise_colour(value: str | None) -> str | None:
    """``#rrggbb`` in lower case, or None when ``value`` is not a hex colour.

    ``#rgb`` is accepted and expanded; a missing ``#`` is tolerated; surrounding white
    space is ignored. ``None`` and ``""`` give None.
    """
    if not value:
        return None
    raw = value.strip().lower()
    if raw.startswith("#"):
        raw = raw[1:]
    if len(raw) == 3:
        raw = "".join(ch * 2 for ch in raw)
    if len(raw) != 6 or not set(raw) <= _HEX:
        return None
    return "#" + raw


def tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white; ``amount`` 0 keeps it, 1 gives white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)
