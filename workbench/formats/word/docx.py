"""Word documents for the thesis: the theme table, the results chapter, the codebook and
the audit trail.

Headless: every builder takes plain dataclasses (no database, no UI) and returns a
python-docx ``Document``; :func:`to_bytes` serialises it so the caller can write the file
atomically. What every document gets:

- A4 pages with 2.5 cm margins;
- the language tag (``nb-NO``, or ``en-GB`` for English) on the document defaults, on the
  styles and on every run, so Word's spell-check uses the right dictionary;
- real Word tables in the ``Table Grid`` style, whose first row is a header row repeated
  on every page (``w:tblHeader``) and never split;
- Word's built-in ``Heading 1``/``Heading 2`` … styles, so headings land in the thesis
  template's outline, ``Caption`` for table captions and ``Quote`` (indented) for block
  quotes. When the text is pasted into a thesis template, Word applies the template's
  definitions of these styles.

Labels (column headers, section titles) come from the ``export`` message catalogue in the
document's language; the content (theme names, quotes, journal text) is used as given.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from workbench.i18n import t

from .kinds import DEFAULT_BLOCK_WORDS, TABLE_COLUMNS

LANGUAGE_TAGS = {"nb": "nb-NO", "en": "en-GB"}
TABLE_STYLE = "Table Grid"
BLOCK_QUOTE_STYLE = "Quote"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 21.0, 29.7, 2.5

# -- the plain data the builders take ------------------------------------------------------


@dataclass(frozen=True)
class QuoteData:
    """A quote marked for the report: clean reading text and its attribution."""

    text: str
    attribution: str = ""


@dataclass(frozen=True)
class ThemeData:
    """A theme of the map. The counts cover the theme *with* its sub-themes."""

    name: str
    definition: str = ""
    codes: tuple[str, ...] = ()
    extracts: int = 0
    groups: tuple[str, ...] = ()
    informants: int = 0
    quotes: tuple[QuoteData, ...] = ()
    children: tuple[ThemeData, ...] = ()
    own_codes: tuple[str, ...] = ()
    """The codes placed directly under this theme (``codes`` adds the sub-themes')."""
    colour: str = ""
    """``#rrggbb`` for a main theme in the figure (empty: the palette's next colour)."""

    def is_empty(self) -> bool:
        """Nothing to write under its heading: no definition, no quotes, no sub-theme
        with either. The report leaves such a theme out (with a warning)."""
        return (not self.definition.strip() and not self.quotes
                and all(child.is_empty() for child in self.children))


@dataclass(frozen=True)
class ThemeMapData:
    title: str
    themes: tuple[ThemeData, ...]
    informants_total: int = 0


@dataclass(frozen=True)
class TableOptions:
    caption: str | None = None
    """``None``: the default caption, «Tabell 1. Oversikt tema»."""
    columns: tuple[str, ...] = ()
    """Extra columns from :data:`~workbench.formats.word.kinds.TABLE_COLUMNS`."""


@dataclass(frozen=True)
class ReportOptions:
    table: TableOptions | None = field(default_factory=TableOptions)
    """The theme table at the top of the chapter; ``None`` leaves it out."""
    block_words: int = DEFAULT_BLOCK_WORDS
    heading_level: int = 1
    """Word heading level of a main theme (sub-themes one below)."""
    block_quote_marks: bool = True
    """« » around block quotes too (APA 7 leaves them out)."""
    figure: bool = True
    """The thematic map as a figure («Figur 1. Tematisk kart») after the table."""


@dataclass(frozen=True)
class CodeRow:
    name: str
    description: str
    origin: str
    """``inductive`` or ``deductive``."""
    codings: int
    themes: tuple[str, ...] = ()
    depth: int = 0
    """0 for a top-level code, 1 for a sub-code, …"""


@dataclass(frozen=True)
class CodebookData:
    title: str
    codes: tuple[CodeRow, ...]


@dataclass(frozen=True)
class PhaseStep:
    when: datetime
    from_phase: int
    to_phase: int
    reason: str
    actor: str


@dataclass(frozen=True)
class JournalItem:
    when: datetime
    phase: int
    author: str
    text: str


@dataclass(frozen=True)
class SnapshotItem:
    name: str
    author: str
    when: datetime
    themes: tuple[tuple[int, str], ...]
    """(depth, name) in map order."""
    changes: tuple[str, ...] | None = None
    """What changed since the snapshot before, one line each (``None``: the first
    snapshot, or no diff available)."""


@dataclass(frozen=True)
class CommentItem:
    anchor: str
    author: str
    when: datetime
    text: str
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    replies: tuple[CommentItem, ...] = ()


@dataclass(frozen=True)
class LogSummary:
    total: int = 0
    undone: int = 0
    first: datetime | None = None
    last: datetime | None = None
    kinds: tuple[tuple[str, int], ...] = ()
    actors: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class PhasePeriod:
    """One stay in a phase: from when to when (``None``: still there), how long."""

    phase: int
    start: datetime
    end: datetime | None
    duration: str
    came_back: str = ""
    """The reason given for going back to this phase (empty when moving on)."""


@dataclass(frozen=True)
class GrowthItem:
    """One step in how the codebook grew, in the researcher's words."""

    when: datetime
    actor: str
    text: str


@dataclass(frozen=True)
class AuditData:
    title: str
    phase: int
    exported: datetime
    phases: tuple[PhaseStep, ...] = ()
    journal: tuple[JournalItem, ...] = ()
    snapshots: tuple[SnapshotItem, ...] = ()
    current_changes: tuple[str, ...] | None = None
    """What changed from the last snapshot to the current map (``None``: not known)."""
    comments: tuple[CommentItem, ...] = ()
    log: LogSummary = field(default_factory=LogSummary)
    periods: tuple[PhasePeriod, ...] = ()
    phase_totals: tuple[tuple[int, str, int], ...] = ()
    """(phase, time spent, visits) for every phase visited."""
    codebook: tuple[GrowthItem, ...] = ()


# -- small helpers ---------------------------------------------------------------------------

Cell = str | Sequence[tuple[int, str]]
"""A table cell: one text, or paragraphs as (indent level, text)."""


def label(key: str, lang: str, **params: object) -> str:
    return t(f"export.{key}", lang=lang, **params)


def local_time(when: datetime) -> datetime:
    """Stored times are naive UTC; show them in the local zone."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone()


def format_date(when: datetime | None, lang: str, *, time: bool = True) -> str:
    if when is None:
        return "–"
    key = "format.datetime" if time else "format.date"
    return local_time(when).strftime(label(key, lang))


QUOTE_MARKS = {"nb": ("«", "»"), "en": ("\u201c", "\u201d")}
"""Outer quotation marks: « » in Norwegian typography, “ ” in English."""


def inner_quotes(text: str) -> str:
    """Quotation marks inside a quote become ‘ ’ so the outer marks stay unambiguous."""
    text = text.replace("«", "‘").replace("»", "’").replace("“", "‘").replace("”", "’")
    parts = text.split('"')
    out = parts[0]
    for i, part in enumerate(parts[1:]):
        out += ("‘" if i % 2 == 0 else "’") + part
    return out


def is_block_quote(text: str, block_words: int) -> bool:
    return len(text.split()) >= block_words


def quote_text(quote: QuoteData, options: ReportOptions, lang: str) -> tuple[str, bool]:
    """The quote as printed (with « » where due, and its attribution), and whether it is a
    block quote."""
    block = is_block_quote(quote.text, options.block_words)
    body = inner_quotes(quote.text)
    if not block or options.block_quote_marks:
        opening, closing = QUOTE_MARKS.get(lang, QUOTE_MARKS["nb"])
        body = f"{opening}{body}{closing}"
    if quote.attribution:
        body = f"{body} {quote.attribution}"
    return body, block


def default_caption(lang: str) -> str:
    return label("table.caption", lang)


def theme_table_headers(columns: Sequence[str], lang: str) -> list[str]:
    return [label("table.main", lang), label("table.sub", lang)] + [
        label(f"table.col.{c}", lang) for c in columns
    ]


def _descendants(theme: ThemeData, depth: int = 0) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for child in theme.children:
        out.append((depth, child.name))
        out.extend(_descendants(child, depth + 1))
    return out


def _theme_cells(theme: ThemeData, columns: Sequence[str], lang: str, total: int,
                 codes: Sequence[str]) -> list[Cell]:
    row: list[Cell] = []
    for column in columns:
        if column == "definition":
            row.append([(0, p) for p in _paragraphs(theme.definition)])
        elif column == "codes":
            row.append([(0, c) for c in codes])
        elif column == "extracts":
            row.append(str(theme.extracts))
        elif column == "groups":
            row.append([(0, g) for g in theme.groups])
        elif column == "informants":
            row.append(label("table.informants_of", lang, n=theme.informants, total=total))
    return row


def _walk_children(theme: ThemeData, depth: int = 0) -> list[tuple[int, ThemeData]]:
    out: list[tuple[int, ThemeData]] = []
    for child in theme.children:
        out.append((depth, child))
        out.extend(_walk_children(child, depth + 1))
    return out


def theme_table_rows(
    data: ThemeMapData, columns: Sequence[str], lang: str
) -> list[list[Cell]]:
    """Without extra columns, one row per main theme: its name and its sub-themes (one
    paragraph each). With extra columns, a row for the main theme and one for each of its
    sub-themes below it (the main theme's cell left empty, merged in Word), so that every
    definition, code and count stands beside the theme it belongs to."""
    rows: list[list[Cell]] = []
    for theme in data.themes:
        if not columns:
            rows.append([theme.name, _descendants(theme)])
            continue
        rows.append([theme.name, ""] + _theme_cells(
            theme, columns, lang, data.informants_total, theme.own_codes))
        for depth, child in _walk_children(theme):
            rows.append(["", [(depth, child.name)]] + _theme_cells(
                child, columns, lang, data.informants_total, child.own_codes))
    return rows


def theme_row_spans(data: ThemeMapData, columns: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) body row of each main theme in :func:`theme_table_rows`."""
    spans: list[tuple[int, int]] = []
    row = 0
    for theme in data.themes:
        n = 1 + (len(_walk_children(theme)) if columns else 0)
        spans.append((row, row + n - 1))
        row += n
    return spans


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs; single line breaks inside one are kept as spaces."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def safe(text: str) -> str:
    """Text Word can hold: control characters (from old .doc conversions) are dropped,
    vertical tab and form feed become spaces."""
    return _NOT_XML.sub("", text.replace("\x0b", " ").replace("\x0c", " "))


def para(doc: DocxDocument, text: str, style: str | None = None) -> Paragraph:
    return doc.add_paragraph(safe(text), style=style)


def heading(doc: DocxDocument, text: str, level: int) -> Paragraph:
    return doc.add_heading(safe(text), level=level)


# -- the document ----------------------------------------------------------------------------


def new_document(title: str, lang: str, *, landscape: bool = False) -> DocxDocument:
    """An empty A4 document with its language set and its styles tuned."""
    doc = Document()
    section = doc.sections[0]
    width, height = Cm(PAGE_WIDTH), Cm(PAGE_HEIGHT)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN))
    now = datetime.now(UTC).replace(microsecond=0)
    props = doc.core_properties
    props.title = safe(title)
    props.author = props.last_modified_by = "workbench"
    props.comments = props.subject = props.keywords = props.category = ""
    props.language = LANGUAGE_TAGS[lang]
    props.created = props.modified = now
    props.revision = 1
    _tune_styles(doc, LANGUAGE_TAGS[lang])
    return doc


