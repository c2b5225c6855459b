"""``workbench member | assign | unblind | kind | codings | comment | comments | reply |
resolve``: the people on a project, who codes what (blind double coding), the kind of
analysis, and the supervisor's comments.

``assign P T --coders A,B [--blind]`` gives a transcript its coders (``--list`` shows every
assignment, ``--remove`` takes one away); ``unblind P T`` ends blind coding; ``kind P
[KIND]`` shows or sets the kind of thematic analysis; ``codings P T [--mine | --coder A |
--disagreements]`` lists a transcript's codings with their coder. All but ``codings`` are
the researcher's.

``member add`` / ``role`` / ``remove`` are for the project's researcher; the store refuses
them for anyone else. ``comment``, ``reply`` and ``resolve`` are what a supervisor may do
(besides ``snapshot NAME``), the same as the comment keys of the terminal UI.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from workbench.cli.output import out, out_json
from workbench.cli.session import open_project
from workbench.domain.collation import sort_key
from workbench.i18n import UserError, t

ROLE_CHOICES = ("researcher", "co-coder", "supervisor")
ANCHORS = ("theme", "code", "extract", "transcript")


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("member", help=t("team.help.member"))
    actions = p.add_subparsers(dest="member_command", metavar="ACTION", required=True)
    q = actions.add_parser("add", help=t("team.help.member_add"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("name", help=t("team.help.name"))
    q.add_argument("--role", choices=ROLE_CHOICES, default="co-coder", help=t("team.help.role"))
    q.set_defaults(run=cmd_member_add)
    q = actions.add_parser("list", help=t("team.help.member_list"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("--json", action="store_true", help=t("cli.help.json"))
    q.set_defaults(run=cmd_member_list)
    q = actions.add_parser("role", help=t("team.help.member_role"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("name", help=t("team.help.name"))
    q.add_argument("role", choices=ROLE_CHOICES, help=t("team.help.role"))
    q.set_defaults(run=cmd_member_role)
    q = actions.add_parser("remove", help=t("team.help.member_remove"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("name", help=t("team.help.name"))
    q.set_defaults(run=cmd_member_remove)

    add_team_view_parsers(sub)

    p = sub.add_parser("comment", help=t("team.help.comment"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--on", nargs=2, metavar=("KIND", "REF"), help=t("team.help.on"))
    p.add_argument("text", help=t("team.help.text"))
    p.set_defaults(run=cmd_comment)

    p = sub.add_parser("comments", help=t("team.help.comments"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--all", action="store_true", help=t("team.help.all"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_comments)

    p = sub.add_parser("reply", help=t("team.help.reply"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("id", type=int, help=t("team.help.comment_id"))
    p.add_argument("text", help=t("team.help.text"))
    p.set_defaults(run=cmd_reply)

    p = sub.add_parser("resolve", help=t("team.help.resolve"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("id", type=int, help=t("team.help.comment_id"))
    p.add_argument("--reopen", action="store_true", help=t("team.help.reopen"))
    p.set_defaults(run=cmd_resolve)


def _role(role: str) -> str:
    return t(f"members.role.{role}")


# -- members -------------------------------------------------------------------------------


def cmd_member_add(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        first = not wb.members.list()
        member = wb.members.add(args.name, args.role)
        actor = wb.store.actor
    if first and member.name != actor:
        out(t("team.member.first", name=actor))
    out(t("team.member.added", name=member.name, role=_role(member.role)))
    return 0


def cmd_member_list(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        members = wb.members.list()
    if args.json:
        out_json([{"name": m.name, "role": m.role, "added_at": m.added_at} for m in members])
        return 0
    if not members:
        out(t("team.member.none"))
    for m in members:
        out(f"{m.name:<20}  {_role(m.role)}")
    return 0


def cmd_member_role(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        member = wb.members.set_role(args.name, args.role)
    out(t("team.member.role_set", name=member.name, role=_role(member.role)))
    return 0


def cmd_member_remove(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        wb.members.remove(args.name)
    out(t("team.member.removed", name=args.name))
    return 0


# -- team views: assignments, the kind of analysis, codings by coder -----------------------


KIND_CHOICES = ("reflexive", "codebook", "reliability")


def add_team_view_parsers(sub: Any) -> None:
    p = sub.add_parser("assign", help=t("team_views.help.assign"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("transcript", nargs="?", help=t("team_views.help.assign_transcript"))
    p.add_argument("--coders", metavar="A,B", help=t("team_views.help.coders"))
    p.add_argument("--blind", action="store_true", help=t("team_views.help.blind"))
    p.add_argument("--list", action="store_true", help=t("team_views.help.list"))
    p.add_argument("--remove", action="store_true", help=t("team_views.help.remove"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_assign)

    p = sub.add_parser("unblind", help=t("team_views.help.unblind"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("transcript", help=t("cli.help.transcript"))
    p.set_defaults(run=cmd_unblind)

    p = sub.add_parser("kind", help=t("team_views.help.kind"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("kind", nargs="?", choices=KIND_CHOICES, help=t("team_views.help.kind_value"))
    p.set_defaults(run=cmd_kind)

    p = sub.add_parser("codings", help=t("team_views.help.codings"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("transcript", nargs="?", help=t("team_views.help.codings_transcript"))
    add_coder_options(p)
    p.add_argument("--counts", action="store_true", help=t("team_views.help.counts"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_codings)


def add_coder_options(p: argparse.ArgumentParser) -> None:
    """``--coder NAME`` / ``--mine`` / ``--disagreements`` (for ``codings`` and ``show``)."""
    which = p.add_mutually_exclusive_group()
    which.add_argument("--coder", metavar="NAME", help=t("team_views.help.coder"))
    which.add_argument("--mine", action="store_true", help=t("team_views.help.mine"))
    which.add_argument("--disagreements", action="store_true",
                       help=t("team_views.help.disagreements"))


def _assignment_dict(a: Any) -> dict[str, Any]:
    return {"transcript": a.transcript, "coders": list(a.coders), "blind": a.blind,
            "created": a.created, "unblinded_at": a.unblinded_at}


def cmd_assign(args: argparse.Namespace) -> int:
    if args.list or not args.transcript:
        with open_project(args, readonly=True) as wb:
            found = wb.assignments.list()
        if args.json:
            out_json([_assignment_dict(a) for a in found])
            return 0
        if not found:
            out(t("team_views.cli.none"))
        for a in found:
            mark = t("team_views.cli.blind_mark") if a.blind else ""
            if a.unblinded_at is not None:
                mark = t("team_views.cli.unblinded_mark",
                         when=a.unblinded_at.isoformat(sep=" ", timespec="minutes"))
            out(f"{a.transcript:<24}  {', '.join(a.coders):<30}  {mark}".rstrip())
        return 0
    with open_project(args) as wb:
        if args.remove:
            wb.assignments.remove(args.transcript)
            out(t("team_views.cli.removed", name=args.transcript))
            return 0
        coders = [c.strip() for c in (args.coders or "").split(",") if c.strip()]
        a = wb.assignments.assign(args.transcript, coders, blind=args.blind)
    key = "team_views.cli.assigned_blind" if a.blind else "team_views.cli.assigned"
    out(t(key, name=a.transcript, coders=", ".join(a.coders)))
    return 0


def cmd_unblind(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        a = wb.assignments.unblind(args.transcript)
    out(t("team_views.cli.unblinded", name=a.transcript))
    return 0


def cmd_kind(args: argparse.Namespace) -> int:
    with open_project(args, readonly=args.kind is None) as wb:
        kind = wb.set_analysis_kind(args.kind) if args.kind else wb.analysis_kind
    key = "team_views.cli.kind_set" if args.kind else "team_views.cli.kind"
    out(t(key, name=t(f"team_views.kind.{kind}"), kind=kind))
    out(t(f"team_views.kind_note.{kind}"))
    return 0


def coder_filter(wb: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The ``coders`` and ``disagreements`` arguments of ``wb.codes.codings`` for the
    command line's ``--coder`` / ``--mine`` / ``--disagreements``."""
    if getattr(args, "mine", False):
        return {"coders": [wb.store.actor]}
    name = getattr(args, "coder", None)
    if name:
        known = wb.codes.coders()
        if name not in known:
            raise UserError("team_views.error.unknown_coder", name=name,
                            coders=", ".join(known) or "–")
        return {"coders": [name]}
    return {"disagreements": bool(getattr(args, "disagreements", False))}


