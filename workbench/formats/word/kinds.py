"""The kinds of export the ``export`` command and the export screen offer.

A tiny module on purpose: the command-line parser needs the names before anything heavy
(python-docx, SQLAlchemy) is imported.
"""

from __future__ import annotations

WORD_KINDS = ("theme-table", "report", "codebook", "audit")
"""Word documents built by :mod:`workbench.formats.word.docx`."""

FIGURE_KINDS = ("map",)
"""The thematic map as a figure (``.png`` or ``.svg``), from :mod:`workbench.formats.word.figure`."""
FIGURE_SUFFIXES = (".png", ".svg")

EXCHANGE_KINDS = ("qdc", "qdpx", "segments")
"""Exchange formats written by ``workbench.services.exchange.ExchangeService``."""

KINDS = WORD_KINDS + FIGURE_KINDS + EXCHANGE_KINDS

TABLE_COLUMNS = ("definition", "codes", "extracts", "groups", "informants")
"""Optional extra columns of the theme table, in the order they appear."""

DEFAULT_ATTRIBUTION = "({profession}, {group})"
ATTRIBUTION_FIELDS = ("profession", "profession_full", "group", "group_raw")
"""Placeholders an attribution pattern may use. Never a name or a speaker label."""

FIELD_NAMES = {
    "nb": {"profession": "yrke", "profession_full": "yrke_fullt", "group": "gruppe",
           "group_raw": "gruppenavn"},
}
"""The placeholders in other languages: a bokmål pattern reads «({yrke}, {gruppe})». Both
the English and the translated names are accepted in any language."""


def attribution_fields(lang: str) -> tuple[str, ...]:
    names = FIELD_NAMES.get(lang, {})
    return tuple(names.get(f, f) for f in ATTRIBUTION_FIELDS)


def default_attribution(lang: str) -> str:
    """:data:`DEFAULT_ATTRIBUTION` with its placeholders in ``lang``."""
    names = FIELD_NAMES.get(lang, {})
    return "({" + names.get("profession", "profession") + "}, {" + names.get("group", "group") + "})"

DEFAULT_BLOCK_WORDS = 40
"""Quotes of this many words or more become indented block quotes (APA 7: 40)."""
