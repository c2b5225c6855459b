"""``workbench search``, ``autocode`` and ``table``: finding, coding by query, analysis tables."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from workbench.cli.checked import checked_stdout, guard
from workbench.cli.output import err, out, out_json
from workbench.cli.session import open_project
from workbench.i18n import UserError, t


def _filters(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from workbench.services.search import SearchFilter

    return SearchFilter(group=args.group, speaker=args.speaker, role=args.role,
                        code=getattr(args, "code_filter", None), transcript=args.transcript,
                        all_roles=args.all_roles,
                        exclude_forms=frozenset(
                            " ".join(f.lower().split()) for f in args.exclude_form or ()
                        ))


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--group", help=t("search.help.group"))
    p.add_argument("--speaker", help=t("search.help.speaker"))
    p.add_argument("--role", choices=("moderator", "co-moderator", "informant"),
                   help=t("search.help.role"))
    p.add_argument("--transcript", help=t("search.help.transcript"))
    p.add_argument("--all-roles", action="store_true", help=t("search.help.all_roles"))
    p.add_argument("--exclude-form", action="append", metavar="FORM",
                   help=t("search.help.exclude_form"))


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("search", help=t("search.help.search"), description=t("search.help.syntax"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("query", help=t("search.help.query"))
    _add_filters(p)
    p.add_argument("--in-code", dest="code_filter", metavar="CODE", help=t("search.help.in_code"))
    p.add_argument("--limit", type=int, help=t("search.help.limit"))
    p.add_argument("--forms", action="store_true", help=t("search.help.forms"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("autocode", help=t("search.help.autocode"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("query", nargs="?", help=t("search.help.query"))
    p.add_argument("--code", required=True, help=t("search.help.code"))
    p.add_argument("--unit", choices=("hit", "sentence", "turn"), default="hit",
                   help=t("search.help.unit"))
    _add_filters(p)
    p.add_argument("--in-code", dest="code_filter", metavar="CODE", help=t("search.help.in_code"))
    p.add_argument("--all-turns", action="store_true", help=t("search.help.all_turns"))
    p.add_argument("--dry-run", action="store_true", help=t("search.help.dry_run"))
    p.set_defaults(run=cmd_autocode)

    p = sub.add_parser("table", help=t("tables.help.table"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("kind", choices=("frequencies", "cooccurrence", "code-transcript",
                                    "code-group", "words"), help=t("tables.help.kind"))
    p.add_argument("--same-turn", action="store_true", help=t("tables.help.same_turn"))
    p.add_argument("--top", type=int, default=30, help=t("tables.help.top"))
    p.add_argument("--csv", metavar="FILE", help=t("tables.help.csv"))
    p.set_defaults(run=cmd_table)


def _form_line(f) -> str:  # type: ignore[no-untyped-def]
    line = f"{f.form:<24} {f.count:>6}"
    if f.ambiguous:
        readings = ", ".join(t(f"search.pos.{pos}", lemma=lemma) for pos, lemma in f.readings)
        line += "  " + t("search.ambiguous", readings=readings)
    if f.excluded:
        line += "  " + t("search.excluded")
    return line


def _left_out_line(result) -> str | None:  # type: ignore[no-untyped-def]
    if not result.left_out_roles:
        return None
    roles = ", ".join(t(f"search.role.{r}") for r in result.left_out_roles)
    return t("search.left_out", roles=roles, n=result.left_out)


@checked_stdout
def cmd_search(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        guard(wb, "workbench search", echo=[t("search.no_hits", query=args.query)])
        result = wb.search.find(args.query, _filters(args), size=args.limit,
                                readings=args.forms)
    hits = result.hits
    if args.forms:
        if args.json:
            out_json([{**asdict(f), "ambiguous": f.ambiguous} for f in result.forms])
            return 0
        for f in result.forms:
            out(_form_line(f))
        return 0
    if args.json:
        out_json([asdict(h) for h in hits])
        return 0
    if not hits:
        out(t("search.no_hits", query=args.query))
    width = 45
    for h in hits:
        who = h.speaker or "–"
        left = h.left[-width:].rjust(width)
        out(f"{h.transcript[:24]:<24} {who[:16]:<16} {left}[{h.match}]{h.right[:width]}")
    if hits:
        out(t("search.count", n=result.total, transcripts=result.transcripts))
    left_out = _left_out_line(result)
    if left_out:
        out(left_out)
    return 0


def cmd_autocode(args: argparse.Namespace) -> int:
    if args.dry_run:
        if args.all_turns or not args.query:
            raise UserError("search.error.dry_run_query")
        with open_project(args, readonly=True) as wb:
            previews = wb.search.preview(args.query, unit=args.unit, filters=_filters(args))
        last = None
        for p in previews:
            where = (p.hit.transcript, p.hit.speaker or "–")
            if where != last:
                out(f"{where[0]} · {where[1]}")
                last = where
            text = " ".join(p.text.split())
            out(f"  {p.start}-{p.end} [{p.hit.match}] {text[:200]}")
        spans = {(p.hit.transcript_id, p.start, p.end) for p in previews}
        out(t("search.dry_run", n=len(spans), hits=len(previews), code=args.code))
        return 0
    with open_project(args) as wb:
        if args.all_turns:
            added, existing = wb.search.code_turns(
                code_name=args.code, speaker=args.speaker, role=args.role,
                transcript=args.transcript,
            )
        else:
            if not args.query:
                raise UserError("search.error.empty")
            added, existing = wb.search.autocode(
                args.query, code_name=args.code, unit=args.unit, filters=_filters(args)
            )
    out(t("search.autocoded", added=added, existing=existing, code=args.code))
    return 0


@checked_stdout
def cmd_table(args: argparse.Namespace) -> int:
    from workbench.formats.atomic import write_atomic
    from workbench.formats.csv import csv_file

    with open_project(args, readonly=True) as wb:
        table = wb.tables.table(args.kind, same_turn=args.same_turn, top=args.top)
        guard(wb, f"workbench table {args.kind}")
        if args.csv:  # written while the project is open: its output check reads it
            write_atomic(Path(args.csv), csv_file(table.columns, table.rows, line_end="\n"))
            for warning in wb.privacy.take_output_warnings():
                err(t("export.cli.warning", warning=warning))
    if args.csv:
        out(t("tables.written", path=args.csv, rows=len(table.rows)))
        return 0
    sys.stdout.write(table.to_csv())
    return 0


__all__ = ["add_parsers", "cmd_autocode", "cmd_search", "cmd_table"]
