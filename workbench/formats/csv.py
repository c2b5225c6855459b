"""Coded segments as CSV: one row per coding, for R, pandas or a spreadsheet.

Plain rows in, bytes out. The file is UTF-8 with a byte-order mark (so Excel reads æøå
right), comma-separated with a header row, RFC 4180 quoting and CRLF row ends; text cells
keep their line breaks inside quotes. Column names are fixed English identifiers so that
scripts do not depend on the interface language::

    pandas.read_csv("segmenter.csv", encoding="utf-8-sig")
    readr::read_csv("segmenter.csv")

A coding whose span crosses several speaker turns lists every speaker, in order, joined by
``"; "``; ``role`` and ``profession`` list the same speakers' values in the same order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

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


def segments_csv(rows: Iterable[SegmentRow]) -> bytes:
    """The CSV file for ``rows`` (header first), UTF-8 with BOM."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.cells())
    return buffer.getvalue().encode("utf-8-sig")


__all__ = ["COLUMNS", "JOIN", "SegmentRow", "segments_csv"]
