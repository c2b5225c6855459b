"""``workbench codebook import | export``: codebooks as YAML (and REFI-QDA ``.qdc`` in)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.cli.checked import checked_stdout, guard
from workbench.cli.output import err, out
from workbench.cli.session import open_project
from workbench.i18n import t


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("codebook", help=t("cli.help.codebook"))
    cb = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    q = cb.add_parser("import", help=t("cli.help.codebook_import"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("file", help=t("cli.help.codebook_file"))
    q = cb.add_parser("export", help=t("cli.help.codebook_export"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("-o", "--output", help=t("cli.help.output"))
    q.add_argument("--no-themes", action="store_true", help=t("cli.help.no_themes"))
    p.set_defaults(run=cmd_codebook)


def cmd_codebook(args: argparse.Namespace) -> int:
    if args.codebook_command == "import":
        with open_project(args) as wb:
            qdc = Path(args.file).suffix.lower() == ".qdc"
            wb.store.check_may_run("exchange.import_qdc" if qdc else "codebook.import")
            if qdc:  # REFI-QDA codebook
                result = wb.exchange.import_qdc(Path(args.file))
            else:
                result = wb.codebooks.import_file(args.file)
        out(
            t(
                "cli.codebook.imported", name=result.name, added=result.codes_added,
                existing=result.codes_existing, themes=result.themes_added,
            )
        )
        return 0
    return _export_codebook(args)


@checked_stdout
def _export_codebook(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        text = wb.codebooks.export_yaml(with_themes=not args.no_themes)
        guard(wb, "workbench codebook export")
        if args.output:  # written while the project is open: its output check reads it
            from workbench.formats.atomic import write_atomic

            write_atomic(Path(args.output), text.encode("utf-8"))
            for warning in wb.privacy.take_output_warnings():
                err(t("export.cli.warning", warning=warning))
    if args.output:
        out(t("cli.codebook.exported", path=args.output))
    else:
        sys.stdout.write(text)
    return 0


__all__ = ["add_parsers", "cmd_codebook"]
