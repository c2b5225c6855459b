"""``workbench themes | phase | journal | snapshot | diff``: the theme map and the analysis
record from the command line."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from workbench.cli.output import out, out_json
from workbench.cli.session import open_project
from workbench.i18n import t


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("themes", help=t("themes_cli.help.themes"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_themes)

    p = sub.add_parser("phase", help=t("themes_cli.help.phase"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("phase", nargs="?", type=int, metavar="N", help=t("themes_cli.help.phase_n"))
    p.add_argument("--reason", default="", help=t("themes_cli.help.reason"))
    p.add_argument("--checklist", action="store_true", help=t("themes_cli.help.checklist"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_phase)

    p = sub.add_parser("journal", help=t("themes_cli.help.journal"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("text", nargs="?", help=t("themes_cli.help.journal_text"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_journal)

    p = sub.add_parser("snapshot", help=t("themes_cli.help.snapshot"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("name", nargs="?", help=t("themes_cli.help.snapshot_name"))
    p.set_defaults(run=cmd_snapshot)

    p = sub.add_parser("diff", help=t("themes_cli.help.diff"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("a", metavar="A", help=t("themes_cli.help.diff_a"))
    p.add_argument("b", metavar="B", nargs="?", help=t("themes_cli.help.diff_b"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_diff)


def _local(value: Any) -> str:
    """A stored (naive UTC) time in the user's local time."""
    from datetime import UTC

    return value.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _indent(text: str, prefix: str) -> str:
    lines = []
    for para in text.strip().splitlines() or [""]:
        lines.extend(textwrap.wrap(para, width=96 - len(prefix)) or [""])
    return "\n".join(prefix + line for line in lines)


# -- themes --------------------------------------------------------------------------------


def theme_map_dict(wb: Any) -> dict[str, Any]:
    """The theme map with its figures, as plain data (``--json``)."""
    m = wb.metrics.map()
    labels = wb.codes.display_names()

    def node(th: Any) -> dict[str, Any]:
        st = m.stats[th.id]
        return {
            "name": th.name, "guid": th.guid, "status": th.status, "definition": th.definition,
            "is_misc": th.is_misc,
            "codes": [
                {"name": m.codes[c].name, "display_name": labels[c], "guid": m.codes[c].guid, "origin": m.codes[c].origin,
                 "extracts": m.codes[c].codings}
                for c in th.code_ids
            ],
            "extracts": st.extracts, "informants": st.informants, "groups": st.groups,
            "group_names": list(st.group_names), "quotes": st.quotes, "thin": st.thin,
            "open_comments": m.open_comments.get(th.guid, 0),
            "subthemes": [node(c) for c in th.children],
        }

    return {
        "themes": [node(th) for th in m.themes],
        "unassigned_codes": [labels[c.id] for c in m.unassigned if c.codings],
        "groups": list(m.groups),
        "mirror": {
            "warn": m.mirror.warn,
            "pairs": [{"theme": x.theme_name, "code": x.code_name, "reason": x.reason}
                      for x in m.mirror.mirrors],
        },
    }


