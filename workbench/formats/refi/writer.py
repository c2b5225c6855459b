"""Writing REFI-QDA 1.0 files: a ``.qdc`` codebook and a ``.qdpx`` project archive.

Plain data in, bytes out: this module knows the XML vocabulary of the exchange standard and
nothing about the project database (the mapping lives in
:mod:`workbench.services.exchange`). A writer must be strict, so every document is
validated against the consortium's schema (``refi_schemas/Project.xsd`` or
``Codebook.xsd``, kept as package data) before any byte leaves this module; an invalid
document raises :class:`~workbench.i18n.UserError` and nothing is written.

Positions in :class:`Selection` are ``[start, end)`` in Unicode code points of the source's
text, which is written UTF-8 encoded and unchanged to ``sources/<GUID>.txt``.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources

from lxml import etree

from workbench.formats.refi.model import Code, Coding, Note, Set
from workbench.i18n import UserError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_MEMBER = "project.qde"
SOURCES_FOLDER = "sources"
INTERNAL = "internal://"

# Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR; U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- the data a project document is written from ----------------------------------------


@dataclass(frozen=True)
class User:
    guid: str
    name: str


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
    values: tuple[tuple[str, str], ...] = ()  # (variable GUID, text value)
    source_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    guid: str
    start: int
    end: int
    name: str | None = None
    user_guid: str | None = None
    created: datetime | None = None
    codings: tuple[Coding, ...] = ()
    note_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextSource:
    guid: str
    name: str
    text: str
    created: datetime | None = None
    selections: tuple[Selection, ...] = ()
    note_refs: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # (variable GUID, text value)

    @property
    def member(self) -> str:
        return f"{SOURCES_FOLDER}/{self.guid}.txt"

    @property
    def path(self) -> str:
        return f"{INTERNAL}{self.guid}.txt"


@dataclass(frozen=True)
class Project:
    name: str
    origin: str
    creating_user: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    users: tuple[User, ...] = ()
    codes: tuple[Code, ...] = ()
    variables: tuple[Variable, ...] = ()
    cases: tuple[Case, ...] = ()
    sources: tuple[TextSource, ...] = ()
    notes: tuple[Note, ...] = ()
    sets: tuple[Set, ...] = ()
    note_refs: tuple[str, ...] = ()


# -- schemas ------------------------------------------------------------------------------


def schema_bytes(name: str) -> bytes:
    """The packaged copy of ``Project.xsd`` or ``Codebook.xsd``."""
    return resources.files("workbench.formats.refi.schemas").joinpath(name).read_bytes()


@lru_cache(maxsize=2)
def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(schema_bytes(name), parser))


def validate(root: etree._Element, schema_name: str) -> None:
    """Raise a clear error if ``root`` does not conform to the schema (a bug, never data)."""
    xsd = schema(schema_name)
    if not xsd.validate(root):
        error = xsd.error_log.last_error
        detail = f"{error.message} (line {error.line})" if error is not None else "?"
        raise UserError("exchange.error.invalid_export", schema=schema_name, detail=detail)


# -- building ----------------------------------------------------------------------------


def xml_text(value: str) -> str:
    """``value`` without the few characters XML 1.0 cannot represent."""
    return _NOT_XML.sub("", value)


def _timestamp(value: datetime) -> str:
    """A stored naive-UTC time as ``xsd:dateTime`` in UTC."""
    if value.tzinfo is not None:
        return value.isoformat()
    return value.isoformat() + "Z"


class _Builder:
    def __init__(self, ns: str) -> None:
        self.ns = ns

    def el(self, parent: etree._Element | None, tag: str, **attrs: object) -> etree._Element:
        qname = f"{{{self.ns}}}{tag}"
        node = (
            etree.Element(qname, nsmap={None: self.ns})
            if parent is None
            else etree.SubElement(parent, qname)
        )
        for key, value in attrs.items():
            if value is None:
                continue
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, datetime):
                text = _timestamp(value)
            else:
                text = xml_text(str(value))
            node.set(key, text)
        return node

    def text(self, parent: etree._Element, tag: str, value: str) -> etree._Element:
        node = self.el(parent, tag)
        node.text = xml_text(value)
        return node

    def refs(self, parent: etree._Element, tag: str, guids: tuple[str, ...], attr: str) -> None:
        for guid in guids:
            self.el(parent, tag, **{attr: guid})


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _project_code(b: _Builder, parent: etree._Element, code: Code) -> None:
    node = b.el(parent, "Code", guid=code.guid, name=code.name, isCodable=code.codable,
                color=code.colour)
    if code.description:
        b.text(node, "Description", code.description)
    b.refs(node, "NoteRef", code.note_refs, "targetGUID")
    for child in code.children:
        _project_code(b, node, child)


def _values(b: _Builder, parent: etree._Element, values: tuple[tuple[str, str], ...]) -> None:
    for variable, value in values:
        node = b.el(parent, "VariableValue")
        b.el(node, "VariableRef", targetGUID=variable)
        b.text(node, "TextValue", value)


def project_document(project: Project) -> bytes:
    """The ``project.qde`` XML of ``project``, validated against ``Project.xsd``."""
    b = _Builder(PROJECT_NS)
    root = b.el(
        None, "Project", name=project.name, origin=project.origin,
        creatingUserGUID=project.creating_user, creationDateTime=project.created,
        modifyingUserGUID=project.creating_user, modifiedDateTime=project.modified,
    )
    if project.users:
        users = b.el(root, "Users")
        for user in project.users:
            b.el(users, "User", guid=user.guid, name=user.name)
    if project.codes:  # the schema wants at least one Code inside Codes
        codes = b.el(b.el(root, "CodeBook"), "Codes")
        for code in project.codes:
            _project_code(b, codes, code)
    if project.variables:
        variables = b.el(root, "Variables")
        for var in project.variables:
            node = b.el(variables, "Variable", guid=var.guid, name=var.name,
                        typeOfVariable="Text")
            if var.description:
                b.text(node, "Description", var.description)
    if project.cases:
        cases = b.el(root, "Cases")
        for case in project.cases:
            node = b.el(cases, "Case", guid=case.guid, name=case.name)
            _values(b, node, case.values)
            b.refs(node, "SourceRef", case.source_refs, "targetGUID")
    if project.sources:
        sources = b.el(root, "Sources")
        for source in project.sources:
            node = b.el(sources, "TextSource", guid=source.guid, name=source.name,
                        plainTextPath=source.path, creationDateTime=source.created)
            for sel in source.selections:
                snode = b.el(
                    node, "PlainTextSelection", guid=sel.guid, name=sel.name,
                    startPosition=sel.start, endPosition=sel.end, creatingUser=sel.user_guid,
                    creationDateTime=sel.created,
                )
                for coding in sel.codings:
                    cnode = b.el(snode, "Coding", guid=coding.guid,
                                 creatingUser=coding.user_guid,
                                 creationDateTime=coding.created)
                    b.el(cnode, "CodeRef", targetGUID=coding.code_guid)
                    b.refs(cnode, "NoteRef", coding.note_refs, "targetGUID")
                b.refs(snode, "NoteRef", sel.note_refs, "targetGUID")
            b.refs(node, "NoteRef", source.note_refs, "targetGUID")
            _values(b, node, source.values)
    if project.notes:
        notes = b.el(root, "Notes")
        for note in project.notes:
            node = b.el(notes, "Note", guid=note.guid, name=note.name,
                        creatingUser=note.user_guid, creationDateTime=note.created,
                        modifiedDateTime=note.modified)
            b.text(node, "PlainTextContent", note.text)
    if project.sets:
        sets = b.el(root, "Sets")
        for item in project.sets:
            node = b.el(sets, "Set", guid=item.guid, name=item.name)
            if item.description:
                b.text(node, "Description", item.description)
            b.refs(node, "MemberCode", item.member_codes, "targetGUID")
            b.refs(node, "MemberNote", item.member_notes, "targetGUID")
    b.refs(root, "NoteRef", project.note_refs, "targetGUID")
    validate(root, "Project.xsd")
    return _serialise(root)


def qdpx_archive(project: Project) -> bytes:
    """The ``.qdpx`` ZIP: ``project.qde`` plus ``sources/<GUID>.txt`` (UTF-8) per source."""
    document = project_document(project)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PROJECT_MEMBER, document)
        for source in project.sources:
            archive.writestr(source.member, source.text.encode("utf-8"))
    return buffer.getvalue()


# -- codebook ----------------------------------------------------------------------------


def _codebook_code(b: _Builder, parent: etree._Element, code: Code) -> None:
    node = b.el(parent, "Code", guid=code.guid, name=code.name, isCodable=code.codable,
                color=code.colour)
    if code.description:
        b.text(node, "Description", code.description)
    for child in code.children:
        _codebook_code(b, node, child)


def codebook_document(codes: tuple[Code, ...], sets: tuple[Set, ...], origin: str) -> bytes:
    """A ``.qdc`` codebook, validated against ``Codebook.xsd``.

    The codebook schema has no notes, so ``note_refs`` and ``member_notes`` are not written.
    """
    if not codes:
        raise UserError("exchange.error.no_codes")
    b = _Builder(CODEBOOK_NS)
    root = b.el(None, "CodeBook", origin=origin)
    codes_node = b.el(root, "Codes")
    for code in codes:
        _codebook_code(b, codes_node, code)
    if sets:
        sets_node = b.el(root, "Sets")
        for item in sets:
            node = b.el(sets_node, "Set", guid=item.guid, name=item.name)
            if item.description:
                b.text(node, "Description", item.description)
            b.refs(node, "MemberCode", item.member_codes, "guid")
    validate(root, "Codebook.xsd")
    return _serialise(root)


__all__ = [
    "CODEBOOK_NS",
    "PROJECT_NS",
    "Case",
    "Code",
    "Coding",
    "Note",
    "Project",
    "Selection",
    "Set",
    "TextSource",
    "User",
    "Variable",
    "codebook_document",
    "project_document",
    "qdpx_archive",
    "schema",
    "schema_bytes",
    "validate",
    "xml_text",
]
