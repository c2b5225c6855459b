"""The audit export's appendix on inter-coder agreement: one table per computation (units,
percent agreement, Cohen's κ, Krippendorff's α per code and overall) with the unit used.

Headless, like the rest of :mod:`workbench.formats.word`: it takes plain data (built by
:meth:`workbench.services.agreement.AgreementService.appendix`) and adds to a python-docx
document. The audit writer calls :func:`add_agreement_appendix` after the rest of the
audit; with no computation recorded it adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from workbench.i18n import t

from .docx import add_table, finish, format_date, heading, label, para


@dataclass(frozen=True)
class AgreementRow:
    name: str
    units: int
    percent: float | None
    kappa: float | None
    alpha: float | None


@dataclass(frozen=True)
class AgreementTable:
    """The latest computation for one choice of coders, unit and scope."""

    coders: tuple[str, ...]
    """As shown (the consensus coder already translated)."""
    unit: str
    """``sentence``, ``turn`` or ``character``."""
    when: datetime
    actor: str
    rows: tuple[AgreementRow, ...]
    overall: AgreementRow
    transcript: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class AgreementAppendix:
    tables: tuple[AgreementTable, ...]
    runs: int
    """How many computations were recorded in all."""
    caveat: str = ""
    """In a reflexive project: why these figures are not a measure of its quality."""


def _decimal(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "nb" else text


def percent(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    return _decimal(f"{value:.1f} %", lang) if lang == "nb" else f"{value:.1f}%"


def stat(value: float | None, lang: str) -> str:
    """Two decimals with a real minus sign; «–» when undefined."""
    return "–" if value is None else _decimal(f"{value:.2f}", lang).replace("-", "−")


def _coders(coders: tuple[str, ...], lang: str) -> str:
    if len(coders) < 2:
        return "".join(coders)
    return label("agreement.and", lang, first=", ".join(coders[:-1]), last=coders[-1])


def _unit(unit: str, lang: str) -> str:
    return t(f"agreement.unit.{unit}", lang=lang)


def _scope(table: AgreementTable, lang: str) -> str:
    parts = []
    if table.transcript:
        parts.append(label("agreement.scope_transcript", lang, name=table.transcript))
    if table.code:
        parts.append(label("agreement.scope_code", lang, name=table.code))
    return " ".join(parts) or label("agreement.scope_all", lang)


def _cells(row: AgreementRow, lang: str) -> list[str]:
    return [row.name, str(row.units), percent(row.percent, lang), stat(row.kappa, lang),
            stat(row.alpha, lang)]


def _headers(lang: str) -> list[str]:
    return [t(f"agreement.col.{c}", lang=lang) for c in ("code", "units", "percent", "kappa", "alpha")]


def add_agreement_appendix(doc: DocxDocument, data: AgreementAppendix | None,
                           lang: str = "nb", *, first_table: int = 1) -> DocxDocument:
    """Add the appendix (nothing when no agreement was computed)."""
    if data is None or not data.tables:
        return doc
    heading(doc, label("agreement.title", lang), level=2)
    if data.caveat:
        para(doc, data.caveat).runs[0].italic = True
    para(doc, label("agreement.intro", lang, n=data.runs))
    for number, table in enumerate(data.tables, start=first_table):
        caption = para(doc, label("agreement.caption", lang, n=number,
                                  coders=_coders(table.coders, lang),
                                  unit=_unit(table.unit, lang)), style="Caption")
        caption.paragraph_format.keep_with_next = True
        rows = [_cells(r, lang) for r in table.rows]
        rows.append(_cells(AgreementRow(label("agreement.overall", lang), table.overall.units,
                                        table.overall.percent, table.overall.kappa,
                                        table.overall.alpha), lang))
        word_table = add_table(doc, _headers(lang), rows,
                               [(6, False), (2.2, True), (2.4, True), (1.8, True), (1.8, True)])
        for row in word_table.rows:
            for cell in row.cells[1:]:
                for paragraph in cell.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for cell in word_table.rows[-1].cells:  # the overall row in bold
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
        # add_table left an empty paragraph after the table: the source line goes before it
        para(doc, label("agreement.scope", lang, when=format_date(table.when, lang),
                        actor=table.actor, unit=_unit(table.unit, lang),
                        scope=_scope(table, lang)))
    return finish(doc, lang)


def appendix_outline(data: AgreementAppendix | None, lang: str = "nb") -> list[str]:
    """The appendix as lines of text for the export preview."""
    if data is None or not data.tables:
        return []
    lines = ["", f"## {label('agreement.title', lang)}"]
    for number, table in enumerate(data.tables, start=1):
        lines.append(label("agreement.caption", lang, n=number, coders=_coders(table.coders, lang),
                           unit=_unit(table.unit, lang)))
        lines.append("  " + " | ".join(_headers(lang)))
        for row in (*table.rows, AgreementRow(label("agreement.overall", lang), table.overall.units,
                                              table.overall.percent, table.overall.kappa,
                                              table.overall.alpha)):
            lines.append("  " + " | ".join(_cells(row, lang)))
    return lines


__all__ = ["AgreementAppendix", "AgreementRow", "AgreementTable", "add_agreement_appendix",
           "appendix_outline"]
