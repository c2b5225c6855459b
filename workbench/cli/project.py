"""``workbench new | info | open | undo | history``: the project file and its change log."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from workbench.cli.launch import open_tui
from workbench.cli.output import out, out_json
from workbench.cli.session import actor_of, create_project, open_project
from workbench.i18n import t


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("new", help=t("cli.help.new"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--title", help=t("cli.help.title"))
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("info", help=t("cli.help.info"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_info)

    p = sub.add_parser("open", help=t("cli.help.open"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--review", action="store_true", help=t("cli.help.review"))
    p.add_argument("--read-only", action="store_true", help=t("cli.help.read_only"))
    p.set_defaults(run=cmd_open)

    p = sub.add_parser("undo", help=t("cli.help.undo"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--redo", action="store_true", help=t("cli.help.redo"))
    p.set_defaults(run=cmd_undo)

    p = sub.add_parser("history", help=t("cli.help.history"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_history)


def cmd_new(args: argparse.Namespace) -> int:
    with create_project(args, title=args.title, language=args.lang or "nb") as wb:
        info = wb.info()
        label = wb.store.label  # a URL without its password
    out(t("cli.new.done", path=label, title=info.title))
    return 0


def info_dict(info: Any) -> dict[str, Any]:
    """``workbench info --json``: the project summary as plain data."""
    data = asdict(info)
    data["phase_name"] = t(f"phase.{info.phase}")
    for tr in data["transcripts"]:
        tr["coded_share"] = round(tr["coded_share"], 4)
        tr.pop("id", None)
    return data


def cmd_info(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        info = wb.info()
    if args.json:
        out_json(info_dict(info))
        return 0
    out(f"{info.title}")
    out(t("phase.label", n=info.phase, name=t(f"phase.{info.phase}")))
    out()
    if info.transcripts:
        out(t("cli.info.transcripts_header"))
        for tr in info.transcripts:
            out(
                t(
                    "cli.info.transcript_row", name=tr.name, group=tr.group or "–",
                    speakers=tr.speakers, turns=tr.turns, words=tr.words,
                    coded=f"{tr.coded_share * 100:.0f}",
                )
            )
    else:
        out(t("cli.info.no_transcripts"))
    out()
    out(t("cli.info.participants", n=info.participants))
    out(t("cli.info.groups", groups=", ".join(info.groups) or "–"))
    out(t("cli.info.codes", codes=info.codes, codings=info.codings))
    out(t("cli.info.themes", n=info.themes))
    out(t("cli.info.comments", n=info.open_comments))
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    # Review mode writes comments, so the file opens writable; the services refuse
    # everything else (see workbench.services.review_mode).
    open_tui(args.project, actor=actor_of(args), readonly=args.read_only, review=args.review)
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        cmd = wb.redo() if args.redo else wb.undo()
    if cmd is None:
        out(t("cli.undo.nothing_redo" if args.redo else "cli.undo.nothing"))
    else:
        out(t("cli.undo.redone" if args.redo else "cli.undo.undone", what=cmd.summary))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        entries = wb.history(limit=args.limit)
    if args.json:
        out_json([asdict(e) for e in entries])
        return 0
    for e in entries:
        state = "" if e.state == "done" else f"  [{t('cli.history.' + e.state)}]"
        out(f"{e.seq:>5}  {e.created}  {e.actor:<12}  {e.summary}{state}")
    return 0


__all__ = ["add_parsers", "cmd_history", "cmd_info", "cmd_new", "cmd_open", "cmd_undo"]
