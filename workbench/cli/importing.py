"""``workbench import | show``: transcripts (and whole REFI-QDA projects) in, reading text out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.checked import checked_stdout, guard
from workbench.cli.output import EXIT_USER_ERROR, ProgressLine, err, out, out_json
from workbench.cli.session import open_project
from workbench.i18n import UserError, t


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("import", help=t("cli.help.import"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("files", nargs="+", metavar="FILE", help=t("cli.help.import_files"))
    p.add_argument("--group", help=t("cli.help.group"))
    p.add_argument("--name", help=t("cli.help.import_name"))
    p.add_argument("--speakers", metavar="SHEET", help=t("cli.help.speakers"))
    p.add_argument("--key", metavar="PATH", help=t("privacy.help.key"))
    p.add_argument("--without-key", action="store_true", help=t("privacy.help.without_key"))
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("show", help=t("cli.help.show"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("transcript", help=t("cli.help.transcript"))
    p.add_argument("--clean", action="store_true", help=t("cli.help.clean"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    from workbench.cli.team import add_coder_options  # team views: codings with their coder
    p.add_argument("--codings", action="store_true", help=t("team_views.help.show_codings"))
    add_coder_options(p)
    p.set_defaults(run=cmd_show)


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.formats.speaker_sheet import load_speaker_sheet

    sheet = load_speaker_sheet(args.speakers) if args.speakers else None
    if args.name and len(args.files) > 1:
        raise UserError("cli.import.name_with_many")
    from workbench.nlp import workers

    if workers.worth_it([f for f in args.files if Path(f).suffix.lower() != ".qdpx"]):
        workers.start()  # the workers' NLP loads while the project opens and files are read
    failed = 0
    with open_project(args) as wb:
        # refuse up front (one line, nothing parsed) when the actor may not import at all
        for file in args.files:
            qdpx = Path(file).suffix.lower() == ".qdpx"
            wb.store.check_may_run("exchange.import_qdpx" if qdpx else "transcript.import")
        wb.privacy.use_key(args.key, without_key=args.without_key)
        # files in the given order; each run of transcripts is one multi-file import (its
        # text processing in worker processes), a REFI-QDA project is imported on its own
        runs: list[list[Path]] = []
        for file in args.files:
            path = Path(file)
            if path.suffix.lower() == ".qdpx" or not runs or runs[-1][0].suffix.lower() == ".qdpx":
                runs.append([path])
            else:
                runs[-1].append(path)
        for run in runs:
            if run[0].suffix.lower() == ".qdpx":
                failed += not _import_qdpx(wb, run[0])
                continue
            if args.name:
                outcomes = iter([(run[0], _one(wb, run[0], args, sheet))])
            else:
                outcomes = wb.imports.import_each(
                    run, group=args.group, sheet=sheet, progress=lambda p: ProgressLine(p.name))
            for path, outcome in outcomes:
                if isinstance(outcome, UserError):
                    failed += 1
                    err(t("cli.import.failed", file=path.name, message=outcome.message()))
                    continue
                out(t("cli.import.done", file=path.name, name=outcome.name, turns=outcome.turns,
                      words=outcome.words, n=len(outcome.speakers)))
                out("  " + t("cli.import.speakers", speakers=", ".join(outcome.speakers) or "–"))
                for warning in outcome.warnings:
                    out("  " + t("cli.import.warning", warning=warning))
    if failed:
        err(t("cli.import.summary_failed", failed=failed, total=len(args.files)))
        return EXIT_USER_ERROR
    return 0


def _one(wb: Any, path: Path, args: argparse.Namespace, sheet: Any) -> Any:
    """One file under a given name (``--name``): its result or the error that stopped it."""
    try:
        return wb.imports.import_file(path, name=args.name, group=args.group, sheet=sheet,
                                      progress=ProgressLine(path.name))
    except UserError as exc:
        return exc


def _import_qdpx(wb: Any, path: Path) -> bool:
    """A whole project from NVivo, ATLAS.ti, …; whether it was imported."""
    try:
        project = wb.exchange.import_qdpx(path, progress=ProgressLine(path.name))
    except UserError as exc:
        err(t("cli.import.failed", file=path.name, message=exc.message()))
        return False
    out(t(
        "exchange.imported_qdpx", file=path.name,
        transcripts=project.transcripts_added, merged=project.transcripts_merged,
        participants=project.participants_added, codes=project.codes_added,
        existing=project.codes_existing, codings=project.codings_added,
        themes=project.themes_added, notes=project.notes_added,
        journal=project.journal_added,
    ))
    for warning in project.warnings:
        out("  " + t("cli.import.warning", warning=warning))
    return True


def _clock(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@checked_stdout
def cmd_show(args: argparse.Namespace) -> int:
    from workbench.domain.marks import clean_view

    with open_project(args, readonly=True) as wb:
        tr = wb.transcripts.get(args.transcript)
        people = {p.id: p for p in wb.transcripts.participants()}
        from workbench.cli.team import coding_rows
        codings = coding_rows(wb, tr.id, args) if args.codings else None
        guard(wb, f"workbench show {tr.name}",  # --json shows profession and group
              [(u.participant_id, tr.id) for u in tr.turns] if args.json else ())
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
        if codings is not None:  # the codings that start in this turn, with their coder
            turns[-1]["codings"] = [c for c in codings if turn.start <= c["start"] < max(turn.end, turn.start + 1)]
    if args.json:
        out_json({"name": tr.name, "group": tr.group, "clean": args.clean, "turns": turns})
        return 0
    for turn in turns:
        head = turn["speaker"] or t("cli.show.unattributed")
        if turn["role"] and turn["role"] != "informant":
            head += f" ({t('role.' + turn['role'])})"
        if turn["start_ms"] is not None:
            head += f" [{_clock(turn['start_ms'])}]"
        out(f"{head}:")
        out(turn["text"])
        for c in turn.get("codings", ()):
            out("  " + t("team_views.cli.codings_head", **c) + "  «" + " ".join(c["text"].split())[:80] + "»")
        out()
    return 0


__all__ = ["add_parsers", "cmd_import", "cmd_show"]
