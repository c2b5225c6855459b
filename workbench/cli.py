"""The ``workbench`` command: the scripting front end.

Every subcommand is a thin layer over :mod:`workbench.services`. User errors print one
clear line on stderr and exit with status 2; nothing prints a traceback unless
``WORKBENCH_DEBUG`` is set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict

from workbench import __version__
from workbench.i18n import LANGUAGES, UserError, set_language, t

EXIT_USER_ERROR = 2

Handler = Callable[[argparse.Namespace], int]
_HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[name] = fn
        return fn

    return register


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


# -- project ---------------------------------------------------------------------------


@handler("new")
def cmd_new(args: argparse.Namespace) -> int:
    from workbench.services import Workbench

    with Workbench.create(args.project, title=args.title, language=args.lang or "nb") as wb:
        info = wb.info()
    _out(t("cli.new.done", path=args.project, title=info.title))
    return 0


def _info_dict(info) -> dict:  # type: ignore[no-untyped-def]
    data = asdict(info)
    data["phase_name"] = t(f"phase.{info.phase}")
    for tr in data["transcripts"]:
        tr["coded_share"] = round(tr["coded_share"], 4)
        tr.pop("id", None)
    return data


@handler("info")
def cmd_info(args: argparse.Namespace) -> int:
    from workbench.services import Workbench

    with Workbench.open(args.project, readonly=True) as wb:
        info = wb.info()
    if args.json:
        _json(_info_dict(info))
        return 0
    _out(f"{info.title}")
    _out(t("phase.label", n=info.phase, name=t(f"phase.{info.phase}")))
    _out()
    if info.transcripts:
        _out(t("cli.info.transcripts_header"))
        for tr in info.transcripts:
            _out(
                t(
                    "cli.info.transcript_row", name=tr.name, group=tr.group or "–",
                    speakers=tr.speakers, turns=tr.turns, words=tr.words,
                    coded=f"{tr.coded_share * 100:.0f}",
                )
            )
    else:
        _out(t("cli.info.no_transcripts"))
    _out()
    _out(t("cli.info.participants", n=info.participants))
    _out(t("cli.info.groups", groups=", ".join(info.groups) or "–"))
    _out(t("cli.info.codes", codes=info.codes, codings=info.codings))
    _out(t("cli.info.themes", n=info.themes))
    _out(t("cli.info.comments", n=info.open_comments))
    return 0


@handler("open")
def cmd_open(args: argparse.Namespace) -> int:
    from workbench.services import Workbench

    wb = Workbench.open(args.project, actor=args.as_user, readonly=args.review or args.read_only)
    from workbench.tui.app import run_app

    try:
        run_app(wb, review=args.review)
    finally:
        wb.close()
    return 0


@handler("undo")
def cmd_undo(args: argparse.Namespace) -> int:
    from workbench.services import Workbench

    with Workbench.open(args.project) as wb:
        cmd = wb.redo() if args.redo else wb.undo()
    if cmd is None:
        _out(t("cli.undo.nothing_redo" if args.redo else "cli.undo.nothing"))
    else:
        _out(t("cli.undo.redone" if args.redo else "cli.undo.undone", what=cmd.summary))
    return 0


@handler("history")
def cmd_history(args: argparse.Namespace) -> int:
    from workbench.services import Workbench

    with Workbench.open(args.project, readonly=True) as wb:
        entries = wb.history(limit=args.limit)
    if args.json:
        _json([asdict(e) for e in entries])
        return 0
    for e in entries:
        state = "" if e.state == "done" else f"  [{t('cli.history.' + e.state)}]"
        _out(f"{e.seq:>5}  {e.created}  {e.actor:<12}  {e.summary}{state}")
    return 0


# -- argument parsing ------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench", description=t("cli.description"),
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.help.lang"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("new", help=t("cli.help.new"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--title", help=t("cli.help.title"))

    p = sub.add_parser("info", help=t("cli.help.info"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = sub.add_parser("open", help=t("cli.help.open"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--review", action="store_true", help=t("cli.help.review"))
    p.add_argument("--as", dest="as_user", metavar="NAME", help=t("cli.help.as_user"))
    p.add_argument("--read-only", action="store_true", help=t("cli.help.read_only"))

    p = sub.add_parser("undo", help=t("cli.help.undo"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--redo", action="store_true", help=t("cli.help.redo"))

    p = sub.add_parser("history", help=t("cli.help.history"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    for extend in _EXTENSIONS:
        extend(sub)
    return parser


# Later modules (import, show, demo, export, ...) register their subcommands here.
_EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def _pre_language(argv: Sequence[str]) -> None:
    """Set the UI language before building help texts.

    ``--lang`` wins, then ``WORKBENCH_LANG``, then the config file, then bokmål.
    """
    if not os.environ.get("WORKBENCH_LANG"):
        from workbench.config import load_settings

        language = load_settings().language
        if language:
            set_language(language)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            set_language(argv[i + 1])
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            set_language(arg.split("=", 1)[1])


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _pre_language(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _HANDLERS[args.command](args)
    except UserError as exc:
        sys.stderr.write(f"workbench: {exc.message()}\n")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        sys.stderr.write(t("cli.interrupted") + "\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: one clear line
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        sys.stderr.write(f"workbench: {t('error.unexpected', detail=f'{type(exc).__name__}: {exc}')}\n")
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


__all__ = ["main", "build_parser"]
