"""``workbench withdraw | purge``: a participant's withdrawal and the study's end."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.output import out
from workbench.i18n import t


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("withdraw", help=t("privacy.help.withdraw"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("label", help=t("privacy.help.withdraw_label"))
    p.set_defaults(run=cmd_withdraw)


def cmd_withdraw(args: argparse.Namespace) -> int:
    from workbench.services import Workbench

    with Workbench.open(args.project) as wb:
        receipt = wb.privacy.withdraw(args.label)
    out(t("privacy.withdrawn", label=receipt.label,
          when=receipt.when.strftime("%Y-%m-%d %H:%M UTC"), turns=receipt.turns,
          codings=receipt.codings, notes=receipt.notes, comments=receipt.comments,
          log_rows=receipt.log_rows, transcripts=", ".join(receipt.transcripts) or "–"))
    return 0


__all__ = ["add_parsers", "cmd_withdraw"]
