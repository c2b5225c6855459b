"""The XML of REFI-QDA files: parsing untrusted documents leniently, building ours strictly.

Reading: :func:`parse_xml` refuses entity declarations (the "billion laughs" attack) and
parses with entity substitution, DTD loading and network access off and without libxml2's
"huge tree" allowance. Elements and attributes are then matched by local name,
case-insensitively, whatever namespace (or none) a file uses.

Writing: :class:`Builder` makes elements in one namespace and writes attribute values the
way the schema wants them (``true``/``false``, ``xsd:dateTime`` in UTC), leaving out the
few characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml import etree

from workbench.domain.errors import UserError
from workbench.formats import archive

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

# Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR; U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- reading ------------------------------------------------------------------------------


def _scan_text(data: bytes) -> str:
    """``data`` decoded just well enough to look for markup (any ASCII-compatible encoding)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data.decode("utf-32", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", errors="replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", errors="replace")
    return data.decode("latin-1")


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse untrusted XML: no entities, no DTD loading, no network, no huge trees."""
    if len(data) > archive.MAX_MEMBER_SIZE:
        raise UserError("archive.error.member_too_big", name=name, member=name,
                        limit=archive.megabytes(archive.MAX_MEMBER_SIZE))
    if "<!ENTITY" in _scan_text(data):
        raise UserError("exchange.error.entities", name=name)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UserError("exchange.error.xml", name=name, detail=str(exc)) from None
    if root is None:
        raise UserError("exchange.error.xml", name=name, detail="")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UserError("exchange.error.entities", name=name)
    if any(True for _ in root.iter(etree.Entity)):
        raise UserError("exchange.error.entities", name=name)
    return root


def local_name(el: etree._Element) -> str:
    """The element's tag without namespace, case-folded ("" for comments and the like)."""
    return etree.QName(el).localname.casefold() if isinstance(el.tag, str) else ""


def children(el: etree._Element, name: str) -> list[etree._Element]:
    key = name.casefold()
    return [c for c in el if local_name(c) == key]


def child(el: etree._Element, name: str) -> etree._Element | None:
    found = children(el, name)
    return found[0] if found else None


def attr(el: etree._Element, name: str) -> str | None:
    value = el.get(name)
    if value is not None:
        return value
    key = name.casefold()
    for qname, value in el.attrib.items():
        if etree.QName(qname).localname.casefold() == key:
            return value
    return None


def text_of(el: etree._Element | None) -> str:
    return "".join(el.itertext()) if el is not None else ""


def child_text(el: etree._Element, name: str) -> str:
    return text_of(child(el, name))


def parse_bool(value: str | None, default: bool = True) -> bool:
    if value is None:
        return default
    return value.strip().casefold() not in ("false", "0", "no")


def parse_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def parse_time(value: str | None) -> datetime | None:
    """An ``xsd:dateTime`` as a naive UTC time (how the project stores times)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


# -- writing ------------------------------------------------------------------------------


def xml_text(value: str) -> str:
    """``value`` without the few characters XML 1.0 cannot represent."""
    return _NOT_XML.sub("", value)


def format_time(value: datetime) -> str:
    """A stored naive-UTC time as ``xsd:dateTime`` in UTC."""
    if value.tzinfo is not None:
        return value.isoformat()
    return value.isoformat() + "Z"


class Builder:
    """Makes elements in one namespace; attributes that are ``None`` are left out."""

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
                text = format_time(value)
            else:
                text = xml_text(str(value))
            node.set(key, text)
        return node

    def text(self, parent: etree._Element, tag: str, value: str) -> etree._Element:
        node = self.el(parent, tag)
        node.text = xml_text(value)
        return node

    def description(self, parent: etree._Element, value: str) -> None:
        """A ``Description`` child, when there is one to write."""
        if value:
            self.text(parent, "Description", value)

    def refs(self, parent: etree._Element, tag: str, guids: tuple[str, ...], attr: str) -> None:
        for guid in guids:
            self.el(parent, tag, **{attr: guid})


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
