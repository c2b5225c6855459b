"""``workbench export PROJECT KIND [-o FILE]``: Word documents for the thesis, and the
exchange formats.

Word kinds: ``theme-table``, ``report``, ``codebook``, ``audit``. Exchange kinds (written by
``workbench.services.exchange``): ``qdc``, ``qdpx``, ``segments``. Warnings (for example an
attribution that fits one informant only) go to stderr; the written path to stdout.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.output import err, out
from workbench.cli.session import open_project
from workbench.formats.word.kinds import (
    DEFAULT_ATTRIBUTION,
    DEFAULT_BLOCK_WORDS,
    KINDS,
    TABLE_COLUMNS,
    attribution_fields,
    default_attribution,
)
from workbench.i18n import LANGUAGES, get_language, t


def _columns(value: str) -> tuple[str, ...]:
    columns = tuple(c.strip().lower() for c in value.split(",") if c.strip())
    for column in columns:
        if column not in TABLE_COLUMNS:
            raise argparse.ArgumentTypeError(
                t("export.error.column", column=column, columns=", ".join(TABLE_COLUMNS))
            )
    return columns


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("export", help=t("export.cli.help"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("kind", choices=KINDS, metavar="KIND",
                   help=t("export.cli.kind", kinds=", ".join(KINDS)))
    p.add_argument("-o", "--output", metavar="FILE", help=t("export.cli.output"))
    # The global --lang sets the interface language; here it also sets the document's.
    p.add_argument("--lang", dest="doc_lang", choices=LANGUAGES, help=t("export.cli.lang"))
    p.add_argument("--caption", help=t("export.cli.caption"))
    p.add_argument("--columns", type=_columns, default=(),
                   help=t("export.cli.columns", columns=", ".join(TABLE_COLUMNS)))
    lang = get_language()
    p.add_argument(
        "--attribution", default=DEFAULT_ATTRIBUTION,
        help=t("export.cli.attribution", default=default_attribution(lang),
               fields=", ".join("{" + f + "}" for f in attribution_fields(lang))).replace("%", "%%"),
    )
    p.add_argument("--block-words", type=int, default=DEFAULT_BLOCK_WORDS, metavar="N",
                   help=t("export.cli.block_words", default=DEFAULT_BLOCK_WORDS))
    p.add_argument("--heading-level", type=int, default=1, metavar="N",
                   help=t("export.cli.heading_level"))
    p.add_argument("--no-table", action="store_true", help=t("export.cli.no_table"))
    p.add_argument("--plain-block-quotes", action="store_true",
                   help=t("export.cli.plain_block_quotes"))
    p.add_argument("--preview", action="store_true", help=t("export.cli.preview"))
    p.add_argument("--offsets", choices=("codepoints", "utf16"), default="codepoints",
                   help=t("exchange.cli_offsets"))
    p.set_defaults(run=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from workbench.services.exports import ExportOptions

    options = ExportOptions(
        lang=args.doc_lang or args.lang or "nb",
        caption=args.caption,
        columns=tuple(args.columns),
        attribution=args.attribution,
        block_words=args.block_words,
        heading_level=args.heading_level,
        include_table=not args.no_table,
        block_quote_marks=not args.plain_block_quotes,
        offsets=args.offsets,
    ).checked()
    with open_project(args, readonly=True) as wb:
        service = wb.exports
        if args.preview:
            preview = service.preview(args.kind, options)
            out("\n".join(preview.lines).rstrip())
            warnings = preview.warnings
        else:
            result = service.export(args.kind, Path(args.output) if args.output else None,
                                    options)
            warnings = [*result.warnings, *wb.privacy.take_output_warnings()]
    for warning in warnings:
        err(t("export.cli.warning", warning=warning))
    if not args.preview:
        out(t("export.cli.done", path=result.path.resolve()))
    return 0


__all__ = ["add_parsers", "cmd_export"]