def text_width(doc: DocxDocument) -> float:
    """Usable width of the (last) section in cm."""
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def _set_lang(rpr, tag: str) -> None:  # type: ignore[no-untyped-def]
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), tag)


def _tune_styles(doc: DocxDocument, tag: str) -> None:
    styles = doc.styles.element
    for lang in styles.iter(qn("w:lang")):  # the document defaults and any style
        lang.set(qn("w:val"), tag)
    normal = doc.styles["Normal"]
    _set_lang(normal.element.get_or_add_rPr(), tag)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)
    quote = doc.styles[BLOCK_QUOTE_STYLE]
    quote.paragraph_format.left_indent = Cm(1.25)
    quote.paragraph_format.right_indent = Cm(1.25)
    quote.paragraph_format.space_before = Pt(6)
    quote.paragraph_format.space_after = Pt(12)
    quote.font.color.rgb = RGBColor(0, 0, 0)
    caption = doc.styles["Caption"]
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.font.size = Pt(10)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_after = Pt(6)
    for name in ("List Bullet", "List Bullet 2"):
        doc.styles[name].paragraph_format.space_after = Pt(2)


def _mark_runs(doc: DocxDocument, tag: str) -> None:
    """Put the language on every run of the body (and of table cells)."""
    for run in doc.element.body.iter(qn("w:r")):
        _set_lang(run.get_or_add_rPr(), tag)


