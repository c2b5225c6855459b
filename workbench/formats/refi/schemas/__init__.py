"""The REFI-QDA 1.0 XML schemas (Project.xsd, Codebook.xsd), kept as package data, and
validation against them.

Published by the REFI-QDA consortium; copied unchanged from ``shared/refi/`` so that exports
are validated even where ``shared/`` is absent.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from lxml import etree

from workbench.domain.errors import UserError

PROJECT = "Project.xsd"
CODEBOOK = "Codebook.xsd"


def schema_bytes(name: str) -> bytes:
    """The packaged copy of ``Project.xsd`` or ``Codebook.xsd``."""
    return resources.files(__name__).joinpath(name).read_bytes()


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


__all__ = ["CODEBOOK", "PROJECT", "schema", "schema_bytes", "validate"]
