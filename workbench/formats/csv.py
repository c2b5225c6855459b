"""CSV files: the one writer for every table the program writes (:func:`csv_text`,
:func:`csv_file`), and the coded segments (:func:`segments_csv`).

A CSV file is UTF-8 with a byte-order mark (so Excel reads æøå right), comma-separated with
a header row and RFC 4180 quoting; text cells keep their line breaks inside quotes.

Every cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a leading ``'`` (:func:`safe_cell`, as OWASP recommends against formula
injection): a spreadsheet then shows it as text instead of running it as a formula.

Coded segments: one row per coding, for R, pandas or a spreadsheet, with CRLF row ends.
Column names are fixed English identifiers so that scripts do not depend on the interface
language::

    pandas.read_csv("segmenter.csv", encoding="utf-8-sig")
    readr::read_csv("segmenter.csv")

A coding whose span crosses several speaker turns lists every speaker, in order, joined by
``"; "``; ``role`` and ``profession`` list the same speakers' values in the same order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Cell = str | int | float

COLUMNS = (
    "transcript", "group", "speaker", "role", "profession", "code", "themes", "start", "end",
    "text", "quote", "memo", "coder", "coding_guid",
)
JOIN = "; "


@dataclass(frozen=True)
class SegmentRow:
    transcript: str
    group: str
    speakers: tuple[str, ...]
    roles: tuple[str, ...]
    professions: tuple[str, ...]
    code: str
    themes: tuple[str, ...]
    start: int
    end: int
    text: str
    quote: bool
    memo: str
    coder: str
    coding_guid: str

    def cells(self) -> list[str | int]:
        return [
            self.transcript, self.group, JOIN.join(self.speakers), JOIN.join(self.roles),
            JOIN.join(self.professions), self.code, JOIN.join(self.themes), self.start,
            self.end, self.text, "true" if self.quote else "false", self.memo, self.coder,
            self.coding_guid,
        ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Cell) -> Cell:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _no_lone_cr(value: Cell) -> Cell:
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, line_end: str = "\r\n"
) -> str:
    """``header`` and ``rows`` as CSV text, each row ended by ``line_end``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=line_end)
    # The csv module quotes a cell holding a character of the row end only: with "\n" row
    # ends a lone carriage return inside a cell would end the row in most readers.
    fix = (lambda c: c) if "\r" in line_end else _no_lone_cr
    writer.writerow([fix(safe_cell(cell)) for cell in header])
    writer.writerows([fix(safe_cell(cell)) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_file(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, line_end: str = "\r\n"
) -> bytes:
    """The bytes of a CSV file (UTF-8 with BOM) holding :func:`csv_text`."""
    return csv_text(header, rows, line_end=line_end).encode("utf-8-sig")


def segments_csv(rows: Iterable[SegmentRow]) -> bytes:
    """The CSV file for ``rows`` (header first), UTF-8 with BOM."""
    return csv_file(COLUMNS, (row.cells() for row in rows))


__all__ = ["COLUMNS", "FORMULA_STARTS", "JOIN", "Cell", "SegmentRow", "csv_file", "csv_text", "safe_cell", "segments_csv"]
