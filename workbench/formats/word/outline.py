"""Plain-text previews of the Word documents, from the same data the builders take.

The export screen shows these before anything is written, and ``workbench export
--preview`` prints them. They follow the documents line by line: what the preview says is
what the document holds.
"""

from __future__ import annotations

from .docx import (
    TABLE_COLUMNS,
    AuditData,
    Cell,
    CodebookData,
    ReportOptions,
    TableOptions,
    ThemeData,
    ThemeMapData,
    codebook_headers,
    codebook_rows,
    default_caption,
    format_date,
    label,
    phase_name,
    quote_text,
    theme_table_headers,
    theme_table_rows,
)

INDENT = "    "


def _cell_lines(value: Cell) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    return [INDENT * level + text for level, text in value if text]


def _table_lines(headers: list[str], rows: list[list[Cell]]) -> list[str]:
    """Each row as a block: the first cell, then ``Header: value`` for the others."""
    lines = [" | ".join(headers), "─" * 40]
    for row in rows:
        first = _cell_lines(row[0])
        lines.append(first[0] if first else "–")
        lines.extend(INDENT + extra for extra in first[1:])
        for header, value in zip(headers[1:], row[1:], strict=True):
            values = _cell_lines(value)
            if not values:
                lines.append(f"{INDENT}{header}: –")
            elif len(values) == 1:
                lines.append(f"{INDENT}{header}: {values[0].strip()}")
            else:
                lines.append(f"{INDENT}{header}:")
                lines.extend(INDENT * 2 + v for v in values)
        lines.append("")
    return lines


def theme_table_outline(data: ThemeMapData, options: TableOptions, lang: str) -> list[str]:
    columns = [c for c in TABLE_COLUMNS if c in options.columns]
    caption = options.caption if options.caption is not None else default_caption(lang)
    lines = [caption.strip(), ""] if caption.strip() else []
    return lines + _table_lines(
        theme_table_headers(columns, lang), theme_table_rows(data, columns, lang)
    )


def _theme_outline(
    theme: ThemeData, level: int, options: ReportOptions, lang: str
) -> list[str]:
    if theme.is_empty():
        return []
    lines = [f"{'#' * level} {theme.name}", ""]
    if theme.definition.strip():
        lines += [" ".join(theme.definition.split()), ""]
    for quote in theme.quotes:
        text, block = quote_text(quote, options, lang)
        lines += [f"{INDENT}{text}" if block else text, ""]
    for child in theme.children:
        lines += _theme_outline(child, level + 1, options, lang)
    return lines


def report_outline(data: ThemeMapData, options: ReportOptions, lang: str) -> list[str]:
    lines: list[str] = []
    if options.table is not None:
        lines += theme_table_outline(data, options.table, lang)
    for theme in data.themes:
        lines += _theme_outline(theme, options.heading_level, options, lang)
    return lines


def codebook_outline(data: CodebookData, lang: str) -> list[str]:
    inductive = sum(1 for c in data.codes if c.origin == "inductive")
    lines = [
        f"# {label('codebook.title', lang)}", "",
        label("codebook.summary", lang, n=len(data.codes), inductive=inductive,
              deductive=len(data.codes) - inductive, codings=sum(c.codings for c in data.codes)),
        "",
    ]
    return lines + _table_lines(codebook_headers(lang), codebook_rows(data, lang))


def audit_outline(data: AuditData, lang: str) -> list[str]:
    lines = [f"# {label('audit.title', lang)}", ""]
    lines += [f"## {label('audit.phases', lang)}"]
    if data.periods and data.phases:
        for p in data.periods:
            end = format_date(p.end, lang) if p.end else label("audit.now", lang)
            back = f"  {label('audit.col.back', lang)}: {' '.join(p.came_back.split())}" if p.came_back.strip() else ""
            lines.append(f"{phase_name(p.phase, lang)}: {format_date(p.start, lang)} – {end} ({p.duration}){back}")
        if data.phase_totals:
            lines.append(label("audit.phase_totals", lang))
            for phase, spent, visits in data.phase_totals:
                key = "audit.phase_total_one" if visits == 1 else "audit.phase_total"
                lines.append(INDENT + label(key, lang, phase=phase_name(phase, lang), spent=spent, n=visits))
    else:
        lines.append(label("audit.no_phases", lang))
    lines += ["", f"## {label('audit.journal', lang)}"]
    for item in data.journal:
        lines.append(
            f"[{phase_name(item.phase, lang)}] {format_date(item.when, lang)} {item.author}: "
            + " ".join(item.text.split())
        )
    if not data.journal:
        lines.append(label("audit.no_journal", lang))
    lines += ["", f"## {label('audit.codebook', lang)}"]
    for g in data.codebook:
        lines.append(f"{format_date(g.when, lang)}  {g.text}  ({g.actor})")
    if not data.codebook:
        lines.append(label("audit.no_codebook", lang))
    lines += ["", f"## {label('audit.snapshots', lang)}"]
    for snap in data.snapshots:
        lines.append(f"### {snap.name} — {snap.author}, {format_date(snap.when, lang)}")
        lines.extend(INDENT * (depth + 1) + name for depth, name in snap.themes)
        if snap.changes is not None:
            lines.append(INDENT + label("audit.changes", lang))
            lines.extend(f"{INDENT}± {change}" for change in snap.changes)
            if not snap.changes:
                lines.append(INDENT + label("audit.no_changes", lang))
    if data.snapshots and data.current_changes is not None:
        lines.append(f"### {label('audit.current', lang)}")
        lines.extend(f"{INDENT}± {change}" for change in data.current_changes)
        if not data.current_changes:
            lines.append(INDENT + label("audit.no_current_changes", lang))
    if not data.snapshots:
        lines.append(label("audit.no_snapshots", lang))
    lines += ["", f"## {label('audit.comments', lang)}"]
    for comment in data.comments:
        lines.append(f"{comment.anchor}: {comment.author}: " + " ".join(comment.text.split()))
        lines.extend(
            f"{INDENT}↳ {reply.author}: " + " ".join(reply.text.split())
            for reply in comment.replies
        )
        if comment.resolved_by or comment.resolved_at:
            lines.append(INDENT + label("audit.resolved_by", lang, who=comment.resolved_by or "–",
                                        when=format_date(comment.resolved_at, lang)))
        else:
            lines.append(INDENT + label("audit.still_open", lang))
    if not data.comments:
        lines.append(label("audit.no_comments", lang))
    lines += ["", f"## {label('audit.log', lang)}"]
    if data.log.total:
        log = data.log
        lines.append(
            label("audit.log_summary", lang, n=log.total, first=format_date(log.first, lang),
                  last=format_date(log.last, lang), undone=log.undone)
        )
        lines.extend(f"{INDENT}{kind}: {n}" for kind, n in log.kinds)
    else:
        lines.append(label("audit.no_log", lang))
    return lines