def finish(doc: DocxDocument, lang: str) -> DocxDocument:
    _mark_runs(doc, LANGUAGE_TAGS[lang])
    return doc


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _fill_cell(cell: _Cell, value: Cell, *, bold: bool = False) -> None:
    items = [(0, value)] if isinstance(value, str) else list(value)
    items = [(level, text) for level, text in items if text] or [(0, "")]
    for i, (level, text) in enumerate(items):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(4 if i < len(items) - 1 else 0)
        fmt.line_spacing = 1.0
        if level:
            fmt.left_indent = Cm(0.4 * level)
        if text.isdigit():
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            paragraph.add_run(safe(text)).bold = bold or None


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    tr_pr.append(OxmlElement("w:tblHeader"))


Width = tuple[float, bool]
"""A column width: (centimetres, True) is fixed; (weight, False) shares what is left."""


DATE_CM = 3.3
"""Room for «01.12.2026 23:39» on one line, cell margins included."""


def column_widths(total: float, specs: Sequence[Width]) -> list[float]:
    """Fixed columns get their width (shrunk if they alone overflow); the rest share the
    remaining width by weight."""
    fixed = sum(w for w, is_fixed in specs if is_fixed)
    weights = sum(w for w, is_fixed in specs if not is_fixed)
    scale = min(1.0, total * 0.6 / fixed) if fixed else 1.0
    left = total - fixed * scale
    return [w * scale if is_fixed else left * w / weights for w, is_fixed in specs]