def cmd_themes(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        data = theme_map_dict(wb)
    if args.json:
        out_json(data)
        return 0
    if not data["themes"]:
        out(t("themes_cli.no_themes"))
        return 0

    def show(node: dict[str, Any], number: str, depth: int) -> None:
        pad = "    " * depth
        flags = []
        if node["is_misc"]:
            flags.append(t("themes_ui.misc_flag"))
        if node["thin"]:
            flags.append(t("themes_ui.thin_flag"))
        if node["open_comments"]:
            flags.append(t("themes_cli.comments", n=node["open_comments"]))
        out(
            f"{pad}{number} {node['name']}  [{t('themes.status.' + node['status'])}]"
            + (f"  {' · '.join(flags)}" if flags else "")
        )
        out(
            pad + "    " + t(
                "themes_cli.counts", extracts=node["extracts"], informants=node["informants"],
                groups=node["groups"], quotes=node["quotes"],
            )
        )
        if node["definition"]:
            out(_indent(node["definition"], pad + "    " + "│ "))
        if node["codes"]:
            codes = ", ".join(f"{c['display_name']} ({c['extracts']})" for c in node["codes"])
            out(_indent(t("themes_cli.codes", codes=codes), pad + "    "))
        for i, child in enumerate(node["subthemes"], 1):
            show(child, f"{number}{i}.", depth + 1)

    for i, node in enumerate(data["themes"], 1):
        show(node, f"{i}.", 0)
        out()
    if data["unassigned_codes"]:
        out(_indent(t("themes_cli.unassigned", n=len(data["unassigned_codes"]),
                       codes=", ".join(data["unassigned_codes"])), ""))
    if data["mirror"]["warn"]:
        pairs = "; ".join(f"«{p['theme']}» ≈ «{p['code']}»" for p in data["mirror"]["pairs"])
        out(_indent(t("themes_ui.mirror_warning", pairs=pairs), ""))
    return 0


# -- phase ---------------------------------------------------------------------------------


def cmd_phase(args: argparse.Namespace) -> int:
    from workbench.services.checklist import format_duration

    if args.phase is not None:
        with open_project(args) as wb:
            before = wb.phases.current()
            wb.phases.set(args.phase, args.reason)
        key = "themes_cli.phase_back" if args.phase < before else "themes_cli.phase_moved"
        out(t(key, n=args.phase, name=t(f"phase.{args.phase}"), reason=args.reason.strip()))
        return 0
    with open_project(args, readonly=True) as wb:
        current = wb.phases.current()
        history = wb.phases.history()
        times = wb.phases.durations()
        items = wb.checklist.items() if args.checklist else []
    if args.json:
        out_json({
            "phase": current, "name": t(f"phase.{current}"),
            "history": [
                {"from": h.from_phase, "to": h.to_phase, "reason": h.reason, "actor": h.actor,
                 "created": h.created.isoformat(timespec="seconds")}
                for h in history
            ],
            "seconds": {str(x.phase): round(x.seconds) for x in times},
            "checklist": [
                {"key": i.key, "text": i.text, "point": i.point, "status": i.status,
                 "detail": i.detail, **i.params}
                for i in items
            ],
        })
        return 0
    out(t("phase.label", n=current, name=t(f"phase.{current}")))
    out(t("themes_cli.times", times="; ".join(
        f"{x.phase}: {format_duration(x.seconds)}" for x in times if x.visits)))
    for h in history:
        line = t("themes_cli.history_row", when=_local(h.created),
                 actor=h.actor, a=h.from_phase, b=h.to_phase)
        out("  " + line + (f" – {h.reason}" if h.reason else ""))
    if items:
        out()
        out(t("themes_ui.checklist_title", n=current, name=t(f"phase.{current}")))
        marks = {"ok": "✓", "warn": "!", "info": "·"}
        for item in items:
            out(f"  {marks[item.status]} ({item.point}) {item.text}")
            if item.detail:
                out(_indent(item.detail, "      "))
    return 0


# -- journal -------------------------------------------------------------------------------


def cmd_journal(args: argparse.Namespace) -> int:
    if args.text is not None:
        with open_project(args) as wb:
            entry = wb.journal.add(args.text)
        out(t("themes_cli.journal_added", n=entry.phase, name=t(f"phase.{entry.phase}")))
        return 0
    with open_project(args, readonly=True) as wb:
        entries = wb.journal.list()
    if args.json:
        out_json([
            {"phase": e.phase, "text": e.text, "author": e.author,
             "created": e.created.isoformat(timespec="seconds")}
            for e in entries
        ])
        return 0
    if not entries:
        out(t("journal_ui.empty"))
    for e in entries:
        out(t("journal_ui.entry_head", when=_local(e.created), n=e.phase,
               author=e.author))
        out(_indent(e.text, "  "))
        out()
    return 0


# -- snapshots and diffs ---------------------------------------------------------------------


def cmd_snapshot(args: argparse.Namespace) -> int:
    if args.name:
        with open_project(args) as wb:
            snap = wb.snapshots.create(args.name)
        out(t("themes_cli.snapshot_done", name=snap.name))
        return 0
    with open_project(args, readonly=True) as wb:
        snaps = wb.snapshots.list()
    if not snaps:
        out(t("themes_cli.no_snapshots"))
    for snap in snaps:
        out(f"{_local(snap.created)}  {snap.author:<12}  {snap.name}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from workbench.services.snapshots import describe_diff

    with open_project(args, readonly=True) as wb:
        diff = wb.snapshots.diff(args.a, args.b)
    if args.json:
        out_json(diff.to_dict())
        return 0
    out(t("diff.title", a=args.a, b=args.b or t("diff.current")))
    if diff.is_empty:
        out(t("diff.none"))
    for line in describe_diff(diff):
        out("  " + line)
    return 0


__all__ = [
    "add_parsers", "cmd_diff", "cmd_journal", "cmd_phase", "cmd_snapshot", "cmd_themes",
    "theme_map_dict",
]
