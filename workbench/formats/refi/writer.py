"""Writing REFI-QDA 1.0 files: a ``.qdc`` codebook and a ``.qdpx`` project archive.

The values of :mod:`workbench.formats.refi.model` in, bytes out: this module knows the XML
vocabulary of the exchange standard and nothing about the project database (the mapping
lives in :mod:`workbench.services.exchange`). A writer must be strict, so every document
is validated against the consortium's schema (:mod:`workbench.formats.refi.schemas`)
before any byte leaves this module; an invalid document raises
:class:`~workbench.domain.errors.UserError` and nothing is written.

Every source's text is written UTF-8 encoded and unchanged to ``sources/<GUID>.txt``
(:mod:`workbench.formats.refi.layout`), so selections count code points of that text.

A note is written twice over: inline as ``PlainTextContent`` (what NVivo, MAXQDA and
ATLAS.ti read) and as ``sources/<GUID>.txt`` referenced by ``plainTextPath`` (the only
place QualCoder reads notes from, as it writes them). ``Project.xsd`` accepts both; its
comment asks for one or the other, and a note marked ``inline_only`` (our extension data)
gets only the inline form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from lxml import etree

from workbench.domain.errors import UserError

from . import layout, model
from .schemas import CODEBOOK, PROJECT, validate
from .xml import CODEBOOK_NS, PROJECT_NS, Builder, serialise

T = TypeVar("T")

# -- project --------------------------------------------------------------------------------


def _project_code(b: Builder, parent: etree._Element, code: model.Code) -> None:
    node = b.el(parent, "Code", guid=code.guid, name=code.name, isCodable=code.codable,
                color=code.colour)
    b.description(node, code.description)
    b.refs(node, "NoteRef", code.note_refs, "targetGUID")
    for child in code.children:
        _project_code(b, node, child)


def _values(b: Builder, parent: etree._Element, values: model.Values) -> None:
    for variable, value in values:
        node = b.el(parent, "VariableValue")
        b.el(node, "VariableRef", targetGUID=variable)
        b.text(node, "TextValue", value)


def _codings(b: Builder, parent: etree._Element, codings: tuple[model.Coding, ...]) -> None:
    for coding in codings:
        node = b.el(parent, "Coding", guid=coding.guid, creatingUser=coding.user_guid,
                    creationDateTime=coding.created)
        b.el(node, "CodeRef", targetGUID=coding.code_guid)
        b.refs(node, "NoteRef", coding.note_refs, "targetGUID")


def _selection(b: Builder, parent: etree._Element, sel: model.Selection) -> None:
    node = b.el(
        parent, "PlainTextSelection", guid=sel.guid, name=sel.name or None,
        startPosition=sel.start, endPosition=sel.end, creatingUser=sel.user_guid,
        creationDateTime=sel.created,
    )
    b.description(node, sel.description)
    _codings(b, node, sel.codings)
    b.refs(node, "NoteRef", sel.note_refs, "targetGUID")


def _source(b: Builder, parent: etree._Element, source: model.TextSource) -> None:
    node = b.el(parent, "TextSource", guid=source.guid, name=source.name,
                plainTextPath=layout.source_path(source.guid),
                creationDateTime=source.created)
    b.description(node, source.description)
    for sel in source.selections:
        _selection(b, node, sel)
    _codings(b, node, source.codings)
    b.refs(node, "NoteRef", source.note_refs, "targetGUID")
    _values(b, node, source.values)


def _user(b: Builder, parent: etree._Element, user: model.User) -> None:
    b.el(parent, "User", guid=user.guid, name=user.name)


def _variable(b: Builder, parent: etree._Element, var: model.Variable) -> None:
    node = b.el(parent, "Variable", guid=var.guid, name=var.name, typeOfVariable="Text")
    b.description(node, var.description)


def _case(b: Builder, parent: etree._Element, case: model.Case) -> None:
    node = b.el(parent, "Case", guid=case.guid, name=case.name)
    _values(b, node, case.values)
    b.refs(node, "SourceRef", case.source_refs, "targetGUID")


def _note(b: Builder, parent: etree._Element, note: model.Note) -> None:
    node = b.el(parent, "Note", guid=note.guid, name=note.name,
                plainTextPath=None if note.inline_only else layout.source_path(note.guid),
                creatingUser=note.user_guid, creationDateTime=note.created,
                modifiedDateTime=note.modified)
    b.text(node, "PlainTextContent", note.text)


def _set(b: Builder, parent: etree._Element, item: model.Set) -> None:
    node = b.el(parent, "Set", guid=item.guid, name=item.name)
    b.description(node, item.description)
    b.refs(node, "MemberCode", item.member_codes, "targetGUID")
    b.refs(node, "MemberSource", item.member_sources, "targetGUID")
    b.refs(node, "MemberNote", item.member_notes, "targetGUID")


def _all(
    b: Builder, parent: etree._Element, tag: str, items: Sequence[T],
    write: Callable[[Builder, etree._Element, T], None],
) -> None:
    """A container element holding every item; none at all when there are no items (the
    schema wants at least one child in each)."""
    if items:
        node = b.el(parent, tag)
        for item in items:
            write(b, node, item)


def project_document(project: model.Project) -> bytes:
    """The ``project.qde`` XML of ``project``, validated against ``Project.xsd``."""
    b = Builder(PROJECT_NS)
    root = b.el(
        None, "Project", name=project.name, origin=project.origin or None,
        creatingUserGUID=project.creating_user, creationDateTime=project.created,
        modifyingUserGUID=project.creating_user, modifiedDateTime=project.modified,
    )
    _all(b, root, "Users", project.users, _user)
    if project.codes:
        _all(b, b.el(root, "CodeBook"), "Codes", project.codes, _project_code)
    _all(b, root, "Variables", project.variables, _variable)
    _all(b, root, "Cases", project.cases, _case)
    _all(b, root, "Sources", project.sources, _source)
    _all(b, root, "Notes", project.notes, _note)
    _all(b, root, "Sets", project.sets, _set)
    b.description(root, project.description)
    b.refs(root, "NoteRef", project.note_refs, "targetGUID")
    validate(root, PROJECT)
    return serialise(root)


def qdpx_archive(project: model.Project) -> bytes:
    """The ``.qdpx`` ZIP: ``project.qde`` plus ``sources/<GUID>.txt`` (UTF-8) per source
    and per note (unless :attr:`~model.Note.inline_only`)."""
    texts = []
    for source in project.sources:
        if source.text is None:
            raise ValueError(f"source {source.guid} has no text to write")
        texts.append((source.guid, source.text))
    texts += [(note.guid, note.text) for note in project.notes if not note.inline_only]
    return layout.pack(project_document(project), texts)


# -- codebook ----------------------------------------------------------------------------


def _codebook_code(b: Builder, parent: etree._Element, code: model.Code) -> None:
    node = b.el(parent, "Code", guid=code.guid, name=code.name, isCodable=code.codable,
                color=code.colour)
    b.description(node, code.description)
    for child in code.children:
        _codebook_code(b, node, child)


def codebook_document(codebook: model.Codebook) -> bytes:
    """A ``.qdc`` codebook, validated against ``Codebook.xsd``.

    The codebook schema has no notes, so ``note_refs`` and ``member_notes`` are not written.
    """
    if not codebook.codes:
        raise UserError("exchange.error.no_codes")
    b = Builder(CODEBOOK_NS)
    root = b.el(None, "CodeBook", origin=codebook.origin or None)
    _all(b, root, "Codes", codebook.codes, _codebook_code)
    _all(b, root, "Sets", codebook.sets, _codebook_set)
    validate(root, CODEBOOK)
    return serialise(root)


def _codebook_set(b: Builder, parent: etree._Element, item: model.Set) -> None:
    node = b.el(parent, "Set", guid=item.guid, name=item.name)
    b.description(node, item.description)
    b.refs(node, "MemberCode", item.member_codes, "guid")


__all__ = ["codebook_document", "project_document", "qdpx_archive"]