CHAR_CM = 0.22
"""A generous width of one character of 11 pt body text (wide fallback fonts included)."""
BOLD_CHAR_CM = 0.245
CELL_PADDING_CM = 0.45
INDENT_CM = 0.4


def _longest_word_cm(value: Cell, *, bold: bool = False) -> float:
    items = [(0, value)] if isinstance(value, str) else list(value)
    per_char = BOLD_CHAR_CM if bold else CHAR_CM
    return max(
        (INDENT_CM * level + max((len(w) for w in text.split()), default=0) * per_char
         for level, text in items if text),
        default=0.0,
    ) + CELL_PADDING_CM


def word_widths(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[float]:
    """Per column, the width its longest word needs so that no word is broken."""
    need = [_longest_word_cm(h, bold=True) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            need[i] = max(need[i], _longest_word_cm(value))
    return need


def fit_words(widths: list[float], need: Sequence[float], total: float) -> list[float]:
    """Widen the columns whose longest word does not fit, taking the room from the
    columns that have some to spare; unchanged when even the minimums do not fit."""
    if sum(need) > total + 1e-6:
        return widths
    out = list(widths)
    for _ in range(len(out) + 1):
        short = sum(max(0.0, n - w) for w, n in zip(out, need, strict=True))
        if short <= 1e-6:
            break
        spare = [max(0.0, w - n) for w, n in zip(out, need, strict=True)]
        room = sum(spare)
        out = [max(w, n) - (s / room * short if room else 0.0)
               for w, n, s in zip(out, need, spare, strict=True)]
    return out


def fits_words(headers: Sequence[str], rows: Sequence[Sequence[Cell]], total: float) -> bool:
    return sum(word_widths(headers, rows)) <= total


def add_table(
    doc: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
    widths: Sequence[Width],
) -> Table:
    """A real Word table with a repeating, bold header row and set column widths."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles[TABLE_STYLE]
    table.autofit = False
    for i, header in enumerate(headers):
        _fill_cell(table.rows[0].cells[i], header, bold=True)
    _repeat_header(table)
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            _fill_cell(cells[i], value)
    total = text_width(doc)
    sized = fit_words(column_widths(total, widths), word_widths(headers, rows), total)
    for i, width in enumerate(sized):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)
    doc.add_paragraph()  # Word needs a paragraph between a table and what follows
    return table


COLUMN_WIDTHS: dict[str, Width] = {
    "main": (3.0, False), "sub": (4.0, False), "definition": (5.0, False),
    "codes": (4.0, False), "extracts": (2.0, True), "groups": (3.4, True),
    "informants": (2.7, True),
}


def add_theme_table(
    doc: DocxDocument, data: ThemeMapData, options: TableOptions, lang: str
) -> Table:
    columns = [c for c in TABLE_COLUMNS if c in options.columns]
    caption = options.caption if options.caption is not None else default_caption(lang)
    if caption.strip():
        para(doc, caption.strip(), style="Caption")
    widths = [COLUMN_WIDTHS[c] for c in ("main", "sub", *columns)]
    table = add_table(
        doc, theme_table_headers(columns, lang), theme_table_rows(data, columns, lang), widths
    )
    for first, last in theme_row_spans(data, columns):
        if last > first:  # the main theme's name beside all its sub-themes
            table.cell(first + 1, 0).merge(table.cell(last + 1, 0))
    return table


# -- 1. the theme table ----------------------------------------------------------------------


def theme_table_document(
    data: ThemeMapData, options: TableOptions, lang: str = "nb"
) -> DocxDocument:
    """«Tabell 1. Oversikt tema»: Hovedtema | Undertema (| extra columns)."""
    wide = len([c for c in TABLE_COLUMNS if c in options.columns]) >= 3
    doc = new_document(data.title, lang, landscape=wide)
    add_theme_table(doc, data, options, lang)
    return finish(doc, lang)


# -- 2. the results chapter ------------------------------------------------------------------


def _add_quote(
    doc: DocxDocument, quote: QuoteData, options: ReportOptions, lang: str
) -> Paragraph:
    text, block = quote_text(quote, options, lang)
    paragraph = doc.add_paragraph(style=BLOCK_QUOTE_STYLE if block else None)
    paragraph.add_run(safe(text))
    return paragraph


def _add_theme(
    doc: DocxDocument, theme: ThemeData, level: int, options: ReportOptions, lang: str
) -> None:
    if theme.is_empty():  # no empty headings: left out, and the export warns
        return
    heading(doc, theme.name, level=min(level, 9))
    for paragraph in _paragraphs(theme.definition):
        para(doc, paragraph)
    for quote in theme.quotes:
        _add_quote(doc, quote, options, lang)
    for child in theme.children:
        _add_theme(doc, child, level + 1, options, lang)


def report_document(
    data: ThemeMapData, options: ReportOptions, lang: str = "nb"
) -> DocxDocument:
    """A results-chapter draft: a heading per main theme (Heading 1), a subheading per
    sub-theme (Heading 2), the definition, then the quotes marked for the report."""
    # A wide theme table (three or more extra columns) goes on landscape pages, as in the
    # theme-table export; the chapter's text goes on in portrait.
    wide = options.table is not None and len(
        [c for c in TABLE_COLUMNS if c in options.table.columns]) >= 3
    doc = new_document(data.title, lang, landscape=wide)
    if options.table is not None:
        add_theme_table(doc, data, options.table, lang)
    if options.figure and data.themes:
        add_map_figure(doc, data, lang)
    if doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE:
        _orient(doc.add_section(WD_SECTION.NEW_PAGE), False)
    for theme in data.themes:
        _add_theme(doc, theme, options.heading_level, options, lang)
    return finish(doc, lang)


FIGURE_CAPTION_CM = 1.5


def _orient(section, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    width, height = Cm(PAGE_WIDTH), Cm(PAGE_HEIGHT)
    if landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN))


def add_map_figure(doc: DocxDocument, data: ThemeMapData, lang: str) -> None:
    """The thematic map as a picture with its caption, on a landscape page of its own when
    it has three or more cards across (then the text goes on in portrait)."""
    from docx.enum.section import WD_SECTION

    from . import figure

    plan = figure.layout(data.themes, [t.colour for t in data.themes])
    png = figure.to_png(plan)
    landscape = len(data.themes) >= 3
    if landscape:
        empty = not doc.tables and not any(p.text.strip() for p in doc.paragraphs)
        _orient(doc.sections[-1] if empty else doc.add_section(WD_SECTION.NEW_PAGE), True)
    section = doc.sections[-1]
    width = text_width(doc)
    height = (section.page_height - section.top_margin - section.bottom_margin) / 360000
    scale = min(width / plan.width, (height - FIGURE_CAPTION_CM) / plan.height)
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(png), width=Cm(plan.width * scale))
    para(doc, label("figure.caption", lang), style="Caption")
    if landscape:
        _orient(doc.add_section(WD_SECTION.NEW_PAGE), False)


# -- 3. the codebook -------------------------------------------------------------------------


def codebook_headers(lang: str) -> list[str]:
    return [label(f"codebook.col.{c}", lang)
            for c in ("name", "description", "origin", "codings", "themes")]


def codebook_rows(data: CodebookData, lang: str) -> list[list[Cell]]:
    return [
        [
            [(code.depth, code.name)],
            [(0, p) for p in _paragraphs(code.description)],
            label(f"origin.{code.origin}", lang),
            str(code.codings),
            [(0, name) for name in code.themes],
        ]
        for code in data.codes
    ]


def codebook_document(data: CodebookData, lang: str = "nb") -> DocxDocument:
    """The codebook as a table; on landscape pages when its longest words need more room
    than a portrait page has (a word is never broken across lines)."""
    headers, rows = codebook_headers(lang), codebook_rows(data, lang)
    doc = new_document(data.title, lang)
    if not fits_words(headers, rows, text_width(doc)):
        doc = new_document(data.title, lang, landscape=True)
    heading(doc, label("codebook.title", lang), level=1)
    inductive = sum(1 for c in data.codes if c.origin == "inductive")
    para(doc, 
        label("codebook.summary", lang, n=len(data.codes), inductive=inductive,
              deductive=len(data.codes) - inductive, codings=sum(c.codings for c in data.codes))
    )
    add_table(doc, headers, rows, [(5, False), (5.5, False), (2.2, True), (2.1, True), (3.5, False)])
    return finish(doc, lang)


# -- 4. the audit trail ----------------------------------------------------------------------


def phase_name(phase: int, lang: str) -> str:
    return t("phase.label", lang=lang, n=phase, name=t(f"phase.{phase}", lang=lang))


def _none(doc: DocxDocument, key: str, lang: str) -> None:
    para(doc, label(key, lang)).runs[0].italic = True


def _signed(doc: DocxDocument, byline: str, text: str, indent: Cm | None = None) -> None:
    """A bold line saying who wrote what and when, kept with the text that follows."""
    head = doc.add_paragraph()
    if indent is not None:
        head.paragraph_format.left_indent = indent
    head.paragraph_format.keep_with_next = True
    head.paragraph_format.space_after = Pt(2)
    head.add_run(safe(byline)).bold = True
    for part in _paragraphs(text):
        p = para(doc, part)
        if indent is not None:
            p.paragraph_format.left_indent = indent


def _add_comment(doc: DocxDocument, comment: CommentItem, lang: str, depth: int = 0) -> None:
    _signed(doc, label("audit.comment_by", lang, author=comment.author,
                       when=format_date(comment.when, lang)),
            comment.text, Cm(1.0 * depth))
    for reply in comment.replies:
        _add_comment(doc, reply, lang, depth + 1)


def audit_document(data: AuditData, lang: str = "nb") -> DocxDocument:
    """An appendix that shows how the analysis was done."""
    doc = new_document(data.title, lang)
    heading(doc, label("audit.title", lang), level=1)
    para(doc, 
        label("audit.intro", lang, title=data.title, phase=phase_name(data.phase, lang),
              when=format_date(data.exported, lang, time=False))
    )

    heading(doc, label("audit.phases", lang), level=2)
    if data.periods and data.phases:
        para(doc, label("audit.phases_intro", lang))
        add_table(
            doc,
            [label(f"audit.col.{c}", lang) for c in ("phase", "from", "to", "spent", "back")],
            [
                [phase_name(p.phase, lang), format_date(p.start, lang, time=False),
                 format_date(p.end, lang, time=False) if p.end else label("audit.now", lang),
                 p.duration,
                 [(0, x) for x in _paragraphs(p.came_back)] or "–"]
                for p in data.periods
            ],
            [(3, False), (2.4, True), (2.4, True), (2.3, True), (5, False)],
        )
        if data.phase_totals:
            p = doc.add_paragraph()
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.space_before = Pt(6)
            p.add_run(label("audit.phase_totals", lang)).bold = True
            for phase, spent, visits in data.phase_totals:
                key = "audit.phase_total_one" if visits == 1 else "audit.phase_total"
                para(doc, label(key, lang, phase=phase_name(phase, lang), spent=spent, n=visits),
                     style="List Bullet")
    else:
        _none(doc, "audit.no_phases", lang)

    heading(doc, label("audit.journal", lang), level=2)
    if data.journal:
        phases = sorted({item.phase for item in data.journal})
        for phase in phases:
            heading(doc, phase_name(phase, lang), level=3)
            for item in (i for i in data.journal if i.phase == phase):
                _signed(doc, label("audit.entry_by", lang, author=item.author,
                                   when=format_date(item.when, lang)), item.text)
    else:
        _none(doc, "audit.no_journal", lang)

    heading(doc, label("audit.codebook", lang), level=2)
    if data.codebook:
        para(doc, label("audit.codebook_intro", lang))
        add_table(
            doc, [label(f"audit.col.{c}", lang) for c in ("when", "what", "actor")],
            [[format_date(g.when, lang), g.text, g.actor] for g in data.codebook],
            [(DATE_CM, True), (8, False), (2.4, True)],
        )
    else:
        _none(doc, "audit.no_codebook", lang)

    heading(doc, label("audit.snapshots", lang), level=2)
    if data.snapshots:
        for snap in data.snapshots:
            heading(doc, snap.name, level=3)
            para(doc, 
                label("audit.snapshot_by", lang, author=snap.author,
                      when=format_date(snap.when, lang), n=len(snap.themes))
            )
            for depth, name in snap.themes:
                style = "List Bullet 2" if depth else "List Bullet"
                para(doc, name, style=style)
            if snap.changes is not None:
                p = doc.add_paragraph()
                p.paragraph_format.keep_with_next = True
                p.paragraph_format.space_before = Pt(6)
                p.add_run(label("audit.changes", lang)).bold = True
                for change in snap.changes:
                    para(doc, change, style="List Bullet")
                if not snap.changes:
                    _none(doc, "audit.no_changes", lang)
        if data.current_changes is not None:
            heading(doc, label("audit.current", lang), level=3)
            for change in data.current_changes:
                para(doc, change, style="List Bullet")
            if not data.current_changes:
                _none(doc, "audit.no_current_changes", lang)
    else:
        _none(doc, "audit.no_snapshots", lang)

    heading(doc, label("audit.comments", lang), level=2)
    if data.comments:
        for comment in data.comments:
            anchor = doc.add_paragraph()
            anchor.paragraph_format.keep_with_next = True
            anchor.add_run(safe(comment.anchor)).italic = True
            _add_comment(doc, comment, lang)
            if comment.resolved_by or comment.resolved_at:
                done = para(doc, 
                    label("audit.resolved_by", lang, who=comment.resolved_by or "–",
                          when=format_date(comment.resolved_at, lang))
                )
            else:
                done = para(doc, label("audit.still_open", lang))
            done.runs[0].italic = True
    else:
        _none(doc, "audit.no_comments", lang)

    heading(doc, label("audit.log", lang), level=2)
    log = data.log
    if log.total:
        para(doc, 
            label("audit.log_summary", lang, n=log.total, first=format_date(log.first, lang),
                  last=format_date(log.last, lang), undone=log.undone)
        )
        add_table(
            doc, [label("audit.col.kind", lang), label("audit.col.count", lang)],
            [[kind, str(n)] for kind, n in log.kinds], [(1, False), (2.4, True)],
        )
        add_table(
            doc, [label("audit.col.actor", lang), label("audit.col.count", lang)],
            [[actor, str(n)] for actor, n in log.actors], [(1, False), (2.4, True)],
        )
    else:
        _none(doc, "audit.no_log", lang)
    return finish(doc, lang)
