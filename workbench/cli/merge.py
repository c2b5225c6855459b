"""``workbench merge``: a colleague's codings (from their ``.wbp`` or a ``.qdpx``) into ours."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from workbench.cli.output import ProgressLine, out, out_json
from workbench.cli.session import open_project
from workbench.i18n import t


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("merge", help=t("merge.help.merge"), description=t("merge.help.description"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("file", metavar="FILE", help=t("merge.help.file"))
    p.add_argument("--coders", metavar="NAME", help=t("merge.help.coders"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.add_argument("--key", metavar="PATH", help=t("privacy.help.key"))
    p.add_argument("--without-key", action="store_true", help=t("privacy.help.without_key"))
    p.set_defaults(run=cmd_merge)


def cmd_merge(args: argparse.Namespace) -> int:
    from workbench.services.merge import report_lines

    path = Path(args.file)
    coders = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    with open_project(args) as wb:
        wb.store.check_may_run("merge.colleague")  # one line, nothing read, when refused
        wb.privacy.use_key(args.key, without_key=args.without_key)
        result = wb.merge.merge(path, coders=coders, progress=ProgressLine(path.name))
    if args.json:
        data = dataclasses.asdict(result)
        data["path"] = str(result.path)
        data["coders"] = dict(result.coders)
        data["already_merged"] = result.already_merged
        out_json(data)
        return 0
    for line in report_lines(result):
        out(line)
    return 0


__all__ = ["add_parsers", "cmd_merge"]