def coding_rows(wb: Any, transcript_id: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """A transcript's codings (as the filter options ask) as plain rows with the coder."""
    names = wb.codes.display_names()
    text = wb.transcripts.get(transcript_id).text
    return [
        {"start": c.start, "end": c.end, "code": names.get(c.code_id, ""), "coder": c.coder,
         "text": text[c.start:c.end], "memo": c.memo, "quote": c.is_quote, "guid": c.guid}
        for c in wb.codes.codings(transcript_id=transcript_id, **coder_filter(wb, args))
    ]


def cmd_counts(args: argparse.Namespace) -> int:
    """``codings P [T] --counts``: each code's number of codings split by coder."""
    with open_project(args, readonly=True) as wb:
        tid = wb.transcripts.get(args.transcript).id if args.transcript else None
        counts = wb.codes.counts_by_coder(transcript_id=tid)
        codes = [c for c in wb.codes.list() if c.id in counts]
    coders = sorted({name for per in counts.values() for name in per}, key=sort_key)
    if args.json:
        out_json({c.label: counts[c.id] for c in codes})
        return 0
    if not codes:
        out(t("team_views.cli.no_codings"))
        return 0
    width = max(len(c.label) for c in codes)
    out(f"{'':<{width}}  " + "  ".join(f"{name:>8}" for name in coders))
    for c in codes:
        out(f"{c.label:<{width}}  " + "  ".join(f"{counts[c.id].get(n, 0):>8}" for n in coders))
    return 0


def cmd_codings(args: argparse.Namespace) -> int:
    if args.counts:
        return cmd_counts(args)
    if not args.transcript:
        raise UserError("team_views.error.no_transcript")
    with open_project(args, readonly=True) as wb:
        tr = wb.transcripts.get(args.transcript)
        rows = coding_rows(wb, tr.id, args)
        blind = wb.assignments.is_blind_for_me(tr.id)
    if args.json:
        out_json({"transcript": tr.name, "blind": blind, "codings": rows})
        return 0
    if blind:
        out(t("team_views.cli.hidden", name=tr.name))
    if not rows:
        out(t("team_views.cli.no_codings"))
    for row in rows:
        out(t("team_views.cli.codings_head", **row))
        out("    " + " ".join(row["text"].split())[:200])
    return 0


# -- comments ------------------------------------------------------------------------------


def _anchor(wb: Any, kind: str, ref: str) -> tuple[str, int]:
    """The anchor kind and id of ``--on KIND REF`` (a name, or a number for an extract)."""
    from workbench.domain.model import name_key

    if kind not in ANCHORS:
        raise UserError("team.comment.bad_kind", kind=kind, kinds=", ".join(ANCHORS))
    if kind == "extract":
        if not ref.isdigit():
            raise UserError("team.comment.extract_id", ref=ref)
        return "coding", int(ref)
    if kind == "code":
        code = wb.codes.find(ref)
        if code is None:
            raise UserError("team.comment.not_found", kind=t(f"team.kind.{kind}"), ref=ref)
        return "code", code.id
    if kind == "transcript":
        return "transcript", wb.transcripts.get(ref).id
    from workbench.services.themes import walk

    for theme, _depth in walk(wb.themes.tree()):
        if name_key(theme.name) == name_key(ref):
            return "theme", theme.id
    raise UserError("team.comment.not_found", kind=t(f"team.kind.{kind}"), ref=ref)


def cmd_comment(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        if args.on:
            kind, anchor_id = _anchor(wb, *args.on)
            comment = wb.review.comment(kind, anchor_id, args.text)
        else:
            comment = wb.review.comment("project", None, args.text)
    out(t("team.comment.added", id=comment.id, label=comment.anchor_label or t("team.kind.project")))
    return 0


def cmd_comments(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        comments = wb.review.comments(status=None if args.all else "open")
    if args.json:
        out_json([asdict(c) for c in comments])
        return 0
    if not comments:
        out(t("team.comment.none"))
    for c in comments:
        state = "" if c.status == "open" else f"  [{t('team.comment.resolved_mark')}]"
        label = c.anchor_label or t("team.kind.project")
        out(f"#{c.id}  {c.author}  «{label}»{state}")
        out(f"    {c.text}")
        for r in c.replies:
            out(f"    ↳ #{r.id}  {r.author}: {r.text}")
    return 0


def cmd_reply(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        reply = wb.review.reply(args.id, args.text)
    out(t("team.comment.replied", id=reply.id, parent=args.id))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        wb.review.resolve(args.id, resolved=not args.reopen)
    out(t("team.comment.reopened" if args.reopen else "team.comment.resolved", id=args.id))
    return 0


__all__ = [
    "add_coder_options", "add_parsers", "cmd_assign", "cmd_codings", "cmd_kind", "cmd_unblind",
    "coder_filter", "coding_rows", "cmd_comment", "cmd_comments", "cmd_member_add", "cmd_member_list",
    "cmd_member_remove", "cmd_member_role", "cmd_reply", "cmd_resolve",
]
