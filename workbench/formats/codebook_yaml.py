"""The codebook YAML format: read and write :class:`~workbench.domain.codebook.CodebookSpec`.

The full format is documented in ``codebooks/README.md``; in short::

    name: CHIME                       # required
    description: Leamy et al. 2011    # optional
    origin: deductive                 # optional default for every code (inductive if absent)
    codes:
      - name: Tilknytning             # required; may be a whole phrase
        description: ...              # optional
        colour: "#4e79a7"             # optional; assigned from a palette when missing
        origin: deductive             # optional; overrides the top-level default
        guid: ...                     # optional; kept as is for exchange with other tools
        codes:                        # optional children, any depth
          - name: Støtte fra andre
    themes:                           # optional
      - name: Håpet som bærer         # required
        definition: ...               # optional
        status: candidate             # candidate|reviewed|defined|final|discarded
        codes: [Tilknytning]          # names of codes defined above
        subthemes: [...]              # same shape as a theme, any depth

Every problem with a file raises :class:`~workbench.domain.errors.UserError` with a key
under ``codebook.error`` and, where known, the line number in the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from workbench.domain.codebook import (
    DEFAULT_ORIGIN,
    DEFAULT_STATUS,
    ORIGINS,
    PALETTE,
    STATUSES,
    CodebookSpec,
    CodeSpec,
    ThemeSpec,
    normalise_colour,
    tint,
)
from workbench.domain.errors import UserError
from workbench.domain.model import name_key
from workbench.formats.decoding import DecodeError, decode

# Norwegian (and a few spelling) variants accepted on input; always written back in English.
_ORIGIN_ALIASES: dict[str, str] = {
    "inductive": "inductive",
    "induktiv": "inductive",
    "deductive": "deductive",
    "deduktiv": "deductive",
}
_STATUS_ALIASES: dict[str, str] = {
    "candidate": "candidate",
    "kandidat": "candidate",
    "kandidattema": "candidate",
    "reviewed": "reviewed",
    "gjennomgått": "reviewed",
    "defined": "defined",
    "definert": "defined",
    "final": "final",
    "endelig": "final",
    "discarded": "discarded",
    "forkastet": "discarded",
}

_CODEBOOK_KEYS = frozenset({"name", "description", "origin", "codes", "themes"})
_CODE_KEYS = frozenset({"name", "description", "colour", "color", "origin", "guid", "codes"})
_THEME_KEYS = frozenset({"name", "definition", "status", "codes", "subthemes", "guid"})


# --------------------------------------------------------------------------- reading YAML


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the (1-based) line it starts on."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    """Safe loader where every plain scalar except "nothing" stays a string.

    Codebooks are all text: a code called ``No`` or ``2020`` must not turn into a boolean or
    a number (YAML 1.1's "Norway problem"). An empty value, ``~`` or ``null`` still means
    "not given".
    """

    yaml_implicit_resolvers: dict[str, list[tuple[str, Any]]] = {}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Mapping:  # type: ignore[override]
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                continue  # reported as an unknown key later, with its line
            if key in seen:
                raise UserError(
                    "codebook.error.duplicate_key", key=key, line=key_node.start_mark.line + 1
                )
            seen.add(key)
        mapping = _Mapping(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        return mapping


_Loader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _Loader.construct_mapping,
)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])


def _read_source(path_or_text: str | Path) -> str:
    """File contents for a path, or the text itself when given YAML text.

    A file must be Unicode (UTF-8 with or without BOM, or UTF-16 with BOM): a codebook has
    no way to say which legacy encoding it was saved in."""
    is_path = isinstance(path_or_text, Path) or (
        "\n" not in path_or_text
        and path_or_text.strip().lower().endswith((".yaml", ".yml"))
    )
    if not is_path:
        return str(path_or_text)
    path = Path(path_or_text)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise UserError("codebook.error.not_found", path=str(path)) from None
    try:
        return decode(data, legacy=False).text
    except DecodeError as exc:
        raise UserError("codebook.error.encoding", path=str(path), position=exc.position) from None


# ``colour: #4e79a7`` unquoted is a YAML comment, i.e. no colour at all. People write it that
# way, so quote it before parsing (line numbers stay the same).
_UNQUOTED_COLOUR = re.compile(r"^(\s*(?:-\s+)?colou?r:[ \t]*)(#[0-9A-Fa-f]{3,6})\b", re.MULTILINE)


def _parse_yaml(text: str) -> Any:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _UNQUOTED_COLOUR.sub(r'\1"\2"', text)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else "?"
        column = mark.column + 1 if mark is not None else "?"
        problem = exc.problem or exc.context or str(exc)
        raise UserError("codebook.error.yaml", line=line, column=column, problem=problem) from None
    except yaml.YAMLError as exc:
        raise UserError("codebook.error.yaml", line="?", column="?", problem=str(exc)) from None


# --------------------------------------------------------------------------- validation


def _text(value: Any, *, field_name: str, line: int | str, required: str = "") -> str:
    """A string field, NFC, stripped. Empty or absent gives '' unless ``required`` names the
    kind of entry (code, theme, codebook) that must have it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise UserError("codebook.error.not_text", field=field_name, line=line)
    value = unicodedata.normalize("NFC", value).strip()
    if required and not value:
        raise UserError(f"codebook.error.missing_name_{required}", line=line)
    return value


def _list(value: Any, *, field_name: str, line: int | str) -> list[Any]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise UserError("codebook.error.not_list", field=field_name, line=line)
    return value


def _mapping(value: Any, *, what: str, line: int | str) -> _Mapping:
    if not isinstance(value, dict):
        raise UserError(f"codebook.error.not_mapping_{what}", line=line)
    return value if isinstance(value, _Mapping) else _Mapping(value)


def _check_keys(entry: _Mapping, allowed: frozenset[str], *, what: str) -> None:
    for key in entry:
        if key not in allowed:
            raise UserError(
                f"codebook.error.unknown_key_{what}",
                key=key,
                line=entry.line,
                allowed=", ".join(sorted(allowed - {"color"})),
            )


def _word(
    value: Any, aliases: dict[str, str], allowed: tuple[str, ...], *, what: str, default: str,
    line: int | str,
) -> str:
    """The canonical word for ``value`` (English or Norwegian), or ``default`` when absent."""
    if value is None or value == "":
        return default
    key = str(value).strip().casefold()
    if key not in aliases:
        raise UserError(
            f"codebook.error.unknown_{what}", value=value, line=line, allowed=", ".join(allowed)
        )
    return aliases[key]


def _origin(value: Any, *, default: str, line: int | str) -> str:
    return _word(value, _ORIGIN_ALIASES, ORIGINS, what="origin", default=default, line=line)


def _status(value: Any, *, line: int | str) -> str:
    return _word(value, _STATUS_ALIASES, STATUSES, what="status", default=DEFAULT_STATUS,
                 line=line)


def _colour(value: Any, *, code: str, line: int | str) -> str | None:
    if value is None or value == "":
        return None
    normal = normalise_colour(str(value)) if isinstance(value, str) else None
    if normal is None:
        raise UserError("codebook.error.bad_colour", value=value, code=code, line=line)
    return normal


class _Builder:
    """Turns the parsed YAML into specs, checking as it goes."""

    def __init__(self) -> None:
        # name_key -> (name as written, line) for the duplicate and theme-reference checks.
        self.code_lines: dict[str, tuple[str, int | str]] = {}
        self.theme_lines: dict[str, tuple[str, int | str]] = {}
        # ids of the codes the file gave no colour; they get one from the palette.
        self.uncoloured: set[int] = set()

    @staticmethod
    def _entry(
        raw: Any, seen: dict[str, tuple[str, int | str]], *, what: str, line: int | str
    ) -> tuple[_Mapping, str]:
        """A code or theme entry and its name, which no earlier entry of its kind may have."""
        entry = _mapping(raw, what=what, line=line)
        _check_keys(entry, _CODE_KEYS if what == "code" else _THEME_KEYS, what=what)
        name = _text(entry.get("name"), field_name="name", line=entry.line, required=what)
        key = name_key(name)
        if key in seen:
            first_name, first_line = seen[key]
            raise UserError(
                f"codebook.error.duplicate_{what}",
                name=name,
                first=first_name,
                line=entry.line,
                first_line=first_line,
            )
        seen[key] = (name, entry.line)
        return entry, name

    def code(self, raw: Any, *, default_origin: str, line: int | str) -> CodeSpec:
        entry, name = self._entry(raw, self.code_lines, what="code", line=line)
        colour = _colour(entry.get("colour", entry.get("color")), code=name, line=entry.line)
        origin = _origin(entry.get("origin"), default=default_origin, line=entry.line)
        spec = CodeSpec(
            name=name,
            description=_text(entry.get("description"), field_name="description", line=entry.line),
            colour=colour or PALETTE[0],
            origin=origin,
            guid=_text(entry.get("guid"), field_name="guid", line=entry.line) or None,
        )
        if colour is None:
            self.uncoloured.add(id(spec))
        # Children inherit their parent's origin unless they say otherwise.
        spec.children = [
            self.code(child, default_origin=origin, line=entry.line)
            for child in _list(entry.get("codes"), field_name="codes", line=entry.line)
        ]
        return spec

    def theme(self, raw: Any, *, line: int | str) -> ThemeSpec:
        entry, name = self._entry(raw, self.theme_lines, what="theme", line=line)
        codes: list[str] = []
        for ref in _list(entry.get("codes"), field_name="codes", line=entry.line):
            ref_name = _text(ref, field_name="codes", line=entry.line)
            found = self.code_lines.get(name_key(ref_name))
            if found is None:
                raise UserError(
                    "codebook.error.unknown_code_in_theme",
                    theme=name,
                    code=ref_name,
                    line=entry.line,
                )
            if found[0] not in codes:  # the code's own spelling, listed once
                codes.append(found[0])
        return ThemeSpec(
            name=name,
            definition=_text(entry.get("definition"), field_name="definition", line=entry.line),
            status=_status(entry.get("status"), line=entry.line),
            codes=codes,
            subthemes=[
                self.theme(sub, line=entry.line)
                for sub in _list(entry.get("subthemes"), field_name="subthemes", line=entry.line)
            ],
            guid=_text(entry.get("guid"), field_name="guid", line=entry.line) or None,
        )

    def assign_colours(self, codes: list[CodeSpec]) -> None:
        """Colour every code the file left uncoloured: top-level codes take the next palette
        colour the file does not already use; sub-codes take lighter tints of their parent."""
        used = {c.colour for c in _walk_all(codes) if id(c) not in self.uncoloured}
        free = [c for c in PALETTE if c not in used] or list(PALETTE)
        index = 0
        for code in codes:
            if id(code) in self.uncoloured:
                code.colour = free[index % len(free)]
                index += 1
            self._tint_children(code)

    def _tint_children(self, parent: CodeSpec) -> None:
        for i, child in enumerate(parent.children):
            if id(child) in self.uncoloured:
                child.colour = tint(parent.colour, 0.25 + 0.15 * (i % 3))
            self._tint_children(child)


def _walk_all(codes: list[CodeSpec]) -> Iterator[CodeSpec]:
    for code in codes:
        yield from code.walk()


def load_codebook(path_or_text: str | Path) -> CodebookSpec:
    """Read and check a codebook from a file path or from YAML text.

    A ``Path``, or a one-line string ending in ``.yaml``/``.yml``, is read as a file (UTF-8,
    with or without BOM); any other string is taken as the YAML text itself. Nesting deeper
    than Python can follow (a damaged or hostile file) is a clear error naming the file.
    """
    try:
        return _load_codebook(path_or_text)
    except RecursionError:
        name = str(path_or_text) if _is_path(path_or_text) else "YAML"
        raise UserError("codebook.error.too_deep", path=name) from None


def _is_path(path_or_text: str | Path) -> bool:
    if isinstance(path_or_text, Path):
        return True
    text = path_or_text.strip()
    return "\n" not in text and text.lower().endswith((".yaml", ".yml"))


def _load_codebook(path_or_text: str | Path) -> CodebookSpec:
    data = _parse_yaml(_read_source(path_or_text))
    if data is None:
        raise UserError("codebook.error.empty")
    top = _mapping(data, what="codebook", line=1)
    _check_keys(top, _CODEBOOK_KEYS, what="codebook")
    name = _text(top.get("name"), field_name="name", line=top.line, required="codebook")
    default_origin = _origin(top.get("origin"), default=DEFAULT_ORIGIN, line=top.line)

    builder = _Builder()
    codes = [
        builder.code(raw, default_origin=default_origin, line=top.line)
        for raw in _list(top.get("codes"), field_name="codes", line=top.line)
    ]
    builder.assign_colours(codes)
    themes = [
        builder.theme(raw, line=top.line)
        for raw in _list(top.get("themes"), field_name="themes", line=top.line)
    ]
    return CodebookSpec(
        name=name,
        description=_text(top.get("description"), field_name="description", line=top.line),
        origin=default_origin,
        codes=codes,
        themes=themes,
    )


# --------------------------------------------------------------------------- writing YAML


class _Dumper(yaml.SafeDumper):
    """Block style, Unicode kept, multi-line strings as literal blocks, lists indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def _code_dict(code: CodeSpec, default_origin: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": code.name}
    if code.description:
        out["description"] = code.description
    if code.colour:  # a spec built in code may lack one; reading assigns it again
        out["colour"] = code.colour
    if code.origin != default_origin:
        out["origin"] = code.origin
    if code.guid:
        out["guid"] = code.guid
    if code.children:
        out["codes"] = [_code_dict(child, code.origin) for child in code.children]
    return out


def _theme_dict(theme: ThemeSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": theme.name}
    if theme.definition:
        out["definition"] = theme.definition
    out["status"] = theme.status
    if theme.guid:
        out["guid"] = theme.guid
    if theme.codes:
        out["codes"] = list(theme.codes)
    if theme.subthemes:
        out["subthemes"] = [_theme_dict(sub) for sub in theme.subthemes]
    return out


def dump_codebook(spec: CodebookSpec) -> str:
    """The codebook as YAML text; ``load_codebook(dump_codebook(s)) == s`` for a loaded ``s``."""
    out: dict[str, Any] = {"name": spec.name}
    if spec.description:
        out["description"] = spec.description
    out["origin"] = spec.origin
    out["codes"] = [_code_dict(code, spec.origin) for code in spec.codes]
    if spec.themes:
        out["themes"] = [_theme_dict(theme) for theme in spec.themes]
    return yaml.dump(
        out,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
