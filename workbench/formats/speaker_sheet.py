"""Speaker sheets: the file a researcher keeps of who each speaker label is.

Two file forms are read:

* ``.csv`` (also ``.txt``/``.tsv``) with a header row. UTF-8 with or without BOM; Windows-1252
  (what Norwegian Excel's "CSV (semikolondelt)" writes) is accepted too. The delimiter may be
  a comma, a semicolon or a tab. Columns (English or Norwegian header names)::

      label,pseudonym,role,profession,group,aliases
      Kari,Leder 1,informant,sykepleier med videreutdanning,Ledere,Kari Ø.

  ``aliases`` holds other spellings of the same speaker, separated by ``;`` (or ``|``).
* ``.yaml``/``.yml``: a list of mappings with the same fields (``aliases`` a list or a
  ``;``-separated string), or a mapping with that list under ``speakers:``.

UTF-16 with a byte-order mark (Excel's "Unicode text") is read as well.

Problems raise :class:`~workbench.domain.errors.UserError` with keys under
``speakers.error``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from workbench.domain.errors import UserError
from workbench.domain.speakers import DEFAULT_ROLE, ROLES, SpeakerSpec, canonical_role, label_key
from workbench.formats.csv import FORMULA_STARTS
from workbench.formats.decoding import DecodeError, decode

# Header names (case-insensitive) accepted for each field.
_COLUMN_ALIASES: dict[str, str] = {
    "label": "label",
    "etikett": "label",
    "navn": "label",
    "name": "label",
    "speaker": "label",
    "taler": "label",
    "pseudonym": "pseudonym",
    "pseudonymer": "pseudonym",
    "role": "role",
    "rolle": "role",
    "profession": "profession",
    "profesjon": "profession",
    "yrke": "profession",
    "utdanning": "profession",
    "group": "group",
    "gruppe": "group",
    "fokusgruppe": "group",
    "aliases": "aliases",
    "alias": "aliases",
    "aliaser": "aliases",
}
# Free-text columns a researcher may keep in the sheet; read past without complaint.
_IGNORED_COLUMNS = frozenset(
    {"note", "notes", "comment", "comments", "merknad", "merknader", "kommentar", "notat"}
)
_FIELDS = ("label", "pseudonym", "role", "profession", "group", "aliases")
_ALIAS_SPLIT = re.compile(r"[;|]")


# --------------------------------------------------------------------------- reading


def _clean(value: Any) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _role(value: str, *, row: int) -> str:
    if not value:
        return DEFAULT_ROLE
    role = canonical_role(value)
    if role is None:
        raise UserError(
            "speakers.error.unknown_role", value=value, row=row, allowed=", ".join(ROLES)
        )
    return role


def _aliases(value: Any, *, row: int) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        parts = [_clean(v) for v in value]
    elif isinstance(value, str):
        parts = [_clean(v) for v in _ALIAS_SPLIT.split(value)]
    else:
        raise UserError("speakers.error.bad_aliases", row=row)
    return [p for p in parts if p]


def _build(raw: dict[str, Any], *, row: int) -> SpeakerSpec:
    label = _clean(raw.get("label"))
    if not label:
        raise UserError("speakers.error.missing_label", row=row)
    for field in _FIELDS:
        value = raw.get(field)
        for cell in value if isinstance(value, list) else [value]:
            # raw, before stripping: a tab or CR at the start is a formula start too
            if isinstance(cell, str) and cell.lstrip(" ").startswith(FORMULA_STARTS):
                raise UserError("speakers.error.formula", row=row, field=field, value=cell.strip())
    return SpeakerSpec(
        label=label,
        pseudonym=_clean(raw.get("pseudonym")) or None,
        role=_role(_clean(raw.get("role")), row=row),
        profession=_clean(raw.get("profession")),
        group=_clean(raw.get("group")),
        aliases=_aliases(raw.get("aliases"), row=row),
    )


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(text: str) -> list[tuple[int, dict[str, Any]]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise UserError("speakers.error.empty")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    header: list[str | None] | None = None
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = _header(cells)
            continue
        raw: dict[str, Any] = {}
        for name, cell in zip(header, cells, strict=False):
            if name is not None:
                raw[name] = cell
        extra = [cell for cell in cells[len(header) :] if cell.strip()]
        if extra:
            # "Kari Ø.;K.Ø." unquoted in a semicolon file spills over into extra cells. When
            # aliases is the last column that is unambiguous; otherwise refuse to guess.
            if header[-1] != "aliases":
                raise UserError("speakers.error.extra_cells", row=number)
            raw["aliases"] = ";".join([raw.get("aliases", ""), *extra])
        rows.append((number, raw))
    return rows


def _header(cells: list[str]) -> list[str | None]:
    names: list[str | None] = []
    for cell in cells:
        key = _clean(cell).casefold()
        if key in _COLUMN_ALIASES:
            name = _COLUMN_ALIASES[key]
            if name in names:
                raise UserError("speakers.error.duplicate_column", column=cell.strip())
            names.append(name)
        elif key in _IGNORED_COLUMNS or not key:
            names.append(None)
        else:
            raise UserError(
                "speakers.error.unknown_column",
                column=cell.strip(),
                allowed=", ".join(_FIELDS),
            )
    if "label" not in names:
        raise UserError("speakers.error.no_label_column", allowed=", ".join(_FIELDS))
    return names


class _StrLoader(yaml.SafeLoader):
    """Safe loader that keeps plain scalars as strings (a label ``No`` stays ``"No"``)."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, Any]]] = {}


_StrLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def _read_yaml(text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = yaml.load(text, Loader=_StrLoader)  # noqa: S506 - a SafeLoader
    except RecursionError:
        raise UserError("speakers.error.too_deep") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise UserError(
            "speakers.error.yaml",
            line=mark.line + 1 if mark is not None else "?",
            problem=exc.problem or exc.context or str(exc),
        ) from None
    except yaml.YAMLError as exc:
        raise UserError("speakers.error.yaml", line="?", problem=str(exc)) from None
    if isinstance(data, dict) and "speakers" in data:
        data = data["speakers"]
    if data is None or data == "":
        raise UserError("speakers.error.empty")
    if not isinstance(data, list):
        raise UserError("speakers.error.yaml_not_list")
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise UserError("speakers.error.yaml_not_mapping", row=number)
        raw: dict[str, Any] = {}
        for key, value in entry.items():
            name = _COLUMN_ALIASES.get(_clean(key).casefold())
            if name is None:
                if _clean(key).casefold() in _IGNORED_COLUMNS:
                    continue
                raise UserError(
                    "speakers.error.unknown_field",
                    field=key,
                    row=number,
                    allowed=", ".join(_FIELDS),
                )
            raw[name] = value
        rows.append((number, raw))
    return rows


def _check_unique(speakers: list[tuple[int, SpeakerSpec]]) -> None:
    seen_labels: dict[str, tuple[str, int]] = {}
    seen_pseudonyms: dict[str, tuple[str, int]] = {}
    for row, spec in speakers:
        for name in spec.labels:
            key = label_key(name)
            if key in seen_labels:
                other_label, other_row = seen_labels[key]
                raise UserError(
                    "speakers.error.duplicate_label",
                    label=name,
                    row=row,
                    other_row=other_row,
                    other=other_label,
                )
            seen_labels[key] = (spec.label, row)
        if spec.pseudonym:
            key = label_key(spec.pseudonym)
            if key in seen_pseudonyms:
                other_label, other_row = seen_pseudonyms[key]
                raise UserError(
                    "speakers.error.duplicate_pseudonym",
                    pseudonym=spec.pseudonym,
                    row=row,
                    other_row=other_row,
                    other=other_label,
                )
            seen_pseudonyms[key] = (spec.label, row)


def parse_speaker_sheet(text: str, *, kind: str = "csv") -> list[SpeakerSpec]:
    """Speakers from the text of a sheet; ``kind`` is ``"csv"`` or ``"yaml"``."""
    text = unicodedata.normalize("NFC", text.replace("\ufeff", ""))
    rows = _read_yaml(text) if kind == "yaml" else _read_csv(text)
    speakers = [(number, _build(raw, row=number)) for number, raw in rows]
    if not speakers:
        raise UserError("speakers.error.empty")
    _check_unique(speakers)
    return [spec for _, spec in speakers]


def load_speaker_sheet(path: str | Path) -> list[SpeakerSpec]:
    """Read a speaker sheet (.csv/.tsv/.txt or .yaml/.yml) in file order.

    Row numbers in error messages are spreadsheet rows for CSV (the header is row 1) and
    list positions (from 1) for YAML.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        kind = "yaml"
    elif suffix in (".csv", ".tsv", ".txt"):
        kind = "csv"
    else:
        raise UserError("speakers.error.unsupported", path=str(path), suffix=suffix or "—")
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise UserError("speakers.error.not_found", path=str(path)) from None
    try:
        text = decode(data).text  # Windows-1252 is what older Norwegian Excel saves CSV as
    except DecodeError:
        raise UserError("speakers.error.encoding", path=str(path)) from None
    return parse_speaker_sheet(text, kind=kind)
