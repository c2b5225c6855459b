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
from pathlib import Path

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

    # Review mode writes comments, so the file opens writable; the services refuse
    # everything else (see workbench.services.review_mode).
    wb = Workbench.open(args.project, actor=args.as_user, readonly=args.read_only)
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


# -- import and reading -----------------------------------------------------------------


class _ProgressLine:
    """Progress on stderr: a rewritten line on a terminal, a few plain lines otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 0
        if stage == "parse" and total < 200:
            return  # small files: no progress chatter
        step = pct if self.tty else pct // 25 * 25
        if (stage, step) == self.last:
            return
        self.last = (stage, step)  # type: ignore[assignment]
        text = t(f"cli.import.stage.{stage}", file=self.label, pct=pct)
        if self.tty:
            sys.stderr.write("\r\x1b[K" + text)
            if stage == "done":
                sys.stderr.write("\r\x1b[K")
        elif stage != "done":
            sys.stderr.write(text + "\n")
        sys.stderr.flush()


@handler("import")
def cmd_import(args: argparse.Namespace) -> int:
    from workbench.formats.speaker_sheet import load_speaker_sheet
    from workbench.services import Workbench

    sheet = load_speaker_sheet(args.speakers) if args.speakers else None
    if args.name and len(args.files) > 1:
        raise UserError("cli.import.name_with_many")
    failed = 0
    with Workbench.open(args.project) as wb:
        for file in args.files:
            path = Path(file)
            if path.suffix.lower() == ".qdpx":  # a whole project from NVivo, ATLAS.ti, …
                try:
                    project = wb.exchange.import_qdpx(path, progress=_ProgressLine(path.name))
                except UserError as exc:
                    failed += 1
                    sys.stderr.write(t("cli.import.failed", file=path.name, message=exc.message()) + "\n")
                    continue
                _out(t(
                    "exchange.imported_qdpx", file=path.name,
                    transcripts=project.transcripts_added, merged=project.transcripts_merged,
                    participants=project.participants_added, codes=project.codes_added,
                    existing=project.codes_existing, codings=project.codings_added,
                    themes=project.themes_added, notes=project.notes_added,
                    journal=project.journal_added,
                ))
                for warning in project.warnings:
                    _out("  " + t("cli.import.warning", warning=warning))
                continue
            try:
                result = wb.imports.import_file(
                    path, name=args.name, group=args.group, sheet=sheet,
                    progress=_ProgressLine(path.name),
                )
            except UserError as exc:
                failed += 1
                sys.stderr.write(t("cli.import.failed", file=path.name, message=exc.message()) + "\n")
                continue
            _out(
                t(
                    "cli.import.done", file=path.name, name=result.name, turns=result.turns,
                    words=result.words, n=len(result.speakers),
                )
            )
            _out("  " + t("cli.import.speakers", speakers=", ".join(result.speakers) or "–"))
            for warning in result.warnings:
                _out("  " + t("cli.import.warning", warning=warning))
    if failed:
        sys.stderr.write(t("cli.import.summary_failed", failed=failed, total=len(args.files)) + "\n")
        return EXIT_USER_ERROR
    return 0


def _clock(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@handler("show")
def cmd_show(args: argparse.Namespace) -> int:
    from workbench.domain.marks import clean_view
    from workbench.services import Workbench

    with Workbench.open(args.project, readonly=True) as wb:
        tr = wb.transcripts.get(args.transcript)
        people = {p.id: p for p in wb.transcripts.participants()}
    turns = []
    for turn in tr.turns:
        text = tr.text[turn.start:turn.end]
        if args.clean:
            text = clean_view(text).text
        person = people.get(turn.participant_id) if turn.participant_id else None
        turns.append(
            {
                "speaker": person.label if person else None,
                "role": person.role if person else None,
                "profession": person.profession if person else None,
                "group": (person.group if person else None) or tr.group,
                "start": turn.start, "end": turn.end,
                "start_ms": turn.start_ms, "end_ms": turn.end_ms,
                "text": text,
            }
        )
    if args.json:
        _json({"name": tr.name, "group": tr.group, "clean": args.clean, "turns": turns})
        return 0
    for turn in turns:
        head = turn["speaker"] or t("cli.show.unattributed")
        if turn["role"] and turn["role"] != "informant":
            head += f" ({t('role.' + turn['role'])})"
        if turn["start_ms"] is not None:
            head += f" [{_clock(turn['start_ms'])}]"
        _out(f"{head}:")
        _out(turn["text"])
        _out()
    return 0


@handler("codebook")
def cmd_codebook(args: argparse.Namespace) -> int:
    from workbench.services import Workbench

    if args.codebook_command == "import":
        with Workbench.open(args.project) as wb:
            if Path(args.file).suffix.lower() == ".qdc":  # REFI-QDA codebook
                result = wb.exchange.import_qdc(Path(args.file))
            else:
                result = wb.codebooks.import_file(args.file)
        _out(
            t(
                "cli.codebook.imported", name=result.name, added=result.codes_added,
                existing=result.codes_existing, themes=result.themes_added,
            )
        )
        return 0
    with Workbench.open(args.project, readonly=True) as wb:
        text = wb.codebooks.export_yaml(with_themes=not args.no_themes)
    if args.output:
        from workbench.formats.atomic import write_atomic

        write_atomic(Path(args.output), text.encode("utf-8"))
        _out(t("cli.codebook.exported", path=args.output))
    else:
        sys.stdout.write(text)
    return 0


@handler("demo")
def cmd_demo(args: argparse.Namespace) -> int:
    from workbench.config import data_dir
    from workbench.services.demo import build_demo

    path = Path(args.path) if args.path else data_dir() / "demo.wbp"
    if path.exists() and not args.fresh:
        if args.path and args.no_open:
            raise UserError("cli.demo.exists", path=path)
        _out(t("cli.demo.reusing", path=path))
    else:
        if path.exists():
            path.unlink()
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        _out(t("cli.demo.building", path=path))
        build_demo(path, progress=lambda msg: _out("  " + msg))
        _out(t("cli.demo.built", path=path))
    if args.no_open:
        return 0
    from workbench.services import Workbench
    from workbench.tui.app import run_app

    wb = Workbench.open(path)
    try:
        run_app(wb)
    finally:
        wb.close()
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

    p = sub.add_parser("import", help=t("cli.help.import"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("files", nargs="+", metavar="FILE", help=t("cli.help.import_files"))
    p.add_argument("--group", help=t("cli.help.group"))
    p.add_argument("--name", help=t("cli.help.import_name"))
    p.add_argument("--speakers", metavar="SHEET", help=t("cli.help.speakers"))

    p = sub.add_parser("show", help=t("cli.help.show"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("transcript", help=t("cli.help.transcript"))
    p.add_argument("--clean", action="store_true", help=t("cli.help.clean"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = sub.add_parser("codebook", help=t("cli.help.codebook"))
    cb = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    q = cb.add_parser("import", help=t("cli.help.codebook_import"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("file", help=t("cli.help.codebook_file"))
    q = cb.add_parser("export", help=t("cli.help.codebook_export"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("-o", "--output", help=t("cli.help.output"))
    q.add_argument("--no-themes", action="store_true", help=t("cli.help.no_themes"))

    p = sub.add_parser("demo", help=t("cli.help.demo"))
    p.add_argument("--path", help=t("cli.help.demo_path"))
    p.add_argument("--no-open", action="store_true", help=t("cli.help.no_open"))
    p.add_argument("--fresh", action="store_true", help=t("cli.help.fresh"))

    from workbench.cli import export, search, themes

    for module in (export, search, themes):
        module.add_parsers(sub)
    return parser


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
