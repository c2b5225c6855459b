"""``workbench demo``: build the demo project (in the data folder or elsewhere) and open it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.launch import open_tui
from workbench.cli.output import out
from workbench.i18n import UserError, t


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("demo", help=t("cli.help.demo"))
    p.add_argument("--path", help=t("cli.help.demo_path"))
    p.add_argument("--no-open", action="store_true", help=t("cli.help.no_open"))
    p.add_argument("--fresh", action="store_true", help=t("cli.help.fresh"))
    p.set_defaults(run=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from workbench.config import data_dir
    from workbench.services.demo import build_demo

    path = Path(args.path) if args.path else data_dir() / "demo.wbp"
    if path.exists() and not args.fresh:
        if args.path and args.no_open:
            raise UserError("cli.demo.exists", path=path)
        out(t("cli.demo.reusing", path=path))
    else:
        if path.exists():
            path.unlink()
            for suffix in ("-wal", "-shm", ".nokkel"):  # the demo's linking key too
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        out(t("cli.demo.building", path=path))
        build_demo(path, progress=lambda msg: out("  " + msg))
        out(t("cli.demo.built", path=path))
    if args.no_open:
        return 0
    open_tui(path)
    return 0


__all__ = ["add_parsers", "cmd_demo"]
