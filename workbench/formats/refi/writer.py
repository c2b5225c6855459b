"""Writing REFI-QDA 1.0 files: a ``.qdc`` codebook and a ``.qdpx`` project archive.

The values of :mod:`workbench.formats.refi.model` in, bytes out: this module knows the XML
vocabulary of the exchange standard and nothing about the project database (the mapping
lives in :mod:`workbench.services.exchange`). A writer must be strict, so every document
is validated against the consortium's schema (:mod:`workbench.formats.refi.schemas`)
before any byte leaves this module; an invalid document raises
:class:`~workbench.domain.errors.UserError` and nothing is written.

Every source's text is written UTF-8 encoded and unchanged to ``sources/<GUID>.txt``
(:mod:`workbench.formats.refi.layout`), so selections count code points of that text.
"""

from __future__ import annotations

from lxml import etree

from workbench.domain.errors import UserError

from . import layout
from .model import Code, Codebook, Coding, Project, Selection, Set, TextSource, Values
from .schemas import CODEBOOK, PROJECT, validate
from .xml import CODEBOOK_NS, PROJECT_NS, Builder, serialise

# -- project --------------------------------------------------------------------------------


def _project_code(b: Builder, parent: etree._Element, code: Code) -> None:
    node = b.el(parent, "Code", guid=code.guid, name=code.name, isCodable=code.codable,
                color=code.colour)
    b.description(node, code.description)
    b.refs(node, "NoteRef", code.note_refs, "targetGUID")
    for child in code.children:
        _project_code(b, node, child)


def _values(b: Builder, parent: etree._Element, values: Values) -> None:
    for variable, value in values:
        node = b.el(parent, "VariableValue")
        b.el(node, "VariableRef", targetGUID=variable)
        b.text(node, "TextValue", value)


def _codings(b: Builder, parent: etree._Element, codings: tuple[Coding, ...]) -> None:
    for coding in codings:
        node = b.el(parent, "Coding", guid=coding.guid, creatingUser=coding.user_guid,
                    creationDateTime=coding.created)
        b.el(node, "CodeRef", targetGUID=coding.code_guid)
        b.refs(node, "NoteRef", coding.note_refs, "targetGUID")


def _selection(b: Builder, parent: etree._Element, sel: Selection) -> None:
    node = b.el(
        parent, "PlainTextSelection", guid=sel.guid, name=sel.name or None,
        startPosition=sel.start, endPosition=sel.end, creatingUser=sel.user_guid,
        creationDateTime=sel.created,
    )
    b.description(node, sel.description)
    _codings(b, node, sel.codings)
    b.refs(node, "NoteRef", sel.note_refs, "targetGUID")


def _source(b: Builder, parent: etree._Element, source: TextSource) -> None:
    node = b.el(parent, "TextSource", guid=source.guid, name=source.name,
                plainTextPath=layout.source_path(source.guid),
                creationDateTime=source.created)
    b.description(node, source.description)
    for sel in source.selections:
        _selection(b, node, sel)
    _codings(b, node, source.codings)
    b.refs(node, "NoteRef", source.note_refs, "targetGUID")
    _values(b, node, source.values)


def project_document(project: Project) -> bytes:
    """The ``project.qde`` XML of ``project``, validated against ``Project.xsd``."""
    b = Builder(PROJECT_NS)
    root = b.el(
        None, "Project", name=project.name, origin=project.origin or None,
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
            b.description(node, var.description)
    if project.cases:
        cases = b.el(root, "Cases")
        for case in project.cases:
            node = b.el(cases, "Case", guid=case.guid, name=case.name)
            _values(b, node, case.values)
            b.refs(node, "SourceRef", case.source_refs, "targetGUID")
    if project.sources:
        sources = b.el(root, "Sources")
        for source in project.sources:
            _source(b, sources, source)
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
            b.description(node, item.description)
            b.refs(node, "MemberCode", item.member_codes, "targetGUID")
            b.refs(node, "MemberNote", item.member_notes, "targetGUID")
    b.description(root, project.description)
    b.refs(root, "NoteRef", project.note_refs, "targetGUID")
    validate(root, PROJECT)
    return serialise(root)


def qdpx_archive(project: Project) -> bytes:
    """The ``.qdpx`` ZIP: ``project.qde`` plus ``sources/<GUID>.txt`` (UTF-8) per source."""
    texts = []
    for source in project.sources:
        if source.text is None:
            raise ValueError(f"source {source.guid} has no text to write")
        texts.append((source.guid, source.text))
    return layout.pack(project_document(project), texts)


# -- codebook ----------------------------------------------------------------------------


def _codebook_code(b: Builder, parent: etree._Element, code: Code) -> None:
    node = b.el(parent, "Code", guid=code.guid, name=code.name, isCodable=code.codable,
                color=code.colour)
    b.description(node, code.description)
    for child in code.children:
        _codebook_code(b, node, child)


def codebook_document(codebook: Codebook) -> bytes:
    """A ``.qdc`` codebook, validated against ``Codebook.xsd``.

    The codebook schema has no notes, so ``note_refs`` and ``member_notes`` are not written.
    """
    if not codebook.codes:
        raise UserError("exchange.error.no_codes")
    b = Builder(CODEBOOK_NS)
    root = b.el(None, "CodeBook", origin=codebook.origin or None)
    codes_node = b.el(root, "Codes")
    for code in codebook.codes:
        _codebook_code(b, codes_node, code)
    if codebook.sets:
        sets_node = b.el(root, "Sets")
        for item in codebook.sets:
            _codebook_set(b, sets_node, item)
    validate(root, CODEBOOK)
    return serialise(root)


def _codebook_set(b: Builder, parent: etree._Element, item: Set) -> None:
    node = b.el(parent, "Set", guid=item.guid, name=item.name)
    b.description(node, item.description)
    b.refs(node, "MemberCode", item.member_codes, "guid")


__all__ = ["codebook_document", "project_document", "qdpx_archive"]
