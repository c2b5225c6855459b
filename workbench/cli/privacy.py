"""``workbench withdraw | purge``: a participant's withdrawal and the study's end."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.output import out
from workbench.cli.session import open_project
from workbench.i18n import t


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("withdraw", help=t("privacy.help.withdraw"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("label", help=t("privacy.help.withdraw_label"))
    p.set_defaults(run=cmd_withdraw)

    p = sub.add_parser("purge", help=t("privacy.help.purge"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--keep-map", action="store_true", help=t("privacy.help.keep_map"))
    p.add_argument("--keep-published-quotes", action="store_true",
                   help=t("privacy.help.keep_quotes"))
    p.add_argument("--key", metavar="PATH", help=t("privacy.help.key"))
    p.set_defaults(run=cmd_purge)


def cmd_withdraw(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        receipt = wb.privacy.withdraw(args.label)
    out(t("privacy.withdrawn", label=receipt.label,
          when=receipt.when.strftime("%Y-%m-%d %H:%M UTC"), turns=receipt.turns,
          codings=receipt.codings, notes=receipt.notes, comments=receipt.comments,
          log_rows=receipt.log_rows, transcripts=", ".join(receipt.transcripts) or "–"))
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from workbench.services.privacy import remove_journal_files

    with open_project(args) as wb:
        wb.privacy.use_key(args.key)
        receipt = wb.privacy.purge(keep_map=args.keep_map,
                                   keep_published_quotes=args.keep_published_quotes)
    files = receipt.files + remove_journal_files(receipt.project)
    out(t("privacy.purge.title", project=receipt.project,
          when=receipt.when.strftime("%Y-%m-%d %H:%M:%S UTC")))
    for key, n in receipt.counts.items():
        out("  " + t(f"privacy.purge.count.{key}", n=n))
    if receipt.quotes:
        out("  " + t("privacy.purge.quotes_kept", n=receipt.quotes))
    out("  " + t("privacy.purge.size", before=receipt.size_before, after=receipt.size_after))
    for path, size in files:
        out("  " + t("privacy.purge.file", path=path, size=size))
    if not files:
        out("  " + t("privacy.purge.no_files"))
    return 0


__all__ = ["add_parsers", "cmd_purge", "cmd_withdraw"]
